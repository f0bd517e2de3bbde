"""Starting and stopping ``connector mock`` as a real server process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ..errors import ConnectorError


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class MockServer:
    """``connector mock`` in a child process: ``with MockServer(...) as mock: mock.url``."""

    def __init__(self, port: int | None = None, db: str | Path | None = None, client_id: str = "contract-client",
                 client_secret: str = "contract-secret", rate_limit: int | None = None,
                 rate_window: float | None = None, extra: list[str] | None = None, startup_timeout: float = 30.0):
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._tmp = None
        if db is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="connector-contract-")
            db = Path(self._tmp.name) / "mock.db"
        self.db = str(db)
        self.client_id, self.client_secret = client_id, client_secret
        self.args = ["--host", self.host, "--port", str(self.port), "--db", self.db,
                     "--client-id", client_id, "--client-secret", client_secret]
        if rate_limit is not None:
            self.args += ["--rate-limit", str(rate_limit)]
        if rate_window is not None:
            self.args += ["--rate-window", str(rate_window)]
        self.args += list(extra or [])
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "MockServer":
        log_dir = Path(self._tmp.name) if self._tmp else Path(tempfile.gettempdir())
        self._log = open(log_dir / f"mock-{self.port}.log", "w+b")
        cmd = [sys.executable, "-c", "from connector.cli import main; main()", "mock", *self.args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env)
        deadline = time.monotonic() + self.startup_timeout
        with httpx.Client(timeout=1.0, trust_env=False) as http:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise ConnectorError(f"`connector mock` exited with code {self.proc.returncode} before "
                                         f"serving: {self.output()[-1500:]}")
                try:
                    http.get(self.url + "/")
                    return self
                except httpx.HTTPError:
                    time.sleep(0.1)
        self.stop()
        raise ConnectorError(f"`connector mock` did not answer on {self.url} within {self.startup_timeout:g}s: "
                             f"{self.output()[-1500:]}")

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "MockServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
