"""Line and column of the JSON pointers that carry a finding, found in one targeted scan of the text.

The scan walks only the containers on the way to an asked-for pointer. Every other value is skipped with
the json module's C scanner (one call per skipped value), so the cost grows with the number of findings and
the width of the objects on their way, not with the size of the document. A pointer that does not exist in
the text (a missing key) gets the position of its nearest ancestor that does.

Positions are 1-based; a pointer to an object member is placed at its key, an array element at its value.
"""

from __future__ import annotations

import json
import json.scanner
import re
from bisect import bisect_right
from typing import Iterable

from ..swaggerdoc import pointer_parts

_WS = re.compile(r"[ \t\n\r]*")
_WANTED = object()  # trie marker: this pointer itself was asked for


def _trie(pointers: Iterable[str]) -> tuple[dict, int]:
    root: dict = {}
    nodes = 0
    for ptr in pointers:
        node = root
        for part in pointer_parts(ptr):
            nxt = node.get(part)
            if nxt is None:
                nxt = node[part] = {}
                nodes += 1
            node = nxt
        node[_WANTED] = True
    return root, nodes


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def offsets(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Character offset of each pointer that exists in ``text`` (and of each ancestor on the way)."""
    trie, remaining = _trie(pointers)
    out: dict[str, int] = {}
    scan_once = json.scanner.make_scanner(json.JSONDecoder(strict=False))
    scanstring = json.decoder.scanstring
    n = len(text)
    ws = _WS.match
    pos = ws(text, 0).end()
    if pos >= n:
        return out
    out[""] = pos
    # frames: [is_object, trie node, pointer prefix, last array index, children of the trie still to find]
    stack: list[list] = []
    value_at, value_trie, value_ptr = pos, trie, ""
    try:
        while True:
            # a value at value_at: enter it if something below it is wanted, else skip it
            c = text[value_at] if value_at < n else ""
            children = len(value_trie) - (_WANTED in value_trie)
            if children and c in "{[":
                stack.append([c == "{", value_trie, value_ptr, -1, children])
                pos = value_at + 1
            else:
                try:
                    pos = scan_once(text, value_at)[1]
                except StopIteration:
                    return out
            # continue in the innermost open container until a wanted member is found
            while stack:
                frame = stack[-1]
                pos = ws(text, pos).end()
                c = text[pos] if pos < n else ""
                if c == ",":
                    pos = ws(text, pos + 1).end()
                    c = text[pos] if pos < n else ""
                if c in "}]" and c:
                    stack.pop()
                    pos += 1
                    continue
                if not c:
                    return out
                if frame[0]:
                    if c != '"':
                        return out
                    key, after = scanstring(text, pos + 1, False)
                    key_at = pos
                    pos = ws(text, after).end()
                    if text[pos:pos + 1] != ":":
                        return out
                    pos = ws(text, pos + 1).end()
                    child = frame[1].get(key)
                    if child is not None and (frame[2] + "/" + _escape(key)) not in out:
                        value_ptr = frame[2] + "/" + _escape(key)
                        out[value_ptr] = key_at
                        break
                else:
                    frame[3] += 1
                    child = frame[1].get(str(frame[3]))
                    if child is not None:
                        value_ptr = frame[2] + "/" + str(frame[3])
                        out[value_ptr] = pos
                        break
                try:
                    pos = scan_once(text, pos)[1]
                except StopIteration:
                    return out
            else:
                return out
            remaining -= 1
            frame[4] -= 1
            value_at, value_trie = pos, child
            if remaining <= 0 and len(child) - (_WANTED in child) == 0:
                return out
    except (ValueError, IndexError, RecursionError):  # text that is not JSON after all: keep what was found
        return out


def positions(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """JSON pointer -> (line, column) for each of ``pointers``, placed at its nearest existing ancestor."""
    if text.startswith("\ufeff"):
        text = text[1:]
    pointers = set(pointers)
    found = offsets(text, pointers)
    line_starts: list[int] | None = None
    out: dict[str, tuple[int, int]] = {}
    for ptr in pointers:
        at = locate(found, ptr)
        if at is None:
            continue
        if line_starts is None:
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        line = bisect_right(line_starts, at)
        out[ptr] = (line, at - line_starts[line - 1] + 1)
    return out


def locate(index: dict, ptr: str):
    """The entry of ``ptr`` in ``index``, or of its nearest ancestor that has one."""
    while True:
        if ptr in index:
            return index[ptr]
        if not ptr:
            return None
        ptr = ptr[: ptr.rfind("/")]
