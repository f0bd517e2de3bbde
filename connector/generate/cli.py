"""``connector build``."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import ensure_valid, load_model
from ..model.loader import DEFAULT_MODEL
from .build import BuildContext, build as run_build


@click.command()
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Python file declaring the connector (default: the SmartDialog declaration).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the artifacts to (default: build/<Title>/).")
@click.option("--force", is_flag=True, help="Overwrite files in the output folder that a person wrote or edited.")
def build(model_path: Path | None, out: Path | None, force: bool) -> None:
    """Generate the connector's artifacts from its Python declaration."""
    connector = ensure_valid(load_model(model_path), source=str(model_path or DEFAULT_MODEL))
    result = run_build(connector, out, BuildContext(), force=force)
    for f in result.files:
        mark = "wrote" if f in result.changed else "unchanged"
        click.echo(f"{mark:9} {f}")
