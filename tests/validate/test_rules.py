"""One failing and one passing case per rule. Each case mutates a copy of the compliant fixture: ``bad`` must
produce the rule, ``good`` (default: no change) must not."""

from __future__ import annotations

import copy
import json

import pytest

from connector.validate.findings import RULES

from .conftest import findings_of, png

GET = ("/messages/{messageId}", "get")
SEND = ("/messages", "post")
HOOK = ("/hooks", "post")
OLD = ("/messages/old", "get")
V2 = ("/messages/list", "get")


def op(c, where):
    return c.swagger["paths"][where[0]][where[1]]


def p(c, where, i):
    return op(c, where)["parameters"][i]


def endpoint(c):
    return op(c, HOOK)["parameters"][0]["schema"]["properties"]["options"]["properties"]["endpointUrl"]


def oauth(c):
    return c.props["properties"]["connectionParameters"]["token"]["oAuthSettings"]


def policy(c):
    return c.props["properties"]["policyTemplateInstances"][0]["parameters"]


def _set(d, k, v):
    d[k] = v


def _del(d, k):
    d.pop(k)


def pyproject(c, text):
    (c.root.parent / "pyproject.toml").write_text(text)


body_param = {"name": "extra", "in": "body", "x-ms-summary": "Extra", "description": "Extra body.",
              "schema": {"type": "object"}}

# a body property whose dropdown passes a sibling (text); the same dropdown in x-ms-dynamic-list spelling
FORMAT = {"type": "string", "x-ms-summary": "Format", "description": "The format.", "x-ms-dynamic-values": {
    "operationId": "ListFormats", "parameters": {"message": {"parameter": "text"}}, "value-path": "name"}}
FORMAT_LIST = {"operationId": "ListFormats", "itemsPath": "value", "itemValuePath": "name",
               "parameters": {"message": {"parameterReference": "messageId"}}}

