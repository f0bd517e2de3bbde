"""Building the HTTP request for an operation from the values a flow gives its parameters.

What the platform does with the swagger's parameters: path values substituted into the template (names may
hold spaces, ``{Group Service}``) and URL-encoded once or twice per ``x-ms-url-encoding``; query and header
values as strings (booleans as ``true``/``false``); one JSON body. Parameters and body fields the user never
sees (``x-ms-visibility: internal``) get their defaults, nested objects included; a required field with a
default the user left empty gets the default the designer pre-fills; a field marked
``x-ms-notification-url`` gets the trigger's callback URL.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from ..swaggerdoc import pointer
from .folder import ConnectorFolder, ContractFailure, OperationSpec
from .transport import HttpRequest

MISSING = object()


def is_internal(node: dict[str, Any]) -> bool:
    return node.get("x-ms-visibility") == "internal"


def to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def encode_path_value(value: Any, encoding: str | None) -> str:
    text = to_text(value)
    once = quote(text, safe="")
    return quote(once, safe="") if encoding == "double" else once


class RequestBuilder:
    def __init__(self, folder: ConnectorFolder, base_url: str):
        self.folder = folder
        self.base_url = base_url.rstrip("/")

    def build(self, op: OperationSpec, values: dict[str, Any], notification_url: str | None = None) -> HttpRequest:
        known = {p.get("name") for p in op.parameters}
        for name in values:
            if name not in known:
                raise ContractFailure(f"{op.id}", f"has no parameter '{name}' (parameters: "
                                                  f"{', '.join(sorted(str(k) for k in known)) or 'none'})")
        path = op.path
        query: list[tuple[str, str]] = []
        headers = httpx.Headers()
        body: bytes | None = None
        for p in op.parameters:
            name, where = p.get("name"), p.get("in")
            at = f"{op.id} parameter '{name}'"
            if where == "body":
                given = values.get(name, MISSING)
                data = self.fill(p.get("schema") or {}, given, at, notification_url,
                                 required=bool(p.get("required")), internal=is_internal(p))
                if data is MISSING:
                    if p.get("required"):
                        raise ContractFailure(at, "is required and has no value")
                    continue
                body = json.dumps(data, ensure_ascii=False).encode("utf-8")
                headers["Content-Type"] = "application/json"
                continue
            value = self.scalar(p, values.get(name, MISSING), at, notification_url)
            if value is MISSING:
                continue
            if where == "path":
                token = "{" + str(name) + "}"
                if token not in path:
                    raise ContractFailure(at, f"is a path parameter but the path {op.path} has no {token}")
                path = path.replace(token, encode_path_value(value, p.get("x-ms-url-encoding")))
            elif where == "query":
                if isinstance(value, list):
                    fmt = p.get("collectionFormat", "csv")
                    if fmt == "multi":
                        query.extend((name, to_text(v)) for v in value)
                        continue
                    sep = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(fmt, ",")
                    value = sep.join(to_text(v) for v in value)
                query.append((name, to_text(value)))
            elif where == "header":
                headers[str(name)] = to_text(value)
            else:
                raise ContractFailure(at, f"is in '{where}', which this client does not send")
        leftover = re.findall(r"\{[^}]*\}", path)
        if leftover:
            raise ContractFailure(op.id, f"path {op.path} keeps {', '.join(leftover)}: no path parameter fills it")
        url = self.base_url + path + (("?" + urlencode(query, quote_via=quote)) if query else "")
        headers.setdefault("Accept", "application/json")
        return HttpRequest(method=op.method, url=url, headers=headers, body=body, operation_id=op.id)

    # -- values ------------------------------------------------------------------------------------
    def scalar(self, p: dict[str, Any], given: Any, at: str, notification_url: str | None) -> Any:
        if given is not MISSING and given is not None:
            return given
        if p.get("x-ms-notification-url"):
            if notification_url is None:
                raise ContractFailure(at, "is the notification URL but this call registers no callback")
            return notification_url
        if "default" in p and (is_internal(p) or p.get("required")):
            return p["default"]
        if p.get("required"):
            if is_internal(p):
                raise ContractFailure(at, "is internal and required but has no default: the platform cannot fill it")
            raise ContractFailure(at, "is required and has no value")
        return MISSING

    def fill(self, schema: dict[str, Any], given: Any, at: str, notification_url: str | None,
             required: bool, internal: bool, path: tuple = ()) -> Any:
        """The value sent for a schema node: the given one, completed with defaults where the platform
        fills them; MISSING when nothing is sent."""
        schema = self.deref(schema, at, path)
        internal = internal or is_internal(schema)
        here = f"{at} field {pointer(*path)}" if path else at
        if schema.get("x-ms-notification-url") and (given is MISSING or given is None):
            if notification_url is None:
                raise ContractFailure(here, "is the notification URL but this call registers no callback")
            return notification_url
        kind = schema.get("type") or ("object" if "properties" in schema else None)
        if kind == "object" and (given is MISSING or isinstance(given, dict)):
            if given is MISSING and not (required or internal):
                return MISSING  # an optional object the user left empty is not sent
            props: dict[str, Any] = schema.get("properties") or {}
            out: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
            unknown = [k for k in out if k not in props]
            if unknown and props and not schema.get("additionalProperties"):
                raise ContractFailure(here, f"has no field {', '.join(repr(k) for k in unknown)} "
                                            f"(fields: {', '.join(props)})")
            needed = set(schema.get("required") or ())
            for name, sub in props.items():
                value = self.fill(sub, out.get(name, MISSING), at, notification_url, required=name in needed,
                                  internal=internal, path=(*path, name))
                if value is MISSING:
                    out.pop(name, None)
                else:
                    out[name] = value
            for name in schema.get("required") or ():
                if name not in out:
                    sub = self.deref(props.get(name, {}), at, path)
                    where = f"{at} field {pointer(*path, name)}"
                    if internal or is_internal(sub):
                        raise ContractFailure(where, "is internal and required but has no default: the platform "
                                                     "cannot fill it")
                    raise ContractFailure(where, "is required and has no value")
            return out
        if kind == "array" and isinstance(given, list):
            items = schema.get("items") or {}
            return [self.fill(items, v, at, notification_url, True, internal, (*path, i))
                    for i, v in enumerate(given)]
        if given is not MISSING:
            return given
        if "default" in schema and (internal or required):
            return schema["default"]
        return MISSING

    def deref(self, schema: dict[str, Any], at: str, path: tuple) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            target = self.folder.resolve_ref(schema["$ref"])
            if target is None:
                raise ContractFailure(f"{at} {pointer(*path) or ''}".strip(),
                                      f"reference {schema['$ref']!r} does not resolve in the swagger")
            schema, seen = target, seen + 1
            if seen > 20:
                raise ContractFailure(at, f"reference {schema!r} loops")
        return schema if isinstance(schema, dict) else {}
