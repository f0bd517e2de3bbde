"""Declaration-time checks: mistakes caught before any file is written.

Each problem names the operation and parameter and says what to do. ``check`` returns every problem;
``ensure_valid`` raises one ``DeclarationError`` holding all of them.

Only what cannot be written as a valid connector is refused here (an operation referred to but not declared,
a path variable without its parameter, a name used twice). What the platform accepts but certification frowns
on is a ``connector validate`` rule with an id, a severity and a switch-off instead, never both: a GET or HEAD
operation with a body (PP1041 get-with-body), an internal required parameter or property without a default
(PP1058 internal-required-no-default).
"""

from __future__ import annotations

from typing import Any, Iterator

from ..errors import DeclarationError
from ..swaggerdoc import path_variables
from .connector import Connector, Operation
from .schema import UNSET, Definition, Dropdown, DynamicSchema, Parameter, Ref, Schema
from .transforms import check_transforms



def _walk(schema: Schema | Definition | Parameter | None, where: str) -> Iterator[tuple[Schema, str]]:
    """Every schema node below (and including) ``schema``, with a readable place name."""
    if isinstance(schema, (Parameter, Definition)):
        yield from _walk(schema.schema, where)
        return
    if schema is None:
        return
    yield schema, where
    for prop in schema.properties or ():
        yield from _walk(prop, f"{where}.{prop.name}")
    if schema.items is not None:
        yield from _walk(schema.items, f"{where}[]")
    if isinstance(schema.additional_properties, (Schema, Definition)):
        yield from _walk(schema.additional_properties, f"{where}{{*}}")


def check(connector: Connector) -> list[str]:
    problems: list[str] = []
    ops = connector.operations
    by_id: dict[str, Operation] = {}
    for op in ops:
        if op.id in by_id:
            problems.append(f"operation '{op.id}': the operationId is declared twice ({by_id[op.id].method.upper()} "
                            f"{by_id[op.id].path} and {op.method.upper()} {op.path}); give each operation its own id.")
        else:
            by_id[op.id] = op
    seen_routes: dict[tuple[str, str], str] = {}
    for index, op in enumerate(ops):
        if any(op is earlier for earlier in ops[:index]):
            continue  # the same object listed twice: reported above, its own problems once
        route = (op.method.lower(), op.path.lower())
        if route in seen_routes and seen_routes[route] != op.id:
            problems.append(f"operation '{op.id}': {op.method.upper()} {op.path} is also declared by "
                            f"'{seen_routes[route]}'; one method and path (case-insensitive) per operation.")
        seen_routes.setdefault(route, op.id)
        problems.extend(_check_operation(op, by_id, connector))
    problems.extend(check_transforms(connector))
    return problems


