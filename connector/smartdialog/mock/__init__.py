"""SmartDialog's plug-in for the generic mock (``connector.mock.plugin``): its state (tables, fixture) and
its behaviours (message part counts, phone canonicalisation, RequestId deduplication, scheduling, delivery
reports, WhatsApp opt-in/out, group contacts, webhooks and inbound messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from connector.mock.config import Settings
from connector.mock.jobs import JobRunner
from connector.mock.store import Store
from connector.model import Connector

from ... import smartdialog as sd
from . import state as _state


class _State:
    schema = _state.SCHEMA
    default_fixture: Path = _state.DEFAULT_FIXTURE
    check_fixture = staticmethod(_state.check_fixture)
    insert_fixture = staticmethod(_state.insert_fixture)


class SmartDialogPlugin:
    name = "SmartDialog"
    state = _State()

    def matches(self, connector: Connector) -> bool:
        """For a connector that has SmartDialog's operations at SmartDialog's paths (its declaration, or one
        built from it under another profile): the operation ids and paths are what the handlers rely on."""
        theirs = {op.id: (op.method.upper(), op.path) for op in connector.operations}
        mine = {op.id: (op.method.upper(), op.path) for op in sd.connector.operations}
        return connector.base_path == sd.connector.base_path and all(theirs.get(k) == v for k, v in mine.items())

    def behaviour(self, settings: Settings, store: Store, jobs: JobRunner, notification: Callable[[dict], Any]):
        from .behaviour import SmartDialog

        return SmartDialog(settings, store, jobs, notification)


PLUGIN = SmartDialogPlugin()
