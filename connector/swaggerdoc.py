"""Swagger 2.0 documents as plain data: the one module that knows their shape.

Every stage that reads a swagger (validate, import, diff, mock, contract, preview) asks these functions for
the document's operations, an operation's effective parameters, the target of a ``$ref`` and JSON pointers,
so the rules below are written once:

- **Methods.** The seven HTTP methods swagger 2.0 knows, in the order generated files list them.
- **References.** Only local references (``#/...``, RFC 6901 after the ``#``) resolve. Keys written beside
  a ``$ref`` are laid over its target (connector files do this, and the platform honours it).
- **One cycle rule.** Following a chain of references stops at the first reference met twice in that chain:
  the chain is a cycle and resolves to nothing (``deref`` gives ``None`` and ``ref_cycle`` names the loop).
  A schema that refers to itself *through a property* (a tree) is not a cycle: its ``$ref`` chain ends at
  an object. Walkers that descend into such schemas keep their own set of references on the current path.
- **Effective parameters.** An operation's parameters are the path item's parameters it does not override
  (same ``name`` and ``in``), then its own, in that order.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

METHODS: tuple[str, ...] = ("get", "put", "post", "delete", "options", "head", "patch")
"""Swagger 2.0's operations of a path item, in the order generated files list them."""

PATH_VARIABLE = re.compile(r"{([^{}]+)}")
"""A ``{name}`` template variable of a path (group 1: the name)."""


def path_variables(path: str) -> list[str]:
    """The template variables of a path, in order: ``/a/{b}/{c}`` gives ``['b', 'c']``."""
    return PATH_VARIABLE.findall(path)



# -- Answers that list records --------------------------------------------------------------------------------

RECORD_ID_FIELDS: tuple[str, ...] = ("id", "uuid", "key", "name")
"""The fields a record's id is taken from, in this order (any case)."""

NOT_ITEMS = frozenset({"error", "errors", "warning", "warnings", "message", "messages"})
"""Array properties that carry diagnostics beside an answer, never its items."""


