"""The model: declaration-time checks, a second connector, determinism, the build command and its safety."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openapi_spec_validator import OpenAPIV2SpecValidator

from connector.cli import main
from connector.errors import DeclarationError
from connector.generate.build import render
from connector.generate.swagger import to_swagger
from connector.model import (Connector, Dropdown, Operation, Ref, Response, body, check, header, obj, object_schema,
                             path, string)
from conftest import BUILD, DATA, ROOT

GOOD = Operation(id="GetThing", method="GET", path="/things/{id}", summary="Get thing",
                 description="Gets a thing.", parameters=(path("id", label="Id", description="The id."),),
                 responses=(Response(status="200", description="OK"),))
HELPER = Operation(id="ListThings", method="GET", path="/things", visibility="internal", summary="List things",
                   description="Lists things.", parameters=(header("Kind", label="Kind", description="Kind.", required=True,
                                                                        default="a"),),
                   responses=(Response(status="200", description="OK"),))


def make(*ops: Operation) -> Connector:
    return Connector(title="T", description="A connector used by the declaration tests.", host="h.example",
                     operations=ops)


def only_problem(connector: Connector) -> str:
    problems = check(connector)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_correct_declaration_has_no_problems():
    assert check(make(GOOD, HELPER)) == []


def test_duplicate_operation_id():
    msg = only_problem(make(GOOD, replace(GOOD, path="/other/{id}")))
    assert "operation 'GetThing'" in msg and "declared twice" in msg and "own id" in msg


def test_path_parameter_missing_from_template():
    msg = only_problem(make(replace(GOOD, path="/things")))
    assert "parameter 'id'" in msg and "'{id}' is not in the path" in msg


def test_template_variable_without_parameter():
    msg = only_problem(make(replace(GOOD, path="/things/{id}/{part}")))
    assert "'{part}'" in msg and "declare it with path(...)" in msg


def test_path_parameter_not_required():
    msg = only_problem(make(replace(GOOD, parameters=(replace(GOOD.parameters[0], required=False),))))
    assert "operation 'GetThing', parameter 'id'" in msg and "must be required" in msg


def test_dropdown_to_unknown_operation():
    p = header("Kind", label="Kind", description="Kind.", dropdown=Dropdown(operation="Nope", value="id"))
    msg = only_problem(make(replace(GOOD, parameters=GOOD.parameters + (p,))))
    assert "operation 'GetThing', parameter 'Kind'" in msg and "'Nope', which is not declared" in msg


def test_dropdown_reference_to_missing_parameter():
    p = header("Kind", label="Kind", description="Kind.", dropdown=Dropdown(operation=HELPER, value="id", args={"Kind": Ref("Missing")}))
    msg = only_problem(make(replace(GOOD, parameters=GOOD.parameters + (p,)), HELPER))
    assert "parameter 'Kind'" in msg and "refers to parameter 'Missing'" in msg and "refer to one of: id, Kind" in msg


def test_dropdown_argument_the_called_operation_lacks():
    p = header("Kind", label="Kind", description="Kind.", dropdown=Dropdown(operation=HELPER, value="id", args={"Nope": "x"}))
    msg = only_problem(make(replace(GOOD, parameters=GOOD.parameters + (p,)), HELPER))
    assert "passes 'Nope'" in msg and "use one of: Kind" in msg


# Shapes the platform accepts but certification frowns on: `connector build` takes them, and `connector validate`
# reports them with a rule id, a severity and a switch-off. A declaration check and a validate rule never
# disagree: the build is not refused for any of them.
FROWNED = {
    "internal required header without default": (
        "PP1058", replace(GOOD, parameters=GOOD.parameters + (
            header("Mode", label="Mode", description="Mode.", required=True, visibility="internal"),))),
    "internal required body property without default": (
        "PP1058", replace(GOOD, method="POST", parameters=GOOD.parameters + (body(object_schema(string(
            "mode", label="Mode", description="Mode.", required=True, visibility="internal"))),))),
    "GET with a body": (
        "PP1041", replace(GOOD, parameters=GOOD.parameters + (
            body(object_schema(string("x", label="X", description="X."))),))),
    "HEAD with a body": (
        "PP1041", replace(GOOD, method="HEAD", parameters=GOOD.parameters + (
            body(object_schema(string("x", label="X", description="X."))),))),
}


@pytest.mark.parametrize("shape", sorted(FROWNED))
def test_frowned_shapes_build_and_are_validate_rules_that_can_be_switched_off(shape, tmp_path):
    from connector.generate.build import build
    from connector.validate.engine import validate_paths

    rule, op = FROWNED[shape]
    connector = make(op)
    assert check(connector) == []  # no declaration check refuses it
    out = tmp_path / "proj" / "T"
    build(connector, out)
    findings = [f for f in validate_paths([out]) if f.rule == rule]
    assert findings and all(f.severity.value == "error" for f in findings), shape
    assert findings[0].pointer.startswith("/paths/~1things~1{id}/" + op.method.lower())
    (tmp_path / "proj" / "pyproject.toml").write_text(f'[tool.connector.validate]\ndisable = ["{rule}"]\n')
    assert [f for f in validate_paths([out]) if f.rule == rule] == []


def test_validate_exempts_what_the_model_exempts_a_visible_or_defaulted_internal_property(tmp_path):
    from connector.generate.build import build
    from connector.validate.engine import validate_paths

    fine = replace(GOOD, method="POST", parameters=GOOD.parameters + (body(object_schema(
        string("mode", label="Mode", description="Mode.", required=True, visibility="internal", default="a"),
        string("note", label="Note", description="Note.", required=True))),))
    build(make(fine), tmp_path / "T")
    assert check(make(fine)) == [] and [f for f in validate_paths([tmp_path / "T"]) if f.rule == "PP1058"] == []


def test_more_than_one_body():
    b1 = body(object_schema(string("x", label="X", description="X.")))
    b2 = body(object_schema(string("y", label="Y", description="Y.")), name="other")
    msg = only_problem(make(replace(GOOD, method="POST", parameters=GOOD.parameters + (b1, b2))))
    assert "2 body parameters" in msg and "at most one body" in msg


def test_build_reports_every_problem_without_traceback(tmp_path):
    model = tmp_path / "bad.py"
    model.write_text(
        "from connector.model import *\n"
        "op = Operation(id='A', method='GET', path='/a/{x}', summary='A', description='A thing.',"
        " responses=(Response(status='200', description='OK'),))\n"
        "connector = Connector(title='Bad', description='A broken connector for tests.', host='h',"
        " operations=(op, op))\n")
    result = CliRunner().invoke(main, ["build", "--model", str(model), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "2 problem(s)" in result.output and "declared twice" in result.output and "'{x}'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_model_file_that_raises_points_at_its_line(tmp_path):
    model = tmp_path / "boom.py"
    model.write_text("x = 1\ny = undefined_name\n")
    result = CliRunner().invoke(main, ["build", "--model", str(model)])
    assert result.exit_code == 2
    assert f"{model}:2" in result.output and "NameError" in result.output and "Traceback" not in result.output


def test_second_connector_builds_and_is_valid(tmp_path):
    result = CliRunner().invoke(main, ["build", "--model", str(DATA / "weather_model.py"), "--out",
                                       str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "w" / "apiDefinition.swagger.json").read_text())
    assert list(OpenAPIV2SpecValidator(doc).iter_errors()) == []
    forecast = doc["paths"]["/forecast/{city}"]["get"]
    city = next(p for p in forecast["parameters"] if p["name"] == "city")
    assert city["x-ms-dynamic-values"] == {"operationId": "ListCities", "parameters": {"country": {
        "parameter": "country"}}, "value-path": "code", "value-title": "name"}
    assert "securityDefinitions" not in doc
    golden = DATA / "weather.swagger.json"
    assert (tmp_path / "w" / "apiDefinition.swagger.json").read_bytes() == golden.read_bytes()


def test_same_model_same_bytes(smartdialog):
    first = render(smartdialog)
    second = render(smartdialog)
    assert first == second
    text = first["apiDefinition.swagger.json"]
    assert not text.startswith(b"\xef\xbb\xbf") and text.endswith(b"}\n") and b'\n  "info": {' in text


def test_committed_build_is_fresh(smartdialog):
    """The artifacts under build/ are committed; they must equal what the model generates now."""
    for name, data in render(smartdialog).items():
        committed = BUILD / name
        assert committed.exists(), f"{committed} is missing: run make build and commit it"
        assert committed.read_bytes() == data, f"{committed} is stale: run make build and commit it"


def test_build_refuses_to_overwrite_a_hand_written_file(tmp_path):
    out = tmp_path / "w"
    out.mkdir()
    (out / "apiDefinition.swagger.json").write_text("{\"mine\": true}\n")
    args = ["build", "--model", str(DATA / "weather_model.py"), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "was not written by a build" in result.output and "--force" in result.output
    assert (out / "apiDefinition.swagger.json").read_text() == "{\"mine\": true}\n"
    assert CliRunner().invoke(main, args + ["--force"]).exit_code == 0
    # a generated file the user then edits is protected too
    (out / "apiDefinition.swagger.json").write_text("{}\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "was edited since the last build" in result.output


def test_installed_command_runs_as_a_user_would(tmp_path):
    exe = Path(sys.executable).parent / "connector"
    proc = subprocess.run([str(exe), "build", "--model", str(DATA / "weather_model.py"), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "apiDefinition.swagger.json" in proc.stdout
    proc = subprocess.run([str(exe), "build", "--model", str(tmp_path / "missing.py")], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_reused_declarations_are_the_same_objects(smartdialog):
    """The Customer dropdown is declared once and shared by reference by every operation that picks one."""
    dropdowns = {id(p.dropdown) for op in smartdialog.operations for p in op.parameters
                 if p.name in ("Customer", "Customer-Id", "CustomerId") and p.dropdown is not None}
    assert len(dropdowns) == 1


def test_swagger_emitter_keeps_unknown_keys_verbatim():
    op = replace(GOOD, extra={"x-ms-api-annotation": {"status": "Preview"}}, path_extra={"x-custom": 1})
    doc = to_swagger(replace(make(op), extra={"x-ms-capabilities": {"testConnection": {"operationId": "GetThing"}}}))
    assert doc["paths"]["/things/{id}"]["get"]["x-ms-api-annotation"] == {"status": "Preview"}
    assert doc["paths"]["/things/{id}"]["x-custom"] == 1
    assert doc["x-ms-capabilities"]["testConnection"]["operationId"] == "GetThing"


def test_declaration_error_is_a_click_error():
    with pytest.raises(DeclarationError) as info:
        from connector.model import ensure_valid
        ensure_valid(make(GOOD, GOOD))
    assert info.value.exit_code == 1 and "declared twice" in info.value.format_message()


def test_dropdown_arguments_may_name_sibling_and_nested_body_properties_as_the_platform_resolves_them(tmp_path):
    from connector.generate.build import build
    from connector.validate.engine import validate_paths

    helper = replace(HELPER, parameters=HELPER.parameters + (
        header("Board", label="Board", description="Board.", required=False),))
    item = string("item", label="Item", description="Item.",
                  dropdown=Dropdown(operation=helper, value="id", args={"Board": Ref("boardId")}))
    deep = string("deep", label="Deep", description="Deep.",
                  dropdown=Dropdown(operation=helper, value="id", args={"Board": Ref("connections.providerId")}))
    op = Operation(id="AddItem", method="POST", path="/items", summary="Add item", description="Adds an item.",
                   parameters=(body(object_schema(string("boardId", label="Board", description="Board."), item,
                                                  obj("connections", string("providerId", label="Provider",
                                                                            description="Provider."), deep))),),
                   responses=(Response(status="200", description="OK"),))
    assert check(make(op, helper)) == []
    build(make(op, helper), tmp_path / "T")
    assert [f for f in validate_paths([tmp_path / "T"]) if f.rule == "PP1076"] == []
    wrong = string("item", label="Item", description="Item.",
                   dropdown=Dropdown(operation=helper, value="id", args={"Board": Ref("connections.nope")}))
    bad = replace(op, parameters=(body(object_schema(string("boardId", label="B", description="B."), wrong,
                                                     obj("connections", string("providerId", label="P",
                                                                               description="P.")))),))
    msg = only_problem(make(bad, helper))
    assert "refers to parameter 'connections.nope'" in msg

