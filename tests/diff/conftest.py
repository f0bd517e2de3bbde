"""Shared by the diff tests: a small connector with one of everything, and the corpus."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from conftest import SHARED

CORPUS = SHARED / "corpus"
BASE_FILE = Path(__file__).resolve().parent / "fixtures" / "base.swagger.json"


def base() -> dict:
    return copy.deepcopy(json.loads(BASE_FILE.read_text(encoding="utf-8")))


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
