"""The generated swagger against the two sources of truth: the reference page (what users see) and the
integration facts (how each action maps onto HTTP), and against swagger 2.0 and Microsoft's schema."""

from __future__ import annotations

import pytest
from openapi_spec_validator import OpenAPIV2SpecValidator

from conftest import anchor_validator, seed_text
import seedpage

# operationId, method, path of every seed action and the trigger (facts sheet, "Operations").
FACTS_ROUTES = {
    "Send Message": ("SendMessage", "post", "/messages"),
    "Send Reply Message": ("SendReplyMessage", "post", "/messages/reply/{ParentMessageId}"),
    "Send Discussion Reply Message": ("SendDiscussionReplyMessage", "post", "/messages/discussion/reply"),
    "Send WhatsApp Message": ("SendWhatsappTemplateMessage", "post", "/messages/templates/whatsapp"),
    "Create WhatsApp template": ("CreateWhatsappTemplate", "post",
                                 "/whatsapp/templates/{Customer-Id}/{IdentityNumber}"),
    "WhatsApp Opt In (deprecated)": ("WhatsAppOptIn", "post",
                                     "/whatsapp/opt-in/sender/{Sender}/recipient/{Recipient}"),
    "WhatsApp Opt Out (deprecated)": ("WhatsAppOptOut", "delete",
                                      "/whatsapp/opt-in/sender/{Sender}/recipient/{Recipient}"),
    "Get Group Contact": ("GetGroupContact", "get", "/groupcontact/{Customer}/{Group Service}/{Phone}"),
    "Create group contact": ("CreateGroupContact", "post", "/groupcontact/{Customer}/{Group Service}"),
    "Update Group Contact": ("UpdateGroupContact", "put", "/groupcontact/{Customer}/{Group Service}/{Phone}"),
    "Delete Group Contact": ("DeleteGroupContact", "delete", "/groupcontact/{Customer}/{Group Service}/{Phone}"),
    "Delete All Group Contacts": ("DeleteAllGroupContacts", "delete", "/groupcontact/{Customer}/{Group Service}"),
    "New Message": ("NewMessage", "post", "/service/{Service}/pipelines/actions"),
}

# parameter (operationId, name or body field) -> (dropdown operation, value-path, value-title, parameters)
CUSTOMERS = ("GetUserCustomers", "customerId", "customerName", {}, "customerUsers")
FACTS_DROPDOWNS = {
    ("SendMessage", "Customer-Id"): CUSTOMERS,
    ("SendReplyMessage", "Customer-Id"): CUSTOMERS,
    ("SendWhatsappTemplateMessage", "Customer-Id"): CUSTOMERS,
    ("SendDiscussionReplyMessage", "CustomerId"): CUSTOMERS,
    ("CreateWhatsappTemplate", "Customer-Id"): CUSTOMERS,
    ("NewMessage", "Customer"): CUSTOMERS,
    **{(op, "Customer"): CUSTOMERS for op in ("GetGroupContact", "CreateGroupContact", "UpdateGroupContact",
                                               "DeleteGroupContact", "DeleteAllGroupContacts")},
    ("SendMessage", "Service-Id"): ("GetCustomerServices", "id", "name", {
        "Customer-Id": {"parameter": "Customer-Id"}, "ServiceType": "OneWay", "AllowReplyMessage": False}, None),
    ("SendWhatsappTemplateMessage", "Service-Id"): ("GetCustomerServices", "id", "name", {
        "Customer-Id": {"parameter": "Customer-Id"}, "ServiceType": "OneWay", "AllowReplyMessage": False}, None),
    ("SendReplyMessage", "Service-Id"): ("GetCustomerServices", "id", "name", {
        "Customer-Id": {"parameter": "Customer-Id"}, "ServiceType": "OneWay", "AllowReplyMessage": True}, None),
    ("NewMessage", "Service"): ("GetCustomerServices", "id", "name", {
        "Customer-Id": {"parameter": "Customer"}, "ServiceType": "TwoWay"}, None),
    **{(op, "Group Service"): ("GetCustomerServices", "id", "name", {
        "Customer-Id": {"parameter": "Customer"}, "ServiceType": "Group"}, None)
       for op in ("GetGroupContact", "CreateGroupContact", "UpdateGroupContact", "DeleteGroupContact",
                  "DeleteAllGroupContacts")},
    ("CreateWhatsappTemplate", "IdentityNumber"): ("GetCustomerWhatsappIdentities", "inputSource/address",
                                                   "inputSource/address",
                                                   {"Customer-Id": {"parameter": "Customer-Id"}}, None),
    ("CreateWhatsappTemplate", "Category"): ("GetWhatsappTemplateCategories", None, None, {}, None),
    ("SendWhatsappTemplateMessage", "TemplateName"): ("GetCustomerWhatsAppTemplates", "id",
                                                      "extensionParameters/rawContent",
                                                      {"Customer-Id": {"parameter": "Customer-Id"}}, None),
    ("GetGroupContact", "Region"): ("GetPhoneNumberRegions", "value", "name", {}, None),
    ("CreateGroupContact", "phoneNumberRegions[]"): ("GetPhoneNumberRegions", "value", "name", {}, None),
    ("UpdateGroupContact", "phoneNumberRegions[]"): ("GetPhoneNumberRegions", "value", "name", {}, None),
}