def _check_operation(op: Operation, by_id: dict[str, Operation], connector: Connector) -> list[str]:
    out: list[str] = []
    where = f"operation '{op.id}'"
    method = op.method.lower()
    if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
        out.append(f"{where}: method '{op.method}' is not an HTTP method swagger 2.0 knows; use get, put, post, "
                   "delete, patch, head or options.")
    if not op.path.startswith("/"):
        out.append(f"{where}: path '{op.path}' must start with '/'.")
    names: dict[tuple[str, str], int] = {}
    for p in op.parameters:
        names[(p.location, p.name)] = names.get((p.location, p.name), 0) + 1
    for (loc, name), count in names.items():
        if count > 1:
            out.append(f"{where}: {loc} parameter '{name}' is declared {count} times; declare it once.")

    variables = path_variables(op.path)
    path_params = {p.name: p for p in op.parameters if p.location == "path"}
    for name, p in path_params.items():
        if name not in variables:
            out.append(f"{where}, parameter '{name}': it is a path parameter but '{{{name}}}' is not in the path "
                       f"'{op.path}'; add it to the path or make it a query or header parameter.")
        if not p.required:
            out.append(f"{where}, parameter '{name}': path parameters must be required; set required=True.")
    for var in variables:
        if var not in path_params:
            out.append(f"{where}: the path '{op.path}' has '{{{var}}}' but no path parameter named '{var}'; "
                       "declare it with path(...).")

    bodies = [p for p in op.parameters if p.location == "body"]
    if len(bodies) > 1:
        out.append(f"{where}: {len(bodies)} body parameters ({', '.join(repr(b.name) for b in bodies)}); an "
                   "operation takes at most one body, so merge them into one object schema.")
    for p in op.parameters:
        if p.location == "body" and p.schema is None:
            out.append(f"{where}, parameter '{p.name}': a body parameter needs a schema.")
        if p.name == "connectionId":
            out.append(f"{where}: the parameter name 'connectionId' is reserved by the platform; rename it.")

    places: list[tuple[Any, str]] = [(p, f"parameter '{p.name}'") for p in op.parameters]
    places += [(r.schema, f"response '{r.status}'") for r in op.responses]
    if op.notification is not None:
        places.append((op.notification, "notification"))
    refs = _References(op)
    for root, name in places:
        for node, place in _walk(root, name):
            if node.dropdown is not None:
                out.extend(_check_dropdown(op, node.dropdown, place, by_id, refs))
            if node.dynamic_schema is not None:
                out.extend(_check_dynamic_schema(op, node.dynamic_schema, place, by_id, refs))
    if op.webhook_delete is not None and op.webhook_delete.id not in by_id:
        out.append(f"{where}: its webhook delete operation '{op.webhook_delete.id}' is not declared in the "
                   "connector; add it to operations.")
    return out


class _References:
    """What a ``Ref`` in a dropdown's or dynamic schema's arguments may name in operation ``op``, as the platform
    resolves it (``connector validate``'s PP1076 reads the swagger the same way):

    - ``Ref.parameter`` (x-ms-dynamic-values / -schema ``{"parameter": ...}``): a parameter, or a body property by
      name at any depth or by its dotted path from the body's root;
    - ``Ref.path`` (x-ms-dynamic-list / -properties ``{"parameterReference": ...}``): a parameter, or a path into
      it, slash-separated from the parameter's name (``body/client/id``)."""

    def __init__(self, op: Operation):
        self.op = op
        self._names: set[str] | None = None
        self._paths: set[str] | None = None

    def names(self) -> set[str]:
        if self._names is None:
            self._names = {p.name for p in self.op.parameters} | _body_names(self.op)
        return self._names

    def paths(self) -> set[str]:
        if self._paths is None:
            self._paths = {p.name for p in self.op.parameters}
            body = self.op.body
            if body is not None:
                self._paths |= {f"{body.name}/{path}" for path in _slash_paths(body)}
        return self._paths

    def problems(self, where: str, arg: str, value: Ref, values: bool, listed: bool) -> list[str]:
        out = []
        op = self.op
        if values and value.parameter not in self.names():
            out.append(f"{where}: the argument '{arg}' refers to parameter '{value.parameter}', which operation "
                       f"'{op.id}' does not have; refer to one of: "
                       + (", ".join(p.name for p in op.parameters) or "none") + " (or a body property).")
        if listed and (value.reference is not None or not values) and value.path not in self.paths():
            out.append(f"{where}: the argument '{arg}' has the reference '{value.path}', which is no parameter of "
                       f"operation '{op.id}' nor a path into one; write the parameter's name, then the properties "
                       "inside it, slash-separated (e.g. "
                       + (f"'{op.body.name}/<property>'" if op.body is not None else "'<parameter>'") + ").")
        return out


