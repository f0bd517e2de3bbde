"""Routes compiled from the model and its generated swagger, once at start-up.

For every ``Operation`` of the connector: a path matcher built from the swagger path template (segments
matched after splitting the raw path on ``/``, so a percent-encoded ``/`` or space inside a value stays in
its parameter; ``x-ms-url-encoding: double`` values are decoded twice), a typed parser per header, query and
path parameter, and the body's compiled schema check. Nothing here knows a particular connector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote

from ..model import Connector, Operation
from .validation import ParameterError, SchemaCompiler, compile_parameter, pointer

_PARAM = re.compile(r"\{([^{}]+)\}")


class RequestProblem(Exception):
    """A request breaks the swagger: ``problems`` lists ``{"in", "name" | "pointer", "reason"}``."""

    def __init__(self, problems: list[dict[str, str]], status: int = 400, code: str = "invalid_request"):
        self.problems = problems
        self.status = status
        self.code = code
        first = problems[0]
        where = first.get("pointer") if first["in"] == "body" else first.get("name")
        where = f"{first['in']} {where!r}" if where else first["in"]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(f"{where}: {first['reason']}{more}")


@dataclass
class ParamSpec:
    name: str
    location: str
    required: bool
    parse: Callable[[str], Any]
    key: str  # lower-case header name or the query/path name
    decode_times: int = 1


@dataclass
class Route:
    operation: Operation
    method: str
    template: str
    segments: list[Any]  # str literal (decoded) | (name,) whole-segment parameter | compiled regex
    literal_count: int
    path_params: dict[str, ParamSpec]
    headers: list[ParamSpec]
    queries: list[ParamSpec]
    body_required: bool = False
    body_check: Callable[[Any], Any] | None = None
    has_body: bool = False
    success: int = 200
    swagger: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.operation.id

    def match(self, decoded: list[str]) -> dict[str, str] | None:
        values: dict[str, str] = {}
        for seg, text in zip(self.segments, decoded):
            if type(seg) is str:
                if seg != text:
                    return None
            elif type(seg) is tuple:
                if not text:
                    return None
                values[seg[0]] = text
            else:
                m = seg.fullmatch(text)
                if m is None:
                    return None
                values.update(m.groupdict())
        return values

    def parse_parameters(self, path_values: dict[str, str], headers: dict[str, str], query: bytes) -> dict[str, Any]:
        """Typed values of every declared non-body parameter (by name) or RequestProblem."""
        out: dict[str, Any] = {}
        problems: list[dict[str, str]] = []
        for name, spec in self.path_params.items():
            raw = path_values.get(spec.key, "")
            for _ in range(spec.decode_times - 1):
                raw = unquote(raw)
            try:
                out[name] = spec.parse(raw)
            except ParameterError as exc:
                problems.append({"in": "path", "name": name, "reason": str(exc)})
        _take("header", self.headers, headers, out, problems)
        if self.queries:
            _take("query", self.queries, query_pairs(query), out, problems)
        if problems:
            raise RequestProblem(problems)
        return out

    def check_body(self, body: Any) -> None:
        if self.body_check is None:
            return
        found = self.body_check(body)
        if found:
            raise RequestProblem([{"in": "body", "pointer": pointer(p), "reason": r} for p, r in found[:20]])


_QUERIES: dict[bytes, dict[str, str]] = {}


def query_pairs(query: bytes) -> dict[str, str]:
    """A query string's parameters (a name given twice: its last value), not to be changed by the caller:
    the same query string again is answered from memory (dropdowns and polling ask the same each time)."""
    found = _QUERIES.get(query)
    if found is None:
        found = dict(parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True)) if query else {}
        if len(_QUERIES) >= 1024:
            _QUERIES.clear()
        _QUERIES[query] = found
    return found


class RouteTable:
    """Every operation's route, indexed by segment count."""

    def __init__(self, connector: Connector, swagger: dict[str, Any]):
        self.base_path = (swagger.get("basePath") or "/").rstrip("/")
        compiler = SchemaCompiler(swagger)
        self.routes: list[Route] = [self._compile(op, swagger, compiler) for op in connector.operations]
        self.by_length: dict[int, list[Route]] = {}
        for route in sorted(self.routes, key=lambda r: -r.literal_count):
            self.by_length.setdefault(len(route.segments), []).append(route)

    def _compile(self, op: Operation, swagger: dict[str, Any], compiler: SchemaCompiler) -> Route:
        item = swagger["paths"][op.path]
        sw = item[op.method.lower()]
        specs = [*(item.get("parameters") or []), *sw.get("parameters", [])]
        specs = [compiler.resolve(p["$ref"]) if "$ref" in p else p for p in specs]
        segments: list[Any] = []
        literal = 0
        for part in op.path.lstrip("/").split("/"):  # a trailing slash is a segment: "/station/" != "/station"
            names = _PARAM.findall(part)
            if not names:
                segments.append(part)
                literal += 1
            elif part == "{" + names[0] + "}":
                segments.append((names[0],))
            else:
                rx, keys = "", {}
                for i, piece in enumerate(_PARAM.split(part)):
                    if i % 2 == 0:
                        rx += re.escape(piece)
                    else:
                        keys[f"p{len(keys)}"] = piece
                        rx += f"(?P<p{len(keys) - 1}>.+?)"
                segments.append(_NamedRegex(re.compile(rx, re.DOTALL), keys))  # groups p0, p1... map back to names
        route = Route(operation=op, method=op.method.upper(), template=op.path, segments=segments,
                      literal_count=literal, path_params={}, headers=[], queries=[], swagger=sw)
        for spec in specs:
            loc, name = spec["in"], spec["name"]
            if loc == "body":
                route.has_body = True
                route.body_required = bool(spec.get("required"))
                route.body_check = compiler.compile(spec.get("schema") or {})
                continue
            parse = compile_parameter(spec, compiler)
            if loc == "path":
                times = 2 if spec.get("x-ms-url-encoding") == "double" else 1
                route.path_params[name] = ParamSpec(name, loc, True, parse, name, times)
            elif loc == "header":
                route.headers.append(ParamSpec(name, loc, bool(spec.get("required")), parse, name.lower()))
            elif loc == "query":
                route.queries.append(ParamSpec(name, loc, bool(spec.get("required")), parse, name))
            # formData parameters are not used by JSON connectors; they would be ignored here
        route.success = next((int(r.status) for r in op.responses if r.status.isdigit()
                              and r.status.startswith("2")), 200)
        return route

    def lookup(self, raw_path: bytes) -> tuple[list[tuple[Route, dict[str, str]]], bool]:
        """Routes whose template matches ``raw_path`` (most literal first) and whether the path was under
        the base path at all."""
        base = self.base_path.encode()
        if not raw_path.startswith(base + b"/"):
            return [], False
        rest = raw_path[len(base) + 1:]
        raw_segments = rest.split(b"/")
        candidates = self.by_length.get(len(raw_segments))
        if not candidates:
            return [], True
        decoded = [unquote(s.decode("utf-8", "replace"), errors="replace") if b"%" in s
                   else s.decode("utf-8", "replace") for s in raw_segments]
        found = []
        for route in candidates:
            values = route.match(decoded)
            if values is not None:
                found.append((route, values))
        return found, True


class _NamedRegex:
    """A path segment mixing literal text and parameters (``{a}.json``)."""

    def __init__(self, rx: re.Pattern, keys: dict[str, str]):
        self.rx = rx
        self.keys = keys

    def fullmatch(self, text: str):
        m = self.rx.fullmatch(text)
        if m is None:
            return None
        return _Match({self.keys[k]: v for k, v in m.groupdict().items()})


class _Match:
    def __init__(self, values: dict[str, str]):
        self._values = values

    def groupdict(self) -> dict[str, str]:
        return self._values


def _take(location: str, specs: Any, source: dict[str, str], out: dict[str, Any],
          problems: list[dict[str, str]]) -> None:
    """Typed values of the header or query parameters ``specs`` from ``source`` into ``out``; each missing
    required or malformed one becomes a problem naming its location and name."""
    for spec in specs:
        raw = source.get(spec.key)
        if raw is None:
            if spec.required:
                problems.append({"in": location, "name": spec.name, "reason": "is required"})
            continue
        try:
            out[spec.name] = spec.parse(raw)
        except ParameterError as exc:
            problems.append({"in": location, "name": spec.name, "reason": str(exc)})
