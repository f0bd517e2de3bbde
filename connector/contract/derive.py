"""Scenarios derived from a connector's operations, for a connector without a hand-written pack.

Every visible action runs once, with its inputs filled the way the designer fills them (dropdowns opened,
an option picked), in an order that makes the calls meaningful against a stateful service:

1. creates (``POST`` on a collection path), then
2. lists (``GET`` on a collection), reads (``GET`` on a record path ``.../{id}``), other actions,
3. updates (``PUT``/``PATCH``/``POST`` on a record), then
4. deletes (record, then collection).

A path ending in a parameter is one record of the collection its prefix names (as ``connector mock`` infers
it). The id a create made (the body's ``id``/``uuid``/``key``/``name`` field, which the scenario sets, or
the answer's) fills the record parameter of the later calls on that collection, and of any path that nests
under that record. A record path whose collection no operation creates (or whose create gave no id to find
it by) reads a record the run seeds: ``seed_records`` gives the fixture records (collection path -> objects)
for the mock this run starts.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

from .dropdowns import dropdowns
from .folder import ConnectorFolder, OperationSpec
from .request_builder import is_internal
from ..swaggerdoc import RECORD_ID_FIELDS, lists_records

ID_FIELDS = RECORD_ID_FIELDS  # the fields `connector mock` takes a record's id from, in order
_PARAM = re.compile(r"^\{([^}/]+)\}$")

CREATE, LIST, READ, OTHER, UPDATE, DELETE_RECORD, DELETE_COLLECTION = range(7)
TRIGGER = 8
PHASES = {CREATE: "create", LIST: "list", READ: "read", OTHER: "action", UPDATE: "update",
          DELETE_RECORD: "delete", DELETE_COLLECTION: "delete all", TRIGGER: "trigger"}


@dataclass(frozen=True)
class Shape:
    """Where an operation acts: a record (``/items/{id}``) or a collection (``/items``)."""

    record: bool
    prefix: str  # the collection's path template (``/items``)
    id_param: str | None

    @classmethod
    def of(cls, op: OperationSpec) -> "Shape":
        segments = op.path.rstrip("/").split("/")
        last = _PARAM.match(segments[-1] or "") if segments else None
        if last:
            return cls(True, "/".join(segments[:-1]) or "/", last.group(1))
        return cls(False, "/".join(segments) or "/", None)


def phase(op: OperationSpec) -> int:
    if op.is_trigger:
        return TRIGGER
    shape = Shape.of(op)
    if shape.record:
        return {"GET": READ, "DELETE": DELETE_RECORD}.get(op.method, UPDATE if op.method in ("PUT", "PATCH", "POST")
                                                            else OTHER)
    return {"POST": CREATE, "GET": LIST, "DELETE": DELETE_COLLECTION}.get(op.method, OTHER)


def ordered(ops: list[OperationSpec]) -> list[OperationSpec]:
    """Operations in the order the derived scenarios run them: by phase; creates of shallower paths first
    (an item before its notes); otherwise as the swagger lists them."""
    return sorted(ops, key=lambda op: (phase(op), op.path.count("/") if phase(op) == CREATE else 0))


@dataclass
class Made:
    """A record the run created or seeded: its id, and the path values it was made under."""

    id: Any
    scope: dict[str, Any]
    by: str = "seeded"  # the operation that made it, or "seeded"


@dataclass
class Memory:
    """What the derived scenarios of one run know: records by collection path template."""

    run_id: str = field(default_factory=lambda: secrets.token_hex(3))
    records: dict[str, Made] = field(default_factory=dict)

    def path_values(self, path: str) -> dict[str, Any]:
        """Values for a path template's parameters that name records this run knows: for
        ``/projects/{p}/tasks/{t}``, ``p`` from a project made earlier, ``t`` from a task made under it."""
        out: dict[str, Any] = {}
        segments = path.split("/")
        for i, segment in enumerate(segments):
            m = _PARAM.match(segment)
            if not m:
                continue
            made = self.records.get("/".join(segments[:i]) or "/")
            if made is not None:
                for k, v in made.scope.items():
                    out.setdefault(k, v)
                out[m.group(1)] = made.id
        return out


def id_field(folder: ConnectorFolder, op: OperationSpec) -> tuple[str, dict[str, Any]] | None:
    """The body field of a create that `connector mock` takes the new record's id from (the first of
    ``ID_FIELDS`` the body declares, any case), with its schema."""
    body = op.body_parameter
    if body is None or is_internal(body):
        return None
    schema = _resolve(folder, body.get("schema") or {})
    props = schema.get("properties") or {}
    for wanted in ID_FIELDS:
        for name, sub in props.items():
            if str(name).lower() == wanted:
                sub = _resolve(folder, sub)
                if is_internal(sub) or sub.get("enum") or sub.get("readOnly") or sub.get("type") not in (None, "string", "integer"):
                    return None
                return str(name), sub
    return None


def record_id(data: Any) -> str | None:
    """A record's id in an answer, the way `connector mock` finds it."""
    if isinstance(data, dict):
        for wanted in ID_FIELDS:
            for k, v in data.items():
                if str(k).lower() == wanted and isinstance(v, (str, int)) and not isinstance(v, bool):
                    return str(v)
    return None


