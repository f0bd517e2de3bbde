"""Mutually and self-referring schemas: the written module loads (no name used before it is defined) and builds
the swagger back, through the commands a user runs."""

from __future__ import annotations

import json

import pytest

from connector.cli import main
from connector.importer import differences
from connector.model import load_model

from .conftest import CORPUS

# Three kinds of cycle in one swagger:
# - Folder.parent refers to Folder itself, Folder.owner to Person and Person.folders back to Folder;
# - Folder.parentId is a dropdown over ListFolders, whose answer is a list of Folder (the definition holding the
#   dropdown is used by the operation the dropdown calls: Eduframe's and Dime.Scheduler's shape);
# - GetFolder's folderId is a dropdown over GetFolder's sibling ListFolders, declared after it.
RECURSIVE = {
    "swagger": "2.0",
    "info": {"title": "Folders", "version": "1.0", "description": "Folders that contain folders."},
    "host": "folders.example.com",
    "basePath": "/",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "paths": {
        "/folders/{folderId}": {
            "get": {
                "operationId": "GetFolder",
                "summary": "Get a folder",
                "parameters": [{
                    "name": "folderId", "in": "path", "required": True, "type": "string",
                    "x-ms-dynamic-values": {"operationId": "ListFolders", "value-path": "id",
                                            "value-title": "name"},
                }],
                "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Folder"}}},
            },
        },
        "/folders": {
            "get": {
                "operationId": "ListFolders",
                "summary": "List folders",
                "responses": {"200": {"description": "OK", "schema": {
                    "type": "array", "items": {"$ref": "#/definitions/Folder"}}}},
            },
        },
    },
    "definitions": {
        "Folder": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "parentId": {"type": "string", "x-ms-dynamic-values": {
                    "operationId": "ListFolders", "value-path": "id", "value-title": "name"}},
                "parent": {"$ref": "#/definitions/Folder"},
                "owner": {"$ref": "#/definitions/Person"},
            },
        },
        "Person": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "folders": {"type": "array", "items": {"$ref": "#/definitions/Folder"}},
            },
        },
    },
}


def _import_and_build(runner, source, tmp_path, original):
    module = tmp_path / "model.py"
    done = runner.invoke(main, ["import", str(source), "--out", str(module)])
    assert done.exit_code == 0, done.output
    assert "round trip:" in done.output
    connector = load_model(module)  # loads: nothing used before it is defined
    built = runner.invoke(main, ["build", "--model", str(module), "--out", str(tmp_path / "built")])
    assert built.exit_code == 0, built.output
    rebuilt = json.loads((tmp_path / "built" / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert differences(original, rebuilt) == []
    return connector, module.read_text(encoding="utf-8")


def test_mutually_and_self_referring_schemas_import_into_a_module_that_loads_and_builds_back(runner, tmp_path):
    source = tmp_path / "apiDefinition.swagger.json"
    source.write_text(json.dumps(RECURSIVE), encoding="utf-8")
    connector, text = _import_and_build(runner, source, tmp_path, RECURSIVE)
    assert [op.id for op in connector.operations] == ["GetFolder", "ListFolders"]
    # the dropdown inside Folder names ListFolders by its id: ListFolders' answer needs Folder first
    assert text.index("FOLDER = Definition(") < text.index("ListFolders = Operation(")
    assert 'Dropdown(operation="ListFolders"' in text
    folder = connector.operations[0].responses[0].schema
    assert folder.name == "Folder"
    parent_id = next(f for f in folder.schema.properties if f.name == "parentId")
    assert parent_id.dropdown.operation_id == "ListFolders"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("name", ["Dime.Scheduler", "Eduframe"])
def test_corpus_connectors_with_mutually_referring_schemas_load_and_build_back(runner, tmp_path, name):
    folder = CORPUS / "certified-connectors" / name
    original = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    connector, text = _import_and_build(runner, folder, tmp_path, original)
    assert len(connector.operations) > 10 and "Dropdown(operation=" in text
