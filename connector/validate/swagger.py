"""Checks for apiDefinition.swagger.json: Swagger 2.0 structure plus every certification rule of
certification.md section 1. Input may be any JSON value; every access is type-guarded, so broken documents
produce findings, never exceptions."""

from __future__ import annotations

import re
from typing import Any

from ..swaggerdoc import METHODS, pointer, ref_cycle, resolve_ref
from .findings import Reporter
from .structure import schema_errors
from .textutil import closest
from .textutil import show

SWAGGER_SCHEMA = "swagger-2.0.schema.json"

CATEGORIES = {
    "AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
    "Content and Files", "Data", "Finance", "Human Resources", "Internet of Things", "IT Operations",
    "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security", "Social Media",
    "Website",
}
FORMATS = {"int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "password", "date-no-tz",
           "email", "html", "uri", "uuid"}
MIME_TYPES = {"application/json", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded"}
VISIBILITY = {"important", "advanced", "internal"}
# extensions in Microsoft's apiDefinition schema
KNOWN_XMS = {
    "x-ms-api-annotation", "x-ms-capabilities", "x-ms-connector-metadata", "x-ms-deployment-version", "x-ms-docs",
    "x-ms-dynamic-list", "x-ms-dynamic-properties", "x-ms-dynamic-schema", "x-ms-dynamic-tree",
    "x-ms-dynamic-values", "x-ms-enum", "x-ms-enum-values", "x-ms-localizeDefaultValue", "x-ms-media-kind",
    "x-ms-no-generic-test", "x-ms-notification", "x-ms-notification-content", "x-ms-notification-url",
    "x-ms-operation-context", "x-ms-pageable", "x-ms-parameter-location", "x-ms-safe-operation",
    "x-ms-skip-url-encoding", "x-ms-summary", "x-ms-test-value", "x-ms-trigger", "x-ms-trigger-hint",
    "x-ms-trigger-metadata", "x-ms-trigger-value", "x-ms-url-encoding", "x-ms-visibility",
}
# used by published connectors and accepted by the platform, although the schema does not list them
TOLERATED_XMS = {"x-ms-openai-data", "x-ms-require-user-confirmation", "x-ms-openai-manifest", "x-ms-apihub-obo",
                 "x-ms-apihub-cached-response", "x-ms-keywords", "x-ms-editor", "x-ms-editor-options",
                 "x-ms-property-name-alias", "x-ms-explicit-only", "x-ms-sort", "x-ms-dynamic-tree-settings"}
ALL_XMS = sorted(KNOWN_XMS | TOLERATED_XMS)
NO_DESCEND = {"example", "examples", "x-ms-test-value", "default", "enum", "x-connector-suppress"}
TITLE_RESTRICTED = re.compile(r"\b(api|connector|power\s*apps|power\s*automate|power\s*platform|logic\s*apps|"
                              r"power\s*bi|power\s*virtual\s*agents|copilot\s*studio|dataverse)\b", re.I)
DESC_RESTRICTED = re.compile(r"\b(power\s*apps|power\s*automate|logic\s*apps)\b", re.I)
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
HOST = re.compile(r"^[^{}/ :\\]+(?::\d+)?$")
NONPROD_HOST = re.compile(r"(^|[.-])(staging|stage|dev|test|sandbox|localhost|qa|uat)([.-]|$)", re.I)
OPID_STYLE = re.compile(r"^[A-Z][A-Za-z0-9]*(_V\d+)?$")
SUMMARY_BAD = re.compile(r"[/\\<>*%&?]")
TEMPLATE_VAR = re.compile(r"\{([^{}]*)\}")


def _d(x: Any) -> dict:
    return x if isinstance(x, dict) else {}


def _l(x: Any) -> list:
    return x if isinstance(x, list) else []


def _s(x: Any) -> str:
    return x if isinstance(x, str) else ""


def _type_ok(value: Any, typ: str) -> bool:
    if typ == "string":
        return isinstance(value, str)
    if typ == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    if typ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == "boolean":
        return isinstance(value, bool)
    if typ == "array":
        return isinstance(value, list)
    if typ == "object":
        return isinstance(value, dict)
    return True  # file, null or unknown types: the structure check speaks about those


def default_problem(node: dict) -> str | None:
    """Why node['default'] does not fit node's type/enum (openapi-spec-validator checks the same), else None."""
    if "default" not in node:
        return None
    value = node["default"]
    typ = node.get("type")
    if value is None:
        if node.get("x-nullable") is True or typ is None:
            return None
        return f"default is null but the type is {show(typ)} and x-nullable is not true"
    if isinstance(typ, str) and not _type_ok(value, typ):
        return f"default {show(value)} is not of type {show(typ)}"
    enum = node.get("enum")
    if isinstance(enum, list) and enum and isinstance(typ, str) and not any(
            value == e and type(value) is type(e) or (typ == "number" and value == e) for e in enum):
        return f"default {show(value)} is not one of the enum values"
    return None


class SwaggerChecker:
    def __init__(self, rep: Reporter, data: Any, size: int = 0):
        self.rep = rep
        self.data = data
        self.size = size
        self.op_ids: dict[str, str] = {}  # operationId -> pointer of the operation
        self.ops: list[tuple[str, str, dict, dict]] = []  # (path, method, operation, path item)
        self.cycles: set[frozenset] = set()  # $ref loops already reported
        self.static_seen: set[int] = set()  # schema nodes whose operation-independent checks have run
        self.has_dynamic = False  # x-ms-dynamic-* or x-ms-notification-url anywhere (found by walk_document)
        self.list_missing_seen: set = set()  # pointers PP1078 was reported at

    # -- helpers -------------------------------------------------------------------------------------------------
    def report(self, rule: str, ptr: str, message: str, fix: str | None = None) -> None:
        self.rep.report(rule, ptr, message, fix)

    def lookup(self, ref: str) -> Any:
        """The node a local '#/...' reference points at, or None."""
        return resolve_ref(self.data, ref)

    def resolve(self, node: Any, ptr: str) -> tuple[Any, str]:
        """Follow $ref chains; returns (node, pointer of the node actually holding the content)."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return None, ptr
            seen.add(ref)
            target = self.lookup(ref)
            if target is None:
                return None, ptr
            node, ptr = target, ref[1:] if ref.startswith("#/") else ""
        return node, ptr

    # -- entry ---------------------------------------------------------------------------------------------------
    def run(self) -> None:
        data = self.data
        if not isinstance(data, dict):
            self.report("PP1001", "", f"the document must be a JSON object, not {type(data).__name__}")
            return
        if data.get("swagger") != "2.0":
            if "openapi" in data:
                self.report("PP1002", "/openapi", f"this is an OpenAPI {data.get('openapi')!s} document; "
                            "custom connectors need Swagger 2.0")
                return
            self.report("PP1002", "/swagger" if "swagger" in data else "",
                        f"swagger must be \"2.0\", not {show(data.get('swagger'))}" if "swagger" in data
                        else "the document has no swagger key; it must say \"swagger\": \"2.0\"")
        if self.size > 1024 * 1024:
            self.report("PP1008", "", f"the file is {self.size} bytes; the limit is 1 MB (1048576 bytes)")
        start = len(self.rep.findings)
        for ptr, msg in schema_errors(SWAGGER_SCHEMA, data):
            self.report("PP1001", ptr, msg)
        self.walk_document()
        self.check_connector()
        self.collect_operations()
        self.check_paths()
        for path, method, op, item in self.ops:
            self.check_operation(path, method, op, item)
        self.check_families()
        self.check_webhook_delete()
        # one finding per problem: where a certification rule already speaks about a place (PP1037 for an empty
        # responses object, PP1024 for a scheme...), the schema's view of the same place adds nothing
        mine = self.rep.findings[start:]
        spoken = {f.pointer for f in mine if f.rule != "PP1001"}
        spoken |= {p.rsplit("/", 1)[0] for p in spoken if p}
        self.rep.findings[start:] = [f for f in mine if f.rule != "PP1001" or f.pointer not in spoken]

    # -- whole-document walk: $refs and x-ms-* spelling ----------------------------------------------------------
    def walk_document(self) -> None:
        """Every $ref and x-ms-* key of the document, in one pass with an explicit stack. A node's place is kept
        as a link (parent link, key) and spelled out as a pointer only for a finding."""
        checked: dict[str, bool] = {}  # $ref text -> fine (each distinct reference is resolved once)
        data = self.data
        stack: list[tuple[Any, tuple | None]] = [(data, None)]
        while stack:
            node, link = stack.pop()
            if isinstance(node, dict):
                name_map = link is not None and (
                    link[1] in ("properties", "definitions", "paths", "securityDefinitions")
                    or (link[0] is None and link[1] in ("parameters", "responses")))
                for key, value in node.items():
                    if not name_map:
                        if key == "$ref" and isinstance(value, str):
                            if not checked.get(value):
                                checked[value] = self.check_ref(value, _spell(link, key))
                        elif isinstance(key, str) and key.startswith("x-ms-"):
                            if key.startswith("x-ms-dynamic-") or key == "x-ms-notification-url":
                                self.has_dynamic = True
                            if key not in KNOWN_XMS:
                                self.check_xms_key(key, _spell(link, key))
                        if key in NO_DESCEND:
                            continue
                    if isinstance(value, (dict, list)):
                        stack.append((value, (link, key)))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    if isinstance(value, (dict, list)):
                        stack.append((value, (link, i)))

    def check_ref(self, ref: str, ptr: str) -> bool:
        """Reports a reference that does not resolve or that loops; True when it is fine."""
        if not ref.startswith(("#/definitions/", "#/parameters/", "#/responses/")):
            self.report("PP1003", ptr, f"$ref {show(ref)} is not a local #/definitions/, #/parameters/ or #/responses/ "
                        "reference; custom connectors cannot load other files")
            return False
        elif self.lookup(ref) is None:
            self.report("PP1003", ptr, f"$ref {show(ref)} points at nothing in this document")
            return False
        else:
            loop = ref_cycle(self.data, ref)
            if loop:
                members = loop[loop.index(loop[-1]):]
                key = frozenset(members)
                if key not in self.cycles:
                    self.cycles.add(key)
                    self.report("PP1009", ptr, "$ref chain " + " -> ".join(members) + " loops back without ever "
                                "reaching a schema, parameter or response")
                return False
        return True

    def check_xms_key(self, key: str, ptr: str) -> None:
        if key in KNOWN_XMS or key in TOLERATED_XMS:
            return
        near = closest(key, ALL_XMS, max_distance=2)
        if near:
            self.report("PP1070", ptr, f"{show(key)} looks like a misspelling of {show(near)}", f"Rename it to {near}.")
        else:
            self.report("PP1071", ptr, f"{show(key)} is not a known x-ms extension")

    # -- connector level ----------------------------------------------------------------------------------------
    def check_connector(self) -> None:
        data = self.data
        info = _d(data.get("info"))
        title = _s(info.get("title")).strip() if "title" in info else ""
        if not title:
            self.report("PP1010", "/info/title" if "title" in info else "/info", "info.title is missing or empty")
        else:
            raw = _s(info.get("title"))
            if len(raw) > 30:
                self.report("PP1011", "/info/title", f"info.title is {len(raw)} characters long; the limit is 30")
            m = TITLE_RESTRICTED.search(raw)
            if m:
                self.report("PP1012", "/info/title", f"info.title contains the restricted word {show(m.group(0))}")
            if not raw[-1:].isalnum():
                self.report("PP1013", "/info/title", f"info.title ends with {show(raw[-1:])}, not a letter or digit")
        desc = info.get("description")
        if not isinstance(desc, str) or not 30 <= len(desc) <= 500:
            n = len(desc) if isinstance(desc, str) else 0
            self.report("PP1014", "/info/description" if "description" in info else "/info",
                        f"info.description is {n} characters long; it must be 30-500")
        if isinstance(desc, str):
            m = DESC_RESTRICTED.search(desc)
            if m:
                self.report("PP1015", "/info/description", f"info.description names {show(m.group(0))}")
        contact = info.get("contact")
        if not isinstance(contact, dict):
            self.report("PP1016", "/info", "info.contact is missing")
        else:
            email = contact.get("email")
            if email is None or not isinstance(email, str) or not email.isascii() or not EMAIL.match(email):
                self.report("PP1017", "/info/contact/email" if "email" in contact else "/info/contact",
                            f"info.contact.email {show(email)} is not a valid ASCII e-mail address"
                            if isinstance(email, str) else "info.contact has no email address"
                            if email is None else f"info.contact.email must be a string, not {show(email)}")
        self.check_metadata()
        self.check_host()
        ann = info.get("x-ms-api-annotation")
        if isinstance(ann, dict) and "status" in ann and ann.get("status") not in ("Production", "Preview"):
            self.report("PP1092", "/info/x-ms-api-annotation/status",
                        f"status {show(ann.get('status'))} is not Production or Preview")
        self.check_consumes(data.get("consumes"), "/consumes")
        self.check_security(data.get("security"), "/security")

    def check_metadata(self) -> None:
        meta = self.data.get("x-ms-connector-metadata")
        if not isinstance(meta, list):
            self.report("PP1018", "/x-ms-connector-metadata" if "x-ms-connector-metadata" in self.data else "",
                        "x-ms-connector-metadata is missing or not an array")
            return
        found: dict[str, tuple[str, Any]] = {}
        for i, entry in enumerate(meta):
            e = _d(entry)
            name = e.get("propertyName")
            if isinstance(name, str):
                found[name] = (pointer("x-ms-connector-metadata", i, "propertyValue"), e.get("propertyValue"))
        missing = [n for n in ("Website", "Privacy policy", "Categories") if n not in found]
        if missing:
            self.report("PP1018", "/x-ms-connector-metadata",
                        f"x-ms-connector-metadata lacks {', '.join(missing)}")
        for name in ("Website", "Privacy policy"):
            if name in found:
                ptr, value = found[name]
                if not isinstance(value, str) or not URL.match(value.strip()):
                    self.report("PP1019", ptr, f"{name} value {show(value)} is not an http(s) URL")
        if "Categories" in found:
            ptr, value = found["Categories"]
            cats = [c.strip() for c in _s(value).split(";") if c.strip()]
            if not cats:
                self.report("PP1020", ptr, "Categories is empty")
            if len(cats) > 2:
                self.report("PP1020", ptr, f"Categories has {len(cats)} entries; at most 2 are allowed")
            for c in cats:
                if c not in CATEGORIES:
                    near = closest(c, sorted(CATEGORIES), max_distance=3)
                    self.report("PP1020", ptr, f"category {show(c)} is not allowed" + (f" (did you mean {show(near)}?)" if near else ""))

    def check_host(self) -> None:
        data = self.data
        host = data.get("host")
        if not isinstance(host, str) or not HOST.match(host):
            self.report("PP1021", "/host" if "host" in data else "",
                        f"host {show(host)} is not a bare host name" if "host" in data else "host is missing")
        elif NONPROD_HOST.search(host.split(":")[0]):
            self.report("PP1022", "/host", f"host {show(host)} looks like a non-production host")
        if "basePath" in data and not _s(data.get("basePath")).startswith("/"):
            self.report("PP1023", "/basePath", f"basePath {show(data.get('basePath'))} does not start with '/'")
        schemes = data.get("schemes")
        if not isinstance(schemes, list) or not schemes:
            self.report("PP1024", "/schemes" if "schemes" in data else "", "schemes is missing or empty")
        else:
            for i, s in enumerate(schemes):
                if s not in ("http", "https"):
                    self.report("PP1024", pointer("schemes", i), f"scheme {show(s)} is not supported (use https)")

    def check_consumes(self, consumes: Any, ptr: str) -> None:
        if isinstance(consumes, list) and consumes:
            types = {_s(c).split(";")[0].strip().lower() for c in consumes}
            if not types & MIME_TYPES:
                self.report("PP1044", ptr, f"consumes {show(consumes)} has no supported MIME type")

    def check_security(self, security: Any, ptr: str) -> None:
        defs = _d(self.data.get("securityDefinitions"))
        for i, req in enumerate(_l(security)):
            for name in _d(req):
                if name not in defs:
                    self.report("PP1025", pointer(*ptr[1:].split("/"), i, name) if ptr else "",
                                f"security requirement {show(name)} is not defined in securityDefinitions")

    # -- paths ---------------------------------------------------------------------------------------------------
    def collect_operations(self) -> None:
        for path, item in _d(self.data.get("paths")).items():
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    self.ops.append((path, method, op, item))
                    oid = op.get("operationId")
                    if isinstance(oid, str) and oid:
                        optr = pointer("paths", path, method, "operationId")
                        if oid in self.op_ids:
                            self.report("PP1005", optr, f"operationId {show(oid)} is already used at {self.op_ids[oid]}")
                        else:
                            self.op_ids[oid] = pointer("paths", path, method)

    def check_paths(self) -> None:
        seen: dict[str, str] = {}
        for path in _d(self.data.get("paths")):
            ptr = pointer("paths", path)
            if path.startswith("x-"):
                continue
            if not path.startswith("/") or any(c in path for c in "?#*"):
                self.report("PP1043", ptr, f"path {show(path)} must start with '/' and contain no '?', '#' or '*'")
            norm = TEMPLATE_VAR.sub("{}", path).lower().rstrip("/")
            if norm in seen:
                self.report("PP1042", ptr, f"path {show(path)} duplicates {show(seen[norm])} (case-insensitive, "
                            "ignoring parameter names)")
            else:
                seen[norm] = path

    # -- operations ----------------------------------------------------------------------------------------------
    def params_of(self, path: str, method: str, op: dict, item: dict) -> list[tuple[dict, str, str]]:
        """Effective parameters (resolved node, pointer of use, pointer of content); operation-level entries
        override path-level ones with the same (name, in). Duplicates within one list are reported."""
        result: dict[tuple, tuple[dict, str, str]] = {}
        for level, owner in (("item", item), ("op", op)):
            seen = set()
            base = ("paths", path) if level == "item" else ("paths", path, method)
            for i, raw in enumerate(_l(owner.get("parameters"))):
                use_ptr = pointer(*base, "parameters", i)
                node, content_ptr = self.resolve(raw, use_ptr)
                if not isinstance(node, dict):
                    continue
                key = (node.get("name"), node.get("in"))
                if not isinstance(key[0], str) or not isinstance(key[1], str):
                    continue
                if key in seen:
                    self.report("PP1006", use_ptr, f"parameter {show(key[0])} in {key[1]} is declared twice")
                seen.add(key)
                result[key] = (node, use_ptr, content_ptr)
        return list(result.values())

    def check_operation(self, path: str, method: str, op: dict, item: dict) -> None:
        optr = pointer("paths", path, method)
        oid = op.get("operationId")
        label = oid if isinstance(oid, str) and oid else f"{method.upper()} {path}"
        if not isinstance(oid, str) or not oid:
            self.report("PP1030", optr, f"{method.upper()} {path} has no operationId")
        elif not OPID_STYLE.match(oid):
            self.report("PP1031", optr + "/operationId", f"operationId {show(oid)} is not PascalCase letters and digits")
        summary = op.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            self.report("PP1032", optr, f"operation {label} has no summary")
        else:
            if len(summary) > 80:
                self.report("PP1033", optr + "/summary", f"summary is {len(summary)} characters long; the limit is 80")
            bad = SUMMARY_BAD.search(summary)
            if bad:
                self.report("PP1034", optr + "/summary", f"summary contains {show(bad.group(0))}")
            elif not (summary[-1:].isalnum() or summary.endswith(")")):
                self.report("PP1034", optr + "/summary", f"summary ends with {show(summary[-1:])}")
        desc = op.get("description")
        if not isinstance(desc, str) or not desc.strip():
            self.report("PP1035", optr, f"operation {label} has no description")
        elif isinstance(summary, str) and desc.strip().rstrip(".").lower() == summary.strip().rstrip(".").lower():
            self.report("PP1036", optr + "/description", "description repeats the summary")
        self.check_responses(op, optr, label)
        self.check_consumes(op.get("consumes"), optr + "/consumes")
        self.check_security(op.get("security"), optr + "/security")
        self.check_extensions(op, optr, item, path)
        params = self.params_of(path, method, op, item)
        self.check_parameters(path, method, op, item, optr, label, params)

    def check_responses(self, op: dict, optr: str, label: str) -> None:
        responses = op.get("responses")
        if not isinstance(responses, dict) or not [k for k in responses if not str(k).startswith("x-")]:
            self.report("PP1037", optr + ("/responses" if "responses" in op else ""), f"operation {label} has no responses")
            return
        codes = [k for k in responses if not k.startswith("x-")]
        if not any(k.startswith("2") for k in codes):
            self.report("PP1038", optr + "/responses", f"operation {label} has no 2xx response")
        with_schema = []
        for code in codes:
            resp, _ = self.resolve(responses[code], "")
            if isinstance(resp, dict) and "schema" in resp:
                with_schema.append(code)
                if code == "default":
                    self.report("PP1039", optr + "/responses/default/schema", "the default response has a schema")
        if len(with_schema) > 1:
            self.report("PP1040", optr + "/responses",
                        f"responses {', '.join(with_schema)} all carry a schema; only one may")

    def check_extensions(self, op: dict, optr: str, item: dict, path: str) -> None:
        if "x-ms-trigger" in op and op.get("x-ms-trigger") not in ("single", "batch"):
            self.report("PP1072", optr + "/x-ms-trigger", f"x-ms-trigger {show(op.get('x-ms-trigger'))} is not single or batch")
        pageable = op.get("x-ms-pageable")
        if isinstance(pageable, dict) and pageable.get("nextLinkName") not in ("nextLink", "@odata.nextLink"):
            self.report("PP1073", optr + "/x-ms-pageable", f"nextLinkName {show(pageable.get('nextLinkName'))} is not "
                        "nextLink or @odata.nextLink")
        notif = op.get("x-ms-notification")
        if isinstance(notif, dict):
            target = notif.get("operationId")
            if not isinstance(target, str) or target not in self.op_ids:
                self.report("PP1075", optr + "/x-ms-notification", f"x-ms-notification names operation {show(target)}, "
                            "which does not exist")
        ann = op.get("x-ms-api-annotation")
        if isinstance(ann, dict):
            aptr = optr + "/x-ms-api-annotation"
            if "replacement" in ann:
                if op.get("deprecated") is not True:
                    self.report("PP1090", aptr + "/replacement", "replacement is set but the operation is not deprecated")
                rep = _d(ann.get("replacement"))
                if not (isinstance(rep.get("api"), str) and isinstance(rep.get("operationId"), str)):
                    self.report("PP1091", aptr + "/replacement", "replacement needs both api and operationId")
            status = ann.get("status")
            if "status" in ann and status not in ("Production", "Preview"):
                self.report("PP1092", aptr + "/status", f"status {show(status)} is not Production or Preview")
            conn = _d(_d(self.data.get("info")).get("x-ms-api-annotation")).get("status")
            if status == "Production" and conn == "Preview":
                self.report("PP1092", aptr + "/status", "the operation is Production but the connector is Preview")

    def check_parameters(self, path, method, op, item, optr, label, params) -> None:
        names = {p.get("name") for p, _, _ in params}
        body_names = set(names)
        bodies = [p for p, _, _ in params if p.get("in") == "body"]
        self.parameter_names = set(names)
        self.reference_paths = set(names)  # what a parameterReference may name: a parameter or a path into one
        for b in bodies:
            self.collect_property_names(b.get("schema"), body_names)
            self.collect_property_paths(b.get("schema"), str(b.get("name")) + "/", self.reference_paths)
        forms = [p for p, _, _ in params if p.get("in") == "formData"]
        if len(bodies) > 1 or (bodies and forms):
            self.report("PP1056", optr, f"operation {label} has {len(bodies)} body and {len(forms)} formData parameters")
        if method in ("get", "head") and (bodies or forms):
            self.report("PP1041", optr, f"{method.upper()} operation {label} takes a body or formData parameter")
        template = set(TEMPLATE_VAR.findall(path))
        declared = {p.get("name") for p, _, _ in params if p.get("in") == "path"}
        for var in sorted(template - declared):
            self.report("PP1004", pointer("paths", path), f"{{{var}}} in the path has no path parameter in {method.upper()}")
        self.notification_urls = []
        op_internal = op.get("x-ms-visibility") == "internal"
        for node, use_ptr, cptr in params:
            name = node.get("name")
            where = node.get("in")
            if where == "path" and name not in template:
                self.report("PP1004", use_ptr, f"path parameter {show(name)} does not appear in the path {show(path)}")
            # Labels are for what users see. The body parameter is a wrapper (the designer shows its
            # properties), internal parameters and the parameters of internal operations are never shown.
            unseen = where == "body" or node.get("x-ms-visibility") == "internal" or op_internal
            if "x-ms-summary" not in node and not unseen:
                self.report("PP1050", cptr, f"parameter {show(name)} of {label} has no x-ms-summary, the label users "
                            "see in the designer")
            if not _s(node.get("description")).strip() and not unseen:
                self.report("PP1051", cptr, f"parameter {show(name)} of {label} has no description")
            if where == "path":
                if node.get("required") is not True:
                    self.report("PP1052", cptr, f"path parameter {show(name)} is not required: true")
                if "x-ms-url-encoding" not in node:
                    self.report("PP1053", cptr, f"path parameter {show(name)} has no x-ms-url-encoding")
            elif "x-ms-url-encoding" in node:
                self.report("PP1054", cptr + "/x-ms-url-encoding", f"{where} parameter {show(name)} sets x-ms-url-encoding")
            if name == "connectionId":
                self.report("PP1055", cptr + "/name", "the parameter name connectionId is reserved")
            if where == "body":
                if "x-ms-dynamic-schema" in node:
                    self.report("PP1077", cptr + "/x-ms-dynamic-schema", "x-ms-dynamic-schema belongs in the body's schema")
                chain = [(node.get("required") is True, node.get("x-ms-visibility") == "internal", name)]
                self.walk_schema(node.get("schema"), cptr + "/schema", op, label, body_names, chain)
            else:
                self.check_value_node(node, cptr, op, label, body_names, required=node.get("required") is True,
                                      what=f"parameter {show(name)}")
                items = node.get("items")
                if isinstance(items, dict):
                    self.check_value_node(items, cptr + "/items", op, label, body_names, required=False, what="the array's items")
        for code, resp in _d(op.get("responses")).items():
            resp, rptr = self.resolve(resp, pointer("paths", path, method, "responses", code))
            if isinstance(resp, dict) and "schema" in resp:
                self.walk_schema(resp.get("schema"), rptr + "/schema", op, label, body_names, None)
        content = _d(item.get("x-ms-notification-content")) if isinstance(op.get("x-ms-trigger"), str) else {}
        if self.has_dynamic and "schema" in content:  # the webhook payload's dynamic schemas name the trigger's parameters
            self.check_dynamic_below(content["schema"], pointer("paths", path, "x-ms-notification-content", "schema"),
                                     body_names, label)
        if isinstance(op.get("x-ms-trigger"), str) and method != "get":
            self.check_webhook(path, method, op, item, optr, label, bodies)

    def collect_property_names(self, schema: Any, out: set) -> None:
        """Every property name below ``schema`` (any depth) and its dotted path from the body's root
        (``connections.providerReferenceId``), for dynamic-value references into a body: the platform resolves
        both, and so does the model's declaration check."""
        stack, seen = [(schema, "")], set()
        while stack:
            raw, prefix = stack.pop()
            node, _ = self.resolve(raw, "")
            if not isinstance(node, dict) or (id(node), prefix) in seen or prefix.count(".") > 32:
                continue
            seen.add((id(node), prefix))
            for k, v in _d(node.get("properties")).items():
                out.add(k)
                out.add(prefix + k)
                stack.append((v, prefix + k + "."))
            if "items" in node:
                stack.append((node["items"], prefix))

    def collect_property_paths(self, schema: Any, root: str, out: set) -> None:
        """Every property path below ``schema``, slash-separated after ``root`` (``body/client/id``): what an
        x-ms-dynamic-list / -properties parameterReference may name inside a body (array items keep their array's
        path), as the model's declaration check reads it."""
        stack, seen = [(schema, root)], set()
        while stack:
            raw, prefix = stack.pop()
            node, _ = self.resolve(raw, "")
            if not isinstance(node, dict) or (id(node), prefix) in seen or prefix.count("/") > 33:
                continue
            seen.add((id(node), prefix))
            for k, v in _d(node.get("properties")).items():
                out.add(prefix + k)
                stack.append((v, prefix + k + "/"))
            if "items" in node:
                stack.append((node["items"], prefix))

    reference_paths: set = set()

    def filled_by_platform(self, node: dict) -> bool:
        """True for values nobody types and nobody needs a default for: the webhook callback URL (the platform
        fills it) and objects whose own properties carry the defaults (each checked on its own)."""
        node, _ = self.resolve(node, "")
        if not isinstance(node, dict):
            return False
        if node.get("x-ms-notification-url") is True:
            return True
        props = _d(node.get("properties"))
        if node.get("type", "object") == "object" and props:
            return True
        return False

    def check_value_node(self, node: dict, ptr: str, op: dict, label: str, names: set, *, required: bool,
                         what: str, static: bool = True) -> None:
        """Checks shared by non-body parameters, items and schema properties. ``static``: also the checks that do
        not depend on the operation (False when this node was checked already for another operation)."""
        if static:
            self.check_value_static(node, ptr, required=required, what=what)
        if self.has_dynamic:
            for ext in ("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties"):
                if ext in node:
                    self.check_dynamic(ext, node[ext], ptr + "/" + ext, names, label)
            values, listed = node.get("x-ms-dynamic-values"), node.get("x-ms-dynamic-list")
            if isinstance(values, dict) and isinstance(listed, dict) and static:
                pairs = (("operationId", "operationId"), ("value-collection", "itemsPath"),
                         ("value-path", "itemValuePath"), ("value-title", "itemTitlePath"))
                differ = [f"{a} {show(values.get(a))} / {b} {show(listed.get(b))}" for a, b in pairs
                          if values.get(a) != listed.get(b)]
                if differ:
                    self.report("PP1079", ptr + "/x-ms-dynamic-list", "x-ms-dynamic-values and x-ms-dynamic-list "
                                "disagree: " + "; ".join(differ))
            elif isinstance(values, dict) and isinstance(values.get("parameters"), dict):
                inside = sorted(v["parameter"] for v in values["parameters"].values() if isinstance(v, dict)
                                and isinstance(v.get("parameter"), str) and v["parameter"] not in self.parameter_names
                                and v["parameter"] in names)
                if inside and ptr not in self.list_missing_seen:  # a shared definition: once, for its first user
                    self.list_missing_seen.add(ptr)
                    paths = [next((p for p in sorted(self.reference_paths) if "/" in p and (
                        p.endswith("/" + x) or p.split("/", 1)[1] == x.replace(".", "/"))), None) for x in inside]
                    refs = ", ".join(f'Ref({show(x)}, {show(p)})' for x, p in zip(inside, paths) if p)
                    self.report("PP1078", ptr + "/x-ms-dynamic-values", f"{what} of {label}: the dropdown's "
                                f"argument {', '.join(map(show, inside))} is a body property, and there is no "
                                "x-ms-dynamic-list saying where in the body" + (f" (in the model: {refs})" if refs
                                                                                else ""))

    parameter_names: set = set()


    def check_value_static(self, node: dict, ptr: str, *, required: bool, what: str) -> None:
        vis = node.get("x-ms-visibility")
        if "x-ms-visibility" in node and (not isinstance(vis, str) or vis not in VISIBILITY):
            self.report("PP1057", ptr + "/x-ms-visibility", f"x-ms-visibility {show(vis)} is not important, advanced or internal")
        if vis == "internal" and required and "default" not in node and not self.filled_by_platform(node):
            self.report("PP1058", ptr, f"{what} is internal and required but has no default")
        if vis == "internal" and not required and "default" in node:
            self.report("PP1059", ptr, f"{what} is internal with a default but not required")
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt not in FORMATS:
            self.report("PP1060", ptr + "/format", f"format {show(fmt)} is not recognised")
        problem = default_problem(node)
        if problem:
            self.report("PP1007", ptr + "/default", problem)
        ev = node.get("x-ms-enum-values")
        if "x-ms-enum-values" in node:
            self.check_enum_values(ev, node.get("enum"), ptr + "/x-ms-enum-values")

    def check_enum_values(self, ev: Any, enum: Any, ptr: str) -> None:
        if not isinstance(ev, list):
            self.report("PP1061", ptr, "x-ms-enum-values must be an array of {value, displayName}")
            return
        seen = []
        for i, e in enumerate(ev):
            if not isinstance(e, dict) or "value" not in e or not isinstance(e.get("displayName"), str):
                self.report("PP1061", f"{ptr}/{i}",
                            "entry needs value and displayName")
                continue
            if isinstance(enum, list) and e["value"] not in enum:
                self.report("PP1061", f"{ptr}/{i}/value", f"value {show(e['value'])} is not in enum")
            if e["value"] in seen:
                self.report("PP1061", f"{ptr}/{i}/value", f"value {show(e['value'])} is listed twice")
            seen.append(e["value"])

    def check_dynamic(self, ext: str, value: Any, ptr: str, names: set, label: str) -> None:
        if not isinstance(value, dict):
            self.report("PP1074", ptr, f"{ext} must be an object")
            return
        oid = value.get("operationId")
        if ext == "x-ms-dynamic-values" and "operationId" not in value:
            if not (isinstance(value.get("builtInOperation"), str) or isinstance(value.get("capability"), str)):
                self.report("PP1074", ptr, f"{ext} needs operationId, builtInOperation or capability")
        elif not isinstance(oid, str) or not oid:
            self.report("PP1074", ptr, f"{ext} needs an operationId")
        elif oid not in self.op_ids:
            self.report("PP1075", ptr + "/operationId", f"{ext} calls operation {show(oid)}, which does not exist")
        params = value.get("parameters")
        if params is None:
            return
        if not isinstance(params, dict):
            self.report("PP1074", ptr + "/parameters", f"{ext}.parameters must be an object")
            return
        for key, spec in params.items():
            if not isinstance(spec, dict):
                continue
            kptr = f"{ptr}/parameters/{key.replace('~', '~0').replace('/', '~1')}"
            if isinstance(spec.get("parameter"), str) and spec["parameter"] not in names:
                self.report("PP1076", kptr, f"{ext} passes parameter {show(spec['parameter'])}, which operation "
                            f"{label} does not declare")
            elif isinstance(spec.get("parameterReference"), str) \
                    and spec["parameterReference"] not in self.reference_paths:
                ref = spec["parameterReference"]
                what = "declare" if ref.split("/")[0] not in self.reference_paths else "have at that path"
                self.report("PP1076", kptr, f"{ext} passes parameterReference {show(ref)}, which operation {label} "
                            f"does not {what} (a parameter, or the parameter's name then the properties inside it, "
                            "slash-separated)")

    def check_dynamic_below(self, schema: Any, ptr: str, names: set, label: str) -> None:
        """The dynamic extensions of every node below ``schema`` (only those: its other checks are the action's)."""
        stack, seen = [(schema, ptr)], set()
        while stack:
            raw, nptr = stack.pop()
            node, nptr = self.resolve(raw, nptr)
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            for ext in ("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties"):
                if ext in node:
                    self.check_dynamic(ext, node[ext], nptr + "/" + ext, names, label)
            for k, v in _d(node.get("properties")).items():
                stack.append((v, nptr + "/properties/" + k.replace("~", "~0").replace("/", "~1")))
            if "items" in node:
                stack.append((node["items"], nptr + "/items"))

    def walk_schema(self, schema: Any, ptr: str, op: dict, label: str, names: set, chain: list | None) -> None:
        """Schema checks, following $refs once per operation, with an explicit stack (a schema nested thousands of
        levels deep is walked like any other). ``chain`` tracks (required, internal, name) from the body
        parameter down, to check x-ms-notification-url properties."""
        # Checks that do not depend on the operation run once per schema node for the whole document
        # (self.static_seen); a document with dynamic extensions or notification URLs is also walked per operation
        # for those (their references name the operation's parameters).
        per_op = self.has_dynamic
        visited = set() if per_op else self.static_seen
        stack: list[tuple[Any, str, list | None, int]] = [(schema, ptr, chain, 0)]
        while stack:
            schema, ptr, chain, depth = stack.pop()
            schema, ptr = self.resolve(schema, ptr)
            if not isinstance(schema, dict) or id(schema) in visited:
                continue
            visited.add(id(schema))
            static = True
            if per_op:
                static = id(schema) not in self.static_seen
                self.static_seen.add(id(schema))
            if "x-ms-notification-url" in schema and chain is not None:
                self.notification_urls.append((ptr, list(chain)))
            required = set(x for x in _l(schema.get("required")) if isinstance(x, str))
            for pname, prop in _d(schema.get("properties")).items():
                pptr = ptr + "/properties/" + pname.replace("~", "~0").replace("/", "~1")
                node, nptr = self.resolve(prop, pptr)
                if not isinstance(node, dict):
                    continue
                self.check_value_node(node, nptr, op, label, names, required=pname in required,
                                      what=f"property '{pname}'", static=static)
                sub = None if chain is None else chain + [(pname in required, node.get("x-ms-visibility") == "internal",
                                                           pname)]
                stack.append((prop, pptr, sub, depth + 1))
            items = schema.get("items")
            if items is not None:
                node, nptr = self.resolve(items, ptr + "/items")
                if isinstance(node, dict):
                    self.check_value_node(node, nptr, op, label, names, required=False, what="the array's items", static=static)
                stack.append((items, ptr + "/items", None, depth + 1))
            for i, sub in enumerate(_l(schema.get("allOf"))):
                stack.append((sub, f"{ptr}/allOf/{i}", chain, depth))
            add = schema.get("additionalProperties")
            if isinstance(add, dict):
                stack.append((add, ptr + "/additionalProperties", None, depth + 1))
            for ext in ("x-ms-dynamic-schema", "x-ms-dynamic-properties"):
                if ext in schema:
                    self.check_dynamic(ext, schema[ext], ptr + "/" + ext, names, label)
            if depth == 0 and static:  # property and items defaults: check_value_node; the root schema's here
                problem = default_problem(schema)
                if problem:
                    self.report("PP1007", ptr + "/default", problem)

    notification_urls: list

    # -- webhooks ------------------------------------------------------------------------------------------------
    def check_webhook(self, path, method, op, item, optr, label, bodies) -> None:
        self.has_webhook = True
        urls = [(p, c) for p, c in self.notification_urls]
        if not urls:
            self.report("PP1080", optr, f"webhook trigger {label} has no body property with x-ms-notification-url: true")
        for ptr, chain in urls:
            not_required = [n for req, _, n in chain if not req]
            internal = any(i for _, i, _ in chain)
            if not_required or not internal:
                why = []
                if not_required:
                    why.append(f"not required: {', '.join(map(str, not_required))}")
                if not internal:
                    why.append("neither it nor a parent is x-ms-visibility: internal")
                self.report("PP1081", ptr, "the notification URL property is " + "; ".join(why))
        content = _d(item.get("x-ms-notification-content"))
        if "schema" not in content and "schema" not in _d(op.get("x-ms-notification-content")):
            self.report("PP1083", pointer("paths", path), f"webhook trigger {label}: the path item has no "
                        "x-ms-notification-content {schema}")

    has_webhook = False

    def check_webhook_delete(self) -> None:
        if self.has_webhook and not any(m == "delete" for _, m, _, _ in self.ops):
            self.report("PP1082", "/paths", "the connector has webhook triggers but no DELETE operation to remove them")

    # -- API families (deprecation / revisions) ------------------------------------------------------------------
    def check_families(self) -> None:
        families: dict[str, list[tuple[str, dict, dict]]] = {}
        for path, method, op, _ in self.ops:
            ann = op.get("x-ms-api-annotation")
            if isinstance(ann, dict) and isinstance(ann.get("family"), str):
                families.setdefault(ann["family"], []).append((pointer("paths", path, method), op, ann))
        for fam, members in families.items():
            live = [m for m in members if m[1].get("deprecated") is not True]
            prod = [m for m in members if m[2].get("status") == "Production"]
            revs: dict[Any, str] = {}
            no_rev = 0
            for ptr, op, ann in members:
                rev = ann.get("revision")
                if not isinstance(rev, (int, float, str)):  # absent, or a shape the schema check reports
                    rev = None
                if rev is None:
                    no_rev += 1
                    continue
                if rev in revs:
                    self.report("PP1093", ptr + "/x-ms-api-annotation/revision",
                                f"family {show(fam)} uses revision {show(rev)} twice (also at {revs[rev]})")
                revs[rev] = ptr
                oid = op.get("operationId")
                if isinstance(rev, int) and not isinstance(rev, bool) and rev > 1 and isinstance(oid, str) \
                        and not oid.endswith(f"_V{rev}"):
                    self.report("PP1093", ptr + "/operationId", f"operationId {show(oid)} of revision {rev} should end with _V{rev}")
            first = members[0][0]
            if len(live) > 2:
                self.report("PP1093", first, f"family {show(fam)} has {len(live)} non-deprecated operations; at most 2")
            if len(prod) > 1:
                self.report("PP1093", first, f"family {show(fam)} has {len(prod)} Production operations; at most 1")
            if no_rev > 1:
                self.report("PP1093", first, f"family {show(fam)} has {no_rev} operations without a revision; at most 1")


def _spell(link: tuple | None, key: Any) -> str:
    """The JSON pointer of ``key`` below the node at ``link`` (a chain of (parent link, key) pairs)."""
    parts = [key]
    while link is not None:
        parts.append(link[1])
        link = link[0]
    return pointer(*reversed(parts))


def check_swagger(rep: Reporter, data: Any, size: int = 0) -> SwaggerChecker:
    checker = SwaggerChecker(rep, data, size)
    checker.notification_urls = []
    checker.run()
    return checker
