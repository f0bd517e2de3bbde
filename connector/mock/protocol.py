"""The mock's HTTP/1.1 protocol: uvicorn's httptools protocol with the protocol-level answers made JSON and
the request head bounded in time and size.

uvicorn answers what never reaches the application (a request line or header that is not HTTP, a path
that is not ASCII) with a plain-text 400, and waits for the end of the headers forever. Here:

- a head (request line and headers) not complete ``header_timeout`` seconds after the connection opened
  or the request began gets ``408`` and the connection is closed (a slow or stalled client holds no socket
  for long);
- a head larger than ``MAX_HEAD`` bytes gets ``431`` (a 1 MB bearer token or a 100 KB path never reaches
  the application, so it cannot fill memory);
- a request that is not HTTP gets ``400``; a path that is not ASCII gets ``400`` saying so;

each with a JSON body ``{"error", "message"}`` and ``connection: close``, like every other error the mock sends.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

MAX_HEAD = 64 * 1024
# the largest body a request answered directly may have: it is read before any check, as uvicorn reads up to
# this much of any body before the application asks; a larger one goes through ASGI, read only once the
# request passed authentication (a refused one is not read at all)
DIRECT_BODY = 64 * 1024
DEFAULT_HEADER_TIMEOUT = 5.0
BAD_REQUEST = ("the request is not valid HTTP/1.1: its method, request line, path or a header is malformed "
               "(bytes outside ASCII in the path must be percent-encoded)")



class _HeadProblem(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class MockHttpProtocol(HttpToolsProtocol):
    header_timeout: float = DEFAULT_HEADER_TIMEOUT  # set per server by ``protocol_class``

    # Connections whose head is being awaited, checked by one sweep per server (a timer per request, armed and
    # cancelled, cost about a tenth of the mock's throughput): a head is cut off between ``header_timeout`` and
    # ``header_timeout`` plus one sweep interval after it began.
    _waiting: "dict[MockHttpProtocol, float]" = {}  # each server's class (``protocol_class``) has its own
    _sweep: "asyncio.TimerHandle | None" = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._problem: _HeadProblem | None = None
        # the app answering plain API requests directly (below), when the served app is the mock's
        self._direct = self.app if callable(getattr(self.app, "respond_now", None)) else None
        self._request: tuple[str, bytes, bytes, list[tuple[bytes, bytes]]] | None = None
        self._request_body = b""

    def _arm(self) -> None:
        waiting = self._waiting
        if self not in waiting:
            waiting[self] = self.loop.time() + self.header_timeout
            if type(self)._sweep is None:
                type(self)._sweep = self.loop.call_later(self._sweep_every(), self._sweep_heads)

    def _disarm(self) -> None:
        self._waiting.pop(self, None)

    @classmethod
    def _sweep_every(cls) -> float:
        return min(0.5, max(0.02, cls.header_timeout / 10))

    def _sweep_heads(self) -> None:
        cls = type(self)
        cls._sweep = None
        now = self.loop.time()
        for conn, deadline in list(cls._waiting.items()):
            if deadline <= now:
                conn._head_timed_out()
        if cls._waiting:
            cls._sweep = self.loop.call_later(cls._sweep_every(), self._sweep_heads)

    def _head_timed_out(self) -> None:
        self._disarm()
        if self.transport is not None and not self.transport.is_closing():
            self._answer(408, "request_timeout", f"the request line and headers did not arrive within "
                         f"{self.header_timeout:g} s; the connection is closed")

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a byte is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._arm()

    def on_url(self, url: bytes) -> None:
        self._head_bytes += len(url)
        if self._head_bytes > MAX_HEAD:
            self._too_large()
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        # uvicorn's on_header, with the head's size counted (one call per header: kept flat)
        self._head_bytes += len(name) + len(value) + 4
        if self._head_bytes > MAX_HEAD:
            self._too_large()
        name = name.lower()
        value = value.rstrip(b" \t")
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def _too_large(self) -> None:
        self._problem = _HeadProblem(431, "request_header_fields_too_large",
                                     f"the request line and headers are larger than {MAX_HEAD} bytes")
        raise self._problem

    def on_headers_complete(self) -> None:
        self._disarm()
        if self._direct is not None and self._take_directly():
            return
        try:
            super().on_headers_complete()
        except UnicodeDecodeError:
            self._problem = _HeadProblem(400, "bad_request", "the request path holds bytes that are not ASCII; "
                                         "percent-encode them (RFC 3986)")
            raise self._problem from None

    # -- the direct path -------------------------------------------------------------------------------
    # A plain API request (no Expect, no upgrade, no chunked body, a body of at most DIRECT_BODY, nothing else in
    # flight on the connection) is answered without an ASGI cycle: once its body is in, the app computes the
    # answer at once (``MockApp.respond_now``) and it is written in one piece when its writes are committed.
    # Everything else takes uvicorn's ASGI path, where the app behaves the same.
    def _take_directly(self) -> bool:
        if self.expect_100_continue or not (self.cycle is None or self.cycle.response_complete):
            return False
        parser = self.parser
        method = parser.get_method()
        if method == b"HEAD" or parser.should_upgrade():
            return False
        url = httptools.parse_url(self.url)
        raw_path = url.path
        if not raw_path.isascii() or not self._direct.takes(raw_path):
            return False
        limit = min(self._direct.settings.max_body, DIRECT_BODY)
        for name, value in self.headers:
            if name == b"transfer-encoding" or (name == b"content-length" and not (
                    value.strip().isdigit() and int(value) <= limit)):
                return False
        version = parser.get_http_version()
        self._request = (method.decode("ascii"), raw_path, url.query or b"", self.headers)
        self._request_body = b""
        self.cycle = _Answering(version != "1.0" and parser.should_keep_alive())  # type: ignore[assignment]
        return True

    def on_body(self, body: bytes) -> None:
        if self._request is None:
            super().on_body(body)
        else:
            self._request_body += body

    def on_message_complete(self) -> None:
        request = self._request
        if request is None:
            super().on_message_complete()
            return
        self._request = None
        app, started = self._direct, time.perf_counter()
        answer = app.respond_now(*request, self._request_body)
        cycle = self.cycle

        def send(failure: Exception | None) -> None:
            status, headers, body = app.finish(answer, failure, request[0], request[1], started)
            self._send_directly(cycle, status, headers, body)
        app.store.when_durable(send)  # nothing is acknowledged before it is committed

    def _send_directly(self, cycle: "_Answering", status: int, headers: list[tuple[bytes, bytes]],
                       body: bytes) -> None:
        cycle.response_complete = True
        if self.transport.is_closing():  # the client went away while the write was committed
            return
        self.transport.write(self._response(status, headers, body, close=not cycle.keep_alive))
        if not cycle.keep_alive:
            self.transport.close()
        self.on_response_complete()

    # -- answers that never reach the application ------------------------------------------------------
    def send_400_response(self, msg: str) -> None:
        problem = self._problem or _HeadProblem(400, "bad_request", BAD_REQUEST)
        self._problem = None
        self._answer(problem.status, problem.code, problem.message)

    def _answer(self, status: int, code: str, message: str) -> None:
        self._disarm()
        self.transport.write(self._response(status, [(b"content-type", b"application/json; charset=utf-8")],
                                            orjson.dumps({"error": code, "message": message}), close=True))
        self.transport.close()

    def _response(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes, close: bool) -> bytes:
        """An answer's bytes: status line, the server's default headers (date), ``headers``, a content-length
        when ``headers`` carry none, ``connection: close`` when asked, then the body."""
        content = [STATUS_LINE[status]]
        for name, value in (*self.server_state.default_headers, *headers):
            content.extend((name, b": ", value, b"\r\n"))
        if not any(name == b"content-length" for name, _ in headers):
            content.append(b"content-length: %d\r\n" % len(body))
        if close:
            content.append(b"connection: close\r\n")
        content.extend((b"\r\n", body))
        return b"".join(content)


class _NoEvent:
    """uvicorn sets a cycle's message event when the connection goes; a direct answer has nothing to wake."""

    @staticmethod
    def set() -> None:
        return None


class _Answering:
    """Stands in for uvicorn's request cycle while a request taken directly waits for its answer, so that
    uvicorn's own bookkeeping (a pipelined request queued, a graceful shutdown, a lost connection) holds."""

    __slots__ = ("keep_alive", "response_complete", "disconnected")
    message_event = _NoEvent()

    def __init__(self, keep_alive: bool):
        self.keep_alive = keep_alive
        self.response_complete = False
        self.disconnected = False


def protocol_class(header_timeout: float) -> type[MockHttpProtocol]:
    """The protocol class uvicorn instantiates per connection, with this server's header timeout."""
    return type("MockHttpProtocol", (MockHttpProtocol,), {"header_timeout": header_timeout, "_waiting": {},
                                                          "_sweep": None})
