"""``connector package``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ConnectorError
from ..model import ensure_valid, load_model
from ..model.loader import DEFAULT_MODEL
from .package import DEFAULT_ROOT, package as run_package, validation_errors


@click.command()
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Python file declaring the connector (default: the SmartDialog declaration).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder that receives <Title>/ and <Title>.zip (default: {DEFAULT_ROOT}/).")
@click.option("--force", is_flag=True, help="Overwrite files in the output folder that a person wrote or edited.")
@click.option("--no-validate", "no_validate", is_flag=True,
              help="Write the submission even when `connector validate` finds errors in it.")
def package(model_path: Path | None, out: Path | None, force: bool, no_validate: bool = False) -> None:
    """Build the certification submission: the folder Microsoft's review expects, and a zip of it. Refused
    (exit 1, the errors listed) when `connector validate` finds errors in it, unless --no-validate."""
    connector = ensure_valid(load_model(model_path), source=str(model_path or DEFAULT_MODEL))
    if not no_validate:
        errors = validation_errors(connector, out)
        if errors is not None:
            raise ConnectorError("connector validate finds errors in the submission, so it is not written; fix "
                                 "them in the model (or switch a rule off in [tool.connector.validate]), or pass "
                                 "--no-validate to write it anyway:\n" + errors)
    result = run_package(connector, out, force=force)
    for f in result.files:
        mark = "wrote" if f in result.changed else "unchanged"
        click.echo(f"{mark:9} {f}")
