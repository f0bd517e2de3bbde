"""Three views of one list of findings: text for people, JSON for programs, SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from .. import __version__
from .findings import RULES, Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Locator:
    """line:column of a finding: ``validate_paths`` places every finding that has a JSON pointer (one targeted
    scan per file with findings), so this only reads what the finding carries."""

    def __call__(self, f: Finding) -> tuple[int, int] | None:
        if f.line is not None:
            return f.line, f.column or 1
        return None


def summary(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity.value for f in findings)
    return {"error": c.get("error", 0), "warning": c.get("warning", 0), "info": c.get("info", 0)}


def in_reading_order(findings: list[Finding], loc: Locator) -> list[Finding]:
    """Findings by file, then by where they stand in it (line, column), as a person reads the file."""
    def key(f: Finding) -> tuple:
        pos = loc(f) or (0, 0)
        return (f.file, pos[0], pos[1], f.pointer, f.rule, f.message)

    return sorted(findings, key=key)


def render_text(findings: list[Finding], files_checked: int) -> str:
    loc = Locator()
    out: list[str] = []
    current = None
    for f in in_reading_order(findings, loc):
        if f.file != current:
            if current is not None:
                out.append("")
            out.append(click.style(f.file, bold=True))
            current = f.file
        pos = loc(f)
        where = f"{pos[0]}:{pos[1]}" if pos else ""
        if f.pointer:
            where = f"{where} {f.pointer}".strip()
        sev = click.style(f.severity.value, fg=_COLOURS[f.severity], bold=f.severity is Severity.ERROR)
        out.append(f"  {where or '(file)'}: {sev} {f.rule} [{f.slug}] {f.message}")
        if f.fix:
            out.append(f"      fix: {f.fix}")
    s = summary(findings)
    if out:
        out.append("")
    out.append(f"{s['error']} error(s), {s['warning']} warning(s), {s['info']} info in {files_checked} file(s) checked")
    return "\n".join(out)


def _located(d: dict, pos: tuple[int, int] | None) -> dict:
    if pos is not None and d.get("line") is None:
        d["line"], d["column"] = pos
    return d


def render_json(findings: list[Finding], files_checked: int) -> str:
    loc = Locator()
    doc = {"version": 1, "tool": "connector validate", "files_checked": files_checked,
           "summary": summary(findings),
           "findings": [_located(f.to_dict(), loc(f)) for f in in_reading_order(findings, loc)]}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_sarif(findings: list[Finding], files_checked: int) -> str:
    loc = Locator()
    used = sorted({f.rule for f in findings})
    index = {rid: i for i, rid in enumerate(used)}
    rules = []
    for rid in used:
        r = RULES[rid]
        rules.append({
            "id": r.id, "name": r.slug,
            "shortDescription": {"text": r.summary},
            "help": {"text": r.fix or r.summary},
            "defaultConfiguration": {"level": _level(r.severity)},
        })
    results = []
    for f in findings:
        physical: dict = {"artifactLocation": {"uri": Path(f.file).as_posix()}}
        pos = loc(f)
        if pos:
            physical["region"] = {"startLine": pos[0], "startColumn": pos[1]}
        else:
            physical["region"] = {"startLine": 1}
        location: dict = {"physicalLocation": physical}
        if f.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": f.pointer, "kind": "member"}]
        text = f.message + (f" ({f.pointer})" if f.pointer else "") + (f". Fix: {f.fix}" if f.fix else "")
        results.append({"ruleId": f.rule, "ruleIndex": index[f.rule], "level": _level(f.severity),
                        "message": {"text": text}, "locations": [location]})
    doc = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "connector-validate", "version": __version__,
                                "informationUri": "https://learn.microsoft.com/connectors/custom-connectors/",
                                "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _level(sev: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[sev]


RENDERERS = {"text": render_text, "json": render_json, "sarif": render_sarif}
