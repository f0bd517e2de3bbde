"""paconn's sign-in, kept alive: ``connector login`` (the device-code flow with paconn's own settings, writing
paconn's own token file) and the refresh-token grant ``connector deploy`` runs before paconn whenever the access
token is about to expire.

paconn 0.0.21 signs in with ADAL's device-code flow (``paconn/authentication/profile.py``): client id
``04b07795-8ddb-461a-bbee-02f9e1bf7b46``, authority ``https://login.microsoftonline.com/`` joined with a tenant
(``common`` unless given), resource ``https://service.powerapps.com/``. It keeps msrestazure's snake_case copy of
ADAL's token entry in ``~/.paconn/accessTokens.json`` (mode 0600) and never refreshes it: its
``TokenManager.is_expired`` refuses a token with less than ``TOKEN_BUFFER_SECONDS = 600`` s left
(``paconn/authentication/tokenmanager.py``). The entry holds the refresh token, so a refresh-token grant to
``{authority}{tenant}/oauth2/token`` renews both tokens; a refresh token that is used stays valid for months.

The endpoints are the Azure AD v1 ones ADAL uses (``/oauth2/devicecode``, ``/oauth2/token`` with ``resource``);
MSAL speaks only v2 (scopes), and its cache is not paconn's file, so a few urllib calls do the job here.
Nothing here prints or logs a token; errors carry the service's error code and description only.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

from ..errors import ConnectorError, UsageError
from .service import LoginError, token_path

PACONN_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
RESOURCE = "https://service.powerapps.com/"
DEFAULT_AUTHORITY = "https://login.microsoftonline.com/"
DEFAULT_TENANT = "common"
AUTHORITY_ENV = "CONNECTOR_AUTHORITY_URL"
PACONN_MARGIN = 600  # paconn refuses a token with less than this many seconds left
# deploy refreshes earlier than paconn's own margin: paconn's create or update, run right after, must not find
# the token inside its 600 s while it uploads (a slow upload, a retry)
REFRESH_MARGIN = 900
TIMEOUT = 30.0
Echo = Callable[[str], None]


def login_command(tenant: str | None = None) -> str:
    """The one command that signs in again."""
    return "connector login" + (f" --tenant {tenant}" if tenant and tenant != DEFAULT_TENANT else "")


def authority_url(given: str | None = None) -> str:
    """``--authority-url``, else ``$CONNECTOR_AUTHORITY_URL``, else Microsoft Entra ID's; with a trailing slash."""
    url = given or os.environ.get(AUTHORITY_ENV) or DEFAULT_AUTHORITY
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"--authority-url {url!r} must be a base URL such as {DEFAULT_AUTHORITY}")
    return url if url.endswith("/") else url + "/"


def _tenant_ok(tenant: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,254}", tenant or ""):
        raise UsageError(f"--tenant {tenant!r} is not a tenant (a GUID, a domain such as contoso.onmicrosoft.com, "
                         f"or {DEFAULT_TENANT})")
    return tenant


def _claims(jwt: Any) -> dict[str, Any]:
    """The payload of a JWT, unverified (only to read who signed in, as ADAL does with the id_token)."""
    if not isinstance(jwt, str) or jwt.count(".") != 2:
        return {}
    payload = jwt.split(".")[1]
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


@dataclass
class TokenFailure(Exception):
    """An error answer of the token or device-code endpoint: OAuth ``error`` and ``error_description``."""

    status: int
    error: str
    description: str

    def short(self) -> str:
        first = (self.description or "").strip().splitlines()[0] if self.description else ""
        return f"{self.error}: {first}" if first else self.error


