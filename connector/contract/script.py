"""Running the folder's script.csx between client and service, with the artifacts stage's script host
(``connector.script_runtime``: Debian's mcs compiles the script against our ScriptBase/IScriptContext
harness, a long-lived mono process runs ``ExecuteAsync`` and its ``Context.SendAsync`` forwards the request
over real HTTP to the server the URL names)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from ..errors import ConnectorError
from .folder import SCRIPT, ConnectorFolder, ContractFailure
from .transport import HttpRequest, HttpResponse, ScriptTransport, Transport


class HostScriptRunner:
    """Adapts ``connector.script_runtime.ScriptHost`` to the contract client's ``ScriptRunner`` seam."""

    def __init__(self, script: Path, timeout: float = 30.0):
        try:
            from ..script_runtime import ScriptCompileError, ScriptFailed, ScriptHost, ScriptHostError
        except ImportError as exc:  # the artifacts stage is not installed
            raise ConnectorError(f"cannot run {script}: the script runtime (connector.script_runtime) is "
                                 f"missing: {exc}") from None
        self._failed, self._host_error = ScriptFailed, ScriptHostError
        self._types = __import__("connector.script_runtime", fromlist=["HttpRequest", "HttpResponse"])
        self.host = ScriptHost(script, timeout=timeout)
        try:
            self.host.compile()
        except ScriptCompileError as exc:
            raise ContractFailure(SCRIPT, str(exc)) from None

    def run(self, operation_id: str, correlation_id: str, request: HttpRequest) -> HttpResponse:
        t = self._types
        req = t.HttpRequest(request.method, request.url, list(request.headers.multi_items()), request.body)
        try:
            result = self.host.run(operation_id, req, upstream=None, correlation_id=correlation_id)
        except self._failed as exc:
            raise ContractFailure(f"{SCRIPT} operation {operation_id}",
                                  f"the script failed ({exc.kind}): {exc}; the platform would answer the flow "
                                  "with an error") from None
        except self._host_error as exc:
            raise ContractFailure(f"{SCRIPT} operation {operation_id}", str(exc)) from None
        r: Any = result.response
        return HttpResponse(status=r.status, headers=httpx.Headers(list(r.headers)), body=r.body or b"")

    def close(self) -> None:
        self.host.close()


def transport_for(folder: ConnectorFolder, inner: Transport) -> Transport:
    """The script transport when the folder has a script and script operations, else ``inner``."""
    if folder.script is None or not folder.script_operations:
        return inner
    runner = HostScriptRunner(folder.path / SCRIPT)
    return ScriptTransport(runner, folder.script_operations, inner, lambda: str(uuid.uuid4()))
