"""How swagger constructs land in the model (the fixture swagger exercises each), and the module's shape."""

from __future__ import annotations

import ast
import json

import pytest

from connector.generate.swagger import to_swagger
from connector.importer import differences, import_connector, load_module_text
from connector.importer.swagger import Unsupported, read_swagger
from connector.model import ApiKey, BasicAuth, Definition, OAuth2, Parameter, Response

from .conftest import FIXTURES, load

ZOO = load(FIXTURES / "features.swagger.json")


@pytest.fixture(scope="module")
def zoo():
    connector, kept = read_swagger(ZOO)
    return connector, kept


def op(connector, op_id):
    return connector.operation(op_id)


def test_the_fixture_round_trips_through_the_module():
    result = import_connector(ZOO)
    connector = load_module_text(result.source)
    assert differences(ZOO, json.loads(json.dumps(to_swagger(connector)))) == []


def test_shared_parameter_is_one_object_reused_by_reference(zoo):
    connector, _ = zoo
    a, b = op(connector, "ListAnimals").parameters[0], op(connector, "AddAnimal").parameters[0]
    assert a is b and isinstance(a, Parameter) and a.shared == "PageSize"


def test_definitions_are_named_declarations(zoo):
    connector, _ = zoo
    body = op(connector, "AddAnimal").body
    assert isinstance(body.schema, Definition) and body.schema.name == "Animal"
    owner = next(f for f in body.schema.schema.properties if f.name == "owner")
    assert owner.definition.name == "Person" and owner.description == "Who owns it."
    names = {d.name for d in connector.imported.declarations if isinstance(d, Definition)}
    assert names == {"Pet"}  # only the definition no operation uses is listed explicitly


def test_shared_responses_keep_their_status_per_use(zoo):
    connector, _ = zoo
    r400 = op(connector, "ListAnimals").responses[1]
    r404 = op(connector, "AddAnimal").responses[1]
    assert (r400.shared, r400.status, r404.shared, r404.status) == ("Problem", "400", "Problem", "404")


def test_path_level_parameters_are_declared_on_each_operation(zoo):
    connector, kept = zoo
    assert op(connector, "GetAnimal").parameters[0] is op(connector, "DeleteAnimal").parameters[0]
    assert any(k.how == "path-level" and k.pointer == "/paths/~1animals~1{id}/parameters" for k in kept)


def test_notification_content_belongs_to_the_trigger(zoo):
    connector, _ = zoo
    trigger = op(connector, "OnAnimal")
    assert trigger.trigger == "single" and trigger.notification.name == "Animal"
    assert trigger.notification_description == "The new animal."


def test_security_and_requirement(zoo):
    connector, kept = zoo
    assert connector.security == ApiKey(name="X-Api-Key", location="header", security_name="API Key")
    assert connector.extra["security"] == []  # the file asks for no security requirement: kept as is


@pytest.mark.parametrize("definition, expected", [
    ({"type": "basic"}, BasicAuth(security_name="s")),
    ({"type": "apiKey", "in": "query", "name": "key", "description": "The key."},
     ApiKey(name="key", location="query", security_name="s", description="The key.")),
    ({"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t",
      "scopes": {"read write": "Read and write."}},
     OAuth2(authorization_url="https://a", token_url="https://t", security_name="s", scopes=("read", "write"),
            scope_description="Read and write.")),
])
def test_security_schemes_map_onto_the_model(definition, expected):
    doc = {**ZOO, "securityDefinitions": {"s": definition}, "security": [{"s": []}]}
    connector, _ = read_swagger(doc)
    assert connector.security == expected and "security" not in connector.extra


def test_several_security_schemes_are_kept_verbatim():
    defs = {"a": {"type": "basic"}, "b": {"type": "apiKey", "in": "header", "name": "k"}}
    connector, kept = read_swagger({**ZOO, "securityDefinitions": defs, "security": [{"a": [], "b": []}]})
    assert connector.security is None and connector.extra["securityDefinitions"] == defs
    assert any(k.pointer == "/securityDefinitions" for k in kept)


def test_required_list_in_another_order_is_kept_but_fields_know_they_are_required(zoo):
    connector, _ = zoo
    animal = op(connector, "AddAnimal").body.schema.schema
    assert [f.name for f in animal.properties if f.required] == ["id", "name"]
    assert animal.extra["required"] == ["name", "id"]


def test_recursive_reference_is_kept_as_a_reference_string(zoo):
    connector, kept = zoo
    animal = op(connector, "AddAnimal").body.schema.schema
    parent = next(f for f in animal.properties if f.name == "parent")
    assert parent.extra == {"$ref": "#/definitions/Animal"}
    assert any(k.how == "recursive" for k in kept)


def test_dropdown_keeps_unknown_keys(zoo):
    connector, _ = zoo
    kind = op(connector, "ListAnimals").parameters[1]
    assert kind.dropdown.operation_id == "ListKinds" and kind.dropdown.extra == {"x-ms-custom": 1}


def test_unknown_parameter_reference_is_refused():
    doc = json.loads(json.dumps(ZOO))
    doc["paths"]["/animals"]["get"]["parameters"][0] = {"$ref": "#/parameters/Nope"}
    with pytest.raises(Unsupported) as err:
        read_swagger(doc)
    assert err.value.where == "/paths/~1animals/get/parameters/0"


def test_the_module_is_valid_python_with_one_statement_per_variable():
    source = import_connector(ZOO).source
    tree = ast.parse(source)
    targets = [node.targets[0].id for node in tree.body if isinstance(node, ast.Assign)]
    assert len(targets) == len(set(targets)) and targets[-1] == "connector"
    assert "PAGE_SIZE_PARAMETER = Parameter(" in source and "reusing(PROBLEM_RESPONSE, status=\"404\")" in source
    # a dropdown refers to the operation object once that operation is declared above it
    assert "operation=ListKinds" in source and source.index("ListKinds = Operation(") < source.index(
        "operation=ListKinds")


def test_shared_response_written_once(zoo):
    source = import_connector(ZOO).source
    assert source.count('description="A problem."') == 1 and source.count("PROBLEM_RESPONSE") == 3
    assert isinstance(op(zoo[0], "AddAnimal").responses[1], Response)