def _property_paths(body: Parameter, sep: str) -> Iterator[tuple[str, str]]:
    """Every property below the body as (name, path from the body's root joined by ``sep``); array items keep
    their array's path, a ``$ref`` with keywords beside it is followed, cycles and depths > 32 stop the walk."""
    stack: list[tuple[Schema | Definition | None, str]] = [(body.schema, "")]
    seen: set[tuple[int, str]] = set()
    while stack:
        node, prefix = stack.pop()
        if isinstance(node, Definition):
            node = node.schema
        if not isinstance(node, Schema) or (id(node), prefix) in seen or prefix.count(sep) > 32:
            continue
        seen.add((id(node), prefix))
        for prop in node.properties or ():
            yield prop.name, prefix + prop.name
            stack.append((prop, prefix + prop.name + sep))
        if node.items is not None:
            stack.append((node.items, prefix))
        if node.definition is not None:
            stack.append((node.definition, prefix))


def _slash_paths(body: Parameter) -> set[str]:
    """Every property path below the body, slash-separated (array items keep their array's path)."""
    return {path for _, path in _property_paths(body, "/")}


def _target_has(target: Operation, arg: str) -> bool:
    """Whether the called operation takes argument ``arg`` (a parameter, or a path into one: ``body/name``)."""
    return target.parameter(arg) is not None or ("/" in arg and target.parameter(arg.split("/")[0]) is not None)


def _check_dropdown(op: Operation, dd: Dropdown, place: str, by_id: dict[str, Operation],
                    refs: "_References") -> list[str]:
    where = f"operation '{op.id}', {place}"
    target = by_id.get(dd.operation_id)
    out: list[str] = []
    if target is None:
        known = ", ".join(sorted(by_id)) or "none"
        out.append(f"{where}: the dropdown calls operation '{dd.operation_id}', which is not declared; "
                   f"add it to the connector's operations (declared: {known}).")
        return out
    if not isinstance(dd.operation, str) and dd.operation is not target:
        if dd.operation != target:
            out.append(f"{where}: the dropdown's operation object differs from the declared '{target.id}'; "
                       "pass the declared operation itself.")
    for arg, value in dd.args.items():
        if not _target_has(target, arg):
            out.append(f"{where}: the dropdown passes '{arg}' but operation '{target.id}' has no parameter of that "
                       "name; use one of: " + ", ".join(p.name for p in target.parameters) + ".")
        if isinstance(value, Ref):
            out.extend(refs.problems(f"{where}: the dropdown", arg, value, dd.emits_values, dd.emits_list))
    for p in target.parameters:
        if p.required and p.name not in dd.args and p.default is UNSET \
                and not any(a.startswith(p.name + "/") for a in dd.args):
            out.append(f"{where}: operation '{target.id}' requires '{p.name}', which the dropdown does not pass "
                       "and which has no default; add it to args.")
    return out


def _check_dynamic_schema(op: Operation, ds: DynamicSchema, place: str, by_id: dict[str, Operation],
                          refs: "_References") -> list[str]:
    where = f"operation '{op.id}', {place}"
    target = by_id.get(ds.operation_id)
    if target is None:
        known = ", ".join(sorted(by_id)) or "none"
        return [f"{where}: the dynamic schema calls operation '{ds.operation_id}', which is not declared; add it to "
                f"the connector's operations (declared: {known})."]
    out: list[str] = []
    if not isinstance(ds.operation, str) and ds.operation is not target and ds.operation != target:
        out.append(f"{where}: the dynamic schema's operation object differs from the declared '{target.id}'; "
                   "pass the declared operation itself.")
    for arg, value in ds.args.items():
        if isinstance(value, Ref):
            out.extend(refs.problems(f"{where}: the dynamic schema", arg, value, ds.emit != "properties",
                                     ds.emit != "schema"))
    return out


def _body_names(op: Operation) -> set[str]:
    """What a dropdown argument may refer to inside the operation's body, as the platform resolves it: a property
    name at any depth (a sibling of the dropdown's property, or a nested one), or its dotted path from the body's
    root (``connections.providerReferenceId``). Array items keep their array's path."""
    if op.body is None:
        return set()
    out: set[str] = set()
    for name, path in _property_paths(op.body, "."):
        out.update((name, path))
    return out


def ensure_valid(connector: Connector, source: str = "model") -> Connector:
    problems = check(connector)
    if problems:
        raise DeclarationError(problems, source)
    return connector
