"""What every mock behaviour shares: the error a handler raises, the call it is given, and helpers for
reading requests (case-insensitive fields), making ids and writing times. Nothing here knows a connector.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from .oauth import Grant

_random = random.Random()  # ids need to be unique, not secret (tokens and codes use the secrets module)


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): new rows land at the end of the B-tree, which makes an
    insert touch one page instead of a random one (twice as fast under load as random version 4 ids)."""
    ms = int(time.time() * 1000)
    r = _random.getrandbits(74)
    h = f"{ms & 0xFFFFFFFFFFFF:012x}7{(r >> 62) & 0xFFF:03x}{0x8 | ((r >> 60) & 3):x}{r & ((1 << 60) - 1):015x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"




class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **details: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.details}


@dataclass
class Call:
    operation_id: str
    params: dict[str, Any]
    body: Any
    grant: Grant
    body_defaults: dict[str, Any]
    query: str = ""  # the raw query string (what the route does not declare too, e.g. a polling trigger's state)
    path: str = ""  # the request path as received (percent-encoded)


def lower(value: Any) -> Any:
    """A JSON value whose object keys are lower-cased (request fields read case-insensitively). Iterative:
    any depth is fine (the app refuses bodies nested deeper than ``MAX_JSON_DEPTH`` before this runs)."""
    if not isinstance(value, (dict, list)):
        return value
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]  # (source, target container, key in the target)
    while stack:
        source, target, key = stack.pop()
        if isinstance(source, dict):
            copy: Any = {str(k).lower(): v for k, v in source.items()}  # the last of "A" and "a" wins
            stack.extend((v, copy, k) for k, v in copy.items() if isinstance(v, (dict, list)))
        elif isinstance(source, list):
            copy = list(source)
            for i, v in enumerate(source):
                if isinstance(v, (dict, list)):
                    stack.append((v, copy, i))
        else:
            copy = source
        target[key] = copy
    return root[0]


def short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> float | None:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:  # no offset: taken as UTC, as the platform sends UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def with_query(url: str, params: list[tuple[str, str]]) -> str:
    """``url`` with ``params`` appended to its own query string, which is kept as it was."""
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
