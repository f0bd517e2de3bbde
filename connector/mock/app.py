"""The mock's ASGI application.

Requests under the swagger's basePath take the hot path: route (404 / 405), bearer token (401), scope
(403), throttle (429), size (413) and JSON (400) checks, the compiled parameter and body validation (400),
then the operation's handler, whose answer is shaped by the response schema. A plain request (its body in,
nothing else in flight on its connection) is answered by the mock's HTTP protocol calling ``respond_now``
directly, without an ASGI cycle; any other (chunked, ``Expect: 100-continue``, a body over the limit, or a
server other than the mock's) goes through ``api``, the same checks as an ASGI function. Everything else
(the OAuth pages, ``/_mock/...``, lifespan) is a small Starlette app. One JSON line is logged per request.
"""

from __future__ import annotations

import base64
import math
import re
import secrets
import sys
import time
import traceback
from typing import Any, Callable, TextIO

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from ..generate.profiles import apply_profile
from ..generate.swagger import to_swagger
from ..model import Connector, load_model
from ..swaggerdoc import resolve_ref, too_deep
from .behaviour import ApiError, Call
from .config import Settings
from .jobs import JobRunner
from .oauth import AuthorizationServer, Grant
from .generic import Generic, GenericPlugin, schema_example
from .plugin import MockPlugin, plugin_for
from .routes import RequestProblem, Route, RouteTable, query_pairs
from .validation import JSON_TYPES, MAX_JSON_DEPTH
from .store import Store

JSON_HEADERS = [(b"content-type", b"application/json; charset=utf-8")]
_ABSENT = object()  # an optional request body that was left out (unlike a JSON null)
OAUTH_PATHS = ("/oauth2/v2.0/authorize", "/oauth2/v2.0/token")  # the mock build profile's OAuth URLs
# identity providers' own URL shapes, served too: aad (v1 and v2 endpoints under a tenant)
TENANT_PATHS = {"/{tenant}/oauth2/authorize": "authorize", "/{tenant}/oauth2/token": "token",
                "/{tenant}/oauth2/v2.0/authorize": "authorize", "/{tenant}/oauth2/v2.0/token": "token"}
_TEMPLATE = re.compile(r"\{[^{}/]*\}")


