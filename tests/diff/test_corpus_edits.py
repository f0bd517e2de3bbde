"""Pairs of real versions: corpus swaggers against copies with one known edit each, classified right.

Every corpus file compared with itself gives no change; a sample of files (every 4th) gets each edit that
applies to it, and the edit's rule must be reported with its severity (and a harmless edit nothing breaking).
The same sample, rebuilt from its imported model, shows no change at all."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from connector.diff import RULES, diff
from connector.generate.swagger import to_swagger
from connector.importer import import_connector, load_module_text
from connector.swaggerdoc import METHODS, resolve_ref
from connector.jsonio import load_json_text

from .conftest import CORPUS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")]


def corpus() -> list[tuple[str, str]]:
    out = []
    for path in sorted(CORPUS.glob("*/*/apiDefinition.swagger.json")):
        raw = path.read_bytes()
        if load_json_text(raw).ok:
            out.append((path.parent.name, raw.decode("utf-8-sig")))
    return out


FILES = corpus() if CORPUS.is_dir() else []
SAMPLE = FILES[::4]


def ops(doc):
    for path, item in doc["paths"].items():
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(item.get(method), dict) and isinstance(item[method].get("operationId"), str):
                    yield path, method, item[method]


def plain_params(doc, locations=("query", "header")):
    for path, method, op in ops(doc):
        for p in op.get("parameters") or []:
            if isinstance(p, dict) and "$ref" not in p and p.get("in") in locations and isinstance(p.get("name"), str):
                yield op, p


# -- edits: each returns False when it does not apply to the document --------------------------------------
def remove_operation(doc):
    path, method, _ = next(ops(doc))
    del doc["paths"][path][method]


def rename_operation_id(doc):
    _, _, op = next(ops(doc))
    op["operationId"] += "Renamed"


def change_method(doc):
    for path, method, _ in ops(doc):
        free = [m for m in ("patch", "put", "post", "get") if m not in doc["paths"][path]]
        if free:
            doc["paths"][path][free[0]] = doc["paths"][path].pop(method)
            return True
    return False


def change_path(doc):
    path, _, _ = next(ops(doc))
    doc["paths"][path.rstrip("/") + "/renamed"] = doc["paths"].pop(path)


def remove_parameter(doc):
    for op, p in plain_params(doc):
        op["parameters"].remove(p)
        return True
    return False


def rename_parameter(doc):
    for op, p in plain_params(doc):
        p["name"] += "Renamed"
        return True
    return False


def move_parameter(doc):
    for op, p in plain_params(doc, ("query",)):
        if not any(q.get("name") == p["name"] and q.get("in") == "header" for q in op["parameters"]
                   if isinstance(q, dict)):
            p["in"] = "header"
            return True
    return False


def make_required(doc):
    for _, p in plain_params(doc):
        if not p.get("required"):
            p["required"] = True
            return True
    return False


def change_type(doc):
    for _, p in plain_params(doc):
        if isinstance(p.get("type"), str):
            p["type"] = "integer" if p["type"] != "integer" else "string"
            return True
    return False


def remove_enum_value(doc):
    for _, p in plain_params(doc):
        enum = p.get("enum")
        if isinstance(enum, list) and len(enum) >= 2 and enum.count(enum[-1]) == 1:
            enum.pop()
            return True
    return False


def remove_response_property(doc):
    for _, _, op in ops(doc):
        for status, response in (op.get("responses") or {}).items():
            if not str(status).startswith("2") or not isinstance(response, dict):
                continue
            schema = response.get("schema")
            for _ in range(4):
                if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
                    schema = resolve_ref(doc, schema["$ref"])
                elif isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"),
                                                                                               dict):
                    schema = schema["items"]
                else:
                    break
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and schema["properties"]:
                del schema["properties"][next(iter(schema["properties"]))]
                return True
    return False


def raise_visibility(doc):
    for _, _, op in ops(doc):
        if op.get("x-ms-visibility") != "internal":
            op["x-ms-visibility"] = "internal"
            return True
    return False


def change_trigger(doc):
    _, _, op = next(ops(doc))
    op["x-ms-trigger"] = "batch" if op.get("x-ms-trigger") == "single" else "single"


def change_authentication(doc):
    defs = doc.get("securityDefinitions")
    if isinstance(defs, dict) and defs:
        name = next(iter(defs))
        defs[name] = {"type": "basic"} if defs[name].get("type") != "basic" else {"type": "apiKey", "in": "header",
                                                                                  "name": "X-Key"}
    else:
        doc["securityDefinitions"] = {"basic": {"type": "basic"}}


def add_operation(doc):
    doc["paths"]["/__added"] = {"get": {"operationId": "AddedByTheTest", "summary": "Added", "description": "New.",
                                        "responses": {"200": {"description": "OK"}}}}


def add_optional_parameter(doc):
    _, _, op = next(ops(doc))
    op.setdefault("parameters", []).append({"name": "addedByTheTest", "in": "query", "type": "string"})


def change_description(doc):
    _, _, op = next(ops(doc))
    op["description"] = str(op.get("description", "")) + " Now with more detail."


EDITS = [
    (remove_operation, "operation-removed"), (rename_operation_id, "operation-id-changed"),
    (change_method, "method-changed"), (change_path, "path-changed"), (remove_parameter, "parameter-removed"),
    (rename_parameter, "parameter-renamed"), (move_parameter, "parameter-moved"),
    (make_required, "parameter-made-required"), (change_type, "type-changed"),
    (remove_enum_value, "enum-value-removed"), (remove_response_property, "response-property-removed"),
    (raise_visibility, "visibility-internal"), (change_trigger, "trigger-kind-changed"),
    (change_authentication, "authentication-changed"), (add_operation, "operation-added"),
    (add_optional_parameter, "parameter-added"), (change_description, "description-changed"),
]


def test_every_corpus_file_against_itself_has_no_change():
    assert len(FILES) >= 400
    for name, text in FILES:
        assert diff(json.loads(text), json.loads(text)) == [], name


def test_known_edits_on_real_files_are_classified_right():
    applied: Counter[str] = Counter()
    wrong: list[str] = []
    for name, text in SAMPLE:
        original = json.loads(text)
        for edit, rule in EDITS:
            changed = json.loads(text)
            if edit(changed) is False:
                continue
            applied[rule] += 1
            changes = diff(original, changed)
            severity = RULES[rule][0]
            if not any(c.rule == rule and c.severity == severity for c in changes):
                wrong.append(f"{name}: {edit.__name__} gave {[c.rule for c in changes][:5]}")
            if severity == "harmless" and any(c.breaking for c in changes):
                wrong.append(f"{name}: harmless {edit.__name__} reported {[c.rule for c in changes if c.breaking]}")
    assert not wrong, wrong
    # the sample exercises every edit on many real files
    assert all(applied[rule] >= 10 for _, rule in EDITS), applied


def test_a_connector_rebuilt_from_its_imported_model_has_no_change():
    for name, text in SAMPLE:
        original = json.loads(text)
        rebuilt = json.loads(json.dumps(to_swagger(load_module_text(import_connector(original).source))))
        assert diff(original, rebuilt) == [], name
