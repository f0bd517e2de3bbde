"""Dynamic lists, dynamic schemas and trigger metadata as model concepts: one declaration writes every extension
that carries it, the declaration check and `connector validate` agree on what a reference may name, and import
maps the corpus's extensions onto the concepts (rebuilt equal)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from connector.generate.build import build
from connector.generate.swagger import to_swagger
from connector.model import (Connector, Dropdown, DynamicSchema, ModelError, Operation, Ref, Response, Schema,
                             TriggerMetadata, body, check, header, obj, object_schema, path, query, string)
from connector.validate.engine import validate_paths
from conftest import SHARED

LIST_BOARDS = Operation(id="ListBoards", method="GET", path="/boards", visibility="internal", summary="List boards",
                        description="Fills the Board dropdown.",
                        parameters=(query("workspace", label="Workspace", description="The workspace.", required=True),),
                        responses=(Response(status="200", description="The boards."),))
ITEM_SCHEMA = Operation(id="GetItemSchema", method="GET", path="/boards/{board}/schema", visibility="internal",
                        summary="Item schema", description="The fields of a board's items.",
                        parameters=(path("board", label="Board", description="The board."),),
                        responses=(Response(status="200", description="The schema."),))
WORKSPACE = string("workspaceId", label="Workspace", description="The workspace.")


def board(ref: Ref, **kw) -> object:
    return string("boardId", label="Board", description="The board.",
                  dropdown=Dropdown(operation=LIST_BOARDS, value="id", title="name", args={"workspace": ref}, **kw))


def add_item(*props, dynamic: DynamicSchema | None = None) -> Operation:
    schema = object_schema(*props)
    return Operation(id="AddItem", method="POST", path="/items", summary="Add item", description="Adds an item.",
                     parameters=(body(replace(schema, dynamic_schema=dynamic) if dynamic else schema),),
                     responses=(Response(status="200", description="OK"),))


def make(*ops: Operation) -> Connector:
    return Connector(title="T", description="A connector used by the dynamic tests.", host="h.example", operations=ops)


def prop(doc: dict, name: str) -> dict:
    return doc["paths"]["/items"]["post"]["parameters"][0]["schema"]["properties"][name]


def findings(connector: Connector, tmp_path: Path, rule: str, swagger: dict | None = None) -> list:
    """``rule``'s findings on the built connector (its swagger replaced by ``swagger`` when given: a shape the
    declaration check refuses, written by the emitter directly)."""
    out = tmp_path / "T"
    build(connector if swagger is None else make(LIST_BOARDS, ITEM_SCHEMA), out, force=True)
    if swagger is not None:
        (out / "apiDefinition.swagger.json").write_text(json.dumps(swagger), encoding="utf-8")
    return [f for f in validate_paths([out]) if f.rule == rule]


# -- one Dropdown, both extensions ------------------------------------------------------------------------------

def test_a_sibling_reference_with_its_path_writes_dynamic_values_and_a_consistent_dynamic_list(tmp_path):
    connector = make(add_item(WORKSPACE, board(Ref("workspaceId", "body/workspaceId"))), LIST_BOARDS)
    assert check(connector) == []
    item = prop(to_swagger(connector), "boardId")
    assert item["x-ms-dynamic-values"] == {"operationId": "ListBoards", "parameters": {
        "workspace": {"parameter": "workspaceId"}}, "value-path": "id", "value-title": "name"}
    assert item["x-ms-dynamic-list"] == {"operationId": "ListBoards", "itemValuePath": "id", "itemTitlePath": "name",
                                         "parameters": {"workspace": {"parameterReference": "body/workspaceId"}}}
    assert findings(connector, tmp_path, "PP1076") == []


def test_a_nested_reference_writes_the_dotted_name_and_the_slash_path(tmp_path):
    nested = obj("client", string("id", label="Client", description="The client."), label="Client",
                 description="The client.")
    connector = make(add_item(nested, board(Ref("client.id", "body/client/id"))), LIST_BOARDS)
    assert check(connector) == []
    item = prop(to_swagger(connector), "boardId")
    assert item["x-ms-dynamic-values"]["parameters"] == {"workspace": {"parameter": "client.id"}}
    assert item["x-ms-dynamic-list"]["parameters"] == {"workspace": {"parameterReference": "body/client/id"}}
    assert findings(connector, tmp_path, "PP1076") == []


def test_literals_and_plain_parameter_references_need_no_dynamic_list_unless_asked():
    header_param = header("Workspace", label="Workspace", description="The workspace.")
    dd = Dropdown(operation=LIST_BOARDS, value="id", args={"workspace": Ref("Workspace")})
    op = Operation(id="Pick", method="GET", path="/pick", summary="Pick", description="Picks.",
                   parameters=(header_param, query("board", label="Board", description="B.", dropdown=dd)),
                   responses=(Response(status="200", description="OK"),))
    doc = to_swagger(make(op, LIST_BOARDS))
    param = doc["paths"]["/pick"]["get"]["parameters"][1]
    assert "x-ms-dynamic-values" in param and "x-ms-dynamic-list" not in param
    both = replace(op, parameters=(header_param, query("board", label="Board", description="B.",
                                                       dropdown=replace(dd, args={"workspace": Ref("Workspace"),
                                                                                  "limit": 5}, emit="both"))))
    param = to_swagger(make(both, replace(LIST_BOARDS, parameters=LIST_BOARDS.parameters + (
        query("limit", label="Limit", description="L.", type="integer"),))))["paths"]["/pick"]["get"]["parameters"][1]
    assert param["x-ms-dynamic-list"]["parameters"] == {"workspace": {"parameterReference": "Workspace"},
                                                        "limit": {"value": 5}}
    only = replace(dd, emit="list")
    param = to_swagger(make(replace(op, parameters=(header_param, query("board", label="Board", description="B.",
                                                                        dropdown=only))), LIST_BOARDS))
    param = param["paths"]["/pick"]["get"]["parameters"][1]
    assert "x-ms-dynamic-values" not in param and param["x-ms-dynamic-list"]["operationId"] == "ListBoards"


def test_extra_may_not_write_what_the_dropdown_writes():
    dd = Dropdown(operation=LIST_BOARDS, value="id", args={"workspace": Ref("workspaceId", "body/workspaceId")})
    with pytest.raises(ModelError, match="x-ms-dynamic-list"):
        string("boardId", dropdown=dd, extra={"x-ms-dynamic-list": {"operationId": "Other"}})
    with pytest.raises(ModelError, match="list_extra"):
        Dropdown(operation=LIST_BOARDS, value="id", list_extra={"x-foo": 1})


# -- the declaration check and validate agree ---------------------------------------------------------------------

def test_a_reference_to_a_missing_property_is_refused_by_the_check_and_reported_by_validate(tmp_path):
    connector = make(add_item(WORKSPACE, board(Ref("workspaceId", "body/nope"))), LIST_BOARDS)
    problems = check(connector)
    assert len(problems) == 1 and "reference 'body/nope'" in problems[0] and "'body/<property>'" in problems[0]
    found = findings(connector, tmp_path, "PP1076", swagger=to_swagger(connector))
    assert [f.pointer for f in found] == [
        "/paths/~1items/post/parameters/0/schema/properties/boardId/x-ms-dynamic-list/parameters/workspace"]


def test_a_list_only_reference_to_a_missing_parameter_is_refused_and_reported(tmp_path):
    connector = make(add_item(WORKSPACE, board(Ref("missing"), emit="list")), LIST_BOARDS)
    problems = check(connector)
    assert len(problems) == 1 and "reference 'missing'" in problems[0]
    assert len(findings(connector, tmp_path, "PP1076", swagger=to_swagger(connector))) == 1


def test_a_dynamic_list_calling_an_undeclared_operation_is_refused_and_reported(tmp_path):
    connector = make(add_item(WORKSPACE, board(Ref("workspaceId", "body/workspaceId"))))
    problems = check(connector)
    assert len(problems) == 1 and "'ListBoards', which is not declared" in problems[0]
    found = findings(connector, tmp_path, "PP1075", swagger=to_swagger(connector))
    assert {f.pointer.rsplit("/", 2)[-2] for f in found} == {"x-ms-dynamic-values", "x-ms-dynamic-list"}


# -- dynamic schemas -------------------------------------------------------------------------------------------

def test_a_dynamic_schema_writes_either_spelling_or_both_from_one_declaration(tmp_path):
    ds = DynamicSchema(operation=ITEM_SCHEMA, value_path="schema/properties",
                       args={"board": Ref("boardId", "body/boardId")}, emit="both")
    connector = make(add_item(string("boardId", label="Board", description="B."), dynamic=ds), ITEM_SCHEMA)
    assert check(connector) == []
    schema = to_swagger(connector)["paths"]["/items"]["post"]["parameters"][0]["schema"]
    assert schema["x-ms-dynamic-schema"] == {"operationId": "GetItemSchema", "parameters": {
        "board": {"parameter": "boardId"}}, "value-path": "schema/properties"}
    assert schema["x-ms-dynamic-properties"] == {"operationId": "GetItemSchema", "parameters": {
        "board": {"parameterReference": "body/boardId"}}, "itemValuePath": "schema"}
    assert findings(connector, tmp_path, "PP1076") == [] and findings(connector, tmp_path, "PP1075") == []
    assert DynamicSchema(operation="X", value_path="properties").item_value_path is None
    assert DynamicSchema(operation="X", value_path="fields").item_value_path == "fields"
    only = to_swagger(make(add_item(string("boardId"), dynamic=replace(ds, emit="properties")), ITEM_SCHEMA))
    assert "x-ms-dynamic-schema" not in only["paths"]["/items"]["post"]["parameters"][0]["schema"]


def test_a_dynamic_schema_in_a_response_naming_an_undeclared_operation_is_refused_and_reported(tmp_path):
    op = Operation(id="GetItem", method="GET", path="/items/{board}", summary="Get item", description="Gets one.",
                   parameters=(path("board", label="Board", description="The board."),),
                   responses=(Response(status="200", description="OK", schema=Schema(
                       type="object", dynamic_schema=DynamicSchema(operation="Nope", args={"board": Ref("board")}))),))
    problems = check(make(op))
    assert len(problems) == 1 and "dynamic schema calls operation 'Nope'" in problems[0]
    assert len(findings(make(op), tmp_path, "PP1075", swagger=to_swagger(make(op)))) == 1


# -- trigger metadata ----------------------------------------------------------------------------------------------

def test_trigger_metadata_is_a_trigger_field():
    trigger = Operation(id="OnNewItem", method="GET", path="/trigger/items", summary="When an item is added",
                        description="Polls for new items.", trigger="batch", trigger_metadata=TriggerMetadata(),
                        responses=(Response(status="200", description="OK"),))
    op = to_swagger(make(trigger))["paths"]["/trigger/items"]["get"]
    assert op["x-ms-trigger-metadata"] == {"kind": "query", "mode": "polling"} and op["x-ms-trigger"] == "batch"
    with pytest.raises(ModelError, match="trigger_metadata applies to triggers only"):
        replace(trigger, trigger=None)
    with pytest.raises(ModelError, match="must be a non-empty string"):
        TriggerMetadata(kind="")


# -- import: the corpus's extensions become the concepts, rebuilt equal ---------------------------------------------

CORPUS = SHARED / "corpus" / "certified-connectors"
DYNAMIC_KEYS = ("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties",
                "x-ms-trigger-metadata")


def _nodes(connector: Connector):
    from connector.model.checks import _walk

    for op in connector.operations:
        yield "operation", op
        roots = [*op.parameters, *(r.schema for r in op.responses), op.notification]
        for root in roots:
            for node, _ in _walk(root, ""):
                yield "schema", node


# connector -> what its import must hold as concepts
CASES = {
    "monday": lambda nodes: any(n.dropdown is not None and n.dropdown.emits_list and n.dropdown.emits_values and any(
        isinstance(v, Ref) and v.reference and v.reference.startswith("body/") for v in n.dropdown.args.values())
        for k, n in nodes if k == "schema"),
    "Tribal": lambda nodes: any(n.dynamic_schema is not None and n.dynamic_schema.emit == "both"
                                for k, n in nodes if k == "schema"),
    "Gravity Forms Professional": lambda nodes: any(n.dynamic_schema is not None and n.dynamic_schema.emit ==
                                                    "properties" for k, n in nodes if k == "schema"),
    "WooCommerce": lambda nodes: any(n.dropdown is not None and n.dropdown.emit == "list"
                                     for k, n in nodes if k == "schema"),
    "iMIS": lambda nodes: any(n.trigger_metadata == TriggerMetadata() for k, n in nodes if k == "operation"),
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("name", sorted(CASES))
def test_import_maps_the_extensions_onto_the_concepts_and_rebuilds_equal(name, tmp_path):
    from connector.importer.roundtrip import roundtrip
    from connector.importer.swagger import read_swagger

    swagger = CORPUS / name / "apiDefinition.swagger.json"
    connector, kept = read_swagger(json.loads(swagger.read_text(encoding="utf-8-sig")))
    assert [k for k in kept if k.key in DYNAMIC_KEYS] == []  # nothing left raw
    assert CASES[name](list(_nodes(connector)))
    result = roundtrip(swagger, swagger.parent / "apiProperties.json", tmp_path)
    assert result.exact, (result.problem, result.differences[:3])


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_over_the_corpus_few_dynamic_extensions_stay_raw_and_each_says_why():
    """Before the concepts, 1074 x-ms-dynamic-* / x-ms-trigger-metadata objects stayed raw dicts in extra over the
    corpus imports; now only those whose shape the concepts cannot write back (a dynamic-values without an
    operationId, a list or properties spelling that disagrees with the other one)."""
    from connector.importer.swagger import read_swagger

    raw = []
    for swagger in sorted((SHARED / "corpus").glob("*/*/apiDefinition.swagger.json")):
        try:
            doc = json.loads(swagger.read_text(encoding="utf-8-sig"))
        except ValueError:
            continue
        raw += [(swagger.parent.name, k) for k in read_swagger(doc)[1] if k.key in DYNAMIC_KEYS]
    assert len(raw) <= 13, raw
    assert all(k.why for _, k in raw if k.how == "unfit")
    assert {k.how for _, k in raw} <= {"verbatim", "unfit"}
