"""What the command line reads (issue 13 item 12): only regular files, under a size cap checked before reading,
for validate and import alike; and what the platform's parser accepts beyond strict JSON (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.jsonio import load_json_text, read_input
from connector.errors import UsageError

from .conftest import FIXTURE, findings_of, run_cli

EXE = Path(sys.executable).with_name("connector")


def run(*args: str, env: dict | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    """The installed command in a process of its own: a hang fails the test by its timeout."""
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def one_line_error(res: subprocess.CompletedProcess, code: int, text: str) -> None:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], res.stderr


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A connector folder whose swagger is a link to /dev/zero and whose apiProperties.json is a FIFO."""
    folder = tmp_path / "conn"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").symlink_to("/dev/zero")
    os.mkfifo(folder / "apiProperties.json")
    return folder


def test_validate_refuses_a_link_to_dev_zero(hostile):
    one_line_error(run("validate", str(hostile / "apiDefinition.swagger.json")), 2,
                   "apiDefinition.swagger.json is a character device; only regular files are read")


def test_validate_refuses_a_fifo_without_waiting_for_a_writer(hostile):
    one_line_error(run("validate", str(hostile / "apiProperties.json")), 2,
                   "apiProperties.json is a FIFO (named pipe); only regular files are read")


def test_validate_refuses_a_folder_holding_them(hostile):
    one_line_error(run("validate", str(hostile)), 2, "only regular files are read")


def test_import_refuses_a_link_to_dev_zero(hostile, tmp_path):
    one_line_error(run("import", str(hostile / "apiDefinition.swagger.json"), "--out", str(tmp_path / "m.py")), 2,
                   "is a character device; only regular files are read")
    assert not (tmp_path / "m.py").exists()


