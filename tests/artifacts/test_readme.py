"""readme.md: Microsoft's certification sections, one entry per visible operation, the throttling limit."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from conftest import BUILD, seed_text
from connector.generate.readme import readme_md
from connector.model import Throttling

SECTIONS = ["## Prerequisites", "## Supported Operations", "## Obtaining Credentials",
            "## Known Issues and Limitations", "## Deployment Instructions"]


def section(text: str, heading: str) -> str:
    start = text.index(heading + "\n") + len(heading) + 1
    nxt = re.search(r"^## ", text[start:], flags=re.M)
    return text[start:start + nxt.start()] if nxt else text[start:]


@pytest.fixture(scope="module")
def readme() -> str:
    return (BUILD / "readme.md").read_text(encoding="utf-8")


def test_sections_in_microsofts_order(readme, smartdialog):
    headings = [line for line in readme.splitlines() if line.startswith("#") and not line.startswith("###")]
    assert headings == [f"# {smartdialog.title}", f"## Publisher: {smartdialog.publisher}", *SECTIONS]


def test_title_with_a_two_or_three_sentence_summary(readme):
    lines = readme.splitlines()
    assert lines[0] == "# SmartDialog"
    sentences = re.findall(r"[^.!?]+[.!?]", lines[1])
    assert 2 <= len(sentences) <= 3, lines[1]


def test_one_entry_per_visible_operation_and_none_for_internal_ones(readme, smartdialog):
    entries = re.findall(r"^### (.+)$", section(readme, "## Supported Operations"), flags=re.M)
    visible = [o for o in smartdialog.operations if o.visibility != "internal"]
    assert entries == [o.summary for o in visible]
    assert "New Message" in entries  # the trigger is listed too
    for op in smartdialog.operations:
        if op.visibility == "internal":
            assert op.summary not in readme, op.id
    for op in visible:  # each entry says what the operation does
        assert f"### {op.summary}\n{op.description}" in readme


def test_known_issues_carry_the_throttling_limit_and_deprecations(readme, smartdialog):
    issues = section(readme, "## Known Issues and Limitations")
    t = smartdialog.throttling
    assert f"{t.calls} API calls per connection per {t.period_seconds} seconds" in issues
    assert "WhatsApp Opt In is deprecated" in issues and "WhatsApp Opt Out is deprecated" in issues
    slower = readme_md(replace(smartdialog, throttling=Throttling(calls=7, period_seconds=300)))
    assert "7 API calls per connection per 300 seconds" in section(slower, "## Known Issues and Limitations")


def test_prerequisites_and_setup_come_from_the_reference_page(readme):
    seed = seed_text().splitlines()
    start, setup = seed.index("Prerequisites"), seed.index("Setup")
    bullets = [line[2:].rstrip(".") for line in seed[start + 1:setup] if line.startswith("- ")]
    setup_items = [line[2:].rstrip(".") for line in seed[setup + 1:setup + 4] if line.startswith("- ")]
    assert bullets and setup_items
    for b in bullets:
        assert b in section(readme, "## Prerequisites"), b
    assert setup_items[-1] in section(readme, "## Deployment Instructions")
    assert "support@arenainteractive.fi" in section(readme, "## Obtaining Credentials")


def test_deployment_names_the_files_and_never_a_secret(readme):
    deploy = section(readme, "## Deployment Instructions")
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "icon.png", "script.csx", "[[CLIENT_ID]]"):
        assert name in deploy
    assert "--secret <client secret>" in deploy


def test_a_connector_without_readme_text_still_has_every_section(smartdialog):
    bare = readme_md(replace(smartdialog, readme=None, throttling=None, security=None, transforms=(),
                             operations=tuple(o for o in smartdialog.operations if not o.deprecated)))
    headings = [line for line in bare.splitlines() if line.startswith("## ")][1:]
    assert headings == SECTIONS
    assert "- None known." in bare and "needs no credentials" in bare and "script.csx" not in bare
    assert "\n\n\n" not in bare and bare.endswith("\n") and not bare.endswith("\n\n")
