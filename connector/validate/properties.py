"""Checks for apiProperties.json: our schema (schemas/apiProperties.schema.json) plus the rules of
certification.md section 2 that a schema cannot say well."""

from __future__ import annotations

import re
from typing import Any

from ..swaggerdoc import pointer
from .config import SUPPRESS_KEY
from .findings import Reporter
from .structure import schema_errors
from .textutil import show

SCHEMA = "apiProperties.schema.json"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
FORBIDDEN_COLOURS = {"#007ee5", "#ffffff"}
PROVIDER_PARAMS = {
    "oauth2": ("authorizationUrl", "tokenUrl", "refreshUrl"),
    "aad": ("resourceUri",),
    "aadcertificate": ("resourceUri",),
}
# templateId -> required parameter names (the X of x-ms-apimTemplateParameter.X)
POLICY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "convertarraytoobject": ("propertyParentPath", "keyWithinCollectionPath", "newPropertyPath"),
    "convertobjecttoarray": ("propertyParentPath", "newPropertyPath"),
    "dynamichosturl": ("urlTemplate",),
    "encodepropertyvalue": ("propertyParentPath", "newPropertyPath"),
    "pollingtrigger": ("triggerConfig", "triggerDataPath"),
    "routerequesttoendpoint": ("newPath",),
    "setheader": ("name", "value"),
    "setproperty": ("newPropertyParentPathTemplate", "newPropertySubPathTemplate", "propertyValuePathTemplate"),
    "setqueryparameter": ("name", "value"),
    "setvaluefromurl": ("parameterTemplate", "parameterValueUrl", "parameterValuePathTemplate"),
    "stringreplace": ("propertyParentPath", "sourceString", "replacementString", "newPropertyPath"),
    "stringtoarray": ("propertyParentPath", "delimiterList", "childPropertyName", "newPropertyPath"),
    "updatenextlink": ("nextLinkPropertyName",),
    # seen in published connectors, not in Microsoft's schema; parameters undocumented
    "dynamicsubdomain": (),
    "moveproperties": (),
    "setconnectionstatustounauthenticated": (),
}
PLACEHOLDER = re.compile(r"^\s*$|^\[\[.*\]\]$|^<.*>$|^\{\{.*\}\}$|^\$\{.*\}$|^\*+$|^x+$|@connectionParameters|"
                         r"dummy|placeholder|redacted|changeme|change[-_ ]me|your|secret|example|sample|todo|xxx|"
                         r"client[-_ ]?secret", re.I)


def _d(x: Any) -> dict:
    return x if isinstance(x, dict) else {}


def looks_real_secret(value: Any) -> bool:
    """A secret that is not an obvious placeholder: a string of 8+ characters, no spaces, not a known pattern."""
    if not isinstance(value, str):
        return False
    v = value.strip()
    if PLACEHOLDER.search(v) or len(v) < 8 or " " in v:
        return False
    return len(set(v)) > 3


def strip_suppress(node: Any) -> Any:
    """A copy of ``node`` without x-connector-suppress keys, at any depth (an explicit stack, no recursion)."""
    def empty(value: Any) -> Any:
        return {} if isinstance(value, dict) else [] if isinstance(value, list) else value

    root = empty(node)
    stack = [(node, root)] if isinstance(node, (dict, list)) else []
    while stack:
        src, dst = stack.pop()
        for key, value in (src.items() if isinstance(src, dict) else enumerate(src)):
            if isinstance(src, dict) and key == SUPPRESS_KEY:
                continue
            copy = empty(value)
            if isinstance(value, (dict, list)):
                stack.append((value, copy))
            if isinstance(dst, dict):
                dst[key] = copy
            else:
                dst.append(copy)
    return root


def swagger_operation_ids(swagger: Any) -> set[str] | None:
    if not isinstance(swagger, dict) or not isinstance(swagger.get("paths"), dict):
        return None
    ids = set()
    for item in swagger["paths"].values():
        for op in _d(item).values():
            if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                ids.add(op["operationId"])
    return ids


