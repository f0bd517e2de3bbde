"""`connector mock --model FILE`: any connector served statefully, its collections inferred from paths and
methods (SQLite), with the authentication its model declares (API key, basic, none)."""

from __future__ import annotations

import base64
import signal
import textwrap
from pathlib import Path

import httpx
import pytest

from .conftest import MockServer

MODEL = '''
from connector.model import (ApiKey, BasicAuth, Connector, Contact, Operation, Response, array_of, body,
                             object_schema, operations_in, path, string)

ITEM = object_schema(
    string("id", label="Id", description="Identifier of the item."),
    string("title", label="Title", description="What the item is.", required=True),
    string("state", label="State", description="Where it stands.", default="open"),
)
ID = path("id", label="Item", description="The item.")

CreateItem = Operation(id="CreateItem", method="POST", path="/items", summary="Create an item",
                       description="Adds an item.", parameters=(body(ITEM, label="Item", description="The item."),),
                       responses=(Response(status="201", description="Created.", schema=ITEM),))
ListItems = Operation(id="ListItems", method="GET", path="/items", summary="List items", description="Lists items.",
                      responses=(Response(status="200", description="The items.", schema=array_of(ITEM)),))
GetItem = Operation(id="GetItem", method="GET", path="/items/{id}", summary="Get an item", description="Reads one.",
                    parameters=(ID,), responses=(Response(status="200", description="The item.", schema=ITEM),))
UpdateItem = Operation(id="UpdateItem", method="PATCH", path="/items/{id}", summary="Update an item",
                       description="Changes one.", parameters=(ID, body(ITEM, label="Item", description="Changes.")),
                       responses=(Response(status="200", description="The item.", schema=ITEM),))
DeleteItem = Operation(id="DeleteItem", method="DELETE", path="/items/{id}", summary="Delete an item",
                       description="Removes one.", parameters=(ID,),
                       responses=(Response(status="204", description="Deleted."),))

connector = Connector(
    title="Items", description="Items keeps a list of things to do, for tests of the generic mock.",
    contact=Contact(name="Items", email="items@example.com", url="https://items.example.com"),
    website="https://items.example.com", privacy_policy="https://items.example.com/privacy",
    categories=("Productivity",), host="api.items.example.com", base_path="/v1",
    publisher="Items Ltd", stack_owner="Items Ltd", security=SECURITY,
    operations=operations_in(globals()),
)
'''

SECURITY = {"header": 'ApiKey(name="X-Key")', "query": 'ApiKey(name="code", location="query")',
            "basic": "BasicAuth()", "none": "None"}


def model_file(tmp_path: Path, kind: str) -> Path:
    file = tmp_path / f"items_{kind}.py"
    file.write_text(textwrap.dedent(MODEL).replace("SECURITY", SECURITY[kind]))
    return file


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(kind: str, *args: str) -> MockServer:
        server = MockServer(tmp_path / f"{kind}.db", "--model", str(model_file(tmp_path, kind)), *args).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def crud(url: str, **auth) -> None:
    """Create, read, list, update and delete act on the same state."""
    created = httpx.post(url + "/v1/items", json={"title": "Write tests"}, **auth)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["title"] == "Write tests" and item["id"] and item["state"] == "open"  # the schema's default
    assert httpx.get(f"{url}/v1/items/{item['id']}", **auth).json() == item
    assert [x["id"] for x in httpx.get(url + "/v1/items", **auth).json()] == [item["id"]]
    changed = httpx.patch(f"{url}/v1/items/{item['id']}", json={"title": "Write tests", "state": "done"}, **auth)
    assert changed.status_code == 200 and changed.json()["state"] == "done"
    assert httpx.get(f"{url}/v1/items/{item['id']}", **auth).json()["state"] == "done"
    assert httpx.delete(f"{url}/v1/items/{item['id']}", **auth).status_code == 204
    missing = httpx.get(f"{url}/v1/items/{item['id']}", **auth)
    assert missing.status_code == 404 and item["id"] in missing.json()["message"]
    assert httpx.get(url + "/v1/items", **auth).json() == []


def test_api_key_in_a_header(serve):
    mock = serve("header", "--api-key", "k-1")
    refused = httpx.get(mock.url + "/v1/items")
    assert refused.status_code == 401 and "'X-Key'" in refused.json()["message"]
    assert httpx.get(mock.url + "/v1/items", headers={"X-Key": "wrong"}).status_code == 401
    crud(mock.url, headers={"X-Key": "k-1"})


def test_api_key_in_the_query(serve):
    mock = serve("query")  # the default key, shown in --help
    assert httpx.get(mock.url + "/v1/items").status_code == 401
    crud(mock.url, params={"code": "connector-mock-key"})


