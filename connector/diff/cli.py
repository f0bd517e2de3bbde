"""``connector diff OLD NEW``: what an update breaks for existing flows, and what it changes harmlessly.

OLD and NEW are apiDefinition.swagger.json files or folders holding one (and then their apiProperties.json).
``--against-git REF`` takes OLD from git: the same file at REF (e.g. ``HEAD``, the last committed build).
Exit 1 when anything breaks, 0 otherwise, 2 when an input cannot be read.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from ..jsonio import dumps, load_json_file, load_json_text
from .engine import RULES, diff as run_diff

SWAGGER = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"


def _problem(label: str, doc: Any) -> UsageError:
    p = doc.problem
    return UsageError(f"{label}:{p.line}:{p.column}: not valid JSON ({p.message}); fix it and compare again.")


def _read(path: Path) -> tuple[Any, Any, str]:
    """(swagger, apiProperties or None, label) of a file or folder."""
    swagger = path / SWAGGER if path.is_dir() else path
    if not swagger.is_file():
        raise UsageError(f"{path}: no {SWAGGER} there; pass a swagger file or a folder that holds one.")
    doc = load_json_file(swagger)
    if doc.problem is not None:
        raise _problem(str(swagger), doc)
    if not isinstance(doc.data, dict):
        raise UsageError(f"{swagger}: not a swagger document (it is not a JSON object).")
    props = None
    if path.is_dir() and (path / PROPERTIES).is_file():
        pdoc = load_json_file(path / PROPERTIES)
        if pdoc.problem is not None:
            raise _problem(str(path / PROPERTIES), pdoc)
        props = pdoc.data
    return doc.data, props, str(swagger)


def _git_show(ref: str, path: Path) -> bytes | None:
    """The bytes of ``path`` at git ``ref``; None when the file is not in that commit."""
    here = path if path.is_dir() else path.parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=here, capture_output=True, text=True,
                             check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise UsageError(f"{path}: not inside a git work tree, so there is no {ref} to compare with.") from None
    rel = path.resolve().relative_to(Path(top).resolve()).as_posix()
    proc = subprocess.run(["git", "show", f"{ref}:{rel}"], cwd=top, capture_output=True)
    if proc.returncode != 0:
        check = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=top,
                               capture_output=True)
        if check.returncode != 0:
            raise UsageError(f"--against-git {ref}: no such commit in {top}.")
        return None
    return proc.stdout


def _read_git(ref: str, path: Path) -> tuple[Any, Any, str] | None:
    swagger = path / SWAGGER if path.is_dir() else path
    raw = _git_show(ref, swagger)
    if raw is None:
        return None
    label = f"{ref}:{swagger}"
    doc = load_json_text(raw)
    if doc.problem is not None:
        raise _problem(label, doc)
    props = None
    if path.is_dir():
        raw_props = _git_show(ref, path / PROPERTIES)
        if raw_props is not None:
            pdoc = load_json_text(raw_props)
            props = pdoc.data if pdoc.ok else None
    return doc.data, props, label


@click.command("diff")
@click.argument("paths", nargs=-1, metavar="OLD NEW", type=click.Path(exists=True, path_type=Path))
@click.option("--against-git", "ref", metavar="REF",
              help="Compare NEW with the same file at this git revision (e.g. HEAD: the last committed build).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--breaking-only", is_flag=True, help="List only the breaking changes.")
def diff(paths: tuple[Path, ...], ref: str | None, fmt: str, breaking_only: bool) -> None:
    """List the changes from OLD to NEW that break existing flows, and the harmless ones.

    \b
    connector diff OLD NEW                      files or folders
    connector diff --against-git HEAD NEW       OLD is NEW as committed at HEAD

    Exit 1 when a change breaks existing flows, 0 otherwise, 2 when an input cannot be read.
    """
    if ref is not None:
        if len(paths) != 1:
            raise UsageError("with --against-git, pass only NEW (the file or folder to compare with its "
                             "committed version).")
        new = _read(paths[0])
        old = _read_git(ref, paths[0])
        if old is None:
            click.echo(f"{paths[0]} is not in {ref}: nothing to compare with (a first build).")
            return
    else:
        if len(paths) != 2:
            raise UsageError("pass OLD and NEW (swagger files or folders), or --against-git REF NEW.")
        old, new = _read(paths[0]), _read(paths[1])
    changes = run_diff(old[0], new[0], old[1], new[1])
    shown = [c for c in changes if c.breaking or not breaking_only]
    breaking = sum(c.breaking for c in changes)
    harmless = len(changes) - breaking
    if fmt == "json":
        click.echo(dumps({"old": old[2], "new": new[2], "breaking": breaking, "harmless": harmless,
                          "changes": [c.as_dict() for c in shown]}), nl=False)
    else:
        if not changes:
            click.echo(f"no changes between {old[2]} and {new[2]}")
        width = max((len(c.rule) for c in shown), default=0)
        for c in shown:
            label = "BREAKING" if c.breaking else "harmless"
            click.echo(f"{label:8}  {c.rule:{width}}  {c.pointer}\n{'':10}{c.message}")
        if changes:
            click.echo(f"{breaking} breaking, {harmless} harmless change(s) from {old[2]} to {new[2]}")
    if breaking:
        click.get_current_context().exit(1)


__all__ = ["diff", "RULES"]
