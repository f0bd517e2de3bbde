"""Run a connector's script.csx outside Power Platform: compiled by Debian's mcs against a small harness
(``harness/ScriptBase.cs``: ScriptBase, IScriptContext, ILogger) and executed by mono, request by request.

Used by the artifact tests (each transform of the generated script, executed) and by contract tests,
which put the script between their client and the server as the platform does.
"""

from .host import (
    ALLOWED_NAMESPACES,
    HttpRequest,
    HttpResponse,
    ScriptCompileError,
    ScriptFailed,
    ScriptHost,
    ScriptHostError,
    ScriptRun,
)

__all__ = ["ALLOWED_NAMESPACES", "HttpRequest", "HttpResponse", "ScriptCompileError", "ScriptFailed", "ScriptHost",
           "ScriptHostError", "ScriptRun"]
