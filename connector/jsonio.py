"""Deterministic JSON output and forgiving JSON input shared by every stage.

Writing: one canonical form for every generated JSON file: 2-space indent, keys in the order the emitter
built them, UTF-8 without BOM, non-ASCII kept as is, a final newline. Same data, same bytes.

Reading: real connector files carry BOMs, duplicate keys and syntax errors. ``load_json_text`` returns the
data or a ``JsonProblem`` with line and column, never raises on bad input. With ``lenient=True`` it also
accepts what the platform's parser (Newtonsoft Json.NET) accepts beyond strict JSON: trailing commas, ``//``
and ``/* */`` comments and raw control characters inside strings. Each such deviation becomes a warning
with line and column; the data is the same as if the file had been strict.

Input files: ``read_input`` is the one way the command line reads a file a user names. It reads only
regular files (a FIFO, a device such as ``/dev/zero`` or a folder is refused before a byte is read) and only
up to a size cap checked before reading (``--max-file-size`` / ``CONNECTOR_MAX_FILE_SIZE``, default 32 MiB).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError

DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024
MAX_FILE_SIZE_ENV = "CONNECTOR_MAX_FILE_SIZE"
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.I)


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
    # lenient reading only: what the file does beyond strict JSON (one entry per kind, at the first of its kind:
    # "a comment", "the first of 3 trailing commas", ...; the platform's parser accepts each), and
    # the text as parsed (comments and trailing commas blanked, so every position is the file's own)
    warnings: list[JsonProblem] = field(default_factory=list)
    text: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def load_json_text(raw: bytes | str, lenient: bool = False) -> JsonDocument:
    """Parse JSON leniently about encoding (BOM), strictly about syntax unless ``lenient``; record duplicate
    keys. ``lenient``: trailing commas, comments and raw control characters in strings are read as the
    platform reads them, each kind reported once in ``warnings``."""
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
        out = dict(pairs)  # built in C; only an object with a duplicate key is looked at again
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    dups.append(("", key))
                seen.add(key)
        return out

    doc.text = text
    try:
        doc.data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        dups.clear()
        if lenient:
            _load_lenient(doc, text, exc, pairs_hook)
        else:
            line, col = _line_col(text, exc.pos)
            doc.problem = JsonProblem(f"invalid JSON: {exc.msg}", line, col)
    except RecursionError:
        doc.problem = JsonProblem("invalid JSON: nesting too deep", code="json-depth")
    doc.duplicate_keys = dups
    return doc


# strings first, so that '//' or ',' inside a string is left alone
_COMMENTS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[}\]])', re.S)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_CONTROL = re.compile(r"[\x00-\x1f]")
_VALUE_END = set('"0123456789el}]')  # the last character of a string, number, true/false/null, object or array


def _blank(s: str) -> str:
    """The same number of characters, newlines kept, everything else a space: positions stay the file's."""
    return re.sub(r"[^\n]", " ", s)


