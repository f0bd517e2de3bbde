"""Read apiProperties.json into the model.

What the model has a field for is set on it (brand colour, publisher, stack owner, capabilities, the OAuth
client settings).
The whole ``properties`` object is first kept verbatim in ``Connector.imported.properties_extra``; then, when a build
emitter for apiProperties.json is registered, each verbatim key the emitter already reproduces from the model
is dropped again. What remains is exactly what the model cannot say, so the build gives the file back whether
or not an apiProperties emitter exists, and the module stays as short as the emitter allows.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..model import Connector, OAuth2
from ..jsonio import strict_equal
from .swagger import Kept, Unsupported

ARTIFACT = "apiProperties.json"


def _get(node: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def read_properties(connector: Connector, doc: Any) -> tuple[Connector, list[Kept]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("properties"), dict):
        raise Unsupported("", "apiProperties.json must be an object with a 'properties' object.", "properties")
    others = [k for k in doc if k != "properties"]
    if others:
        raise Unsupported("/" + others[0], "apiProperties.json has keys beside 'properties' "
                          f"({', '.join(others)}); the model keeps only what is under 'properties'.", "properties")
    props = doc["properties"]
    changes: dict[str, Any] = {}
    for key, field in (("iconBrandColor", "brand_color"), ("publisher", "publisher"), ("stackOwner", "stack_owner")):
        if isinstance(props.get(key), str):
            changes[field] = props[key]
    if "iconBrandColor" not in props:
        changes["brand_color"] = None  # the build then writes no "iconBrandColor" key either
    capabilities = props.get("capabilities")
    if isinstance(capabilities, list) and all(isinstance(c, str) for c in capabilities):
        changes["capabilities"] = tuple(capabilities)
    elif "capabilities" not in props:
        changes["capabilities"] = None  # the build then writes no "capabilities" key either
    oauth = _get(props, "connectionParameters", "token", "oAuthSettings")
    if isinstance(connector.security, OAuth2) and isinstance(oauth, dict):
        settings: dict[str, Any] = {}
        for key, field in (("identityProvider", "identity_provider"), ("clientId", "client_id"),
                           ("redirectMode", "redirect_mode")):
            if isinstance(oauth.get(key), str):
                settings[field] = oauth[key]
        refresh = _get(oauth, "customParameters", "refreshUrl", "value")
        if isinstance(refresh, str):
            settings["refresh_url"] = refresh
        changes["security"] = replace(connector.security, **settings)
    result = replace(connector, **changes, imported=replace(connector.imported, properties_extra=dict(props)))
    result = _prune(result, doc)
    kept = [Kept("/properties/" + k.replace("~", "~0").replace("/", "~1"), k)
            for k in result.imported.properties_extra]
    return result, kept


def render_properties(connector: Connector) -> Any:
    """The apiProperties document the registered build emitter writes for ``connector``; None without one."""
    from ..generate.build import ARTIFACTS, BuildContext

    emit = ARTIFACTS.get(ARTIFACT)
    if emit is None:
        return None
    data = emit(connector, BuildContext())
    if data is None:
        return None
    return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)


def _prune(connector: Connector, doc: dict) -> Connector:
    try:
        if render_properties(connector) is None:
            return connector  # no emitter: everything stays verbatim
    except Exception:  # noqa: BLE001 - an emitter that cannot handle this model keeps everything verbatim
        return connector
    for key in list(connector.imported.properties_extra):
        kept = {k: v for k, v in connector.imported.properties_extra.items() if k != key}
        trial = replace(connector, imported=replace(connector.imported, properties_extra=kept))
        try:
            if strict_equal(render_properties(trial), doc):
                connector = trial
        except Exception:  # noqa: BLE001
            continue
    return connector
