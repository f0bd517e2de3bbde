"""Semantic equality: each documented normalisation, and real differences still found with their pointer."""

from __future__ import annotations

import copy

from connector.importer.compare import differences, semantically_equal

BASE = {
    "swagger": "2.0", "info": {"title": "T", "version": "1"}, "host": "h", "schemes": ["https"],
    "paths": {"/a/{id}": {"get": {"operationId": "A", "parameters": [
        {"name": "id", "in": "path", "required": True, "type": "string"},
        {"name": "q", "in": "query", "required": False, "type": "integer"}],
        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Thing"}}}}}},
    "definitions": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}},
}


def variant(**edits):
    doc = copy.deepcopy(BASE)
    for path, value in edits.items():
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[p]
        node[last] = value
    return doc


def test_key_order_does_not_matter():
    doc = copy.deepcopy(BASE)
    reordered = {k: doc[k] for k in reversed(list(doc))}
    assert differences(BASE, reordered) == []


def test_a_reference_equals_its_inlined_target():
    inlined = copy.deepcopy(BASE)
    op = inlined["paths"]["/a/{id}"]["get"]
    op["responses"]["200"]["schema"] = copy.deepcopy(BASE["definitions"]["Thing"])
    assert differences(BASE, inlined) == []


def test_keys_beside_a_reference_lay_over_its_target():
    a = copy.deepcopy(BASE)
    a["paths"]["/a/{id}"]["get"]["responses"]["200"]["schema"] = {"$ref": "#/definitions/Thing", "description": "d"}
    b = copy.deepcopy(BASE)
    b["paths"]["/a/{id}"]["get"]["responses"]["200"]["schema"] = {**BASE["definitions"]["Thing"], "description": "d"}
    assert differences(a, b) == []


def test_recursive_definitions_compare_without_looping():
    a = copy.deepcopy(BASE)
    a["definitions"]["Thing"]["properties"]["child"] = {"$ref": "#/definitions/Thing"}
    b = copy.deepcopy(a)
    assert differences(a, b) == []
    b["definitions"]["Thing"]["properties"]["child"] = {"type": "object"}
    assert differences(a, b) != []


def test_empty_top_level_containers_equal_absent_ones():
    doc = variant(parameters={}, responses={}, securityDefinitions={}, tags=[])
    assert differences(BASE, doc) == []
    doc = variant(definitions={})
    assert differences(BASE, doc) != []  # BASE's definitions are not empty


def test_absent_operation_parameters_equal_empty_ones():
    a = copy.deepcopy(BASE)
    del a["paths"]["/a/{id}"]["get"]["parameters"]
    b = copy.deepcopy(a)
    b["paths"]["/a/{id}"]["get"]["parameters"] = []
    assert differences(a, b) == []


def test_path_level_parameters_equal_operation_level_ones():
    a = copy.deepcopy(BASE)
    item = a["paths"]["/a/{id}"]
    item["parameters"] = [item["get"]["parameters"].pop(0)]
    assert differences(BASE, a) == []
    # an operation-level parameter of the same name and location wins over the path-level one
    item["parameters"][0] = {**item["parameters"][0], "description": "ignored"}
    item["get"]["parameters"].insert(0, copy.deepcopy(BASE["paths"]["/a/{id}"]["get"]["parameters"][0]))
    assert differences(BASE, a) == []


def test_required_false_equals_absent():
    a = copy.deepcopy(BASE)
    del a["paths"]["/a/{id}"]["get"]["parameters"][1]["required"]
    assert differences(BASE, a) == []


def test_real_differences_are_found_with_their_pointer():
    b = copy.deepcopy(BASE)
    b["definitions"]["Thing"]["properties"]["name"]["type"] = "integer"
    found = differences(BASE, b)
    assert any(f.startswith("/definitions/Thing/properties/name/type: \"string\" against \"integer\"")
               for f in found)
    assert any(f.startswith("/paths/~1a~1{id}/get/responses/200/schema/properties/name/type") for f in found)
    b = copy.deepcopy(BASE)
    b["paths"]["/a/{id}"]["get"]["parameters"][1]["required"] = True
    assert differences(BASE, b)[0].startswith("/paths/~1a~1{id}/get/parameters/1/required")


def test_scalars_compare_strictly():
    assert not semantically_equal(variant(**{"info.version": "1"}), variant(**{"info.version": 1}))
    a = variant(**{"definitions.Thing.default": True})
    b = variant(**{"definitions.Thing.default": 1})
    assert not semantically_equal(a, b)
