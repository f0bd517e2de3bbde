"""Contract tests against the real `connector mock` (a server process on a free port), with the folder that
`connector build --profile mock` writes and its script.csx compiled by mcs and run by mono between client
and server, as the platform runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import connector.smartdialog.plugins  # noqa: F401  (registers SmartDialog's scenario pack, as the CLI does)
from connector.contract.client import PlatformClient
from connector.contract.folder import ConnectorFolder, ContractFailure
from connector.contract.mockproc import MockServer
from connector.contract.oauth import OAuthSession, StaticToken
from connector.contract.receiver import CallbackReceiver
from connector.contract.retry import RetryPolicy
from connector.contract.runner import run_scenarios, scenario_set
from connector.contract.script import transport_for
from connector.contract.session import INBOUND_PATH, build_mock_folder, make_injector
from connector.contract.transport import DirectTransport, ScriptTransport

ROOT = Path(__file__).resolve().parents[2]
CONNECTOR = [sys.executable, "-c", "from connector.cli import main; main()"]


@pytest.fixture(scope="module")
def mock():
    with MockServer(rate_limit=100_000) as server:
        yield server


@pytest.fixture(scope="module")
def built(mock, tmp_path_factory):
    return build_mock_folder(tmp_path_factory.mktemp("build") / "SmartDialog", mock.url)


def make_client(folder_path: Path, mock: MockServer, receiver: CallbackReceiver, **kw) -> PlatformClient:
    folder = ConnectorFolder.load(folder_path)
    auth = OAuthSession(folder.oauth(), mock.client_id, mock.client_secret, receiver.base_url + "/oauth/redirect",
                        {"prompt": "none", "login_hint": "demo"})
    return PlatformClient(folder, transport_for(folder, DirectTransport()), auth=auth, retry=RetryPolicy.fast(),
                          receiver=receiver, **kw)


def run(folder_path: Path, mock: MockServer, only: set[str] | None = None, inject: bool = True):
    with CallbackReceiver() as receiver:
        client = make_client(folder_path, mock, receiver)
        try:
            scenarios, problems = scenario_set(client.folder).for_folder(client.folder)
            assert problems == []
            if only:
                scenarios = [s for s in scenarios if s.name in only]
            outcomes = run_scenarios(client, scenarios, make_injector(mock.url + INBOUND_PATH) if inject else None,
                                     notification_timeout=5.0, quiet_period=1.0)
            return {o.name: o for o in outcomes}, client
        finally:
            client.close()


def broken_copy(src: Path, dst: Path, swagger=None, script=None) -> Path:
    shutil.copytree(src, dst)
    if swagger:
        path = dst / "apiDefinition.swagger.json"
        doc = json.loads(path.read_text())
        swagger(doc)
        path.write_text(json.dumps(doc, indent=2))
    if script:
        path = dst / "script.csx"
        path.write_text(script(path.read_text()))
    return dst


def dv(doc, path, method, name):
    op = doc["paths"][path][method]
    return next(p for p in op["parameters"] if p["name"] == name)["x-ms-dynamic-values"]


# -- every visible action and the trigger ------------------------------------------------------------------
def test_every_visible_action_and_the_trigger_pass_against_the_mock(built, mock):
    outcomes, client = run(built, mock)
    visible = [op.id for op in client.folder.visible_operations()]
    assert sorted(outcomes) == sorted(visible)
    assert len(visible) == 13 and any(client.folder.operation(v).is_trigger for v in visible)
    failed = {name: o.detail for name, o in outcomes.items() if o.status != "PASS"}
    assert failed == {}
    # the script really ran between client and server, for every script operation called
    assert isinstance(client.transport, ScriptTransport)
    assert "NewMessage" in client.transport.runs and "DeleteTrigger" in client.transport.runs
    # the scenarios looked at state, not only at answers
    assert "duplicate RequestId refused (409)" in outcomes["SendMessage"].detail
    assert "deleted via Location; nothing after" in outcomes["NewMessage"].detail
    assert "'Group 5202/B'" in outcomes["CreateGroupContact"].detail  # a path value with a space and a slash


def test_without_a_way_to_inject_inbound_messages_those_steps_are_skipped(built, mock):
    """What a real account gives: the trigger is still registered and deleted through Location."""
    outcomes, client = run(built, mock, {"NewMessage", "SendDiscussionReplyMessage"}, inject=False)
    assert {n: o.status for n, o in outcomes.items()} == {"NewMessage": "SKIP", "SendDiscussionReplyMessage": "SKIP"}
    assert outcomes["NewMessage"].detail.startswith("registered on service 5101, deleted via Location; no way")
    assert [c.operation_id for c in client.calls if c.method == "DELETE"] == ["DeleteTrigger"]


# -- broken copies the client must catch, naming the place -------------------------------------------------
def test_dropdown_value_path_that_does_not_exist(built, mock, tmp_path):
    def edit(doc):
        dv(doc, "/messages", "post", "Customer-Id")["value-path"] = "customerNumber"
    outcomes, _ = run(broken_copy(built, tmp_path / "c", swagger=edit), mock, {"SendMessage"})
    o = outcomes["SendMessage"]
    assert o.status == "FAIL"
    assert o.detail == ("SendMessage parameter 'Customer-Id': value-path 'customerNumber' does not resolve in item 0 "
                        "of the answer of GetUserCustomers (no /customerUsers/0/customerNumber)")


def test_dropdown_reference_to_a_missing_parameter(built, mock, tmp_path):
    def edit(doc):
        dv(doc, "/messages", "post", "Service-Id")["parameters"]["Customer-Id"] = {"parameter": "Customer"}
    outcomes, _ = run(broken_copy(built, tmp_path / "c", swagger=edit), mock, {"SendMessage"})
    o = outcomes["SendMessage"]
    assert o.status == "FAIL"
    assert o.detail == ("SendMessage parameter 'Service-Id': x-ms-dynamic-values argument 'Customer-Id' refers to "
                        "parameter 'Customer', which SendMessage does not have")


def test_notification_schema_that_does_not_match(built, mock, tmp_path):
    def edit(doc):
        schema = doc["paths"]["/service/{Service}/pipelines/actions"]["x-ms-notification-content"]["schema"]
        schema["properties"]["timestamp"]["type"] = "integer"
    outcomes, _ = run(broken_copy(built, tmp_path / "c", swagger=edit), mock, {"NewMessage"})
    o = outcomes["NewMessage"]
    assert o.status == "FAIL"
    assert o.detail.startswith("NewMessage x-ms-notification-content "
                               "(/paths/~1service~1{Service}~1pipelines~1actions/x-ms-notification-content): "
                               "at /timestamp: ")
    assert "is not of type 'integer'" in o.detail


def test_script_that_drops_the_location_header(built, mock, tmp_path):
    def edit(text):
        assert "response.Headers.Location = " in text
        return text.replace("response.Headers.Location = ", "var dropped = ")
    outcomes, _ = run(broken_copy(built, tmp_path / "c", script=edit), mock, {"NewMessage"})
    o = outcomes["NewMessage"]
    assert o.status == "FAIL"
    assert o.detail == ("NewMessage: the registration answer (201) has no Location header; the platform could never "
                        "delete this webhook")


def test_path_parameter_encoded_twice(built, mock, tmp_path):
    def edit(doc):
        for method in ("get", "put", "delete"):
            for p in doc["paths"]["/groupcontact/{Customer}/{Group Service}/{Phone}"][method]["parameters"]:
                if p["name"] == "Group Service":
                    p["x-ms-url-encoding"] = "double"
    outcomes, _ = run(broken_copy(built, tmp_path / "c", swagger=edit), mock, {"UpdateGroupContact"})
    o = outcomes["UpdateGroupContact"]
    assert o.status == "FAIL"
    assert o.detail.startswith("UpdateGroupContact: PUT /api-integrations/v1/groupcontact/1001/Group%25205202%252FB/")
    assert "answered 404" in o.detail


# -- the platform's runtime moves against the mock ---------------------------------------------------------
def test_token_refresh_on_expiry_and_on_401(built, mock):
    with CallbackReceiver() as receiver:
        client = make_client(built, mock, receiver)
        try:
            client.call("GetUserCustomers")
            client.auth.grant.expires_at = 0  # expired: refreshed at the refresh URL before the call
            client.call("GetUserCustomers")
            assert client.auth.refreshes == 1
            client.auth.grant.access_token = "revoked"  # the service says 401: refresh once and retry
            client.call("GetUserCustomers")
            assert client.auth.refreshes == 2
            assert [c.status for c in client.calls] == [200, 200, 401, 200]
        finally:
            client.close()


def test_throttling_is_retried_after_retry_after(tmp_path):
    with MockServer(rate_limit=3, rate_window=0.3) as throttled, CallbackReceiver() as receiver:
        folder = build_mock_folder(tmp_path / "SmartDialog", throttled.url)
        client = make_client(folder, throttled, receiver)
        client.retry = RetryPolicy(time_scale=0.4)  # Retry-After 1 s -> 0.4 s, past the 0.3 s window
        try:
            for _ in range(7):
                client.call("GetPhoneNumberRegions")
            statuses = [c.status for c in client.calls]
            assert statuses.count(429) >= 1 and statuses[-1] == 200
            assert client.retry.waits and all(w == pytest.approx(0.4) for w in client.retry.waits)
        finally:
            client.close()


def test_bearer_token_without_refresh_reports_401(built, mock):
    folder = ConnectorFolder.load(built)
    client = PlatformClient(folder, DirectTransport(), auth=StaticToken("not-a-token"), retry=RetryPolicy.fast())
    with pytest.raises(ContractFailure, match=r"^GetUserCustomers: GET /api-integrations/v1/customers answered 401"):
        client.call("GetUserCustomers")
    client.close()


# -- the command -------------------------------------------------------------------------------------------
def test_connector_contract_starts_the_mock_and_runs_scenarios_and_schemathesis():
    start = time.perf_counter()
    proc = subprocess.run([*CONNECTOR, "contract"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    seconds = time.perf_counter() - start
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    lines = out.splitlines()
    scenario_lines = [line for line in lines if line.startswith(("PASS  ", "FAIL  ", "SKIP  "))]
    assert len(scenario_lines) == 14  # 13 scenarios + schemathesis
    assert all(line.startswith("PASS") for line in scenario_lines)
    schemathesis = next(line for line in lines if "schemathesis" in line and line.startswith("PASS"))
    assert ", 0 failures, 0 errors" in schemathesis and "21 operations" in schemathesis
    assert lines[-1].startswith("13 scenarios: 13 passed, 0 failed; schemathesis passed (")
    print(f"\nconnector contract (scenarios + schemathesis): {seconds:.1f}s")


def test_connector_contract_exits_1_on_a_broken_folder(built, tmp_path):
    def edit(doc):
        dv(doc, "/messages", "post", "Customer-Id")["value-collection"] = "customers"
    broken = broken_copy(built, tmp_path / "SmartDialog", swagger=edit)
    proc = subprocess.run([*CONNECTOR, "contract", str(broken), "--no-schemathesis"], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert ("FAIL  SendMessage" in proc.stdout and "SendMessage parameter 'Customer-Id': value-collection 'customers' "
            "does not resolve in the answer of GetUserCustomers (no /customers)" in proc.stdout)
    assert "Error: the contract run failed" in proc.stderr and "Traceback" not in proc.stderr


def test_a_production_folder_against_the_local_mock_is_refused_before_anything_starts():
    proc = subprocess.run([*CONNECTOR, "contract", str(ROOT / "build" / "SmartDialog")], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""  # no mock was started
    assert "is built for https://api.arena.fi/api-integrations/v1" in proc.stderr
    assert "--profile mock --mock-url" in proc.stderr and "Traceback" not in proc.stderr


def test_connector_contract_with_base_url_and_token(mock):
    """The real-account path (`--base-url ... --token ...`, the production folder), against a mock started
    here: the same scenarios, no schemathesis."""
    with CallbackReceiver() as receiver:
        folder = ConnectorFolder.load(ROOT / "build" / "SmartDialog")
        settings = folder.oauth()
        from dataclasses import replace

        settings = replace(settings, authorization_url=mock.url + "/oauth2/v2.0/authorize",
                           token_url=mock.url + "/oauth2/v2.0/token", refresh_url=mock.url + "/oauth2/v2.0/token")
        token = OAuthSession(settings, mock.client_id, mock.client_secret, receiver.base_url + "/cb",
                             {"prompt": "none", "login_hint": "demo"}).token()
    proc = subprocess.run([*CONNECTOR, "contract", str(ROOT / "build" / "SmartDialog"), "--base-url",
                           mock.url + "/api-integrations/v1", "--token", token, "--inbound-url", mock.url + INBOUND_PATH],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "schemathesis" not in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("13 scenarios: 13 passed, 0 failed (")


@pytest.mark.skipif(not (os.environ.get("CONNECTOR_CONTRACT_BASE_URL") and os.environ.get("CONNECTOR_TOKEN")),
                    reason="no SmartDialog account here: set CONNECTOR_CONTRACT_BASE_URL and CONNECTOR_TOKEN")
def test_connector_contract_against_a_real_account():
    proc = subprocess.run([*CONNECTOR, "contract", str(ROOT / "build" / "SmartDialog"), "--base-url",
                           os.environ["CONNECTOR_CONTRACT_BASE_URL"]], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_script_that_does_not_compile_is_reported_without_a_traceback(built, tmp_path):
    def edit(text):
        return text.replace("public class Script", "public class Script { int broken = ; }\npublic class Unused", 1)
    folder = broken_copy(built, tmp_path / "c", script=edit)
    run = subprocess.run([*CONNECTOR, "contract", str(folder), "--no-schemathesis"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "Error: script.csx" in run.stderr and "does not compile" in run.stderr
