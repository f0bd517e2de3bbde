"""The model refuses typos where they are made: each mistake fails at construction with a message naming the
node, the allowed values and the fix (issue 17), and `connector build --model` prints it as one line with the
file and line of the declaration, exit code 1 (issue 13, item 11)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.model import (Connector, Definition, ModelError, Operation, Parameter, Response, Schema, body, header,
                             object_schema, path, query, string)


def test_visibility_typo_names_the_parameter_and_the_values():
    with pytest.raises(ModelError) as e:
        header("Customer-Id", label="Customer", visibility="intrenal")
    assert str(e.value) == ("parameter 'Customer-Id': visibility='intrenal' is not one of 'important', 'advanced', "
                            "'internal'. Did you mean visibility='internal'?")


def test_visibility_typo_on_a_field_and_an_operation():
    with pytest.raises(ModelError, match=r"^field 'Sender': visibility='Advanced' is not one of .*'advanced'"):
        string("Sender", visibility="Advanced")
    with pytest.raises(ModelError, match=r"^operation 'Send': visibility='importnat' .* visibility='important'"):
        Operation(id="Send", method="POST", path="/send", visibility="importnat")


def test_trigger_typo_names_the_operation():
    with pytest.raises(ModelError) as e:
        Operation(id="NewMessage", method="POST", path="/hooks", trigger="singel")
    assert str(e.value) == ("operation 'NewMessage': trigger='singel' is not one of 'single', 'batch'. "
                            "Did you mean trigger='single'?")


def test_location_typo_names_the_parameter():
    with pytest.raises(ModelError) as e:
        Parameter(name="Customer", location="haeder", schema=Schema(type="string"))
    assert str(e.value).startswith("parameter 'Customer': location='haeder' is not one of 'path', 'query', "
                                   "'header', 'body', 'formData'.")
    assert "Did you mean location='header'?" in str(e.value)


def test_type_typo_names_the_node():
    with pytest.raises(ModelError, match=r"^parameter 'limit': type='integr' is not one of .*type='integer'"):
        query("limit", type="integr")  # the value's schema is built inside query(): the parameter is named
    with pytest.raises(ModelError, match=r"^schema: type='obejct' is not one of"):
        Schema(type="obejct")


def test_status_must_be_a_string_of_digits_or_default():
    with pytest.raises(ModelError) as e:
        Response(status=200, description="OK")
    assert str(e.value) == ("response 200: status=200 must be a status code as a string or 'default'; "
                            "write status=\"200\".")
    with pytest.raises(ModelError, match="status='OK'"):
        Response(status="OK", description="OK")
    assert Response(status="default", description="Failed.").status == "default"


@pytest.mark.parametrize("build, expected", [
    (lambda: Definition(name="uuid", schema=Schema(type="string"), summary="Id"),
     "definition 'uuid': Definition has no field 'summary'; its fields are name, schema."),
    (lambda: Parameter(name="body", location="body", schema=object_schema(), type="string"),
     "parameter 'body': Parameter has no field 'type'"),
    (lambda: Parameter(name="body", location="body", schema=object_schema(), enum=("a",)),
     "parameter 'body': Parameter has no field 'enum'"),
    (lambda: Parameter(name="q", location="query", schema=Schema(type="string", label="Q")),
     "parameter 'q': its schema has label=; a query parameter carries label itself"),
    (lambda: body(object_schema(), label="Body", extra={"x-ms-summary": "Other"}),
     "parameter 'body': extra sets 'x-ms-summary', which label= already writes"),
    (lambda: string("a", label="A", extra={"x-ms-summary": "B"}),
     "field 'a': extra sets 'x-ms-summary', which label= already writes"),
    (lambda: Parameter(name="b", location="body", schema=object_schema(), url_encoding="single"),
     "parameter 'b': url_encoding applies to path, query and header parameters"),
])
def test_a_field_that_does_not_apply_is_refused(build, expected):
    with pytest.raises(ModelError) as e:
        build()
    assert expected in str(e.value)


def test_the_short_constructors_take_label_and_description_by_keyword_only():
    with pytest.raises(TypeError):
        path("id", "Id", "The id.")  # type: ignore[misc]
    p = path("id", label="Id", description="The id.")
    assert (p.label, p.description, p.schema.type, p.required) == ("Id", "The id.", "string", True)


def test_sequences_become_tuples_so_objects_stay_hashable():
    s = string("gender", enum=["Male", "Female"])
    op = Operation(id="A", method="GET", path="/a", parameters=[query("x")], tags=["t"])
    assert s.enum == ("Male", "Female") and isinstance(op.parameters, tuple) and op.tags == ("t",)
    hash(s), hash(op.tags)
    with pytest.raises(ModelError, match=r"operation 'A': tags must be a sequence .* write tags=\('t',\)"):
        Operation(id="A", method="GET", path="/a", tags="t")


def test_connector_operations_must_be_operations():
    with pytest.raises(ModelError, match=r"^connector 'T': operations=None"):
        Connector(title="T", description="d", host="h", operations=None)
    with pytest.raises(ModelError, match=r"^connector 'T': operations\[0\] is 'x', not an Operation"):
        Connector(title="T", description="d", host="h", operations=("x",))


MODEL_HEAD = "from connector.model import *\n"


@pytest.mark.parametrize("body_text, code, expected", [
    ("connector = Connector(title='T', description='d', host='h', operations=None)\n", 1,
     "m.py:2: connector 'T': operations=None; give a tuple of Operations"),
    ("connector = Connector(title='T', description='d', host='h', operations=('x',))\n", 1,
     "m.py:2: connector 'T': operations[0] is 'x', not an Operation"),
    ("p = header('X', visibility='intrenal')\n", 1,
     "m.py:2: parameter 'X': visibility='intrenal' is not one of"),
    ("import sys\nsys.exit(3)\n", 2, "m.py:3: the model called sys.exit(3)"),
    ("x = 1\ny = '\0'\n", 2, "m.py:3:6: the model file holds a NUL byte"),
])
def test_build_reports_a_bad_model_in_one_line(tmp_path, monkeypatch, body_text, code, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_bytes((MODEL_HEAD + body_text).encode())
    result = CliRunner().invoke(main, ["build", "--model", "m.py", "--out", "out"])
    assert result.exit_code == code, result.output
    assert result.output.startswith("Error: " + expected), result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_connector_defaults_operations_in_default_response_and_scopes():
    from connector.generate.swagger import to_swagger
    from connector.model import OAuth2, operations_in

    failed = Response(status="default", description="Failed.")
    helper = Operation(id="Helper", method="GET", path="/h", visibility="internal", scope="Read",
                       responses=(Response(status="200", description="OK"),))
    hook = Operation(id="Hook", method="POST", path="/hook", trigger="single", scope="Hooks",
                     responses=(Response(status="201", description="Made"),))
    act = Operation(id="Act", method="POST", path="/act", scope="Write",
                    responses=(Response(status="200", description="OK"), Response(status="default", description="Own.")))
    _hidden = Operation(id="Hidden", method="GET", path="/x")
    namespace = {"helper": helper, "hook": hook, "act": act, "again": act, "_hidden": _hidden, "n": 1}
    assert operations_in(namespace) == (act, hook, helper)  # actions, triggers, helpers; each once
    c = Connector(title="T", description="d", host="h", operations=operations_in(namespace), default_response=failed,
                  scope_prefix="https://api.example.com/", security=OAuth2(
                      authorization_url="https://l/a", token_url="https://l/t", scopes=("offline_access", "Write")))
    assert c.security.scopes == ("offline_access", "https://api.example.com/Write", "https://api.example.com/Hooks",
                                 "https://api.example.com/Read")
    assert c.scope_of(helper) == "https://api.example.com/Read"
    paths = to_swagger(c)["paths"]
    assert paths["/h"]["get"]["responses"] == {"200": {"description": "OK"}, "default": {"description": "Failed."}}
    assert paths["/act"]["post"]["responses"]["default"] == {"description": "Own."}  # its own wins
    with pytest.raises(ModelError, match="default_response has status '200'"):
        Connector(title="T", description="d", host="h", default_response=Response(status="200", description="OK"))
