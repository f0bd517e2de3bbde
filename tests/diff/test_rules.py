"""One test per kind of change: the right rule, severity and JSON pointer, and nothing else breaking."""

from __future__ import annotations

import pytest

from connector.diff import BREAKING, HARMLESS, RULES, diff

from .conftest import base

ORDERS, ONE = "/paths/~1orders", "/paths/~1orders~1{id}"


def op(doc, path, method):
    return doc["paths"][path][method]


def remove_operation(d):
    del d["paths"]["/orders/{id}"]["delete"]


def rename_operation_id(d):
    op(d, "/orders/{id}", "delete")["operationId"] = "RemoveOrder"


def change_method(d):
    d["paths"]["/orders/{id}"]["put"] = d["paths"]["/orders/{id}"].pop("delete")


def change_path(d):
    d["paths"]["/order/{id}"] = d["paths"].pop("/orders/{id}")


def change_base_path(d):
    d["basePath"] = "/v2"


def remove_parameter(d):
    op(d, "/orders", "get")["parameters"].pop(1)


def rename_parameter(d):
    op(d, "/orders", "get")["parameters"][1]["name"] = "limit"


def move_parameter(d):
    op(d, "/orders", "get")["parameters"][1]["in"] = "header"


def make_required(d):
    op(d, "/orders", "get")["parameters"][1]["required"] = True


def make_body_property_required(d):
    d["definitions"]["NewOrder"]["required"].append("note")


def add_required_parameter(d):
    op(d, "/orders", "get")["parameters"].append({"name": "shop", "in": "query", "required": True, "type": "string"})


def add_required_body_property(d):
    nw = d["definitions"]["NewOrder"]
    nw["properties"]["currency"] = {"type": "string"}
    nw["required"].append("currency")


def change_parameter_type(d):
    op(d, "/orders", "get")["parameters"][1]["type"] = "string"
    del op(d, "/orders", "get")["parameters"][1]["format"]


def change_format(d):
    d["definitions"]["Customer"]["properties"]["email"]["format"] = "uri"


def remove_enum_value(d):
    op(d, "/orders", "get")["parameters"][0]["enum"] = ["open"]


def remove_request_enum_value(d):
    d["definitions"]["NewOrder"]["properties"]["channel"]["enum"] = ["web"]


def add_enum(d):
    op(d, "/orders", "get")["parameters"][1]["enum"] = [10, 50]


def remove_request_property(d):
    del d["definitions"]["NewOrder"]["properties"]["note"]


def remove_response_property(d):
    del d["definitions"]["Customer"]["properties"]["email"]


def retype_response_property(d):
    d["definitions"]["Order"]["properties"]["total"] = {"type": "string"}


def remove_success_response(d):
    op(d, "/orders/{id}", "get")["responses"] = {"202": {"description": "Accepted."}}


def visibility_internal(d):
    op(d, "/orders/{id}", "get")["x-ms-visibility"] = "internal"


def parameter_internal(d):
    op(d, "/orders", "get")["parameters"][0]["x-ms-visibility"] = "internal"


def trigger_kind(d):
    op(d, "/hooks/orders", "post")["x-ms-trigger"] = "batch"


def remove_payload_property(d):
    d["paths"]["/hooks/orders"]["x-ms-notification-content"]["schema"] = {"type": "object", "properties": {
        "id": {"type": "string"}}}


