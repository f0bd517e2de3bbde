"""Per-project configuration and per-finding suppression.

Project: the nearest ``pyproject.toml`` above a validated path may hold

    [tool.connector.validate]
    disable = ["PP1031", "xms-unknown"]      # rule ids or slugs

Finding: a JSON object may carry ``"x-connector-suppress": ["PP1050"]``; it silences those rules for findings
at that object and below it. In script.csx a comment ``// connector: disable=PP4006`` silences the rules on its
own line and the next line; ``// connector: disable-file=PP4006`` silences them for the whole file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .findings import Finding, Reporter, resolve_rule
from .textutil import show

SUPPRESS_KEY = "x-connector-suppress"
CS_DIRECTIVE = re.compile(r"//\s*connector:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_,\s-]+)")


@dataclass
class Config:
    path: Path | None = None
    disabled: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)  # problems with the configuration itself


@lru_cache(maxsize=None)
def _load(pyproject: Path) -> Config:
    rep = Reporter(str(pyproject))
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Config(pyproject)  # not ours to judge; other tools report a broken pyproject
    section = data.get("tool", {}).get("connector", {}).get("validate", {})
    disabled = set()
    raw = section.get("disable", []) if isinstance(section, dict) else []
    for i, name in enumerate(raw if isinstance(raw, list) else [raw]):
        rid = resolve_rule(name) if isinstance(name, str) else None
        if rid is None:
            rep.report("PP0006", "", f"[tool.connector.validate] disable[{i}] = {show(name)} is not a rule")
        else:
            disabled.add(rid)
    return Config(pyproject, frozenset(disabled), rep.findings)


def find_config(start: Path) -> Config:
    """The configuration of the nearest pyproject.toml at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else list(start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return _load(candidate)
    return Config()


def json_suppressions(data: Any) -> dict[str, set[str]]:
    """JSON pointer of an object -> rule ids its x-connector-suppress silences."""
    from ..swaggerdoc import pointer

    out: dict[str, set[str]] = {}
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            raw = node.get(SUPPRESS_KEY)
            if raw is not None:
                names = raw if isinstance(raw, list) else [raw]
                ids = {resolve_rule(n) for n in names if isinstance(n, str)} - {None}
                if ids:
                    out.setdefault(pointer(*parts), set()).update(ids)
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    stack.append((v, parts + (k,)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    stack.append((v, parts + (i,)))
    return out


def json_suppressed(f: Finding, supp: dict[str, set[str]]) -> bool:
    ptr = f.pointer
    while True:
        if f.rule in supp.get(ptr, ()):
            return True
        if not ptr:
            return False
        ptr = ptr[: ptr.rfind("/")]


def csharp_suppressions(text: str) -> tuple[set[str], dict[int, set[str]]]:
    """(rules disabled for the file, line -> rules disabled on that line)."""
    whole: set[str] = set()
    lines: dict[int, set[str]] = {}
    for no, line in enumerate(text.splitlines(), 1):
        m = CS_DIRECTIVE.search(line)
        if not m:
            continue
        ids = {resolve_rule(x.strip()) for x in m.group(2).split(",") if x.strip()} - {None}
        if m.group(1) == "disable-file":
            whole |= ids
        else:
            lines.setdefault(no, set()).update(ids)
            lines.setdefault(no + 1, set()).update(ids)
    return whole, lines
