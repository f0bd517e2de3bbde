"""``connector validate PATH...``: the offline certification linter. Exit 0 without errors, 1 with errors,
2 for usage problems or unreadable input. ``connector validate --list-rules`` prints the rule catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import UsageError
from ..jsonio import MAX_FILE_SIZE_ENV, max_file_size
from .engine import collect, validate_paths
from .findings import RULES, Severity
from .report import RENDERERS


def rule_catalogue(fmt: str) -> str:
    """Every rule: id, name, default severity, what it checks, its fix and its source."""
    rules = [RULES[rid] for rid in sorted(RULES)]
    if fmt == "json":
        return json.dumps({"version": 1, "rules": [
            {"id": r.id, "name": r.slug, "severity": r.severity.value, "summary": r.summary, "fix": r.fix,
             "source": r.source} for r in rules]}, indent=2, ensure_ascii=False)
    out = []
    for r in rules:
        out.append(f"{r.id}  {r.slug}  [{r.severity.value}]")
        out.append(f"    {r.summary}")
        out.append(f"    source: {r.source}")
    out.append(f"{len(rules)} rules; switch one off with [tool.connector.validate] disable = [\"ID or name\"] in "
               "pyproject.toml, or \"x-connector-suppress\": [\"ID\"] on a JSON object.")
    return "\n".join(out)


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="text for people, json for programs, sarif for code-scanning annotations.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--list-rules", is_flag=True,
              help="Print every rule (id, name, severity, source) in --format text or json, and exit.")
@click.option("--max-file-size", "max_size", metavar="BYTES",
              help=f"Refuse files larger than this (K, M, G suffixes; default ${MAX_FILE_SIZE_ENV} or 32M).")
def validate(paths: tuple[Path, ...], fmt: str, output: Path | None, list_rules: bool, max_size: str | None) -> None:
    """Check connector folders or single files (apiDefinition.swagger.json, apiProperties.json, icon.png,
    script.csx, settings.json) against Swagger 2.0 and the Power Platform certification rules, offline."""
    if list_rules:
        if fmt == "sarif":
            raise UsageError("--list-rules prints --format text or json.")
        text = rule_catalogue(fmt)
    else:
        if not paths:
            raise UsageError("give one or more connector folders or files to check (or --list-rules).")
        limit = max_file_size(max_size)
        findings = validate_paths(list(paths), max_file_size=limit)
        files_checked = len(collect(list(paths))[0])
        text = RENDERERS[fmt](findings, files_checked)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    if not list_rules and any(f.severity is Severity.ERROR for f in findings):
        raise SystemExit(1)
