"""The OAuth 2.0 authorization server (RFC 6749 authorization-code flow) at the mock profile's URLs.

``GET /oauth2/v2.0/authorize`` shows a small sign-in page to people; ``prompt=none`` with ``login_hint=<user>``
redirects at once with a code (for tests). ``POST /oauth2/v2.0/token`` exchanges a code (single use: a
replayed code is refused and revokes what it issued) or a refresh token (rotated on use) for a bearer token
carrying the granted scopes: the requested ones that the connector declares. The client authenticates with
form fields or HTTP Basic. Codes and tokens are random, stored only as SHA-256 digests, and checked from a
small in-memory cache in front of the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .config import Settings
from .store import Store, digest, password_matches


@dataclass(frozen=True)
class Grant:
    """What a valid access token carries."""

    user_id: str
    client_id: str
    scopes: frozenset[str]
    expires: float
    token_hash: str


CACHE_SIZE = 10_000
MAX_TOKEN = 4096


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        self.error, self.description, self.status = error, description, status
        super().__init__(description)


def _token_error(exc: OAuthError) -> JSONResponse:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="connector mock"'
    return JSONResponse({"error": exc.error, "error_description": exc.description}, exc.status, headers=headers)


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


class AuthorizationServer:
    def __init__(self, settings: Settings, store: Store, connector_scopes: tuple[str, ...], title: str = "connector"):
        self.settings = settings
        self.title = title
        self.store = store
        self.scopes = tuple(connector_scopes)
        self._cache: dict[str, Grant | None] = {}  # by the token's SHA-256 digest, at most CACHE_SIZE entries

    # -- scopes ----------------------------------------------------------------------------------------
    def grantable(self, requested: str | None) -> list[str]:
        """The requested scopes the connector declares (no ``scope``: all of them), in declaration order."""
        if requested is None or not requested.strip():
            return list(self.scopes)
        wanted = set(requested.split())
        return [s for s in self.scopes if s in wanted]

    # -- bearer tokens ---------------------------------------------------------------------------------
    def grant_for(self, token: str) -> Grant | None:
        """The grant of a live access token, or None (unknown, revoked or expired). The cache in front of the
        database is keyed by the token's digest and bounded: whatever tokens a client makes up, it holds at
        most ``CACHE_SIZE`` small entries (the oldest go first)."""
        if len(token) > MAX_TOKEN:  # ours are 43 characters; a forged giant is not looked up or remembered
            return None
        key = digest(token)
        grant = self._cache.get(key, False)
        if grant is False:
            row = self.store.one("SELECT * FROM tokens WHERE token_hash = ? AND kind = 'access'", key)
            grant = None
            if row is not None and not row["revoked"]:
                grant = Grant(row["user_id"], row["client_id"], frozenset(row["scopes"].split()), row["expires"],
                              row["token_hash"])
            while len(self._cache) >= CACHE_SIZE:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = grant
        if grant is None or grant.expires <= time.time():
            return None
        return grant

    def _forget(self, hashes: set[str]) -> None:
        for key in hashes:
            if key in self._cache:
                self._cache[key] = None

    def _issue(self, client_id: str, user_id: str, scopes: list[str], code_hash: str | None) -> dict[str, Any]:
        now = time.time()
        access = secrets.token_urlsafe(32)
        answer: dict[str, Any] = {"token_type": "Bearer", "access_token": access,
                                  "expires_in": self.settings.token_ttl, "scope": " ".join(scopes)}
        with self.store.tx() as c:
            c.execute("INSERT INTO tokens VALUES (?, 'access', ?, ?, ?, ?, ?, 0, ?)",
                      (digest(access), client_id, user_id, " ".join(scopes), now + self.settings.token_ttl,
                       code_hash, now))
            if "offline_access" in scopes or not self.scopes:  # no scopes declared: refreshable, as providers do
                refresh = secrets.token_urlsafe(32)
                c.execute("INSERT INTO tokens VALUES (?, 'refresh', ?, ?, ?, ?, ?, 0, ?)",
                          (digest(refresh), client_id, user_id, " ".join(scopes), now + 90 * 86400, code_hash, now))
                answer["refresh_token"] = refresh
        return answer

    # -- /authorize ------------------------------------------------------------------------------------
    async def authorize(self, request: Request) -> Response:
        if request.method == "POST":
            raw = await request.body()  # bounded while it is read (the app's ``_other``: 64 KB)
            params = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        else:
            params = dict(request.query_params)
        client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
        # Errors about the client or the redirect URI must not redirect (RFC 6749 4.1.2.1).
        if client_id != self.settings.client_id:
            return self._page_error(request, 400, "invalid_client",
                                    f"unknown client_id {client_id!r}; start the mock with --client-id to set it")
        if not redirect_uri or not self.settings.redirect_allowed(redirect_uri):
            return self._page_error(request, 400, "invalid_request",
                                    f"redirect_uri {redirect_uri!r} is not registered; register it with "
                                    "--redirect-uri (by default the platform's consent redirect and loopback URLs)")
        state = params.get("state")

        def back(**answer: str) -> Response:
            if state is not None:
                answer["state"] = state
            return RedirectResponse(_with_query(redirect_uri, answer), status_code=302)

        if params.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="only response_type=code is supported")
        scopes = self.grantable(params.get("scope"))
        if not scopes and self.scopes:  # a connector declaring no scopes (aad with a resource, many others) gets none
            return back(error="invalid_scope",
                        error_description="none of the requested scopes is one of the connector's scopes")
        method = params.get("code_challenge_method", "plain" if params.get("code_challenge") else "")
        if method not in ("", "plain", "S256"):
            return back(error="invalid_request", error_description="code_challenge_method must be S256 or plain")

        user_id: str | None = None
        problem = ""
        if request.method == "POST":
            row = self.store.one("SELECT id, password FROM users WHERE id = ?", params.get("username", ""))
            if row is not None and password_matches(row["password"], params.get("password", "")):
                user_id = row["id"]
            else:
                problem = "Unknown user name or wrong password."
        elif params.get("prompt") == "none":
            hint = params.get("login_hint", "")
            if self.store.one("SELECT id FROM users WHERE id = ?", hint) is None:
                return back(error="login_required",
                            error_description="prompt=none needs login_hint naming a user of the fixture")
            user_id = hint
        if user_id is None:
            if problem and "text/html" not in request.headers.get("accept", ""):
                return self._page_error(request, 401, "access_denied", problem)
            return self._sign_in_page(params, scopes, problem)

        code = secrets.token_urlsafe(32)
        with self.store.tx() as c:
            c.execute("INSERT INTO auth_codes VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                      (digest(code), client_id, redirect_uri, " ".join(scopes), user_id,
                       time.time() + self.settings.code_ttl, params.get("code_challenge"), method or None))
        return back(code=code)

    @staticmethod
    def _page_error(request: Request, status: int, error: str, description: str) -> Response:
        """An error of the sign-in page: HTML for a browser (it asks for text/html), JSON for anything else."""
        if "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"error": error, "message": description}, status)
        body = (f"<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1>"
                f"<p><code>{html.escape(error)}</code>: {html.escape(description)}</p>")
        return HTMLResponse(body, status)

    def _sign_in_page(self, params: dict[str, str], scopes: list[str], problem: str) -> Response:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items() if k not in ("username", "password"))
        listed = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        alert = f'<p class="error" role="alert">{html.escape(problem)}</p>' if problem else ""
        hint = html.escape(params.get("login_hint", ""))
        body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in: {html.escape(self.title)} mock</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}}
h1{{color:#254A8E;font-size:1.4rem}}label{{display:block;margin:.8rem 0 .2rem}}
input[type=text],input[type=password]{{width:100%;padding:.5rem;box-sizing:border-box}}
button{{margin-top:1rem;padding:.5rem 1.5rem;background:#254A8E;color:#fff;border:0;border-radius:3px}}
.error{{color:#a00}}small{{color:#666}}</style></head>
<body><h1>Sign in to the {html.escape(self.title)} mock</h1>{alert}
<form method="post" action="/oauth2/v2.0/authorize">{hidden}
<label for="username">User name</label><input id="username" name="username" type="text" value="{hint}" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>
<p><small>Client <code>{html.escape(params.get("client_id", ""))}</code> asks for:</small></p><ul>{listed}</ul>
<p><small>The demo user is <code>demo</code> with password <code>demo</code> (see the mock's fixture).</small></p>
</body></html>"""
        return HTMLResponse(body, 401 if problem else 200)

    # -- /token ----------------------------------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        try:
            ctype = request.headers.get("content-type", "")
            if "application/x-www-form-urlencoded" not in ctype:
                raise OAuthError("invalid_request", "the token request must be application/x-www-form-urlencoded")
            raw = await request.body()  # bounded while it is read (the app's ``_other``: 64 KB)
            form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
            client_id = self._client(request, form)
            grant_type = form.get("grant_type")
            if grant_type == "authorization_code":
                answer = self._code_grant(client_id, form)
            elif grant_type == "refresh_token":
                answer = self._refresh_grant(client_id, form)
            elif not grant_type:
                raise OAuthError("invalid_request", "grant_type is required")
            else:
                raise OAuthError("unsupported_grant_type",
                                 f"grant_type {grant_type!r} is not supported (authorization_code, refresh_token)")
        except OAuthError as exc:
            return _token_error(exc)
        return JSONResponse(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _client(self, request: Request, form: dict[str, str]) -> str:
        auth = request.headers.get("authorization", "")
        if auth[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
                client_id, _, secret = decoded.partition(":")
            except (binascii.Error, ValueError):  # not base64 (non-ASCII text too), or not UTF-8 inside
                raise OAuthError("invalid_client", "the Basic authorization header is malformed: give "
                                 "base64(client_id:client_secret)", 401) from None
            from urllib.parse import unquote_plus

            client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if not client_id:
            raise OAuthError("invalid_client", "client authentication is required (client_id and client_secret "
                                               "as form fields or HTTP Basic)", 401)
        ok_id = secrets.compare_digest(client_id.encode(), self.settings.client_id.encode())
        ok_secret = secrets.compare_digest(secret.encode(), self.settings.client_secret.encode())
        if not (ok_id and ok_secret):
            raise OAuthError("invalid_client", "unknown client or wrong client secret", 401)
        return client_id

    def _code_grant(self, client_id: str, form: dict[str, str]) -> dict[str, Any]:
        code = form.get("code")
        if not code:
            raise OAuthError("invalid_request", "code is required")
        code_hash = digest(code)
        with self.store.tx() as c:
            row = c.execute("SELECT * FROM auth_codes WHERE code_hash = ?", (code_hash,)).fetchone()
            if row is None:
                raise OAuthError("invalid_grant", "unknown authorization code")
            if row["used"]:
                # RFC 6749 4.1.2: a code used twice revokes every token issued from it.
                hashes = {r[0] for r in c.execute("SELECT token_hash FROM tokens WHERE code_hash = ?", (code_hash,))}
                c.execute("UPDATE tokens SET revoked = 1 WHERE code_hash = ?", (code_hash,))
                self._forget(hashes)
                replay = True
            else:
                replay = False
                c.execute("UPDATE auth_codes SET used = 1 WHERE code_hash = ?", (code_hash,))
        if replay:
            raise OAuthError("invalid_grant", "the authorization code was already used; the tokens issued from it "
                                              "are revoked")
        if row["expires"] <= time.time():
            raise OAuthError("invalid_grant", "the authorization code expired")
        if row["client_id"] != client_id:
            raise OAuthError("invalid_grant", "the authorization code was issued to another client")
        if form.get("redirect_uri", "") != row["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri differs from the one of the authorization request")
        if row["challenge"]:
            verifier = form.get("code_verifier", "")
            if row["challenge_method"] == "S256":
                computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            else:
                computed = verifier
            if not verifier or not secrets.compare_digest(computed, row["challenge"]):
                raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        return self._issue(client_id, row["user_id"], row["scopes"].split(), code_hash)

    def _refresh_grant(self, client_id: str, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token")
        if not token:
            raise OAuthError("invalid_request", "refresh_token is required")
        with self.store.tx():
            row = self.store.one("SELECT * FROM tokens WHERE token_hash = ? AND kind = 'refresh'", digest(token))
            if row is None or row["revoked"] or row["expires"] <= time.time():
                raise OAuthError("invalid_grant", "unknown, revoked or expired refresh token")
            if row["client_id"] != client_id:
                raise OAuthError("invalid_grant", "the refresh token was issued to another client")
            granted = row["scopes"].split()
            scopes = granted
            if form.get("scope"):
                wanted = set(form["scope"].split())
                if not wanted <= set(granted):
                    raise OAuthError("invalid_scope", "a refresh may only narrow the scopes originally granted")
                scopes = [s for s in granted if s in wanted]
            self.store.conn.execute("UPDATE tokens SET revoked = 1 WHERE token_hash = ?", (row["token_hash"],))
            answer = self._issue(client_id, row["user_id"], scopes, row["code_hash"])
        self._forget({row["token_hash"]})
        return answer
