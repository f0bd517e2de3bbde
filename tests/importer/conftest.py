"""Shared by the import tests: the corpus of real connectors and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BUILD, ROOT, SHARED  # noqa: F401 - re-exported for the tests of this package

CORPUS = SHARED / "corpus"
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


def corpus_swaggers() -> list[Path]:
    return sorted(CORPUS.glob("*/*/apiDefinition.swagger.json"))


def corpus_name(path: Path) -> str:
    """``independent-publisher-connectors/X``: how reports and allow-lists name a corpus connector."""
    return f"{path.parent.parent.name}/{path.parent.name}"


def load(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
