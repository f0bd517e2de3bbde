"""Compile a connector's ``script.csx`` with a real C# compiler and run it as the platform would.

    host = ScriptHost("build/SmartDialog/script.csx")
    host.compile()                       # mcs: the script + our ScriptBase/IScriptContext/ILogger harness
    run = host.run("NewMessage", HttpRequest("POST", url, headers=[...], body=b"..."),
                   upstream=HttpResponse(201, body=b'{"id": "a1"}'))   # or upstream=None: a real server
    run.response.header("Location"); run.forwarded[0].header("x-correlation-id")
    host.close()

The platform compiles the script with the allowed namespaces already imported; so does ``compile()``
(a ``#line`` directive keeps compiler messages on the script's own lines). ``run()`` sends one request
through ``Script.ExecuteAsync`` in a long-lived ``mono`` process: ``Context.SendAsync`` forwards it to the
server its URL names (``upstream=None``), or answers with the canned responses given, one per call. Each
run reports the response the platform would get, every request the script forwarded, and its log lines.
"""

from __future__ import annotations

from ..platform import ALLOWED_NAMESPACES as _PLATFORM_NAMESPACES

import base64
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import ConnectorError

HARNESS = Path(__file__).resolve().parent / "harness"
HARNESS_FILES = ("ScriptBase.cs", "ScriptRunner.cs")

# The namespaces the platform lets a script use (certification facts, section 3): imported implicitly.
ALLOWED_NAMESPACES = _PLATFORM_NAMESPACES
REFERENCES = ("System.dll", "System.Core.dll", "System.Net.Http.dll", "System.Web.dll", "System.Xml.dll",
              "System.Xml.Linq.dll", "System.Drawing.dll", "System.IO.Compression.dll")
NEWTONSOFT_CANDIDATES = ("/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll",)
SETUP_HINT = ("install Mono with `bash scripts/setup-system.sh` (Debian: apt-get install mono-mcs mono-devel "
              "libnewtonsoft-json-cil-dev)")


class ScriptHostError(ConnectorError):
    """The compiler or runtime is missing, or the runner process failed."""


class ScriptCompileError(ScriptHostError):
    """mcs rejected the script; ``diagnostics`` holds its messages (file(line,col): error CSxxxx: ...)."""

    def __init__(self, script: Path, diagnostics: list[str]):
        self.script = script
        self.diagnostics = diagnostics
        lines = "\n".join(f"  {d}" for d in diagnostics) or "  (mcs printed nothing)"
        super().__init__(f"{script} does not compile with mcs (C# 7):\n{lines}")


class ScriptFailed(ScriptHostError):
    """The script threw, or did not finish in time. The platform would answer the caller with an error."""

    def __init__(self, operation_id: str, kind: str, message: str, trace: str = "", run: "ScriptRun | None" = None):
        self.operation_id, self.kind, self.trace, self.run = operation_id, kind, trace, run
        super().__init__(f"script.csx failed on operation '{operation_id}': {kind}: {message}")


def _headers(pairs: Any) -> list[tuple[str, str]]:
    if pairs is None:
        return []
    if isinstance(pairs, dict):
        pairs = pairs.items()
    return [(str(k), str(v)) for k, v in pairs]


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in headers if k.lower() == name.lower()]
    return ", ".join(values) if values else None


class _Message:
    """What requests and responses share: headers as (name, value) pairs, a byte body."""

    headers: list[tuple[str, str]]
    body: Any

    def __post_init__(self) -> None:
        self.headers = _headers(self.headers)
        if isinstance(self.body, str):
            self.body = self.body.encode("utf-8")

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class HttpRequest(_Message):
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None


@dataclass
class HttpResponse(_Message):
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    reason: str | None = None


@dataclass
class ScriptRun:
    response: HttpResponse
    forwarded: list[HttpRequest]
    logs: list[tuple[str, str]]
    elapsed_ms: float


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _request_json(r: HttpRequest) -> dict:
    return {"method": r.method, "url": r.url, "headers": [list(h) for h in r.headers], "body": _b64(r.body)}


def _response_json(r: HttpResponse) -> dict:
    return {"status": r.status, "reason": r.reason, "headers": [list(h) for h in r.headers],
            "body": _b64(r.body or b"")}


