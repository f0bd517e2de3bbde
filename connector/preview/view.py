"""What the designer shows for a connector, as plain data: one ``Card`` per visible action and trigger, its
``Input``s in the order and visibility the designer gives them, its dynamic-content ``Output``s, and each
validate finding beside the element it concerns.

The view is read from the connector's files (swagger, apiProperties, icon), never from the Python model, so
a built folder and a model preview the same way, and what is shown is what the platform will read.
Designer behaviour copied here:

- An operation whose ``x-ms-visibility`` is ``internal`` gets no card; a trigger is one with ``x-ms-trigger``.
- Inputs: ``important`` ones first, then those without visibility, then ``advanced`` ones behind "Show
  advanced options"; ``internal`` ones are never shown (they are kept, hidden, so tests can see they exist).
- A body object is flattened into its properties; a nested object's fields carry the parent's label as a
  prefix ("Message Sender" inside "Options" reads "Options Message Sender"); an array of objects is one
  group whose fields are its items' properties.
- Outputs: every property of the success response (or of the trigger's notification content) is a token,
  flattened the same way, with the whole body as the "Body" token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..swaggerdoc import deref, iter_operations, parameter_key, pointer

VISIBILITY_ORDER = {"important": 0, "none": 1, "advanced": 2, "internal": 3}
SUCCESS = ("200", "201", "202", "203", "204", "default")
MAX_DEPTH = 8  # the designer stops flattening long before this; a guard against self-referencing schemas


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | info
    message: str
    fix: str = ""
    where: str = ""  # the file (and line) it was found in, for connector-level findings


@dataclass
class Input:
    key: str  # data-parameter: the parameter name, or body/<field>/<field> for flattened body fields
    label: str
    description: str
    visibility: str  # important | none | advanced | internal
    required: bool
    control: str  # text | textarea | select | array | group (an array of objects: its fields follow)
    type: str
    format: str = ""
    default: Any = None
    has_default: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, title) for select controls
    dropdown: str = ""  # "Filled by <summary> (<operationId>)"
    dropdown_operation: str = ""
    dropdown_spec: dict = field(default_factory=dict)  # x-ms-dynamic-values as written
    dropdown_note: str = ""  # what happened when the mock was asked, or how to get real values
    in_array: str = ""  # label of the array group this field belongs to
    pointers: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def default_value(self) -> str:
        return _text(self.default) if self.has_default else ""

    @property
    def default_text(self) -> str:
        if not self.has_default:
            return ""
        if isinstance(self.default, bool):
            return "Yes" if self.default else "No"
        return str(self.default)


@dataclass
class Output:
    key: str  # data-output: slash path into the answer ("body" for the whole answer)
    label: str
    type: str
    description: str
    pointers: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Card:
    operation_id: str
    kind: str  # action | trigger
    method: str
    path: str
    title: str
    description: str
    deprecated: bool
    important: bool = False
    inputs: list[Input] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    pointers: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def shown_inputs(self) -> list[Input]:
        return [i for i in self.inputs if i.visibility in ("important", "none")]

    @property
    def advanced_inputs(self) -> list[Input]:
        return [i for i in self.inputs if i.visibility == "advanced"]

    @property
    def internal_inputs(self) -> list[Input]:
        return [i for i in self.inputs if i.visibility == "internal"]


@dataclass
class Page:
    title: str
    description: str
    brand_color: str
    icon_png: bytes | None
    cards: list[Card] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # connector-level: no card or input owns them
    hidden_operations: int = 0

    @property
    def actions(self) -> list[Card]:
        return [c for c in self.cards if c.kind == "action"]

    @property
    def triggers(self) -> list[Card]:
        return [c for c in self.cards if c.kind == "trigger"]


def _label(schema: dict, name: str) -> str:
    summary = schema.get("x-ms-summary")
    return str(summary) if isinstance(summary, str) and summary.strip() else name


def _visibility(schema: dict, inherited: str = "none") -> str:
    own = schema.get("x-ms-visibility")
    own = own if own in VISIBILITY_ORDER else "none"
    return max(own, inherited, key=lambda v: VISIBILITY_ORDER[v]) if inherited in ("advanced", "internal") else own


def _resolve(doc: dict, node: Any, pointers: list[str]) -> tuple[dict, list[str]]:
    """The schema behind ``node`` and the pointers it lives at (its own place and, for a reference, the
    definition's), so a finding reported on a definition shows beside every input that uses it."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target = deref(doc, node)
        ref = node["$ref"]
        extra = [ref[1:]] if ref.startswith("#/") else []
        return (target if isinstance(target, dict) else {}), pointers + extra
    return (node if isinstance(node, dict) else {}), pointers


def _sub(pointers: list[str], *parts: str) -> list[str]:
    return [p + pointer(*parts) for p in pointers]


class _Builder:
    def __init__(self, doc: dict):
        self.doc = doc
        self.ops = {op.get("operationId"): op for _, _, op in iter_operations(doc) if op.get("operationId")}

    # -- inputs ---------------------------------------------------------------------------------------
    def control(self, item: Input, schema: dict) -> None:
        dyn = schema.get("x-ms-dynamic-values") or schema.get("x-ms-dynamic-list")
        if isinstance(dyn, dict):
            op_id = str(dyn.get("operationId") or (dyn.get("dynamicState") or {}).get("operationId") or "")
            called = self.ops.get(op_id) or {}
            item.control = "select"
            item.dropdown_operation = op_id
            item.dropdown_spec = dyn
            summary = called.get("summary") or op_id
            item.dropdown = f"Filled by {summary} ({op_id})" if op_id else "Filled by another operation"
            return
        shape = schema.get("x-ms-dynamic-schema") or schema.get("x-ms-dynamic-properties")
        if isinstance(shape, dict):  # the designer asks another operation for the fields when a flow is designed
            op_id = str(shape.get("operationId") or "")
            summary = (self.ops.get(op_id) or {}).get("summary") or op_id
            item.dropdown = f"Fields loaded by {summary} ({op_id}) while the flow is designed"
            item.dropdown_operation = op_id
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            item.control = "select"
            item.choices = [(_text(v), _text(v)) for v in schema["enum"]]
        elif item.type == "boolean":
            item.control = "select"
            item.choices = [("true", "Yes"), ("false", "No")]
        elif item.type == "object":
            item.control = "textarea"
        elif item.type == "array":
            item.control = "array"
        else:
            item.control = "text"

    def leaf(self, key: str, label: str, schema: dict, visibility: str, required: bool, pointers: list[str],
             in_array: str = "") -> Input:
        item = Input(key=key, label=label, description=str(schema.get("description") or ""), visibility=visibility,
                     required=required, control="text", type=str(schema.get("type") or "string"),
                     format=str(schema.get("format") or ""), in_array=in_array, pointers=pointers)
        if "default" in schema:
            item.default, item.has_default = schema["default"], True
        self.control(item, schema)
        return item

    def flatten(self, out: list[Input], schema: dict, key: str, prefix: str, visibility: str, pointers: list[str],
                in_array: str, depth: int) -> None:
        """The fields of an object schema as the designer lays them out."""
        required = set(schema.get("required") or ())
        for name, raw in (schema.get("properties") or {}).items():
            sub, ptrs = _resolve(self.doc, raw, _sub(pointers, "properties", name))
            label = (prefix + " " if prefix else "") + _label(sub, name)
            vis = _visibility(sub, visibility)
            self.field(out, sub, f"{key}/{name}", label, vis, name in required, ptrs, in_array, depth + 1)

    def field(self, out: list[Input], schema: dict, key: str, label: str, visibility: str, required: bool,
              pointers: list[str], in_array: str, depth: int) -> None:
        typ = schema.get("type")
        if depth < MAX_DEPTH and typ in (None, "object") and schema.get("properties"):
            self.flatten(out, schema, key, label, visibility, pointers, in_array, depth)
            return
        items, item_ptrs = _resolve(self.doc, schema.get("items"), _sub(pointers, "items"))
        if depth < MAX_DEPTH and typ == "array" and items.get("properties"):
            # an array of objects: one group, its items' fields inside ("Add new item" in the designer)
            group = self.leaf(key, label, schema, visibility, required, pointers, in_array)
            group.control = "group"
            out.append(group)
            self.flatten(out, items, key, label, _visibility(items, visibility), item_ptrs, label, depth + 1)
            return
        out.append(self.leaf(key, label, schema, visibility, required, pointers, in_array))

    def inputs(self, path: str, method: str, op: dict) -> list[Input]:
        item = self.doc["paths"][path]
        own = op.get("parameters") if isinstance(op.get("parameters"), list) else []
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        own_keys = {parameter_key(self.doc, p) for p in own}
        written = [(p, pointer("paths", path, "parameters", i)) for i, p in enumerate(shared)
                   if parameter_key(self.doc, p) not in own_keys]
        written += [(p, pointer("paths", path, method, "parameters", i)) for i, p in enumerate(own)]
        out: list[Input] = []
        for raw, ptr in written:
            param, ptrs = _resolve(self.doc, raw, [ptr])
            if not param:
                continue
            name = str(param.get("name") or "")
            vis = _visibility(param)
            if param.get("in") == "body":
                schema, sptrs = _resolve(self.doc, param.get("schema"), _sub(ptrs, "schema"))
                merged = {**schema, **{k: v for k, v in param.items() if k.startswith("x-ms-") or k == "description"}}
                if schema.get("properties") or (schema.get("type") == "array" and
                                                 _resolve(self.doc, schema.get("items"), [])[0].get("properties")):
                    if schema.get("type") == "array":
                        self.field(out, merged, name, _label(param, name), vis, bool(param.get("required")),
                                   ptrs + sptrs, "", 0)
                    else:
                        self.flatten(out, schema, name, "", vis, sptrs, "", 0)
                    continue
                out.append(self.leaf(name, _label(param, name), {**merged, "type": schema.get("type") or "object"},
                                     vis, bool(param.get("required")), ptrs + sptrs))
                continue
            out.append(self.leaf(name, _label(param, name), param, vis, bool(param.get("required")), ptrs))
        order = {k: i for i, k in enumerate(VISIBILITY_ORDER)}
        return sorted(out, key=lambda i: order[i.visibility])  # stable: declared order within a visibility

    # -- outputs --------------------------------------------------------------------------------------
    def outputs(self, schema: dict, pointers: list[str]) -> list[Output]:
        out = [Output("body", "Body", str(schema.get("type") or "object"),
                      str(schema.get("description") or "The whole answer."), pointers)]
        self.tokens(out, schema, "", "", pointers, 0)
        return out

    def tokens(self, out: list[Output], schema: dict, key: str, prefix: str, pointers: list[str], depth: int) -> None:
        if depth >= MAX_DEPTH:
            return
        if schema.get("type") == "array":
            items, ptrs = _resolve(self.doc, schema.get("items"), _sub(pointers, "items"))
            self.tokens(out, items, key, prefix, ptrs, depth + 1)
            return
        for name, raw in (schema.get("properties") or {}).items():
            sub, ptrs = _resolve(self.doc, raw, _sub(pointers, "properties", name))
            if _visibility(sub) == "internal":
                continue
            label = (prefix + " " if prefix else "") + _label(sub, name)
            k = f"{key}/{name}" if key else name
            out.append(Output(k, label, str(sub.get("type") or "object"), str(sub.get("description") or ""), ptrs))
            self.tokens(out, sub, k, label, ptrs, depth + 1)

    def answer(self, path: str, method: str, op: dict) -> tuple[dict, list[str]]:
        if op.get("x-ms-trigger"):
            note = self.doc["paths"][path].get("x-ms-notification-content")
            if isinstance(note, dict):
                return _resolve(self.doc, note.get("schema"), [pointer("paths", path, "x-ms-notification-content",
                                                                      "schema")])
        responses = op.get("responses") if isinstance(op.get("responses"), dict) else {}
        for status in SUCCESS:
            resp, ptrs = _resolve(self.doc, responses.get(status), [pointer("paths", path, method, "responses",
                                                                             status)])
            if resp.get("schema"):
                return _resolve(self.doc, resp["schema"], _sub(ptrs, "schema"))
        return {}, []


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def build_page(swagger: dict, properties: dict | None, icon_png: bytes | None,
               findings: list[Finding | tuple[str, str, Finding]] = ()) -> Page:
    """The page for a connector's swagger and apiProperties; ``findings`` are ``(file kind, pointer, finding)``
    triples (kind ``swagger`` findings are placed by pointer, the rest at connector level)."""
    info = swagger.get("info") if isinstance(swagger.get("info"), dict) else {}
    props = (properties or {}).get("properties") if isinstance(properties, dict) else None
    color = (props or {}).get("iconBrandColor") if isinstance(props, dict) else None
    page = Page(title=str(info.get("title") or "Connector"), description=str(info.get("description") or ""),
                brand_color=color if isinstance(color, str) and _is_colour(color) else "#da3b01", icon_png=icon_png)
    builder = _Builder(swagger)
    for path, method, op in iter_operations(swagger):
        if op.get("x-ms-visibility") == "internal":
            page.hidden_operations += 1
            continue
        op_ptr = pointer("paths", path, method)
        card = Card(operation_id=str(op.get("operationId") or f"{method.upper()} {path}"),
                    kind="trigger" if op.get("x-ms-trigger") else "action", method=method.upper(), path=path,
                    title=str(op.get("summary") or op.get("operationId") or f"{method.upper()} {path}"),
                    description=str(op.get("description") or ""), deprecated=bool(op.get("deprecated")),
                    pointers=[op_ptr], important=op.get("x-ms-visibility") == "important")
        if card.kind == "trigger":
            card.pointers.append(pointer("paths", path, "x-ms-notification-content"))
        card.inputs = builder.inputs(path, method, op)
        schema, ptrs = builder.answer(path, method, op)
        if schema:
            card.outputs = builder.outputs(schema, ptrs)
        page.cards.append(card)
    # the designer lists important operations first; otherwise the document's order
    page.cards.sort(key=lambda c: 0 if c.important else 1)
    _place(page, findings)
    return page


def _is_colour(value: str) -> bool:
    return len(value) == 7 and value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:])


def _place(page: Page, findings) -> None:
    """Each swagger finding goes to the element with the longest pointer that contains it."""
    owners: list[tuple[str, Any]] = []
    for card in page.cards:
        owners += [(p, card) for p in card.pointers]
        for item in [*card.inputs, *card.outputs]:
            owners += [(p, item) for p in item.pointers]
    for kind, ptr, finding in findings:
        best, best_len = None, -1
        if kind == "swagger":
            for p, owner in owners:
                if (ptr == p or ptr.startswith(p + "/")) and len(p) > best_len:
                    best, best_len = owner, len(p)
        if best is None:
            page.findings.append(finding)
        elif finding not in best.findings:
            best.findings.append(finding)
