"""``connector preview``: see each action and trigger the way the Power Automate designer draws it, before
uploading anything. One self-contained ``index.html`` (no network, no external assets: the icon is inlined)
with a card per visible operation, its inputs and outputs, and every validate finding beside the element it
concerns. The view itself is ``view.py``; this module reads a connector (a model or a built folder), runs
the validator on the very files it shows, and writes the page.
"""

from __future__ import annotations

import base64
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2

from ..errors import UsageError
from ..jsonio import load_json_file
from .view import Finding, Page, build_page

__all__ = ["Finding", "Page", "build_page", "page_for_folder", "page_for_model", "render_html", "write_page"]

SWAGGER, PROPERTIES, ICON = "apiDefinition.swagger.json", "apiProperties.json", "icon.png"


def _read_json(path: Path, required: bool) -> dict | None:
    if not path.is_file():
        if required:
            raise UsageError(f"{path} does not exist; preview needs a connector folder with {SWAGGER} "
                             "(run connector build, or pass --model FILE).")
        return None
    doc = load_json_file(path)
    if not doc.ok or not isinstance(doc.data, dict):
        where = f":{doc.problem.line}:{doc.problem.column}" if doc.problem and doc.problem.line else ""
        reason = doc.problem.message if doc.problem else "it is not a JSON object"
        if required:
            raise UsageError(f"{path}{where}: cannot preview: {reason}; run connector validate {path.parent} "
                             "for details.")
        return None
    return doc.data


def _findings(folder: Path, config_from: Path | None = None) -> list[tuple[str, str, Finding]]:
    """The validator's findings for the folder as (kind, pointer, finding): the same list ``connector
    validate`` prints, configuration and suppressions applied. ``config_from``: where a model lives, whose
    pyproject.toml ``[tool.connector.validate]`` applies too (its build is validated in a temporary folder)."""
    from ..validate.config import find_config
    from ..validate.engine import kind_of, validate_paths

    disabled = find_config(config_from).disabled if config_from is not None else set()
    out = []
    for f in validate_paths([folder]):
        if f.rule in disabled:
            continue
        kind = kind_of(Path(f.file)) or ""
        where = Path(f.file).name + (f":{f.line}" if f.line else "")
        out.append((kind, f.pointer, Finding(rule=f.rule, severity=f.severity.value, message=f.message,
                                             fix=f.fix, where="" if kind == "swagger" else where)))
    return out


def page_for_folder(folder: Path, mock_url: str | None = None, config_from: Path | None = None) -> Page:
    """The preview of a built connector folder (apiDefinition.swagger.json, apiProperties.json, icon.png)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; pass a connector folder or --model FILE.")
    swagger = _read_json(folder / SWAGGER, required=True)
    properties = _read_json(folder / PROPERTIES, required=False)
    icon = (folder / ICON).read_bytes() if (folder / ICON).is_file() else None
    page = build_page(swagger, properties, icon, _findings(folder, config_from))
    if mock_url:
        from .dropdowns import fill_from_mock
        fill_from_mock(page, swagger, mock_url, folder)
    return page


def page_for_model(model_path: Path | None, mock_url: str | None = None) -> Page:
    """The preview of a Python declaration: built in memory exactly as ``connector build`` builds it,
    written to a temporary folder so the validator reads the same bytes a build would commit."""
    from ..generate.build import render
    from ..model import ensure_valid, load_model
    from ..model.loader import DEFAULT_MODEL

    connector = ensure_valid(load_model(model_path), source=str(model_path or DEFAULT_MODEL))
    files = render(connector)
    with tempfile.TemporaryDirectory(prefix="connector-preview-") as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        return page_for_folder(Path(tmp), mock_url, config_from=Path(model_path) if model_path else Path.cwd())


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["domid"] = lambda text: re.sub(r"[^A-Za-z0-9_-]", "_", str(text))
    return env.get_template("page.html.j2")


def render_html(page: Page) -> str:
    """The page as one self-contained HTML document (deterministic: same connector, same bytes)."""
    icon_uri = "data:image/png;base64," + base64.b64encode(page.icon_png).decode("ascii") if page.icon_png else ""
    count = len(page.findings) + sum(len(c.findings) + sum(len(i.findings) for i in c.inputs)
                                     + sum(len(o.findings) for o in c.outputs) for c in page.cards)
    return _template().render(page=page, icon_uri=icon_uri, finding_count=count)


def write_page(page: Page, out: Path, force: bool = False) -> tuple[Path, bool]:
    """Write ``out/index.html``; (path, whether it changed). A file there that a person wrote is kept
    unless ``force`` (the same rule as ``connector build``)."""
    from ..generate.output import OutputFolder

    folder = OutputFolder(Path(out), force=force)
    folder.add("index.html", render_html(page))
    changed = folder.commit()
    target = Path(out) / "index.html"
    return target, target in changed