def seed_records(folder: ConnectorFolder, make: Callable[[dict[str, Any]], Any]
                 ) -> tuple[dict[str, list[dict]], Memory]:
    """The records a run against the mock starts with (the mock's ``--seed`` fixture: collection path ->
    objects), and the memory of them:

    - for each collection a visible operation reads, updates or deletes by id (not a GET answering the list
      its last path parameter selects, ``lists_records_at``) (used when no operation
      creates one, or the create's id cannot be found): one record, id ``contract-1`` (``1`` for a numeric
      id), under the collection path its scope parameters make (a record nested under another seeded one:
      that one's id; else a value ``make`` makes from the parameter's schema);
    - for each dropdown (x-ms-dynamic-values) whose operation lists a collection (or, as ``GET
      /events/{organisationId}``, the records a path parameter selects: ``lists_records_at``): one record
      carrying a value at its ``value-path`` (and a title at ``value-title``), so that the dropdown offers an
      option; under the path values its arguments take, the option seeded for a dropdown they refer to
      (``body/organisationId``) where there is one."""
    ops = [op for op in folder.visible_operations() if not op.is_trigger]
    memory = Memory()
    records: dict[str, list[dict]] = {}
    for op in sorted(ops, key=lambda o: o.path.count("/")):
        shape = Shape.of(op)
        if not shape.record or shape.prefix in memory.records or lists_records_at(folder, op):
            continue  # (a GET answering a list reads no record: see lists_records_at)
        scope = memory.path_values(shape.prefix)
        segments = shape.prefix.split("/")
        for segment in segments:
            m = _PARAM.match(segment)
            if m and m.group(1) not in scope:
                scope[m.group(1)] = make(op.parameter(m.group(1)) or {})
        concrete = "/".join(str(scope[m.group(1)]) if (m := _PARAM.match(s)) else s for s in segments)
        id_schema = _resolve(folder, op.parameter(shape.id_param or "") or {})
        rid = SEEDED_NUMBER if id_schema.get("type") in ("integer", "number") else SEEDED_ID
        records.setdefault(concrete, []).append({"id": rid})
        memory.records[shape.prefix] = Made(rid, scope)
    for op in folder.visible_operations():
        offered: dict[tuple[str, ...], Any] = {}  # the value seeded for each dropdown of this operation
        for dd in sorted(dropdowns(folder, op), key=lambda d: len(d.references())):  # referred ones first
            _seed_option(folder, op, dd, records, memory, make, offered)
    return records, memory


def lists_records_at(folder: ConnectorFolder, op: OperationSpec) -> bool:
    """Is ``op``'s path one ending in a parameter whose GET answers a list (``GET /events/{organisationId}``),
    which ``connector mock`` serves as the sub-collection that parameter selects (``swaggerdoc.lists_records``;
    a POST there creates in it)?"""
    if op.method != "GET":
        get = next((o for o in folder.operations.values() if o.method == "GET" and o.path == op.path), None)
        return op.method == "POST" and get is not None and lists_records_at(folder, get)
    responses = op.data.get("responses") or {}
    status = next((c for c in map(str, responses) if c.isdigit() and c.startswith("2")), None)  # as the mock
    schema = _resolve(folder, (_resolve(folder, responses.get(status)) if status else {}).get("schema"))
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    top = [] if kind == "array" else {name: [] if _resolve(folder, sub).get("type") == "array" else None
           for name, sub in (schema.get("properties") or {}).items()} if kind == "object" else None
    return lists_records(top, op.path)