def oauth_paths(connector: Connector) -> dict[str, str]:
    """Every path the mock's authorization server answers at (path -> "authorize" | "token"): its own, the
    tenant-shaped ones of aad, and the paths of the connector's declared sign-in URLs (the swagger's
    authorization and token URLs, and apiProperties' ``customParameters`` URLs and oauth2generic URL templates),
    so a client that only points the declared URLs' origin at the mock signs in there."""
    found = {OAUTH_PATHS[0]: "authorize", OAUTH_PATHS[1]: "token"}
    security = connector.security
    params = connector.imported.properties_extra.get("connectionParameters")
    signs_in = isinstance(params, dict) and any(isinstance(p, dict) and p.get("type") == "oauthSetting"
                                                for p in params.values())
    if type(security).__name__ != "OAuth2" and not signs_in:
        return found
    found.update(TENANT_PATHS)
    urls = [("authorize", security.authorization_url), ("token", security.token_url),
            ("token", security.refresh_url)] if type(security).__name__ == "OAuth2" else []
    for param in (params.values() if isinstance(params, dict) else ()):
        settings = param.get("oAuthSettings") if isinstance(param, dict) else None
        custom = settings.get("customParameters") if isinstance(settings, dict) else None
        for key, entry in (custom.items() if isinstance(custom, dict) else ()):
            value = entry.get("value") if isinstance(entry, dict) else None
            name = str(key).lower()
            kind = "authorize" if "authoriz" in name else "token" if "token" in name or "refresh" in name else None
            if kind and isinstance(value, str):
                urls.append((kind, value))
    for kind, url in urls:
        if not isinstance(url, str) or "://" not in url:
            continue
        rest = url.split("://", 1)[1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else ""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path and path != "/":
            found.setdefault(path, kind)
    return found


def _path_regex(paths: Any) -> "re.Pattern[str]":
    parts = ["(?:" + "[^/]+".join(re.escape(piece) for piece in _TEMPLATE.split(path)) + ")" for path in paths]
    return re.compile("|".join(parts))
MAX_FORM = 64 * 1024  # the sign-in form and token requests


def mock_swagger(connector: Connector, settings: Settings) -> dict[str, Any]:
    """The swagger the mock serves: the connector built with the mock profile (its host, scheme, OAuth URLs)."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return to_swagger(apply_profile(connector, "mock", f"http://{host}:{settings.port}"))


MAX_SHAPE_DEPTH = 16  # a recursive schema (a folder holding folders) is shaped this deep, then passed as is


def compile_shape(schema: dict[str, Any] | None, resolve: Callable[[str], dict[str, Any]],
                  depth: int = 0) -> Callable[[Any], Any]:
    """A function giving a handler's answer (whose object keys are lower-case) the response schema's property
    names, keeping only declared properties and dropping None values (absent, not null)."""
    kind, check, fallback = _shape(schema, resolve, depth)
    if kind == _SAME:
        return _same
    if kind == _SCALAR:
        types, boolean = check
        return lambda v: v if isinstance(v, types) and (boolean or v.__class__ is not bool) else fallback
    return check


_SAME, _SCALAR, _NESTED = 0, 1, 2


def _same(value: Any) -> Any:
    return value


def _shape(schema: dict[str, Any] | None, resolve: Callable[[str], dict[str, Any]], depth: int) -> tuple[int, Any, Any]:
    """How one schema shapes a value: (_SAME, None, None) as it is; (_SCALAR, (types, boolean), fallback) a
    scalar kept when of its type, else ``fallback``; (_NESTED, function, None) an object or array. An object's
    scalar properties are checked inline (one function call per object, not per property)."""
    if not schema or depth > MAX_SHAPE_DEPTH:
        return _SAME, None, None
    seen = 0
    while "$ref" in schema:
        schema = resolve(schema["$ref"]) or {}
        seen += 1
        if seen > MAX_SHAPE_DEPTH:  # a $ref that points at a $ref ... in a circle
            return _SAME, None, None
    props = schema.get("properties")
    if props:
        fields = []
        for name, sub in props.items():
            kind, check, fallback = _shape(sub, resolve, depth + 1)
            types, boolean = check if kind == _SCALAR else (None, False)
            fields.append((name, name.lower(), kind, types, boolean, fallback, check))

        def shape_object(v: Any) -> Any:
            if not isinstance(v, dict):
                return v
            out = {}
            get = v.get
            for name, key, kind, types, boolean, fallback, sub in fields:
                x = get(key)
                if x is None:
                    continue
                if kind == _SAME:
                    out[name] = x
                elif kind == _SCALAR:
                    out[name] = x if isinstance(x, types) and (boolean or x.__class__ is not bool) else fallback
                else:
                    out[name] = sub(x)
            return out
        return _NESTED, shape_object, None
    items = schema.get("items")
    if isinstance(items, dict):
        sub_items = compile_shape(items, resolve, depth + 1)
        return _NESTED, (lambda v: [sub_items(x) for x in v] if isinstance(v, list) else v), None
    kind = schema.get("type")
    if kind in ("string", "integer", "number", "boolean"):
        # a stored value of another type (the create's schema said an object, the read's a string): the read
        # schema's example instead, so the answer follows the schema it is declared with
        fallback = schema_example(schema, resolve)
        if fallback is not None:
            return _SCALAR, (JSON_TYPES[kind], kind == "boolean"), fallback
    return _SAME, None, None


class RequestLog:
    """One JSON line per request (never a token, a secret or a query string). Lines are buffered and
    written at most every ``FLUSH_EVERY`` seconds (and at shutdown): one write per batch, not per request."""

    FLUSH_EVERY = 0.25

    def __init__(self, stream: TextIO | None):
        self.stream = stream
        self._lines: list[bytes] = []
        self._timer: Any = None

    def __call__(self, entry: dict[str, Any]) -> None:
        if self.stream is None:
            return
        entry = {"ts": round(time.time(), 3), **entry}
        self._lines.append(orjson.dumps(entry))
        if self._timer is None:
            try:
                import asyncio

                self._timer = asyncio.get_running_loop().call_later(self.FLUSH_EVERY, self.flush)
            except RuntimeError:
                self.flush()

    def flush(self) -> None:
        self._timer = None
        if not self._lines or self.stream is None:
            return
        text = (b"\n".join(self._lines) + b"\n").decode("utf-8")
        self._lines = []
        try:
            self.stream.write(text)
            self.stream.flush()
        except (ValueError, OSError):  # the stream went away (shutdown): logging must never break a request
            pass


class MockApp:
    def __init__(self, settings: Settings, connector: Connector | None = None, log_stream: TextIO | None = None,
                 plugin: MockPlugin | None = None):
        self.settings = settings
        self.connector = connector or load_model()
        self.plugin = plugin or plugin_for(self.connector) or GenericPlugin()
        self.swagger = mock_swagger(self.connector, settings)
        self.table = RouteTable(self.connector, self.swagger)
        self.base = self.table.base_path.encode()
        throttling = self.connector.throttling
        security = self.connector.security
        self.auth_kind = "none" if security is None else {"OAuth2": "oauth2", "ApiKey": "apiKey",
                                                           "BasicAuth": "basic"}[type(security).__name__]
        self.rate_limit = settings.rate_limit if settings.rate_limit is not None else \
            (throttling.calls if throttling else 0)
        self.rate_window = settings.rate_window if settings.rate_window is not None else \
            (throttling.period_seconds if throttling else 60)
        self._windows: dict[str, list[float]] = {}
        self._anonymous = Grant("anonymous", "none", frozenset(), math.inf, "anonymous")
        self._api_key_grant = Grant("api-key", "api-key", frozenset(), math.inf, "api-key")
        self._produces: dict[str | None, str | None] = {}  # op id -> the media type it answers with
        self._accepted: dict[str, Grant] = {}  # Authorization headers that passed the basic check
        self.log = RequestLog(log_stream)
        self.store = Store(settings.db, settings.sync, self.plugin.state)
        self.store.seed(settings.seed, reset=settings.reset)
        self.jobs = JobRunner(settings, self.store, self.log)
        self.oauth = AuthorizationServer(settings, self.store,
                                         getattr(self.connector.security, "scopes", ()),
                                         title=self.connector.title)
        compiler_resolve = lambda ref: _resolve(self.swagger, ref)  # noqa: E731
        self.shapes: dict[str, Callable[[Any], Any]] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        for route in self.table.routes:
            response = (route.swagger.get("responses") or {}).get(str(route.success)) or {}
            self.shapes[route.id] = compile_shape(response.get("schema"), compiler_resolve)
            self.defaults[route.id] = _body_defaults(route, compiler_resolve)
        trigger = next(iter(self.connector.triggers), None)
        notify_schema = self.swagger["paths"][trigger.path].get("x-ms-notification-content", {}).get("schema") \
            if trigger else None
        if isinstance(self.plugin, GenericPlugin):  # collections inferred from the routes themselves
            examples = {r.id: schema_example(((r.swagger.get("responses") or {}).get(str(r.success)) or {})
                                             .get("schema"), compiler_resolve) for r in self.table.routes}
            self.behaviour = Generic(self.store, self.table.routes, examples.get)
            if any(r.swagger.get("x-ms-trigger") for r in self.table.routes):
                from .triggers import Triggers
                from .validation import SchemaCompiler

                checks = SchemaCompiler(self.swagger)
                self.behaviour.triggers = Triggers(
                    settings=settings, store=self.store, jobs=self.jobs, swagger=self.swagger,
                    routes=self.table.routes, resolve=compiler_resolve, base_path=self.table.base_path,
                    generic=self.behaviour, shape=lambda schema: compile_shape(schema, compiler_resolve),
                    compile_check=lambda schema: checks.compile(schema) if schema else (lambda v: []),
                    example=lambda schema: schema_example(schema, compiler_resolve))
            from .dropdowns import DropdownChecks

            self.dropdowns = DropdownChecks(self.table.routes, self.behaviour.handlers, self.shapes, self.defaults,
                                            compiler_resolve, settings, store=self.store)
        else:
            self.behaviour = self.plugin.behaviour(settings, self.store, self.jobs,
                                                   compile_shape(notify_schema, compiler_resolve))
        missing = [r.id for r in self.table.routes if r.id not in self.behaviour.handlers]
        self.unhandled = set(missing)
        self.oauth_paths = oauth_paths(self.connector)
        self._own_paths = _path_regex(self.oauth_paths)
        self.other = Starlette(routes=[
            *(StarletteRoute(path, self.oauth.authorize, methods=["GET", "POST"]) if kind == "authorize" else
              StarletteRoute(path, self.oauth.token, methods=["POST"]) for path, kind in self.oauth_paths.items()),
            StarletteRoute("/_mock/inbound", self.inbound, methods=["POST"]),
            StarletteRoute("/_mock/inbound/{operation_id}", self.inbound, methods=["POST"]),
            StarletteRoute("/_mock/triggers", self.triggers, methods=["GET"]),
            StarletteRoute("/_mock/webhooks", self.webhooks, methods=["GET"]),
            StarletteRoute("/_mock/webhooks/{subscription_id}", self.delete_webhook, methods=["DELETE"]),
            StarletteRoute("/_mock/health", self.health, methods=["GET"]),
            StarletteRoute("/_mock/swagger.json", self.serve_swagger, methods=["GET"]),
        ], exception_handlers={404: self._not_found, 405: self._not_allowed, _TooLarge: self._body_too_large,
                               Exception: self._failed})

    # -- ASGI entry ------------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            if self.takes(scope.get("raw_path") or scope["path"].encode()):
                await self.api(scope, receive, send)
                return
            await self._other(scope, receive, send)
            return
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        await self.other(scope, receive, send)

    def _own_path(self, raw: bytes) -> bool:
        """The mock's own endpoints (its OAuth paths, /_mock/) under the API's basePath (a basePath of "/", or one
        a declared sign-in URL shares), where the API has no operation at that path."""
        path = raw.split(b"?")[0]
        if not (path.startswith(b"/_mock/") or self._own_paths.fullmatch(path.decode("latin-1"))):
            return False
        return not self.table.lookup(path)[0]

    async def lifespan(self, receive: Callable, send: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.store.start_checkpointer()
                    await self.jobs.start()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.jobs.stop()
                self.store.close()
                self.log.flush()
                print("connector mock: stopped; every acknowledged write is in the database", file=sys.stderr)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _other(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        started = time.perf_counter()
        status = [0]
        limit = min(MAX_FORM, self.settings.max_body) if self._own_paths.fullmatch(scope["path"]) \
            else self.settings.max_body
        declared = _Headers(scope["headers"]).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self._too_large_answer(scope, send, limit, started)
            return
        received = [0]

        async def bounded_receive() -> dict[str, Any]:
            """The body counted while it is read (chunked ones too): past ``limit`` the read stops with 413."""
            message = await receive()
            if message["type"] == "http.request":
                received[0] += len(message.get("body", b""))
                if received[0] > limit:
                    raise _TooLarge(limit)
            return message

        async def send_status(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                try:
                    await self.store.durable()  # nothing is acknowledged before it is committed
                except Exception:
                    message = {"type": "http.response.start", "status": 503, "headers": JSON_HEADERS}
                    status[0] = 503
                    await send(message)
                    await send({"type": "http.response.body", "body": b'{"error":"storage_failed",'
                                b'"message":"the database refused the write"}'})
                    status.append("failed")
                    return
                status[0] = message["status"]
            elif len(status) > 1:
                return
            await send(message)
        try:
            await self.other(scope, bounded_receive, send_status)
        finally:
            self.log({"method": scope["method"], "path": scope["path"], "status": status[0] or 500,
                      "operationId": None, "ms": round((time.perf_counter() - started) * 1000, 3)})

    async def _too_large_answer(self, scope: dict[str, Any], send: Callable, limit: int, started: float) -> None:
        body = orjson.dumps({"error": "payload_too_large", "message": f"the body is larger than {limit} bytes"})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
        self.log({"method": scope["method"], "path": scope["path"], "status": 413, "operationId": None,
                  "ms": round((time.perf_counter() - started) * 1000, 3)})

    async def _body_too_large(self, request: Request, exc: Exception) -> Response:
        limit = getattr(exc, "limit", self.settings.max_body)
        return JSONResponse({"error": "payload_too_large", "message": f"the body is larger than {limit} bytes"},
                            413, headers={"connection": "close"})

    # -- the API ---------------------------------------------------------------------------------------
    # Two ways in, one behaviour: ``api`` (ASGI: the body read as the checks before it allow) and, for a plain
    # request whose body has already arrived, ``respond_now`` + ``finish`` called by the mock's HTTP protocol
    # without an ASGI cycle (connector/mock/protocol.py). Both run ``_admit`` (route, authentication, scope,
    # throttling, parameters), ``_parse_json`` and ``_checked`` (the body), ``_call`` (handler, shaping) and
    # ``finish`` (status, headers, body, log entry).
    async def api(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        started = time.perf_counter()
        body_done = [not _has_body(scope["headers"])]

        async def tracked_receive() -> dict[str, Any]:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                body_done[0] = True
            return message
        try:
            answer = await self._handle(scope, tracked_receive)
        except Exception:  # a bug, never the caller's fault: still JSON, and logged with its traceback
            traceback.print_exc(file=sys.stderr)
            answer = _FAILED
        failure = None
        try:
            await self.store.durable()  # nothing is acknowledged before it is committed
        except Exception as exc:
            failure = exc
        status, headers, body = self.finish(answer, failure, scope["method"], scope["path"], started)
        if not body_done[0] and (b"connection", b"close") not in headers:
            headers.insert(-1, (b"connection", b"close"))  # answered before the body was read: do not read it
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def respond_now(self, method: str, raw_path: bytes, query: bytes, raw_headers: list[tuple[bytes, bytes]],
                    raw_body: bytes) -> tuple[Route | None, int, Any, list]:
        """The answer to a request whose body has arrived whole, computed at once (no ASGI cycle). The caller
        sends it with ``finish`` once ``self.store`` has nothing pending (``Store.when_durable``)."""
        try:
            headers = _Headers(raw_headers)
            try:
                route, params, grant = self._admit(method, raw_path, headers, query)
                body = self._checked(route, self._parse_json(route, headers, raw_body)) if route.has_body else None
            except _Refused as refused:
                return refused.answer
            except RequestProblem as problem:
                return _problem(route, problem)
            return self._call(route, params, body, grant, query, raw_path)
        except Exception:  # a bug, never the caller's fault: still JSON, and logged with its traceback
            traceback.print_exc(file=sys.stderr)
            return _FAILED

    def finish(self, answer: tuple[Route | None, int, Any, list], failure: Exception | None, method: str,
               path: str | bytes, started: float) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The status, headers and body of an answer whose writes are committed (``failure``: the commit
        failed, so 503 instead), with the request's log entry."""
        route, status, payload, extra_headers = answer
        if failure is not None:
            status, payload = 503, {"error": "storage_failed",
                                    "message": f"the database refused the write: {failure}"}
        op_id = route.id if route is not None else None
        if payload is None or status == 204:
            body = b""
            headers = []
            produces = self._produces.get(op_id, _ABSENT) if 200 <= status < 300 else None
            if produces is _ABSENT:
                produces = self._produces[op_id] = route_produces(self.connector, op_id)
            if produces:  # as schemathesis' content type check wants
                headers.append((b"content-type", produces.encode("latin-1")))
        else:
            try:
                body = orjson.dumps(payload)
            except TypeError:  # a behaviour answered what JSON cannot hold (its bug): 500, still JSON
                traceback.print_exc(file=sys.stderr)
                status, body, extra_headers = 500, orjson.dumps(_FAILED[2]), []
            headers = list(JSON_HEADERS)
        headers.extend(extra_headers)
        headers.append((b"content-length", str(len(body)).encode()))
        if self.log.stream is not None:  # --quiet: not even the entry is made
            if isinstance(path, bytes):
                path = _decode_path(path)
            self.log({"method": method, "path": path, "status": status, "operationId": op_id,
                      "ms": round((time.perf_counter() - started) * 1000, 3)})
        return status, headers, body

    def takes(self, raw_path: bytes) -> bool:
        """The request goes to the API (not to the mock's own endpoints)."""
        base = self.base
        return raw_path.startswith(base) and (len(raw_path) == len(base) or raw_path[len(base)] in b"/?") \
            and not self._own_path(raw_path)

    async def _handle(self, scope: dict[str, Any], receive: Callable) -> tuple[Route | None, int, Any, list]:
        method = scope["method"]
        raw_path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        headers = _Headers(scope["headers"])
        try:
            route, params, grant = self._admit(method, raw_path, headers, query)
            body = None
            if route.has_body:
                body = self._checked(route, await self._read_json(route, headers, receive))
            elif method in ("POST", "PUT", "PATCH"):
                await self._drain(receive)
        except _Refused as refused:
            return refused.answer
        except RequestProblem as problem:
            return _problem(route, problem)
        except _TooLarge as exc:
            return route, 413, {"error": "payload_too_large",
                                "message": f"the body is larger than {exc.limit} bytes"}, [(b"connection", b"close")]
        return self._call(route, params, body, grant, query, raw_path)

    @staticmethod
    def _checked(route: Route, body: Any) -> Any:
        """A request body checked against the operation's schema; None for an optional body left out (which is
        not checked)."""
        if body is _ABSENT:
            return None
        route.check_body(body)
        return body

    def _admit(self, method: str, raw_path: bytes, headers: "_Headers", query: bytes
               ) -> tuple[Route, dict[str, Any], Grant]:
        """The route, its typed non-body parameters and the caller's grant; raises ``_Refused`` with the answer
        (404, 405, 401, 403, 429; 400 for a parameter) when the request goes no further."""
        matches, _ = self.table.lookup(raw_path)
        route = values = None
        for candidate, vals in matches:
            if candidate.method == method:
                route, values = candidate, vals
                break
        if route is None:
            if matches:
                allowed = sorted({r.method for r, _ in matches})
                raise _Refused(None, 405, {"error": "method_not_allowed",
                                           "message": f"{method} is not allowed here; allowed: {', '.join(allowed)}",
                                           "allowed": allowed}, [(b"allow", ", ".join(allowed).encode())])
            raise _Refused(None, 404, {"error": "not_found",
                                       "message": f"no operation at {method} {_decode_path(raw_path)}"}, [])

        # authentication, scope, throttling
        if self.auth_kind != "oauth2":
            grant, refusal = self._authenticate_other(headers, query)
            if refusal is not None:
                raise _Refused(route, 401, refusal[0], refusal[1])
        else:
            refused = self._authenticate_bearer(headers)
            if isinstance(refused, tuple):
                raise _Refused(route, *refused)
            grant = refused
        needed = self.connector.scope_of(route.operation) if self.auth_kind == "oauth2" else None
        if needed and needed not in grant.scopes:
            raise _Refused(route, 403, {"error": "insufficient_scope", "message": f"{route.id} needs the scope {needed}",
                                        "scope": needed},
                           [(b"www-authenticate", f'Bearer error="insufficient_scope", scope="{needed}"'.encode())])
        if self.rate_limit:
            now = time.monotonic()
            window = self._windows.get(grant.token_hash)
            if window is None and len(self._windows) > 10_000:  # forget windows that ended
                self._windows = {k: w for k, w in self._windows.items() if now - w[0] < self.rate_window}
            if window is None or now - window[0] >= self.rate_window:
                window = self._windows[grant.token_hash] = [now, 0]
            if window[1] >= self.rate_limit:
                retry = max(1, math.ceil(window[0] + self.rate_window - now))
                raise _Refused(route, 429, {"error": "too_many_requests",
                                            "message": f"{self.rate_limit} calls per connection per "
                                                       f"{self.rate_window:g} seconds; retry in {retry} s",
                                            "retryAfter": retry}, [(b"retry-after", str(retry).encode())])
            window[1] += 1
        try:
            return route, route.parse_parameters(values, headers, query), grant
        except RequestProblem as problem:
            raise _Refused(*_problem(route, problem)) from None

    def _call(self, route: Route, params: dict[str, Any], body: Any, grant: Grant, query: bytes,
              raw_path: bytes) -> tuple[Route | None, int, Any, list]:
        """The operation's handler on checked parameters and body, its answer shaped by the response schema."""
        if route.id in self.unhandled:
            return route, 501, {"error": "not_implemented", "message": f"the mock has no behaviour for {route.id}"}, []
        try:
            call = Call(route.id, params, body, grant, self.defaults[route.id], query.decode("latin-1"),
                        raw_path.decode("latin-1"))
            result = self.behaviour.handlers[route.id](call)
        except ApiError as exc:
            return route, exc.status, {**exc.body(), "operationId": route.id}, []
        status, answer = result[0], result[1]
        headers = list(result[2]) if len(result) > 2 else []  # a handler may add headers (Location, Retry-After)
        status = status or route.success
        if status == 204:
            return route, 204, None, headers
        return route, status, self.shapes[route.id](answer) if answer is not None else None, headers

    def _authenticate_bearer(self, headers: "_Headers") -> Any:
        """The grant of the request's bearer token, or (status, answer, headers) refusing it."""
        auth = headers.get("authorization", "")
        if auth[:7].lower() != "bearer " or not auth[7:].strip():
            return 401, {"error": "unauthorized", "message": "a bearer token is required (Authorization: "
                                "Bearer <access token> from /oauth2/v2.0/token)"}, \
                [(b"www-authenticate", b'Bearer realm="connector mock"')]
        grant = self.oauth.grant_for(auth[7:].strip())
        if grant is None:
            return 401, {"error": "invalid_token", "message": "the access token is unknown, revoked or "
                                "expired; get a new one (refresh_token grant)"}, \
                [(b"www-authenticate", b'Bearer realm="connector mock", error="invalid_token"')]
        if grant.client_id != self.settings.client_id:
            return 401, {"error": "invalid_token", "message": "the access token was issued to another "
                                "client id than this mock's; sign in again"}, \
                [(b"www-authenticate", b'Bearer realm="connector mock", error="invalid_token"')]
        return grant

    def _authenticate_other(self, headers: "_Headers", query: bytes) -> tuple[Any, Any]:
        """API key, basic or no authentication, as the model declares: (grant, None) or (None, refusal)."""
        security = self.connector.security
        if self.auth_kind == "none":
            return self._anonymous, None
        if self.auth_kind == "basic":
            known = self._accepted.get(headers.get("authorization", ""))
            if known is not None:  # the same credentials as an earlier request: checked then
                return known, None
        if self.auth_kind == "apiKey":
            if security.location == "query":
                given = query_pairs(query).get(security.name, "")
            else:
                given = headers.get(security.name.lower(), "")
            if not given or not secrets.compare_digest(given.encode(), self.settings.api_key.encode()):
                return None, ({"error": "unauthorized", "message": f"an API key is required in the {security.location} "
                               f"{security.name!r} (the mock's is set with --api-key)"}, [])
            return self._api_key_grant, None
        auth = headers.get("authorization", "")
        user = password = None
        if auth[:6].lower() == "basic ":
            try:
                user, _, password = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user = None
        if user is None or not (secrets.compare_digest(user.encode(), self.settings.username.encode())
                                and secrets.compare_digest(password.encode(), self.settings.password.encode())):
            return None, ({"error": "unauthorized", "message": "a user name and password are required "
                           "(Authorization: Basic; the mock's are set with --username and --password)"},
                          [(b"www-authenticate", b'Basic realm="connector mock"')])
        grant = Grant(user, "basic", frozenset(), math.inf, "basic:" + user)
        if len(self._accepted) < 64:  # one valid user: a few spellings of its header at most
            self._accepted[auth] = grant
        return grant, None

    async def _read_json(self, route: Route, headers: "_Headers", receive: Callable) -> Any:
        limit = self.settings.max_body
        declared = headers.get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            raise _TooLarge(limit)
        return self._parse_json(route, headers, await self._body(receive, limit))

    @staticmethod
    def _parse_json(route: Route, headers: "_Headers", raw: bytes) -> Any:
        ctype = headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            raise RequestProblem([{"in": "body", "pointer": "", "reason": f"content type {ctype!r} is not "
                                   "supported; send application/json"}], 415, "unsupported_media_type")
        if not raw.strip():
            if route.body_required:
                raise RequestProblem([{"in": "body", "pointer": "", "reason": "is required (a JSON object)"}])
            return _ABSENT
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise RequestProblem([{"in": "body", "pointer": "", "reason": f"is not valid JSON: {exc}"}]) from None
        deep = too_deep(data, MAX_JSON_DEPTH)
        if deep is not None:
            raise RequestProblem([{"in": "body", "pointer": deep, "reason": f"nests deeper than {MAX_JSON_DEPTH} "
                                   f"levels (the mock accepts up to {MAX_JSON_DEPTH})"}])
        return data

    @staticmethod
    async def _body(receive: Callable, limit: int) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge(limit)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    async def _drain(self, receive: Callable) -> None:
        await self._body(receive, self.settings.max_body)

    # -- the mock's own endpoints ----------------------------------------------------------------------
    async def inbound(self, request: Request) -> Response:
        raw = await request.body()  # bounded while it is read (``_other``)
        try:
            data = orjson.loads(raw) if raw.strip() or "operation_id" not in request.path_params else None
        except orjson.JSONDecodeError as exc:
            return JSONResponse({"error": "invalid_request", "message": f"the body is not valid JSON: {exc}",
                                 "pointer": ""}, 400)
        deep = too_deep(data, MAX_JSON_DEPTH)
        if deep is not None:
            return JSONResponse({"error": "invalid_request", "message": f"{deep}: nests deeper than "
                                 f"{MAX_JSON_DEPTH} levels (the mock accepts up to {MAX_JSON_DEPTH})",
                                 "pointer": deep}, 400)
        op_id = request.path_params.get("operation_id")
        try:
            if op_id is None:
                return JSONResponse(self.behaviour.inbound(data), 202)
            fire = getattr(self.behaviour, "fire", None)
            if fire is None:
                return JSONResponse({"error": "not_found", "message": f"this connector's plug-in "
                                     f"({self.plugin.name}) takes its events at POST /_mock/inbound"}, 404)
            return JSONResponse(fire(op_id, data, dict(request.query_params)), 202)
        except ApiError as exc:
            return JSONResponse(exc.body(), exc.status)

    def _triggers(self) -> Any:
        return getattr(self.behaviour, "triggers", None) if isinstance(self.plugin, GenericPlugin) else None

    async def triggers(self, request: Request) -> Response:
        """What the mock knows of the connector's triggers (kind, registration, delete, inbound endpoint)."""
        found = self._triggers()
        return JSONResponse({"triggers": found.describe() if found is not None else []})

    async def webhooks(self, request: Request) -> Response:
        found = self._triggers()
        return JSONResponse({"webhooks": found.hooks() if found is not None else []})

    async def delete_webhook(self, request: Request) -> Response:
        """Where a registration's Location points when the connector declares no delete operation."""
        found = self._triggers()
        sub_id = request.path_params["subscription_id"]
        if found is None or not found.delete(sub_id):
            return JSONResponse({"error": "not_found", "message": f"there is no webhook subscription {sub_id!r}"},
                                404)
        return Response(status_code=204)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "basePath": self.table.base_path,
                             "operations": len(self.table.routes)})

    async def serve_swagger(self, request: Request) -> Response:
        return JSONResponse(self.swagger)

    async def _failed(self, request: Request, exc: Exception) -> Response:
        traceback.print_exception(exc, file=sys.stderr)
        return JSONResponse({"error": "internal_error", "message": "the mock failed; see its log"}, 500)

    async def _not_found(self, request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "not_found", "message": f"no endpoint at {request.method} {request.url.path}"},
                            404)

    async def _not_allowed(self, request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "method_not_allowed",
                             "message": f"{request.method} is not allowed at {request.url.path}"}, 405,
                            headers=getattr(exc, "headers", None))


