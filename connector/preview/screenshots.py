"""Screenshots of a preview page, one PNG per card, taken by a real browser (Playwright's Python API driving
the system's Chromium through ``executable_path``: no browser download). Used by ``make screenshots`` for
the committed ``build/preview/<Title>/screenshots/`` and by the browser tests."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import UsageError

# Headless, no network of its own, nothing that phones home: the page is a local file.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
VIEWPORT = {"width": 800, "height": 900}


def chromium_path() -> str:
    """The system Chromium (Debian's ``chromium``), or $CONNECTOR_CHROMIUM."""
    for candidate in (os.environ.get("CONNECTOR_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    raise UsageError("no Chromium found: install it (apt-get install chromium, or scripts/setup-system.sh) "
                     "or set CONNECTOR_CHROMIUM to its path.")


@contextmanager
def browser_page(executable: str | None = None) -> Iterator[object]:
    """A Playwright page in a fresh headless Chromium; closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UsageError("screenshots need Playwright: pip install -e '.[docs]'") from None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable or chromium_path(), args=list(CHROMIUM_FLAGS))
        try:
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, offline=True)
            yield context.new_page()
        finally:
            browser.close()


def screenshot_cards(page, html: Path, out: Path, expand_advanced: bool = True) -> list[Path]:
    """One ``<operationId>.png`` per card of the preview at ``html``, advanced options shown."""
    page.goto(Path(html).resolve().as_uri())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for card in page.locator("article.card").all():
        op_id = card.get_attribute("data-operation-id")
        toggle = card.locator("button.advanced-toggle")
        if expand_advanced and toggle.count():
            toggle.click()
        target = out / f"{op_id}.png"
        card.screenshot(path=str(target), animations="disabled")
        written.append(target)
    return written


def main() -> None:  # python -m connector.preview.screenshots HTML OUT
    import sys

    html, out = Path(sys.argv[1]), Path(sys.argv[2])
    with browser_page() as page:
        for path in screenshot_cards(page, html, out):
            print(f"wrote     {path}")


if __name__ == "__main__":
    main()
