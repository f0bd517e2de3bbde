"""script.csx: compiled by Debian's mcs (C# 7) against our harness and executed, one test per transform.

The forwarded requests go to a real HTTP server on 127.0.0.1 (or get a canned answer), as the platform's
Context.SendAsync would send them to the service.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import quote

import pytest

from artifact_helpers import Recorder, allowed_namespaces
from conftest import BUILD
from connector.generate.build import render
from connector.generate.script import script_csx
from connector.model import (SUBSCRIPTION_ID, Connector, CorrelationIdHeader, Operation, Ref, Response,
                             WebhookLocation, body, header, object_schema, path, string)
from connector.script_runtime import (HttpRequest, HttpResponse, ScriptCompileError, ScriptFailed, ScriptHost)

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """The committed SmartDialog script, compiled once for the module."""
    with ScriptHost(BUILD / "script.csx", workdir=tmp_path_factory.mktemp("sd-script")) as h:
        yield h


@pytest.fixture()
def server():
    with Recorder() as s:
        yield s


def api(swagger: dict, server_url: str, op_path: str) -> str:
    return server_url + swagger["basePath"] + op_path


def test_uses_only_the_namespaces_the_platform_allows():
    text = (BUILD / "script.csx").read_text(encoding="utf-8")
    used = re.findall(r"^\s*using\s+([A-Za-z0-9_.]+)\s*;", text, flags=re.M)
    assert used and set(used) <= set(allowed_namespaces()), set(used) - set(allowed_namespaces())
    assert "public class Script : ScriptBase" in text
    assert "public override async Task<HttpResponseMessage> ExecuteAsync()" in text
    assert "new HttpClient" not in text  # the platform wants Context.SendAsync


def test_compiles_as_c_sharp_7_without_warnings(host):
    assert host.exe is not None and host.exe.is_file()
    assert host.warnings == []


def test_every_request_gets_the_correlation_id(host, server, swagger):
    server.routes[("POST", swagger["basePath"] + "/messages")] = (200, JSON, b'{"MessageId": "m1"}')
    sent = b'{"Sender": "Arena", "Content": "Hei", "Protocol": "SMS", "Recipients": [{"Address": "+358"}]}'
    run = host.run("SendMessage", HttpRequest("POST", api(swagger, server.url, "/messages"),
                                              {**JSON, "Customer-Id": "c1", "Service-Id": "s1"}, sent),
                   correlation_id="corr-123")
    (seen,) = server.requests
    assert seen["headers"]["x-correlation-id"] == "corr-123"
    assert seen["headers"]["customer-id"] == "c1" and seen["body"] == sent  # the rest goes through as is
    assert run.response.status == 200 and run.response.json() == {"MessageId": "m1"}
    assert run.response.header("Location") is None


def test_a_correlation_id_the_request_already_had_is_replaced(host, server, swagger):
    server.routes[("GET", swagger["basePath"] + "/customers")] = (200, JSON, b'{"customerUsers": []}')
    host.run("GetUserCustomers", HttpRequest("GET", api(swagger, server.url, "/customers"),
                                             {"x-correlation-id": "stale"}), correlation_id="fresh")
    assert [r["headers"]["x-correlation-id"] for r in server.requests] == ["fresh"]


def test_webhook_registration_gets_a_location_pointing_at_delete_trigger(host, server, swagger):
    base = swagger["basePath"]
    server.routes[("POST", f"{base}/service/svc-7/pipelines/actions")] = (201, JSON, b'{"id": "sub-42"}')
    registration = json.dumps({"name": "n", "actionType": "HttpRequest", "description": "d",
                               "options": {"endpointUrl": "https://flow/cb", "httpVerb": "POST"}}).encode()
    run = host.run("NewMessage", HttpRequest("POST", api(swagger, server.url, "/service/svc-7/pipelines/actions"),
                                             {**JSON, "Customer": "c1"}, registration), correlation_id="c")
    assert run.response.status == 201 and run.response.json() == {"id": "sub-42"}
    # expected from the swagger, not from the generator: DeleteTrigger's path, Pipeline-Id = the Service
    delete_path = next(p for p, item in swagger["paths"].items()
                       if item.get("delete", {}).get("operationId") == "DeleteTrigger")
    expected = server.url + base + delete_path.replace("{Pipeline-Id}", "svc-7").replace("{Action-Id}", "sub-42")
    assert run.response.header("Location") == expected
    assert server.requests[0]["headers"]["x-correlation-id"] == "c"
    assert server.requests[0]["body"] == registration


def test_the_location_works_for_deleting(host, server, swagger):
    """Follow the Location as the platform does when the flow is turned off: DELETE reaches DeleteTrigger."""
    base = swagger["basePath"]
    server.routes[("POST", f"{base}/service/s1/pipelines/actions")] = (201, JSON, b'{"id": "a9"}')
    server.routes[("DELETE", f"{base}/pipelines/s1/actions/a9")] = (204, {}, b"")
    run = host.run("NewMessage", HttpRequest("POST", api(swagger, server.url, "/service/s1/pipelines/actions"),
                                             JSON, b"{}"))
    location = run.response.header("Location")
    deleted = host.run("DeleteTrigger", HttpRequest("DELETE", location), correlation_id="bye")
    assert deleted.response.status == 204 and deleted.response.header("Location") is None
    assert server.requests[-1]["method"] == "DELETE" and server.requests[-1]["headers"]["x-correlation-id"] == "bye"


def test_ids_are_escaped_in_the_location(host, swagger):
    url = f"https://api.arena.fi{swagger['basePath']}/service/{quote('two way', safe='')}/pipelines/actions"
    run = host.run("NewMessage", HttpRequest("POST", url, JSON, b"{}"),
                   upstream=HttpResponse(201, JSON, b'{"id": "a/b?c"}'))
    assert run.response.header("Location") == \
        f"https://api.arena.fi{swagger['basePath']}/pipelines/two%20way/actions/a%2Fb%3Fc"


@pytest.mark.parametrize("answer", [
    HttpResponse(400, JSON, b'{"id": "x", "error": "bad"}'),  # a failed registration: nothing to delete
    HttpResponse(201, JSON, b'{"other": "x"}'),                # no subscription id in the answer
    HttpResponse(201, {"Content-Type": "text/plain"}, b"created"),  # not JSON
])
def test_no_location_when_the_answer_gives_no_subscription(host, swagger, answer):
    url = f"https://api.arena.fi{swagger['basePath']}/service/s/pipelines/actions"
    run = host.run("NewMessage", HttpRequest("POST", url, JSON, b"{}"), upstream=answer)
    assert run.response.header("Location") is None
    assert (run.response.status, run.response.body) == (answer.status, answer.body)
    if answer.status == 201:
        assert any(level == "Warning" and "Location not set" in text for level, text in run.logs), run.logs


@pytest.mark.parametrize("operation_id", ["SendMessage", "DeleteTrigger", "GetUserCustomers", "CreateGroupContact"])
def test_other_operations_are_untouched_apart_from_the_header(host, operation_id, smartdialog, swagger):
    """Same answer as NewMessage's (201 with an id): only NewMessage turns it into a Location."""
    op = smartdialog.operation(operation_id)
    url = "https://api.arena.fi" + swagger["basePath"] + re.sub(r"{[^}]+}", "v", op.path)
    sent = b'{"a": 1}' if op.body else None
    answer = HttpResponse(201, {**JSON, "X-Server": "s"}, b'{"id": "sub"}')
    run = host.run(operation_id, HttpRequest(op.method, url, {"Accept": "application/json"}, sent),
                   upstream=answer, correlation_id="k")
    assert run.response.status == 201 and run.response.body == answer.body
    assert run.response.header("Location") is None and run.response.header("X-Server") == "s"
    (forwarded,) = run.forwarded
    assert (forwarded.method, forwarded.url, forwarded.body) == (op.method, url, sent)
    assert forwarded.header("x-correlation-id") == "k" and forwarded.header("Accept") == "application/json"


