"""Fixtures of the preview tests: the tutorial's Tasks connector (docs/tutorial.md is its one source) and a
headless Chromium driven by Playwright, started once for the whole module."""

from __future__ import annotations

import shutil

import pytest

import docs_tutorial


@pytest.fixture(scope="session")
def tasks_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tasks-model")
    return docs_tutorial.write_files(folder)["tasks.py"]


@pytest.fixture(scope="session")
def browser_page():
    if shutil.which("chromium") is None:  # make test installs it (scripts/setup-system.sh)
        pytest.fail("chromium is not installed: run bash scripts/setup-system.sh")
    from connector.preview.screenshots import browser_page as open_page

    with open_page() as page:
        yield page
