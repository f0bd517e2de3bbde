"""Settings of one mock server run (the command line's options)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DB = "build/mock.db"
DEFAULT_CLIENT_ID = "connector-mock-client"
DEFAULT_CLIENT_SECRET = "connector-mock-secret"
PLATFORM_REDIRECT = "https://global.consent.azure-apim.net/redirect"
MAX_CALLBACK_URL = 2048
CLIENT_SECRET_ENV = "CONNECTOR_MOCK_CLIENT_SECRET"
DEFAULT_API_KEY = "connector-mock-key"
API_KEY_ENV = "CONNECTOR_MOCK_API_KEY"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    db: str = DEFAULT_DB
    seed: Path | None = None
    reset: bool = False
    sync: str = "normal"  # SQLite synchronous: normal | full
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    api_key: str = DEFAULT_API_KEY  # a connector declaring an API key: the key the mock accepts
    username: str = "demo"  # a connector declaring basic authentication: the user and password it accepts
    password: str = "demo"
    redirect_uris: tuple[str, ...] = ()  # empty: the platform's consent redirect and any loopback URL
    token_ttl: int = 3600
    code_ttl: int = 600
    rate_limit: int | None = None  # None: the model's throttling
    rate_window: float | None = None
    allow_callback_hosts: tuple[str, ...] = ()
    request_checks: str = "strict"  # strict: bad callback URLs and recipients get 400; schema: only the swagger's
    max_body: int = 1024 * 1024
    header_timeout: float = 5.0  # seconds a client has to send the request line and headers
    callback_attempts: int = 5
    callback_backoff: float = 1.0  # seconds before the first retry; doubles each time
    callback_timeout: float = 5.0
    poll_interval: int = 15  # Retry-After (seconds) of a polling trigger's answers
    log_file: str | None = None  # None: standard error; "-" standard output
    quiet: bool = False

    @property
    def public_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def redirect_allowed(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        if uri == PLATFORM_REDIRECT or uri.startswith(PLATFORM_REDIRECT + "/"):  # Global and GlobalPerConnector
            return True
        parts = urlsplit(uri)
        return parts.scheme in ("http", "https") and is_loopback(parts.hostname or "") and not parts.fragment

    def callback_allowed(self, url: str) -> str | None:
        """None when the mock may call ``url`` back, else the reason it may not."""
        if not isinstance(url, str) or "://" not in url:
            return "must be an absolute http(s) URL"
        if len(url) > MAX_CALLBACK_URL:
            return f"is longer than {MAX_CALLBACK_URL} characters"
        if any(ch.isspace() or not ch.isprintable() for ch in url):
            return "holds white space or control characters; percent-encode them"
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number in 0-65535
        except ValueError as exc:
            return f"is not a valid URL ({exc})"
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return "must be an absolute http(s) URL"
        host = parts.hostname.lower()
        if is_loopback(host) or "*" in self.allow_callback_hosts or host in self.allow_callback_hosts:
            return None
        return (f"host {host!r} is not allowed: the mock calls back only loopback addresses unless "
                f"--allow-callback-host {host} is given")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
