"""connector preview in a real browser (Playwright driving the system's Chromium): what a person sees before
and after "Show advanced options", and the committed SmartDialog screenshots still matching the page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from connector.preview import page_for_model, render_html
from connector.preview.screenshots import screenshot_cards

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "preview" / "SmartDialog" / "screenshots"


def visible_keys(page, op_id):
    card = page.locator(f'article[data-operation-id="{op_id}"]')
    return [row.get_attribute("data-parameter") for row in card.locator("[data-parameter]").all() if row.is_visible()]


def test_advanced_toggle_and_hidden_inputs(browser_page, tasks_model, tmp_path):
    html = tmp_path / "index.html"
    html.write_text(render_html(page_for_model(tasks_model)), encoding="utf-8")
    page = browser_page
    page.goto(html.as_uri())
    assert visible_keys(page, "CreateTask") == ["project", "body/title", "body/priority", "body/due/date",
                                                "body/due/zone"]
    toggle = page.locator('article[data-operation-id="CreateTask"] button.advanced-toggle')
    assert toggle.inner_text() == "Show advanced options"
    toggle.click()
    assert visible_keys(page, "CreateTask")[-1] == "body/notes"
    assert toggle.inner_text() == "Hide advanced options"
    toggle.click()
    assert "body/notes" not in visible_keys(page, "CreateTask")
    # the other card's advanced input did not open with this one
    assert "limit" not in visible_keys(page, "ListTasks")
    # required marks, the chosen default, and the dropdown's source as a person reads them
    title = page.locator('article[data-operation-id="CreateTask"] [data-parameter="body/title"] label')
    assert title.inner_text().endswith("*")
    assert page.locator('[data-parameter="body/priority"] select').first.input_value() == "normal"
    assert "List projects" in page.locator('article[data-operation-id="CreateTask"] [data-parameter="project"]'
                                           ).inner_text()
    assert page.locator("article.card").count() == 2  # the internal ListProjects has no card


def test_internal_inputs_exist_but_are_never_visible(browser_page):
    page = browser_page
    page.goto((ROOT / "build" / "preview" / "SmartDialog" / "index.html").as_uri())
    internal = page.locator('[data-visibility="internal"]')
    assert internal.count() >= 1
    assert not any(row.is_visible() for row in internal.all())


def test_committed_screenshots_match_the_page(browser_page, tmp_path):
    """Fuzzy, not byte-equal: same size, and the mean pixel difference under 2 of 255."""
    taken = screenshot_cards(browser_page, ROOT / "build" / "preview" / "SmartDialog" / "index.html", tmp_path)
    assert {p.name for p in taken} == {p.name for p in SHOTS.glob("*.png")}, "run make screenshots and commit"
    for fresh in taken:
        with Image.open(fresh) as a, Image.open(SHOTS / fresh.name) as b:
            assert abs(a.size[1] - b.size[1]) <= 4 and a.size[0] == b.size[0], \
                f"{fresh.name}: {a.size} now, {b.size} committed: run make screenshots and commit"
            size = (min(a.size[0], b.size[0]), min(a.size[1], b.size[1]))
            diff = ImageChops.difference(a.convert("RGB").crop((0, 0, *size)), b.convert("RGB").crop((0, 0, *size)))
            assert sum(ImageStat.Stat(diff).mean) / 3 < 2.0, f"{fresh.name} differs: run make screenshots"
