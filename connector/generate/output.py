"""The output folder: writes generated files, and never overwrites what a person wrote.

Each build records the files it wrote and their SHA-256 in ``.generated.json`` beside them. A file that
exists but is not in that record, or was edited since (its hash differs), is the user's: the build stops
and names it, unless told ``force``. Files a previous build wrote and this one no longer produces are removed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConnectorError
from ..jsonio import dumps, load_json_file, write_bytes

MANIFEST = ".generated.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class WouldOverwrite(ConnectorError):
    exit_code = 1


@dataclass
class OutputFolder:
    root: Path
    force: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    # the model file the files were generated from, relative to root; recorded in the manifest so that
    # `connector validate` can name model fields and lines in its fixes
    model: str | None = None
    # webhook triggers whose registration answer gets no Location header (trigger id -> why), recorded in the
    # manifest for `connector validate` (PP1084)
    unwired_webhooks: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, data: bytes | str) -> None:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data

    def _previous(self) -> dict[str, str]:
        doc = load_json_file(self.root / MANIFEST)
        if doc.ok and isinstance(doc.data, dict) and isinstance(doc.data.get("files"), dict):
            return {k: v for k, v in doc.data["files"].items() if isinstance(v, str)}
        return {}

    def conflicts(self) -> list[str]:
        """Files this build would overwrite or remove that a person wrote or edited."""
        previous = self._previous()
        out = []
        for name in sorted(set(self.files) | set(previous)):
            target = self.root / name
            if not target.is_file():
                continue
            current = sha256(target.read_bytes())
            if name in self.files and current == sha256(self.files[name]):
                continue  # already what we would write
            if previous.get(name) != current:
                why = "was edited since the last build" if name in previous else "was not written by a build"
                out.append(f"{target} {why}")
        return out

    def commit(self) -> list[Path]:
        """Write every file (atomically, only when its bytes change); returns the paths that changed."""
        problems = [] if self.force else self.conflicts()
        if problems:
            raise WouldOverwrite("refusing to overwrite files that a person wrote or edited:\n"
                                 + "\n".join(f"  - {p}" for p in problems)
                                 + "\nMove them away, or pass --force to overwrite them.")
        previous = self._previous()
        changed = []
        for name, data in sorted(self.files.items()):
            if write_bytes(self.root / name, data):
                changed.append(self.root / name)
        for name in sorted(set(previous) - set(self.files)):
            stale = self.root / name
            if stale.is_file():
                stale.unlink()
                changed.append(stale)
        manifest: dict = {"generator": "connector"}
        if self.model:
            manifest["model"] = self.model
        manifest["files"] = {k: sha256(v) for k, v in sorted(self.files.items())}
        if self.unwired_webhooks:
            manifest["unwired_webhooks"] = dict(sorted(self.unwired_webhooks.items()))
        write_bytes(self.root / MANIFEST, dumps(manifest).encode("utf-8"))
        return changed
