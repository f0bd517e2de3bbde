"""Deterministic JSON output and forgiving JSON input shared by every stage.

Writing: one canonical form for every generated JSON file: 2-space indent, keys in the order the emitter
built them, UTF-8 without BOM, non-ASCII kept as is, a final newline. Same data, same bytes.

Reading: real connector files carry BOMs, duplicate keys and syntax errors. ``load_json_text`` returns the
data or a ``JsonProblem`` with line and column, never raises on bad input.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def dumps(data: Any) -> str:
    """The canonical text of a generated JSON document."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, data: Any) -> bool:
    """Write ``data`` canonically; returns True when the bytes on disk changed."""
    return write_text(path, dumps(data))


def write_text(path: Path, text: str) -> bool:
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


@dataclass
class JsonProblem:
    """Why a text is not usable JSON, with a 1-based position."""

    message: str
    line: int = 1
    column: int = 1
    code: str = "json-syntax"


@dataclass
class JsonDocument:
    data: Any = None
    problem: JsonProblem | None = None
    had_bom: bool = False
    duplicate_keys: list[tuple[str, str]] = field(default_factory=list)  # (json pointer of object, key)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def load_json_text(raw: bytes | str) -> JsonDocument:
    """Parse JSON leniently about encoding (BOM), strictly about syntax; record duplicate keys."""
    doc = JsonDocument()
    if isinstance(raw, bytes):
        if raw.startswith(b"\xef\xbb\xbf"):
            doc.had_bom = True
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
            doc.problem = JsonProblem(f"not UTF-8 text: {exc.reason} at byte {exc.start}", line, column,
                                      code="json-encoding")
            return doc
    else:
        text = raw
        if text.startswith("\ufeff"):
            doc.had_bom = True
            text = text[1:]

    dups: list[tuple[str, str]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                dups.append(("", key))
            out[key] = value
        return out

    try:
        doc.data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        line, col = _line_col(text, exc.pos)
        doc.problem = JsonProblem(f"invalid JSON: {exc.msg}", line, col)
    except RecursionError:
        doc.problem = JsonProblem("invalid JSON: nesting too deep", code="json-depth")
    doc.duplicate_keys = dups
    return doc


def load_json_file(path: Path) -> JsonDocument:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return JsonDocument(problem=JsonProblem(f"cannot read file: {exc.strerror or exc}", code="file-unreadable"))
    return load_json_text(raw)


def scalar_equal(a: Any, b: Any) -> bool:
    """JSON scalars equal as JSON means them: ``true`` is not ``1``, ``1`` is not ``1.0`` nor ``"1"``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def strict_equal(a: Any, b: Any) -> bool:
    """Deep equality of JSON values without any normalisation except key order; scalars compare strictly."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    return scalar_equal(a, b)