def _post(url: str, form: dict[str, str], timeout: float = TIMEOUT) -> dict[str, Any]:
    request = urllib.request.Request(url, data=urlencode(form).encode("ascii"), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        raise TokenFailure(exc.code, str(data.get("error") or f"http_{exc.code}"),
                           str(data.get("error_description") or exc.reason)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConnectorError(f"cannot reach the sign-in service at {url} ({reason}); check the network, or "
                             f"--authority-url / {AUTHORITY_ENV}") from None
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise ConnectorError(f"the sign-in service at {url} answered something that is not JSON") from None
    if not isinstance(data, dict):
        raise ConnectorError(f"the sign-in service at {url} answered {type(data).__name__}, not a JSON object")
    return data


def token_entry(answer: dict[str, Any], *, authority: str, client_id: str, previous: dict[str, Any] | None = None,
                now: float | None = None) -> dict[str, Any]:
    """paconn's token entry from a token endpoint answer, as ADAL + msrestazure would write it: snake_case keys,
    ``expires_on`` in epoch seconds, the signed-in user's ``oid`` (from the id_token, else the access token),
    plus ``_client_id`` and ``_authority`` so a refresh knows where to go."""
    if not answer.get("access_token") or not answer.get("token_type"):
        raise ConnectorError("the sign-in service's answer has no access_token/token_type")
    now = time.time() if now is None else now
    try:
        expires_in = int(answer.get("expires_in", 3600))
    except (TypeError, ValueError):
        expires_in = 3600
    entry: dict[str, Any] = {
        "token_type": answer["token_type"],
        "expires_in": expires_in,
        "expires_on": int(now) + expires_in,
        "resource": answer.get("resource") or (previous or {}).get("resource") or RESOURCE,
        "access_token": answer["access_token"],
        "refresh_token": answer.get("refresh_token") or (previous or {}).get("refresh_token"),
    }
    claims = _claims(answer.get("id_token")) or {}
    access = _claims(answer["access_token"])
    for key, names in (("oid", ("oid",)), ("tenant_id", ("tid",)),
                       ("user_id", ("upn", "email", "unique_name", "sub")),
                       ("given_name", ("given_name",)), ("family_name", ("family_name",))):
        value = next((src[n] for src in (claims, access) for n in names if src.get(n)), None)
        if value is None and previous:
            value = previous.get(key)
        if value is not None:
            entry[key] = value
    entry["_client_id"] = client_id
    entry["_authority"] = authority.rstrip("/")
    if not entry.get("refresh_token"):
        del entry["refresh_token"]
    return entry


def read_entry(home: Path | None = None) -> dict[str, Any] | None:
    """paconn's token file as it is (None when there is none); raises LoginError when it is not JSON."""
    path = token_path(home)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoginError(f"paconn's token file {path} is not readable JSON ({exc.__class__.__name__}); sign in "
                         f"again: `{login_command()}`") from None
    if not isinstance(data, dict):
        raise LoginError(f"paconn's token file {path} does not hold a token entry; sign in again: "
                         f"`{login_command()}`")
    return data


def write_entry(entry: dict[str, Any], path: Path) -> Path:
    """Write a token entry with mode 0600 (as paconn does), replacing the file in one step."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle)
        os.chmod(tmp, 0o600)  # an existing .tmp keeps its old mode through O_CREAT
        os.replace(tmp, path)
    except OSError as exc:
        raise ConnectorError(f"cannot write the token file {path} ({exc.strerror or exc}); check that its folder "
                             f"is writable") from None
    return path


# ----- connector login --------------------------------------------------------------------------------------

def login(*, tenant: str | None = None, authority: str | None = None, home: Path | None = None, echo: Echo,
          sleep: Callable[[float], None] = time.sleep) -> Path:
    """The device-code flow with paconn's settings; writes paconn's token file and returns its path. The only
    line shown is the service's device-code message (open this URL, enter this code)."""
    tenant = _tenant_ok(tenant or DEFAULT_TENANT)
    base = authority_url(authority) + tenant
    try:
        code = _post(f"{base}/oauth2/devicecode?api-version=1.0",
                     {"client_id": PACONN_CLIENT_ID, "resource": RESOURCE})
    except TokenFailure as failure:
        raise LoginError(f"the sign-in service refused to start a device-code sign-in for tenant {tenant} "
                         f"({failure.short()}); check --tenant") from None
    device_code = code.get("device_code")
    if not device_code or not code.get("user_code"):
        raise ConnectorError(f"the sign-in service at {base} answered no device code")
    echo(str(code.get("message") or f"To sign in, open {code.get('verification_url')} and enter the code "
                                     f"{code['user_code']} to authenticate."))
    interval = max(1, int(code.get("interval") or 5))
    deadline = time.monotonic() + int(code.get("expires_in") or 900)
    form = {"grant_type": "device_code", "client_id": PACONN_CLIENT_ID, "resource": RESOURCE, "code": device_code}
    while True:
        try:
            answer = _post(f"{base}/oauth2/token", form)
            break
        except TokenFailure as failure:
            if failure.error == "authorization_pending" and time.monotonic() + interval < deadline:
                sleep(interval)
                continue
            if failure.error == "slow_down" and time.monotonic() + interval < deadline:
                interval += 5
                sleep(interval)
                continue
            if failure.error in ("authorization_pending", "expired_token", "code_expired"):
                raise LoginError(f"the device code expired before the sign-in was completed; run "
                                 f"`{login_command(tenant)}` again and enter the code within "
                                 f"{int(code.get('expires_in') or 900) // 60} minutes") from None
            if failure.error == "authorization_declined":
                raise LoginError(f"the sign-in was declined in the browser; run `{login_command(tenant)}` again "
                                 f"to retry") from None
            raise LoginError(f"the sign-in failed ({failure.short()}); run `{login_command(tenant)}` "
                             f"again") from None
    entry = token_entry(answer, authority=base, client_id=PACONN_CLIENT_ID)
    return write_entry(entry, token_path(home))


# ----- the refresh before deploy ----------------------------------------------------------------------------

@dataclass
class Freshness:
    entry: dict[str, Any]
    refreshed: bool
    path: Path


def _tenant_of(entry: dict[str, Any]) -> str:
    """Where the entry was signed in (its ``_authority``, as ADAL refreshes), else the token's tenant."""
    path = urlsplit(str(entry.get("_authority") or "")).path.strip("/")
    if path:
        return path.rsplit("/", 1)[-1]
    return str(entry.get("tenant_id") or DEFAULT_TENANT)


def refresh(entry: dict[str, Any], *, authority: str | None = None, now: float | None = None) -> dict[str, Any]:
    """One refresh-token grant; the new entry (with the rotated refresh token). Raises LoginError (exit 3)
    naming `connector login` when the refresh token was revoked or has expired."""
    tenant = _tenant_of(entry)
    host = authority_url(authority) if (authority or os.environ.get(AUTHORITY_ENV)) else \
        (_origin(str(entry["_authority"])) if entry.get("_authority") else DEFAULT_AUTHORITY)
    base = host + tenant
    client_id = str(entry.get("_client_id") or PACONN_CLIENT_ID)
    form = {"grant_type": "refresh_token", "client_id": client_id,
            "resource": str(entry.get("resource") or RESOURCE), "refresh_token": str(entry["refresh_token"])}
    try:
        answer = _post(f"{base}/oauth2/token", form)
    except TokenFailure as failure:
        if failure.error in ("invalid_grant", "interaction_required", "invalid_client", "unauthorized_client"):
            raise LoginError(f"the stored refresh token was refused ({failure.short()}): it was revoked, has "
                             f"expired, or the password or sign-in policy changed. Sign in again with "
                             f"`{login_command(tenant)}` (and, in CI, store the new token file as the secret)") \
                from None
        raise ConnectorError(f"refreshing paconn's token failed at {base}/oauth2/token (HTTP {failure.status} "
                             f"{failure.short()}); try again later") from None
    return token_entry(answer, authority=base, client_id=client_id, previous=entry, now=now)


def ensure_fresh(home: Path | None = None, *, authority: str | None = None, margin: int = REFRESH_MARGIN,
                 echo: Echo, now: float | None = None) -> Freshness:
    """paconn's token file with an access token good for at least ``margin`` seconds: refreshed (and written
    back, 0600) when it expires sooner and holds a refresh token. A file holding only a refresh token (what
    CI may store) is completed the same way. Without a way to refresh, the file is left as it is and the
    caller's checks (paconn's 600 s) decide."""
    path = token_path(home)
    entry = read_entry(home)
    if entry is None:
        raise LoginError(f"paconn is not signed in: {path} does not exist. Sign in once with "
                         f"`{login_command()}` (device code: open the printed URL, enter the code)")
    now = time.time() if now is None else now
    if not entry.get("access_token"):
        left = -1.0  # a file holding only a refresh token: complete it
    elif "expires_on" not in entry:
        left = float("inf")  # paconn, too, takes a token without expires_on as good
    else:
        try:
            left = float(entry["expires_on"]) - now
        except (TypeError, ValueError):
            left = -1.0
    if left >= margin or not entry.get("refresh_token"):
        return Freshness(entry, False, path)
    state = "has expired" if left <= 0 else f"expires in {int(left)} s"
    echo(f"deploy: paconn's access token {state}; refreshing it with the stored refresh token")
    new = refresh(entry, authority=authority, now=now)
    write_entry(new, path)
    echo(f"deploy: signed in again as {new.get('user_id') or new.get('oid') or 'the same account'} until "
         f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(new['expires_on']))}; {path} updated")
    return Freshness(new, True, path)


# ----- handing the rotated token to CI ----------------------------------------------------------------------

def save_token_output(entry: dict[str, Any], target: Path) -> Path:
    """``--token-output FILE``: the whole token entry (the file paconn reads), mode 0600."""
    return write_entry(entry, Path(target))


def github_actions_outputs(entry: dict[str, Any], token_file: Path, echo: Echo,
                           environ: dict[str, str] | None = None) -> bool:
    """In GitHub Actions: mask both tokens in the job's log (``::add-mask::``, a workflow command the runner
    consumes and never shows) and set the step outputs ``token-file`` (a path) and ``refresh-token``, so a later
    step can store the rotated token back as the secret. Returns False outside GitHub Actions."""
    env = os.environ if environ is None else environ
    output = env.get("GITHUB_OUTPUT")
    if env.get("GITHUB_ACTIONS") != "true" or not output:
        return False
    for key in ("access_token", "refresh_token"):
        if entry.get(key):
            echo(f"::add-mask::{entry[key]}")
    delimiter = "connector_" + base64.b32encode(os.urandom(10)).decode("ascii")
    with open(output, "a", encoding="utf-8") as handle:
        handle.write(f"token-file={token_file}\n")
        if entry.get("refresh_token"):
            handle.write(f"refresh-token<<{delimiter}\n{entry['refresh_token']}\n{delimiter}\n")
    return True
