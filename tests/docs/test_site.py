"""The documentation site: `mkdocs build --strict` passes (a broken link or a bad reference fails), every
validate rule and every CLI command appears on it, every page under docs/ is in its navigation, and the
SmartDialog preview is embedded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                          str(ROOT / "mkdocs.yml"), "-d", str(out)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, f"mkdocs build --strict failed:\n{res.stdout}\n{res.stderr}"
    assert "WARNING" not in res.stderr, res.stderr
    return out


def text_of(html_file: Path) -> str:
    return html_file.read_text(encoding="utf-8")


def test_every_rule_is_on_the_site(site):
    from connector.validate import catalog  # noqa: F401
    from connector.validate.findings import RULES

    page = text_of(site / "reference" / "rules.html")
    missing = [rid for rid, r in RULES.items() if f'id="{rid}"' not in page or r.slug not in page]
    assert missing == [] and len(RULES) > 50


def _commands(group: click.Group, prefix: str) -> list[str]:
    ctx = click.Context(group)
    out = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        out.append(f"{prefix} {name}")
        if isinstance(cmd, click.Group):
            out += _commands(cmd, f"{prefix} {name}")
    return out


def test_every_cli_command_is_on_the_site(site):
    from connector.cli import main

    page = text_of(site / "reference" / "cli.html")
    commands = _commands(main, "connector")
    assert "connector preview" in commands and "connector validate" in commands
    missing = [c for c in commands if c not in page]
    assert missing == []
    # and their options, from click itself
    assert "--mock-url" in page and "--dry-run" in page
    assert "Sentinel" not in page  # click's internal "no default" marker must not leak into the reference


def test_every_page_is_in_the_navigation(site):
    home = text_of(site / "index.html")
    pages = sorted(p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md"))
    assert "tutorial.html" in pages and len(pages) >= 10
    for page in pages:
        assert (site / page).is_file(), page
        assert f'href="{page}"' in home or f'href="./{page}"' in home or page == "index.html", \
            f"{page} is not in the navigation"


def test_reference_pages_are_generated_from_the_code(site):
    model = text_of(site / "reference" / "model.html")
    assert 'id="connector.model.Connector"' in model and 'id="connector.model.Dropdown"' in model
    assert "x-ms-dynamic-values" in model  # Dropdown's docstring, not text written on the page
    assert "<!-- connector:rules -->" not in text_of(site / "reference" / "rules.html")


def test_the_model_reference_covers_the_whole_public_api():
    import connector.model

    page = (DOCS / "reference" / "model.md").read_text(encoding="utf-8")
    missing = [name for name in connector.model.__all__ if f"::: connector.model.{name}\n" not in page]
    assert missing == [], "add them to docs/reference/model.md"


def test_the_smartdialog_preview_is_embedded(site):
    embedded = site / "preview" / "SmartDialog" / "index.html"
    assert embedded.read_bytes() == (ROOT / "build" / "preview" / "SmartDialog" / "index.html").read_bytes()
    page = text_of(site / "reference" / "preview.html")
    assert '<iframe src="../preview/SmartDialog/index.html"' in page
    assert (site / "preview" / "SmartDialog" / "screenshots" / "SendMessage.png").is_file()


def test_the_readme_is_short_and_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    first_block = "\n".join(lines[:6])
    assert "make build" in first_block and "make test" in first_block


def test_a_page_missing_from_the_nav_is_added_under_guides(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    (tmp_path / "index.md").write_text("# Home\n")
    (tmp_path / "listed.md").write_text("# Listed\n")
    (tmp_path / "new-topic.md").write_text("# A new topic\n\ntext\n")
    config = {"docs_dir": str(tmp_path), "nav": [{"Home": "index.md"}, {"Guides": [{"Listed": "listed.md"}]}]}
    hooks.on_config(config)
    assert config["nav"][1] == {"Guides": [{"Listed": "listed.md"}, {"A new topic": "new-topic.md"}]}
