"""Plug-ins registered by name and imported only when needed.

The mock core keeps a registry of connector behaviours and the contract core one of scenario packs; a
connector registers into both without either core importing it. A target is ``"package.module:ATTRIBUTE"``;
the first registered object whose ``matches(thing)`` is true serves ``thing``.
"""

from __future__ import annotations

import importlib
from typing import Any


class Registry:
    """Targets in registration order; ``register_name`` is the public function's name, for its error."""

    def __init__(self, register_name: str) -> None:
        self._name = register_name
        self._targets: list[str] = []

    def register(self, target: str) -> None:
        if ":" not in target:
            raise ValueError(f"{self._name}({target!r}): write 'package.module:ATTRIBUTE'")
        if target not in self._targets:
            self._targets.append(target)

    def targets(self) -> list[str]:
        return list(self._targets)

    def first_matching(self, thing: Any) -> Any | None:
        """The first registered object that ``matches(thing)``, imported on the way; None if none does."""
        for target in self._targets:
            module, attr = target.split(":")
            found = getattr(importlib.import_module(module), attr)
            if found.matches(thing):
                return found
        return None
