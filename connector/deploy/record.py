"""The deploy record beside the built folder (``build/SmartDialog.deploy.json`` for ``build/SmartDialog``):
which connector id a create returned, per Power Platform endpoint and environment, so the next deploy
updates that connector instead of creating another. Deterministic (sorted, no timestamps) so it can be
committed; it holds ids only, never a secret or a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConnectorError
from ..jsonio import load_json_file, write_json


def record_path(folder: Path) -> Path:
    folder = Path(folder).absolute()
    return folder.with_name(folder.name + ".deploy.json")


def _url(url: str) -> str:
    return url.rstrip("/").lower()


@dataclass
class DeployRecord:
    path: Path
    entries: list[dict[str, str]]

    @classmethod
    def load(cls, folder: Path) -> "DeployRecord":
        path = record_path(folder)
        if not path.exists():
            return cls(path, [])
        doc = load_json_file(path)
        data = doc.data if doc.ok else None
        entries = data.get("deployments") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(
                isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("powerAppsUrl", "environment",
                                                                                   "connectorId"))
                for e in entries):
            raise ConnectorError(f"{path} is not a deploy record (expected {{\"deployments\": [{{\"powerAppsUrl\", "
                                 f"\"environment\", \"connectorId\"}}]}}); fix or delete it")
        return cls(path, list(entries))

    def lookup(self, power_apps_url: str, environment: str) -> str | None:
        for e in self.entries:
            if _url(e["powerAppsUrl"]) == _url(power_apps_url) and e["environment"] == environment:
                return e["connectorId"]
        return None

    def remember(self, power_apps_url: str, environment: str, connector_id: str) -> bool:
        """Record the id; returns True when the file changed."""
        kept = [e for e in self.entries
                if not (_url(e["powerAppsUrl"]) == _url(power_apps_url) and e["environment"] == environment)]
        kept.append({"powerAppsUrl": power_apps_url.rstrip("/"), "environment": environment,
                     "connectorId": connector_id})
        self.entries = sorted(kept, key=lambda e: (_url(e["powerAppsUrl"]), e["environment"]))
        return write_json(self.path, {"deployments": self.entries})