def _squash(name: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def lists_records(answer: Any, path: str) -> bool:
    """Does an operation on ``path``, a path ending in a parameter (``GET /events/{organisationId}``), answer
    a list of the records that parameter selects, rather than the one record it names? ``answer`` is shaped
    like the success answer (an example of its schema: a list, or an object whose values show which
    properties are arrays). A list: an array; or an object with exactly one array property (not ``errors``,
    ``warnings`` or ``messages``) and no property naming a record: ``id``, ``uuid``, ``key``, ``name``, the
    parameter itself or the collection's id (``JobId`` in ``/Jobs/{id}``), compared without case or
    punctuation (``contract_id`` names ``{contractId}``); a page number echoed beside a page (``pageNumber``
    for ``{Page Number}``) names none."""
    segments = path.rstrip("/").split("/")
    last = PATH_VARIABLE.fullmatch(segments[-1] or "")
    if last is None:
        return False
    if isinstance(answer, list):
        return True
    if not isinstance(answer, dict):
        return False
    arrays = [k for k, v in answer.items() if isinstance(v, list)]
    if len(arrays) != 1 or _squash(arrays[0]) in NOT_ITEMS:
        return False
    names = set(RECORD_ID_FIELDS)
    param = _squash(last.group(1))
    if "page" not in param:
        names.add(param)
        if len(segments) > 1 and not PATH_VARIABLE.fullmatch(segments[-2]):
            resource = _squash(segments[-2])
            names |= {resource + "id", resource.removesuffix("s") + "id"}
    return not {_squash(k) for k in answer} & names


# -- JSON pointers --------------------------------------------------------------------------------------------

def pointer(*parts: Any) -> str:
    """RFC 6901 JSON pointer from path parts: ``pointer('paths', '/a/{b}', 'get')`` is ``/paths/~1a~1{b}/get``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(ptr: str) -> list[str]:
    """The unescaped parts of an RFC 6901 pointer (``''`` is the whole document: no parts)."""
    if not ptr:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr[1:].split("/")]


def at_pointer(doc: Any, ptr: str) -> Any:
    """The node at an RFC 6901 pointer, or None when it points nowhere."""
    node = doc
    for part in pointer_parts(ptr):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def too_deep(doc: Any, limit: int) -> str | None:
    """The pointer of the first array or object nested deeper than ``limit`` levels, or None. Iterative: a
    document of any depth is measured without recursion (the mock's request bodies, imported swaggers)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            children: Any = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        if len(parts) >= limit:
            return pointer(*parts)
        stack.extend((value, (*parts, key)) for key, value in children)
    return None


# -- references -----------------------------------------------------------------------------------------------

def resolve_ref(doc: Any, ref: Any) -> Any:
    """The value a local reference (``#/definitions/x``, any RFC 6901 pointer after ``#``) points to in
    ``doc``, or None when it is not local or points nowhere. ``#`` and ``#/`` are the document itself."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    if ref in ("#", "#/"):
        return doc
    if not ref.startswith("#/"):
        return None
    return at_pointer(doc, ref[1:])


def is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def deref(doc: Any, node: Any) -> Any:
    """``node`` with its chain of ``$ref`` followed, keys beside each ``$ref`` laid over the target.

    A node that is not a reference is returned as it is. A chain that points nowhere, or that meets a
    reference twice (a cycle), resolves to None."""
    return deref_chain(doc, node)[0]


def deref_chain(doc: Any, node: Any) -> tuple[Any, list[str]]:
    """(the resolved node, the references followed in order). The node is None when the chain breaks or
    loops; the list then ends with the reference that did not resolve or that closed the loop."""
    followed: list[str] = []
    while is_ref(node):
        ref = node["$ref"]
        if ref in followed:
            followed.append(ref)
            return None, followed
        followed.append(ref)
        target = resolve_ref(doc, ref)
        if target is None:
            return None, followed
        if len(node) > 1 and isinstance(target, dict):
            target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node = target
    return node, followed


def ref_cycle(doc: Any, ref: str) -> list[str] | None:
    """The references of a pure ``$ref`` loop that ``ref`` starts or enters (``A -> B -> A``), or None."""
    node, followed = deref_chain(doc, {"$ref": ref})
    if node is None and len(followed) > 1 and followed[-1] in followed[:-1]:
        return followed
    return None


# -- operations and parameters ----------------------------------------------------------------------------

def iter_operations(doc: Any) -> Iterator[tuple[str, str, dict]]:
    """(path, method, operation) of every operation of a swagger document, in document order."""
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def operations_by_id(doc: Any) -> dict[str, tuple[str, str, dict]]:
    """operationId -> (path, method, operation); the first one wins when an id is used twice."""
    out: dict[str, tuple[str, str, dict]] = {}
    for path, method, op in iter_operations(doc):
        op_id = op.get("operationId")
        if isinstance(op_id, str):
            out.setdefault(op_id, (path, method, op))
    return out


def parameter_key(doc: Any, param: Any) -> tuple[Any, Any] | None:
    """(name, in) of a parameter, following a ``#/parameters/X`` reference; None when it does not resolve."""
    target = deref(doc, param)
    if isinstance(target, dict):
        return (target.get("name"), target.get("in"))
    return None


def merge_parameters(doc: Any, path_params: Any, op_params: Any) -> list[Any]:
    """An operation's parameter list as written (references kept): the path item's parameters the
    operation does not override (same name and ``in``), then its own."""
    path_params = path_params if isinstance(path_params, list) else []
    op_params = op_params if isinstance(op_params, list) else []
    own = {parameter_key(doc, p) for p in op_params}
    own.discard(None)
    return [p for p in path_params if parameter_key(doc, p) not in own] + list(op_params)


def effective_parameters(doc: Any, path: str, op: dict) -> list[dict]:
    """An operation's parameters as the platform sees them: path-level ones merged in, references
    resolved; parameters whose reference does not resolve are left out."""
    item = (doc.get("paths") or {}).get(path) if isinstance(doc, dict) else None
    path_params = item.get("parameters") if isinstance(item, dict) else None
    out = []
    for p in merge_parameters(doc, path_params, op.get("parameters")):
        resolved = deref(doc, p)
        if isinstance(resolved, dict):
            out.append(resolved)
    return out


__all__ = [
    "METHODS", "at_pointer", "deref", "deref_chain", "effective_parameters", "is_ref", "iter_operations",
    "merge_parameters", "operations_by_id", "parameter_key", "pointer", "pointer_parts", "ref_cycle",
    "resolve_ref",
]


# -- the model's names for swagger keys -----------------------------------------------------------------------

KEYS: dict[str, dict[str, str]] = {
    # a schema node (a Field adds nothing here: its name and required flag live in the parent object)
    "schema": {
        "type": "type", "format": "format", "title": "title", "description": "description",
        "label": "x-ms-summary", "visibility": "x-ms-visibility", "enum": "enum", "default": "default",
        "items": "items", "min_items": "minItems", "additional_properties": "additionalProperties",
        "dropdown": "x-ms-dynamic-values", "notification_url": "x-ms-notification-url",
        "dynamic_schema": "x-ms-dynamic-schema",
    },
    # a parameter's own keys; a non-body parameter's value keywords come from its schema (the row above)
    "parameter": {
        "name": "name", "location": "in", "required": "required", "description": "description",
        "label": "x-ms-summary", "visibility": "x-ms-visibility", "url_encoding": "x-ms-url-encoding",
    },
    "operation": {
        "tags": "tags", "summary": "summary", "description": "description", "id": "operationId",
        "consumes": "consumes", "produces": "produces", "parameters": "parameters", "responses": "responses",
        "deprecated": "deprecated", "visibility": "x-ms-visibility", "trigger": "x-ms-trigger",
        "trigger_hint": "x-ms-trigger-hint", "trigger_metadata": "x-ms-trigger-metadata",
    },
    "dropdown": {
        "operation": "operationId", "args": "parameters", "collection": "value-collection", "value": "value-path",
        "title": "value-title",
    },
    # the same Dropdown as x-ms-dynamic-list (written beside x-ms-dynamic-values, see Dropdown.emit)
    "dynamic_list": {
        "operation": "operationId", "collection": "itemsPath", "value": "itemValuePath", "title": "itemTitlePath",
        "args": "parameters",
    },
    "dynamic_schema": {"operation": "operationId", "args": "parameters", "value_path": "value-path"},
    # the same DynamicSchema as x-ms-dynamic-properties (see DynamicSchema.emit)
    "dynamic_properties": {"operation": "operationId", "args": "parameters", "value_path": "itemValuePath"},
    "trigger_metadata": {"kind": "kind", "mode": "mode"},
    "response": {"description": "description", "schema": "schema"},
}
"""Model field -> swagger key, per kind of node, in the order generated files write the keys. The emitter
(``connector.generate.swagger``) writes from it and the importer reads back through it; a new field is one
row here plus its value conversion, if any, in both."""

FIELDS: dict[str, dict[str, str]] = {kind: {key: name for name, key in row.items()} for kind, row in KEYS.items()}
"""The inverse of ``KEYS``: swagger key -> model field, per kind of node."""
