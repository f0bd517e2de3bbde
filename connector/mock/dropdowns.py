"""Dropdowns kept consistent: a value an action takes from a dropdown must be one its helper operation offers.

A parameter or top-level body property declaring ``x-ms-dynamic-values`` (or ``x-ms-dynamic-list``) names a
helper operation, the helper's parameters (constants or other inputs of the action, by name or, as
``x-ms-dynamic-list``'s ``parameterReference`` gives them, by path: ``body/organisationId``) and where the values
are in its answer (``value-collection``/``value-path``, or ``itemsPath``/``itemValuePath``). Before the
action runs, the mock calls the helper itself, on the same state, exactly as the dropdown would have been
filled, and refuses a value it does not offer (``400``, naming the parameter or JSON pointer and the values
offered). A helper that offers nothing yet (an empty collection) or cannot be called with what the action
carries refuses nothing. ``--request-checks schema`` turns the check off (a fuzzer sends any schema-valid
string and expects it to be accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .behaviour import ApiError, Call

MAX_SHOWN = 10


@dataclass
class Dropdown:
    where: str  # "path" | "query" | "header" | "body"
    name: str  # parameter name, or the body property
    helper: str  # operation id
    parameters: dict[str, Any]
    collection: str | None  # slash-separated path to the array in the helper's answer
    value_path: str | None  # slash-separated path to the value in one item
    body: str | None = None  # the name of the action's body parameter (``body/organisationId`` references)


def dropdowns_of(route: Any, resolve: Callable[[str], Any]) -> list[Dropdown]:
    found = []
    params = []
    for p in route.swagger.get("parameters", []):
        while isinstance(p, dict) and "$ref" in p:
            p = resolve(p["$ref"]) or {}
        if isinstance(p, dict):
            params.append(p)
    body = next((str(p.get("name")) for p in params if p.get("in") == "body" and p.get("name")), None)
    for p in params:
        if p.get("in") == "body":
            schema = p.get("schema") or {}
            seen = 0
            while isinstance(schema, dict) and "$ref" in schema and seen < 16:
                schema, seen = resolve(schema["$ref"]) or {}, seen + 1
            for name, sub in ((schema.get("properties") or {}) if isinstance(schema, dict) else {}).items():
                spec = _spec(sub)
                if spec is not None:
                    found.append(Dropdown("body", name, *spec, body=body))
        else:
            spec = _spec(p)
            if spec is not None and p.get("name"):
                found.append(Dropdown(p.get("in", "query"), p["name"], *spec, body=body))
    return found


def _spec(node: Any) -> tuple | None:
    if not isinstance(node, dict):
        return None
    values = node.get("x-ms-dynamic-values")
    if isinstance(values, dict) and isinstance(values.get("operationId"), str):
        return (values["operationId"], values.get("parameters") or {}, values.get("value-collection"),
                values.get("value-path"))
    listed = node.get("x-ms-dynamic-list")
    if isinstance(listed, dict) and isinstance(listed.get("operationId"), str):
        return (listed["operationId"], listed.get("parameters") or {}, listed.get("itemsPath"),
                listed.get("itemValuePath"))
    return None


def _get(node: Any, path: str | None) -> Any:
    if not path:
        return node
    for part in str(path).strip("/").split("/"):
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if str(k).lower() == part.lower()), None)
    return node


def _input(call: Call, name: str, body: str | None = None) -> Any:
    """The action's value of a parameter, or of a body property: by its name, or by the slash-separated path
    an ``x-ms-dynamic-list`` ``parameterReference`` gives (``body/organisationId``, ``body/a/b``)."""
    if name in call.params:
        return call.params[name]
    if not isinstance(call.body, dict):
        return None
    steps = name.split("/")
    if body is not None and len(steps) > 1 and steps[0] == body:
        return _get(call.body, "/".join(steps[1:]))
    return next((v for k, v in call.body.items() if str(k).lower() == name.lower()), None)


class DropdownChecks:
    """Wraps the handlers of actions fed by dropdowns so that their values are checked against the helper."""

    def __init__(self, routes: list[Any], handlers: dict[str, Callable], shapes: dict[str, Callable],
                 defaults: dict[str, dict[str, Any]], resolve: Callable[[str], Any], settings: Any,
                 store: Any = None):
        self.handlers, self.shapes, self.defaults, self.settings = handlers, shapes, defaults, settings
        self.by_route: dict[str, list[Dropdown]] = {}
        self.store = store  # its ``version`` tells when a helper's answer may have changed
        self._offered: dict[tuple, list[Any] | None] = {}  # (dropdown, inputs) -> values, per store version
        self._offered_version: Any = None
        for route in routes:
            found = [d for d in dropdowns_of(route, resolve) if d.helper in handlers and d.helper != route.id]
            if found:
                self.by_route[route.id] = found
                handlers[route.id] = self._checked(handlers[route.id], found)

    def offered(self, dropdown: Dropdown, call: Call) -> list[Any] | None:
        """The values the helper offers for this call's inputs; None when it cannot be asked."""
        params: dict[str, Any] = {}
        for name, given in dropdown.parameters.items():
            if isinstance(given, dict):
                ref = given.get("parameter") or given.get("parameterReference")
                value = _input(call, ref, dropdown.body) if isinstance(ref, str) else given.get("value")
            else:
                value = given
            if value is None:
                return None
            params[name] = value
        version = getattr(self.store, "version", None)
        try:
            key: tuple | None = (id(dropdown), tuple(sorted(params.items())))
            hash(key)
        except TypeError:  # an input that is an object or array: asked each time
            key = None
        if version is not None and key is not None:
            if version != self._offered_version:
                self._offered.clear()
                self._offered_version = version
            if key in self._offered:
                found = self._offered[key]
                return None if found is None else list(found)
        values = self._ask(dropdown, call, params)
        if version is not None and key is not None and getattr(self.store, "version", None) == version:
            # the helper wrote nothing: the same state answers the same until the next write
            if len(self._offered) >= 1024:
                self._offered.clear()
            self._offered[key] = None if values is None else list(values)
        return values

    def _ask(self, dropdown: Dropdown, call: Call, params: dict[str, Any]) -> list[Any] | None:
        helper_call = Call(dropdown.helper, params, None, call.grant, self.defaults.get(dropdown.helper, {}))
        try:
            result = self.handlers[dropdown.helper](helper_call)
        except (ApiError, KeyError, TypeError, ValueError):
            return None
        answer = self.shapes[dropdown.helper](result[1]) if dropdown.helper in self.shapes else result[1]
        items = _get(answer, dropdown.collection)
        if not isinstance(items, list):
            return None
        values = [_get(item, dropdown.value_path) for item in items]
        return [v for v in values if v is not None]

    def _checked(self, handler: Callable, found: list[Dropdown]) -> Callable:
        def handle(call: Call) -> tuple:
            if self.settings.request_checks == "strict":
                for dropdown in found:
                    value = _input(call, dropdown.name) if dropdown.where == "body" else call.params.get(dropdown.name)
                    if value is None:
                        continue
                    offered = self.offered(dropdown, call)
                    if not offered or any(str(value) == str(v) for v in offered):
                        continue
                    shown = ", ".join(repr(v) for v in offered[:MAX_SHOWN]) + (" ..." if len(offered) > MAX_SHOWN
                                                                               else "")
                    where = f"/{dropdown.name}" if dropdown.where == "body" else f"{dropdown.where} {dropdown.name!r}"
                    details = {"pointer": f"/{dropdown.name}"} if dropdown.where == "body" else \
                        {"parameter": dropdown.name}
                    raise ApiError(400, "invalid_request", f"{where}: {str(value)[:80]!r} is not one of the values "
                                   f"its dropdown ({dropdown.helper}) offers: {shown}", **details)
            return handler(call)
        return handle
