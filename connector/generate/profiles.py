"""Build profiles: the same connector, pointed at a different service.

A profile is a transformation of the ``Connector`` model, applied once before any emitter runs, so every
output (swagger, apiProperties, script, ...) sees the same endpoints.

- ``production`` (default): the model as declared.
- ``mock``: the local mock server at ``--mock-url http://127.0.0.1:PORT``: host ``127.0.0.1:PORT``, the URL's
  scheme, basePath unchanged, and the OAuth URLs ``<mock-url>/oauth2/v2.0/authorize`` (authorization) and
  ``<mock-url>/oauth2/v2.0/token`` (token and refresh).
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from ..errors import UsageError
from ..model import Connector, OAuth2

PROFILES = ("production", "mock")
DEFAULT_PROFILE = "production"

MOCK_AUTHORIZE_PATH = "/oauth2/v2.0/authorize"
MOCK_TOKEN_PATH = "/oauth2/v2.0/token"

# swagger 2.0's host: a name or address and an optional port, no scheme, path or credentials
_HOST = re.compile(r"^[^{}/ :\\@\[\]]+(?::\d{1,5})?$")


def parse_mock_url(url: str | None) -> str:
    """The mock server's base URL, normalised (``http://127.0.0.1:8080``), or a UsageError saying what is wrong."""
    example = "--mock-url http://127.0.0.1:8080"
    if not url:
        raise UsageError(f"--profile mock needs the mock server's URL: pass {example}.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"--mock-url '{url}' must start with http:// or https:// (e.g. {example}).")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UsageError(f"--mock-url '{url}' must be the server's root, with no path, query or fragment "
                         f"(e.g. {example}); the API lives under the connector's basePath there.")
    if not parts.netloc or not _HOST.match(parts.netloc):
        raise UsageError(f"--mock-url '{url}' needs a host and optional port, like 127.0.0.1:8080 "
                         f"(e.g. {example}).")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise UsageError(f"--mock-url '{url}': the port must be a number from 1 to 65535.")
    return f"{parts.scheme}://{parts.netloc}"


def check_profile(profile: str, mock_url: str | None) -> str | None:
    """Validate the command-line pair; returns the normalised mock URL (None for production)."""
    if profile not in PROFILES:
        raise UsageError(f"unknown profile '{profile}'; use one of: {', '.join(PROFILES)}.")
    if profile == "mock":
        return parse_mock_url(mock_url)
    if mock_url is not None:
        raise UsageError("--mock-url only applies to --profile mock; add --profile mock or drop --mock-url.")
    return None


def apply_profile(connector: Connector, profile: str = DEFAULT_PROFILE, mock_url: str | None = None) -> Connector:
    """The connector as the profile builds it."""
    base = check_profile(profile, mock_url)
    if profile == "production":
        return connector
    assert base is not None
    parts = urlsplit(base)
    changes: dict = {"host": parts.netloc, "schemes": (parts.scheme,)}
    if isinstance(connector.security, OAuth2):  # API key and basic auth have no URLs to point at the mock
        changes["security"] = replace(connector.security, authorization_url=base + MOCK_AUTHORIZE_PATH,
                                      token_url=base + MOCK_TOKEN_PATH,
                                      refresh_url=base + MOCK_TOKEN_PATH)
    extra = connector.imported.properties_extra
    if isinstance(extra.get("connectionParameters"), dict):  # an imported connector's own sign-in settings
        changes["imported"] = replace(connector.imported, properties_extra={
            **extra, "connectionParameters": _sign_in_at(extra["connectionParameters"], base)})
    return replace(connector, **changes)


_SIGN_IN_KEYS = ("authorizationurl", "tokenurl", "refreshurl", "authorizationurltemplate", "tokenurltemplate",
                 "refreshurltemplate", "loginuri", "loginurl")


def _sign_in_at(params: dict, base: str) -> dict:
    """Connection parameters whose OAuth sign-in URLs (``customParameters`` URLs and oauth2generic templates, aad's
    ``loginUri``) have their origin replaced by the mock's, their paths kept (the mock answers at those paths)."""
    out = {}
    for name, param in params.items():
        settings = param.get("oAuthSettings") if isinstance(param, dict) else None
        custom = settings.get("customParameters") if isinstance(settings, dict) else None
        if not isinstance(custom, dict):
            out[name] = param
            continue
        moved = {}
        for key, entry in custom.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            if str(key).lower() in _SIGN_IN_KEYS and isinstance(value, str) and "://" in value:
                rest = value.split("://", 1)[1]
                entry = {**entry, "value": base + ("/" + rest.split("/", 1)[1] if "/" in rest else "")}
            moved[key] = entry
        out[name] = {**param, "oAuthSettings": {**settings, "customParameters": moved}}
    return out
