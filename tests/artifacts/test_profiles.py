"""Build profiles: production (default) and mock, as the shared contract in HELPERS.md says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from artifact_helpers import differing
from conftest import ROOT
from connector.cli import main
from connector.generate.build import BuildContext, default_out, render
from connector.generate.profiles import apply_profile
from connector.errors import UsageError

MOCK = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def mock_files(smartdialog):
    return render(smartdialog, BuildContext(profile="mock", mock_url=MOCK))


def test_mock_swagger_points_at_the_mock(mock_files, swagger):
    doc = json.loads(mock_files["apiDefinition.swagger.json"])
    assert doc["host"] == "127.0.0.1:8765" and doc["schemes"] == ["http"]
    assert doc["basePath"] == swagger["basePath"] == "/api-integrations/v1"
    (flow,) = doc["securityDefinitions"].values()
    assert flow["authorizationUrl"] == f"{MOCK}/oauth2/v2.0/authorize"
    assert flow["tokenUrl"] == f"{MOCK}/oauth2/v2.0/token"
    assert flow["scopes"] == next(iter(swagger["securityDefinitions"].values()))["scopes"]
    assert doc["paths"] == swagger["paths"]


def test_mock_api_properties_point_at_the_mock(mock_files):
    settings = json.loads(mock_files["apiProperties.json"])["properties"]["connectionParameters"]["token"]
    assert settings["oAuthSettings"]["customParameters"] == {
        "authorizationUrl": {"value": f"{MOCK}/oauth2/v2.0/authorize"},
        "tokenUrl": {"value": f"{MOCK}/oauth2/v2.0/token"},
        "refreshUrl": {"value": f"{MOCK}/oauth2/v2.0/token"}}


def test_mock_differs_from_production_only_in_endpoints(mock_files, smartdialog):
    production = render(smartdialog)
    assert set(mock_files) == set(production)
    assert differing(production, mock_files) == {"apiDefinition.swagger.json", "apiProperties.json"}
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        text = mock_files[name].decode()
        for real in ("api.arena.fi", "b2clogin.com", '"https"'):
            assert real not in text, (name, real)


def test_a_profile_is_a_model_transformation(smartdialog):
    mock = apply_profile(smartdialog, "mock", MOCK + "/")
    assert mock.host == "127.0.0.1:8765" and mock.schemes == ("http",)
    assert mock.security.refresh_url == f"{MOCK}/oauth2/v2.0/token"
    assert mock.operations is smartdialog.operations and mock.base_path == smartdialog.base_path
    assert apply_profile(smartdialog) is smartdialog


def test_default_output_folders(smartdialog):
    assert default_out(smartdialog) == Path("build/SmartDialog")
    assert default_out(smartdialog, profile="mock") == Path("build/mock/SmartDialog")
    assert "/build/mock/" in (ROOT / ".gitignore").read_text().splitlines()


def test_cli_mock_build_lands_in_build_mock(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "--profile", "mock", "--mock-url", MOCK])
    assert result.exit_code == 0, result.output
    doc = json.loads(Path("build/mock/SmartDialog/apiDefinition.swagger.json").read_text())
    assert doc["host"] == "127.0.0.1:8765"
    assert not Path("build/SmartDialog").exists()


@pytest.mark.parametrize("args, message", [
    (["--profile", "mock"], "needs the mock server's URL"),
    (["--mock-url", MOCK], "only applies to --profile mock"),
    (["--profile", "mock", "--mock-url", "ftp://127.0.0.1:1"], "must start with http://"),
    (["--profile", "mock", "--mock-url", "127.0.0.1:8080"], "must start with http://"),
    (["--profile", "mock", "--mock-url", "http://127.0.0.1:8080/api"], "no path, query or fragment"),
    (["--profile", "mock", "--mock-url", "http://127.0.0.1:8080/?x=1"], "no path, query or fragment"),
    (["--profile", "mock", "--mock-url", "http://"], "needs a host"),
    (["--profile", "mock", "--mock-url", "http://user@127.0.0.1:1"], "needs a host"),
    (["--profile", "mock", "--mock-url", "http://127.0.0.1:0"], "port must be"),
    (["--profile", "mock", "--mock-url", "http://127.0.0.1:99999"], "port must be"),
    (["--profile", "staging"], "Invalid value for '--profile'"),
])
def test_usage_errors(tmp_path, args, message):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "o"), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_api_level_usage_error(smartdialog):
    with pytest.raises(UsageError):
        render(smartdialog, BuildContext(profile="mock"))
