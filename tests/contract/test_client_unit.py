"""The platform-like client's moves, one by one, against a tiny hand-written connector and service."""

from __future__ import annotations

import json

import pytest

from connector.contract.client import PICK, PlatformClient
from connector.contract.folder import ConnectorFolder, ContractFailure
from connector.contract.oauth import OAuthSession
from connector.contract.receiver import CallbackReceiver
from connector.contract.retry import RetryPolicy
from connector.contract.transport import DirectTransport

from contract_tinyapp import Served, Tiny, tiny_folder


@pytest.fixture(scope="module")
def tiny():
    t = Tiny()
    served = Served(t)
    yield t, served.url
    served.close()


@pytest.fixture
def client(tiny, tmp_path):
    t, url = tiny
    t.flaky.clear()
    t.hooks.clear()
    t.location = "absolute"
    t.items_key = "id"
    folder = ConnectorFolder.load(tiny_folder(tmp_path / "Tiny", url))
    receiver = CallbackReceiver()
    auth = OAuthSession(folder.oauth(), "tiny", "s3cret", receiver.base_url + "/oauth/redirect",
                        {"prompt": "none", "login_hint": "demo"})
    c = PlatformClient(folder, DirectTransport(), auth=auth, retry=RetryPolicy.fast(), receiver=receiver)
    yield c
    c.close()
    receiver.close()


def test_dropdowns_defaults_and_path_encoding(tiny, client):
    t, _ = tiny
    values, seen = client.prepare("CreateThing", {"body": {"name": "x", "color": PICK}})
    assert values["Thing Kind"] == "a b/c"  # first option of the dropdown, value-path "id"
    assert [o.title for o in seen["CreateThing parameter 'Thing Kind'"]] == ["Spaced", "Plain"]
    assert values["body"]["color"] == "red"  # no value-path: the items are the values
    answer = client.call("CreateThing", values)
    sent = t.seen[-1]
    assert sent["raw_path"] == "/v1/things/a%20b%2Fc"  # x-ms-url-encoding single
    assert sent["headers"]["mode"] == "fast"  # internal header default
    assert json.loads(sent["body"]) == {"name": "x", "color": "red", "meta": {"source": "flow"}}
    assert answer.data["kind"] == "a b/c"


def test_double_encoding(tiny, client):
    t, _ = tiny
    op = client.folder.operation("CreateThing")
    op.parameters[0]["x-ms-url-encoding"] = "double"
    client.call("CreateThing", {"Thing Kind": "a b", "body": {"name": "x"}})
    assert t.seen[-1]["raw_path"] == "/v1/things/a%2520b"


def test_value_path_that_does_not_resolve_names_the_place(tiny, client):
    t, _ = tiny
    t.items_key = "key"
    with pytest.raises(ContractFailure) as exc:
        client.prepare("CreateThing", {"body": {"name": "x"}})
    assert "CreateThing parameter 'Thing Kind'" in str(exc.value)
    assert "value-path 'id' does not resolve in item 0 of the answer of ListKinds (no /kinds/0/id)" in str(exc.value)


def test_reference_to_a_missing_parameter(client):
    path = client.folder.path / "apiDefinition.swagger.json"
    swagger = json.loads(path.read_text())
    swagger["paths"]["/kinds"]["get"]["parameters"] = [{"name": "region", "in": "query", "type": "string"}]
    dv = swagger["paths"]["/things/{Thing Kind}"]["post"]["parameters"][0]["x-ms-dynamic-values"]
    dv["parameters"] = {"region": {"parameter": "Region"}}
    path.write_text(json.dumps(swagger))
    client.folder = ConnectorFolder.load(client.folder.path)
    with pytest.raises(ContractFailure) as exc:
        client.prepare("CreateThing", {"body": {"name": "x"}})
    assert str(exc.value) == ("CreateThing parameter 'Thing Kind': x-ms-dynamic-values argument 'region' refers to "
                              "parameter 'Region', which CreateThing does not have")


def test_response_schema_mismatch_names_operation_and_pointer(tiny, client):
    client.folder.swagger["definitions"]["Thing"]["properties"]["id"] = {"type": "integer"}
    with pytest.raises(ContractFailure) as exc:
        client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert str(exc.value).startswith("CreateThing response 200: at /id: 't1' is not of type 'integer'")


def test_retries_429_and_5xx_honouring_retry_after(tiny, client):
    t, _ = tiny
    t.flaky[:] = [(429, {"Retry-After": "2"}), (503, {}), (500, {})]
    answer = client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert answer.attempts == 4
    waits = client.retry.waits
    assert waits[0] == pytest.approx(0.002)  # Retry-After 2 s, scaled to ms
    assert 0.0075 <= waits[1] <= 0.015 and 0.015 <= waits[2] <= 0.030  # retries 2 and 3 of the policy


def test_gives_up_after_four_retries(tiny, client):
    t, _ = tiny
    t.flaky[:] = [(503, {})] * 6
    with pytest.raises(ContractFailure, match="answered 503"):
        client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert len(t.flaky) == 1  # 1 try + 4 retries


def test_no_retry_on_400(tiny, client):
    t, _ = tiny
    t.flaky[:] = [(400, {})]
    with pytest.raises(ContractFailure, match="answered 400"):
        client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert client.retry.waits == []


def test_policy_intervals_in_production_units():
    p = RetryPolicy()
    assert [p.interval_range(n) for n in (1, 2, 3, 4)] == [(5, 7.5), (7.5, 15), (15, 30), (30, 45)]


def test_refresh_on_expiry_and_on_401(tiny, client):
    t, _ = tiny
    client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    first = client.auth.grant.access_token
    t.tokens[first] = 0  # the service forgets the token: 401, then one refresh
    client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert client.auth.refreshes == 1 and client.auth.grant.access_token != first
    client.auth.grant.expires_at = 0  # expired by the clock: refreshed before sending
    client.call("CreateThing", {"Thing Kind": "k", "body": {"name": "x"}})
    assert client.auth.refreshes == 2


@pytest.mark.parametrize("mode", ["absolute", "relative"])
def test_webhook_register_notify_delete(tiny, client, mode):
    t, url = tiny
    t.location = mode
    sub = client.subscribe("OnEvent", {})
    assert sub.location.startswith(url + "/v1/hooks/")
    import httpx
    httpx.post(url + "/fire", json={"event": "created"})
    assert client.notification(sub, 5) == {"event": "created"}
    client.unsubscribe(sub)
    assert t.hooks == {}
    httpx.post(url + "/fire", json={"event": "again"})
    assert client.notification(sub, 0.3) is None


def test_webhook_without_location_cannot_be_deleted(tiny, client):
    t, _ = tiny
    t.location = "none"
    with pytest.raises(ContractFailure, match="has no Location header; the platform could never delete this "
                                              "webhook"):
        client.subscribe("OnEvent", {})


def test_notification_schema_mismatch(tiny, client):
    t, url = tiny
    t.location = "absolute"
    sub = client.subscribe("OnEvent", {})
    import httpx
    httpx.post(url + "/fire", json={"other": 1})
    with pytest.raises(ContractFailure) as exc:
        client.notification(sub, 5)
    assert "OnEvent x-ms-notification-content" in str(exc.value) and "'event' is a required property" in str(exc.value)
    client.unsubscribe(sub)


def test_unknown_parameter_is_refused(client):
    with pytest.raises(ContractFailure, match="CreateThing: has no parameter 'Kind'"):
        client.call("CreateThing", {"Kind": "x"})
