"""Webhook triggers declared with webhook_delete= work without knowing about transforms: the build generates the
script that gives the registration answer its Location header (compiled and run here by the real C# compiler),
or records why it cannot, and `connector validate` reports that as PP1084 with the fix."""

from __future__ import annotations

import json
from dataclasses import replace

from connector.generate.build import build, render
from connector.model import (SUBSCRIPTION_ID, Connector, Operation, Ref, Response, WebhookLocation, body, header,
                             object_schema, path, string, webhook_wiring)
from connector.script_runtime import HttpRequest, HttpResponse, ScriptHost
from connector.validate.engine import validate_paths

JSON = {"Content-Type": "application/json"}

Unsubscribe = Operation(id="Unsubscribe", method="DELETE", path="/events/{Kind}/subscriptions/{subscriptionId}",
                        visibility="internal", summary="Unsubscribe", description="Removes a subscription.",
                        parameters=(path("Kind", label="Kind", description="Event kind."),
                                    path("subscriptionId", label="Subscription", description="The subscription.")),
                        responses=(Response(status="204", description="Gone."),))
OnEvent = Operation(id="OnEvent", method="POST", path="/events/{Kind}/subscriptions", trigger="single",
                    summary="When an event happens", description="Fires on events.",
                    parameters=(header("X-Tenant", label="Tenant", description="The tenant.", required=True),
                                path("Kind", label="Kind", description="Event kind."),
                                body(object_schema(string("url", label="Url", description="Callback.", required=True,
                                                          visibility="internal", notification_url=True)),
                                     visibility="internal")),
                    responses=(Response(status="201", description="Subscribed.", schema=object_schema(
                        string("id", label="Id", description="The subscription."))),),
                    webhook_delete=Unsubscribe)


def events(*ops: Operation, **kw) -> Connector:
    return Connector(title="Events", description="Events tells flows what happened.", host="events.example",
                     base_path="/api", operations=ops or (OnEvent, Unsubscribe), **kw)


def pp1084(folder) -> list:
    return [f for f in validate_paths([folder]) if f.rule == "PP1084"]


def test_a_trigger_with_webhook_delete_gets_its_location_generated(tmp_path):
    connector = events()
    [wiring] = webhook_wiring(connector)
    assert wiring.how == "generated"
    assert wiring.transform == WebhookLocation(trigger=OnEvent, args={"Kind": Ref("Kind"),
                                                                      "subscriptionId": SUBSCRIPTION_ID})
    files = render(connector)
    props = json.loads(files["apiProperties.json"])
    assert props["properties"]["scriptOperations"] == ["OnEvent"]
    with ScriptHost.from_text(files["script.csx"].decode("utf-8")) as host:
        run = host.run("OnEvent", HttpRequest("POST", "https://events.example/api/events/order%20placed/subscriptions",
                                              {"X-Tenant": "t1"}, b'{"url": "https://flow"}'),
                       upstream=HttpResponse(201, JSON, b'{"id": "s/17"}'))
    assert run.response.status == 201
    assert run.response.header("Location") == "https://events.example/api/events/order%20placed/subscriptions/s%2F17"
    out = tmp_path / "Events"
    build(connector, out)
    assert pp1084(out) == [] and "unwired_webhooks" not in json.loads((out / ".generated.json").read_text())


def test_a_delete_path_the_names_do_not_explain_is_a_validate_error_naming_the_fix(tmp_path):
    remove = replace(Unsubscribe, path="/hooks/{tenant}/{hook}", parameters=(
        path("tenant", label="Tenant", description="T."), path("hook", label="Hook", description="H.")))
    trigger = replace(OnEvent, webhook_delete=remove)
    connector = events(trigger, remove)
    [wiring] = webhook_wiring(connector)
    assert wiring.how == "missing" and "'tenant', 'hook'" in wiring.why
    out = tmp_path / "proj" / "Events"
    build(connector, out)  # the platform accepts it: the build does not refuse
    assert not (out / "script.csx").exists()
    [finding] = pp1084(out)
    assert finding.severity.value == "error" and finding.pointer == "/paths/~1events~1{Kind}~1subscriptions/post"
    assert "'OnEvent'" in finding.message and "only one can be the subscription id" in finding.message
    assert "WebhookLocation(trigger=" in finding.fix and "Location" in finding.fix
    (tmp_path / "proj" / "pyproject.toml").write_text('[tool.connector.validate]\ndisable = ["PP1084"]\n')
    assert pp1084(out) == []
    # the fix the finding names: declare the transform; the error goes away on the next build
    fixed = replace(connector, transforms=(WebhookLocation(trigger=trigger, args={"tenant": Ref("X-Tenant"),
                                                                                  "hook": SUBSCRIPTION_ID}),))
    (tmp_path / "proj" / "pyproject.toml").unlink()
    build(fixed, out)
    assert pp1084(out) == [] and (out / "script.csx").is_file()


def test_a_subscription_id_the_answer_does_not_declare_is_not_wired_blindly(tmp_path):
    connector = events(replace(OnEvent, subscription_id="data/hook"), Unsubscribe)
    [wiring] = webhook_wiring(connector)
    assert wiring.how == "missing" and "declares no 'data/hook'" in wiring.why
    build(connector, tmp_path / "Events")
    assert "set subscription_id=" in pp1084(tmp_path / "Events")[0].message


def test_a_service_that_sends_location_itself_needs_no_script(tmp_path):
    sent = replace(OnEvent, responses=(replace(OnEvent.responses[0], extra={"headers": {"Location": {
        "type": "string", "description": "Where the subscription is deleted."}}}),))
    connector = events(sent, Unsubscribe)
    assert [w.how for w in webhook_wiring(connector)] == ["service"]
    assert "script.csx" not in render(connector)
    build(connector, tmp_path / "Events")
    assert pp1084(tmp_path / "Events") == []


def test_a_declared_transform_wins_and_smartdialog_keeps_its_own(smartdialog):
    assert [w.how for w in webhook_wiring(smartdialog)] == ["declared"]
    explicit = events(transforms=(WebhookLocation(trigger=OnEvent, args={"Kind": Ref("Kind"),
                                                                         "subscriptionId": SUBSCRIPTION_ID}),))
    assert render(explicit)["script.csx"] == render(events())["script.csx"]


def test_a_folder_no_build_wrote_is_not_judged_by_the_rule(tmp_path):
    remove = replace(Unsubscribe, path="/hooks/{a}/{b}", parameters=(
        path("a", label="A", description="A."), path("b", label="B", description="B.")))
    out = tmp_path / "Events"
    build(events(replace(OnEvent, webhook_delete=remove), remove), out)
    assert len(pp1084(out)) == 1
    (out / ".generated.json").unlink()  # now it is just a folder of files: nothing says which delete belongs where
    assert pp1084(out) == []
