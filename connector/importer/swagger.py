"""Read a swagger 2.0 document into the model: the inverse of ``connector.generate.swagger``.

Every key is either mapped onto a model field whose emission gives it back unchanged, or kept verbatim in the
``extra`` mapping of the node it sits on (``Kept`` records where). Where a mapping could lose something, the
reader asks the emitter for the candidate's output and keeps the original verbatim when the two differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..generate.swagger import (dynamic_list, dynamic_properties, dynamic_schema, dynamic_values, security_definition,
                              to_swagger, trigger_metadata)
from ..swaggerdoc import FIELDS, METHODS, merge_parameters, pointer
from ..model import (UNSET, ApiKey, BasicAuth, Connector, Contact, Definition, Dropdown, DynamicSchema, Imported,
                     OAuth2, Operation, Parameter, Ref, Response, Schema, TriggerMetadata)
from ..model.base import ModelError, is_allowed
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
    (a reference back into a definition being declared, kept as a ``$ref`` string) or ``unfit`` (an
    x-ms-dynamic-* / x-ms-trigger-metadata object whose shape the model's concept cannot write back, e.g. an
    ``x-ms-dynamic-list`` that disagrees with the ``x-ms-dynamic-values`` beside it: kept verbatim, ``why`` says
    what did not fit)."""

    pointer: str
    key: str
    how: str = "verbatim"
    why: str = ""  # for ``unfit``: why the extension could not be declared with the model's concept


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
        self._cache: dict[tuple, tuple[Any, list[tuple[str, str, str, str]]]] = {}
        self._recording: list[list[tuple[str, str, str, str]]] = []
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
    def keep(self, where: str, key: str, how: str = "verbatim", why: str = "") -> None:
        self.kept.append(Kept(where + pointer(key), key, how, why))
        for frame in self._recording:
            frame.append((where, key, how, why))

    def _cached(self, key: tuple, where: str, build) -> Any:
        """Identical JSON read in the same role gives the same model object (shared by reference)."""
        hit = self._cache.get(key)
        if hit is not None:
            obj, notes = hit
            for rel_where, k, how, why in notes:
                self.kept.append(Kept(where + rel_where + pointer(k), k, how, why))
                for frame in self._recording:
                    frame.append((where + rel_where, k, how, why))
            return obj
        frame: list[tuple[str, str, str, str]] = []
        self._recording.append(frame)
        try:
            obj = build()
        finally:
            self._recording.pop()
        self._cache[key] = (obj, [(w[len(where):], k, how, why) for w, k, how, why in frame])
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
            elif key == "x-ms-trigger-metadata" and self._trigger_metadata(value, node, where) is not None:
                kw["trigger_metadata"] = self._trigger_metadata(value, node, where)
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
        consumed = self._dynamic(node, value_kw, extra, where)
        for key, value in node.items():
            if key in ("name", "in") or key in consumed:
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
        consumed = self._dynamic(node, kw, extra, where)
        for key, value in node.items():
            if key in consumed:
                continue
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
        elif key == "x-ms-notification-url":
            if value is not True:
                return False
            kw["notification_url"] = True
        else:
            return False
        return True

    # -- dynamic values, lists and schemas -------------------------------------------------------------------
    def _dynamic(self, node: dict, kw: dict[str, Any], extra: dict[str, Any], where: str) -> set[str]:
        """Map the node's x-ms-dynamic-values / -list onto one ``Dropdown`` and its x-ms-dynamic-schema /
        -properties onto one ``DynamicSchema`` (into ``kw``); the keys consumed. An extension the concept cannot
        write back unchanged stays in the node's extra (``unfit``, with the reason)."""
        consumed: set[str] = set()
        for field_name, first, second, read in (
                ("dropdown", "x-ms-dynamic-values", "x-ms-dynamic-list", self._dropdown),
                ("dynamic_schema", "x-ms-dynamic-schema", "x-ms-dynamic-properties", self._dynamic_schema)):
            if first not in node and second not in node:
                continue
            obj, used, why = read(node.get(first), node.get(second))
            if obj is None:
                continue
            kw[field_name] = obj
            consumed |= used
            for key in (first, second):
                if key in node and key not in used:
                    extra[key] = node[key]
                    consumed.add(key)
                    self.keep(where, key, "unfit", why)
            extras = (("extra", first), ("list_extra", second)) if field_name == "dropdown" else \
                (("extra", first), ("properties_extra", second))
            for attr, key in extras:
                for extra_key in getattr(obj, attr):
                    self.keep(where + pointer(key), extra_key)
        return consumed

    @staticmethod
    def _split(value: Any, names: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], Any] | None:
        """(fields, extra, parameters) of an x-ms-dynamic-* object; ``names``: its keys -> model fields."""
        if not isinstance(value, dict) or not _str(value.get("operationId")) or not value["operationId"]:
            return None
        kw: dict[str, Any] = {"operation": value["operationId"]}
        extra: dict[str, Any] = {}
        params = None
        for key, item in value.items():
            if key == "operationId":
                continue
            if key == "parameters" and isinstance(item, dict) and item:
                params = item
            elif key in names and _str(item) and item:
                kw[names[key]] = item
            else:
                extra[key] = item
        return kw, extra, params

    @staticmethod
    def _values_args(params: dict | None) -> dict[str, Any]:
        return {k: (Ref(v["parameter"]) if isinstance(v, dict) and list(v) == ["parameter"] and _str(v["parameter"])
                    and v["parameter"] else v) for k, v in (params or {}).items()}

    @staticmethod
    def _list_args(params: dict | None) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for k, v in (params or {}).items():
            if isinstance(v, dict) and list(v) == ["value"]:
                out[k] = v["value"]
            elif isinstance(v, dict) and list(v) == ["parameterReference"] and _str(v["parameterReference"]) \
                    and v["parameterReference"]:
                out[k] = Ref(v["parameterReference"])
            else:
                return None
        return out

    @staticmethod
    def _merge_args(values: dict | None, listed: dict | None) -> tuple[dict[str, Any] | None, str]:
        """One ``args`` from the two spellings of the same arguments; None (and why) when they disagree."""
        values, listed = values or {}, listed or {}
        if list(values) != list(listed) and set(values) != set(listed):
            return None, (f"the two pass different arguments ({', '.join(sorted(values)) or 'none'} / "
                          f"{', '.join(sorted(listed)) or 'none'})")
        out: dict[str, Any] = {}
        for name, v in values.items():
            other = listed[name]
            if isinstance(v, dict) and list(v) == ["parameter"] and _str(v["parameter"]) and v["parameter"] \
                    and isinstance(other, dict) and list(other) == ["parameterReference"] \
                    and _str(other["parameterReference"]) and other["parameterReference"]:
                ref = other["parameterReference"]
                out[name] = Ref(v["parameter"], None if ref == v["parameter"] else ref)
            elif isinstance(other, dict) and list(other) == ["value"] and strict_equal(other["value"], v) \
                    and not (isinstance(v, dict) and list(v) == ["parameter"]):
                out[name] = v
            else:
                return None, f"argument '{name}' is {json.dumps(v)} in one and {json.dumps(other)} in the other"
        return out, ""

    def _dropdown(self, dv: Any, dl: Any) -> tuple[Dropdown | None, set[str], str]:
        """A Dropdown for x-ms-dynamic-values ``dv`` and x-ms-dynamic-list ``dl`` (either may be None), the keys
        it writes back unchanged, and why the other one (if any) does not fit."""
        values_names = {k: f for k, f in FIELDS["dropdown"].items() if f in ("collection", "value", "title")}
        list_names = {k: f for k, f in FIELDS["dynamic_list"].items() if f in ("collection", "value", "title")}
        why = ""
        if dv is not None and dl is not None:
            a, b = self._split(dv, values_names), self._split(dl, list_names)
            if a is None or b is None:
                why = "one of them has no operationId"
            elif a[0] != b[0]:
                why = ("they call different operations or read different paths of the answer "
                       f"({json.dumps(a[0], sort_keys=True)} / {json.dumps(b[0], sort_keys=True)})")
            else:
                args, why = self._merge_args(a[2], b[2])
                if args is not None:
                    for emit in ("auto", "both"):
                        try:
                            dd = Dropdown(**a[0], args=args, emit=emit, extra=a[1], list_extra=b[1])
                        except ModelError as exc:
                            why = str(exc)
                            continue
                        if dd.emits_list and strict_equal(dynamic_values(dd), dv) \
                                and strict_equal(dynamic_list(dd), dl):
                            return dd, {"x-ms-dynamic-values", "x-ms-dynamic-list"}, ""
                    else:
                        why = why or "a Dropdown declaring both does not write them back unchanged"
        if dv is not None:
            a = self._split(dv, values_names)
            if a is not None:
                dd = self._try(lambda: Dropdown(**a[0], args=self._values_args(a[2]), extra=a[1]), dynamic_values, dv)
                if dd is not None and not dd.emits_list:
                    return dd, {"x-ms-dynamic-values"}, why
            return None, set(), why
        b = self._split(dl, list_names)
        args = self._list_args(b[2]) if b is not None else None
        if b is None or args is None:
            return None, set(), ""
        dd = self._try(lambda: Dropdown(**b[0], args=args, emit="list", list_extra=b[1]), dynamic_list, dl)
        return (dd, {"x-ms-dynamic-list"}, "") if dd is not None else (None, set(), "")

    def _dynamic_schema(self, ds: Any, dp: Any) -> tuple[DynamicSchema | None, set[str], str]:
        """A DynamicSchema for x-ms-dynamic-schema ``ds`` and x-ms-dynamic-properties ``dp`` (as ``_dropdown``)."""
        schema_names = {"value-path": "value_path"}
        props_names = {"itemValuePath": "value_path"}
        why = ""
        if ds is not None and dp is not None:
            a, b = self._split(ds, schema_names), self._split(dp, props_names)
            if a is None or b is None:
                why = "one of them has no operationId"
            elif a[0]["operation"] != b[0]["operation"]:
                why = f"they call different operations ({a[0]['operation']} / {b[0]['operation']})"
            else:
                args, why = self._merge_args(a[2], b[2])
                if args is not None:
                    try:
                        both = DynamicSchema(**a[0], args=args, emit="both", extra=a[1], properties_extra=b[1])
                    except ModelError as exc:
                        why, both = str(exc), None
                    if both is not None and strict_equal(dynamic_schema(both), ds) \
                            and strict_equal(dynamic_properties(both), dp):
                        return both, {"x-ms-dynamic-schema", "x-ms-dynamic-properties"}, ""
                    if both is not None:
                        why = (f"itemValuePath {json.dumps(dp.get('itemValuePath'))} is not value-path "
                               f"{json.dumps(ds.get('value-path'))} without a trailing 'properties'")
        if ds is not None:
            a = self._split(ds, schema_names)
            if a is None:
                return None, set(), why
            found = self._try(lambda: DynamicSchema(**a[0], args=self._values_args(a[2]), extra=a[1]),
                              dynamic_schema, ds)
            return (found, {"x-ms-dynamic-schema"}, why) if found is not None else (None, set(), why)
        b = self._split(dp, props_names)
        args = self._list_args(b[2]) if b is not None else None
        if b is None or args is None:
            return None, set(), ""
        path = b[0].get("value_path")
        if path is not None and (path == "properties" or path.endswith("/properties")):
            b[0]["value_path"] = path + "/properties"  # itemValuePath is value_path without one trailing 'properties'
        found = self._try(lambda: DynamicSchema(**b[0], args=args, emit="properties", properties_extra=b[1]),
                          dynamic_properties, dp)
        return (found, {"x-ms-dynamic-properties"}, "") if found is not None else (None, set(), "")

    @staticmethod
    def _try(build, emit, original: Any) -> Any:
        """``build()`` when it succeeds and ``emit`` gives ``original`` back; else None."""
        try:
            obj = build()
        except ModelError:
            return None
        return obj if strict_equal(emit(obj), original) else None

    def _trigger_metadata(self, value: Any, node: dict, where: str) -> TriggerMetadata | None:
        if not isinstance(value, dict) or node.get("x-ms-trigger") not in ("single", "batch"):
            return None
        found = self._try(lambda: TriggerMetadata(kind=value.get("kind"), mode=value.get("mode"),
                                                  extra={k: v for k, v in value.items() if k not in ("kind", "mode")}),
                          trigger_metadata, value)
        return found


def read_swagger(doc: Any) -> tuple[Connector, list[Kept]]:
    """The model of a swagger document and the list of what was kept (verbatim, or normalised)."""
    reader = SwaggerReader(doc)
    return reader.connector(), reader.kept


__all__ = ["Kept", "SwaggerReader", "Unsupported", "read_swagger", "UNSET"]
