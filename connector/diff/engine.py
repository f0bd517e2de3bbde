"""Classify the differences between two versions of a connector as breaking (existing flows stop working) or
harmless.

Operations are matched by operationId first, then, among the rest, by method and path (a match that way is an
operationId change). Parameters are matched by name and location after path-level parameters are pushed into
each operation and ``$ref``s are resolved. Schemas (request bodies, responses, webhook payloads) are compared as
if every ``$ref`` were inlined, property by property, so a pointer into a schema reads like that inlined form
(``.../schema/properties/owner/properties/name``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..jsonio import strict_equal
from ..swaggerdoc import deref_chain, effective_parameters, iter_operations, pointer

BREAKING, HARMLESS = "breaking", "harmless"
MAX_DEPTH = 12  # schema levels compared (recursive schemas stop here)


@dataclass(frozen=True)
class Change:
    rule: str  # stable id, e.g. "parameter-removed"
    severity: str  # "breaking" or "harmless"
    pointer: str  # where, in the new document (in the old one for something removed)
    message: str
    operation: str | None = None  # the operationId concerned

    @property
    def breaking(self) -> bool:
        return self.severity == BREAKING

    def as_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity, "pointer": self.pointer, "message": self.message}
        if self.operation is not None:
            out["operationId"] = self.operation
        return out


# rule id -> (severity, what it means): the table the README shows
RULES: dict[str, tuple[str, str]] = {
    "operation-removed": (BREAKING, "an operation is gone"),
    "operation-id-changed": (BREAKING, "same method and path, another operationId"),
    "method-changed": (BREAKING, "same operationId, another HTTP method"),
    "path-changed": (BREAKING, "same operationId, another path"),
    "base-path-changed": (BREAKING, "every operation's URL changes"),
    "parameter-removed": (BREAKING, "a parameter is gone"),
    "parameter-renamed": (BREAKING, "a parameter is gone and a like one (same location, type, position) is new"),
    "parameter-moved": (BREAKING, "same name, another location (query, header, path, body...)"),
    "parameter-made-required": (BREAKING, "an optional parameter or request property became required"),
    "required-parameter-added": (BREAKING, "a new required parameter or request property without a default"),
    "type-changed": (BREAKING, "a parameter's or property's type changed"),
    "format-changed": (BREAKING, "a parameter's or property's format changed"),
    "enum-value-removed": (BREAKING, "a value a parameter or request property accepted is no longer allowed"),
    "enum-added": (BREAKING, "a parameter or request property that took any value now takes a list"),
    "request-property-removed": (BREAKING, "a request body property is gone"),
    "response-property-removed": (BREAKING, "a response (or webhook payload) property flows may read is gone"),
    "response-removed": (BREAKING, "a success (2xx) response is gone"),
    "visibility-internal": (BREAKING, "an operation, parameter or property became internal (hidden)"),
    "trigger-kind-changed": (BREAKING, "x-ms-trigger changed (single, batch, or not a trigger)"),
    "authentication-changed": (BREAKING, "the security definition or connection parameters changed"),
    "operation-added": (HARMLESS, "a new operation"),
    "parameter-added": (HARMLESS, "a new optional parameter (or required with a default)"),
    "request-property-added": (HARMLESS, "a new optional request property"),
    "response-property-added": (HARMLESS, "a new response property"),
    "response-added": (HARMLESS, "a new response"),
    "enum-value-added": (HARMLESS, "an enum accepts one more value (or a response enum changed)"),
    "enum-removed": (HARMLESS, "an enum restriction is lifted"),
    "parameter-made-optional": (HARMLESS, "a required parameter or request property became optional"),
    "description-changed": (HARMLESS, "summary, description, title or x-ms-summary text changed"),
    "visibility-changed": (HARMLESS, "x-ms-visibility changed, but not to internal"),
    "default-changed": (HARMLESS, "a default value changed"),
    "deprecated": (HARMLESS, "an operation was marked deprecated (or no longer is)"),
    "dropdown-changed": (HARMLESS, "x-ms-dynamic-values or another dynamic extension changed"),
    "response-changed": (HARMLESS, "a non-success response is gone or changed"),
    "info-changed": (HARMLESS, "title, version, description, contact or metadata changed"),
    "host-changed": (HARMLESS, "the host changed (flows keep working if the API moved with it)"),
    "other-changed": (HARMLESS, "another key changed (extensions, tags, examples...)"),
}

TEXT_KEYS = ("summary", "description", "title", "x-ms-summary")
DYNAMIC_KEYS = ("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties",
                "x-ms-dynamic-tree")


class Differ:
    def __init__(self, old: Any, new: Any, old_properties: Any = None, new_properties: Any = None):
        self.old, self.new = old, new
        self.old_properties, self.new_properties = old_properties, new_properties
        self.changes: list[Change] = []
        self._clean: set[tuple] = set()  # (old ref, new ref, direction) compared without a change
        self._done: set[tuple] = set()  # ((old ref, new ref, direction), operationId) already compared

    def add(self, rule: str, where: str, message: str, operation: str | None = None) -> None:
        self.changes.append(Change(rule, RULES[rule][0], where, message, operation))

    # -- document --------------------------------------------------------------------------------------------
    def run(self) -> list[Change]:
        old, new = self.old, self.new
        if old.get("basePath", "/") != new.get("basePath", "/"):
            self.add("base-path-changed", "/basePath", f"basePath changed from {_q(old.get('basePath'))} to "
                                                        f"{_q(new.get('basePath'))}")
        if old.get("host") != new.get("host"):
            self.add("host-changed", "/host", f"host changed from {_q(old.get('host'))} to {_q(new.get('host'))}")
        if not strict_equal(old.get("info"), new.get("info")) or not strict_equal(
                old.get("x-ms-connector-metadata"), new.get("x-ms-connector-metadata")):
            self.add("info-changed", "/info", "the connector's info or metadata changed")
        self._authentication()
        self._operations()
        return self.changes

    def _authentication(self) -> None:
        old_defs, new_defs = self.old.get("securityDefinitions") or {}, self.new.get("securityDefinitions") or {}

        def essential(defs: Any) -> Any:
            if not isinstance(defs, dict):
                return defs
            return {k: {x: y for x, y in v.items() if x != "description"} if isinstance(v, dict) else v
                    for k, v in defs.items()}

        if not strict_equal(essential(old_defs), essential(new_defs)):
            self.add("authentication-changed", "/securityDefinitions", "the security definition changed: "
                     f"{_describe_security(old_defs)} -> {_describe_security(new_defs)}")
        elif not strict_equal(old_defs, new_defs):
            self.add("description-changed", "/securityDefinitions", "a security definition's description changed")
        if not strict_equal(self.old.get("security") or [], self.new.get("security") or []):
            self.add("authentication-changed", "/security", "the security requirement changed")
        old_cp = _connection_parameters(self.old_properties)
        new_cp = _connection_parameters(self.new_properties)
        if self.old_properties is not None and self.new_properties is not None and not strict_equal(old_cp, new_cp):
            self.add("authentication-changed", "/properties/connectionParameters",
                     "apiProperties.json: the connection parameters changed")

    def _operations(self) -> None:
        old_ops, new_ops = list(iter_operations(self.old)), list(iter_operations(self.new))
        matched: list[tuple[tuple, tuple]] = []
        new_by_id: dict[str, tuple] = {}
        for entry in new_ops:
            new_by_id.setdefault(entry[2].get("operationId"), entry)
        used: set[int] = set()
        rest: list[tuple] = []
        for entry in old_ops:
            op_id = entry[2].get("operationId")
            candidate = new_by_id.get(op_id) if isinstance(op_id, str) else None
            if candidate is not None and id(candidate) not in used:
                used.add(id(candidate))
                matched.append((entry, candidate))
            else:
                rest.append(entry)
        by_route = {(m, p.lower()): e for e in new_ops if id(e) not in used for p, m, _ in [e]}
        for entry in rest:
            path, method, op = entry
            candidate = by_route.get((method, path.lower()))
            if candidate is not None and id(candidate) not in used:
                used.add(id(candidate))
                matched.append((entry, candidate))
            else:
                self.add("operation-removed", pointer("paths", path, method),
                         f"operation {_q(op.get('operationId'))} ({method.upper()} {path}) was removed",
                         op.get("operationId"))
        for entry in new_ops:
            if id(entry) not in used:
                path, method, op = entry
                self.add("operation-added", pointer("paths", path, method),
                         f"operation {_q(op.get('operationId'))} ({method.upper()} {path}) was added",
                         op.get("operationId"))
        for old_entry, new_entry in matched:
            self._operation(old_entry, new_entry)

    # -- one operation ---------------------------------------------------------------------------------------
    def _operation(self, old_entry: tuple, new_entry: tuple) -> None:
        (old_path, old_method, old_op), (path, method, op) = old_entry, new_entry
        where = pointer("paths", path, method)
        op_id = op.get("operationId")
        name = _q(op_id)
        if old_op.get("operationId") != op_id:
            self.add("operation-id-changed", where + "/operationId",
                     f"{method.upper()} {path}: operationId changed from {_q(old_op.get('operationId'))} to {name}",
                     op_id)
        if old_method != method:
            self.add("method-changed", where, f"operation {name}: method changed from {old_method.upper()} to "
                                              f"{method.upper()}", op_id)
        if old_path != path:
            self.add("path-changed", where, f"operation {name}: path changed from {old_path} to {path}", op_id)
        for key in ("summary", "description", "x-ms-summary"):
            if not strict_equal(old_op.get(key), op.get(key)):
                self.add("description-changed", where + pointer(key), f"operation {name}: {key} changed", op_id)
        self._visibility(old_op.get("x-ms-visibility"), op.get("x-ms-visibility"), where + "/x-ms-visibility",
                         f"operation {name}", op_id)
        if old_op.get("x-ms-trigger") != op.get("x-ms-trigger"):
            self.add("trigger-kind-changed", where + "/x-ms-trigger", f"operation {name}: x-ms-trigger changed from "
                     f"{_q(old_op.get('x-ms-trigger'))} to {_q(op.get('x-ms-trigger'))}", op_id)
        if bool(old_op.get("deprecated")) != bool(op.get("deprecated")):
            self.add("deprecated", where + "/deprecated", f"operation {name}: deprecated is now "
                     f"{str(bool(op.get('deprecated'))).lower()}", op_id)
        self._parameters(old_entry, new_entry, where, op_id)
        self._responses(old_op, op, where, op_id)
        self._notification(old_entry, new_entry, op_id)
        known = {"summary", "description", "x-ms-summary", "x-ms-visibility", "x-ms-trigger", "deprecated",
                 "operationId", "parameters", "responses"}
        for key in sorted((old_op.keys() | op.keys()) - known):
            if not strict_equal(old_op.get(key), op.get(key)):
                self.add("other-changed", where + pointer(key), f"operation {name}: {key} changed", op_id)

    def _visibility(self, old: Any, new: Any, where: str, what: str, op_id: str | None) -> None:
        if old == new:
            return
        if new == "internal":
            self.add("visibility-internal", where, f"{what}: x-ms-visibility raised to internal (was "
                                                   f"{_q(old)}): users no longer see it", op_id)
        else:
            self.add("visibility-changed", where, f"{what}: x-ms-visibility changed from {_q(old)} to {_q(new)}",
                     op_id)

    def _parameters(self, old_entry: tuple, new_entry: tuple, where: str, op_id: str | None) -> None:
        old_params = _effective_parameters(self.old, old_entry)
        new_params = _effective_parameters(self.new, new_entry)
        old_by_key = {(p.get("name"), p.get("in")): (i, p) for i, p in enumerate(old_params)}
        new_by_key = {(p.get("name"), p.get("in")): (i, p) for i, p in enumerate(new_params)}
        new_by_name: dict[Any, list] = {}
        for key in new_by_key:
            new_by_name.setdefault(key[0], []).append(key)
        removed = [k for k in old_by_key if k not in new_by_key]
        added = [k for k in new_by_key if k not in old_by_key]
        for key in list(removed):  # same name, other location: moved
            moved_to = [k for k in new_by_name.get(key[0], []) if k in added]
            if moved_to:
                target = moved_to[0]
                removed.remove(key)
                added.remove(target)
                self.add("parameter-moved", f"{where}/parameters/{new_by_key[target][0]}",
                         f"operation {_q(op_id)}: parameter {_q(key[0])} moved from {key[1]} to {target[1]}", op_id)
                self._parameter(old_by_key[key][1], new_by_key[target][1],
                                f"{where}/parameters/{new_by_key[target][0]}", op_id)
        for key in list(removed):  # a like parameter at the same place under a new name: renamed
            old_index, old_p = old_by_key[key]
            for target in added:
                new_index, new_p = new_by_key[target]
                if target[1] == key[1] and _same_shape(self.old, old_p, self.new, new_p) and (
                        new_index == old_index or _label(old_p) == _label(new_p)):
                    removed.remove(key)
                    added.remove(target)
                    self.add("parameter-renamed", f"{where}/parameters/{new_index}",
                             f"operation {_q(op_id)}: {key[1]} parameter {_q(key[0])} renamed to {_q(target[0])}",
                             op_id)
                    break
        for key in removed:
            self.add("parameter-removed", f"{pointer('paths', old_entry[0], old_entry[1])}/parameters/"
                     f"{old_by_key[key][0]}", f"operation {_q(op_id)}: {key[1]} parameter {_q(key[0])} was "
                     "removed", op_id)
        for key in added:
            index, p = new_by_key[key]
            here = f"{where}/parameters/{index}"
            if p.get("in") == "body":
                if p.get("required") and _has_required_input(self.new, p.get("schema")):
                    self.add("required-parameter-added", here, f"operation {_q(op_id)}: a required body "
                             f"{_q(key[0])} was added", op_id)
                else:
                    self.add("parameter-added", here, f"operation {_q(op_id)}: body {_q(key[0])} was added", op_id)
            elif p.get("required") and "default" not in p:
                self.add("required-parameter-added", here, f"operation {_q(op_id)}: required {key[1]} parameter "
                         f"{_q(key[0])} was added without a default", op_id)
            else:
                self.add("parameter-added", here, f"operation {_q(op_id)}: {key[1]} parameter {_q(key[0])} was "
                         "added", op_id)
        for key in old_by_key.keys() & new_by_key.keys():
            self._parameter(old_by_key[key][1], new_by_key[key][1], f"{where}/parameters/{new_by_key[key][0]}",
                            op_id)

    def _parameter(self, old: dict, new: dict, where: str, op_id: str | None) -> None:
        what = f"operation {_q(op_id)}, parameter {_q(new.get('name'))}"
        if not old.get("required") and new.get("required"):
            self.add("parameter-made-required", where + "/required", f"{what}: became required", op_id)
        elif old.get("required") and not new.get("required"):
            self.add("parameter-made-optional", where + "/required", f"{what}: became optional", op_id)
        if new.get("in") == "body" or old.get("in") == "body":
            self._schema(old.get("schema"), new.get("schema"), where + "/schema", what, op_id, "request", 0, ())
            for key in ("description", "x-ms-summary"):
                if not strict_equal(old.get(key), new.get(key)):
                    self.add("description-changed", where + pointer(key), f"{what}: {key} changed", op_id)
            self._visibility(old.get("x-ms-visibility"), new.get("x-ms-visibility"), where + "/x-ms-visibility",
                             what, op_id)
            return
        self._keywords(old, new, where, what, op_id, "request")
        if isinstance(old.get("items"), dict) or isinstance(new.get("items"), dict):
            self._schema(old.get("items"), new.get("items"), where + "/items", what + " items", op_id, "request", 1,
                         ())

    def _keywords(self, old: dict, new: dict, where: str, what: str, op_id: str | None, direction: str) -> None:
        """type, format, enum, default, texts, visibility, dropdowns of one parameter or schema node."""
        for key, rule in (("type", "type-changed"), ("format", "format-changed")):
            if not strict_equal(old.get(key), new.get(key)):
                self.add(rule, where + pointer(key), f"{what}: {key} changed from {_q(old.get(key))} to "
                                                    f"{_q(new.get(key))}", op_id)
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if isinstance(old_enum, list) and isinstance(new_enum, list):
            old_keys, new_keys = {_key(v) for v in old_enum}, {_key(v) for v in new_enum}
            gone = [v for v in old_enum if _key(v) not in new_keys]
            more = [v for v in new_enum if _key(v) not in old_keys]
            if gone:
                rule = "enum-value-removed" if direction == "request" else "enum-value-added"
                self.add(rule, where + "/enum", f"{what}: enum value(s) {', '.join(_q(v) for v in gone)} "
                                                f"removed", op_id)
            if more:
                self.add("enum-value-added", where + "/enum", f"{what}: enum value(s) "
                                                              f"{', '.join(_q(v) for v in more)} added", op_id)
        elif isinstance(new_enum, list) and old_enum is None:
            self.add("enum-added" if direction == "request" else "enum-value-added", where + "/enum",
                     f"{what}: now limited to {', '.join(_q(v) for v in new_enum)}", op_id)
        elif isinstance(old_enum, list) and new_enum is None:
            self.add("enum-removed", where + "/enum", f"{what}: no longer limited to a list of values", op_id)
        if not strict_equal(old.get("default"), new.get("default")) or ("default" in old) != ("default" in new):
            self.add("default-changed", where + "/default", f"{what}: default changed from "
                                                            f"{_q(old.get('default'))} to {_q(new.get('default'))}",
                     op_id)
        for key in TEXT_KEYS:
            if not strict_equal(old.get(key), new.get(key)):
                self.add("description-changed", where + pointer(key), f"{what}: {key} changed", op_id)
        self._visibility(old.get("x-ms-visibility"), new.get("x-ms-visibility"), where + "/x-ms-visibility", what,
                         op_id)
        for key in DYNAMIC_KEYS:
            if not strict_equal(old.get(key), new.get(key)):
                self.add("dropdown-changed", where + pointer(key), f"{what}: {key} changed", op_id)

    # -- schemas ---------------------------------------------------------------------------------------------
    def _schema(self, old: Any, new: Any, where: str, what: str, op_id: str | None, direction: str, depth: int,
                seen: tuple) -> None:
        old, old_name = _resolve(self.old, old)
        new, new_name = _resolve(self.new, new)
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > MAX_DEPTH:
            return
        memo = None
        if old_name is not None and new_name is not None:
            if (old_name, new_name) in seen:
                return  # recursion: compared above
            seen = seen + ((old_name, new_name),)
            memo = (old_name, new_name, direction, what.split(", property")[0] if depth else what)
            if memo[:3] in self._clean or (memo[:3], op_id) in self._done:
                return  # no change there, or its changes are already listed for this operation
            self._done.add((memo[:3], op_id))
            before = len(self.changes)
        self._schema_node(old, new, where, what, op_id, direction, depth, seen)
        if memo is not None and len(self.changes) == before:
            self._clean.add(memo[:3])

    def _schema_node(self, old: dict, new: dict, where: str, what: str, op_id: str | None, direction: str,
                     depth: int, seen: tuple) -> None:
        if depth > 0 or direction != "response" or old.get("type") or new.get("type"):
            self._keywords(old, new, where, what, op_id, direction)
        old_props, new_props = old.get("properties"), new.get("properties")
        if isinstance(old_props, dict) or isinstance(new_props, dict):
            old_props = old_props if isinstance(old_props, dict) else {}
            new_props = new_props if isinstance(new_props, dict) else {}
            old_req = set(old.get("required") or []) if isinstance(old.get("required"), list) else set()
            new_req = set(new.get("required") or []) if isinstance(new.get("required"), list) else set()
            for prop in old_props:
                here = where + pointer("properties", prop)
                label = f"{what}, property {_q(prop)}"
                if prop not in new_props:
                    rule = "request-property-removed" if direction == "request" else "response-property-removed"
                    self.add(rule, here, f"{label} was removed", op_id)
                    continue
                if direction == "request":
                    if prop in new_req and prop not in old_req:
                        self.add("parameter-made-required", where + "/required", f"{label} became required", op_id)
                    elif prop in old_req and prop not in new_req:
                        self.add("parameter-made-optional", where + "/required", f"{label} became optional", op_id)
                self._schema(old_props[prop], new_props[prop], here, label, op_id, direction, depth + 1, seen)
            for prop in new_props:
                if prop in old_props:
                    continue
                here = where + pointer("properties", prop)
                label = f"{what}, property {_q(prop)}"
                if direction == "request":
                    target, _ = _resolve(self.new, new_props[prop])
                    if prop in new_req and not (isinstance(target, dict) and "default" in target):
                        self.add("required-parameter-added", here, f"{label} was added as required", op_id)
                    else:
                        self.add("request-property-added", here, f"{label} was added", op_id)
                else:
                    self.add("response-property-added", here, f"{label} was added", op_id)
        if isinstance(old.get("items"), dict) or isinstance(new.get("items"), dict):
            self._schema(old.get("items"), new.get("items"), where + "/items", what + " items", op_id, direction,
                         depth + 1, seen)
        if isinstance(old.get("additionalProperties"), dict) and isinstance(new.get("additionalProperties"), dict):
            self._schema(old["additionalProperties"], new["additionalProperties"], where + "/additionalProperties",
                         what + " values", op_id, direction, depth + 1, seen)

    def _responses(self, old_op: dict, op: dict, where: str, op_id: str | None) -> None:
        old_r = old_op.get("responses") if isinstance(old_op.get("responses"), dict) else {}
        new_r = op.get("responses") if isinstance(op.get("responses"), dict) else {}
        for status in old_r:
            here = where + pointer("responses", status)
            if status not in new_r:
                rule = "response-removed" if str(status).startswith("2") else "response-changed"
                self.add(rule, here, f"operation {_q(op_id)}: response {status} was removed", op_id)
                continue
            old_resp, _ = _resolve(self.old, old_r[status])
            new_resp, _ = _resolve(self.new, new_r[status])
            if not isinstance(old_resp, dict) or not isinstance(new_resp, dict):
                continue
            if not strict_equal(old_resp.get("description"), new_resp.get("description")):
                self.add("description-changed", here + "/description", f"operation {_q(op_id)}: response {status} "
                                                                      "description changed", op_id)
            label = f"operation {_q(op_id)}, response {status}"
            if str(status).startswith("2") or status == "default":
                self._schema(old_resp.get("schema"), new_resp.get("schema"), here + "/schema", label, op_id,
                             "response", 0, ())
            elif not strict_equal(old_resp.get("schema"), new_resp.get("schema")):
                self.add("response-changed", here + "/schema", f"{label}: schema changed", op_id)
        for status in new_r:
            if status not in old_r:
                self.add("response-added", where + pointer("responses", status),
                         f"operation {_q(op_id)}: response {status} was added", op_id)

    def _notification(self, old_entry: tuple, new_entry: tuple, op_id: str | None) -> None:
        if not self.old.get("paths", {}).get(old_entry[0], {}).get("x-ms-notification-content") and not \
                self.new.get("paths", {}).get(new_entry[0], {}).get("x-ms-notification-content"):
            return
        if not (isinstance(new_entry[2].get("x-ms-trigger"), str) or isinstance(old_entry[2].get("x-ms-trigger"),
                                                                                   str)):
            return
        old_c = self.old["paths"][old_entry[0]].get("x-ms-notification-content") or {}
        new_c = self.new["paths"][new_entry[0]].get("x-ms-notification-content") or {}
        where = pointer("paths", new_entry[0], "x-ms-notification-content", "schema")
        if isinstance(old_c, dict) and isinstance(new_c, dict):
            self._schema(old_c.get("schema"), new_c.get("schema"), where, f"trigger {_q(op_id)} payload", op_id,
                         "response", 0, ())


# -- helpers ---------------------------------------------------------------------------------------------------
def _key(value: Any) -> str:
    """A hashable form of a JSON value that keeps true, 1 and "1" apart."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _q(value: Any) -> str:
    return "none" if value is None else f"'{value}'"