def route_produces(connector: Any, op_id: str | None) -> str | None:
    """The media type an operation declares it answers with (its own ``produces``, else the connector's)."""
    if op_id is None:
        return None
    op = next((o for o in connector.operations if o.id == op_id), None)
    produces = getattr(op, "produces", None)
    if produces is None:
        produces = getattr(connector, "produces", None)
    return produces[0] if produces else None


class _Headers(dict):
    """Request headers by lower-case name, decoded only when read (most are never looked at)."""

    __slots__ = ()

    def __init__(self, raw: list[tuple[bytes, bytes]]):
        super().__init__(raw)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        value = dict.get(self, name.encode("latin-1"))
        if value is None:
            return default
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"0", b"")):
            return True
    return False


class _TooLarge(Exception):
    def __init__(self, limit: int):
        self.limit = limit


def _resolve(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    node = resolve_ref(doc, ref)
    if node is None:
        raise KeyError(ref)
    return node


def _body_defaults(route: Route, resolve: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    for p in route.swagger.get("parameters", []):
        if p.get("in") == "body":
            schema = p.get("schema") or {}
            while "$ref" in schema:
                schema = resolve(schema["$ref"])
            return {k: v["default"] for k, v in (schema.get("properties") or {}).items()
                    if isinstance(v, dict) and "default" in v}
    return {}


class _Refused(Exception):
    """A request that goes no further than ``MockApp._admit``: ``answer`` is (route, status, payload, headers)."""

    def __init__(self, route: Route | None, status: int, payload: Any, headers: list):
        self.answer = (route, status, payload, headers)


_FAILED = (None, 500, {"error": "internal_error", "message": "the mock failed; see its log"}, [])


def _problem(route: Route, problem: RequestProblem) -> tuple[Route, int, Any, list]:
    return route, problem.status, {"error": problem.code, "message": str(problem), "operationId": route.id,
                                   "problems": problem.problems}, []


def _decode_path(raw_path: bytes) -> str:
    """The path as ASGI's ``scope["path"]`` spells it (percent-decoded)."""
    path = raw_path.split(b"?", 1)[0].decode("latin-1")
    if "%" in path:
        from urllib.parse import unquote

        path = unquote(path)
    return path