def _seed_option(folder: ConnectorFolder, op: OperationSpec, dd: Any, records: dict[str, list[dict]],
                 memory: Memory, make: Callable[[dict[str, Any]], Any],
                 offered: dict[tuple[str, ...], Any] | None = None) -> None:
    helper = folder.operations.get(dd.operation_id or "")
    if helper is None or helper.method != "GET" or helper.is_trigger or \
            (Shape.of(helper).record and not lists_records_at(folder, helper)):
        return
    offered = {} if offered is None else offered
    args = dd.spec.get("parameters") or {}
    values = dict(memory.path_values(helper.path))
    for segment in helper.path.split("/"):
        m = _PARAM.match(segment)
        if not m or m.group(1) in values:
            continue
        arg = args.get(m.group(1))
        if isinstance(arg, dict) and "value" in arg:
            values[m.group(1)] = arg["value"]
        elif isinstance(arg, dict) and "parameter" in arg:
            ref = str(arg["parameter"])
            target = tuple(ref.split("/")) if "/" in ref else (ref,)
            sibling = (*dd.target[:-1], ref) if len(dd.target) > 1 and "/" not in ref else None
            if target in offered or sibling in offered:  # the option seeded for the dropdown it refers to
                values[m.group(1)] = offered[target if target in offered else sibling]
            elif len(target) > 1:
                values[m.group(1)] = make(_target_schema(folder, op, target))
            else:
                referred = op.parameter(ref) or {}
                values[m.group(1)] = referred.get("default", make(referred))
        elif not isinstance(arg, dict) and arg is not None:
            values[m.group(1)] = arg
        else:
            values[m.group(1)] = make(helper.parameter(m.group(1)) or {})
    concrete = "/".join(str(values[m.group(1)]) if (m := _PARAM.match(s)) else s for s in helper.path.split("/"))
    target = _target_schema(folder, op, dd.target)
    value = target["enum"][0] if target.get("enum") else make(target)
    shape = Shape.of(op)
    if shape.record and dd.target == (shape.id_param,) and shape.prefix in memory.records:
        value = memory.records[shape.prefix].id  # the dropdown picks a record: the one seeded
    if isinstance(value, (dict, list)) or value is None:
        return
    existing = records.setdefault(concrete, [])
    record = existing[0] if existing else {"id": f"{SEEDED_ID}-option"}
    if not existing:
        existing.append(record)
    for path, v in ((dd.spec.get("value-path"), value), (dd.spec.get("value-title"), "Contract option")):
        if not path:
            continue
        node = record
        steps = str(path).split("/")
        for step in steps[:-1]:
            node = node.setdefault(step, {}) if isinstance(node.get(step, {}), dict) else {}
        node.setdefault(steps[-1], v)
        if v is value:
            offered[dd.target] = node[steps[-1]]


def _target_schema(folder: ConnectorFolder, op: OperationSpec, target: tuple[str, ...]) -> dict[str, Any]:
    """The schema of a dropdown's parameter or body field (items of an array: their schema)."""
    param = op.parameter(target[0]) or {}
    if param.get("in") != "body":
        return _resolve(folder, param.get("items") if len(target) > 1 else param)
    schema = _resolve(folder, param.get("schema") or {})
    for step in target[1:]:
        schema = _resolve(folder, schema.get("items") if step == "[]" else (schema.get("properties") or {}).get(step))
    return schema


SEEDED_ID = "contract-1"
SEEDED_NUMBER = 1


def _resolve(folder: ConnectorFolder, schema: Any) -> dict[str, Any]:
    for _ in range(10):
        if isinstance(schema, dict) and "$ref" in schema:
            schema = folder.resolve_ref(schema["$ref"]) or {}
        else:
            break
    return schema if isinstance(schema, dict) else {}
