"""A fully compliant connector (the shape our own SmartDialog output has) passes with nothing to report."""

import json
from pathlib import Path

from .conftest import FIXTURE, findings_of, run_cli


def test_compliant_fixture_has_no_findings():
    assert findings_of(FIXTURE) == []


def test_compliant_fixture_exit_code_and_text():
    result = run_cli(str(FIXTURE))
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s), 0 info in 5 file(s) checked" in result.output


def test_each_file_alone_is_clean():
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "icon.png", "script.csx", "settings.json"):
        assert findings_of(FIXTURE / name) == [], name


def test_json_report_shape(connector):
    del connector.swagger["info"]["contact"]
    root = connector.write()
    result = run_cli("--format", "json", str(root))
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"]["error"] == 1
    (f,) = doc["findings"]
    assert f["rule"] == "PP1016" and f["name"] == "contact-missing" and f["severity"] == "error"
    assert f["file"].endswith("apiDefinition.swagger.json") and f["pointer"] == "/info"
    assert f["fix"]


def test_our_generated_smartdialog_has_no_errors_and_no_warnings():
    build = Path(__file__).resolve().parents[2] / "build" / "SmartDialog"
    findings = findings_of(build)
    assert {f["file"].rsplit("/", 1)[-1] for f in findings} <= {"readme.md"}
    assert [f for f in findings if f["severity"] in ("error", "warning")] == []
