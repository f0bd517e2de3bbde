"""Shared test fixtures: paths, the SmartDialog build, Microsoft's published schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BUILD = ROOT / "build" / "SmartDialog"
DATA = Path(__file__).resolve().parent / "data"


def strip_jsonc(text: str) -> str:
    """Remove // line comments outside strings (Microsoft's schemas are JSONC)."""
    out, i, in_str = [], 0, False
    while i < len(text):
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\":
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def load_anchor_schema(name: str) -> dict:
    path = SHARED / "anchors" / "schemas" / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return json.loads(strip_jsonc(path.read_text(encoding="utf-8-sig")))


def anchor_validator(name: str, schema: dict | None = None):
    """A jsonschema validator for one of Microsoft's schemas, with draft-04 meta-schema refs resolved offline."""
    import jsonschema
    import referencing
    from jsonschema_specifications import REGISTRY

    schema = schema if schema is not None else load_anchor_schema(name)
    registry = referencing.Registry().with_resources(
        [(uri.rstrip("#"), REGISTRY[uri]) for uri in REGISTRY if "draft-04" in uri]
        + [(uri.rstrip("#") + "#", REGISTRY[uri]) for uri in REGISTRY if "draft-04" in uri]
    )
    return jsonschema.Draft4Validator(schema, registry=registry)


@pytest.fixture(scope="session")
def smartdialog():
    from connector.smartdialog import connector

    return connector


@pytest.fixture(scope="session")
def swagger(smartdialog):
    from connector.generate.swagger import to_swagger

    return to_swagger(smartdialog)


def seed_text() -> str:
    files = sorted((SHARED / "seeds").glob("*.txt"))
    if not files:
        pytest.skip("the seed reference page is not available")
    return files[0].read_text(encoding="utf-8")


_TYPES = re.compile(r"^(string|integer|boolean|number|date-time|uuid|object|array of string|array of object)$")


# Property-based tests explore new inputs on developers' machines; in CI (CI=true) they replay a fixed set,
# so a run's verdict depends on the commit, not on the luck of the draw.
try:
    import os

    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is part of the test extra
    pass