def _resolve(doc: Any, node: Any) -> tuple[Any, str | None]:
    """A node with its ``$ref`` chain followed (keys beside the ref laid over), and the last ref followed; a
    chain that breaks or loops leaves the node as written."""
    resolved, followed = deref_chain(doc, node)
    return (node if resolved is None else resolved), (followed[-1] if followed else None)


def _effective_parameters(doc: Any, entry: tuple) -> list[dict]:
    path, _, op = entry
    return effective_parameters(doc, path, op)


def _same_shape(old_doc: Any, old: dict, new_doc: Any, new: dict) -> bool:
    if old.get("in") == "body":
        return True
    return old.get("type") == new.get("type") and old.get("format") == new.get("format")


def _label(p: dict) -> Any:
    return p.get("x-ms-summary") or p.get("description")


def _has_required_input(doc: Any, schema: Any) -> bool:
    resolved, _ = _resolve(doc, schema)
    if not isinstance(resolved, dict):
        return False
    required = resolved.get("required") if isinstance(resolved.get("required"), list) else []
    props = resolved.get("properties") if isinstance(resolved.get("properties"), dict) else {}
    for name in required:
        target, _ = _resolve(doc, props.get(name))
        if not (isinstance(target, dict) and "default" in target):
            return True
    return not props and resolved.get("type") not in (None, "object")


def _describe_security(defs: Any) -> str:
    if not isinstance(defs, dict) or not defs:
        return "none"
    return ", ".join(f"{name} ({d.get('type')})" if isinstance(d, dict) else name for name, d in defs.items())


def _connection_parameters(properties: Any) -> Any:
    if isinstance(properties, dict) and isinstance(properties.get("properties"), dict):
        return properties["properties"].get("connectionParameters")
    return None


def diff(old: Any, new: Any, old_properties: Any = None, new_properties: Any = None) -> list[Change]:
    """Every change from ``old`` to ``new`` (swagger documents; apiProperties optional), breaking ones first."""
    changes = Differ(old, new, old_properties, new_properties).run()
    return sorted(changes, key=lambda c: (c.severity != BREAKING,))
