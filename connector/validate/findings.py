"""Diagnostics as data: every check reports ``Finding`` objects; the text, JSON and SARIF reports are three views
of the same list. Every rule has a stable id (``PPnnnn``), a slug, a default severity and a one-line summary,
registered once in ``RULES`` (the README's rule table is generated from it)."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from .textutil import sentence


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    severity: Severity
    summary: str
    fix: str = ""
    source: str = ""  # where the rule comes from (schema, platform, pipeline, reviewers), so a user can judge it


RULES: dict[str, Rule] = {}
_SLUGS: dict[str, str] = {}


def rule(rule_id: str, slug: str, severity: str, summary: str, fix: str = "") -> Rule:
    if rule_id in RULES or slug in _SLUGS:
        raise ValueError(f"rule {rule_id}/{slug} registered twice")
    r = Rule(rule_id, slug, Severity(severity), summary, fix)
    RULES[rule_id] = r
    _SLUGS[slug] = rule_id
    return r


def set_source(rule_id: str, source: str) -> None:
    from dataclasses import replace

    RULES[rule_id] = replace(RULES[rule_id], source=source)


def resolve_rule(name: str) -> str | None:
    """A rule id for an id or a slug (case-insensitive id), or None."""
    if name.upper() in RULES:
        return name.upper()
    return _SLUGS.get(name)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    pointer: str  # RFC 6901 JSON pointer ("" = whole document); empty for non-JSON files
    message: str
    fix: str = ""
    line: int | None = None  # 1-based; C# findings and JSON syntax errors
    column: int | None = None

    @property
    def slug(self) -> str:
        r = RULES.get(self.rule)
        return r.slug if r else self.rule

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.pointer, self.rule, self.message)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["name"] = self.slug
        return {k: d[k] for k in ("rule", "name", "severity", "file", "pointer", "line", "column", "message", "fix")}


class Reporter:
    """Collects the findings of one file. ``report`` looks the rule up, so a typo in a rule id fails loudly in tests."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []

    def report(self, rule_id: str, pointer: str, message: str, fix: str | None = None, *,
               line: int | None = None, column: int | None = None, severity: Severity | None = None) -> None:
        r = RULES[rule_id]
        self.findings.append(Finding(rule_id, severity or r.severity, self.file, pointer, sentence(message),
                                     sentence(r.fix if fix is None else fix), line, column))
