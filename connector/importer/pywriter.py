"""Write a ``Connector`` as a readable Python module in the style of ``connector/smartdialog.py``.

Operations and definitions become module-level variables named after their operationId and definition name;
shared parameters and responses (``#/parameters``, ``#/responses``) become variables too, and so does any
other parameter, field, schema or dropdown the connector uses in more than one place (unless it is a short
one-liner). Each variable is declared before its first use. Parameters and fields are written with the model's
short constructors (``path``, ``query``, ``header``, ``body``, ``string``, ``integer``, ``array``, ``obj``...)
where they fit, so an operation reads like its reference page.

A variable's name is its thing's own name, then (when that is taken) what holds it where it is first used
(``RESOURCELIST_SOURCE_APP``); a number only when nothing else tells two apart (``_qualified``). A field that
differs from a declared one of the same name in one or two small attributes is ``reusing(X, required=True)``.
No keyword repeats its constructor's default, and the import line names every constructor of the model.
Uses that would form a cycle (a definition holding a dropdown over an operation whose answer is that
definition) name the operation by its id, so the module always loads.
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
import sys
from collections import Counter
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Iterable, Mapping

from ..model import (UNSET, ApiKey, BasicAuth, Connector, Contact, Definition, Dropdown, DynamicSchema, Imported,
                     OAuth2, Operation, Parameter, Ref, Response, Schema, Throttling, TriggerMetadata)
from ..model import schema as short
from ..model.schema import Field
from . import pyformat as fmt
from .pyformat import Atom, Lazy, Node, call, dict_of, literal, tuple_of

FACTOR_MIN_CHARS = 48
VARIANT_ATTRIBUTES = frozenset({"required", "visibility", "label", "description", "default"})
KWARG_ORDER = {"name": 0, "location": 1, "required": 2, "shared": 15, "extra": 20}
JSON_FIELDS = frozenset({"extra", "path_extra", "info_extra", "paths_extra", "properties_extra", "default", "enum",
                         "list_extra"})
MODEL_DEFAULTS: dict[str, Any] = {}  # attribute -> its default in the model types (for the helper fit test)
for _cls in (Schema, Field, Parameter):
    for _f in fields(_cls):
        if _f.default is not MISSING:
            MODEL_DEFAULTS.setdefault(_f.name, _f.default)
        elif _f.default_factory is not MISSING:  # type: ignore[misc]
            MODEL_DEFAULTS.setdefault(_f.name, _f.default_factory())  # type: ignore[misc]  # a node used twice becomes a variable only when it is longer than this on one line

# The short constructors the writer uses, with what each one sets itself (the node must agree) and which
# attributes it takes positionally; any other attribute must be one of its keyword parameters.
HELPERS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "string": ({"type": "string"}, ("name",)),
    "integer": ({"type": "integer"}, ("name",)),
    "boolean": ({"type": "boolean"}, ("name",)),
    "array": ({"type": "array"}, ("name", "items")),
    "obj": ({"type": "object"}, ("name", "properties")),
    "object_schema": ({"type": "object"}, ("properties",)),
    "array_of": ({"type": "array"}, ("items",)),
    "path": ({"location": "path", "required": True}, ("name",)),
    "header": ({"location": "header"}, ("name",)),
    "query": ({"location": "query"}, ("name",)),
    "body": ({"location": "body"}, ("schema",)),
}
def _constructors() -> tuple[str, ...]:
    """Every name of ``connector.model`` that declares something: its types, its short constructors and its
    marker values (``UNSET``). The written module imports them all, so an edit never needs a new import."""
    from .. import model
    from ..model.schema import Marker

    return tuple(sorted(n for n in model.__all__ if n not in COMPUTED and (
        is_dataclass(getattr(model, n)) or isinstance(getattr(model, n), Marker)
        or getattr(getattr(model, n), "__module__", None) == short.__name__)))


COMPUTED = frozenset({"Wiring"})  # types the model computes from a declaration (reports), never declared


MODEL_NAMES = _constructors()
RESERVED = set(MODEL_NAMES) | set(keyword.kwlist) | set(dir(builtins)) | {"connector", "annotations", "Path",
                                                                           "SCRIPT_SOURCE"}


def upper_snake(text: str, words: int | None = None) -> str:
    """``CustomerData`` -> ``CUSTOMER_DATA``; ``words`` keeps only the first few words of a long name."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").upper()
    if words is not None:
        text = "_".join(text.split("_")[:words])
    if not text:
        return "VALUE"
    return "V_" + text if text[0].isdigit() else text


