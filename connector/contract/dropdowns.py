"""``x-ms-dynamic-values``: the dropdowns the designer fills by calling another operation.

For a parameter (or a body field, or the items of an array field) carrying ``x-ms-dynamic-values`` the
designer calls ``operationId`` with the literal arguments and the ``{"parameter": X}`` arguments taken from
the values already chosen for the calling operation, takes the array at ``value-collection`` (slash-
separated; none = the answer itself), and shows each item's ``value-title`` while storing its
``value-path`` (none = the item itself). Anything that does not resolve fails naming the operation and
parameter that owns the dropdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..swaggerdoc import pointer
from .folder import ConnectorFolder, ContractFailure, OperationSpec

ITEMS = "[]"  # path step for "the items of this array"


@dataclass(frozen=True)
class Dropdown:
    """One dropdown of an operation: where it sits and its x-ms-dynamic-values."""

    op: OperationSpec
    target: tuple[str, ...]  # ("Customer-Id",) or ("body", "TemplateName") or ("body", "regions", "[]")
    spec: dict[str, Any]
    required: bool

    @property
    def label(self) -> str:
        name = self.target[0]
        rest = [s for s in self.target[1:]]
        return f"{self.op.id} parameter '{name}'" + (f" field {'/'.join(rest)}" if rest else "")

    @property
    def operation_id(self) -> str | None:
        return self.spec.get("operationId")

    def references(self) -> list[str]:
        """Names of the calling operation's parameters this dropdown's arguments refer to."""
        out = []
        for arg in (self.spec.get("parameters") or {}).values():
            if isinstance(arg, dict) and "parameter" in arg:
                out.append(str(arg["parameter"]))
        return out


@dataclass(frozen=True)
class Option:
    value: Any
    title: Any


def dropdowns(folder: ConnectorFolder, op: OperationSpec) -> list[Dropdown]:
    """Every x-ms-dynamic-values of an operation: parameters, body fields, array items."""
    out: list[Dropdown] = []
    for p in op.parameters:
        name = str(p.get("name"))
        if p.get("in") == "body":
            out.extend(_schema_dropdowns(folder, op, p.get("schema") or {}, (name,), bool(p.get("required")), 0))
        else:
            if spec_of(p) is not None:
                out.append(Dropdown(op, (name,), spec_of(p), bool(p.get("required"))))
            items = p.get("items") or {}
            if isinstance(items, dict) and spec_of(items) is not None:
                out.append(Dropdown(op, (name, ITEMS), spec_of(items), False))
    return out


def spec_of(node: dict[str, Any]) -> dict[str, Any] | None:
    """A node's dropdown as x-ms-dynamic-values spells it: its x-ms-dynamic-values, else its
    x-ms-dynamic-list (``itemsPath``/``itemValuePath``/``itemTitlePath``, ``parameterReference`` arguments)
    in those terms."""
    values = node.get("x-ms-dynamic-values")
    if isinstance(values, dict):
        return values
    listed = node.get("x-ms-dynamic-list")
    if not isinstance(listed, dict):
        return None
    args = {}
    for name, arg in (listed.get("parameters") or {}).items():
        if isinstance(arg, dict) and "parameterReference" in arg:
            args[name] = {"parameter": arg["parameterReference"]}
        else:
            args[name] = arg
    return {"operationId": listed.get("operationId"), "parameters": args,
            "value-collection": listed.get("itemsPath"), "value-path": listed.get("itemValuePath"),
            "value-title": listed.get("itemTitlePath")}


def _schema_dropdowns(folder: ConnectorFolder, op: OperationSpec, schema: dict[str, Any], target: tuple[str, ...],
                      required: bool, depth: int) -> Iterator[Dropdown]:
    if depth > 12 or not isinstance(schema, dict):
        return
    if "$ref" in schema:
        schema = folder.resolve_ref(schema["$ref"]) or {}
    if len(target) > 1 and spec_of(schema) is not None:
        yield Dropdown(op, target, spec_of(schema), required)
    needed = set(schema.get("required") or ())
    for name, sub in (schema.get("properties") or {}).items():
        yield from _schema_dropdowns(folder, op, sub, (*target, name), name in needed, depth + 1)
    if isinstance(schema.get("items"), dict):
        yield from _schema_dropdowns(folder, op, schema["items"], (*target, ITEMS), False, depth + 1)


def walk(data: Any, path: str | None) -> tuple[bool, Any]:
    """Follow a slash-separated path through objects (and array indexes); (found, value)."""
    if not path:
        return True, data
    node = data
    for step in path.split("/"):
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False, None
    return True, node


def get_value(values: dict[str, Any], target: tuple[str, ...] | str) -> tuple[bool, Any]:
    """The value chosen for a parameter name or a slash path into a body parameter."""
    parts = tuple(target.split("/")) if isinstance(target, str) else target
    node: Any = values
    for step in parts:
        if step == ITEMS:
            return isinstance(node, list) and bool(node), node
        if isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return False, None
    return True, node


def arguments(folder: ConnectorFolder, dd: Dropdown, chosen: dict[str, Any]) -> dict[str, Any]:
    """The called operation's argument values: literals as they are, references from ``chosen``."""
    called_id = dd.operation_id
    if not called_id:
        raise ContractFailure(dd.label, "x-ms-dynamic-values has no operationId")
    if called_id not in folder.operations:
        raise ContractFailure(dd.label, f"x-ms-dynamic-values calls operation '{called_id}', which the swagger "
                                        "does not have")
    called = folder.operations[called_id]
    args: dict[str, Any] = {}
    for name, arg in (dd.spec.get("parameters") or {}).items():
        if called.parameter(name) is None:
            raise ContractFailure(dd.label, f"x-ms-dynamic-values passes '{name}' to {called_id}, which has no "
                                            "such parameter")
        if isinstance(arg, dict) and "parameter" in arg:
            ref = str(arg["parameter"])
            if dd.op.parameter(ref.split("/")[0]) is None:
                raise ContractFailure(dd.label, f"x-ms-dynamic-values argument '{name}' refers to parameter "
                                                f"'{ref}', which {dd.op.id} does not have")
            found, value = get_value(chosen, ref)
            referred = dd.op.parameter(ref.split("/")[0]) or {}
            if (not found or value is None) and "/" not in ref and "default" in referred:
                found, value = True, referred["default"]  # the designer pre-fills a default (internal or not)
            if not found or value is None:
                raise ContractFailure(dd.label, f"x-ms-dynamic-values argument '{name}' refers to parameter "
                                                f"'{ref}', which has no value yet")
            args[name] = value
        elif isinstance(arg, dict) and "value" in arg:
            args[name] = arg["value"]
        else:
            args[name] = arg
    return args


