"""settings.json: what paconn reads with ``-s settings.json``.

File names are relative to the built folder, because paconn resolves them against its working directory
(not the settings file) and deployment runs it from that folder: ``cd build/SmartDialog && paconn create
-s settings.json --secret ...``. ``environment`` and ``connectorId`` belong to a deployment, not to the
connector, so they are left out (paconn asks for the environment and writes the connector id back).
"""

from __future__ import annotations

from ..jsonio import dumps
from ..model import Connector, effective_transforms

API_DEFINITION = "apiDefinition.swagger.json"
API_PROPERTIES = "apiProperties.json"
ICON = "icon.png"
SCRIPT = "script.csx"


def settings(connector: Connector) -> dict:
    out = {"apiDefinition": API_DEFINITION, "apiProperties": API_PROPERTIES, "icon": ICON}
    if effective_transforms(connector) or connector.imported.script_source is not None:  # exactly when script.csx is written
        out["script"] = SCRIPT
    return out


def emit(connector: Connector, context: object = None) -> str:
    return dumps(settings(connector))
