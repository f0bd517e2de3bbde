"""The jinja2 templates of the generated files, and the filters they share.

The templates ship inside the package, in ``connector/generate/templates/`` (no symbolic links: they break on
Windows checkouts). A project may override each one with a file of its own layout: ``apiProperties.json.j2``
and ``templates/<name>.j2`` at the top of its checkout. This repository keeps those files as the
user-editable entry points; each is one ``{% extends "packaged/<name>" %}`` line, so the text is written
once, in the package, and an edit of the top-level file shows up in the next build.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2

PACKAGE = Path(__file__).resolve().parents[1]  # .../connector
REPO_ROOT = PACKAGE.parent
PACKAGED = Path(__file__).resolve().parent / "templates"
PACKAGED_PREFIX = "packaged/"  # a template name that always means the packaged file (for {% extends %})

# template name (relative to a project's root) -> what it renders
TEMPLATES = ("apiProperties.json.j2", "templates/script.csx.j2", "templates/readme.md.j2")


def template_root() -> Path | None:
    """The directory whose top-level templates override the packaged ones: the checkout the package runs
    from, when it has them; None (packaged templates only) for an installed package."""
    if (REPO_ROOT / TEMPLATES[0]).is_file() or (REPO_ROOT / "templates").is_dir():
        return REPO_ROOT
    return None


class TemplateLoader(jinja2.BaseLoader):
    """``name`` from ``root`` when that file exists, else the packaged file of the same base name;
    ``packaged/<name>`` is always the packaged file."""

    def __init__(self, root: Path | None):
        self.root = root

    def path_of(self, name: str) -> Path:
        if name.startswith(PACKAGED_PREFIX):
            return PACKAGED / name[len(PACKAGED_PREFIX):]
        if self.root is not None and (self.root / name).is_file():
            return self.root / name
        return PACKAGED / Path(name).name

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.path_of(template)
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            raise jinja2.TemplateNotFound(template) from None
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def json_filter(value: Any) -> str:
    """A JSON literal of ``value`` for a JSON template (no HTML escaping, unlike jinja's ``tojson``)."""
    return json.dumps(value, ensure_ascii=False)


def csharp_string(value: Any) -> str:
    """A C# regular string literal (quoted and escaped) of ``value``."""
    out = ['"']
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def markdown_inline(value: Any) -> str:
    """Text on one Markdown line: newlines become spaces (the text itself may use Markdown)."""
    return " ".join(str(value).split())


@lru_cache(maxsize=4)
def environment(root: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=TemplateLoader(root),
        undefined=jinja2.StrictUndefined,  # a misspelt name is an error, never an empty string
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json"] = json_filter
    env.filters["cs"] = csharp_string
    env.filters["md"] = markdown_inline
    return env


def render_template(name: str, **values: Any) -> str:
    return environment(template_root()).get_template(name).render(**values)
