"""Issue #13 item 10: swaggers that nest deeply or refer back to themselves get a one-line error and exit
code 1 from `connector import`, never a RecursionError traceback. Run as a user runs it (a process)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from connector.importer import MAX_DEPTH
from connector.swaggerdoc import too_deep

CONNECTOR = [sys.executable, "-c", "from connector.cli import main; main()"]


def small_swagger() -> dict:
    return {"swagger": "2.0", "info": {"title": "Deep", "version": "1.0", "description": "A hostile document"},
            "host": "example.com", "basePath": "/", "schemes": ["https"], "consumes": ["application/json"],
            "produces": ["application/json"],
            "paths": {"/a": {"get": {"operationId": "GetA", "summary": "Get A", "description": "Gets A",
                                     "responses": {"200": {"description": "ok"}}}}}}


def self_referring_response() -> dict:
    doc = small_swagger()
    doc["responses"] = {"r": {"$ref": "#/responses/r"}}
    doc["paths"]["/a"]["get"]["responses"]["200"] = {"$ref": "#/responses/r"}
    return doc


def deep_schema(levels: int = 220) -> dict:
    doc = small_swagger()
    schema: dict = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    doc["paths"]["/a"]["get"]["responses"]["200"] = {"description": "ok", "schema": schema}
    return doc


def deep_extension(levels: int = 900) -> dict:
    doc = small_swagger()
    value: object = 1
    for _ in range(levels):
        value = [value]
    doc["paths"]["/a"]["get"]["x-thing"] = value
    return doc


def run_import(tmp_path, doc: dict) -> subprocess.CompletedProcess:
    src = tmp_path / "in.swagger.json"
    src.write_text(json.dumps(doc))
    return subprocess.run([*CONNECTOR, "import", str(src), "--out", str(tmp_path / "out.py")],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("doc, message", [
    (self_referring_response(),
     "in.swagger.json: /responses/r: the shared response refers back to itself through $ref; give it a response "
     "object (a description and a schema)."),
    (deep_schema(),
     "in.swagger.json: /paths/~1a/get/responses/200/schema/properties/p/properties/p/...: the swagger is nested "
     f"more than {MAX_DEPTH} levels deep; connector import handles up to that (real connectors stay under 30): "
     "flatten it with definitions and $ref."),
    (deep_extension(),
     "in.swagger.json: /paths/~1a/get/x-thing/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/...: the swagger "
     f"is nested more than {MAX_DEPTH} levels deep; connector import handles up to that (real connectors stay "
     "under 30): flatten it with definitions and $ref."),
], ids=["self-referring-shared-response", "schema-220-deep", "x-value-900-deep"])
def test_hostile_swaggers_get_one_line_and_exit_1(tmp_path, doc, message):
    proc = run_import(tmp_path, doc)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(message), proc.stderr
    assert not (tmp_path / "out.py").exists()


def test_a_shared_response_chain_without_a_cycle_still_imports(tmp_path):
    doc = small_swagger()
    doc["responses"] = {"a": {"$ref": "#/responses/b"}, "b": {"description": "ok"}}
    doc["paths"]["/a"]["get"]["responses"]["200"] = {"$ref": "#/responses/a"}
    proc = run_import(tmp_path, doc)
    assert "Traceback" not in proc.stderr and "refers back to itself" not in proc.stderr


def test_nesting_within_the_limit_imports_and_round_trips(tmp_path):
    proc = run_import(tmp_path, deep_schema(40))
    assert proc.returncode == 0, proc.stderr
    assert "round trip:" in proc.stdout


def test_too_deep_is_iterative_and_names_the_place():
    value: object = "leaf"
    for _ in range(100_000):  # far beyond Python's recursion limit
        value = {"k": value}
    assert too_deep({"x": value}, 5) == "/x/k/k/k/k"
    assert too_deep({"a": [1, {"b": 2}]}, 5) is None
