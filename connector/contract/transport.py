"""How a request travels from the platform-like client to the service.

``Transport`` is the seam: ``DirectTransport`` sends the request over HTTP as is; ``ScriptTransport`` runs
the connector's ``script.csx`` for the operations listed in ``scriptOperations`` (the script sees the
request, may rewrite it, forwards it with ``Context.SendAsync`` and may rewrite the answer), exactly where
the platform runs it: after authentication, before the service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import httpx


@dataclass
class HttpRequest:
    method: str
    url: str
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes | None = None
    operation_id: str | None = None  # the platform knows which operation a request belongs to

    def copy(self) -> "HttpRequest":
        return HttpRequest(self.method, self.url, httpx.Headers(self.headers), self.body, self.operation_id)


@dataclass
class HttpResponse:
    status: int
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8-sig")) if self.body.strip() else None

    def text(self, limit: int = 300) -> str:
        text = self.body.decode("utf-8", "replace").strip()
        return text if len(text) <= limit else text[:limit] + "..."

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class DirectTransport:
    """Plain HTTP, one connection pool, redirects not followed (the platform does not follow them either)."""

    def __init__(self, timeout: float = 30.0, client: httpx.Client | None = None):
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def send(self, request: HttpRequest) -> HttpResponse:
        try:
            r = self.client.request(request.method, request.url, headers=request.headers, content=request.body)
        except httpx.HTTPError as exc:
            raise TransportError(f"{request.method} {request.url}: {type(exc).__name__}: {exc}") from exc
        return HttpResponse(status=r.status_code, headers=httpx.Headers(r.headers), body=r.content)

    def close(self) -> None:
        self.client.close()


class TransportError(Exception):
    """The request never got an HTTP answer (connection refused, timeout, script crash)."""


class ScriptRunner(Protocol):
    """Runs the connector's script for one request; the script's ``Context.SendAsync`` reaches the service."""

    def run(self, operation_id: str, correlation_id: str, request: HttpRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class ScriptTransport:
    """Runs ``script.csx`` between client and service for the operations in ``scriptOperations``;
    every other request goes straight to ``inner``."""

    def __init__(self, runner: ScriptRunner, script_operations: tuple[str, ...], inner: Transport,
                 correlation_id: Callable[[], str]):
        self.runner = runner
        self.script_operations = frozenset(script_operations)
        self.inner = inner
        self.correlation_id = correlation_id
        self.runs: list[str] = []  # operation ids the script ran for, in order (the tests read it)

    def send(self, request: HttpRequest) -> HttpResponse:
        if request.operation_id not in self.script_operations:
            return self.inner.send(request)
        self.runs.append(request.operation_id)
        return self.runner.run(request.operation_id, self.correlation_id(), request)

    def close(self) -> None:
        self.runner.close()
        self.inner.close()