CASES = [
    # files and JSON
    ("PP0001", lambda c: c.raw.update({"apiDefinition.swagger.json": b'{"swagger": "2.0",\n  "info": }'}), None),
    ("PP0002", lambda c: c.raw.update({"apiProperties.json": b"\xef\xbb\xbf" + (c.root / "apiProperties.json").read_bytes()}), None),
    ("PP0003", lambda c: c.raw.update({"settings.json": b'{"icon": "icon.png", "icon": "icon.png"}'}), None),
    ("PP0004", lambda c: c.raw.update({"settings.json": b'{"icon": "ic\xf3n.png"}'}), None),
    ("PP0005", lambda c: c.remove.append("apiProperties.json"), None),
    ("PP0007", lambda c: c.raw.update({"apiProperties.json": (c.root / "apiProperties.json").read_bytes()
                                       .replace(b'"properties": {', b'// platform-style\n  "properties": {', 1)}), None),
    ("PP0006", lambda c: pyproject(c, '[tool.connector.validate]\ndisable = ["PP9999"]\n'),
     lambda c: pyproject(c, '[tool.connector.validate]\ndisable = ["PP1031", "xms-unknown"]\n')),
    # swagger structure
    ("PP1001", lambda c: _set(c.swagger["info"], "version", 5),
     # swagger 2.0 allows type: file in response schemas (openapi-spec-validator's false positive)
     lambda c: _set(op(c, GET)["responses"]["200"], "schema", {"type": "file"})),
    ("PP1002", lambda c: _set(c.swagger, "swagger", "3.0"), None),
    ("PP1003", lambda c: _set(op(c, GET)["responses"]["200"], "schema", {"$ref": "#/definitions/Nope"}), None),
    ("PP1004", lambda c: op(c, SEND)["parameters"].append(
        {"name": "extra", "in": "path", "required": True, "type": "string", "x-ms-summary": "Extra",
         "description": "Extra.", "x-ms-url-encoding": "single"}), None),
    ("PP1005", lambda c: _set(op(c, SEND), "operationId", "GetMessage"), None),
    ("PP1006", lambda c: op(c, GET)["parameters"].append(copy.deepcopy(p(c, GET, 1))), None),
    ("PP1007", lambda c: _set(p(c, GET, 1), "default", "medium"), lambda c: _set(p(c, GET, 1), "default", "short")),
    ("PP1008", lambda c: _set(c.swagger["info"], "x-padding", "a" * 1_100_000), None),
    # connector level
    ("PP1009", lambda c: c.swagger["definitions"].update({"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}}),
     lambda c: c.swagger["definitions"].update({"A": {"$ref": "#/definitions/B"}, "B": {"type": "object"}})),
    ("PP1010", lambda c: _set(c.swagger["info"], "title", " "), None),
    ("PP1011", lambda c: _set(c.swagger["info"], "title", "Smart Dialog Messaging Service Plus"), None),
    ("PP1012", lambda c: _set(c.swagger["info"], "title", "Smart Dialog API"), None),
    ("PP1013", lambda c: _set(c.swagger["info"], "title", "Smart Dialog."), None),
    ("PP1014", lambda c: _set(c.swagger["info"], "description", "Too short."), None),
    ("PP1015", lambda c: _set(c.swagger["info"], "description", c.swagger["info"]["description"] + " Use it in Power Automate."), None),
    ("PP1016", lambda c: _del(c.swagger["info"], "contact"), None),
    ("PP1017", lambda c: _set(c.swagger["info"]["contact"], "email", "support at example.com"), None),
    ("PP1018", lambda c: _del(c.swagger, "x-ms-connector-metadata"), None),
    ("PP1019", lambda c: _set(c.swagger["x-ms-connector-metadata"][0], "propertyValue", "example.com"), None),
    ("PP1020", lambda c: _set(c.swagger["x-ms-connector-metadata"][2], "propertyValue", "Communication;Chat"),
     lambda c: _set(c.swagger["x-ms-connector-metadata"][2], "propertyValue", "AI")),
    ("PP1021", lambda c: _set(c.swagger, "host", "https://api.example.com/v1"), None),
    ("PP1022", lambda c: _set(c.swagger, "host", "api.staging.example.com"), None),
    ("PP1023", lambda c: _set(c.swagger, "basePath", "v1"), None),
    ("PP1024", lambda c: _set(c.swagger, "schemes", ["wss"]), lambda c: _set(c.swagger, "schemes", ["https", "http"])),
    ("PP1025", lambda c: _set(c.swagger, "security", [{"api-key": []}]), None),
    # operations
    ("PP1030", lambda c: _del(op(c, ("/hooks/{hookId}", "delete")), "operationId"), None),
    ("PP1031", lambda c: _set(op(c, ("/hooks/{hookId}", "delete")), "operationId", "delete-hook"), None),
    ("PP1032", lambda c: _del(op(c, GET), "summary"), None),
    ("PP1033", lambda c: _set(op(c, GET), "summary", "Get " + "a" * 80), None),
    ("PP1034", lambda c: _set(op(c, GET), "summary", "Get a message/thread"),
     lambda c: _set(op(c, GET), "summary", "Get a message (full)")),
    ("PP1035", lambda c: _del(op(c, GET), "description"), None),
    ("PP1036", lambda c: _set(op(c, GET), "description", "Get a message."), None),
    ("PP1037", lambda c: _set(op(c, GET), "responses", {}), None),
    ("PP1038", lambda c: _set(op(c, GET), "responses", {"default": {"description": "An error."}}), None),
    ("PP1039", lambda c: _set(op(c, GET)["responses"]["default"], "schema", {"type": "object"}), None),
    ("PP1040", lambda c: _set(op(c, GET)["responses"], "400", {"description": "Bad.", "schema": {"type": "object"}}), None),
    ("PP1041", lambda c: op(c, GET)["parameters"].append(copy.deepcopy(body_param)), None),
    ("PP1042", lambda c: _set(c.swagger["paths"], "/Messages/{id}", {}), None),
    ("PP1043", lambda c: _set(c.swagger["paths"], "/formats?all=1", c.swagger["paths"].pop("/formats")), None),
    ("PP1044", lambda c: _set(c.swagger, "consumes", ["application/xml"]), None),
    # parameters
    ("PP1050", lambda c: _del(p(c, GET, 0), "x-ms-summary"), None),
    ("PP1051", lambda c: _del(p(c, GET, 0), "description"), None),
    ("PP1052", lambda c: _set(p(c, GET, 0), "required", False), None),
    ("PP1053", lambda c: _del(p(c, GET, 0), "x-ms-url-encoding"), None),
    ("PP1054", lambda c: _set(p(c, GET, 1), "x-ms-url-encoding", "single"), None),
    ("PP1055", lambda c: _set(p(c, GET, 1), "name", "connectionId"), None),
    ("PP1056", lambda c: op(c, SEND)["parameters"].append(copy.deepcopy(body_param)), None),
    ("PP1057", lambda c: _set(p(c, GET, 1), "x-ms-visibility", "hidden"),
     lambda c: _set(p(c, GET, 1), "x-ms-visibility", "important")),
    ("PP1058", lambda c: (p(c, GET, 1).update({"x-ms-visibility": "internal", "required": True}), _del(p(c, GET, 1), "default")),
     lambda c: p(c, GET, 1).update({"x-ms-visibility": "internal", "required": True})),
    ("PP1059", lambda c: _set(p(c, GET, 1), "x-ms-visibility", "internal"), None),
    ("PP1060", lambda c: _set(c.swagger["definitions"]["Message"]["properties"]["attachment"], "format", "blob"), None),
    ("PP1061", lambda c: _set(p(c, GET, 1), "x-ms-enum-values", [{"value": "medium", "displayName": "Medium"}]),
     lambda c: _set(p(c, GET, 1), "x-ms-enum-values", [{"value": "short", "displayName": "Short"}])),
    # extensions
    ("PP1070", lambda c: _set(p(c, GET, 1), "x-ms-visbility", "advanced"), None),
    ("PP1071", lambda c: _set(c.swagger["info"], "x-ms-frobnicator-mode", True),
     lambda c: _set(c.swagger["info"], "x-frobnicator-mode", True)),
    ("PP1072", lambda c: _set(op(c, HOOK), "x-ms-trigger", "multiple"), None),
    ("PP1073", lambda c: _set(op(c, V2), "x-ms-pageable", {"nextLinkName": "next"}),
     lambda c: _set(op(c, V2), "x-ms-pageable", {"nextLinkName": "@odata.nextLink"})),
    ("PP1074", lambda c: _set(p(c, GET, 1), "x-ms-dynamic-values", {"value-path": "name"}),
     lambda c: _set(p(c, GET, 1), "x-ms-dynamic-values", {"capability": "file-picker"})),
    ("PP1075", lambda c: _set(p(c, GET, 1)["x-ms-dynamic-values"], "operationId", "ListFormatz"), None),
    ("PP1076", lambda c: _set(p(c, GET, 1)["x-ms-dynamic-values"]["parameters"], "message", {"parameter": "msgId"}), None),
    ("PP1077", lambda c: _set(p(c, SEND, 0), "x-ms-dynamic-schema", {"operationId": "ListFormats"}),
     lambda c: _set(p(c, SEND, 0)["schema"], "x-ms-dynamic-schema", {"operationId": "ListFormats"})),
    # webhooks
    ("PP1080", lambda c: _del(endpoint(c), "x-ms-notification-url"), None),
    ("PP1081", lambda c: _set(op(c, HOOK)["parameters"][0]["schema"]["properties"]["options"], "required", []), None),
    ("PP1082", lambda c: _del(c.swagger["paths"], "/hooks/{hookId}"), None),
    ("PP1083", lambda c: _del(c.swagger["paths"]["/hooks"], "x-ms-notification-content"), None),
    # deprecation
    ("PP1090", lambda c: _del(op(c, OLD), "deprecated"), None),
    ("PP1091", lambda c: _set(op(c, OLD)["x-ms-api-annotation"], "replacement", {"api": "smartdialog"}), None),
    ("PP1092", lambda c: (_set(c.swagger["info"], "x-ms-api-annotation", {"status": "Preview"}),
                          _set(op(c, V2)["x-ms-api-annotation"], "status", "Production")),
     lambda c: _set(op(c, V2)["x-ms-api-annotation"], "status", "Production")),
    ("PP1093", lambda c: _set(op(c, V2), "operationId", "ListMessagesNew"), None),
    # apiProperties
    ("PP2001", lambda c: _set(c.props["properties"], "colour", "#da3b01"), None),
    ("PP2002", lambda c: _set(c.props["properties"], "iconBrandColor", "orange"), None),
    ("PP2003", lambda c: _set(c.props["properties"], "iconBrandColor", "#007EE5"), None),
    ("PP2004", lambda c: _set(c.props["properties"], "scriptOperations", ["GetMessages"]), None),
    ("PP2005", lambda c: _set(oauth(c), "clientSecret", "Qx8~f2Ab9dEfGh1234Lm"),
     lambda c: _set(oauth(c), "clientSecret", "<your client secret>")),
    ("PP2006", lambda c: _del(oauth(c)["customParameters"], "tokenUrl"), None),
    ("PP2007", lambda c: _set(oauth(c), "redirectMode", "Global"), None),
    ("PP2008", lambda c: _del(policy(c), "x-ms-apimTemplateParameter.value"), None),
    ("PP2009", lambda c: _set(c.props["properties"]["policyTemplateInstances"][0], "templateId", "frobnicate"), None),
    ("PP2010", lambda c: _set(policy(c), "x-ms-apimTemplate-operationName", ["SendMessages"]), None),
    ("PP2011", lambda c: _del(c.props["properties"], "stackOwner"), None),
    # icon
    ("PP3001", lambda c: c.raw.update({"icon.png": png(fmt="JPEG", mode="RGB")}), None),
    ("PP3002", lambda c: c.raw.update({"icon.png": png(size=(230, 200))}), lambda c: c.raw.update({"icon.png": png(size=(100, 100))})),
    ("PP3003", lambda c: c.raw.update({"icon.png": png() + b"\0" * (1024 * 1024)}), None),
    ("PP3004", lambda c: c.raw.update({"icon.png": png(colour=(0xDA, 0x3B, 0x01, 0))}), None),
    ("PP3005", lambda c: c.raw.update({"icon.png": png(colour=(0, 0, 255, 255))}), None),
    # script
    ("PP4001", lambda c: setattr(c, "script", c.script.replace("return response;", "return response")), None),
    ("PP4002", lambda c: setattr(c, "script", c.script.replace("class Script", "class Helper")), None),
    ("PP4003", lambda c: setattr(c, "script", c.script.replace("override async", "async")), None),
    ("PP4004", lambda c: setattr(c, "script", "using System.Net.Sockets;\n" + c.script),
     lambda c: setattr(c, "script", "using System.Net.Http;\nusing Newtonsoft.Json.Linq;\n" + c.script)),
    ("PP4005", lambda c: setattr(c, "script", c.script + "// " + "x" * (1024 * 1024) + "\n"), None),
    ("PP4006", lambda c: setattr(c, "script", c.script.replace("var response =", "var client = new HttpClient();\n        var response =")),
     lambda c: setattr(c, "script", c.script.replace("var response =", "var client = new HttpClient(); // connector: disable=PP4006\n        var response ="))),
    ("PP1078", lambda c: _set(op(c, SEND)["parameters"][0]["schema"]["properties"], "format", dict(FORMAT)),
     lambda c: _set(op(c, SEND)["parameters"][0]["schema"]["properties"], "format", dict(FORMAT, **{
         "x-ms-dynamic-list": {"operationId": "ListFormats", "itemValuePath": "name",
                               "parameters": {"message": {"parameterReference": "body/text"}}}}))),
    ("PP1079", lambda c: _set(p(c, GET, 1), "x-ms-dynamic-list", dict(FORMAT_LIST, itemValuePath="id")),
     lambda c: _set(p(c, GET, 1), "x-ms-dynamic-list", FORMAT_LIST)),
    # a build's record: a webhook trigger declared with webhook_delete= whose Location the build could not wire
    ("PP1084", lambda c: c.raw.update({".generated.json": json.dumps({
        "generator": "connector", "files": {}, "unwired_webhooks": {"OnNewMessage": "two unmatched variables"}})
        .encode()}),
     lambda c: c.raw.update({".generated.json": b'{"generator": "connector", "files": {}}'})),
    # settings
    ("PP5001", lambda c: _set(c.settings, "icon", "missing.png"), None),
    ("PP5002", lambda c: _set(c.settings, "colour", "blue"), None),
]


def test_every_rule_has_a_case():
    covered = {rule for rule, _, _ in CASES}
    assert covered == set(RULES) - {"PP0000"}, sorted(set(RULES) - covered)


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[c[0] for c in CASES])
def test_rule(rule, bad, good, connector, tmp_path):
    bad(connector)
    root = connector.write()
    found = {f["rule"] for f in findings_of(root)}
    assert rule in found, f"{rule} not reported; got {sorted(found)}"


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[c[0] for c in CASES])
def test_rule_passing(rule, bad, good, connector):
    if good is not None:
        good(connector)
    root = connector.write()
    found = {f["rule"] for f in findings_of(root)}
    assert rule not in found


def test_webhook_callback_and_its_parent_object_need_no_default(connector):
    """The platform fills x-ms-notification-url; an internal object gets its value from its properties'
    defaults. Neither is the author's to default (our SmartDialog trigger has exactly this shape)."""
    options = op(connector, HOOK)["parameters"][0]["schema"]["properties"]["options"]
    options.pop("default")
    endpoint(connector).pop("default")
    found = {f["rule"] for f in findings_of(connector.write())}
    assert "PP1058" not in found
    options["properties"]["endpointUrl"].pop("x-ms-notification-url")  # a plain internal field still needs one
    found = {f["rule"] for f in findings_of(connector.write())}
    assert "PP1058" in found
