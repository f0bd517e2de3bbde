"""Every failure `connector deploy` promises a clear error for: the exit code, a message naming the fix, no
traceback, and no secret. Most are caught before paconn runs; the ones only paconn can meet run the real
paconn against the stand-in with a fault injected, so the mapping is checked on paconn's real output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.deploy.deployer import explain_failure
from connector.deploy.folder import validator_available
from connector.deploy.record import DeployRecord, record_path
from connector.deploy.runner import run_paconn
from connector.testing.standin import StandIn

from .conftest import copy_folder, deploy_env, new_secret

CLIENT_ID = "11111111-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def standin():
    with StandIn() as s:
        yield s


@pytest.fixture
def case(tmp_path, standin, built_source):
    return Case(tmp_path, standin, copy_folder(built_source, tmp_path / "build"))


class Case:
    def __init__(self, tmp: Path, standin: StandIn, folder: Path):
        self.tmp, self.standin, self.folder = tmp, standin, folder
        self.home = tmp / "home"
        self.secret = new_secret()
        standin.write_token_file(self.home)

    def env(self, secret: str | None = "default") -> dict[str, str]:
        return deploy_env(self.standin, self.home, self.secret if secret == "default" else secret)

    def run(self, *extra: str, env: dict[str, str] | None = None, environment: str | None = None,
            validate: bool = False):
        """`connector deploy` on the folder. `connector validate` is skipped unless asked for: these tests are
        about what comes after it (test_validation_gate and the end-to-end test run it)."""
        args = ["deploy", str(self.folder), "--environment", environment or self.standin.default_environment,
                "--power-apps-url", self.standin.url, "--client-id", CLIENT_ID, *extra,
                *([] if validate else ["--no-validate"])]
        calls_before = len(self.standin.calls)
        result = CliRunner().invoke(main, args, env=env if env is not None else self.env())
        self.new_calls = self.standin.calls[calls_before:]
        assert "Traceback" not in result.output
        assert self.secret not in result.output
        return result

    def edit_json(self, name: str, change) -> None:
        path = self.folder / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_missing_secret(case):
    result = case.run(env=case.env(secret=None))
    assert result.exit_code == 2
    assert "CONNECTOR_CLIENT_SECRET" in result.output
    assert case.new_calls == []  # nothing was sent


def test_missing_login(case):
    (case.home / ".paconn" / "accessTokens.json").unlink()
    result = case.run()
    assert result.exit_code == 3
    assert "paconn is not signed in" in result.output and "connector login" in result.output
    assert case.new_calls == []


def test_token_inside_paconns_margin(case):
    """paconn treats a token as expired 600 s before expires_on; deploy says so instead of paconn's
    'Access token invalid'."""
    path = case.home / ".paconn" / "accessTokens.json"
    doc = json.loads(path.read_text())
    doc["expires_on"] = int(time.time()) + 300
    path.write_text(json.dumps(doc))
    result = case.run()
    assert result.exit_code == 3
    assert "600 s" in result.output and "Sign in again" in result.output


def test_token_rejected_by_the_service(case):
    path = case.home / ".paconn" / "accessTokens.json"
    doc = json.loads(path.read_text())
    doc["access_token"] = "revoked"
    path.write_text(json.dumps(doc))
    result = case.run()
    assert result.exit_code == 3
    assert "rejected paconn's token" in result.output and "401" in result.output


def test_unknown_environment(case):
    result = case.run(environment="00000000-0000-0000-0000-00000000beef")
    assert result.exit_code == 4
    assert "environment 00000000-0000-0000-0000-00000000beef is not one" in result.output
    assert case.standin.default_environment in result.output  # the ones that exist are listed
    assert [c.operation for c in case.new_calls] == ["list-environments"]


def test_environment_display_name_hint(case):
    result = case.run(environment=case.standin.default_environment.upper())
    assert result.exit_code == 4
    assert f"did you mean {case.standin.default_environment}?" in result.output


def test_connector_id_that_does_not_exist(case):
    result = case.run("--connector-id", "shared_nothere-0000")
    assert result.exit_code == 4
    assert "connector shared_nothere-0000 (from --connector-id) does not exist" in result.output
    assert "drop it to create a new connector" in result.output
    assert [c.operation for c in case.new_calls] == ["list-environments", "get"]  # nothing uploaded


def test_stale_recorded_connector_id(case):
    DeployRecord.load(case.folder).remember(case.standin.url, case.standin.default_environment, "shared_gone-1")
    result = case.run()
    assert result.exit_code == 4
    assert f"from the record {record_path(case.folder)}" in result.output and "--create" in result.output


@pytest.mark.parametrize("extra, message", [
    (["--create", "--connector-id", "shared_x-1"], "takes no --connector-id"),
    (["--update"], "--update needs the connector id"),
    (["--power-apps-url", "api.powerapps.com"], "must be a base URL"),
    (["--connector-id", "../../etc"], "is not a connector id"),
])
def test_usage_errors(case, extra, message):
    result = case.run(*extra)
    assert result.exit_code == 2
    assert message in result.output


def test_environment_is_required(case):
    result = CliRunner().invoke(main, ["deploy", str(case.folder)], env=case.env())
    assert result.exit_code == 2 and "--environment ENV is required" in result.output


def test_client_id_placeholder_needs_a_value(case):
    case.edit_json("apiProperties.json", lambda d: d["properties"]["connectionParameters"]["token"]
                   ["oAuthSettings"].__setitem__("clientId", "[[CLIENT_ID]]"))
    args = ["deploy", str(case.folder), "--environment", case.standin.default_environment,
            "--power-apps-url", case.standin.url, "--no-validate"]
    result = CliRunner().invoke(main, args, env=case.env())
    assert result.exit_code == 2
    assert "/properties/connectionParameters/token/oAuthSettings/clientId" in result.output
    assert "--client-id" in result.output and "CONNECTOR_CLIENT_ID" in result.output


def test_secret_in_a_file_is_refused(case):
    case.edit_json("apiProperties.json", lambda d: d["properties"]["connectionParameters"]["token"]
                   ["oAuthSettings"].__setitem__("clientSecret", case.secret))
    result = case.run()
    assert result.exit_code == 1
    assert "contains the value of CONNECTOR_CLIENT_SECRET" in result.output
    assert "clientSecret holds a secret" in result.output
    assert case.new_calls == []


def test_byte_order_mark_is_refused(case):
    path = case.folder / "apiProperties.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = case.run()
    assert result.exit_code == 1
    assert "apiProperties.json: starts with a byte-order mark" in result.output


def test_missing_file_and_escaping_path(case):
    case.edit_json("settings.json", lambda d: d.update(icon="../outside.png", script="nothere.csx"))
    result = case.run()
    assert result.exit_code == 1
    assert "`icon` is '../outside.png'" in result.output and "names nothere.csx, which does not exist" in result.output


def test_missing_description_that_paconn_needs(case):
    case.edit_json(json.loads((case.folder / "settings.json").read_text())["apiDefinition"],
                   lambda d: d["info"].pop("description"))
    result = case.run()
    assert result.exit_code == 1
    assert "/info/description is required by paconn" in result.output


# ----- failures only paconn meets: the real paconn, a fault injected into the stand-in ---------------------

def test_environment_unknown_to_powerapps_mapped(case, paconn_python):
    case.standin.fail("storage", 404, "EnvironmentNotFound", "The environment could not be found.")
    result = case.run()
    assert result.exit_code == 4, result.output
    assert "was not found" in result.output and "--environment" in result.output
    assert "ERROR: 404 Client Error" in result.output  # paconn's own words are shown too


def test_rejected_definition_mapped(case, paconn_python):
    case.standin.fail("create", 400, "InvalidApiDefinition", "Operation 'X' has no summary.")
    result = case.run()
    assert result.exit_code == 1, result.output
    assert "rejected the connector at apis (400 Operation 'X' has no summary.)" in result.output
    assert not record_path(case.folder).exists()


def test_server_error_mapped(case, paconn_python):
    case.standin.fail("validate", 500, "InternalServerError", "Something broke.")
    result = case.run()
    assert result.exit_code == 1
    assert "failed at validateApiSwagger (500 Something broke.); try again later" in result.output


def test_paconn_login_message_mapped(case, paconn_python):
    """paconn's own expiry check (past our pre-flight): its real output maps to the login error."""
    path = case.home / ".paconn" / "accessTokens.json"
    doc = json.loads(path.read_text())
    doc["expires_on"] = int(time.time()) - 10
    path.write_text(json.dumps(doc))
    (case.tmp / "settings.json").write_text(json.dumps({"environment": "e", "apiDefinition": "x.json"}))
    result = run_paconn(paconn_python, ["create", "-s", "settings.json", "-w"], cwd=case.tmp, env=case.env(),
                        secret=case.secret)
    assert result.returncode != 0 and "Access token invalid" in result.output
    error = explain_failure(result, action="create", environment="e", connector_id=None, power_apps_url="u")
    assert error.exit_code == 3 and "connector login" in error.message