def operations(swagger):
    for path, item in swagger["paths"].items():
        for method, op in item.items():
            if method.startswith("x-"):
                continue
            yield path, method, op


def by_summary(swagger):
    return {op["summary"]: (path, method, op) for path, method, op in operations(swagger)}


def resolve(swagger, node):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].split("/")[-1]
        node = swagger["definitions"][name]
    return node


def candidates(swagger, op):
    """(name, schema-or-param, required) for every parameter and every body field, nested included."""
    out = []

    def walk(schema, required_here):
        schema = resolve(swagger, schema)
        for name, prop in (schema.get("properties") or {}).items():
            req = required_here and name in schema.get("required", [])
            out.append((name, resolve(swagger, prop), req))
            walk(prop, req)
        if "items" in schema:
            walk(schema["items"], required_here)

    for p in op["parameters"]:
        if p["in"] == "body":
            walk(p["schema"], p["required"])
        else:
            out.append((p["name"], p, p["required"]))
    return out


def type_of(node):
    t = node.get("type")
    if t == "array":
        return f"array of {node['items'].get('type', 'object')}"
    if node.get("format") in ("date-time", "uuid"):
        return node["format"]
    return t


SEED_OPS = None


def seed_ops():
    global SEED_OPS
    if SEED_OPS is None:
        SEED_OPS = seedpage.parse(seed_text())
    return SEED_OPS


def test_swagger_is_valid_swagger_2(swagger):
    errors = [e.message for e in OpenAPIV2SpecValidator(swagger).iter_errors()]
    assert errors == []


def test_swagger_passes_microsofts_published_schema(swagger):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in anchor_validator("apiDefinition.swagger.schema.json").iter_errors(swagger)]
    assert errors == []


def test_every_seed_operation_is_generated_with_the_facts_route(swagger):
    ops = by_summary(swagger)
    seen = {o.summary for o in seed_ops()}
    assert seen == set(FACTS_ROUTES), "the seed page and this table disagree"
    for summary, (op_id, method, path) in FACTS_ROUTES.items():
        assert summary in ops, f"seed action '{summary}' is missing"
        got_path, got_method, op = ops[summary]
        assert (op["operationId"], got_method, got_path) == (op_id, method, path)


@pytest.mark.parametrize("summary", sorted(FACTS_ROUTES))
def test_seed_parameters_match(swagger, summary):
    seed = next(o for o in seed_ops() if o.summary == summary)
    path, method, op = by_summary(swagger)[summary]
    if not op.get("x-ms-trigger"):
        assert op["description"] == seed.description or seed.description == seed.summary
    found = candidates(swagger, op)
    for sp in seed.params:
        key = sp.key or sp.label.lower()
        matches = [(n, node, req) for n, node, req in found if n == key and node.get("x-ms-summary") == sp.label]
        assert matches, f"{summary}: seed parameter {sp.key!r} ({sp.label}) not found with that label"
        name, node, required = matches[0]
        assert node.get("description") == sp.description, f"{summary}.{key}: description"
        assert required == sp.required, f"{summary}.{key}: required flag"
        assert type_of(node) == sp.type, f"{summary}.{key}: type"


@pytest.mark.parametrize("summary", sorted(s for s in FACTS_ROUTES))
def test_seed_returns_match(swagger, summary):
    seed = next(o for o in seed_ops() if o.summary == summary)
    path, method, op = by_summary(swagger)[summary]
    if op.get("x-ms-trigger"):
        root = swagger["paths"][path]["x-ms-notification-content"]["schema"]
    else:
        schemas = [r["schema"] for code, r in op["responses"].items() if code.startswith("2") and "schema" in r]
        root = schemas[0] if schemas else {}
    for sp in seed.returns:
        node = resolve(swagger, root)
        for part in (sp.key or sp.label.lower()).split("."):
            node = resolve(swagger, node)
            if node.get("type") == "array":
                node = resolve(swagger, node["items"])
            node = resolve(swagger, node["properties"][part])
        assert node.get("x-ms-summary") == sp.label, f"{summary} returns {sp.key}: label"
        assert node.get("description") == sp.description, f"{summary} returns {sp.key}: description"
        assert type_of(node) == sp.type, f"{summary} returns {sp.key}: type"