def test_the_generated_script_is_the_committed_one(smartdialog):
    assert script_csx(smartdialog).encode() == (BUILD / "script.csx").read_bytes()


# -- transform variants on a small connector of their own ------------------------------------------------

Remove = Operation(id="RemoveHook", method="DELETE", path="/hooks/{Tenant}/{Hook}/{Kind}", visibility="internal",
                   summary="Remove hook", description="Removes a hook.",
                   parameters=(path("Tenant", label="Tenant", description="Tenant."), path("Hook", label="Hook", description="Hook."),
                               path("Kind", label="Kind", description="Kind.")),
                   responses=(Response(status="204", description="Gone."),))
Subscribe = Operation(id="OnEvent", method="POST", path="/events/{Kind}/subscriptions", trigger="single",
                      summary="When an event happens", description="Fires on events.",
                      parameters=(header("X-Tenant", label="Tenant", description="The tenant.", required=True),
                                  path("Kind", label="Kind", description="Event kind."),
                                  body(object_schema(string("url", label="Url", description="Callback.", required=True,
                                                            visibility="internal", notification_url=True)))),
                      responses=(Response(status="200", description="Subscribed."),),
                      webhook_delete=Remove, subscription_id="data/hook")
Ping = Operation(id="Ping", method="GET", path="/ping", summary="Ping", description="Pings the service.",
                 responses=(Response(status="200", description="Pong."),))
Other = replace(Ping, id="Other", path="/other", summary="Other", description="Another call.")

EVENTS = Connector(title="Events", description="A connector for testing script transforms in isolation.",
                   host="events.example", base_path="/", operations=(Subscribe, Remove, Ping, Other),
                   transforms=(CorrelationIdHeader(header="X-Request-Id", operations=(Ping, "OnEvent")),
                               WebhookLocation(trigger=Subscribe, args={"Tenant": Ref("X-Tenant"),
                                                                       "Hook": SUBSCRIPTION_ID,
                                                                       "Kind": Ref("Kind")})))