def change_auth(d):
    d["securityDefinitions"] = {"api_key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    d["security"] = [{"api_key": []}]


def change_token_url(d):
    d["securityDefinitions"]["oauth2_auth"]["tokenUrl"] = "https://login.example.com/v2/token"


def add_operation(d):
    d["paths"]["/customers"] = {"get": {"operationId": "ListCustomers", "summary": "List customers",
                                        "description": "Lists customers.", "responses": {"200": {"description": "OK"}}}}


def add_optional_parameter(d):
    op(d, "/orders", "get")["parameters"].append({"name": "skip", "in": "query", "required": False, "type": "integer"})


def add_required_parameter_with_default(d):
    op(d, "/orders", "get")["parameters"].append({"name": "v", "in": "query", "required": True, "type": "string",
                                                  "default": "1", "x-ms-visibility": "internal"})


def change_description(d):
    op(d, "/orders", "get")["description"] = "Lists every order of the shop."


def change_summary_label(d):
    op(d, "/orders", "get")["parameters"][0]["x-ms-summary"] = "Order status"


def add_response_property(d):
    d["definitions"]["Order"]["properties"]["created"] = {"type": "string", "format": "date-time"}


def add_optional_request_property(d):
    d["definitions"]["NewOrder"]["properties"]["gift"] = {"type": "boolean"}


def remove_enum(d):
    del op(d, "/orders", "get")["parameters"][0]["enum"]


def add_enum_value(d):
    op(d, "/orders", "get")["parameters"][0]["enum"].append("cancelled")


def make_optional(d):
    op(d, "/orders", "post")["parameters"][0]["required"] = False


def visibility_advanced(d):
    op(d, "/orders/{id}", "get")["x-ms-visibility"] = "advanced"


def deprecate(d):
    op(d, "/orders/{id}", "delete")["deprecated"] = True


def change_default(d):
    op(d, "/orders", "get")["parameters"][1]["default"] = 20


def change_dropdown(d):
    op(d, "/orders", "get")["parameters"][0]["x-ms-dynamic-values"] = {"operationId": "ListOrders"}


def remove_error_response(d):
    del op(d, "/orders", "post")["responses"]["400"]


def add_response(d):
    op(d, "/orders", "post")["responses"]["409"] = {"description": "Conflict."}


def change_info(d):
    d["info"]["version"] = "1.1"


def change_host(d):
    d["host"] = "api.shop.example.com"


def change_extension(d):
    op(d, "/orders", "get")["x-ms-openai-data"] = {"openai-enabled": True}


CASES = [
    # edit, rule, pointer
    (remove_operation, "operation-removed", ONE + "/delete"),
    (rename_operation_id, "operation-id-changed", ONE + "/delete/operationId"),
    (change_method, "method-changed", ONE + "/put"),
    (change_path, "path-changed", "/paths/~1order~1{id}/get"),
    (change_base_path, "base-path-changed", "/basePath"),
    (remove_parameter, "parameter-removed", ORDERS + "/get/parameters/1"),
    (rename_parameter, "parameter-renamed", ORDERS + "/get/parameters/1"),
    (move_parameter, "parameter-moved", ORDERS + "/get/parameters/1"),
    (make_required, "parameter-made-required", ORDERS + "/get/parameters/1/required"),
    (make_body_property_required, "parameter-made-required", ORDERS + "/post/parameters/1/schema/required"),
    (add_required_parameter, "required-parameter-added", ORDERS + "/get/parameters/2"),
    (add_required_body_property, "required-parameter-added",
     ORDERS + "/post/parameters/1/schema/properties/currency"),
    (change_parameter_type, "type-changed", ORDERS + "/get/parameters/1/type"),
    (change_format, "format-changed", ORDERS + "/get/responses/200/schema/items/properties/customer/properties/"
                                               "email/format"),
    (remove_enum_value, "enum-value-removed", ORDERS + "/get/parameters/0/enum"),
    (remove_request_enum_value, "enum-value-removed", ORDERS + "/post/parameters/1/schema/properties/channel/enum"),
    (add_enum, "enum-added", ORDERS + "/get/parameters/1/enum"),
    (remove_request_property, "request-property-removed", ORDERS + "/post/parameters/1/schema/properties/note"),
    (remove_response_property, "response-property-removed",
     ORDERS + "/get/responses/200/schema/items/properties/customer/properties/email"),
    (retype_response_property, "type-changed", ONE + "/get/responses/200/schema/properties/total/type"),
    (remove_success_response, "response-removed", ONE + "/get/responses/200"),
    (visibility_internal, "visibility-internal", ONE + "/get/x-ms-visibility"),
    (parameter_internal, "visibility-internal", ORDERS + "/get/parameters/0/x-ms-visibility"),
    (trigger_kind, "trigger-kind-changed", "/paths/~1hooks~1orders/post/x-ms-trigger"),
    (remove_payload_property, "response-property-removed",
     "/paths/~1hooks~1orders/x-ms-notification-content/schema/properties/total"),
    (change_auth, "authentication-changed", "/securityDefinitions"),
    (change_token_url, "authentication-changed", "/securityDefinitions"),
    (add_operation, "operation-added", "/paths/~1customers/get"),
    (add_optional_parameter, "parameter-added", ORDERS + "/get/parameters/2"),
    (add_required_parameter_with_default, "parameter-added", ORDERS + "/get/parameters/2"),
    (change_description, "description-changed", ORDERS + "/get/description"),
    (change_summary_label, "description-changed", ORDERS + "/get/parameters/0/x-ms-summary"),
    (add_response_property, "response-property-added", ORDERS + "/post/responses/201/schema/properties/created"),
    (add_optional_request_property, "request-property-added", ORDERS + "/post/parameters/1/schema/properties/gift"),
    (add_enum_value, "enum-value-added", ORDERS + "/get/parameters/0/enum"),
    (remove_enum, "enum-removed", ORDERS + "/get/parameters/0/enum"),
    (make_optional, "parameter-made-optional", ORDERS + "/post/parameters/0/required"),
    (visibility_advanced, "visibility-changed", ONE + "/get/x-ms-visibility"),
    (deprecate, "deprecated", ONE + "/delete/deprecated"),
    (change_default, "default-changed", ORDERS + "/get/parameters/1/default"),
    (change_dropdown, "dropdown-changed", ORDERS + "/get/parameters/0/x-ms-dynamic-values"),
    (remove_error_response, "response-changed", ORDERS + "/post/responses/400"),
    (add_response, "response-added", ORDERS + "/post/responses/409"),
    (change_info, "info-changed", "/info"),
    (change_host, "host-changed", "/host"),
    (change_extension, "other-changed", ORDERS + "/get/x-ms-openai-data"),
]


def test_every_rule_has_a_case():
    assert {rule for _, rule, _ in CASES} == set(RULES)


@pytest.mark.parametrize("edit, rule, where", CASES, ids=[c[0].__name__ for c in CASES])
def test_each_kind_of_change_is_classified(edit, rule, where):
    old, new = base(), base()
    edit(new)
    changes = diff(old, new)
    found = [c for c in changes if c.rule == rule]
    assert found, changes
    assert any(c.pointer == where for c in found), [c.pointer for c in found]
    severity = RULES[rule][0]
    assert all(c.severity == severity for c in found)
    if severity == HARMLESS:
        assert not [c for c in changes if c.breaking], changes
    else:
        assert found[0].message and (found[0].operation is not None or where.startswith(("/securityDefinitions",
                                                                                          "/basePath")))


def test_identical_documents_have_no_changes():
    assert diff(base(), base()) == []


def test_a_renamed_operation_is_one_change_not_a_removal_and_an_addition():
    old, new = base(), base()
    rename_operation_id(new)
    rules = [c.rule for c in diff(old, new)]
    assert rules == ["operation-id-changed"]


def test_moving_a_parameter_to_path_level_is_no_change():
    old, new = base(), base()
    item = new["paths"]["/orders"]
    shared = item["get"]["parameters"][1]
    assert diff(old, new) == []
    new["paths"]["/orders/{id}"]["get"].setdefault("parameters", []).insert(
        0, new["paths"]["/orders/{id}"].pop("parameters")[0])
    new["paths"]["/orders/{id}"]["delete"]["parameters"] = [new["paths"]["/orders/{id}"]["get"]["parameters"][0]]
    assert diff(old, new) == [] and shared


def test_inlining_a_definition_is_no_change():
    old, new = base(), base()
    op(new, "/orders/{id}", "get")["responses"]["200"]["schema"] = new["definitions"]["Order"]
    assert diff(old, new) == []


def test_breaking_changes_come_first():
    old, new = base(), base()
    change_description(new)
    remove_operation(new)
    changes = diff(old, new)
    assert changes[0].severity == BREAKING and changes[-1].severity == HARMLESS


def test_the_guide_s_rule_table_is_the_engine_s():
    from conftest import ROOT

    text = (ROOT / "docs" / "how-to" / "import.md").read_text(encoding="utf-8")
    section = text.split("## Diff", 1)[1]
    rows = {}
    for line in section.splitlines():
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if len(parts) == 3 and parts[0].startswith("`") and parts[1] in (BREAKING, HARMLESS):
            rows[parts[0].strip("`")] = (parts[1], parts[2])
    assert rows == RULES
