"""Semantic equality of two swagger documents: what "the import round-trips" means.

Two documents are equal when they are after these normalisations, and only these:

1. Key order is ignored (objects compare as sets of keys; arrays keep their order).
2. ``$ref`` placement: a local reference (``#/definitions/X``, ``#/parameters/X``, ``#/responses/X``, any
   ``#/...`` pointer) equals the value it points to; keys beside a ``$ref`` are laid over the target. Recursive
   references are compared co-inductively (a pair already being compared counts as equal).
3. Empty equals absent for the top-level ``definitions``, ``parameters``, ``responses``, ``securityDefinitions``
   and ``tags``, and for an operation's ``parameters`` and ``responses``.
4. Path-level ``parameters`` are pushed into every operation of the path (an operation-level parameter with
   the same ``name`` and ``in`` wins, as swagger 2.0 says); they then count as operation-level parameters.
5. A parameter without ``required`` equals one with ``required: false`` (swagger 2.0's default).

Scalars compare strictly: ``true`` is not ``1`` and ``1`` is not ``"1"``.
"""

from __future__ import annotations

from typing import Any

from ..jsonio import scalar_equal as _scalar_equal
from ..swaggerdoc import METHODS, merge_parameters, pointer, resolve_ref

EMPTY_EQUALS_ABSENT = ("definitions", "parameters", "responses", "securityDefinitions", "tags")


def normalise(doc: Any) -> Any:
    """A shallow-copied document with normalisations 3-5 applied (references are left in place)."""
    if not isinstance(doc, dict):
        return doc
    out = dict(doc)
    for key in EMPTY_EQUALS_ABSENT:
        if key in out and out[key] in ({}, []):
            del out[key]
    paths = out.get("paths")
    if isinstance(paths, dict):
        new_paths = {}
        for path, item in paths.items():
            if not isinstance(item, dict):
                new_paths[path] = item
                continue
            item = dict(item)
            path_params = item.get("parameters")
            has_ops = any(m in item and isinstance(item[m], dict) for m in METHODS)
            if isinstance(path_params, list) and has_ops:
                del item["parameters"]
            else:
                path_params = []
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                op = dict(op)
                params = op.get("parameters", [])
                if isinstance(params, list):
                    params = merge_parameters(doc, path_params, params)
                    params = [_param_defaults(p) for p in params]
                    if params:
                        op["parameters"] = params
                    else:
                        op.pop("parameters", None)
                if op.get("responses") == {}:
                    del op["responses"]
                item[method] = op
            new_paths[path] = item
        out["paths"] = new_paths
    shared = out.get("parameters")
    if isinstance(shared, dict):
        out["parameters"] = {k: _param_defaults(v) for k, v in shared.items()}
    return out


def _param_defaults(param: Any) -> Any:
    if isinstance(param, dict) and "$ref" not in param and "required" not in param:
        return {**param, "required": False}
    return param


class _Comparer:
    def __init__(self, a_doc: Any, b_doc: Any, limit: int):
        self.docs = (a_doc, b_doc)
        self.limit = limit
        self.found: list[str] = []
        self.assumed: set[tuple[int, int]] = set()
        self.equal: set[tuple[int, int]] = set()

    def resolve(self, node: Any, side: int) -> Any:
        for _ in range(16):  # a reference to a reference ... (bounded: a loop of references stays a reference)
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            target = resolve_ref(self.docs[side], node["$ref"])
            if target is None:
                return node
            if len(node) > 1:
                if not isinstance(target, dict):
                    return node
                target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            node = target
        return node

    def compare(self, a: Any, b: Any, where: str) -> bool:
        if len(self.found) >= self.limit:
            return False
        if a is b:  # one object in both documents (its references name targets compared where they live)
            return True
        a, b = self.resolve(a, 0), self.resolve(b, 1)
        if isinstance(a, dict) and isinstance(b, dict):
            key = (id(a), id(b))
            if key in self.equal or key in self.assumed:
                return True
            self.assumed.add(key)
            ok = True
            for k in a.keys() | b.keys():
                here = where + pointer(k)
                if k not in a:
                    self.found.append(f"{here}: only in the second document")
                    ok = False
                elif k not in b:
                    self.found.append(f"{here}: only in the first document")
                    ok = False
                elif not self.compare(a[k], b[k], here):
                    ok = False
                if len(self.found) >= self.limit:
                    break
            self.assumed.discard(key)
            if ok:
                self.equal.add(key)
            return ok
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                self.found.append(f"{where}: {len(a)} items against {len(b)}")
                return False
            ok = True
            for i, (x, y) in enumerate(zip(a, b)):
                if not self.compare(x, y, f"{where}/{i}"):
                    ok = False
            return ok
        if _scalar_equal(a, b):
            return True
        self.found.append(f"{where}: {_short(a)} against {_short(b)}")
        return False


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def differences(a: Any, b: Any, limit: int = 20) -> list[str]:
    """Where two swagger documents differ after the normalisations above (empty: semantically equal).
    Each entry starts with the JSON pointer of the difference."""
    na, nb = normalise(a), normalise(b)
    comparer = _Comparer(na, nb, limit)
    comparer.compare(na, nb, "")
    return comparer.found


def semantically_equal(a: Any, b: Any) -> bool:
    return not differences(a, b, limit=1)

