"""``connector validate PATH...``: the offline certification linter. Exit 0 without errors, 1 with errors,
2 for usage problems or unreadable input."""

from __future__ import annotations

from pathlib import Path

import click

from .engine import collect, validate_paths
from .findings import Severity
from .report import RENDERERS


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="text for people, json for programs, sarif for code-scanning annotations.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
def validate(paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Check connector folders or single files (apiDefinition.swagger.json, apiProperties.json, icon.png,
    script.csx, settings.json) against Swagger 2.0 and the Power Platform certification rules, offline."""
    findings = validate_paths(list(paths))
    files_checked = len(collect(list(paths))[0])
    text = RENDERERS[fmt](findings, files_checked)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    if any(f.severity is Severity.ERROR for f in findings):
        raise SystemExit(1)
