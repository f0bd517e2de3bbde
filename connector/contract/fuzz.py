"""schemathesis (from PyPI) against a running service with the connector's swagger, every default check on.

It runs as its own process (``python -m schemathesis.cli run``), authenticated as the connector declares
(the bearer token the OAuth flow gave, an API key in its header or query parameter, basic credentials:
schemathesis' OpenAPI-aware authentication, configured in a ``schemathesis.toml`` that names environment
variables, so no secret is on a command line), and writes a JUnit report the summary is read from.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


@dataclass
class FuzzResult:
    ok: bool
    operations: int
    failures: int
    errors: int
    seconds: float
    output: str
    command: list[str]

    def detail(self) -> str:
        return (f"{self.operations} operations, {self.failures} failures, {self.errors} errors "
                "(schemathesis, all default checks)")

    def problems(self, limit: int = 4000) -> str:
        """The part of schemathesis' output that explains failures."""
        text = self.output
        for marker in ("FAILURES", "ERRORS"):
            at = text.find(marker)
            if at >= 0:
                return text[at:at + limit]
        return text[-limit:]


@dataclass(frozen=True)
class FuzzAuth:
    """How schemathesis authenticates: ``kind`` "bearer" (``secret`` the token), "apiKey" (``secret`` the
    key, sent as the swagger's security definition ``scheme`` says: header or query parameter) or "basic"
    (``user`` and ``secret``)."""

    kind: str
    secret: str
    scheme: str | None = None  # the swagger's security definition
    user: str | None = None
    name: str | None = None  # the API key's header or query parameter
    in_query: bool = False


def _configure(tmp: Path, swagger: Path, auth: FuzzAuth | None) -> tuple[Path, Path | None, dict[str, str]]:
    """(the swagger schemathesis reads, its config file, the environment the config refers to).

    The platform sends a connection's credentials with every call, whether the swagger's root declares
    ``security`` or not. Any API answers 400 to a request its definition forbids, and an authenticated one
    401 to a call without credentials, whether the operations list those statuses or not (real connectors'
    seldom do), and one on a record (a path ending in a parameter, ``/items/{id}``) 404 when the record does
    not exist. schemathesis reads a copy of the swagger that says so (``security`` on the root; ``400``,
    ``401`` when the connector authenticates, ``404`` on a record path, on each operation that declares
    neither the status nor ``default``; ``202`` on a polling trigger, the platform's "nothing new yet"), so that its negative and unauthenticated cases expect what such a call gets. Nothing else
    in the copy changes."""
    import base64
    import json

    from ..jsonio import load_json_file

    doc = load_json_file(swagger).data
    if auth is not None and auth.scheme and not doc.get("security"):
        doc["security"] = [{auth.scheme: []}]
    added = {"400": "The request breaks the operation's definition (any validating API)."}
    if auth is not None:
        added["401"] = "No or wrong credentials (any authenticated API)."
    for path, item in (doc.get("paths") or {}).items():
        record = bool(re.search(r"\{[^}/]+\}/?$", str(path)))
        for method, op in (item.items() if isinstance(item, dict) else ()):
            if method in ("get", "put", "post", "delete", "patch", "head", "options") and isinstance(op, dict):
                responses = op.setdefault("responses", {})
                if isinstance(responses, dict) and "default" not in responses:
                    for status, text in added.items():
                        responses.setdefault(status, {"description": text})
                    if record:
                        responses.setdefault("404", {"description": "No such record (any API)."})
                if op.get("x-ms-trigger") and method == "get" and "x-ms-notification-content" not in item:
                    responses.setdefault("202", {"description": "Nothing new yet (the platform's polling "
                                                               "contract: Location and Retry-After)."})
    copy = tmp / "swagger.json"
    copy.write_text(json.dumps(doc), encoding="utf-8")
    if auth is None:
        return copy, None, {}
    env = {"CONNECTOR_FUZZ_SECRET": auth.secret}
    if auth.kind == "apiKey" and auth.in_query:
        lines = [f"[auth.openapi.{json.dumps(auth.scheme)}]", 'api_key = "${CONNECTOR_FUZZ_SECRET}"']
    elif auth.kind == "apiKey":
        lines = ["[headers]", f'{json.dumps(auth.name)} = "${{CONNECTOR_FUZZ_SECRET}}"']
    elif auth.kind == "basic":
        env["CONNECTOR_FUZZ_SECRET"] = base64.b64encode(f"{auth.user}:{auth.secret}".encode()).decode()
        lines = ["[headers]", 'Authorization = "Basic ${CONNECTOR_FUZZ_SECRET}"']
    else:
        lines = ["[headers]", 'Authorization = "Bearer ${CONNECTOR_FUZZ_SECRET}"']
    config = tmp / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy, config, env


def run_schemathesis(swagger: Path, base_url: str, token: str | None, *, auth: FuzzAuth | None = None,
                     max_examples: int = 10, workers: int = 1, seed: int | None = 1, max_time: float | None = None,
                     extra: list[str] | None = None, timeout: float = 300.0) -> FuzzResult:
    if auth is None and token:
        auth = FuzzAuth("bearer", token)
    with tempfile.TemporaryDirectory(prefix="connector-schemathesis-") as tmp:
        junit = Path(tmp) / "junit.xml"
        location, config, auth_env = _configure(Path(tmp), swagger, auth)
        cmd = [sys.executable, "-m", "schemathesis.cli"]
        if config is not None:
            cmd += ["--config-file", str(config)]
        cmd += ["run", str(location), "--url", base_url,
                "--max-examples", str(max_examples), "--workers", str(workers),
                "--report", "junit", "--report-junit-path", str(junit), "--no-shrink"]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        if max_time is not None:
            cmd += ["--max-time", str(int(max_time))]
        cmd += list(extra or [])
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp,
                              env={**_env(), **auth_env})
        seconds = time.perf_counter() - start
        output = proc.stdout + proc.stderr
        operations = failures = errors = 0
        if junit.is_file():
            root = ET.parse(junit).getroot()
            suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
            for suite in suites:
                operations += int(suite.get("tests", 0))
                failures += int(suite.get("failures", 0))
                errors += int(suite.get("errors", 0))
    return FuzzResult(ok=proc.returncode == 0 and failures == 0 and errors == 0, operations=operations,
                      failures=failures, errors=errors, seconds=seconds, output=output, command=cmd)


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    env["NO_COLOR"] = "1"
    env["SCHEMATHESIS_TELEMETRY"] = "false"
    return env