def identifier(text: str) -> str:
    text = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_")
    if not text:
        return "operation"
    return "op_" + text if text[0].isdigit() else text


def _same(value: Any, default: Any) -> bool:
    if value is default:
        return True
    if isinstance(value, Mapping) and isinstance(default, Mapping):  # model mappings are FrozenDicts
        return dict(value) == dict(default)
    return type(value) is type(default) and value == default


class ModuleWriter:
    def __init__(self, connector: Connector, *, docstring: str, script_file: str | None = None,
                 files: Mapping[str, str] | None = None):
        self.connector = connector
        self.docstring = docstring
        self.script_file = script_file
        # Connector fields naming a file beside the module (icon, readme) -> the file's name
        self.files = dict(files or {})
        self.refs: Counter[int] = Counter()
        self.hints: dict[int, str] = {}
        self.reserved_names: dict[int, str] = {}  # operations and definitions: named before anything else
        self.field_vars: dict[str, list[Field]] = {}  # a field's name -> the fields of that name made variables
        self.holders: dict[int, str] = {}  # id(object) -> the whole name of the operation/definition it is in
        self.owners: dict[int, tuple[str, ...]] = {}  # id(object) -> the names of what holds it (where first used)
        self.objects: dict[int, Any] = {}
        self.nodes: dict[int, Node] = {}
        self.var_of: dict[int, str] = {}  # id(object) -> variable name
        self.var_order: list[int] = []  # variables in the order they were decided (dependencies first)
        self.deps: dict[int, list[int]] = {}
        self.soft_deps: dict[int, list[int]] = {}
        self.taken: set[str] = set(RESERVED)
        self.used_names: set[str] = set()
        self.printed: set[int] = set()
        self.shared_bases: dict[tuple[str, str], Any] = {}
        ids = Counter(op.id for op in connector.operations)
        self.op_by_id = {op.id: op for op in connector.operations if ids[op.id] == 1}
        self._current: list[int] = []

    # -- pass 1: how often is each object used ------------------------------------------------------------
    def _count(self) -> None:
        stack: list[tuple[Any, str, tuple[str, ...], Any]] = [(x, "", (), None) for x in reversed(self._roots())]
        while stack:
            obj, hint, owners, parent = stack.pop()
            key = id(obj)
            self.refs[key] += 1
            if key in self.objects:
                continue
            self.objects[key] = obj
            self.hints[key] = hint
            self.owners[key] = owners
            if isinstance(obj, (Operation, Definition)):
                holder = upper_snake(obj.id if isinstance(obj, Operation) else obj.name)
            else:
                holder = self.holders.get(id(parent)) if parent is not None else None
            if holder is not None:
                self.holders[key] = holder
            own = self._owner_name(obj)
            inner = owners + (own,) if own and (not owners or owners[-1] != own) else owners
            stack.extend((child, child_hint, inner, obj)
                         for child, child_hint in reversed(list(self._children(obj, hint))))

    @staticmethod
    def _owner_name(obj: Any) -> str | None:
        """What ``obj`` contributes to the names of the things it holds: an operation's id, a definition's name,
        a field's or parameter's name."""
        if isinstance(obj, Operation):
            return upper_snake(obj.id, words=4)
        if isinstance(obj, Definition):
            return upper_snake(obj.name, words=4)
        if isinstance(obj, Field) or (isinstance(obj, Parameter) and obj.location != "body"):
            return upper_snake(obj.name, words=4)
        return None

    def _roots(self) -> list[Any]:
        return list(self.connector.imported.declarations) + list(self.connector.operations)

    @staticmethod
    def _children(obj: Any, hint: str) -> Iterable[tuple[Any, str]]:
        if isinstance(obj, Operation):
            base = upper_snake(obj.id, words=4)
            for p in obj.parameters:
                yield p, (base + "_BODY" if p.location == "body" else upper_snake(p.name))
            for r in obj.responses:
                yield r, f"{base}_{r.status.upper() if r.status.isalnum() else upper_snake(r.status)}"
            if obj.notification is not None:
                yield obj.notification, base + "_NOTIFICATION"
            if obj.webhook_delete is not None:
                yield obj.webhook_delete, ""
            return
        if isinstance(obj, Response):
            if obj.schema is not None:
                yield obj.schema, hint
            return
        if isinstance(obj, Definition):
            yield obj.schema, upper_snake(obj.name)
            return
        if isinstance(obj, Parameter):
            if obj.schema is not None:
                yield obj.schema, hint
            return
        if isinstance(obj, Schema):
            if obj.definition is not None:
                yield obj.definition, ""
            for f in obj.properties or ():
                yield f, upper_snake(f.name)
            if obj.items is not None:
                yield obj.items, hint + "_ITEM"
            if isinstance(obj.additional_properties, (Schema, Definition)):
                yield obj.additional_properties, hint + "_VALUES"
            if obj.dropdown is not None:
                yield obj.dropdown, upper_snake(obj.dropdown.operation_id) + "_VALUES"
            if obj.dynamic_schema is not None:
                yield obj.dynamic_schema, upper_snake(obj.dynamic_schema.operation_id) + "_SCHEMA"
            return
        if isinstance(obj, (Dropdown, DynamicSchema)) and not isinstance(obj.operation, str):
            yield obj.operation, ""

    # -- pass 2: expressions, bottom-up; decide the variables -----------------------------------------------
    def node(self, obj: Any) -> Node:
        key = id(obj)
        done = self.nodes.get(key)
        if done is not None:
            if self._current:
                parent = self._current[-1]
                if key in self.var_of:
                    self.deps.setdefault(parent, []).append(key)
                else:
                    self.deps.setdefault(parent, []).extend(self.deps.get(key, ()))
                    self.soft_deps.setdefault(parent, []).extend(self.soft_deps.get(key, ()))
            return done
        self._current.append(key)
        try:
            expr = self._expression(obj)
        finally:
            self._current.pop()
        if self._is_variable(obj, expr):
            name = self.reserved_names.get(key) or self._name_for(obj)
            self.var_of[key] = name
            self.var_order.append(key)
            self.var_exprs[key] = expr
            if isinstance(obj, Field):
                self.field_vars.setdefault(obj.name, []).append(obj)
            result: Node = Atom(name)
            if self._current:
                self.deps.setdefault(self._current[-1], []).append(key)
        else:
            result = expr
            if self._current:  # an inline node's dependencies are its parent's
                parent = self._current[-1]
                self.deps.setdefault(parent, []).extend(self.deps.get(key, ()))
                self.soft_deps.setdefault(parent, []).extend(self.soft_deps.get(key, ()))
        self.nodes[key] = result
        return result

    def _is_variable(self, obj: Any, expr: Node) -> bool:
        if isinstance(obj, (Operation, Definition)):
            return True
        if isinstance(obj, (Parameter, Response)) and obj.shared:
            return self.shared_bases.get((type(obj).__name__, obj.shared)) is obj
        if self.refs[id(obj)] < 2 or not isinstance(obj, (Schema, Parameter, Dropdown, DynamicSchema, Response)):
            return False
        return len(expr.flat()) > FACTOR_MIN_CHARS

    def _name_for(self, obj: Any) -> str:
        if isinstance(obj, Operation):
            base = identifier(obj.id)
        elif isinstance(obj, Definition):
            base = upper_snake(obj.name)
        elif isinstance(obj, Parameter) and obj.shared:
            base = upper_snake(obj.shared) + "_PARAMETER"
        elif isinstance(obj, Response) and obj.shared:
            base = upper_snake(obj.shared) + "_RESPONSE"
        elif isinstance(obj, Parameter) and obj.location == "body":
            base = self.hints.get(id(obj)) or "BODY"
        elif isinstance(obj, Parameter):
            base = upper_snake(obj.name, words=4) + "_PARAMETER"
        elif isinstance(obj, Response):
            words = re.fullmatch(r"[A-Za-z][A-Za-z -]{0,30}", obj.description or "")
            base = upper_snake(obj.description, words=4) + "_RESPONSE" if words else \
                "RESPONSE_" + (obj.status.upper() if obj.status.isalnum() else upper_snake(obj.status))
        elif isinstance(obj, Dropdown):
            base = self.hints.get(id(obj)) or "VALUES"
        elif isinstance(obj, DynamicSchema):
            base = self.hints.get(id(obj)) or "DYNAMIC_SCHEMA"
        elif isinstance(obj, Field):
            base = upper_snake(obj.name, words=4)
        elif obj.title:
            base = upper_snake(obj.title, words=4)
        else:
            base = (self.hints.get(id(obj)) or "SCHEMA") + "_SCHEMA"
        name = next((c for c in self._qualified(obj, base) if c not in self.taken), None)
        n = 1
        while name is None or name in self.taken:  # nothing but a number tells it apart
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name

    def _qualified(self, obj: Any, base: str) -> Iterable[str]:
        """Names for ``obj``, best first: ``base``; what the thing itself says (an operation as ``op_<id>`` when
        its id is taken, a field's whole name where ``base`` keeps its first words, a shared parameter or
        response as ``PARAMETER_<key>``, a body after its definition); then ``base`` prefixed by what holds it
        where it is first used (its definition, field or operation: ``RESOURCE_SOURCE_APP``), nearest first,
        then by the whole name of its operation or definition; a response by its status last. The caller
        adds a number only when all of these are taken."""
        yield base
        if isinstance(obj, Operation) and not base.startswith("op_"):  # its id is a model name or a definition's
            yield "op_" + base
        if isinstance(obj, (Field, Parameter)) and not getattr(obj, "shared", None):
            full = upper_snake(obj.name)  # the whole name, where base keeps only its first words
            if full != upper_snake(obj.name, words=4):
                yield full + ("_PARAMETER" if base.endswith("_PARAMETER") else "")
        if isinstance(obj, (Parameter, Response)) and obj.shared:  # beside a definition of the same name
            yield type(obj).__name__.upper() + "_" + upper_snake(obj.shared)
        if isinstance(obj, Parameter) and obj.location == "body" and isinstance(obj.schema, Definition):
            yield upper_snake(obj.schema.name) + "_BODY"
        if isinstance(obj, (Operation, Definition)) or getattr(obj, "shared", None):
            return
        owners = [o for o in self.owners.get(id(obj), ()) if not base.startswith(o + "_")]
        for depth in (1, 2, 3):
            if len(owners) >= depth:
                yield "_".join(owners[-depth:]) + "_" + base
        holder = self.holders.get(id(obj))
        if holder is not None:  # the whole name of the operation or definition it is in (not its first words)
            yield holder + "_" + base
        if isinstance(obj, Response) and not obj.shared and obj.status.isalnum() and obj.status.upper() not in base:
            yield f"{base}_{obj.status.upper()}"  # its status tells it apart (DEFAULT_RESPONSE_404)

    def _use(self, name: str) -> str:
        self.used_names.add(name)
        return name

    def value(self, v: Any) -> Node:
        if isinstance(v, (Schema, Definition, Parameter, Dropdown, DynamicSchema, Response, Operation)):
            return self.node(v)
        if isinstance(v, Imported):
            kwargs = self._kwargs(v)
            if self.script_file:
                kwargs = [(k, Atom("SCRIPT_SOURCE") if k == "script_source" else x) for k, x in kwargs]
            return call(self._use("Imported"), kwargs=kwargs)
        if isinstance(v, Ref):
            return call(self._use("Ref"), [literal(v.parameter)] + ([literal(v.reference)] if v.reference else []))
        if v is UNSET:
            return Atom(self._use("UNSET"))
        if isinstance(v, (Contact, OAuth2, ApiKey, BasicAuth, Throttling, TriggerMetadata)):
            return call(self._use(type(v).__name__), kwargs=self._kwargs(v))
        if isinstance(v, tuple):
            return tuple_of([self.value(x) for x in v])
        if isinstance(v, list):
            return fmt.list_of([self.value(x) for x in v])
        if isinstance(v, Mapping):
            return dict_of([(literal(k), self.value(x)) for k, x in v.items()])
        return literal(v)

    def _kwargs(self, obj: Any, skip: Iterable[str] = (), baseline: Mapping[str, Any] | None = None
                ) -> list[tuple[str, Node]]:
        out: list[tuple[str, Node]] = []
        baseline = baseline or {}
        for f in fields(obj):
            if f.name in skip:
                continue
            value = getattr(obj, f.name)
            if f.name in baseline:
                default = baseline[f.name]
            elif f.default is not MISSING:
                default = f.default
            elif f.default_factory is not MISSING:  # type: ignore[misc]
                default = f.default_factory()  # type: ignore[misc]
            else:
                default = MISSING
            if default is not MISSING and _same(value, default):
                continue
            out.append((f.name, literal(value) if f.name in JSON_FIELDS else self.value(value)))
        out.sort(key=lambda kv: KWARG_ORDER.get(kv[0], 10))  # stable: the dataclass order otherwise
        return out

    def _expression(self, obj: Any) -> Node:
        if isinstance(obj, Operation):
            return call(self._use("Operation"), kwargs=self._kwargs(obj))
        if isinstance(obj, Definition):
            return call(self._use("Definition"), kwargs=[("name", literal(obj.name)), ("schema", self.value(obj.schema))]
                        + self._kwargs(obj, skip=("name", "schema")))
        if isinstance(obj, Parameter):
            return self._parameter(obj)
        if isinstance(obj, Field):
            full = self._field(obj)
            variant = self._variant(obj)
            # the variant only where it says less: a description alone is clearer restated than looked up
            return variant if variant is not None and len(variant.flat()) + 15 < len(full.flat()) else full
        if isinstance(obj, Schema):
            return self._schema(obj)
        if isinstance(obj, (Dropdown, DynamicSchema)):
            return self._dropdown(obj)
        if isinstance(obj, Response):
            base = self.shared_bases.get(("Response", obj.shared)) if obj.shared else None
            if base is not None and base is not obj:
                return call(self._use("reusing"), [self.node(base)], self._kwargs(obj, baseline={
                    f.name: getattr(base, f.name) for f in fields(base)}))
            return call(self._use("Response"), kwargs=self._kwargs(obj))
        raise TypeError(f"cannot write {type(obj).__name__}")  # pragma: no cover

    def _helper(self, name: str, values: Mapping[str, Any]) -> Node | None:
        """A call of short constructor ``name`` giving a node with attributes ``values``; None when the node
        has an attribute the constructor cannot set."""
        fixed, positional = HELPERS[name]
        signature = inspect.signature(getattr(short, name)).parameters
        for key, value in values.items():
            if key in fixed:
                if not _same(value, fixed[key]):
                    return None
            elif key not in signature and key not in positional and not _same(value, MODEL_DEFAULTS.get(key, MISSING)):
                return None
        args: list[Node] = []
        for key in positional:
            if key == "properties":
                args += [self.value(p) for p in values[key]]
            else:
                args.append(literal(values[key]) if key == "name" else self.value(values[key]))
        kwargs: list[tuple[str, Node]] = []
        for key, param in signature.items():
            if param.kind is not inspect.Parameter.KEYWORD_ONLY or key not in values:
                continue
            value = values[key]
            if _same(value, param.default) or (key == "extra" and not value):
                continue
            kwargs.append((key, literal(value) if key in JSON_FIELDS else self.value(value)))
        return call(self._use(name), args, kwargs)

    @staticmethod
    def _attributes(obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def _variant(self, f: Field) -> Node | None:
        """``reusing(SOURCE_APP, required=True)``: a field that differs from a declared field of the same name
        only in whether it is required, its visibility, label, description or default."""
        for other in self.field_vars.get(f.name, ()):
            changes = {x.name: getattr(f, x.name) for x in fields(f) if not _same(getattr(f, x.name),
                                                                                  getattr(other, x.name))}
            if changes and len(changes) <= 2 and set(changes) <= VARIANT_ATTRIBUTES:
                return call(self._use("reusing"), [self.node(other)],
                            [(k, literal(v) if k in JSON_FIELDS and v is not UNSET else self.value(v))
                             for k, v in changes.items()])
        return None

    def _field(self, f: Field) -> Node:
        values = self._attributes(f)
        helper = {"string": "string", "integer": "integer", "boolean": "boolean"}.get(f.type or "")
        if f.type == "array" and f.items is not None:
            helper = "array"
        elif f.type == "object" and f.properties is not None:
            helper = "obj"
        node = self._helper(helper, values) if helper else None
        return node or call(self._use("Field"), kwargs=[("name", literal(f.name))] + self._kwargs(f, skip=("name",)))

    def _schema(self, s: Schema) -> Node:
        node = None
        if s.type == "object" and s.properties is not None:
            node = self._helper("object_schema", self._attributes(s))
        elif s.type == "array" and s.items is not None:
            node = self._helper("array_of", self._attributes(s))
        return node or call(self._use("Schema"), kwargs=self._kwargs(s))

    def _parameter(self, p: Parameter) -> Node:
        values = self._attributes(p)
        node = None
        if p.location == "body" and p.schema is not None:
            node = self._helper("body", values)
        elif p.location in ("path", "query", "header") and isinstance(p.schema, Schema):
            value = self._attributes(p.schema)
            for key in ("label", "description", "visibility", "extra"):  # the parameter's own (the schema has none)
                value.pop(key)
            node = self._helper(p.location, {**values, **value, "schema": MODEL_DEFAULTS["schema"]})
        return node or call(self._use("Parameter"), kwargs=self._kwargs(p))

    def _dropdown(self, d: Dropdown | DynamicSchema) -> Node:
        operation: Node
        op_id = d.operation_id
        target = self.op_by_id.get(op_id)
        if isinstance(d.operation, str) or target is d.operation:
            # by name while the operation is not yet declared: its answer may use a definition that holds this
            # dropdown (mutually referring schemas), so the reference must not force the order
            if target is not None:
                # a dropdown's operation is declared before it when it can be; a dynamic schema's often answers
                # with a definition that the schema is part of (a cycle), so it names its operation by id unless
                # that operation happens to be declared already
                if self._current and isinstance(d, Dropdown):
                    self.soft_deps.setdefault(self._current[-1], []).append(id(target))
                operation = Lazy(lambda: self._op_ref(op_id))
            else:
                operation = literal(op_id)
        else:
            operation = self.node(d.operation)
        return call(self._use(type(d).__name__), kwargs=[("operation", operation)] + self._kwargs(d, skip=("operation",)))

    def _op_ref(self, op_id: str) -> str:
        target = self.op_by_id[op_id]
        if id(target) in self.printed:
            return self.var_of[id(target)]
        return fmt.string(op_id)

    # -- pass 3: order and print --------------------------------------------------------------------------
    def write(self) -> str:
        self.var_exprs: dict[int, Node] = {}
        recursion = sys.getrecursionlimit()
        sys.setrecursionlimit(max(recursion, 20000))
        try:
            self._count()
            for obj in self.connector.imported.declarations:
                for p in ([obj] if isinstance(obj, (Parameter, Response)) else []):
                    self.shared_bases.setdefault((type(p).__name__, p.shared), p)
            for key in self.objects:  # the first use of a shared parameter/response is its declaration
                obj = self.objects[key]
                if isinstance(obj, (Parameter, Response)) and obj.shared:
                    self.shared_bases.setdefault((type(obj).__name__, obj.shared), obj)
            for key, obj in self.objects.items():  # what is always a variable names itself first
                if isinstance(obj, (Operation, Definition)):
                    self.reserved_names[key] = self._name_for(obj)
            for obj in self._roots():
                self.node(obj)
            kwargs = self._kwargs(self.connector, skip=tuple(self.files))
            at = next((i for i, (k, _) in enumerate(kwargs) if k in ("readme", "extra", "imported")), len(kwargs))
            kwargs[at:at] = [(k, Atom(f"Path(__file__).parent / {fmt.string(name)}")) for k, name in self.files.items()]
            connector_expr = call(self._use("Connector"), kwargs=kwargs)
            body = self._ordered_statements()
        finally:
            sys.setrecursionlimit(recursion)
        doc = self.docstring.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        # a title is whatever the swagger says: escape what cannot stand in source text (NUL, other controls)
        doc = "".join(ch if ch.isprintable() or ch in "\n " else ch.encode("unicode_escape").decode("ascii")
                      for ch in doc)
        blocks = ['"""' + doc + '\n"""']
        if self.script_file or self.files:
            blocks.append("from pathlib import Path")
        blocks.append(fmt.import_line("connector.model", MODEL_NAMES))
        if self.script_file:  # bytes, not text: the script's line endings stay as they are
            blocks.append(f"SCRIPT_SOURCE = (Path(__file__).parent / {fmt.string(self.script_file)}).read_bytes()"
                          '.decode("utf-8")')
        blocks += body
        blocks.append(fmt.statement("connector", connector_expr))
        return "\n\n".join(blocks) + "\n"

    def _ordered_statements(self) -> list[str]:
        """Variables in dependency order: definitions, shared parameters and responses, then operations;
        each preceded by whatever it uses. A dropdown's operation comes first too where that makes no cycle
        (an operation whose answer uses the definition holding the dropdown); otherwise the dropdown names the
        operation by its id."""
        order = [k for k in self.var_order if isinstance(self.objects[k], Definition)]
        order += [k for k in self.var_order if isinstance(self.objects[k], (Parameter, Response))
                  and self.objects[k].shared]
        order += [id(op) for op in self.connector.operations if id(op) in self.var_of]
        order += self.var_order
        graph = self._acyclic_deps()
        state: dict[int, int] = {}
        out: list[int] = []

        def visit(key: int) -> None:
            stack = [(key, iter(graph.get(key, ())))]
            state[key] = 1
            while stack:
                node, deps = stack[-1]
                for dep in deps:
                    if dep in self.var_of and dep not in state:
                        state[dep] = 1
                        stack.append((dep, iter(graph.get(dep, ()))))
                        break
                else:
                    stack.pop()
                    state[node] = 2
                    out.append(node)

        for key in order:
            if key not in state:
                visit(key)
        statements = []
        for key in out:
            statements.append(fmt.statement(self.var_of[key], self.var_exprs[key]))
            self.printed.add(key)
        return statements

    def _acyclic_deps(self) -> dict[int, list[int]]:
        """Each variable's variables to print before it: every real use (the objects form no cycle), then each
        by-name dropdown reference that closes no cycle with what is already kept."""
        graph = {key: list(dict.fromkeys(d for d in self.deps.get(key, ()) if d in self.var_of))
                 for key in self.var_of}

        def reaches(start: int, goal: int) -> bool:
            seen, todo = {start}, [start]
            while todo:
                key = todo.pop()
                if key == goal:
                    return True
                for dep in graph.get(key, ()):
                    if dep not in seen:
                        seen.add(dep)
                        todo.append(dep)
            return False

        for key in self.var_order:
            for dep in dict.fromkeys(self.soft_deps.get(key, ())):
                if dep in self.var_of and dep not in graph[key] and not reaches(dep, key):
                    graph[key].append(dep)
        return graph


def write_module(connector: Connector, *, docstring: str, script_file: str | None = None,
                 files: Mapping[str, str] | None = None) -> str:
    """The Python source of a module declaring ``connector`` (its variable ``connector``). ``files``: Connector
    fields (``icon``, ``readme``) that name a file beside the module, and that file's name."""
    return ModuleWriter(connector, docstring=docstring, script_file=script_file, files=files).write()


__all__ = ["ModuleWriter", "write_module", "upper_snake", "identifier", "is_dataclass"]
