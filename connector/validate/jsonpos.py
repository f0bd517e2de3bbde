"""Line and column of every value in a JSON text, by JSON pointer, so reports can show `12:5` next to a pointer
and SARIF results get a region. Tolerant: stops quietly on text that is not JSON."""

from __future__ import annotations

import json
import re

from ..swaggerdoc import pointer

_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|(-?[0-9][0-9.eE+-]*|true|false|null))', re.S)


def positions(text: str) -> dict[str, tuple[int, int]]:
    """JSON pointer -> (line, column), 1-based; keys of objects map to the position of the key itself."""
    if text.startswith("\ufeff"):
        text = text[1:]
    out: dict[str, tuple[int, int]] = {}
    line_starts = [0]
    for m in re.finditer("\n", text):
        line_starts.append(m.end())

    def linecol(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - line_starts[lo] + 1

    # each frame: [is_object, parts, pending_key, index, expecting_key]
    stack: list[list] = []
    pos = 0
    n = len(text)

    def value_parts() -> tuple | None:
        if not stack:
            return ()
        top = stack[-1]
        if top[0]:
            return top[1] + (top[2],) if top[2] is not None else None
        top[3] += 1
        return top[1] + (top[3],)

    while pos < n:
        m = _TOKEN.match(text, pos)
        if not m:
            break
        pos = m.end()
        start = m.start(m.lastindex)
        s, punct, lit = m.group(1), m.group(2), m.group(3)
        if s is not None:
            if stack and stack[-1][0] and stack[-1][4]:
                try:
                    key = json.loads(s)
                except ValueError:
                    key = s[1:-1]
                stack[-1][2] = key
                stack[-1][4] = False
                out.setdefault(pointer(*stack[-1][1], key), linecol(start))
            else:
                parts = value_parts()
                if parts is not None:
                    out.setdefault(pointer(*parts), linecol(start))
        elif lit is not None:
            parts = value_parts()
            if parts is not None:
                out.setdefault(pointer(*parts), linecol(start))
        elif punct in "{[":
            parts = value_parts()
            if parts is None:
                parts = ()
            out.setdefault(pointer(*parts), linecol(start))
            stack.append([punct == "{", parts, None, -1, punct == "{"])
        elif punct in "}]":
            if stack:
                stack.pop()
        elif punct == ",":
            if stack and stack[-1][0]:
                stack[-1][4] = True
                stack[-1][2] = None
    return out


def locate(index: dict[str, tuple[int, int]], ptr: str) -> tuple[int, int] | None:
    """Position of ``ptr``, or of its nearest ancestor that has one."""
    while True:
        if ptr in index:
            return index[ptr]
        if not ptr:
            return None
        ptr = ptr[: ptr.rfind("/")]
