"""Name-resolution shim for the paconn process only (loaded because its folder is first on PYTHONPATH).

``CONNECTOR_LOOPBACK_HOSTS`` lists host names (comma-separated) that resolve to 127.0.0.1 inside this one
process, so paconn's blob upload to ``https://<account>.blob.<suffix>/...`` reaches the local stand-in without
touching /etc/hosts or the machine's resolver. Every other name resolves as usual. Without the variable the
module does nothing but hand over to the ``sitecustomize`` it shadows, if there is one.
"""

import os
import socket
import sys

_HOSTS = frozenset(h.strip().rstrip(".").lower()
                   for h in os.environ.get("CONNECTOR_LOOPBACK_HOSTS", "").split(",") if h.strip())

if _HOSTS:
    _getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if isinstance(name, str) and name.rstrip(".").lower() in _HOSTS:
            host = "127.0.0.1"
        return _getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def _chain() -> None:
    """Run the sitecustomize this one shadows (a distribution's own, for instance)."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None and spec.origin != os.path.abspath(__file__):
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_chain()
