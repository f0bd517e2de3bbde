"""Hand-written scenario packs: a connector registers its own with ``register_scenarios``; the contract
runner picks the pack written for the folder's operations. Kept free of heavy imports so that registering
costs nothing."""

from __future__ import annotations

from ..registry import Registry
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .folder import ConnectorFolder

ScenarioFn = Callable[[Any], None]


@dataclass(frozen=True)
class ScenarioPack:
    """A connector's hand-written scenarios, with the operations (id -> (METHOD, path)) they are written
    for: a pack runs only against a folder that has every one of those operations at that method and path."""

    name: str
    operations: dict[str, tuple[str, str]]
    scenarios: dict[str, ScenarioFn]

    def matches(self, folder: ConnectorFolder) -> bool:
        ops = {op.id: (op.method.upper(), op.path) for op in folder.operations.values()}
        return all(ops.get(op_id) == where for op_id, where in self.operations.items())


_PACKS = Registry("register_scenarios")


def register_scenarios(target: str) -> None:
    """Register a ``ScenarioPack`` by ``"package.module:ATTRIBUTE"`` (imported when a contract run starts)."""
    _PACKS.register(target)


def scenario_pack(folder: ConnectorFolder) -> ScenarioPack | None:
    """The registered pack written for this folder's operations (by operation id, method and path, never
    by title), or None."""
    return _PACKS.first_matching(folder)
