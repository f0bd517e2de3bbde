"""MkDocs hooks of the documentation site (mkdocs.yml ``hooks:``): what the site shows that is generated.

- ``<!-- connector:rules -->`` in a page becomes the table of every validate rule: from
  ``connector validate --list-rules --format json`` when the command has that option, else from the rule
  catalogue itself, so the reference can never drift from the validator.
- The SmartDialog designer preview (``build/preview/SmartDialog/``, committed; ``make build`` writes it) is
  copied into the site, so the preview page can embed it.
- Every ``docs/**/*.md`` that the nav does not list is added under "Guides" (with its first heading as
  title), so a page someone adds is never left out of the site.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREVIEW = ROOT / "build" / "preview" / "SmartDialog"
RULES_MARKER = "<!-- connector:rules -->"


# -- nav: every page listed ----------------------------------------------------------------------------------

def _nav_pages(nav) -> set[str]:
    out: set[str] = set()
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            out |= _nav_pages(value)
        elif isinstance(value, str):
            out.add(value)
    return out


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").replace("_", " ").capitalize()


def unlisted_pages(docs_dir: Path, nav) -> list[str]:
    listed = _nav_pages(nav)
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                  if p.relative_to(docs_dir).as_posix() not in listed)


def on_config(config):
    docs_dir = Path(config["docs_dir"])
    extra = unlisted_pages(docs_dir, config["nav"])
    if extra:
        entries = [{_title(docs_dir / p): p} for p in extra]
        guides = next((e for e in config["nav"] if isinstance(e, dict) and isinstance(e.get("Guides"), list)), None)
        if guides is None:
            config["nav"].append({"Guides": entries})
        else:
            guides["Guides"].extend(entries)
    return config


# -- the preview, copied in ----------------------------------------------------------------------------------

def on_files(files, config):
    from mkdocs.structure.files import File

    for path in sorted(PREVIEW.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            rel = "preview/SmartDialog/" + path.relative_to(PREVIEW).as_posix()
            files.append(File.generated(config, rel, abs_src_path=str(path)))
    return files


# -- the rule table ------------------------------------------------------------------------------------------

def rules() -> list[dict]:
    """Every validate rule as {id, name, severity, summary, fix, source}, sorted by id."""
    listed = _rules_from_cli()
    if listed:
        return listed
    from connector.validate import catalog  # noqa: F401  (registers the rules)
    from connector.validate.findings import RULES

    return [{"id": r.id, "name": r.slug, "severity": r.severity.value, "summary": r.summary, "fix": r.fix,
             "source": getattr(r, "source", "")} for r in sorted(RULES.values(), key=lambda r: r.id)]


def _rules_from_cli() -> list[dict] | None:
    from click.testing import CliRunner

    from connector.validate.cli import validate

    if not any("--list-rules" in p.opts for p in validate.params):
        return None
    res = CliRunner().invoke(validate, ["--list-rules", "--format", "json"])
    if res.exit_code != 0:
        return None
    try:
        data = json.loads(res.output)
    except ValueError:
        return None
    items = data.get("rules") if isinstance(data, dict) else data
    out = []
    for item in items or []:
        if not isinstance(item, dict) or not (item.get("id") or item.get("rule")):
            return None
        out.append({"id": item.get("id") or item.get("rule"), "name": item.get("name") or item.get("slug", ""),
                    "severity": item.get("severity", ""), "summary": item.get("summary", ""),
                    "fix": item.get("fix", ""), "source": item.get("source", "")})
    return sorted(out, key=lambda r: r["id"]) or None


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def rule_table() -> str:
    lines = ["| id | severity | rule: what it checks, how to fix it |", "|---|---|---|"]
    for r in rules():
        text = f"`{r['name']}`: {_cell(r['summary'])}"
        if r.get("fix"):
            text += f"<br>**Fix:** {_cell(r['fix'])}"
        if r.get("source"):
            text += f"<br>*Source:* {_cell(r['source'])}"
        lines.append(f"| <span id=\"{r['id']}\">{r['id']}</span> | {r['severity']} | {text} |")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if RULES_MARKER in markdown:
        markdown = markdown.replace(RULES_MARKER, rule_table())
    return markdown
