"""`connector contract --model FILE`: the generic mock started for any connector, scenarios derived from its
operations (creates before reads, updates and deletes; record ids carried from call to call), schemathesis
authenticated as the connector declares (OAuth, API key in a header or the query, basic, none)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.contract.derive import (Memory, Made, Shape, lists_records_at, ordered, phase, seed_records,
                                      CREATE, READ, UPDATE)
from connector.contract.folder import ConnectorFolder
from connector.contract.fuzz import FuzzAuth, _configure

MODEL = '''
from connector.model import (ApiKey, BasicAuth, Connector, Contact, OAuth2, Operation, Response, array_of, body,
                             integer, object_schema, operations_in, path, string)

ITEM = object_schema(
    string("id", label="Id", description="Identifier of the item."),
    string("title", label="Title", description="What the item is.", required=True),
    string("state", label="State", description="Where it stands.", default="open"),
)
NOTE = object_schema(
    string("text", label="Text", description="The note.", required=True),
    integer("order", label="Order", description="Its place."),
)
ID = path("id", label="Item", description="The item.")

DeleteItem = Operation(id="DeleteItem", method="DELETE", path="/items/{id}", summary="Delete an item",
                       description="Removes one.", parameters=(ID,),
                       responses=(Response(status="204", description="Deleted."),))
GetItem = Operation(id="GetItem", method="GET", path="/items/{id}", summary="Get an item", description="Reads one.",
                    parameters=(ID,), responses=(Response(status="200", description="The item.", schema=ITEM),))
UpdateItem = Operation(id="UpdateItem", method="PATCH", path="/items/{id}", summary="Update an item",
                       description="Changes one.", parameters=(ID, body(ITEM, label="Item", description="Changes.")),
                       responses=(Response(status="200", description="The item.", schema=ITEM),))
ListItems = Operation(id="ListItems", method="GET", path="/items", summary="List items", description="Lists items.",
                      responses=(Response(status="200", description="The items.", schema=array_of(ITEM)),))
AddNote = Operation(id="AddNote", method="POST", path="/items/{id}/notes", summary="Add a note",
                    description="Adds a note to an item.",
                    parameters=(ID, body(NOTE, label="Note", description="The note.")),
                    responses=(Response(status="201", description="Added.", schema=NOTE),))
CreateItem = Operation(id="CreateItem", method="POST", path="/items", summary="Create an item",
                       description="Adds an item.", parameters=(body(ITEM, label="Item", description="The item."),),
                       responses=(Response(status="201", description="Created.", schema=ITEM),))

connector = Connector(
    title="Items", description="Items keeps a list of things to do, for tests of contract --model.",
    contact=Contact(name="Items", email="items@example.com", url="https://items.example.com"),
    website="https://items.example.com", privacy_policy="https://items.example.com/privacy",
    categories=("Productivity",), host="api.items.example.com", base_path="/v1",
    publisher="Items Ltd", stack_owner="Items Ltd", security=SECURITY,
    operations=operations_in(globals()),
)
'''

SECURITY = {
    "header": 'ApiKey(name="X-Key")',
    "query": 'ApiKey(name="code", location="query")',
    "basic": "BasicAuth()",
    "none": "None",
    "oauth": 'OAuth2(authorization_url="https://login.items.example.com/authorize", '
             'token_url="https://login.items.example.com/token", scopes=("items",))',
}


def model_file(tmp_path: Path, kind: str) -> Path:
    file = tmp_path / f"items_{kind}.py"
    file.write_text(textwrap.dedent(MODEL).replace("SECURITY", SECURITY[kind]))
    return file


def contract(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["contract", *args], env=env)


@pytest.mark.parametrize("kind", sorted(SECURITY))
def test_contract_model_passes_for_every_auth_kind(tmp_path, kind):
    result = contract("--model", str(model_file(tmp_path, kind)), "--max-examples", "3")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(("PASS", "FAIL", "SKIP"))]
    names = [line.split()[1] for line in lines]
    # creates first (the item, then a note under it), then lists, reads, updates, deletes last
    assert names == ["CreateItem", "AddNote", "ListItems", "GetItem", "UpdateItem", "DeleteItem", "schemathesis"]
    for line in lines[2:]:  # read, updated and deleted: the item the create made, not the seeded one
        if line.split()[1] in ("GetItem", "UpdateItem", "DeleteItem"):
            assert line.endswith("as declared (the record CreateItem made)"), line
    assert re.search(r"schemathesis .* \d+ operations, 0 failures, 0 errors", result.output)
    assert "6 scenarios: 6 passed, 0 failed; schemathesis passed" in result.output
    assert "Traceback" not in result.output


def test_given_credentials_are_the_ones_the_started_mock_accepts(tmp_path):
    result = contract("--model", str(model_file(tmp_path, "basic")), "--no-schemathesis",
                      env={"CONNECTOR_USERNAME": "ann", "CONNECTOR_PASSWORD": "s3cret"})
    assert result.exit_code == 0, result.output
    assert "6 scenarios: 6 passed" in result.output


def test_model_and_folder_together_are_refused(tmp_path):
    result = contract(str(tmp_path), "--model", str(model_file(tmp_path, "none")))
    assert result.exit_code == 2
    assert "give FOLDER or --model, not both" in result.output


def test_a_model_that_does_not_load_is_reported_without_a_traceback(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("connector = 1/0\n")
    result = contract("--model", str(broken))
    assert result.exit_code != 0
    assert "Traceback" not in result.output


# -- in-process: the derived order, the seeded records, what schemathesis reads ------------------------
def built(tmp_path: Path, kind: str) -> ConnectorFolder:
    out = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--model", str(model_file(tmp_path, kind)), "--out", str(out),
                                       "--profile", "mock", "--mock-url", "http://127.0.0.1:9"])
    assert result.exit_code == 0, result.output
    return ConnectorFolder.load(out)


def test_derived_order_and_record_values(tmp_path):
    folder = built(tmp_path, "none")
    ops = {op.id: op for op in folder.visible_operations()}
    assert Shape.of(ops["GetItem"]) == Shape(True, "/items", "id")
    assert Shape.of(ops["AddNote"]) == Shape(False, "/items/{id}/notes", None)
    assert (phase(ops["CreateItem"]), phase(ops["GetItem"]), phase(ops["UpdateItem"])) == (CREATE, READ, UPDATE)
    assert [op.id for op in ordered(list(ops.values()))] == ["CreateItem", "AddNote", "ListItems", "GetItem",
                                                            "UpdateItem", "DeleteItem"]
    memory = Memory(records={"/items": Made("i-1", {})})
    assert memory.path_values("/items/{id}/notes") == {"id": "i-1"}


def test_records_are_seeded_for_reads_the_run_cannot_create(tmp_path):
    folder = built(tmp_path, "none")
    records, memory = seed_records(folder, lambda schema: "x")
    assert records == {"/items": [{"id": "contract-1"}]}
    assert memory.records["/items"].id == "contract-1"


@pytest.mark.parametrize("auth, config", [
    (FuzzAuth("apiKey", "k-31337", "api_key", name="X-Key"), '[headers]\n"X-Key" = "${CONNECTOR_FUZZ_SECRET}"'),
    (FuzzAuth("apiKey", "k-31337", "api_key", name="code", in_query=True),
     '[auth.openapi."api_key"]\napi_key = "${CONNECTOR_FUZZ_SECRET}"'),
    (FuzzAuth("basic", "pw-31337", "basic_auth", user="ann"), 'Authorization = "Basic ${CONNECTOR_FUZZ_SECRET}"'),
    (FuzzAuth("bearer", "tok-31337", "oauth2_auth"), 'Authorization = "Bearer ${CONNECTOR_FUZZ_SECRET}"'),
])
def test_schemathesis_authenticates_as_declared_without_a_secret_on_the_command_line(tmp_path, auth, config):
    folder = built(tmp_path, "header")
    swagger, config_file, env = _configure(tmp_path, folder.path / "apiDefinition.swagger.json", auth)
    assert config in config_file.read_text()
    assert auth.secret not in config_file.read_text()
    assert env["CONNECTOR_FUZZ_SECRET"] in (auth.secret, "YW5uOnB3LTMxMzM3")  # the key or token; ann:pw-31337
    doc = json.loads(swagger.read_text())
    assert doc["security"]  # the model declares it; a swagger without gets it in the copy
    responses = doc["paths"]["/items/{id}"]["get"]["responses"]
    assert {"200", "400", "401", "404"} <= set(responses)  # what any authenticated API answers, declared or not
    assert "404" not in doc["paths"]["/items"]["get"]["responses"]  # a collection is there, empty or not


TASKS = Path(__file__).resolve().parents[1] / "data" / "tasks_model.py"


def test_trigger_lifecycles_and_dropdowns_of_a_model(tmp_path):
    """A webhook trigger: registered, fired through the mock's /_mock/inbound/{operationId}, the notification
    received and checked, deleted through Location, nothing after; polling triggers: 202 with Location and
    Retry-After, fired, 200 with the item, 202 again; a path parameter filled through its dropdown."""
    result = contract("--model", str(TASKS), "--max-examples", "3")
    assert result.exit_code == 0, result.output
    notes = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("PASS")}
    assert notes["OnNewTask"].endswith("registered, notified, deleted through Location, nothing after")
    for polling in ("WhenTasksAreCreated", "NewestTask"):
        assert notes[polling].endswith("202 + Location + Retry-After, fired, 200 with the item, then 202")
    assert "2 calls" in notes["ListProjectTasks"]  # the dropdown (ListProjects), then the action
    assert "7 scenarios: 7 passed, 0 failed; schemathesis passed" in result.output


EVENTS = TASKS.with_name("events_model.py")


def test_a_dropdown_whose_helper_lists_under_a_path_parameter_is_seeded_and_filled(tmp_path):
    """ListEvents is ``GET /events/{organisationId}`` answering a list (as Certopus' GetEvent): the run seeds an
    event under the organisation the organisation dropdown offers (its x-ms-dynamic-list argument is
    ``body/organisationId``), so IssueCredential's event dropdown offers it and the mock accepts it."""
    out = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", "--model", str(EVENTS), "--out", str(out), "--profile", "mock",
                                       "--mock-url", "http://127.0.0.1:9"])
    assert result.exit_code == 0, result.output
    folder = ConnectorFolder.load(out)
    assert lists_records_at(folder, folder.operation("ListEvents"))
    assert not lists_records_at(folder, folder.operation("GetOrganisation"))
    records, _ = seed_records(folder, lambda schema: "x")
    organisation = records["/organisations"][0]["id"]
    assert records[f"/events/{organisation}"] == [{"id": "contract-1-option", "title": "Contract option"}]
    assert "/events" not in records  # ListEvents reads no record by id: none seeded for it

    result = contract("--model", str(EVENTS), "--max-examples", "3")
    assert result.exit_code == 0, result.output
    notes = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("PASS")}
    assert "3 calls" in notes["IssueCredential"]  # both dropdowns opened, then the action
    assert notes["ListEvents"].endswith("200 as declared")  # its organisation is not an event the run made
    assert re.search(r"schemathesis .* 0 failures, 0 errors", result.output)