def test_paconn_prompt_fails_fast_and_is_mapped(case, paconn_python):
    """Standard input is closed: a question paconn asks (here: which connector, with no connectorId) fails at
    once instead of hanging CI, and is reported as a bug of ours."""
    (case.tmp / "settings.json").write_text(json.dumps({
        "environment": case.standin.default_environment, "apiDefinition": "x.json", "apiProperties": "y.json",
        "powerAppsUrl": case.standin.url}))
    started = time.monotonic()
    result = run_paconn(paconn_python, ["update", "-s", "settings.json"], cwd=case.tmp, env=case.env())
    assert time.monotonic() - started < 30
    assert result.returncode != 0
    error = explain_failure(result, action="update", environment="e", connector_id=None, power_apps_url="u")
    assert "paconn wanted to ask a question" in error.message


def _break_structure(case) -> None:
    """An operation without `responses`: Swagger 2.0 requires it; deploy's own checks do not look for it."""
    name = json.loads((case.folder / "settings.json").read_text())["apiDefinition"]
    case.edit_json(name, lambda d: next(iter(next(iter(d["paths"].values())).values())).pop("responses"))


def test_validation_gate(case, paconn_python):
    """`connector validate` runs first when that stage is installed; without it deploy says so and relies on
    its own checks. --no-validate skips it."""
    _break_structure(case)
    result = case.run(validate=True)
    if validator_available():
        assert result.exit_code == 1, result.output
        assert "connector validate: " in result.output and "--no-validate" in result.output
        assert case.new_calls == []
    else:
        assert "`connector validate` is not installed here" in result.output
    case.standin.fail("create", 400, "InvalidApiDefinition", "no responses")  # what the service would say
    skipped = case.run("--create")
    assert "passed connector validate" not in skipped.output and "not installed here" not in skipped.output
    assert [c.operation for c in case.new_calls][-1] == "create"
    assert skipped.exit_code == 1 and "(400 no responses)" in skipped.output


