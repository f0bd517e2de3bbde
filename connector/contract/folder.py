"""A built connector folder, read the way the platform reads it: only the files, never the Python model.

``ConnectorFolder`` holds apiDefinition.swagger.json, apiProperties.json and script.csx and answers the
questions the runtime asks: which operation has this id, what are its parameters (with ``#/parameters``
references resolved), what does its response look like, which operations run through the script, where
do I sign in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import UsageError
from ..jsonio import load_json_file
from ..swaggerdoc import METHODS, pointer, resolve_ref

SWAGGER = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
SCRIPT = "script.csx"


class ContractFailure(Exception):
    """The connector does not behave the way the platform needs. ``where`` names the place
    (operation, parameter, JSON pointer) so the message leads straight to the fix."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class OAuthSettings:
    """The OAuth 2.0 connection parameter of apiProperties.json."""

    parameter: str
    identity_provider: str
    client_id: str | None
    scopes: tuple[str, ...]
    authorization_url: str
    token_url: str
    refresh_url: str
    redirect_url: str | None = None

    @property
    def scope(self) -> str:
        """The scope string sent to the authorization server (apiProperties may split it into items)."""
        return " ".join(s for s in self.scopes if s)


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the swagger, with its path item and resolved parameters."""

    id: str
    method: str  # upper case
    path: str
    data: dict[str, Any]
    parameters: tuple[dict[str, Any], ...]
    path_item: dict[str, Any]
    pointer: str  # JSON pointer of the operation in the swagger

    @property
    def visibility(self) -> str | None:
        return self.data.get("x-ms-visibility")

    @property
    def is_trigger(self) -> bool:
        return bool(self.data.get("x-ms-trigger"))

    @property
    def deprecated(self) -> bool:
        return bool(self.data.get("deprecated"))

    def parameter(self, name: str) -> dict[str, Any] | None:
        for p in self.parameters:
            if p.get("name") == name:
                return p
        return None

    @property
    def body_parameter(self) -> dict[str, Any] | None:
        for p in self.parameters:
            if p.get("in") == "body":
                return p
        return None

    def parameter_pointer(self, name: str) -> str:
        for i, p in enumerate(self.parameters):
            if p.get("name") == name:
                return self.pointer + pointer("parameters", i)
        return self.pointer + "/parameters"

    def response(self, status: int) -> tuple[str, dict[str, Any]] | None:
        """The declared response for a status: exact code, then ``2XX``-style ranges, then ``default``."""
        responses = self.data.get("responses") or {}
        for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if key in responses:
                return key, responses[key]
        return None

    @property
    def notification(self) -> dict[str, Any] | None:
        return self.path_item.get("x-ms-notification-content")


@dataclass
class ConnectorFolder:
    """The three files the platform runs a connector from."""

    path: Path
    swagger: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)
    script: str | None = None
    operations: dict[str, OperationSpec] = field(default_factory=dict)

    # -- loading -----------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> "ConnectorFolder":
        folder = Path(path)
        if not folder.is_dir():
            raise UsageError(f"connector folder '{folder}' does not exist; build one with `connector build`.")
        swagger = _load(folder / SWAGGER, required=True)
        properties = _load(folder / PROPERTIES, required=False) or {}
        script_file = folder / SCRIPT
        script = script_file.read_text(encoding="utf-8-sig") if script_file.is_file() else None
        self = cls(path=folder, swagger=swagger, properties=properties, script=script)
        self.operations = self._index()
        return self

    def _index(self) -> dict[str, OperationSpec]:
        out: dict[str, OperationSpec] = {}
        for path, item in (self.swagger.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            shared = [self._resolve_parameter(p, pointer("paths", path, "parameters"))
                      for p in item.get("parameters", [])]
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                where = pointer("paths", path, method)
                own = [self._resolve_parameter(p, where + "/parameters") for p in op.get("parameters", [])]
                names = {(p.get("name"), p.get("in")) for p in own}
                params = tuple([p for p in shared if (p.get("name"), p.get("in")) not in names] + own)
                op_id = op.get("operationId") or f"{method.upper()} {path}"
                out[op_id] = OperationSpec(id=op_id, method=method.upper(), path=path, data=op,
                                           parameters=params, path_item=item, pointer=where)
        return out

    def _resolve_parameter(self, p: dict[str, Any], where: str) -> dict[str, Any]:
        ref = p.get("$ref") if isinstance(p, dict) else None
        if ref is None:
            return p
        target = self.resolve_ref(ref)
        if target is None:
            raise ContractFailure(where, f"parameter reference '{ref}' does not resolve in the swagger")
        return target

    def resolve_ref(self, ref: str) -> Any:
        """The target of a local reference (``#/definitions/x``), or None."""
        return resolve_ref(self.swagger, ref) if ref.startswith("#/") else None

    # -- questions the runtime asks ----------------------------------------------------------------
    def operation(self, op_id: str) -> OperationSpec:
        try:
            return self.operations[op_id]
        except KeyError:
            raise ContractFailure(f"operation {op_id}", "the swagger has no operation with this operationId") \
                from None

    @property
    def title(self) -> str:
        return str((self.swagger.get("info") or {}).get("title") or self.path.name)

    @property
    def base_url(self) -> str:
        """scheme://host + basePath, as the platform calls it."""
        schemes = self.swagger.get("schemes") or ["https"]
        scheme = "https" if "https" in schemes else schemes[0]
        host = self.swagger.get("host")
        if not host:
            raise ContractFailure(pointer("host"), "the swagger has no host; the platform cannot call it")
        return f"{scheme}://{host}{(self.swagger.get('basePath') or '').rstrip('/')}"

    @property
    def script_operations(self) -> tuple[str, ...]:
        props = self.properties.get("properties") or {}
        return tuple(props.get("scriptOperations") or ())

    def visible_operations(self) -> list[OperationSpec]:
        """Operations a flow author can pick: actions and triggers that are not internal."""
        return [op for op in self.operations.values() if op.visibility != "internal"]

    def oauth(self) -> OAuthSettings | None:
        """The OAuth connection parameter's settings, whatever the identity provider: the URLs given in
        ``customParameters`` (``authorizationUrl``/``tokenUrl``/``refreshUrl``, or oauth2generic's
        ``...UrlTemplate`` with ``{Name}`` placeholders filled from connection parameters' defaults), or for
        ``aad`` the Microsoft identity platform's URLs made from ``loginUri`` and ``tenantId``."""
        params = (self.properties.get("properties") or {}).get("connectionParameters") or {}
        for name, param in params.items():
            if not isinstance(param, dict) or param.get("type") != "oauthSetting":
                continue
            where = pointer("properties", "connectionParameters", name, "oAuthSettings")
            settings = param.get("oAuthSettings") or {}
            custom = {str(k).lower(): v for k, v in (settings.get("customParameters") or {}).items()}
            provider = str(settings.get("identityProvider"))

            def value(key: str) -> str | None:
                entry = custom.get(key.lower())
                v = entry.get("value") if isinstance(entry, dict) else None
                return str(v) if v else None

            def url(key: str, fallback: str | None = None) -> str:
                v = value(key) or value(key + "Template")
                if v and "{" in v:
                    v = _fill(v, params, f"{PROPERTIES} {where}/customParameters/{key}Template")
                if not v and fallback:
                    return fallback
                if not v:
                    raise ContractFailure(f"{PROPERTIES} {where}/customParameters/{key}",
                                          "missing: the platform cannot sign in without it")
                return v

            if provider == "aad" and not value("tokenUrl"):
                root = f"{(value('loginUri') or 'https://login.microsoftonline.com').rstrip('/')}/" \
                       f"{value('tenantId') or 'common'}/oauth2"
                authorization_url, token_url = f"{root}/authorize", f"{root}/token"
                refresh_url = token_url
            else:
                token_url = url("tokenUrl")
                authorization_url, refresh_url = url("authorizationUrl"), url("refreshUrl", token_url)
            scopes = settings.get("scopes") or []
            if isinstance(scopes, str):
                scopes = [scopes]
            return OAuthSettings(parameter=name, identity_provider=provider,
                                 client_id=settings.get("clientId"), scopes=tuple(str(s) for s in scopes),
                                 authorization_url=authorization_url, token_url=token_url,
                                 refresh_url=refresh_url, redirect_url=settings.get("redirectUrl"))
        return None

    def security_kind(self) -> tuple[str, dict[str, Any]]:
        """How a connection authenticates: ("oauth2" | "apiKey" | "basic" | "none", the swagger's definition)."""
        definitions = self.swagger.get("securityDefinitions") or {}
        for definition in definitions.values():
            if isinstance(definition, dict) and definition.get("type") in ("oauth2", "apiKey", "basic"):
                return str(definition["type"]), definition
        if self.oauth() is not None:
            return "oauth2", {}
        return "none", {}


def _fill(template: str, params: dict[str, Any], where: str) -> str:
    """An oauth2generic URL template with its ``{Name}`` placeholders replaced by the default (else the first
    allowed value) of the connection parameter ``token:Name`` or ``Name`` (case-insensitive)."""
    defaults = {}
    for key, param in params.items():
        if not isinstance(param, dict):
            continue
        ui = param.get("uiDefinition") if isinstance(param.get("uiDefinition"), dict) else {}
        allowed = (ui.get("constraints") or {}).get("allowedValues") if isinstance(ui.get("constraints"), dict) else None
        default = param.get("default", ui.get("default"))
        if default is None and isinstance(allowed, list) and allowed and isinstance(allowed[0], dict):
            default = allowed[0].get("value")
        if default is not None:
            defaults[str(key).split(":")[-1].lower()] = str(default)

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.lower() not in defaults:
            raise ContractFailure(where, f"the placeholder {{{name}}} has no value: give its connection parameter "
                                         "a default, or run with --token")
        return defaults[name.lower()]
    return re.sub(r"\{([A-Za-z0-9_]+)\}", one, template)


def _load(path: Path, required: bool) -> Any:
    if not path.is_file():
        if required:
            raise UsageError(f"'{path}' does not exist; a connector folder needs {path.name}.")
        return None
    doc = load_json_file(path)
    if not doc.ok:
        raise UsageError(f"{path}:{doc.problem.line}:{doc.problem.column}: {doc.problem.message}")
    return doc.data


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
