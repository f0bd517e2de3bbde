"""Read a swagger 2.0 document into the model: the inverse of ``connector.generate.swagger``.

Every key is either mapped onto a model field whose emission gives it back unchanged, or kept verbatim in the
``extra`` mapping of the node it sits on (``Kept`` records where). Where a mapping could lose something, the
reader asks the emitter for the candidate's output and keeps the original verbatim when the two differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..generate.swagger import dynamic_values, security_definition, to_swagger
from ..swaggerdoc import FIELDS, METHODS, merge_parameters, pointer
from ..model import (UNSET, ApiKey, BasicAuth, Connector, Contact, Definition, Dropdown, Imported, OAuth2,
                     Operation, Parameter, Ref, Response, Schema)
from ..model.base import is_allowed
from ..model.schema import Field
from ..jsonio import strict_equal


class Unsupported(Exception):
    """A part of the swagger the model cannot carry even verbatim; import refuses rather than lose it."""

    def __init__(self, where: str, message: str, document: str = "swagger"):
        super().__init__(f"{where or '/'}: {message}")
        self.where = where
        self.message = message
        self.document = document  # "swagger" or "properties"


@dataclass(frozen=True)
class Kept:
    """One place where import did something other than map a key onto a model field.

    ``how`` is ``verbatim`` (no model field: the key passes through ``extra`` unchanged), ``empty`` (an empty
    top-level container, equal to its absence), ``default`` (a parameter without ``required``: false, swagger's
    default), ``path-level`` (a path-level parameter declared on each operation of the path) or ``recursive``
    (a reference back into a definition being declared, kept as a ``$ref`` string)."""

    pointer: str
    key: str
    how: str = "verbatim"


SCHEMA_KEYWORDS = frozenset(FIELDS["schema"])
OWN_KEYWORDS = frozenset({"description", "x-ms-summary", "x-ms-visibility"})  # a non-body parameter's own keys
DEFINITION_REF = "#/definitions/"
PARAMETER_REF = "#/parameters/"
RESPONSE_REF = "#/responses/"


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class SwaggerReader:
    """``SwaggerReader(doc).connector()``: the model of a swagger document; ``.kept`` says what was kept how."""

    def __init__(self, doc: Any):
        if not isinstance(doc, dict):
            raise Unsupported("", "the document is not a JSON object; a swagger 2.0 file starts with '{'.")
        self.doc = doc
        self.kept: list[Kept] = []
        self._cache: dict[tuple, tuple[Any, list[tuple[str, str, str]]]] = {}
        self._recording: list[list[tuple[str, str, str]]] = []
        self._definitions: dict[str, Definition] = {}
        self._busy: set[str] = set()
        self._parameters: dict[str, Parameter] = {}
        self._responses: dict[str, Response] = {}
        self._responses_reading: set[str] = set()  # shared responses being read (a $ref back to one is a cycle)
        defs = doc.get("definitions")
        self._defs_doc = defs if isinstance(defs, dict) else {}
        params = doc.get("parameters")
        self._params_doc = params if isinstance(params, dict) else {}
        responses = doc.get("responses")
        self._responses_doc = responses if isinstance(responses, dict) else {}

    # -- bookkeeping -----------------------------------------------------------------------------------------
    def keep(self, where: str, key: str, how: str = "verbatim") -> None:
        self.kept.append(Kept(where + pointer(key), key, how))
        for frame in self._recording:
            frame.append((where, key, how))

    def _cached(self, key: tuple, where: str, build) -> Any:
        """Identical JSON read in the same role gives the same model object (shared by reference)."""
        hit = self._cache.get(key)
        if hit is not None:
            obj, notes = hit
            for rel_where, k, how in notes:
                self.kept.append(Kept(where + rel_where + pointer(k), k, how))
                for frame in self._recording:
                    frame.append((where + rel_where, k, how))
            return obj
        frame: list[tuple[str, str, str]] = []
        self._recording.append(frame)
        try:
            obj = build()
        finally:
            self._recording.pop()
        self._cache[key] = (obj, [(w[len(where):], k, how) for w, k, how in frame])
        return obj

    # -- document --------------------------------------------------------------------------------------------
    def connector(self) -> Connector:
        doc = self.doc
        kw: dict[str, Any] = {"description": None, "base_path": None, "consumes": None, "produces": None}
        extra: dict[str, Any] = {}
        for required in ("info", "host", "schemes", "paths"):
            if required not in doc:
                raise Unsupported("", f"the swagger has no '{required}'; the model always writes one, so add it.")
        for key, value in doc.items():
            if key == "swagger":
                if value != "2.0":
                    extra[key] = value
                    self.keep("", key)
            elif key == "info":
                self._info(value, kw)
            elif key == "host":
                if not _str(value):
                    raise Unsupported("/host", "host must be a string.")
                kw["host"] = value
            elif key == "basePath" and _str(value):
                kw["base_path"] = value
            elif key == "schemes":
                if not _strs(value):
                    raise Unsupported("/schemes", "schemes must be a list of strings.")
                kw["schemes"] = tuple(value)
            elif key in ("consumes", "produces") and _strs(value):
                kw[key] = tuple(value)
            elif key == "paths":
                if not isinstance(value, dict):
                    raise Unsupported("/paths", "paths must be an object.")
            elif key in ("definitions", "parameters", "responses") and isinstance(value, dict):
                if not value:
                    self.keep("", key, "empty")
            elif key in ("securityDefinitions", "security"):
                pass
            elif key == "tags" and value == []:
                self.keep("", key, "empty")
            elif key == "x-ms-connector-metadata":
                self._metadata(value, kw, extra)
            else:
                extra[key] = value
                self.keep("", key)
        self._security(kw, extra)
        info_extra = kw.pop("info_extra")
        kw["operations"], paths_extra = self._paths(doc["paths"])
        connector = Connector(**kw, extra=extra, imported=Imported(info_extra=info_extra, paths_extra=paths_extra))
        return replace(connector, imported=replace(connector.imported, declarations=self._unused(connector)))

    def _info(self, info: Any, kw: dict[str, Any]) -> None:
        if not isinstance(info, dict) or not _str(info.get("title")) or not _str(info.get("version")):
            raise Unsupported("/info", "info needs a string title and a string version.")
        info_extra: dict[str, Any] = {}
        for key, value in info.items():
            if key in ("title", "version"):
                kw[key] = value
            elif key == "description" and _str(value):
                kw["description"] = value
            elif key == "contact" and isinstance(value, dict) and self._contact(value) is not None:
                kw["contact"] = self._contact(value)
            else:
                info_extra[key] = value
                self.keep("/info", key)
        kw["info_extra"] = info_extra

    @staticmethod
    def _contact(value: dict) -> Contact | None:
        if not all(k in ("name", "url", "email") and _str(v) for k, v in value.items()):
            return None
        contact = Contact(name=value.get("name"), url=value.get("url"), email=value.get("email"))
        probe = to_swagger(Connector(title="", description=None, host="", contact=contact))["info"]["contact"]
        return contact if strict_equal(probe, value) else None

    def _metadata(self, value: Any, kw: dict[str, Any], extra: dict[str, Any]) -> None:
        names = {"Website": "website", "Privacy policy": "privacy_policy", "Categories": "categories"}
        found: dict[str, Any] = {}
        if isinstance(value, list):
            for entry in value:
                if (isinstance(entry, dict) and set(entry) == {"propertyName", "propertyValue"}
                        and entry["propertyName"] in names and _str(entry["propertyValue"])):
                    field = names[entry["propertyName"]]
                    found[field] = (tuple(entry["propertyValue"].split(";")) if field == "categories"
                                    else entry["propertyValue"])
        probe = to_swagger(Connector(title="", description=None, host="", **found)).get("x-ms-connector-metadata")
        if probe is not None and strict_equal(probe, value):
            kw.update(found)
        else:
            extra["x-ms-connector-metadata"] = value
            self.keep("", "x-ms-connector-metadata")

    def _security(self, kw: dict[str, Any], extra: dict[str, Any]) -> None:
        doc = self.doc
        defs, requirement = doc.get("securityDefinitions"), doc.get("security")
        scheme = None
        if isinstance(defs, dict) and len(defs) == 1 and "security" in doc:
            (name, definition), = defs.items()
            scheme = self._scheme(name, definition)
        if scheme is not None:
            kw["security"] = scheme
            if not strict_equal(requirement, [{scheme.security_name: []}]):
                extra["security"] = requirement
                self.keep("", "security")
            return
        if defs == {}:
            self.keep("", "securityDefinitions", "empty")
        elif "securityDefinitions" in doc:
            extra["securityDefinitions"] = defs
            self.keep("", "securityDefinitions")
        if "security" in doc:
            extra["security"] = requirement
            self.keep("", "security")

    @staticmethod
    def _scheme(name: str, d: Any) -> OAuth2 | ApiKey | BasicAuth | None:
        if not isinstance(d, dict):
            return None
        description = d.get("description") if _str(d.get("description")) else None
        kind = d.get("type")
        scheme: Any = None
        if kind == "apiKey" and _str(d.get("name")) and d.get("in") in ("header", "query"):
            scheme = ApiKey(name=d["name"], location=d["in"], security_name=name, description=description)
        elif kind == "basic":
            scheme = BasicAuth(security_name=name, description=description)
        elif kind == "oauth2" and _str(d.get("flow")) and isinstance(d.get("scopes"), dict) and len(d["scopes"]) <= 1:
            scopes, scope_description = (), ""
            if d["scopes"]:
                (joined, scope_description), = d["scopes"].items()
                scopes = tuple(joined.split(" "))
            auth, token = d.get("authorizationUrl", ""), d.get("tokenUrl", "")
            if _str(auth) and _str(token) and _str(scope_description):
                scheme = OAuth2(authorization_url=auth, token_url=token, flow=d["flow"], security_name=name,
                                scopes=scopes, scope_description=scope_description)
        if scheme is None or not strict_equal(security_definition(scheme), d):
            return None
        return scheme

    def _unused(self, connector: Connector) -> tuple:
        """Top-level definitions, parameters and responses no operation refers to: listed in declarations."""
        from ..generate.swagger import SwaggerEmitter

        emitter = SwaggerEmitter(connector)
        emitter.document()
        out: list[Any] = []
        for name in self._defs_doc:
            if name not in emitter.definitions:
                definition = self._definition(name)
                if definition is None:
                    raise Unsupported(pointer("definitions", name), "this definition cannot be declared.")
                out.append(definition)
        for name in self._params_doc:
            if name not in emitter.shared_parameters:
                out.append(self._shared_parameter(name))
        for name in self._responses_doc:
            if name not in emitter.shared_responses:
                out.append(self._shared_response(name, "default"))
        return tuple(out)

    # -- paths and operations --------------------------------------------------------------------------------
    def _paths(self, paths: dict) -> tuple[tuple[Operation, ...], dict[str, Any]]:
        operations: list[Operation] = []
        paths_extra: dict[str, Any] = {}
        for path, item in paths.items():
            where = pointer("paths", path)
            if not isinstance(item, dict):
                raise Unsupported(where, "a path item must be an object.")
            methods = [m for m in item if m in METHODS and isinstance(item[m], dict)]
            if not methods:
                paths_extra[path] = item
                self.keep("/paths", path)
                continue
            path_params = item.get("parameters", [])
            if not isinstance(path_params, list):
                path_params = []
            elif path_params:
                self.keep(where, "parameters", "path-level")
            trigger_method = next((m for m in methods if item[m].get("x-ms-trigger")), methods[0])
            path_extra: dict[str, Any] = {}
            notification: tuple[Schema, str | None] | None = None
            for key, value in item.items():
                if key in methods or (key == "parameters" and isinstance(value, list)):
                    continue
                if key == "x-ms-notification-content":
                    notification = self._notification(value, where)
                    if notification is not None:
                        continue
                path_extra[key] = value
                self.keep(where, key)
            for method in methods:
                op = self._operation(path, method, item[method], where + pointer(method), path_params, where)
                if method == methods[0] and path_extra:
                    op = replace(op, path_extra=path_extra)
                if method == trigger_method and notification is not None:
                    op = replace(op, notification=notification[0], notification_description=notification[1])
                operations.append(op)
        return tuple(operations), paths_extra

    def _notification(self, value: Any, where: str) -> tuple[Schema, str | None] | None:
        if not isinstance(value, dict) or not isinstance(value.get("schema"), dict):
            return None
        if set(value) - {"schema", "description"}:
            return None
        description = value.get("description")
        if "description" in value and not (_str(description) and description):
            return None
        return self.schema(value["schema"], where + "/x-ms-notification-content/schema"), description

    def _operation(self, path: str, method: str, node: dict, where: str, path_params: list, path_where: str
                   ) -> Operation:
        if not _str(node.get("operationId")):
            raise Unsupported(where, "the operation has no operationId; the model names every operation, so "
                                     "add one.")
        kw: dict[str, Any] = {"method": method.upper(), "path": path}
        extra: dict[str, Any] = {}
        own = node.get("parameters", [])
        if not isinstance(own, list):
            raise Unsupported(where + "/parameters", "parameters must be a list.")
        merged = merge_parameters(self.doc, path_params, own)
        params = []
        for p in merged:
            if any(p is q for q in own):
                index = next(i for i, q in enumerate(own) if q is p)
                params.append(self.parameter(p, f"{where}/parameters/{index}"))
            else:
                index = next(i for i, q in enumerate(path_params) if q is p)
                params.append(self.parameter(p, f"{path_where}/parameters/{index}"))
        kw["parameters"] = tuple(params)
        for key in ("parameters", "responses"):
            if key not in node:
                self.keep(where, key, "empty")
        for key, value in node.items():
            if key == "operationId":
                kw["id"] = value
            elif key in ("summary", "description") and _str(value):
                kw[key] = value
            elif key == "tags" and _strs(value) and value:
                kw["tags"] = tuple(value)
            elif key in ("consumes", "produces") and _strs(value):
                kw[key] = tuple(value)
            elif key == "parameters":
                pass
            elif key == "responses" and isinstance(value, dict):
                kw["responses"] = tuple(self.response(status, r, where + pointer("responses", status))
                                        for status, r in value.items())
            elif key == "deprecated" and value is True:
                kw["deprecated"] = True
            elif key in ("x-ms-visibility", "x-ms-trigger", "x-ms-trigger-hint") and _str(value) and value \
                    and is_allowed(Operation, FIELDS["operation"][key], value):
                kw[FIELDS["operation"][key]] = value
            else:
                extra[key] = value
                self.keep(where, key)
        return Operation(**kw, extra=extra)

    # -- parameters and responses ----------------------------------------------------------------------------
    def parameter(self, node: Any, where: str) -> Parameter:
        if not isinstance(node, dict):
            raise Unsupported(where, "a parameter must be an object.")
        if "$ref" in node:
            ref = node["$ref"]
            if len(node) == 1 and _str(ref) and ref.startswith(PARAMETER_REF) and ref[len(PARAMETER_REF):] in \
                    self._params_doc:
                return self._shared_parameter(ref[len(PARAMETER_REF):])
            raise Unsupported(where, f"the parameter reference {json.dumps(ref)} does not name an entry of the "
                                     "top-level parameters (or has keys beside $ref).")
        if not _str(node.get("name")) or not _str(node.get("in")):
            raise Unsupported(where, "a parameter needs a string 'name' and 'in'.")
        key = ("parameter", json.dumps(node, ensure_ascii=False))
        return self._cached(key, where, lambda: self._read_parameter(node, where))

    def _read_parameter(self, node: dict, where: str) -> Parameter:
        kw: dict[str, Any] = {"name": node["name"], "location": node["in"]}
        extra: dict[str, Any] = {}
        if not is_allowed(Parameter, "location", node["in"]):
            raise Unsupported(where + "/in", f"'in' is {json.dumps(node['in'])}; swagger 2.0 knows path, query, "
                                             "header, body and formData.")
        if "required" not in node:
            self.keep(where, "required", "default")
        if node["in"] == "body":
            if not isinstance(node.get("schema"), dict):
                raise Unsupported(where, "a body parameter needs a schema object.")
            for key, value in node.items():
                if key in ("name", "in"):
                    continue
                if key == "required" and isinstance(value, bool):
                    kw["required"] = value
                elif key in ("description", "x-ms-summary") and _str(value):
                    kw[FIELDS["parameter"][key]] = value
                elif key == "x-ms-visibility" and _str(value) and value and is_allowed(Parameter, "visibility", value):
                    kw["visibility"] = value
                elif key == "schema":
                    kw["schema"] = self.schema(value, where + "/schema")
                else:
                    extra[key] = value
                    self.keep(where, key)
            return Parameter(**kw, extra=extra)
        value_kw: dict[str, Any] = {}  # the value's schema
        for key, value in node.items():
            if key in ("name", "in"):
                continue
            if key == "required" and isinstance(value, bool):
                kw["required"] = value
            elif key == "x-ms-url-encoding" and _str(value) and value and is_allowed(Parameter, "url_encoding", value):
                kw["url_encoding"] = value
            elif key in OWN_KEYWORDS and self._keyword(key, value, kw, where):
                continue
            elif not (key in SCHEMA_KEYWORDS and key not in OWN_KEYWORDS and self._keyword(key, value, value_kw, where)):
                extra[key] = value
                self.keep(where, key)
        if value_kw:
            kw["schema"] = Schema(**value_kw)
        return Parameter(**kw, extra=extra)

    def _shared_parameter(self, name: str) -> Parameter:
        if name not in self._parameters:
            node = self._params_doc[name]
            if not isinstance(node, dict) or "$ref" in node:
                raise Unsupported(pointer("parameters", name), "a shared parameter must be a parameter object.")
            self._parameters[name] = replace(self.parameter(node, pointer("parameters", name)), shared=name)
        return self._parameters[name]

    def response(self, status: str, node: Any, where: str) -> Response:
        if not isinstance(node, dict):
            raise Unsupported(where, "a response must be an object.")
        if not (status == "default" or (status.isdigit() and status.isascii())):
            raise Unsupported(where, f"the response key {json.dumps(status)} is not a status code or 'default'.")
        if "$ref" in node:
            ref = node["$ref"]
            if len(node) == 1 and _str(ref) and ref.startswith(RESPONSE_REF) and ref[len(RESPONSE_REF):] in \
                    self._responses_doc:
                return self._shared_response(ref[len(RESPONSE_REF):], status)
            raise Unsupported(where, f"the response reference {json.dumps(ref)} does not name an entry of the "
                                     "top-level responses (or has keys beside $ref).")
        if not _str(node.get("description")):
            raise Unsupported(where, "a response needs a string description (swagger 2.0 requires one).")
        key = ("response", status, json.dumps(node, ensure_ascii=False))
        return self._cached(key, where, lambda: self._read_response(status, node, where))

    def _read_response(self, status: str, node: dict, where: str) -> Response:
        kw: dict[str, Any] = {"status": status, "description": node["description"]}
        extra: dict[str, Any] = {}
        for key, value in node.items():
            if key == "description":
                continue
            if key == "schema" and isinstance(value, dict):
                kw["schema"] = self.schema(value, where + "/schema")
            else:
                extra[key] = value
                self.keep(where, key)
        return Response(**kw, extra=extra)

    def _shared_response(self, name: str, status: str) -> Response:
        base = self._responses.get(name)
        if base is None:
            if name in self._responses_reading:
                raise Unsupported(pointer("responses", name), "the shared response refers back to itself through "
                                  "$ref; give it a response object (a description and a schema).")
            self._responses_reading.add(name)
            try:
                base = replace(self.response(status, self._responses_doc[name], pointer("responses", name)),
                               shared=name)
            finally:
                self._responses_reading.discard(name)
            self._responses[name] = base
        return base if base.status == status else replace(base, status=status)

    # -- schemas ---------------------------------------------------------------------------------------------
    def _definition(self, name: str) -> Definition | None:
        """The Definition for ``#/definitions/<name>``; None while it is being read (a recursive reference)."""
        done = self._definitions.get(name)
        if done is not None:
            return done
        node = self._defs_doc.get(name)
        if name in self._busy or not isinstance(node, dict):
            return None
        self._busy.add(name)
        recording, self._recording = self._recording, []  # its notes belong to /definitions, not to the referrer
        try:
            schema = self.schema(node, pointer("definitions", name))
        finally:
            self._busy.discard(name)
            self._recording = recording
        definition = Definition(name=name, schema=schema)
        self._definitions[name] = definition
        return definition

    def schema(self, node: Any, where: str, name: str | None = None, required: bool = False) -> Schema:
        if not isinstance(node, dict):
            raise Unsupported(where, "a schema must be an object.")
        ref = node.get("$ref")
        if _str(ref) and ref.startswith(DEFINITION_REF) and len(node) == 1 and name is None:
            definition = self._definition(ref[len(DEFINITION_REF):])
            if definition is not None:
                return definition
        key = ("schema", name, required, json.dumps(node, ensure_ascii=False))
        return self._cached(key, where, lambda: self._read_schema(node, where, name, required))

    def _read_schema(self, node: dict, where: str, name: str | None, required: bool) -> Schema:
        kw: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        props = node.get("properties")
        has_fields = isinstance(props, dict) and all(isinstance(v, dict) for v in props.values())
        if has_fields:
            req = node.get("required")
            names = {r for r in req if _str(r)} if isinstance(req, list) else set()
            kw["properties"] = tuple(self.schema(v, where + pointer("properties", k), name=k, required=k in names)
                                     for k, v in props.items())
            if "required" in node and not (isinstance(req, list) and [k for k in props if k in names] == req):
                extra["required"] = req
                self.keep(where, "required")
        for key, value in node.items():
            if key == "$ref" and _str(value) and value.startswith(DEFINITION_REF):
                definition = self._definition(value[len(DEFINITION_REF):])
                if definition is not None:
                    kw["definition"] = definition
                else:
                    extra[key] = value
                    self.keep(where, key, "recursive" if value[len(DEFINITION_REF):] in self._busy else "verbatim")
            elif key in ("properties", "required") and has_fields:
                continue
            elif not (key in SCHEMA_KEYWORDS and self._keyword(key, value, kw, where)):
                extra[key] = value
                self.keep(where, key)
        if name is not None:
            return Field(**kw, name=name, required=required, extra=extra)
        return Schema(**kw, extra=extra)

    def _keyword(self, key: str, value: Any, kw: dict[str, Any], where: str) -> bool:
        """Map one schema keyword shared by parameters and schemas onto ``kw``; False: keep it verbatim."""
        if key in ("type", "format", "title", "description", "x-ms-summary", "x-ms-visibility"):
            if not _str(value) or not is_allowed(Schema, FIELDS["schema"][key], value):
                return False
            kw[FIELDS["schema"][key]] = value
        elif key == "enum":
            if not isinstance(value, list):
                return False
            kw["enum"] = tuple(value)
        elif key == "default":
            kw["default"] = value
        elif key == "items":
            if not isinstance(value, dict):
                return False
            kw["items"] = self.schema(value, where + "/items")
        elif key == "minItems":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return False
            kw["min_items"] = value
        elif key == "additionalProperties":
            if isinstance(value, bool):
                kw["additional_properties"] = value
            elif isinstance(value, dict):
                kw["additional_properties"] = self.schema(value, where + "/additionalProperties")
            else:
                return False
        elif key == "x-ms-dynamic-values":
            dropdown = self._dropdown(value, where + "/x-ms-dynamic-values")
            if dropdown is None:
                return False
            kw["dropdown"] = dropdown
        elif key == "x-ms-notification-url":
            if value is not True:
                return False
            kw["notification_url"] = True
        else:
            return False
        return True

    def _dropdown(self, value: Any, where: str) -> Dropdown | None:
        if not isinstance(value, dict) or not _str(value.get("operationId")):
            return None
        kw: dict[str, Any] = {"operation": value["operationId"]}
        extra: dict[str, Any] = {}
        names = {k: f for k, f in FIELDS["dropdown"].items() if f in ("collection", "value", "title")}
        for key, item in value.items():
            if key == "operationId":
                continue
            if key == "parameters" and isinstance(item, dict) and item:
                kw["args"] = {k: (Ref(v["parameter"]) if isinstance(v, dict) and list(v) == ["parameter"]
                                  and _str(v["parameter"]) else v) for k, v in item.items()}
            elif key in names and _str(item) and item:
                kw[names[key]] = item
            else:
                extra[key] = item
        dropdown = Dropdown(**kw, extra=extra)
        if not strict_equal(dynamic_values(dropdown), value):
            return None
        for key in extra:
            self.keep(where, key)
        return dropdown


def read_swagger(doc: Any) -> tuple[Connector, list[Kept]]:
    """The model of a swagger document and the list of what was kept (verbatim, or normalised)."""
    reader = SwaggerReader(doc)
    return reader.connector(), reader.kept


__all__ = ["Kept", "SwaggerReader", "Unsupported", "read_swagger", "UNSET"]
