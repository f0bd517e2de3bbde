"""The jinja2 templates of the generated files, and the filters they share.

The templates have ONE source: the repository's top-level ``apiProperties.json.j2`` and ``templates/``. When
the package runs from a checkout (the editable install, or ``python -m`` in the repository) they are read
from there, so an edit shows up in the next build. An installed wheel has no checkout; it carries
``connector/_templates/``, whose entries are symbolic links to those same files (setuptools copies their
content into the wheel), so the wheel has the same bytes and nothing is written twice.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

PACKAGE = Path(__file__).resolve().parents[1]  # .../connector
REPO_ROOT = PACKAGE.parent
PACKAGED = PACKAGE / "_templates"

# template name (relative to the root) -> what it renders
TEMPLATES = ("apiProperties.json.j2", "templates/script.csx.j2", "templates/readme.md.j2")


def template_root() -> Path:
    """Where the templates are read from: the checkout when there is one, else the packaged copy."""
    if (REPO_ROOT / TEMPLATES[0]).is_file() and (REPO_ROOT / "templates").is_dir():
        return REPO_ROOT
    return PACKAGED


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
def environment(root: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root or template_root())),
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
