"""The real mock server in a subprocess on a free port, a local webhook/DLR receiver, and OAuth helpers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import connector.smartdialog.plugins  # noqa: F401  (registers SmartDialog's mock behaviours for MockApp)
from connector.smartdialog import connector as SD

CLIENT_ID = "connector-mock-client"
CLIENT_SECRET = "connector-mock-secret"
REDIRECT = "http://127.0.0.1:9/callback"
ALL_SCOPES = SD.security.scope
BASE = SD.base_path


@pytest.fixture
def start_mock(tmp_path):
    """Start ``connector mock`` with these arguments and its database in the test's folder; every server
    started is stopped after the test."""
    servers: list[MockServer] = []

    def start(db: str, *args: str) -> MockServer:
        server = MockServer(tmp_path / db, *args).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MockServer:
    """``connector mock`` started exactly as a person would, talking HTTP on loopback."""

    def __init__(self, db: Path, *args: str):
        self.db = db
        self.args = list(args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db.with_suffix(".log")
        self.proc: subprocess.Popen | None = None

    def start(self) -> "MockServer":
        cmd = [sys.executable, "-c", "from connector.cli import main; main()", "mock", "--port", str(self.port),
               "--db", str(self.db), "--log-file", str(self.log), *self.args]
        self.stderr = open(self.db.with_suffix(".stderr"), "a")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mock exited with {self.proc.returncode}: "
                                   f"{self.db.with_suffix('.stderr').read_text()}")
            try:
                if httpx.get(self.url + "/_mock/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("mock did not come up in 20 s")

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode if self.proc else None
        self.proc = None
        return code

    def stderr_text(self) -> str:
        return self.db.with_suffix(".stderr").read_text()

    # -- OAuth helpers ---------------------------------------------------------------------------------
    def authorize(self, scope: str = ALL_SCOPES, user: str = "demo", state: str = "s1", **extra) -> httpx.Response:
        params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": scope,
                  "state": state, "prompt": "none", "login_hint": user, **extra}
        return httpx.get(self.url + "/oauth2/v2.0/authorize", params=params, follow_redirects=False)

    def code(self, **kw) -> str:
        r = self.authorize(**kw)
        assert r.status_code == 302, r.text
        query = parse_qs(urlsplit(r.headers["location"]).query)
        assert "code" in query, r.headers["location"]
        return query["code"][0]

    def exchange(self, code: str, **form) -> httpx.Response:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET, **form}
        return httpx.post(self.url + "/oauth2/v2.0/token", data=data)

    def token(self, scope: str = ALL_SCOPES, user: str = "demo") -> str:
        r = self.exchange(self.code(scope=scope, user=user))
        assert r.status_code == 200, r.text
        return r.json()["access_token"]

    def client(self, token: str | None = None, scope: str = ALL_SCOPES, user: str = "demo") -> httpx.Client:
        token = token or self.token(scope=scope, user=user)
        return httpx.Client(base_url=self.url + BASE, headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def mock_server(tmp_path_factory):
    """One server for most tests, with the model's default throttling (tests take fresh tokens)."""
    db = tmp_path_factory.mktemp("mock") / "mock.db"
    server = MockServer(db, "--callback-backoff", "0.05", "--callback-attempts", "4").start()
    yield server
    server.stop()
    # whatever the tests threw at it: never a 500, never a traceback
    assert [e for e in server.log_lines() if "event" not in e and (e.get("status") or 0) >= 500] == []
    assert "Traceback" not in server.stderr_text()


@pytest.fixture
def api(mock_server):
    with mock_server.client() as client:
        yield client


class Receiver:
    """A local HTTP server recording every callback; ``fail_first`` answers 503 that many times first."""

    def __init__(self, fail_first: int = 0):
        self.requests: list[dict] = []
        self.fail_first = fail_first
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver.cond:
                    receiver.requests.append({"method": self.command, "path": self.path, "body": body,
                                              "headers": dict(self.headers), "at": time.time()})
                    failing = receiver.fail_first > 0
                    if failing:
                        receiver.fail_first -= 1
                    receiver.cond.notify_all()
                self.send_response(503 if failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.time() + timeout
        with self.cond:
            while len(self.requests) < count and time.time() < deadline:
                self.cond.wait(deadline - time.time())
            return list(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def swagger_response_validator(swagger: dict, operation_id: str, status: str | None = None):
    """A jsonschema validator for an operation's response schema in the generated swagger."""
    import jsonschema

    for path, item in swagger["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                responses = op["responses"]
                status = status or next(s for s in responses if s.startswith("2"))
                schema = responses[status].get("schema")
                if schema is None:
                    return None
                return jsonschema.Draft4Validator({**schema, "definitions": swagger.get("definitions", {})},
                                                  format_checker=jsonschema.FormatChecker())
    raise KeyError(operation_id)


@pytest.fixture(scope="session")
def check_response(swagger):
    def check(operation_id: str, response: httpx.Response) -> object:
        validator = swagger_response_validator(swagger, operation_id, str(response.status_code))
        if validator is None:
            assert response.content == b"", response.content
            return None
        data = response.json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{operation_id} answer breaks the swagger: {errors}"
        return data
    return check


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
