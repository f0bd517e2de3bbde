"""``connector build``: the model in, every artifact of the connector folder out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..jsonio import dumps
from ..model import Connector, ensure_valid
from .output import OutputFolder
from .swagger import to_swagger


@dataclass(frozen=True)
class BuildContext:
    """What an emitter may look at besides the model: the profile it builds for."""

    profile: str = "production"
    mock_url: str | None = None


Emitter = Callable[[Connector, BuildContext], "bytes | str | None"]

# File name -> emitter, in the order they are produced. An emitter returning None produces no file.
ARTIFACTS: dict[str, Emitter] = {
    "apiDefinition.swagger.json": lambda c, ctx: dumps(to_swagger(c)),
}

# A hand-written script kept verbatim by `connector import --script`. When the model generates its own
# script.csx, that emitter takes this entry over and should return `connector.script_source` when it is set.
ARTIFACTS.setdefault("script.csx", lambda c, ctx: c.script_source)


def folder_name(connector: Connector) -> str:
    return "".join(ch for ch in connector.title if ch.isalnum() or ch in "-_") or "Connector"


def default_out(connector: Connector, root: Path = Path("build")) -> Path:
    return root / folder_name(connector)


@dataclass
class BuildResult:
    out: Path
    files: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)


def render(connector: Connector, context: BuildContext = BuildContext()) -> dict[str, bytes]:
    """Every artifact's bytes, without touching the disk."""
    ensure_valid(connector)
    out: dict[str, bytes] = {}
    for name, emit in ARTIFACTS.items():
        data = emit(connector, context)
        if data is not None:
            out[name] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def build(connector: Connector, out: Path | None = None, context: BuildContext = BuildContext(),
          force: bool = False) -> BuildResult:
    target = Path(out) if out is not None else default_out(connector)
    folder = OutputFolder(target, force=force)
    for name, data in render(connector, context).items():
        folder.add(name, data)
    changed = folder.commit()
    return BuildResult(out=target, files=[target / n for n in sorted(folder.files)], changed=changed)
