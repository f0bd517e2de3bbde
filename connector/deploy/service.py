"""What deploy checks with the Power Platform before paconn runs: paconn's sign-in (its token file, read as
paconn reads it), that the environment exists (the Flow environments list, the call paconn itself makes
when it asks for an environment), and that a connector id to update exists (``GET apis/{id}``, the call
``paconn download`` makes). Found early, each problem gets a message that names the fix, before anything
is uploaded.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import ConnectorError

API_VERSION = "2016-11-01"
DEFAULT_POWER_APPS_URL = "https://api.powerapps.com"
DEFAULT_FLOW_URL = "https://api.flow.microsoft.com"
TOKEN_BUFFER_SECONDS = 600  # paconn treats its token as expired this long before `expires_on`
LOGIN_HELP = ("sign in once with `connector login` (device code: open the printed URL, enter the code); in CI, "
              "write the stored token file there (docs/deploy.md)")


class LoginError(ConnectorError):
    """paconn is not signed in, or its token has expired or was rejected."""

    exit_code = 3


class NotFoundError(ConnectorError):
    """The environment or the connector to update does not exist."""

    exit_code = 4


def token_path(home: Path | None = None) -> Path:
    return (Path(home) if home else Path.home()) / ".paconn" / "accessTokens.json"


def read_token(home: Path | None = None, now: float | None = None) -> dict[str, Any]:
    """paconn's token, checked the way paconn checks it (``access_token`` present, ``expires_on`` more than
    600 s ahead); raises LoginError naming the fix."""
    path = token_path(home)
    if not path.is_file():
        raise LoginError(f"paconn is not signed in: {path} does not exist; {LOGIN_HELP}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoginError(f"paconn's token file {path} is not readable JSON ({exc.__class__.__name__}); "
                         f"{LOGIN_HELP}") from None
    if not isinstance(doc, dict) or not doc.get("access_token") or not doc.get("token_type"):
        raise LoginError(f"paconn's token file {path} has no access_token/token_type; {LOGIN_HELP}")
    expires = doc.get("expires_on")
    if expires is not None:
        try:
            expires = float(expires)
        except (TypeError, ValueError):
            raise LoginError(f"paconn's token file {path}: expires_on is not a number; {LOGIN_HELP}") from None
        now = time.time() if now is None else now
        if expires < now + TOKEN_BUFFER_SECONDS:
            when = datetime.fromtimestamp(expires, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
            state = "expired" if expires <= now else f"expires in {int(expires - now)} s"
            raise LoginError(f"paconn's token in {path} {state} (at {when}); paconn refuses a token with less "
                             f"than {TOKEN_BUFFER_SECONDS} s left. Sign in again: {LOGIN_HELP}")
    return doc


@dataclass
class PowerPlatform:
    """A minimal client of the calls deploy makes itself, authenticated with paconn's token."""

    power_apps_url: str
    flow_url: str
    token: dict[str, Any]
    timeout: float = 30.0

    def _get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        auth = f"{self.token['token_type']} {self.token['access_token']}"
        request = urllib.request.Request(url, headers={"Authorization": auth, "Accept": "application/json",
                                                       **(headers or {})})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read().decode("utf-8-sig") or "null")

    @staticmethod
    def _service_message(exc: urllib.error.HTTPError) -> str:
        try:
            body = json.loads(exc.read().decode("utf-8-sig"))
            error = body.get("error", body) if isinstance(body, dict) else {}
            return " ".join(str(error.get(k)) for k in ("code", "message") if error.get(k)) or exc.reason
        except Exception:  # any unreadable error body: the status line is all we have
            return str(exc.reason)

    def _fail(self, exc: Exception, what: str, url: str) -> ConnectorError:
        if isinstance(exc, urllib.error.HTTPError):
            message = self._service_message(exc)
            if exc.code == 401:
                return LoginError(f"the Power Platform rejected paconn's token while {what} (401 {message}); "
                                  f"the token was revoked or is for another cloud: {LOGIN_HELP}")
            if exc.code == 403:
                return ConnectorError(f"no permission while {what} (403 {message}): the signed-in account must "
                                      f"be an environment maker in that environment")
            return ConnectorError(f"{what} failed: HTTP {exc.code} {message} ({url.split('?')[0]})")
        reason = getattr(exc, "reason", exc)
        return ConnectorError(f"cannot reach {url.split('?')[0]} while {what} ({reason}); check the URL "
                              f"(--power-apps-url / --flow-url) and the network")

    def environments(self) -> dict[str, str]:
        """Environment name -> display name, as the Flow service lists them for the signed-in account."""
        url = f"{self.flow_url.rstrip('/')}/providers/Microsoft.ProcessSimple/environments?" + \
            urlencode({"api-version": API_VERSION})
        try:
            data = self._get(url)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise self._fail(exc, "listing environments", url) from None
        values = data.get("value") if isinstance(data, dict) else None
        if not isinstance(values, list):
            raise ConnectorError(f"the environments list at {url.split('?')[0]} has no `value` array")
        return {str(v.get("name")): str((v.get("properties") or {}).get("displayName", ""))
                for v in values if isinstance(v, dict) and v.get("name")}

    def connector_missing(self, environment: str, connector_id: str) -> str | None:
        """None when the connector exists in the environment, else the service's 404 message."""
        query = urlencode({"api-version": API_VERSION, "$filter": f"environment eq '{environment}'"},
                          quote_via=quote)
        url = f"{self.power_apps_url.rstrip('/')}/providers/Microsoft.PowerApps/apis/{quote(connector_id)}?{query}"
        try:
            self._get(url, {"x-ms-origin": "paconn-cli"})
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return self._service_message(exc)
            raise self._fail(exc, f"looking up connector {connector_id}", url) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise self._fail(exc, f"looking up connector {connector_id}", url) from None
        return None