@pytest.fixture(scope="module")
def events_host():
    host = ScriptHost.from_text(render(EVENTS)["script.csx"].decode("utf-8"))
    folder = host.workdir
    with host as h:
        yield h
    assert not folder.exists()  # a host that made its folder removes it


def test_header_limited_to_some_operations(events_host):
    for op_id, expected in (("Ping", "r1"), ("OnEvent", "r1"), ("Other", None), ("RemoveHook", None)):
        run = events_host.run(op_id, HttpRequest("GET", "http://events.example/x"),
                              upstream=HttpResponse(200), correlation_id="r1")
        assert run.forwarded[0].header("X-Request-Id") == expected, op_id


def test_location_from_a_header_a_path_parameter_and_a_nested_subscription_id(events_host):
    run = events_host.run("OnEvent", HttpRequest("POST", "https://events.example/events/created/subscriptions",
                                                 {"X-Tenant": "t 1"}, b"{}"),
                          upstream=HttpResponse(200, JSON, b'{"data": {"hook": 17}}'))
    assert run.response.header("Location") == "https://events.example/hooks/t%201/17/created"


def test_base_path_root_and_operations_without_location_keep_their_answer(events_host):
    run = events_host.run("Other", HttpRequest("POST", "https://events.example/events/created/subscriptions"),
                          upstream=HttpResponse(200, JSON, b'{"data": {"hook": 17}}'))
    assert run.response.header("Location") is None


# -- the host itself -----------------------------------------------------------------------------------

def test_a_compile_error_names_the_script_line(tmp_path):
    script = tmp_path / "broken.csx"
    script.write_text("public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> "
                      "ExecuteAsync()\n    {\n        return undefinedThing;\n    }\n}\n")
    with pytest.raises(ScriptCompileError) as info:
        ScriptHost(script).compile()
    assert any(d.startswith(f"{script}(5,") and "CS0103" in d for d in info.value.diagnostics), \
        info.value.diagnostics


def test_c_sharp_8_is_rejected_as_the_limit_says(tmp_path):
    script = tmp_path / "modern.csx"
    script.write_text("public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> "
                      "ExecuteAsync()\n    {\n        using var r = new HttpRequestMessage();\n"
                      "        return await Context.SendAsync(Context.Request, CancellationToken);\n    }\n}\n")
    with pytest.raises(ScriptCompileError):
        ScriptHost(script).compile()


def test_a_throwing_script_and_a_slow_script_fail_clearly(tmp_path):
    script = tmp_path / "bad.csx"
    script.write_text("public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> "
                      "ExecuteAsync()\n    {\n        if (Context.OperationId == \"Slow\") await Task.Delay(20000);\n"
                      "        throw new InvalidOperationException(\"nope \" + Context.OperationId);\n    }\n}\n")
    with ScriptHost(script, timeout=0.5) as h:
        with pytest.raises(ScriptFailed) as info:
            h.run("Boom", HttpRequest("GET", "http://127.0.0.1:9/x"), upstream=HttpResponse(200))
        assert "InvalidOperationException" in str(info.value) and "nope Boom" in str(info.value)
        with pytest.raises(ScriptFailed) as info:
            h.run("Slow", HttpRequest("GET", "http://127.0.0.1:9/x"), upstream=HttpResponse(200))
        assert info.value.kind == "timeout"
        # the runner survives both and keeps serving
        with pytest.raises(ScriptFailed, match="nope Again"):
            h.run("Again", HttpRequest("GET", "http://127.0.0.1:9/x"), upstream=HttpResponse(200))


def test_many_requests_through_a_server_that_closes_each_connection(host, server, swagger):
    """http.server answers HTTP/1.0 and closes the connection; a pooled client failed now and then on it.
    Bounded: 150 requests on loopback."""
    route = swagger["basePath"] + "/customers"
    server.routes[("GET", route)] = (200, JSON, b'{"customerUsers": []}')
    for i in range(150):
        run = host.run("GetUserCustomers", HttpRequest("GET", server.url + route), correlation_id=f"c{i}")
        assert run.response.status == 200
    assert [r["headers"]["x-correlation-id"] for r in server.requests] == [f"c{i}" for i in range(150)]


def test_mono_tools_are_found_on_path_or_where_the_environment_says(monkeypatch, tmp_path):
    from connector.script_runtime.host import ScriptHostError, find_tool

    fake = tmp_path / "my-mcs"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CONNECTOR_MCS", str(fake))
    assert find_tool("mcs") == str(fake)
    monkeypatch.setenv("CONNECTOR_MONO", str(tmp_path / "missing"))
    with pytest.raises(ScriptHostError, match=r"CONNECTOR_MONO is '.*missing', which is not an executable"):
        find_tool("mono")
    monkeypatch.delenv("CONNECTOR_MCS")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH but for my-mcs: no mcs
    with pytest.raises(ScriptHostError, match=r"'mcs' \(Mono\) is not on PATH.*set CONNECTOR_MCS"):
        find_tool("mcs")