def options_from(dd: Dropdown, answer: Any) -> list[Option]:
    """Walk value-collection, value-path and value-title through the called operation's answer."""
    called = dd.operation_id
    collection = dd.spec.get("value-collection")
    found, items = walk(answer, collection)
    if collection and not found:
        raise ContractFailure(dd.label, f"value-collection '{collection}' does not resolve in the answer of "
                                        f"{called} (no {pointer(*collection.split('/'))})")
    if not isinstance(items, list):
        what = f"value-collection '{collection}'" if collection else "the answer (no value-collection)"
        raise ContractFailure(dd.label, f"{what} of {called} is {type(items).__name__}, not an array")
    base = collection.split("/") if collection else []
    value_path, title_path = dd.spec.get("value-path"), dd.spec.get("value-title")
    out = []
    for i, item in enumerate(items):
        ok, value = walk(item, value_path)
        if not ok or (value_path and value is None):
            raise ContractFailure(dd.label, f"value-path '{value_path}' does not resolve in item {i} of the answer of "
                                            f"{called} (no {pointer(*base, i, *value_path.split('/'))})")
        if isinstance(value, (dict, list)):
            raise ContractFailure(dd.label, f"value-path '{value_path or ''}' gives a {type(value).__name__} in item "
                                            f"{i} of the answer of {called}; a dropdown value must be a "
                                            "string, number or boolean")
        title = value
        if title_path:
            ok, title = walk(item, title_path)
            if not ok:
                raise ContractFailure(dd.label, f"value-title '{title_path}' does not resolve in item {i} of the "
                                                f"answer of {called} (no "
                                                f"{pointer(*base, i, *title_path.split('/'))})")
        out.append(Option(value=value, title=title))
    return out


def order(dds: list[Dropdown], given: Callable[[str], bool]) -> list[Dropdown]:
    """Dropdowns in an order where every referenced parameter is chosen before it is needed."""
    by_name = {dd.target[0]: dd for dd in dds if len(dd.target) == 1}
    done: list[Dropdown] = []
    visiting: set[int] = set()

    def visit(dd: Dropdown) -> None:
        if dd in done:
            return
        if id(dd) in visiting:
            raise ContractFailure(dd.label, "x-ms-dynamic-values references form a cycle: "
                                            + " -> ".join(dd.references()))
        visiting.add(id(dd))
        for ref in dd.references():
            dep = by_name.get(ref.split("/")[0])
            if dep is not None and dep is not dd and not given(dep.target[0]):
                visit(dep)
        visiting.discard(id(dd))
        done.append(dd)

    for dd in dds:
        visit(dd)
    return done
