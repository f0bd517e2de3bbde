"""A small, deterministic pretty-printer for the Python that ``connector import`` writes.

It lays out expression trees the way black does for this kind of code (calls, tuples, lists and dicts of
literals): an expression stays on one line when it fits; otherwise a call's arguments go on one indented
line between the brackets if they fit there; otherwise (and always for a tuple, list or dict) one item per
line with a trailing comma. Strings use double quotes unless
single quotes avoid escapes. black 26.10 (``-l 100``) leaves its output for the whole corpus unchanged but for
the import list, which it would write one name per line where this fills lines (a few lines, not thirty); it is
ours rather than black because black needs 3.5 s for the largest imported module (97 s of CPU for the
corpus), which would break the import time budget, and an expression tree we built needs no parsing.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable, Iterable

WIDTH = 100
INDENT = 4


class Node:
    __slots__ = ("_flat",)

    def flat(self) -> str:
        try:
            return self._flat
        except AttributeError:
            self._flat = self._render_flat()
            return self._flat

    def _render_flat(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class Atom(Node):
    """A name or a literal: never broken."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def _render_flat(self) -> str:
        return self.text


class Lazy(Node):
    """Text decided when the module is printed (e.g. a variable name, or a string when it is not yet defined)."""

    __slots__ = ("decide",)

    def __init__(self, decide: Callable[[], str]):
        self.decide = decide

    def flat(self) -> str:
        return self.decide()


class Bracketed(Node):
    """A call, tuple, list or dict: ``opener`` items ``closer``, where each item is (prefix, node)."""

    __slots__ = ("opener", "closer", "items", "single_tuple", "collection", "has_lazy")

    def __init__(self, opener: str, closer: str, items: list[tuple[str, Node]], single_tuple: bool = False,
                 collection: bool = False):
        self.opener = opener
        self.closer = closer
        self.items = items
        self.single_tuple = single_tuple
        self.collection = collection  # a tuple, list, dict or import list: split one item per line, as black does
        self.has_lazy = any(isinstance(n, Lazy) or getattr(n, "has_lazy", False) for _, n in items)

    def _render_flat(self) -> str:
        inner = ", ".join(prefix + node.flat() for prefix, node in self.items)
        if self.single_tuple:
            inner += ","
        return self.opener + inner + self.closer

    def flat(self) -> str:
        if self.has_lazy:  # its text depends on what has been printed so far: never cached
            return self._render_flat()
        return Node.flat(self)


def call(func: str, args: list[Node] = (), kwargs: list[tuple[str, Node]] = ()) -> Bracketed:
    return Bracketed(func + "(", ")", [("", a) for a in args] + [(k + "=", v) for k, v in kwargs])


def tuple_of(items: list[Node]) -> Bracketed:
    return Bracketed("(", ")", [("", i) for i in items], single_tuple=len(items) == 1, collection=True)


def list_of(items: list[Node]) -> Bracketed:
    return Bracketed("[", "]", [("", i) for i in items], collection=True)


def dict_of(items: list[tuple[Node, Node]]) -> Bracketed:
    return Bracketed("{", "}", [(k.flat() + ": ", v) for k, v in items], collection=True)


def render(node: Node, indent: int = 0, column: int | None = None, suffix: int = 0) -> str:
    """``node`` laid out starting at ``column`` on a line indented by ``indent``, followed by ``suffix``
    characters (a comma, a closing bracket) on its last line."""
    column = indent if column is None else column
    text = node.flat()
    if column + len(text) + suffix <= WIDTH or not isinstance(node, Bracketed) or not node.items:
        return text
    inner_indent = indent + INDENT
    pad = " " * inner_indent
    if not node.collection:
        hug = ", ".join(prefix + item.flat() for prefix, item in node.items)
        if inner_indent + len(hug) <= WIDTH:
            return f"{node.opener}\n{pad}{hug}\n{' ' * indent}{node.closer}"
    lines = [node.opener]
    for prefix, item in node.items:
        body = render(item, inner_indent, inner_indent + len(prefix), 1)
        lines.append(f"{pad}{prefix}{body},")
    lines.append(" " * indent + node.closer)
    return "\n".join(lines)


def import_line(module: str, names: Iterable[str]) -> str:
    """``from module import names``: on one line when it fits, else the names filled into lines of ``WIDTH``
    between brackets (a long list stays a few lines rather than one name per line)."""
    names = list(names)
    single = f"from {module} import " + ", ".join(names)
    if len(single) <= WIDTH:
        return single
    lines, line = [], ""
    for name in names:
        candidate = f"{line} {name}," if line else " " * INDENT + name + ","
        if len(candidate) > WIDTH and line:
            lines.append(line)
            candidate = " " * INDENT + name + ","
        line = candidate
    lines.append(line)
    return f"from {module} import (\n" + "\n".join(lines) + "\n)"


def statement(target: str, node: Node) -> str:
    return f"{target} = " + render(node, 0, len(target) + 3, 0)


# -- literals --------------------------------------------------------------------------------------------------
def string(s: str) -> str:
    """A Python string literal for ``s``: double quotes unless single quotes need fewer escapes."""
    if any(_needs_escape(ch) for ch in s):
        body = "".join(_escape(ch) for ch in s)
    else:
        body = json.dumps(s, ensure_ascii=False)[1:-1]
    if '"' in s and "'" not in s:
        return "'" + body.replace('\\"', '"') + "'"
    return '"' + body + '"'


def _needs_escape(ch: str) -> bool:
    code = ord(ch)
    return 0xD800 <= code <= 0xDFFF or (code >= 0x7F and not ch.isprintable())


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == '"':
        return '\\"'
    if ch == "\\":
        return "\\\\"
    if code < 0x20 or _needs_escape(ch):
        return json.dumps(ch)[1:-1] if code < 0x10000 else f"\\U{code:08x}"
    return ch


def literal(value: Any) -> Node:
    """A JSON value as a Python expression (dicts and lists stay dicts and lists; tuples stay tuples)."""
    if isinstance(value, str):
        return Atom(string(value))
    if value is True or value is False or value is None:
        return Atom(repr(value))
    if isinstance(value, int):
        return Atom(repr(value))
    if isinstance(value, float):
        if math.isinf(value):
            return Atom('float("inf")' if value > 0 else 'float("-inf")')
        if math.isnan(value):
            return Atom('float("nan")')
        return Atom(repr(value))
    if isinstance(value, dict):
        return dict_of([(literal(k), literal(v)) for k, v in value.items()])
    if isinstance(value, list):
        return list_of([literal(v) for v in value])
    if isinstance(value, tuple):
        return tuple_of([literal(v) for v in value])
    raise TypeError(f"not a JSON value: {type(value).__name__}")
