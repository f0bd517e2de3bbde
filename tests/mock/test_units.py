"""The pieces under the server: the compiled validator (cross-checked with jsonschema), routes derived from
the model, SMS part counting, phone numbers, fixture checks."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector.generate.swagger import to_swagger
from connector.mock.routes import RouteTable
from connector.mock.store import load_fixture
from connector.mock.validation import SchemaCompiler, pointer
from connector.smartdialog import connector as SD
from connector.smartdialog.mock import PLUGIN
from connector.smartdialog.mock.phones import PhoneError, canonical_phone
from connector.smartdialog.mock.sms import encoding, part_count
from connector.smartdialog.mock.state import DEFAULT_FIXTURE, check_fixture

SWAGGER = to_swagger(SD)


def body_schemas():
    for item in SWAGGER["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                for p in op.get("parameters", []):
                    if p.get("in") == "body":
                        yield op["operationId"], p["schema"]


BODIES = dict(body_schemas())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5) | st.sampled_from(["SMS", "Url", "Call", "2024-05-01T10:00:00Z", "not a date"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["Sender", "Content", "Protocol", "Recipients", "Address", "Personalization", "SendDateTime",
                         "AdMessage", "phone", "birthYear", "gender", "options", "endpointUrl", "httpVerb", "name",
                         "Buttons", "Type", "x"]), children, max_size=6),
    max_leaves=12)


def objects_for(schema):
    """Values shaped roughly like the schema, so that most of the keywords get exercised."""
    if "$ref" in schema:
        return json_values
    t = schema.get("type")
    if t == "object" and schema.get("properties"):
        props = {k: objects_for(v) | json_values for k, v in schema["properties"].items()}
        return st.fixed_dictionaries({}, optional=props)
    if t == "array" and "items" in schema:
        return st.lists(objects_for(schema["items"]), max_size=3)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    return json_values


@pytest.mark.parametrize("operation_id", sorted(BODIES))
def test_compiled_validator_agrees_with_jsonschema(operation_id):
    schema = BODIES[operation_id]
    reference = jsonschema.Draft4Validator({**schema, "definitions": SWAGGER.get("definitions", {})},
                                           format_checker=jsonschema.FormatChecker())
    ours = SchemaCompiler(SWAGGER).compile(schema)

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(objects_for(schema))
    def agree(value):
        theirs = {pointer(tuple(e.absolute_path)) for e in reference.iter_errors(value)}
        found = {pointer(p) for p, _ in ours(value) or []}
        assert bool(theirs) == bool(found), (value, theirs, found)
        assert theirs <= found | {pointer(p[:-1]) for p, _ in ours(value) or []}, (value, theirs, found)

    agree()


def test_validator_keywords_beyond_the_model():
    check = SchemaCompiler({}).compile({"type": "object", "required": ["a"], "additionalProperties": False,
                                        "properties": {"a": {"type": "string", "minLength": 2, "pattern": "^x"},
                                                       "n": {"type": "integer", "maximum": 3, "format": "int32"},
                                                       "l": {"type": "array", "maxItems": 1, "uniqueItems": True},
                                                       "odd": {"not": {"type": "string"}}}})
    assert check({"a": "xy"}) is None
    problems = dict((pointer(p), r) for p, r in check({"a": "y", "n": 4, "l": [1, 1], "z": 1, "odd": "s"}))
    assert problems["/a"].startswith("must be at least 2") or "pattern" in problems["/a"]
    assert problems["/n"] == "must be at most 3"
    assert "/l" in problems and problems["/z"] == "is not an allowed property"
    assert "/odd" in problems  # 'not' is handed to jsonschema
    assert (("n",), "is out of the int32 range") in check({"a": "xy", "n": 2**40})


def test_routes_come_from_the_model():
    table = RouteTable(SD, SWAGGER)
    assert table.base_path == SD.base_path
    for op in SD.operations:
        route = next(r for r in table.routes if r.id == op.id)
        assert route.method == op.method and route.template == op.path
        declared = {p.name for p in op.parameters if p.location == "path"}
        assert set(route.path_params) == declared
    group = next(r for r in table.routes if r.id == "GetGroupContact")
    found, _ = table.lookup(b"/api-integrations/v1/groupcontact/1001/Group%205202%2FB/%2B358401234567")
    assert [(r.id, v) for r, v in found if r.method == "GET"] == \
        [("GetGroupContact", {"Customer": "1001", "Group Service": "Group 5202/B", "Phone": "+358401234567"})]
    assert group.path_params["Group Service"].decode_times == 1
    found, _ = table.lookup(b"/api-integrations/v1/whatsapp/templates/categories")
    assert found[0][0].id == "GetWhatsappTemplateCategories"  # the literal path wins over {Customer-Id}


@pytest.mark.parametrize("text, enc, parts", [
    ("", "GSM-7", 1), ("Hello", "GSM-7", 1), ("x" * 160, "GSM-7", 1), ("x" * 161, "GSM-7", 2),
    ("x" * 459, "GSM-7", 3), ("x" * 460, "GSM-7", 4), ("[" * 80, "GSM-7", 1), ("[" * 81, "GSM-7", 2),
    ("x" * 152 + "€", "GSM-7", 1), ("x" * 160 + "€", "GSM-7", 2),
    ("x" * 152 + "€" + "x" * 10, "GSM-7", 2),  # the escape pair is not split: 152 + 2 > 153 moves it
    ("Hyvää päivää", "GSM-7", 1), ("Привет", "UCS-2", 1), ("ç" * 70, "UCS-2", 1), ("😀" * 35, "UCS-2", 1),
    ("😀" * 36, "UCS-2", 2), ("a" * 66 + "😀", "UCS-2", 1), ("a" * 69 + "😀", "UCS-2", 2),
])
def test_sms_parts(text, enc, parts):
    assert encoding(text) == enc and part_count(text) == parts


def test_phone_numbers():
    assert canonical_phone("040 123 4567") == "+358401234567"
    assert canonical_phone("+358 40 123 4567", ["SE"]) == "+358401234567"
    assert canonical_phone("00358401234567") == "+358401234567"
    assert canonical_phone("076-123 45 67", ["FI", "SE"]) == "+46761234567"  # not valid in FI: SE is tried next
    assert canonical_phone("08 123 456 78", ["FI", "SE"]) == "+358812345678"  # valid in both: the first wins
    with pytest.raises(PhoneError):
        canonical_phone("12345")
    with pytest.raises(PhoneError, match="region"):
        canonical_phone("0401234567", ["Finland"])


def test_fixture_is_valid_and_problems_name_their_place():
    data, _ = load_fixture(DEFAULT_FIXTURE, PLUGIN.state)
    assert check_fixture(data) == []
    bad = {"users": [{"id": "u", "name": "U", "password": "p", "customers": ["nope"]}],
           "customers": [{"id": "1", "name": "C", "services": [{"id": "s", "name": "S", "type": "Other",
                                                                "address": "a"}]}],
           "templateCategories": ["X"], "phoneNumberRegions": [{"value": "FI"}]}
    assert check_fixture(bad) == [
        "/customers/0/services/0/type: must be one of OneWay, TwoWay, Group",
        "/users/0/customers/0: no customer has the id 'nope'",
        "/phoneNumberRegions/0: needs string 'value' and 'name'",
    ]


def test_a_path_declared_with_a_trailing_slash_is_routed_as_declared():
    import dataclasses

    ops = [dataclasses.replace(SD.operations[0], id="Slash", method="GET", path="/stations/", parameters=()),
           dataclasses.replace(SD.operations[0], id="NoSlash", method="GET", path="/stations", parameters=())]
    conn = dataclasses.replace(SD, operations=tuple(ops))
    table = RouteTable(conn, to_swagger(conn))
    base = SD.base_path.encode()
    assert [r.id for r, _ in table.lookup(base + b"/stations/")[0]] == ["Slash"]
    assert [r.id for r, _ in table.lookup(base + b"/stations")[0]] == ["NoSlash"]
