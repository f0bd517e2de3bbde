"""The callback receiver: a real HTTP server on a free loopback port standing in for the flow's
webhook endpoint (the URL the platform puts in the ``x-ms-notification-url`` field)."""

from __future__ import annotations

import queue
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Delivery:
    method: str
    path: str  # path and query string, as received
    headers: dict[str, str]
    body: bytes


class CallbackReceiver:
    def __init__(self, host: str = "127.0.0.1", status: int = 200):
        self.status = status
        self._queues: dict[str, queue.Queue[Delivery]] = {}
        self._lock = threading.Lock()
        self.unexpected: list[Delivery] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                delivery = Delivery(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
                receiver._deliver(delivery)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = do_GET = do_PATCH = do_DELETE = _handle

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="callback-receiver", daemon=True)
        self.thread.start()
        self.base_url = f"http://{host}:{self.server.server_address[1]}"

    def endpoint(self) -> tuple[str, str]:
        """A fresh callback URL (with a signature-like query string, as the platform's have) and its key."""
        key = secrets.token_hex(6)
        with self._lock:
            self._queues[key] = queue.Queue()
        return key, f"{self.base_url}/hooks/{key}?api-version=2016-06-01&sig={secrets.token_urlsafe(12)}"

    def _deliver(self, delivery: Delivery) -> None:
        parts = urlsplit(delivery.path).path.split("/")
        key = parts[2] if len(parts) > 2 and parts[1] == "hooks" else None
        with self._lock:
            q = self._queues.get(key or "")
        if q is None:
            self.unexpected.append(delivery)
        else:
            q.put(delivery)

    def wait(self, key: str, timeout: float) -> Delivery | None:
        try:
            return self._queues[key].get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> "CallbackReceiver":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
