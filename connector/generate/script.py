"""script.csx: the C# the platform runs around the operations in apiProperties' ``scriptOperations``.

The model declares transforms (``connector.model.transforms``); this module turns them into a plan of plain
strings and ``templates/script.csx.j2`` lays that out as C# 7 (Debian's mcs compiles and the tests execute
it). The script only uses namespaces the platform allows and reads the service's address from the request,
so the same script serves every build profile. A connector without transforms has no script.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ..model import Connector, CorrelationIdHeader, Ref, WebhookLocation, effective_transforms
from ..swaggerdoc import PATH_VARIABLE, path_variables
from .templating import render_template

TEMPLATE = "templates/script.csx.j2"

# what the generated code imports: all of them on the platform's allowed list (certification facts, 3)
USINGS = ("System", "System.Net.Http", "System.Text.RegularExpressions", "System.Threading.Tasks",
          "Microsoft.Extensions.Logging", "Newtonsoft.Json", "Newtonsoft.Json.Linq")



def identifier(text: str) -> str:
    out = re.sub(r"[^0-9A-Za-z_]", "_", text)
    return out if out and not out[0].isdigit() else "_" + out


def _base_path(connector: Connector) -> str:
    return "/" + connector.base_path.strip("/") if connector.base_path.strip("/") else ""


def regex_escape(text: str) -> str:
    """Escape .NET regex metacharacters (a backslash before any of them matches it literally)."""
    return "".join("\\" + ch if ch in ".$^{[(|)*+?\\#" or ch.isspace() else ch for ch in text)


def path_regex(base_path: str, path: str, groups: dict[str, str]) -> str:
    """A .NET regex matching the escaped absolute path of a request to ``path`` (named groups for variables)."""
    out, pos = ["^"], 0
    full = base_path + path
    for m in PATH_VARIABLE.finditer(full):
        out.append(regex_escape(quote(full[pos:m.start()], safe="/-._~!$&'()*+,;=:@")))
        out.append(f"(?<{groups[m.group(1)]}>[^/]+)")
        pos = m.end()
    out.append(regex_escape(quote(full[pos:], safe="/-._~!$&'()*+,;=:@")))
    out.append("/?$")
    return "".join(out)


def _location_plan(connector: Connector, t: WebhookLocation) -> dict[str, Any]:
    trigger = connector.operation(t.trigger_id)
    assert trigger is not None and trigger.webhook_delete is not None  # model checks ran
    delete = trigger.webhook_delete
    base = _base_path(connector)
    path_groups = {name: f"p{i}" for i, name in enumerate(path_variables(trigger.path))}
    args = []
    for i, name in enumerate(path_variables(delete.path)):
        value = t.args[name]
        var = f"arg{i}"
        if isinstance(value, Ref):
            param = trigger.parameter(value.parameter)
            assert param is not None
            source = {"kind": param.location, "name": param.name, "group": path_groups.get(param.name)}
        else:
            source = {"kind": "subscription"}
        args.append({"name": name, "var": var, "source": source})
    by_name = {a["name"]: a["var"] for a in args}
    parts: list[dict[str, str]] = []
    pos = 0
    full = base + delete.path
    for m in PATH_VARIABLE.finditer(full):
        if m.start() > pos:
            parts.append({"literal": quote(full[pos:m.start()], safe="/-._~!$&'()*+,;=:@")})
        parts.append({"var": by_name[m.group(1)]})
        pos = m.end()
    if pos < len(full):
        parts.append({"literal": quote(full[pos:], safe="/-._~!$&'()*+,;=:@")})
    return {
        "operation": trigger.id,
        "method": "SetLocation" + identifier(trigger.id),
        "delete": delete.id,
        "delete_path": delete.path,
        "path": trigger.path,
        "regex": path_regex(base, trigger.path, path_groups),
        "needs_path": any(a["source"]["kind"] == "path" for a in args),
        "subscription": [s for s in trigger.subscription_id.split("/") if s],
        "args": args,
        "parts": parts,
    }


def script_plan(connector: Connector) -> dict[str, Any] | None:
    """What the script does, as strings the template lays out; None when the connector needs no script."""
    transforms = effective_transforms(connector)
    if not transforms:
        return None
    always: list[dict[str, Any]] = []
    by_operation: dict[str, list[dict[str, Any]]] = {}
    locations: list[dict[str, Any]] = []
    for t in transforms:
        if isinstance(t, CorrelationIdHeader):
            entry = {"header": t.header}
            if t.operations is None:
                always.append(entry)
            else:
                for op_id in t.operation_ids(connector):
                    by_operation.setdefault(op_id, []).append(entry)
        elif isinstance(t, WebhookLocation):
            locations.append(_location_plan(connector, t))
    order = [o.id for o in connector.operations]
    return {
        "title": connector.title,
        "usings": USINGS,
        "always_headers": always,
        "operation_headers": [(op_id, by_operation[op_id]) for op_id in order if op_id in by_operation],
        "locations": sorted(locations, key=lambda loc: order.index(loc["operation"])),
    }


def script_csx(connector: Connector) -> str | None:
    plan = script_plan(connector)
    if plan is None:
        return None
    return render_template(TEMPLATE, plan=plan)


def emit(connector: Connector, context: object = None) -> str | None:
    if connector.imported.script_source is not None:  # a hand-written script kept verbatim by `connector import`
        return connector.imported.script_source
    return script_csx(connector)