def _from_request(d: dict) -> HttpRequest:
    body = d.get("body")
    return HttpRequest(d["method"], d["url"], [tuple(h) for h in d.get("headers", [])],
                       None if body is None else base64.b64decode(body))


def _from_response(d: dict) -> HttpResponse:
    return HttpResponse(int(d["status"]), [tuple(h) for h in d.get("headers", [])],
                        base64.b64decode(d.get("body") or ""), d.get("reason"))


def find_tool(name: str) -> str:
    """The Mono tool ``name`` (``mcs`` or ``mono``): ``$CONNECTOR_MCS`` / ``$CONNECTOR_MONO`` when set (a path,
    or a command looked up on PATH), else ``name`` on PATH."""
    variable = f"CONNECTOR_{name.upper()}"
    wanted = os.environ.get(variable) or name
    found = shutil.which(wanted)
    if not found:
        if wanted != name:
            raise ScriptHostError(f"{variable} is {wanted!r}, which is not an executable file or a command on PATH; "
                                  f"point it at Mono's {name}, or unset it to use the {name} on PATH.")
        raise ScriptHostError(f"'{name}' (Mono) is not on PATH, so script.csx cannot be compiled or run; "
                              f"{SETUP_HINT}, or set {variable} to its path.")
    return found


def find_newtonsoft() -> Path:
    override = os.environ.get("CONNECTOR_NEWTONSOFT_DLL")
    candidates = [Path(override)] if override else []
    candidates += [Path(p) for p in NEWTONSOFT_CANDIDATES]
    candidates += sorted(Path("/usr/lib/cli").glob("Newtonsoft.Json*/Newtonsoft.Json.dll"))
    for c in candidates:
        if c.is_file():
            return c
    raise ScriptHostError(f"Newtonsoft.Json.dll was not found (looked in {', '.join(map(str, candidates[:3]))}); "
                          f"{SETUP_HINT}, or set CONNECTOR_NEWTONSOFT_DLL to the assembly's path.")


def implicit_usings(script_text: str) -> str:
    """The allowed namespaces the script does not import itself, as using lines (the platform adds them)."""
    present = {line.strip()[len("using "):].rstrip(";").strip() for line in script_text.splitlines()
               if line.strip().startswith("using ") and line.strip().endswith(";") and "=" not in line}
    return "".join(f"using {ns};\n" for ns in ALLOWED_NAMESPACES if ns not in present)