def _load_lenient(doc: JsonDocument, text: str, strict_error: json.JSONDecodeError, pairs_hook) -> None:
    first: dict[str, tuple[int, int]] = {}  # kind -> (offset of the first one, how many)

    def note(kind: str, at: int) -> None:
        pos, n = first.get(kind, (at, 0))
        first[kind] = (min(pos, at), n + 1)

    def comments(m: re.Match) -> str:
        s = m.group(0)
        if s.startswith('"'):
            return s
        note("comment", m.start())
        return _blank(s)

    def trailing(m: re.Match) -> str:
        s = m.group(0)
        if s.startswith('"'):
            return s
        before = m.string[max(0, m.start() - 256):m.start()].rstrip()[-1:]
        if before and before not in _VALUE_END:  # '"a": ,}' is a missing value, not a trailing comma
            return s
        note("trailing comma", m.start())
        return " "

    cleaned = _TRAILING.sub(trailing, _COMMENTS.sub(comments, text))
    for m in _STRINGS.finditer(cleaned):
        c = _CONTROL.search(m.group(0))
        if c:
            note("control character", m.start() + c.start())
    try:
        doc.data = json.loads(cleaned, object_pairs_hook=pairs_hook, strict=False)
    except json.JSONDecodeError as exc:
        line, col = _line_col(cleaned, exc.pos)
        doc.problem = JsonProblem(f"invalid JSON: {exc.msg}", line, col)
        return
    except RecursionError:
        doc.problem = JsonProblem("invalid JSON: nesting too deep", code="json-depth")
        return
    doc.text = cleaned
    words = {"comment": ("a comment", "comments"), "trailing comma": ("a trailing comma", "trailing commas"),
             "control character": ("a raw control character in a string", "raw control characters in strings")}
    for kind, (at, n) in sorted(first.items(), key=lambda kv: kv[1][0]):
        line, col = _line_col(text, at)
        one, many = words[kind]
        what = one if n == 1 else f"the first of {n} {many}"
        doc.warnings.append(JsonProblem(what, line, col, code="json-lenient"))
    if not doc.warnings:  # nothing we know of, yet the strict parse failed: report that
        line, col = _line_col(text, strict_error.pos)
        doc.warnings.append(JsonProblem(strict_error.msg, line, col, code="json-lenient"))


def max_file_size(value: str | int | None = None) -> int:
    """The size cap in bytes: ``value`` (an option), else $CONNECTOR_MAX_FILE_SIZE, else 32 MiB. Accepts a number
    of bytes with an optional K, M or G suffix (powers of 1024)."""
    if value is None:
        value = os.environ.get(MAX_FILE_SIZE_ENV)
        source = MAX_FILE_SIZE_ENV
        if value is None or not str(value).strip():
            return DEFAULT_MAX_FILE_SIZE
    else:
        source = "--max-file-size"
    if isinstance(value, int):
        return value
    m = _SIZE.match(value)
    if not m:
        raise UsageError(f"{source}={value!s} is not a size; write bytes, or a number with K, M or G (e.g. 64M).")
    unit = (m.group(2) or "b")[0].lower()
    return int(m.group(1)) * {"b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[unit]


def _kind_of_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input(path: Path | str, max_size: int | None = None) -> bytes:
    """The bytes of a file the user named. Refuses (``UsageError``, exit 2, one line) what is not a regular file
    after following symlinks, and files over the size cap, before reading them; never blocks on a FIFO."""
    path = Path(path)
    limit = max_file_size() if max_size is None else max_size
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageError(f"{path.as_posix()} does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path.as_posix()}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{path.as_posix()} is {_kind_of_file(st.st_mode)}; only regular files are read")
        if st.st_size > limit:
            raise UsageError(f"{path.as_posix()} is {st.st_size} bytes, over the limit of {limit} bytes; raise it "
                             f"with --max-file-size or {MAX_FILE_SIZE_ENV} if the file is really meant")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UsageError(f"{path.as_posix()} grew over the limit of {limit} bytes while being read")
        return b"".join(chunks)
    except OSError as exc:
        raise UsageError(f"cannot read {path.as_posix()}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_json_file(path: Path, lenient: bool = False, max_size: int | None = None) -> JsonDocument:
    """``load_json_text`` of a file read with ``read_input``; a file that cannot be read is a problem too."""
    try:
        raw = read_input(path, max_size)
    except UsageError as exc:
        return JsonDocument(problem=JsonProblem(exc.message, code="file-unreadable"))
    return load_json_text(raw, lenient=lenient)


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value (``integer`` for ints, as swagger names it)."""
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"),
                       (dict, "object")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def with_article(name: str) -> str:
    """``an integer``, ``a string``: a type name with its article, for messages."""
    return f"an {name}" if name[:1] in ("a", "e", "i", "o", "u") else f"a {name}"


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
