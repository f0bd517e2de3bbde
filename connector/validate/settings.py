"""Checks for settings.json (paconn's): known keys with string values, and the files it names exist
(paths relative to the settings file's folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..swaggerdoc import pointer
from .findings import Reporter
from .textutil import show

KNOWN_KEYS = {"connectorId", "environment", "apiProperties", "apiDefinition", "icon", "script", "powerAppsUrl",
              "powerAppsApiVersion", "flowUrl", "flowApiVersion", "clientId", "tenant", "authorityUrl", "resource",
              "$schema", "x-connector-suppress"}
FILE_KEYS = ("apiDefinition", "apiProperties", "icon", "script")


def check_settings(rep: Reporter, data: Any, folder: Path) -> None:
    if not isinstance(data, dict):
        rep.report("PP5002", "", f"settings.json must be a JSON object, not {type(data).__name__}")
        return
    for key, value in data.items():
        if key not in KNOWN_KEYS:
            rep.report("PP5002", pointer(key), f"unknown key {show(key)}")
        elif key != "x-connector-suppress" and value is not None and not isinstance(value, str):
            rep.report("PP5002", pointer(key), f"{key} must be a string, not {type(value).__name__}")
    for key in FILE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            target = folder / value
            try:
                ok = target.is_file()
            except (OSError, ValueError):
                ok = False
            if not ok:
                rep.report("PP5001", pointer(key), f"{key} names {show(value)}, but {target.as_posix()} does not exist",
                           f"Create {value} next to settings.json or correct the path.")
