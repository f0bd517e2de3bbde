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
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 64 * 1024
DEFAULT_HEADER_TIMEOUT = 5.0
BAD_REQUEST = ("the request is not valid HTTP/1.1: its method, request line, path or a header is malformed "
               "(bytes outside ASCII in the path must be percent-encoded)")

_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


class _HeadProblem(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class MockHttpProtocol(HttpToolsProtocol):
    header_timeout: float = DEFAULT_HEADER_TIMEOUT  # set per server by ``protocol_class``

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._problem: _HeadProblem | None = None

    # -- the head's deadline ---------------------------------------------------------------------------
    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport is not None and not self.transport.is_closing():
            self._answer(408, "request_timeout", f"the request line and headers did not arrive within "
                         f"{self.header_timeout:g} s; the connection is closed")

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a byte is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- parser callbacks: count the head, stop the clock when it is complete ----------------------------
    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD:
            self._problem = _HeadProblem(431, "request_header_fields_too_large",
                                         f"the request line and headers are larger than {MAX_HEAD} bytes")
            raise self._problem

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._arm()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm()
        try:
            super().on_headers_complete()
        except UnicodeDecodeError:
            self._problem = _HeadProblem(400, "bad_request", "the request path holds bytes that are not ASCII; "
                                         "percent-encode them (RFC 3986)")
            raise self._problem from None

    # -- answers that never reach the application ------------------------------------------------------
    def send_400_response(self, msg: str) -> None:
        problem = self._problem or _HeadProblem(400, "bad_request", BAD_REQUEST)
        self._problem = None
        self._answer(problem.status, problem.code, problem.message)

    def _answer(self, status: int, code: str, message: str) -> None:
        self._disarm()
        body = orjson.dumps({"error": code, "message": message})
        head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"Error"))]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: application/json; charset=utf-8\r\ncontent-length: %d\r\n"
                    b"connection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def protocol_class(header_timeout: float) -> type[MockHttpProtocol]:
    """The protocol class uvicorn instantiates per connection, with this server's header timeout."""
    return type("MockHttpProtocol", (MockHttpProtocol,), {"header_timeout": header_timeout})