def test_power_apps_url_moves_the_flow_calls_too(case, paconn_python):
    """A built settings.json naming the public endpoints: --power-apps-url sends every call, the environment
    check included, to the given URL, never to the public Flow API."""
    case.edit_json("settings.json", lambda d: d.update(powerAppsUrl="https://api.powerapps.com",
                                                       flowUrl="https://api.flow.microsoft.com"))
    result = case.run()
    assert result.exit_code == 0, result.output
    assert [c.operation for c in case.new_calls][0] == "list-environments"
    assert f"at {case.standin.url}" in result.output


def test_settings_power_apps_url_is_honoured(case, paconn_python):
    case.edit_json("settings.json", lambda d: d.update(powerAppsUrl=case.standin.url, flowUrl=case.standin.url))
    args = ["deploy", str(case.folder), "--environment", case.standin.default_environment, "--client-id", CLIENT_ID,
            "--no-validate"]
    before = len(case.standin.calls)
    result = CliRunner().invoke(main, args, env=case.env())
    assert result.exit_code == 0, result.output
    ops = [c.operation for c in case.standin.calls[before:]]
    assert ops[:3] == ["list-environments", "validate", "storage"] and ops[-1] == "create"
    assert DeployRecord.load(case.folder).lookup(case.standin.url, case.standin.default_environment)
