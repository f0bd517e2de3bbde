"""schemathesis (from PyPI) against a running service with the connector's swagger, every default check on.

It runs as its own process (``python -m schemathesis.cli run``), with the bearer token the OAuth flow
gave, and writes a JUnit report the summary is read from.
"""

from __future__ import annotations

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


def run_schemathesis(swagger: Path, base_url: str, token: str | None, *, max_examples: int = 10,
                     workers: int = 1, seed: int | None = 1, max_time: float | None = None,
                     extra: list[str] | None = None, timeout: float = 300.0) -> FuzzResult:
    with tempfile.TemporaryDirectory(prefix="connector-schemathesis-") as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "schemathesis.cli", "run", str(swagger), "--url", base_url,
               "--max-examples", str(max_examples), "--workers", str(workers),
               "--report", "junit", "--report-junit-path", str(junit), "--no-shrink"]
        if token:
            cmd += ["--header", f"Authorization: Bearer {token}"]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        if max_time is not None:
            cmd += ["--max-time", str(int(max_time))]
        cmd += list(extra or [])
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp,
                              env=_env())
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
    shown = [c if not c.startswith("Authorization:") else "Authorization: Bearer ***" for c in cmd]
    return FuzzResult(ok=proc.returncode == 0 and failures == 0 and errors == 0, operations=operations,
                      failures=failures, errors=errors, seconds=seconds, output=output, command=shown)


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    env["NO_COLOR"] = "1"
    env["SCHEMATHESIS_TELEMETRY"] = "false"
    return env
