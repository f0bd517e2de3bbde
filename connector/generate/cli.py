"""``connector build``."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import ensure_valid, load_model
from ..model.loader import DEFAULT_MODEL, model_origin
from .build import BuildContext, build as run_build
from .profiles import DEFAULT_PROFILE, PROFILES, check_profile


@click.command()
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Python file declaring the connector (default: the SmartDialog declaration).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the artifacts to (default: build/<Title>/, or build/mock/<Title>/ for the "
                   "mock profile).")
@click.option("--profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True,
              help="production: the service's real endpoints. mock: the local mock server at --mock-url.")
@click.option("--mock-url", "mock_url", default=None, metavar="URL",
              help="With --profile mock: the mock server, e.g. http://127.0.0.1:8080 (host, scheme and OAuth "
                   "URLs of the built connector point there).")
@click.option("--force", is_flag=True, help="Overwrite files in the output folder that a person wrote or edited.")
def build(model_path: Path | None, out: Path | None, profile: str, mock_url: str | None, force: bool) -> None:
    """Generate the connector's artifacts from its Python declaration."""
    mock_url = check_profile(profile, mock_url)  # usage errors before the model is even loaded
    connector = ensure_valid(load_model(model_path), source=str(model_path or DEFAULT_MODEL))
    result = run_build(connector, out, BuildContext(profile=profile, mock_url=mock_url), force=force,
                       model_file=model_path or model_origin(DEFAULT_MODEL))
    for f in result.files:
        mark = "wrote" if f in result.changed else "unchanged"
        click.echo(f"{mark:9} {f}")
