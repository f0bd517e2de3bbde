"""Checks for script.csx, parsed with tree-sitter's C# grammar: syntax errors with line and column,
``class Script : ScriptBase`` overriding ``ExecuteAsync``, allowed ``using`` namespaces only, at most 1 MB."""

from __future__ import annotations

from ..platform import ALLOWED_NAMESPACES as _PLATFORM_NAMESPACES

from functools import lru_cache

from .findings import Reporter
from .textutil import show

MAX_BYTES = 1024 * 1024
MAX_SYNTAX_FINDINGS = 20
ALLOWED_NAMESPACES = frozenset(_PLATFORM_NAMESPACES)


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter_c_sharp
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_c_sharp.language()))


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def check_script(rep: Reporter, raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        rep.report("PP4005", "", f"script.csx is {len(raw)} bytes; the limit is 1 MB (1048576 bytes)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    tree = _parser().parse(raw)
    root = tree.root_node
    errors = 0
    for n in _walk(root):
        if n.type == "ERROR" or n.is_missing:
            errors += 1
            if errors <= MAX_SYNTAX_FINDINGS:
                row, col = n.start_point
                what = f"missing {n.type}" if n.is_missing else f"unexpected {show(_text(n)[:40])}" if n.text else "syntax error"
                rep.report("PP4001", "", f"syntax error: {what}", line=row + 1, column=col + 1)
    if errors > MAX_SYNTAX_FINDINGS:
        rep.report("PP4001", "", f"{errors - MAX_SYNTAX_FINDINGS} more syntax errors not shown", line=1, column=1)
    script_class = None
    for n in _walk(root):
        if n.type == "using_directive":
            _check_using(rep, n)
        elif n.type == "class_declaration" and _text(n.child_by_field_name("name")) == "Script":
            bases = [c for c in n.children if c.type == "base_list"]
            names = {_text(c).split("<")[0].split(".")[-1] for b in bases for c in b.named_children}
            if "ScriptBase" in names:
                script_class = n
        elif n.type == "object_creation_expression":
            typ = n.child_by_field_name("type")
            if _text(typ).split(".")[-1] == "HttpClient":
                row, col = n.start_point
                rep.report("PP4006", "", "the script creates its own HttpClient", line=row + 1, column=col + 1)
    if script_class is None:
        rep.report("PP4002", "", "no class Script : ScriptBase found", line=1, column=1)
        return
    body = script_class.child_by_field_name("body")
    for m in (body.named_children if body is not None else []):
        if m.type == "method_declaration" and _text(m.child_by_field_name("name")) == "ExecuteAsync":
            mods = {_text(c) for c in m.children if c.type == "modifier"}
            if "override" in mods:
                return
    row, col = script_class.start_point
    rep.report("PP4003", "", "class Script does not override ExecuteAsync()", line=row + 1, column=col + 1)


def _check_using(rep: Reporter, node) -> None:
    if any(c.type == "using" for c in node.children) is False:
        return
    target = None
    for c in node.named_children:
        if c.type in ("qualified_name", "identifier") and node.field_name_for_named_child(
                node.named_children.index(c)) != "name":
            target = c
    if target is None:
        return
    name = "".join(_text(target).split())
    is_static = any(c.type == "static" for c in node.children)
    namespace = name.rsplit(".", 1)[0] if is_static and "." in name else name
    if namespace not in ALLOWED_NAMESPACES:
        row, col = node.start_point
        rep.report("PP4004", "", f"using {name}: namespace {namespace} is not available to connector scripts",
                   line=row + 1, column=col + 1)