class ScriptHost:
    """A connector script, compiled against our harness, run request by request in one mono process."""

    def __init__(self, script: str | Path, *, workdir: str | Path | None = None, timeout: float = 5.0):
        self.script = Path(script)
        self.timeout = timeout  # seconds a run may take (the platform allows a script 5 s)
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir is not None else None
        self.exe: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._selector: selectors.BaseSelector | None = None
        self._buffer = b""
        self._lock = threading.Lock()
        self._next_id = 0

    @classmethod
    def from_text(cls, text: str, *, name: str = "script.csx", workdir: str | Path | None = None,
                  timeout: float = 5.0) -> "ScriptHost":
        """A host for script text that is not on disk yet (e.g. ``render(connector)["script.csx"]``)."""
        folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="connector-script-"))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        host = cls(folder / name, workdir=folder, timeout=timeout)
        host._own_workdir = workdir is None
        return host

    # -- compiling ---------------------------------------------------------------------------------------
    def compile(self) -> Path:
        """Compile the script with the harness; returns the runner executable. Raises ScriptCompileError."""
        if self.exe is not None:
            return self.exe
        mcs = find_tool("mcs")
        newtonsoft = find_newtonsoft()
        try:
            text = self.script.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ScriptHostError(f"cannot read the script {self.script}: {exc.strerror or exc}") from None
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="connector-script-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        source = self.workdir / "Script.cs"
        # using lines first (C# wants them before any declaration), then the script on its own line numbers
        source.write_text(implicit_usings(text) + f'#line 1 "{self.script.name}"\n' + text, encoding="utf-8")
        exe = self.workdir / "ScriptRunner.exe"
        cmd = [mcs, "-langversion:7", "-nologo", "-nowarn:1998,105", "-target:exe", f"-out:{exe}",
               *(f"-r:{r}" for r in REFERENCES), f"-r:{newtonsoft}",
               *(str(HARNESS / f) for f in HARNESS_FILES), str(source)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        output = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
        errors = [line for line in output if ": error " in line]
        if proc.returncode != 0 or not exe.is_file():
            raise ScriptCompileError(self.script, [self._readable(line) for line in (errors or output)])
        shutil.copy2(newtonsoft, self.workdir / newtonsoft.name)  # found beside the exe at run time
        self.warnings = [self._readable(line) for line in output if ": warning " in line]
        self.exe = exe
        return exe

    def _readable(self, line: str) -> str:
        """Compiler lines about the script name the script's path (its line numbers are the script's own)."""
        for shown in (str(self.workdir / self.script.name) if self.workdir else None, self.script.name):
            if shown and line.startswith(shown + "("):
                return str(self.script) + line[len(shown):]
        return line

    # -- running -----------------------------------------------------------------------------------------
    def start(self) -> "ScriptHost":
        if self._proc is not None and self._proc.poll() is None:
            return self
        exe = self.compile()
        mono = find_tool("mono")
        assert self.workdir is not None
        self._stderr = open(self.workdir / "stderr.log", "wb")
        env = dict(os.environ, MONO_PATH=str(self.workdir))
        self._proc = subprocess.Popen([mono, "--debug", str(exe)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, cwd=self.workdir, env=env)
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._proc.stdout, selectors.EVENT_READ)
        hello = self._read_line(time.monotonic() + 60)
        if hello.get("ready") is not True:
            raise ScriptHostError(f"the script runner did not start: {hello}")
        return self

    def _read_line(self, deadline: float) -> dict:
        assert self._proc is not None and self._selector is not None
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                self._kill()
                raise ScriptHostError("the script runner stopped answering (killed); see "
                                      f"{self.workdir}/stderr.log")
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                self._kill()
                raise ScriptHostError("the script runner exited unexpectedly; its messages: "
                                      + self._stderr_tail())
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _stderr_tail(self) -> str:
        try:
            return (Path(self.workdir) / "stderr.log").read_text(errors="replace")[-2000:]
        except OSError:
            return "(none)"

    def run(self, operation_id: str, request: HttpRequest, *,
            upstream: HttpResponse | Iterable[HttpResponse] | None = None, correlation_id: str | None = None,
            timeout: float | None = None) -> ScriptRun:
        """Run ``Script.ExecuteAsync`` for one request of ``operation_id``. Raises ScriptFailed when it throws."""
        if isinstance(upstream, HttpResponse):
            upstream = [upstream]
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            self.start()
            assert self._proc is not None and self._proc.stdin is not None
            self._next_id += 1
            job = {"id": self._next_id, "operationId": operation_id,
                   "correlationId": correlation_id or str(uuid.uuid4()), "request": _request_json(request),
                   "upstream": None if upstream is None else [_response_json(r) for r in upstream],
                   "timeoutMs": int(limit * 1000)}
            try:
                self._proc.stdin.write(json.dumps(job).encode("utf-8") + b"\n")
                self._proc.stdin.flush()
            except BrokenPipeError:
                self._kill()
                raise ScriptHostError("the script runner exited unexpectedly; its messages: "
                                      + self._stderr_tail()) from None
            result = self._read_line(time.monotonic() + limit + 30)
        forwarded = [_from_request(f) for f in result.get("forwarded", [])]
        logs = [(e.get("level", ""), e.get("message", "")) for e in result.get("logs", [])]
        elapsed = float(result.get("elapsedMs", 0.0))
        if result.get("error"):
            partial = ScriptRun(HttpResponse(500), forwarded, logs, elapsed)
            raise ScriptFailed(operation_id, result["error"], result.get("message", ""), result.get("trace", ""),
                               partial)
        return ScriptRun(_from_response(result["response"]), forwarded, logs, elapsed)

    # -- lifetime ----------------------------------------------------------------------------------------
    def _kill(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
            self._proc = None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if getattr(self, "_stderr", None) is not None:
            self._stderr.close()
            self._stderr = None

    def close(self) -> None:
        """Stop the runner process; remove the build folder when the host made it."""
        if self._proc is not None and self._proc.poll() is None and self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()
        if self._own_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
            self.exe = None

    def __enter__(self) -> "ScriptHost":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # a forgotten host must not leave a mono process behind
        try:
            self._kill()
        except Exception:
            pass

