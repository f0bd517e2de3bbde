"""A reader for the connector's public reference page (the seed): actions, their parameters and returns.

The page is the user's own spec of what they see, so the tests hold the generated swagger against it.
Rows look like (label, '|', 'key | True | type |', 'description |', optional '|'); a few rows lost their
key when the page was rendered (the Email rows): for those the key is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TYPES = {"string", "integer", "boolean", "number", "date-time", "uuid", "object", "array of string",
         "array of object"}


@dataclass
class SeedParam:
    label: str
    key: str | None
    required: bool
    type: str
    description: str


@dataclass
class SeedOperation:
    summary: str
    description: str
    params: list[SeedParam] = field(default_factory=list)
    returns: list[SeedParam] = field(default_factory=list)  # key = dotted path


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().rstrip("|").split("|")]


def _rows(lines: list[str], i: int, with_required: bool) -> tuple[list[SeedParam], int]:
    rows: list[SeedParam] = []
    while i + 3 < len(lines) and lines[i + 1].strip() == "|":
        label = lines[i].strip()
        cells = [c for c in _cells(lines[i + 2])]
        description = lines[i + 3].strip().rstrip("|").strip()
        required = "True" in cells
        cells = [c for c in cells if c and c != "True"]
        if cells and cells[-1] in TYPES:
            type_ = cells[-1]
            key = cells[0] if len(cells) > 1 else None
        else:
            break
        rows.append(SeedParam(label, key, required, type_, description))
        i += 4
        while i < len(lines) and lines[i].strip() in ("|", "||"):
            i += 1
    return rows, i


def parse(text: str) -> list[SeedOperation]:
    lines = text.splitlines()
    ops: list[SeedOperation] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "Parameters" and lines[i + 1].startswith("Name | Key | Required"):
            summary = re.sub(r"\s*\[DEPRECATED\]$", "", lines[i - 2].strip())
            op = SeedOperation(summary, lines[i - 1].strip())
            op.params, i = _rows(lines, i + 3, True)
            if i < len(lines) and lines[i].strip() == "Returns" and lines[i + 1].startswith("Name | Path"):
                op.returns, i = _rows(lines, i + 3, False)
            ops.append(op)
        else:
            i += 1
    return ops
