"""``connector preview``."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import click

from ..errors import UsageError


@click.command("preview")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Python file declaring the connector (default, without FOLDER: the SmartDialog declaration).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write index.html to (default: build/preview/<Title>/).")
@click.option("--mock-url", "mock_url", default=None, metavar="URL",
              help="A running connector mock (e.g. http://127.0.0.1:8080): dropdowns show the values it returns.")
@click.option("--force", is_flag=True, help="Overwrite an index.html in --out that a person wrote or edited.")
def preview(folder: Path | None, model_path: Path | None, out: Path | None, mock_url: str | None,
            force: bool) -> None:
    """Draw each action and trigger the way the Power Automate designer shows it, in one self-contained
    index.html: labels, required marks, advanced and internal inputs, dropdowns, enums, defaults, the
    dynamic-content outputs, and every validate finding beside the element it concerns.

    Preview a built connector FOLDER, or the declaration in --model FILE (default: SmartDialog)."""
    from . import page_for_folder, page_for_model, write_page
    from ..generate.build import folder_name
    from ..generate.profiles import parse_mock_url

    if folder is not None and model_path is not None:
        raise UsageError("pass either a connector FOLDER or --model FILE, not both.")
    if mock_url is not None:
        mock_url = parse_mock_url(mock_url)
    page = page_for_folder(folder, mock_url) if folder is not None else page_for_model(model_path, mock_url)
    target = out if out is not None else Path("build") / "preview" / folder_name(SimpleNamespace(title=page.title))
    path, changed = write_page(page, target, force=force)
    findings = len(page.findings) + sum(len(c.findings) + sum(len(i.findings) for i in c.inputs)
                                        + sum(len(o.findings) for o in c.outputs) for c in page.cards)
    counts = ", ".join(_count(n, word) for n, word in ((len(page.actions), "action"), (len(page.triggers), "trigger"),
                                                        (findings, "finding")))
    click.echo(f"{'wrote' if changed else 'unchanged':9} {path} ({counts})")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

