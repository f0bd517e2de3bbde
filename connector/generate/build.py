"""``connector build``: the model in, every artifact of the connector folder out."""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..jsonio import dumps
from ..model import Connector, ensure_valid, webhook_wiring
from . import api_properties, icon, readme, script, settings
from .output import OutputFolder
from .profiles import DEFAULT_PROFILE, apply_profile
from .swagger import to_swagger


@dataclass(frozen=True)
class BuildContext:
    """What an emitter may look at besides the model: the profile it builds for."""

    profile: str = DEFAULT_PROFILE
    mock_url: str | None = None


Emitter = Callable[[Connector, BuildContext], "bytes | str | None"]

# File name -> emitter, in the order they are produced. An emitter returning None produces no file.
# Emitters get the connector already in the build profile (profiles.py): they never look at the profile.
ARTIFACTS: dict[str, Emitter] = {
    settings.API_DEFINITION: lambda c, ctx: dumps(to_swagger(c)),
    settings.API_PROPERTIES: api_properties.emit,
    settings.ICON: icon.emit,
    settings.SCRIPT: script.emit,
    "readme.md": readme.emit,
    "settings.json": settings.emit,
}


def folder_name(connector: Connector) -> str:
    return "".join(ch for ch in connector.title if ch.isalnum() or ch in "-_") or "Connector"


def default_out(connector: Connector, root: Path = Path("build"), profile: str = DEFAULT_PROFILE) -> Path:
    """build/<Title>/ for production; build/<profile>/<Title>/ for any other profile (git-ignored)."""
    base = root if profile == DEFAULT_PROFILE else root / profile
    return base / folder_name(connector)


@dataclass
class BuildResult:
    out: Path
    files: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)


def render(connector: Connector, context: BuildContext = BuildContext()) -> dict[str, bytes]:
    """Every artifact's bytes, without touching the disk."""
    ensure_valid(connector)
    connector = apply_profile(connector, context.profile, context.mock_url)
    out: dict[str, bytes] = {}
    for name, emit in ARTIFACTS.items():
        data = emit(connector, context)
        if data is not None:
            out[name] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def build(connector: Connector, out: Path | None = None, context: BuildContext = BuildContext(),
          force: bool = False, model_file: Path | None = None) -> BuildResult:
    """``model_file``: the Python file the connector was declared in, recorded in the manifest (relative to the
    output folder) for validate's fixes."""
    target = Path(out) if out is not None else default_out(connector, profile=context.profile)
    folder = OutputFolder(target, force=force)
    if model_file is not None:
        folder.model = Path(os.path.relpath(Path(model_file).resolve(), target.resolve())).as_posix()
    for name, data in render(connector, context).items():
        folder.add(name, data)
    folder.unwired_webhooks = {w.trigger.id: w.why for w in webhook_wiring(connector) if w.how == "missing"}
    changed = folder.commit()
    return BuildResult(out=target, files=[target / n for n in sorted(folder.files)], changed=changed)