def test_every_facts_dropdown_is_wired(swagger):
    ops = {op["operationId"]: op for _, _, op in operations(swagger)}
    for (op_id, name), (target, value, title, params, collection) in FACTS_DROPDOWNS.items():
        op = ops[op_id]
        if name.endswith("[]"):
            node = next(n for k, n, _ in candidates(swagger, op) if k == name[:-2])["items"]
        else:
            node = next(n for k, n, _ in candidates(swagger, op) if k == name)
        dv = node.get("x-ms-dynamic-values")
        assert dv, f"{op_id}.{name} has no dropdown"
        assert dv["operationId"] == target
        assert dv.get("value-path") == value and dv.get("value-title") == title
        assert dv.get("parameters", {}) == params
        assert dv.get("value-collection") == collection
        assert ops[target]["x-ms-visibility"] == "internal"


def test_visibility_deprecation_and_encoding_follow_the_facts(swagger):
    ops = {op["operationId"]: (path, op) for path, _, op in operations(swagger)}
    important = {"SendMessage", "SendReplyMessage", "SendDiscussionReplyMessage", "SendWhatsappTemplateMessage",
                 "WhatsAppOptIn", "WhatsAppOptOut"}
    internal = {"DeleteTrigger", "GetUserCustomers", "GetCustomerServices", "GetCustomerWhatsAppTemplates",
                "GetWhatsappTemplateCategories", "GetCustomerWhatsappIdentities", "GetPhoneNumberRegions"}
    for op_id, (path, op) in ops.items():
        expected = "important" if op_id in important else "internal" if op_id in internal else None
        assert op.get("x-ms-visibility") == expected, op_id
        assert op.get("deprecated", False) == (op_id in {"WhatsAppOptIn", "WhatsAppOptOut"}), op_id
        for p in op["parameters"]:
            if p["in"] == "path":
                assert p["required"] is True and p["x-ms-url-encoding"] == "single", (op_id, p["name"])
    assert set(ops) == set(v[0] for v in FACTS_ROUTES.values()) | internal


def test_trigger_is_a_webhook_with_notification_url_and_payload(swagger):
    item = swagger["paths"]["/service/{Service}/pipelines/actions"]
    op = item["post"]
    assert op["x-ms-trigger"] == "single"
    body = next(p for p in op["parameters"] if p["in"] == "body")["schema"]
    assert set(body["required"]) == {"name", "actionType", "description", "options"}
    options = body["properties"]["options"]
    assert options["properties"]["endpointUrl"]["x-ms-notification-url"] is True
    assert options["properties"]["httpVerb"]["default"] == "POST"
    assert body["properties"]["actionType"]["default"] == "HttpRequest"
    assert set(options["required"]) == {"endpointUrl", "httpVerb"}
    assert "201" in op["responses"]
    assert set(item["x-ms-notification-content"]["schema"]["properties"]) == {
        "sender", "recipient", "content", "timestamp", "protocol", "messageId", "attachments"}
    assert "/pipelines/{Pipeline-Id}/actions/{Action-Id}" in swagger["paths"]


def test_service_level_facts(swagger):
    assert (swagger["host"], swagger["basePath"], swagger["schemes"]) == ("api.arena.fi", "/api-integrations/v1",
                                                                         ["https"])
    assert swagger["info"]["title"] == "SmartDialog" and swagger["info"]["version"] == "1.0"
    assert swagger["consumes"] == swagger["produces"] == ["application/json"]
    sec = swagger["securityDefinitions"]["oauth2_auth"]
    base = "https://arenafi.b2clogin.com/arenafi.onmicrosoft.com/B2C_1A_SmartDialog_Integrations/oauth2/v2.0"
    assert (sec["type"], sec["flow"], sec["authorizationUrl"], sec["tokenUrl"]) == (
        "oauth2", "accessCode", base + "/authorize", base + "/token")
    prefix = "https://arenafi.onmicrosoft.com/smartdialog-integrations-api/"
    scope = "offline_access " + " ".join(prefix + s for s in (
        "Gateway.Send", "Customer.Services", "User.Customers", "TwoWay.Management", "WhatsApp", "Discussion.Reply",
        "Group.Management"))
    assert list(sec["scopes"]) == [scope]
    assert swagger["security"] == [{"oauth2_auth": []}]
    meta = {m["propertyName"]: m["propertyValue"] for m in swagger["x-ms-connector-metadata"]}
    assert meta == {"Website": "https://www.arenainteractive.fi",
                    "Privacy policy": "https://www.arenainteractive.fi/privacypolicy",
                    "Categories": "Communication;Collaboration"}