def check_properties(rep: Reporter, data: Any, swagger: Any = None) -> None:
    for ptr, msg in schema_errors(SCHEMA, strip_suppress(data)):
        rep.report("PP2001", ptr, msg)
    props = _d(_d(data).get("properties"))
    colour = props.get("iconBrandColor")
    if "iconBrandColor" in props:
        if not isinstance(colour, str) or not HEX.match(colour):
            rep.report("PP2002", "/properties/iconBrandColor", f"iconBrandColor {show(colour)} is not a #rrggbb colour")
        elif colour.lower() in FORBIDDEN_COLOURS:
            rep.report("PP2003", "/properties/iconBrandColor", f"iconBrandColor {colour} is not allowed")
    missing = [k for k in ("publisher", "stackOwner") if not isinstance(props.get(k), str) or not props.get(k).strip()]
    if isinstance(data, dict) and missing:
        rep.report("PP2011", "/properties", f"apiProperties.json has no {' and no '.join(missing)}")
    op_ids = swagger_operation_ids(swagger)
    script_ops = props.get("scriptOperations")
    if isinstance(script_ops, list) and op_ids is not None:
        for i, name in enumerate(script_ops):
            if isinstance(name, str) and name not in op_ids:
                rep.report("PP2004", pointer("properties", "scriptOperations", i),
                           f"scriptOperations names {show(name)}, which is not an operationId of the swagger")
    for name, param in _d(props.get("connectionParameters")).items():
        _check_parameter(rep, param, ("properties", "connectionParameters", name))
    sets = _d(props.get("connectionParameterSets"))
    for i, value in enumerate(sets.get("values") if isinstance(sets.get("values"), list) else []):
        for name, param in _d(_d(value).get("parameters")).items():
            _check_parameter(rep, param, ("properties", "connectionParameterSets", "values", i, "parameters", name))
    policies = props.get("policyTemplateInstances")
    for i, inst in enumerate(policies if isinstance(policies, list) else []):
        _check_policy(rep, inst, ("properties", "policyTemplateInstances", i), op_ids)
    _check_secrets(rep, data, ())


def _check_parameter(rep: Reporter, param: Any, parts: tuple) -> None:
    oauth = _d(_d(param).get("oAuthSettings"))
    if not oauth:
        return
    optr = pointer(*parts, "oAuthSettings")
    provider = oauth.get("identityProvider")
    custom = oauth.get("customParameters")
    for key in PROVIDER_PARAMS.get(provider, ()) if isinstance(provider, str) else ():
        entry = _d(custom).get(key)
        if not isinstance(entry, dict) or entry.get("value") in (None, ""):
            rep.report("PP2006", optr + ("/customParameters" if isinstance(custom, dict) else ""),
                       f"identity provider {show(provider)} needs customParameters.{key}.value")
    mode = oauth.get("redirectMode")
    if mode != "GlobalPerConnector":
        rep.report("PP2007", optr + ("/redirectMode" if "redirectMode" in oauth else ""),
                   f"redirectMode is {show(mode)}; reviewers require \"GlobalPerConnector\"")
    if oauth.get("redirectUrl") not in (None, ""):
        rep.report("PP2007", optr + "/redirectUrl", "redirectUrl is set; GlobalPerConnector needs none")


def _check_policy(rep: Reporter, inst: Any, parts: tuple, op_ids: set[str] | None) -> None:
    inst = _d(inst)
    tid = inst.get("templateId")
    params = _d(inst.get("parameters"))
    if isinstance(tid, str):
        if tid not in POLICY_TEMPLATES:
            rep.report("PP2009", pointer(*parts, "templateId"), f"policy template {show(tid)} is unknown")
        else:
            have = {k.split(".", 1)[1].lower() for k in params
                    if isinstance(k, str) and k.lower().startswith("x-ms-apimtemplateparameter.")}
            for req in POLICY_TEMPLATES[tid]:
                if req.lower() not in have:
                    rep.report("PP2008", pointer(*parts, "parameters"),
                               f"policy {show(tid)} needs parameter x-ms-apimTemplateParameter.{req}")
    names = params.get("x-ms-apimTemplate-operationName")
    if isinstance(names, list) and op_ids is not None:
        for j, name in enumerate(names):
            if isinstance(name, str) and name not in op_ids:
                rep.report("PP2010", pointer(*parts, "parameters", "x-ms-apimTemplate-operationName", j),
                           f"policy applies to {show(name)}, which is not an operationId of the swagger")


def _check_secrets(rep: Reporter, node: Any, parts: tuple) -> None:
    stack = [(node, parts)]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and re.fullmatch(r"client_?secret", k, re.I) and looks_real_secret(v):
                    rep.report("PP2005", pointer(*parts, k), f"{k} looks like a real secret ({len(v.strip())} characters)")
                elif isinstance(v, (dict, list)):
                    stack.append((v, parts + (k,)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((v, parts + (i,)))