def test_import_refuses_a_fifo_properties_file(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").write_bytes((FIXTURE / "apiDefinition.swagger.json").read_bytes())
    os.mkfifo(folder / "apiProperties.json")
    one_line_error(run("import", str(folder), "--out", str(tmp_path / "m.py")), 2, "is a FIFO (named pipe)")


def test_size_cap_is_checked_before_reading_option_and_environment(tmp_path):
    f = tmp_path / "apiProperties.json"
    f.write_text('{"properties": {"iconBrandColor": "#da3b01"}}' + " " * 2000)
    one_line_error(run("validate", "--max-file-size", "1K", str(f)), 2, "over the limit of 1024 bytes")
    one_line_error(run("validate", str(f), env={"CONNECTOR_MAX_FILE_SIZE": "1000"}), 2,
                   "over the limit of 1000 bytes")
    one_line_error(run("import", str(FIXTURE), "--out", str(tmp_path / "m.py"), "--max-file-size", "2K"), 2,
                   "over the limit of 2048 bytes")
    one_line_error(run("validate", "--max-file-size", "lots", str(f)), 2, "is not a size")
    assert run("validate", "--max-file-size", "1M", str(f)).returncode in (0, 1)


def test_read_input_directly(tmp_path):
    with pytest.raises(UsageError, match="a folder"):
        read_input(tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        read_input(tmp_path / "nope")
    (tmp_path / "a").write_bytes(b"12345")
    assert read_input(tmp_path / "a", 5) == b"12345"
    with pytest.raises(UsageError, match="over the limit of 4 bytes"):
        read_input(tmp_path / "a", 4)


# -- lenient JSON ------------------------------------------------------------------------------------------------

PLATFORM_JSON = b'{\n  "a": 1, // a comment\n  "b": [1, 2,],\n  /* block\n comment */ "c": "tab\there",\n}\n'


def test_lenient_reading_warns_with_line_and_column_and_keeps_the_data():
    strict = load_json_text(PLATFORM_JSON)
    assert strict.problem is not None
    doc = load_json_text(PLATFORM_JSON, lenient=True)
    assert doc.ok and doc.data == {"a": 1, "b": [1, 2], "c": "tab\there"}
    assert [(w.message, w.line, w.column) for w in doc.warnings] == [
        ("the first of 2 comments", 2, 11), ("the first of 2 trailing commas", 3, 13),
        ("a raw control character in a string", 5, 22)]


def test_lenient_reading_still_refuses_what_the_platform_refuses():
    for text, where in ((b'{"a": ,}', (1, 7)), (b'{"a": 1 "b": 2}', (1, 9)), (b"{'a': 1}", (1, 2))):
        doc = load_json_text(text, lenient=True)
        assert doc.problem is not None and (doc.problem.line, doc.problem.column) == where, text


def test_validate_reports_one_warning_then_checks_normally(connector):
    raw = json.dumps(connector.swagger, indent=2).replace('"swagger": "2.0",', '"swagger": "2.0", // platform style', 1)
    raw = raw.replace('"title": "Smart Dialog"', '"title": "Smart Dialog API"')
    raw = raw[: raw.rindex("}")] + ",}"  # a trailing comma at the very end
    connector.raw["apiDefinition.swagger.json"] = raw.encode()
    found = findings_of(connector.write())
    rules = [f["rule"] for f in found]
    assert rules.count("PP0007") == 1 and "PP0001" not in rules
    (w,) = [f for f in found if f["rule"] == "PP0007"]
    assert w["severity"] == "warning" and w["line"] == 2 and "a comment at 2:" in w["message"]
    assert "a trailing comma at" in w["message"]
    title = [f for f in found if f["rule"] == "PP1012"]
    assert title and title[0]["line"] is not None  # the rest is checked, with positions in the file


def test_import_reads_platform_json_with_a_warning(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    swagger = (FIXTURE / "apiDefinition.swagger.json").read_text()
    swagger = swagger.replace('"swagger": "2.0",', '"swagger": "2.0", // platform style', 1)
    (folder / "apiDefinition.swagger.json").write_text(swagger)
    res = CliRunner().invoke(main, ["import", str(folder), "--out", str(tmp_path / "m.py")])
    assert res.exit_code == 0, res.output
    assert ":2:" in res.output and "a comment is not strict JSON" in res.output
    build = CliRunner().invoke(main, ["build", "--model", str(tmp_path / "m.py"), "--out", str(tmp_path / "b")])
    assert build.exit_code == 0, build.output
    written = next((tmp_path / "b").rglob("apiDefinition.swagger.json")).read_text()
    assert "//" not in written.split('"swagger"')[1][:40]
    json.loads(written)  # strict JSON out


# -- $ref loops and deep documents -------------------------------------------------------------------------------

def test_a_pure_ref_loop_is_one_finding(connector):
    connector.swagger["definitions"].update({"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}})
    get = connector.swagger["paths"]["/messages/{messageId}"]["get"]
    get["responses"]["200"]["schema"] = {"$ref": "#/definitions/A"}
    found = [f for f in findings_of(connector.write()) if f["rule"] == "PP1009"]
    assert len(found) == 1
    assert "#/definitions/A -> #/definitions/B -> #/definitions/A" in found[0]["message"] or \
        "#/definitions/B -> #/definitions/A -> #/definitions/B" in found[0]["message"]
    assert found[0]["severity"] == "error" and found[0]["line"] is not None


def test_a_deeply_nested_schema_is_walked_without_recursion(connector):
    node: dict = {"type": "string", "format": "blob"}
    for _ in range(400):  # 800 JSON levels: below the JSON parser's own limit, far beyond Python's stack in a walk
        node = {"type": "object", "properties": {"x": node}}
    connector.swagger["paths"]["/messages/{messageId}"]["get"]["responses"]["200"]["schema"] = node
    found = findings_of(connector.write())
    rules = {f["rule"] for f in found}
    assert "PP0001" not in rules and "PP0000" not in rules
    assert "PP1060" in rules  # the format at the bottom was reached


def test_walks_do_not_use_the_python_stack(monkeypatch):
    """With Python's recursion limit at 150, a swagger and an apiProperties 600 levels deep are still checked
    to the bottom: every walk over a document keeps its own stack."""
    import sys

    from connector.validate.findings import Reporter
    from connector.validate.properties import check_properties, strip_suppress
    from connector.validate.swagger import check_swagger

    swagger = json.loads((FIXTURE / "apiDefinition.swagger.json").read_text())
    node: dict = {"type": "string", "format": "blob"}
    for _ in range(300):
        node = {"type": "object", "properties": {"x": node}}
    swagger["paths"]["/messages/{messageId}"]["get"]["responses"]["200"]["schema"] = node
    props = json.loads((FIXTURE / "apiProperties.json").read_text())
    deep: dict = {"x-connector-suppress": ["PP2001"], "leaf": 1}
    for _ in range(600):
        deep = {"d": deep}
    props["properties"]["capabilities"] = [deep]
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(150)
    try:
        rep = Reporter("apiDefinition.swagger.json")
        check_swagger(rep, swagger)
        stripped = strip_suppress(props)
        prep = Reporter("apiProperties.json")
        check_properties(prep, props, swagger)
    finally:
        sys.setrecursionlimit(old)
    assert "PP1060" in {f.rule for f in rep.findings}
    inner = stripped["properties"]["capabilities"][0]
    for _ in range(600):
        inner = inner["d"]
    assert inner == {"leaf": 1}


# -- messages and the catalogue ----------------------------------------------------------------------------------

def test_messages_are_sentences_without_python_reprs(connector):
    connector.swagger["info"]["contact"]["email"] = None
    connector.swagger["paths"]["/messages/{messageId}"]["get"]["responses"] = {}
    connector.swagger["paths"]["/messages/{messageId}"]["get"]["x-ms-visibility"] = True
    found = findings_of(connector.write())
    for f in found:
        assert "None" not in f["message"] and "True" not in f["message"] and "{'" not in f["message"], f
        first = f["message"].split(" ", 1)[0]
        assert not (first.isalpha() and first.islower()), f  # a capital, unless it starts with a key (info.title)
        assert f["message"].endswith("."), f
    email = [f for f in found if f["rule"] == "PP1017"]
    assert email and email[0]["message"] == "info.contact has no email address."
    responses = [f for f in found if f["pointer"].endswith("/get/responses")]
    assert [f["rule"] for f in responses] == ["PP1037"]  # one finding for one problem, not three


def test_list_rules_text_and_json():
    text = run_cli("--list-rules")
    assert text.exit_code == 0 and "PP1050  param-summary-missing  [error]" in text.output
    assert "source: pipeline:" in text.output
    doc = json.loads(run_cli("--list-rules", "--format", "json").output)
    ids = {r["id"] for r in doc["rules"]}
    assert {"PP0007", "PP1009", "PP1050"} <= ids
    assert all(r["source"] and r["severity"] in ("error", "warning", "info") and r["name"] for r in doc["rules"])
    assert run_cli("--list-rules", "--format", "sarif").exit_code == 2
    assert run_cli().exit_code == 2


def test_errors_come_from_the_platform_the_pipeline_or_a_stated_requirement():
    """Issue 14: an error is what the platform refuses, what the certification pipeline reports as an error, or
    a requirement Microsoft states; what only reviewers ask for is a warning at most. Every rule names its source."""
    from connector.validate.findings import RULES, Severity

    assert all(r.source for r in RULES.values())
    reviewers_only = [r.id for r in RULES.values() if r.severity is Severity.ERROR and r.source.startswith("reviewers")]
    assert reviewers_only == []