def test_basic_authentication(serve):
    mock = serve("basic", "--username", "ann", "--password", "pw")
    wrong = httpx.get(mock.url + "/v1/items", auth=("ann", "nope"))
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Basic")
    crud(mock.url, headers={"Authorization": "Basic " + base64.b64encode(b"ann:pw").decode()})


def test_no_authentication_and_state_survives_a_restart(serve, tmp_path):
    mock = serve("none")
    crud(mock.url)
    kept = httpx.post(mock.url + "/v1/items", json={"id": "fixed-1", "title": "Stay"}).json()
    assert kept["id"] == "fixed-1"
    assert mock.stop() in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after its graceful shutdown
    mock.start()
    assert httpx.get(mock.url + "/v1/items/fixed-1").json() == kept


def test_a_request_the_schema_refuses_is_400_and_an_unknown_path_404(serve):
    mock = serve("none")
    bad = httpx.post(mock.url + "/v1/items", json={"state": "open"})  # title is required
    assert bad.status_code == 400
    assert httpx.get(mock.url + "/v1/nothing").status_code == 404


def test_a_recursive_response_schema_is_shaped_and_exemplified_to_a_bounded_depth():
    from connector.mock.app import MAX_SHAPE_DEPTH, compile_shape
    from connector.mock.generic import schema_example

    defs = {"Folder": {"type": "object", "properties": {"name": {"type": "string"},
                                                        "children": {"type": "array",
                                                                     "items": {"$ref": "#/definitions/Folder"}}}}}
    resolve = lambda ref: defs[ref.rsplit("/", 1)[1]]  # noqa: E731
    shape = compile_shape({"$ref": "#/definitions/Folder"}, resolve)
    deep = {"name": "0", "children": []}
    node = deep
    for i in range(MAX_SHAPE_DEPTH + 5):
        child = {"name": str(i + 1), "children": [], "extra": "dropped"}
        node["children"].append(child)
        node = child
    shaped = shape(deep)
    assert shaped["name"] == "0" and "extra" not in shaped["children"][0]
    example = schema_example({"$ref": "#/definitions/Folder"}, resolve)
    assert example["name"] == "string" and isinstance(example["children"], list)


def test_a_built_folder_is_served_as_its_model_is(tmp_path):
    """`connector mock --folder BUILT_FOLDER`: the folder `connector build` wrote, read as import reads it."""
    import subprocess
    import sys

    out = tmp_path / "built"
    subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "build", "--model",
                    str(model_file(tmp_path, "header")), "--out", str(out)], check=True, capture_output=True)
    server = MockServer(tmp_path / "folder.db", "--folder", str(out), "--api-key", "k-2").start()
    try:
        assert httpx.get(server.url + "/v1/items").status_code == 401
        crud(server.url, headers={"X-Key": "k-2"})
    finally:
        server.stop()


def test_folder_and_model_together_or_a_folder_without_a_swagger_are_refused(tmp_path):
    from click.testing import CliRunner

    from connector.cli import main

    both = CliRunner().invoke(main, ["mock", "--model", str(model_file(tmp_path, "none")), "--folder", str(tmp_path)])
    assert both.exit_code == 2 and "not both" in both.output
    empty = CliRunner().invoke(main, ["mock", "--folder", str(tmp_path), "--port", "1"])
    assert empty.exit_code == 2 and "has no apiDefinition.swagger.json" in empty.output
    assert "Traceback" not in empty.output


def test_throttling_declared_in_the_model_answers_429_with_retry_after(tmp_path):
    file = tmp_path / "items_throttled.py"
    text = model_file(tmp_path, "none").read_text()
    text = text.replace("from connector.model import (", "from connector.model import (Throttling, ")
    text = text.replace('publisher="Items Ltd",', 'publisher="Items Ltd", throttling=Throttling(calls=3, period_seconds=60),')
    file.write_text(text)
    server = MockServer(tmp_path / "throttled.db", "--model", str(file)).start()
    try:
        assert [httpx.get(server.url + "/v1/items").status_code for _ in range(3)] == [200, 200, 200]
        refused = httpx.get(server.url + "/v1/items")
        assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["error"] == "too_many_requests"
    finally:
        server.stop()


def test_a_stored_value_of_another_type_than_the_answers_schema_is_answered_as_its_example():
    """A record created through one schema (attachments as objects) and read through another (as strings)."""
    from connector.mock.app import compile_shape

    shape = compile_shape({"type": "object", "properties": {
        "attachments": {"type": "array", "items": {"type": "string"}},
        "count": {"type": "integer", "example": 3}, "title": {"type": "string"}}}, lambda ref: {})
    assert shape({"attachments": [{"name": "a"}, "b"], "count": "many", "title": "kept"}) == \
        {"attachments": ["string", "b"], "count": 3, "title": "kept"}
