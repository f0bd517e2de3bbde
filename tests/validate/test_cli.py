"""The command as users meet it: formats, exit codes, configuration and suppression, the installed script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURE, findings_of, run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_missing_path_is_usage_error(tmp_path):
    result = run_cli(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_file_kind_is_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run_cli(str(tmp_path / "notes.txt"))
    assert result.exit_code == 2 and "not a connector file" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file_is_usage_error(tmp_path):
    f = tmp_path / "apiProperties.json"
    f.write_text("{}")
    f.chmod(0)
    assert run_cli(str(f)).exit_code == 2


def test_invalid_json_is_an_error_finding_with_line_and_column(tmp_path):
    f = tmp_path / "apiDefinition.swagger.json"
    f.write_text('{\n  "swagger": "2.0",\n  "info": ,\n}')
    result = run_cli("--format", "json", str(f))
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)["findings"]
    assert finding["rule"] == "PP0001" and finding["line"] == 3 and finding["column"] == 11


def test_text_report_groups_by_file_with_positions(connector):
    del connector.swagger["paths"]["/messages/{messageId}"]["get"]["parameters"][0]["description"]
    connector.props["properties"]["iconBrandColor"] = "#ffffff"
    root = connector.write()
    result = run_cli(str(root))
    assert result.exit_code == 1
    out = result.output
    assert "\x1b[" not in out  # no colour when not a terminal
    swagger_at = out.index("apiDefinition.swagger.json\n")
    props_at = out.index("apiProperties.json\n")
    assert swagger_at < out.index("PP1051") < props_at < out.index("PP2003")
    assert "/paths/~1messages~1{messageId}/get/parameters/0" in out
    assert "fix: " in out
    assert "3 error(s), 0 warning(s), 0 info in 5 file(s) checked" in out  # PP1051, PP2003, PP3005 (icon vs colour)


def test_sarif_report(connector):
    connector.swagger["info"]["title"] = "Smart Dialog API"
    root = connector.write()
    result = run_cli("--format", "sarif", str(root))
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    (res,) = run["results"]
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "PP1012"
    assert res["level"] == "error"
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("apiDefinition.swagger.json")
    assert loc["physicalLocation"]["region"]["startLine"] == 4
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "/info/title"


def test_sarif_validates_against_schema(connector):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-subset.schema.json").read_text())
    connector.swagger["info"]["title"] = "Smart Dialog."
    connector.script = "using System.Net.Sockets;\n" + connector.script
    root = connector.write()
    sarif = json.loads(run_cli("--format", "sarif", str(root)).output)
    jsonschema.validate(sarif, schema)


def test_output_is_deterministic(connector):
    connector.swagger["paths"]["/messages/{messageId}"]["get"]["summary"] = "Get/put"
    root = connector.write()
    a = run_cli("--format", "json", str(root)).output
    b = run_cli("--format", "json", str(root)).output
    assert a == b


def test_pyproject_disables_rules(connector):
    connector.swagger["info"]["title"] = "Smart Dialog API"
    root = connector.write()
    assert {f["rule"] for f in findings_of(root)} == {"PP1012"}
    (root.parent / "pyproject.toml").write_text('[tool.connector.validate]\ndisable = ["title-restricted-word"]\n')
    assert findings_of(root) == []


def test_json_suppression_applies_to_node_and_below(connector):
    get = connector.swagger["paths"]["/messages/{messageId}"]["get"]
    del get["parameters"][0]["x-ms-summary"]
    del get["parameters"][1]["x-ms-summary"]
    get["parameters"][0]["x-connector-suppress"] = ["PP1050"]
    root = connector.write()
    found = [(f["rule"], f["pointer"]) for f in findings_of(root)]
    assert found == [("PP1050", "/paths/~1messages~1{messageId}/get/parameters/1")]
    get["x-connector-suppress"] = ["param-summary-missing"]
    root = connector.write()
    assert findings_of(root) == []


def test_csharp_file_suppression(connector):
    connector.script = "// connector: disable-file=PP4004\nusing System.Net.Sockets;\n" + connector.script
    root = connector.write()
    assert findings_of(root / "script.csx") == []


def test_installed_command_runs_as_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("connector")
    if not exe.exists():
        exe = ROOT / ".venv" / "bin" / "connector"
    ok = subprocess.run([str(exe), "validate", str(FIXTURE)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "0 error(s), 0 warning(s)" in ok.stdout
    bad = tmp_path / "apiProperties.json"
    bad.write_text('{"properties": {"iconBrandColor": "#ffffff"}}')
    res = subprocess.run([str(exe), "validate", "--format", "json", str(bad)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "PP2003" in {f["rule"] for f in json.loads(res.stdout)["findings"]}
    missing = subprocess.run([str(exe), "validate", str(tmp_path / "none")], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_text_and_json_reports_read_top_to_bottom(connector):
    """Findings of a file are listed in the order they stand in it, with line and column in both views."""
    connector.swagger["paths"]["/messages/{messageId}"]["get"]["parameters"][0].pop("x-ms-summary")
    del connector.swagger["info"]["contact"]
    root = connector.write()
    doc = json.loads(run_cli("--format", "json", str(root)).output)
    lines = [f["line"] for f in doc["findings"] if f["file"].endswith(".swagger.json")]
    assert len(lines) >= 2 and all(isinstance(n, int) for n in lines) and lines == sorted(lines)
    text = run_cli(str(root)).output
    shown = [int(l.split(":")[0]) for l in text.splitlines() if l.startswith("  ") and l.strip()[0].isdigit()]
    assert shown == sorted(shown) and len(shown) >= 2
