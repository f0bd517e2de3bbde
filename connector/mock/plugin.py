"""The one interface through which a connector adds its own behaviours to the generic mock.

The mock core routes, authenticates, throttles, validates and shapes answers from the model alone. What a
service *does* (which rows an action creates, what a dropdown lists, what a webhook delivers) is a
connector's plug-in:

- ``State``: the SQL tables it keeps, its default fixture (YAML or JSON), the fixture's check (problems as
  JSON pointers) and how a checked fixture is written into the tables;
- ``Behaviour``: one handler per operation id (``Call`` -> ``(status or None, answer)``, raising
  ``ApiError`` for a refusal) and ``inbound`` for ``POST /_mock/inbound`` (the trigger's events);
- ``MockPlugin``: ``matches(connector)`` says whether it is for that connector, ``state`` and
  ``behaviour(...)`` make the two above.

A plug-in registers itself with ``register("package.module:ATTRIBUTE")``; the module is imported only when
a mock is built, so registering costs nothing. The ``connector`` command registers the plug-ins of the
connectors this project ships; a test or a script may register its own.
"""

from __future__ import annotations

from ..registry import Registry
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    import sqlite3

    from ..model import Connector
    from .behaviour import Call
    from .config import Settings
    from .jobs import JobRunner
    from .store import Store

Handler = Callable[["Call"], "tuple[int | None, Any]"]


class State(Protocol):
    schema: str  # CREATE TABLE IF NOT EXISTS ... statements (run on every start)
    default_fixture: Path

    def check_fixture(self, data: Any) -> list[str]: ...

    def insert_fixture(self, c: "sqlite3.Connection", data: dict[str, Any]) -> None: ...


class Behaviour(Protocol):
    handlers: dict[str, Handler]

    def inbound(self, data: Any) -> dict[str, Any]: ...


class MockPlugin(Protocol):
    name: str  # shown when the mock starts
    state: State

    def matches(self, connector: "Connector") -> bool: ...

    def behaviour(self, settings: "Settings", store: "Store", jobs: "JobRunner",
                  notification: Callable[[dict], Any]) -> Behaviour: ...


_REGISTRY = Registry("register")


def register(target: str) -> None:
    """Register a plug-in by ``"module:attribute"`` (imported lazily, once a mock is built)."""
    _REGISTRY.register(target)


def registered() -> list[str]:
    return _REGISTRY.targets()


def plugin_for(connector: "Connector") -> MockPlugin | None:
    """The first registered plug-in that is for ``connector`` (None: the connector has none)."""
    return _REGISTRY.first_matching(connector)


_FOLDER_READERS = Registry("register_folder_reader")


def register_folder_reader(target: str) -> None:
    """Register the function reading a connector folder into a ``Connector`` (``"module:function"``), for
    ``connector mock --folder``; the mock core cannot import the importer (a sibling stage) itself."""
    _FOLDER_READERS.register(target)


def folder_reader() -> "Callable[[Path], Connector] | None":
    """The first registered folder reader, imported; None when none is registered."""
    import importlib

    for target in _FOLDER_READERS.targets():
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)
    return None
