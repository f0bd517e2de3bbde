"""The swagger 2.0 emitter: turns the model into apiDefinition.swagger.json.

Which swagger key each model field becomes, and in which order, is ``connector.swaggerdoc.KEYS`` (the
importer reads back through the same table); this module converts the values. Key order is fixed by that
table (not by dict accidents), so the same model always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from ..model import (UNSET, ApiKey, BasicAuth, Connector, Definition, Dropdown, DynamicSchema, OAuth2, Operation,
                     Parameter, Ref, Response, Schema, TriggerMetadata)
from ..swaggerdoc import KEYS, METHODS


def _present(value: Any) -> bool:
    """Whether a field's value is written: unset markers, None, False and empty sequences are not."""
    return value is not None and value is not UNSET and value is not False and value != ()


class SwaggerEmitter:
    """Turns a ``Connector`` into a swagger 2.0 document (a plain dict)."""

    def __init__(self, connector: Connector):
        self.connector = connector
        self.definitions: dict[str, Any] = {}
        self.shared_parameters: dict[str, Any] = {}
        self.shared_responses: dict[str, Any] = {}

    # -- document --------------------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        c = self.connector
        doc: dict[str, Any] = {"swagger": "2.0", "info": self.info(), "host": c.host}
        if c.base_path is not None:
            doc["basePath"] = c.base_path
        doc["schemes"] = list(c.schemes)
        if c.consumes is not None:
            doc["consumes"] = list(c.consumes)
        if c.produces is not None:
            doc["produces"] = list(c.produces)
        doc["paths"] = self.paths()
        for item in c.imported.declarations:  # declared once even when no operation refers to them
            if isinstance(item, Parameter):
                self.parameter(item)
            elif isinstance(item, Response):
                self.response(item)
            else:
                self.schema(item)
        if self.definitions:
            doc["definitions"] = dict(sorted(self.definitions.items()))
        if self.shared_parameters:
            doc["parameters"] = dict(sorted(self.shared_parameters.items()))
        if self.shared_responses:
            doc["responses"] = dict(sorted(self.shared_responses.items()))
        if c.security is not None:
            s = c.security
            doc["securityDefinitions"] = {s.security_name: security_definition(s)}
            doc["security"] = [{s.security_name: []}]
        metadata = []
        if c.website:
            metadata.append({"propertyName": "Website", "propertyValue": c.website})
        if c.privacy_policy:
            metadata.append({"propertyName": "Privacy policy", "propertyValue": c.privacy_policy})
        if c.categories:
            metadata.append({"propertyName": "Categories", "propertyValue": ";".join(c.categories)})
        if metadata:
            doc["x-ms-connector-metadata"] = metadata
        doc.update(c.extra)
        return doc

    def info(self) -> dict[str, Any]:
        c = self.connector
        info: dict[str, Any] = {"title": c.title}
        if c.description is not None:
            info["description"] = c.description
        info["version"] = c.version
        if c.contact is not None:
            contact = {k: v for k, v in (("name", c.contact.name), ("url", c.contact.url),
                                         ("email", c.contact.email)) if v}
            info["contact"] = contact
        info.update(c.imported.info_extra)
        return info

    def paths(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        for op in self.connector.operations:  # declaration order groups operations; paths keep first-seen order
            item = paths.setdefault(op.path, {})
            item[op.method.lower()] = self.operation(op)
            if op.notification is not None:
                content: dict[str, Any] = {}
                if op.notification_description:
                    content["description"] = op.notification_description
                content["schema"] = self.schema(op.notification)
                item["x-ms-notification-content"] = content
            item.update(op.path_extra)
        for path, extra in self.connector.imported.paths_extra.items():  # path items without operations
            paths.setdefault(path, {}).update(extra)
        for path, item in paths.items():
            methods = sorted((k for k in item if k in METHODS), key=METHODS.index)
            others = [k for k in item if k not in METHODS]
            paths[path] = {k: item[k] for k in [*methods, *others]}
        return paths

    # -- operations ------------------------------------------------------------------------------------
    def operation(self, op: Operation) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key in KEYS["operation"].items():
            if name == "parameters":
                out[key] = [self.parameter(p) for p in op.parameters]
            elif name == "responses":
                out[key] = {r.status: self.response(r) for r in self.connector.responses_of(op)}
            elif name == "trigger_metadata":
                if op.trigger_metadata is not None:
                    out[key] = trigger_metadata(op.trigger_metadata)
            elif _present(value := getattr(op, name)):
                out[key] = list(value) if isinstance(value, tuple) else value
            elif name in ("consumes", "produces") and value == ():
                out[key] = []
        out.update(op.extra)
        return out

    def parameter(self, p: Parameter) -> dict[str, Any]:
        out: dict[str, Any] = {"name": p.name, "in": p.location, "required": p.required}
        if p.location == "body":
            for name in ("description", "label", "visibility"):
                if _present(value := getattr(p, name)):
                    out[KEYS["parameter"][name]] = value
            out["schema"] = self.schema(p.schema) if p.schema is not None else {}
        else:
            out.update(self._keywords(p.schema if p.schema is not None else Schema(), p))
            if p.url_encoding:
                out[KEYS["parameter"]["url_encoding"]] = p.url_encoding
        out.update(p.extra)
        if p.shared:
            self.shared_parameters[p.shared] = out
            return {"$ref": f"#/parameters/{p.shared}"}
        return out

    def response(self, r: Response) -> dict[str, Any]:
        out: dict[str, Any] = {"description": r.description}
        if r.schema is not None:
            out["schema"] = self.schema(r.schema)
        out.update(r.extra)
        if r.shared:
            self.shared_responses[r.shared] = out
            return {"$ref": f"#/responses/{r.shared}"}
        return out

    # -- schemas ---------------------------------------------------------------------------------------
    def schema(self, s: Schema | Definition) -> dict[str, Any]:
        if isinstance(s, Definition):
            if s.name not in self.definitions:
                self.definitions[s.name] = {}  # reserve first: a definition may refer to itself
                self.definitions[s.name] = self.schema(s.schema)
            return {"$ref": f"#/definitions/{s.name}"}
        out = self.schema(s.definition) if s.definition is not None else {}
        out.update(self._keywords(s))
        if s.properties is not None:
            out["properties"] = {f.name: self.schema(f) for f in s.properties}
            required = s.required_names()
            if required:
                out["required"] = required
        out.update(s.extra)
        return out

    def _keywords(self, s: Schema, owner: Parameter | None = None) -> dict[str, Any]:
        """The keywords of schema ``s`` in ``KEYS["schema"]`` order; a non-body parameter ``owner`` gives the
        label, description and visibility (the rest is its value's schema)."""
        out: dict[str, Any] = {}
        for name, key in KEYS["schema"].items():
            holder = owner if owner is not None and name in ("label", "description", "visibility") else s
            value = getattr(holder, name)
            if name == "default":
                if value is not UNSET:
                    out[key] = value
            elif name == "enum":
                if value is not None:
                    out[key] = list(value)
            elif name == "additional_properties":
                if isinstance(value, bool):
                    out[key] = value
                elif value is not None:
                    out[key] = self.schema(value)
            elif not _present(value):
                continue
            elif name == "items":
                out[key] = self.schema(value)
            elif name == "dropdown":
                if value.emits_values:
                    out[key] = dynamic_values(value)
                if value.emits_list:
                    out["x-ms-dynamic-list"] = dynamic_list(value)
            elif name == "dynamic_schema":
                if value.emit != "properties":
                    out[key] = dynamic_schema(value)
                if value.emit != "schema":
                    out["x-ms-dynamic-properties"] = dynamic_properties(value)
            else:
                out[key] = value
        return out


def security_definition(s: OAuth2 | ApiKey | BasicAuth) -> dict[str, Any]:
    """One entry of ``securityDefinitions``."""
    if isinstance(s, ApiKey):
        out: dict[str, Any] = {"type": "apiKey", "in": s.location, "name": s.name}
    elif isinstance(s, BasicAuth):
        out = {"type": "basic"}
    else:
        out = {"type": "oauth2", "flow": s.flow}
        if s.flow in ("accessCode", "implicit"):
            out["authorizationUrl"] = s.authorization_url
        if s.flow in ("accessCode", "password", "application"):
            out["tokenUrl"] = s.token_url
        out["scopes"] = {s.scope: s.scope_description} if s.scopes else {}
        return out
    if s.description is not None:
        out["description"] = s.description
    return out


def _extension(obj: Any, kind: str, args: dict[str, Any] | None, extra: Any, **values: Any) -> dict[str, Any]:
    """One x-ms-dynamic-* object: the fields of ``obj`` in ``KEYS[kind]`` order (``values`` overrides some), the
    converted ``args`` as ``parameters`` (when any) and ``extra`` last."""
    out: dict[str, Any] = {}
    for name, key in KEYS[kind].items():
        if name == "operation":
            out[key] = obj.operation_id
        elif name == "args":
            if args:
                out[key] = args
        elif (value := values[name] if name in values else getattr(obj, name)):
            out[key] = value
    out.update(extra)
    return out


def _values_args(args: Any) -> dict[str, Any]:
    """Arguments as x-ms-dynamic-values / x-ms-dynamic-schema write them: literals, ``{"parameter": ...}``."""
    return {k: ({"parameter": v.parameter} if isinstance(v, Ref) else v) for k, v in args.items()}


def _list_args(args: Any) -> dict[str, Any]:
    """Arguments as x-ms-dynamic-list / x-ms-dynamic-properties write them: ``{"value": ...}``,
    ``{"parameterReference": ...}``."""
    return {k: ({"parameterReference": v.path} if isinstance(v, Ref) else {"value": v}) for k, v in args.items()}


def dynamic_values(dd: Dropdown) -> dict[str, Any]:
    return _extension(dd, "dropdown", _values_args(dd.args), dd.extra)


def dynamic_list(dd: Dropdown) -> dict[str, Any]:
    return _extension(dd, "dynamic_list", _list_args(dd.args), dd.list_extra)


def dynamic_schema(ds: DynamicSchema) -> dict[str, Any]:
    return _extension(ds, "dynamic_schema", _values_args(ds.args), ds.extra)


def dynamic_properties(ds: DynamicSchema) -> dict[str, Any]:
    return _extension(ds, "dynamic_properties", _list_args(ds.args), ds.properties_extra,
                      value_path=ds.item_value_path)


def trigger_metadata(tm: TriggerMetadata) -> dict[str, Any]:
    return {"kind": tm.kind, "mode": tm.mode, **tm.extra}


def to_swagger(connector: Connector) -> dict[str, Any]:
    return SwaggerEmitter(connector).document()


__all__ = ["SwaggerEmitter", "to_swagger", "dynamic_values", "dynamic_list", "dynamic_schema", "dynamic_properties",
           "trigger_metadata", "security_definition"]
