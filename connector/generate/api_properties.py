"""apiProperties.json: the connection (OAuth 2.0), brand colour, publisher and the script's operations.

Rendered from the template ``apiProperties.json.j2`` (see ``connector/generate/templating.py``), then parsed
and written canonically, so the template may be laid out for people while the file's bytes stay deterministic. No secret is written:
the client id is the model's placeholder and the secret is given to paconn (``--secret``) at deploy time.
"""

from __future__ import annotations

import json

from ..errors import ConnectorError
from ..jsonio import dumps
from ..model import Connector, OAuth2, script_operation_ids
from .templating import render_template

TEMPLATE = "apiProperties.json.j2"


def api_properties(connector: Connector) -> dict:
    """The apiProperties document of ``connector`` (already in its build profile)."""
    oauth = connector.security if isinstance(connector.security, OAuth2) else None  # apiKey/basic: properties_extra
    text = render_template(TEMPLATE, connector=connector, oauth=oauth,
                           script_operations=script_operation_ids(connector))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:  # a template edit broke the JSON: say where
        line = text.splitlines()[exc.lineno - 1] if 0 < exc.lineno <= len(text.splitlines()) else ""
        raise ConnectorError(f"{TEMPLATE} rendered invalid JSON at line {exc.lineno}, column {exc.colno}: "
                             f"{exc.msg}\n  {line}\nFix the template there.") from None
    properties = doc.get("properties") if isinstance(doc, dict) else None
    if isinstance(properties, dict):  # None in the model: the key is absent (an imported file without it)
        for key, value in (("iconBrandColor", connector.brand_color), ("capabilities", connector.capabilities)):
            if value is None and properties.get(key) is None and key not in connector.imported.properties_extra:
                properties.pop(key, None)
    return doc


def emit(connector: Connector, context: object = None) -> str:
    return dumps(api_properties(connector))
