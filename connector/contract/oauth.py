"""Signing in the way the platform does when a user creates a connection.

Authorization-code flow from apiProperties' OAuth settings: the browser goes to the authorization URL
(client id, redirect URI, scope, state; for tests ``prompt=none&login_hint=...`` so the server redirects
at once), comes back to the redirect URI with a code; the platform exchanges the code at the token URL and
later refreshes at the refresh URL when the access token expires or the service answers 401.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx

from .folder import PROPERTIES, ContractFailure, OAuthSettings


class TokenSource(Protocol):
    def token(self) -> str: ...

    def refresh(self) -> bool:
        """Get a new access token; False when this source cannot."""
        ...


class StaticToken:
    """A bearer token given on the command line (``--token``): no refresh possible."""

    def __init__(self, value: str):
        self.value = value

    def token(self) -> str:
        return self.value

    def refresh(self) -> bool:
        return False


class ApiKey:
    """An API key sent as the swagger's apiKey security definition says (``--api-key``): a header or a query
    parameter."""

    def __init__(self, value: str, name: str, location: str):
        self.value, self.name, self.location = value, name, location

    def decorate(self, request: Any) -> None:
        if self.location == "query":
            request.url += ("&" if "?" in request.url else "?") + urlencode({self.name: self.value})
        else:
            request.headers[self.name] = self.value

    def token(self) -> str:
        return ""

    def refresh(self) -> bool:
        return False


class BasicAuth:
    """HTTP basic authentication (``--username``/``--password``)."""

    def __init__(self, username: str, password: str):
        self.header = "Basic " + base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")

    def decorate(self, request: Any) -> None:
        request.headers["Authorization"] = self.header

    def token(self) -> str:
        return ""

    def refresh(self) -> bool:
        return False


@dataclass
class Grant:
    access_token: str
    refresh_token: str | None
    expires_at: float | None
    scope: str | None


class OAuthSession:
    """Authorization code + refresh against the URLs of apiProperties.json."""

    def __init__(self, settings: OAuthSettings, client_id: str, client_secret: str | None, redirect_uri: str,
                 authorize_extra: dict[str, str] | None = None, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.time, leeway: float = 30.0):
        self.settings = settings
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.authorize_extra = dict(authorize_extra or {})
        self.http = http or httpx.Client(timeout=30.0, follow_redirects=False, trust_env=False)
        self.clock = clock
        self.leeway = leeway
        self.grant: Grant | None = None
        self.refreshes = 0

    # -- the flow ----------------------------------------------------------------------------------
    def authorize_url(self, state: str) -> str:
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
                 "scope": self.settings.scope, "state": state, **self.authorize_extra}
        sep = "&" if "?" in self.settings.authorization_url else "?"
        return self.settings.authorization_url + sep + urlencode(query)

    def sign_in(self) -> Grant:
        where = f"{PROPERTIES} authorizationUrl {self.settings.authorization_url}"
        state = secrets.token_urlsafe(16)
        url = self.authorize_url(state)
        response = self._request("GET", url, where)
        if response.status_code not in (301, 302, 303, 307, 308):
            raise ContractFailure(where, f"answered {response.status_code} instead of redirecting to the redirect "
                                         f"URI with a code: {_excerpt(response)}")
        location = urljoin(url, response.headers.get("location", ""))
        if not location.startswith(self.redirect_uri):
            raise ContractFailure(where, f"redirected to {location!r}, not to the redirect URI {self.redirect_uri}")
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        if "error" in query:
            raise ContractFailure(where, f"refused to sign in: {query['error']}: "
                                         f"{query.get('error_description', '')}".rstrip(": "))
        if query.get("state") != state:
            raise ContractFailure(where, f"returned state {query.get('state')!r}, not the {state!r} it was sent; "
                                         "the platform would reject this sign-in")
        if not query.get("code"):
            raise ContractFailure(where, "redirected without a code")
        self.grant = self._token_request(self.settings.token_url, "tokenUrl", {
            "grant_type": "authorization_code", "code": query["code"], "redirect_uri": self.redirect_uri})
        return self.grant

    def refresh(self) -> bool:
        if self.grant is None:
            self.sign_in()
            return True
        if not self.grant.refresh_token:
            raise ContractFailure(f"{PROPERTIES} tokenUrl {self.settings.token_url}",
                                  "gave no refresh_token; the platform's connection would break when the access "
                                  "token expires (ask for offline_access)")
        self.grant = self._token_request(self.settings.refresh_url, "refreshUrl", {
            "grant_type": "refresh_token", "refresh_token": self.grant.refresh_token})
        self.refreshes += 1
        return True

    def token(self) -> str:
        if self.grant is None:
            self.sign_in()
        elif self.grant.expires_at is not None and self.clock() >= self.grant.expires_at - self.leeway:
            self.refresh()
        assert self.grant is not None
        return self.grant.access_token

    def close(self) -> None:
        self.http.close()

    # -- helpers -----------------------------------------------------------------------------------
    def _token_request(self, url: str, key: str, form: dict[str, str]) -> Grant:
        where = f"{PROPERTIES} {key} {url}"
        form = {**form, "client_id": self.client_id}
        if self.client_secret is not None:
            form["client_secret"] = self.client_secret
        response = self._request("POST", url, where, data=form,
                                 headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise ContractFailure(where, f"answered {response.status_code}: {_excerpt(response)}")
        try:
            data: Any = response.json()
        except ValueError:
            raise ContractFailure(where, f"answered with no JSON: {_excerpt(response)}") from None
        if not isinstance(data, dict) or not data.get("access_token"):
            raise ContractFailure(where, f"answer has no access_token: {_excerpt(response)}")
        if str(data.get("token_type", "bearer")).lower() != "bearer":
            raise ContractFailure(where, f"token_type is {data.get('token_type')!r}, the platform sends Bearer")
        expires = data.get("expires_in")
        expires_at = self.clock() + float(expires) if isinstance(expires, (int, float, str)) and \
            str(expires).replace(".", "", 1).isdigit() else None
        refresh_token = data.get("refresh_token") or (self.grant.refresh_token if self.grant else None)
        return Grant(access_token=str(data["access_token"]), refresh_token=refresh_token, expires_at=expires_at,
                     scope=data.get("scope"))

    def _request(self, method: str, url: str, where: str, **kw) -> httpx.Response:
        try:
            return self.http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise ContractFailure(where, f"cannot be reached: {type(exc).__name__}: {exc}") from None


def _excerpt(response: httpx.Response, limit: int = 300) -> str:
    text = response.text.strip()
    return text if len(text) <= limit else text[:limit] + "..."
