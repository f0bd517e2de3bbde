"""The generic mock core names no connector; SmartDialog's behaviours reach it only through its plug-in."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import connector
from connector.mock.app import MockApp
from connector.mock.config import Settings
from connector.mock.generic import GenericPlugin
from connector.mock.plugin import plugin_for, registered
from connector.smartdialog import connector as SD
from connector.smartdialog.mock import PLUGIN

ROOT = Path(connector.__file__).parent


@pytest.mark.parametrize("layer", ["mock", "contract"])
def test_the_generic_layers_never_name_smartdialog(layer):
    named = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / layer).rglob("*.py"))
             for n, line in enumerate(p.read_text().splitlines(), 1) if re.search("smart.?dialog", line, re.I)]
    assert named == []


def test_smartdialog_registers_its_plugin_and_it_matches_its_declaration():
    assert "connector.smartdialog.mock:PLUGIN" in registered()
    assert plugin_for(SD) is PLUGIN


def test_a_connector_without_the_operations_gets_no_plugin_and_the_generic_mock():
    other = dataclasses.replace(SD, title="Other", operations=SD.operations[:3])
    assert PLUGIN.matches(other) is False
    assert plugin_for(other) is None
    app = MockApp(Settings(db=":memory:"), other)
    assert isinstance(app.plugin, GenericPlugin) and app.unhandled == set()


def test_a_moved_path_is_another_connector():
    op = SD.operations[0]
    moved = dataclasses.replace(SD, operations=(dataclasses.replace(op, path=op.path + "/x"), *SD.operations[1:]))
    assert PLUGIN.matches(moved) is False
