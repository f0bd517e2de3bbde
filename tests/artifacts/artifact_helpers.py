"""Shared by the artifact tests: a recording loopback HTTP server, tree comparison, facts-sheet reading."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import SHARED


class Recorder(ThreadingHTTPServer):
    """A real HTTP server on 127.0.0.1 (random port) that records each request and answers from ``routes``:
    (method, path) -> (status, headers, body). Unknown routes answer 404."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.routes: dict[tuple[str, str], tuple[int, dict, bytes]] = {}
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> "Recorder":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append({"method": self.command, "path": self.path,
                                     "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        status, headers, answer = self.server.routes.get((self.command, self.path), (404, {}, b'{"error":"nf"}'))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> set[str]:
    return {name for name in set(a) | set(b) if a.get(name) != b.get(name)}


def facts_text() -> str:
    return (SHARED / "facts" / "smartdialog-api.md").read_text(encoding="utf-8")


def facts_row(label: str) -> str:
    """The value cell of the facts sheet's table row whose first cell is ``label``."""
    for line in facts_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] == label:
            return cells[1]
    raise AssertionError(f"the facts sheet has no row '{label}'")


def facts_oauth() -> dict:
    """Authorization URL, token URL and the scope string, read from the facts sheet (not from our model)."""
    code = lambda cell: re.findall(r"`([^`]+)`", cell)  # noqa: E731
    authorize = code(facts_row("authorization URL"))[0]
    token = code(facts_row("token URL and refresh URL"))[0]
    scope_cell = facts_row("scopes (one space-separated string)")
    first, rest = scope_cell.split("plus,", 1)
    prefix = code(rest)[0]
    scopes = code(first) + [prefix + s for s in code(rest)[1:]]
    return {"authorization": authorize, "token": token, "scopes": scopes}


def allowed_namespaces() -> list[str]:
    """Section 3 of the certification facts: the namespaces a script may use."""
    text = (SHARED / "facts" / "certification.md").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if "Allowed namespaces" in l)
    listed = line.split("**", 2)[2].lstrip(":")  # "- **Allowed namespaces (...)**: System, ... [D3; ...]"
    names = [n.strip().rstrip(".") for n in listed.split("[")[0].split(",")]
    return [n for n in names if re.fullmatch(r"[A-Za-z][A-Za-z0-9.]*", n)]


def load_json(data: bytes) -> object:
    return json.loads(data.decode("utf-8"))
