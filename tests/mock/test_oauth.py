"""The OAuth 2.0 dance against the real server: people's sign-in page, prompt=none for tests, code and
refresh grants, client and redirect checks, state round trip, single-use codes, expiry, scopes."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import httpx

from connector.smartdialog import SCOPE_PREFIX, GetUserCustomers, SendMessage, connector

from .conftest import ALL_SCOPES, CLIENT_ID, CLIENT_SECRET, REDIRECT, MockServer


def query_of(response: httpx.Response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def test_full_dance_with_state_round_trip_and_token_use(mock_server):
    r = mock_server.authorize(state="opaque state/with spaces+&=")
    assert r.status_code == 302
    assert r.headers["location"].startswith(REDIRECT + "?")
    q = query_of(r)
    assert q["state"] == "opaque state/with spaces+&="
    token = mock_server.exchange(q["code"])
    assert token.status_code == 200
    body = token.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == set(ALL_SCOPES.split())
    assert body["refresh_token"]  # offline_access was granted
    assert token.headers["cache-control"] == "no-store"
    api = httpx.get(mock_server.url + "/api-integrations/v1/customers",
                    headers={"Authorization": f"Bearer {body['access_token']}"})
    assert api.status_code == 200 and api.json()["customerUsers"]


def test_sign_in_page_for_people(mock_server):
    params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "scope": ALL_SCOPES,
              "state": "abc"}
    page = httpx.get(mock_server.url + "/oauth2/v2.0/authorize", params=params)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<form method="post"' in page.text and 'name="password"' in page.text
    assert 'value="abc"' in page.text  # the request travels through the form
    wrong = httpx.post(mock_server.url + "/oauth2/v2.0/authorize",
                       data={**params, "username": "demo", "password": "nope"})
    assert wrong.status_code == 401 and "wrong password" in wrong.text
    right = httpx.post(mock_server.url + "/oauth2/v2.0/authorize",
                       data={**params, "username": "demo", "password": "demo"})
    assert right.status_code == 302
    q = query_of(right)
    assert q["state"] == "abc" and mock_server.exchange(q["code"]).status_code == 200


def test_http_basic_client_authentication(mock_server):
    code = mock_server.code()
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    r = httpx.post(mock_server.url + "/oauth2/v2.0/token", headers={"Authorization": f"Basic {basic}"},
                   data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert r.status_code == 200, r.text


def test_wrong_client_secret_and_unknown_client(mock_server):
    r = mock_server.exchange(mock_server.code(), client_secret="wrong")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = mock_server.authorize(client_id="someone-else")
    assert r.status_code == 400 and "location" not in r.headers  # never redirect for an unknown client


def test_redirect_uri_checks(mock_server):
    r = mock_server.authorize(redirect_uri="https://evil.example/cb")
    assert r.status_code == 400 and "location" not in r.headers
    assert "not registered" in r.text
    platform = mock_server.authorize(redirect_uri="https://global.consent.azure-apim.net/redirect")
    assert platform.status_code == 302
    assert platform.headers["location"].startswith("https://global.consent.azure-apim.net/redirect?code=")
    # the token request must repeat the same redirect_uri
    r = mock_server.exchange(mock_server.code(), redirect_uri="http://127.0.0.1:9/other")
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_replayed_code_is_refused_and_revokes_its_tokens(mock_server):
    code = mock_server.code()
    first = mock_server.exchange(code)
    assert first.status_code == 200
    access = first.json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    assert httpx.get(mock_server.url + "/api-integrations/v1/customers", headers=headers).status_code == 200
    again = mock_server.exchange(code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert "already used" in again.json()["error_description"]
    revoked = httpx.get(mock_server.url + "/api-integrations/v1/customers", headers=headers)
    assert revoked.status_code == 401 and revoked.json()["error"] == "invalid_token"


def test_refresh_grant_rotates_the_refresh_token(mock_server):
    body = mock_server.exchange(mock_server.code()).json()
    form = {"grant_type": "refresh_token", "refresh_token": body["refresh_token"], "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET}
    r = httpx.post(mock_server.url + "/oauth2/v2.0/token", data=form)
    assert r.status_code == 200
    new = r.json()
    assert new["access_token"] != body["access_token"] and new["refresh_token"] != body["refresh_token"]
    api = httpx.get(mock_server.url + "/api-integrations/v1/customers",
                    headers={"Authorization": f"Bearer {new['access_token']}"})
    assert api.status_code == 200
    reused = httpx.post(mock_server.url + "/oauth2/v2.0/token", data=form)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_grant_errors(mock_server):
    url = mock_server.url + "/oauth2/v2.0/token"
    auth = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    r = httpx.post(url, data={**auth, "grant_type": "password"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    r = httpx.post(url, data={**auth, "grant_type": "authorization_code", "code": "made-up",
                              "redirect_uri": REDIRECT})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    r = httpx.post(url, json={**auth, "grant_type": "authorization_code"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = mock_server.authorize(response_type="token")
    assert r.status_code == 302 and query_of(r)["error"] == "unsupported_response_type"
    r = mock_server.authorize(login_hint="nobody")
    assert r.status_code == 302 and query_of(r)["error"] == "login_required" and query_of(r)["state"] == "s1"
    r = mock_server.authorize(scope="openid profile")
    assert query_of(r)["error"] == "invalid_scope"


def test_pkce_s256(mock_server):
    verifier = "a-long-enough-code-verifier-0123456789-abcdefghij"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = mock_server.code(code_challenge=challenge, code_challenge_method="S256")
    assert mock_server.exchange(code, code_verifier="wrong").json()["error"] == "invalid_grant"
    code = mock_server.code(code_challenge=challenge, code_challenge_method="S256")
    assert mock_server.exchange(code, code_verifier=verifier).status_code == 200


def test_granted_scopes_limit_operations(mock_server):
    scope = "offline_access " + connector.scope_of(GetUserCustomers)
    body = mock_server.exchange(mock_server.code(scope=scope + " https://unknown.example/Other")).json()
    assert body["scope"] == scope  # intersected with the connector's scopes
    with mock_server.client(token=body["access_token"]) as api:
        assert api.get("/customers").status_code == 200
        r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                     json={"Sender": "Demo", "Content": "hi", "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"}]})
        assert r.status_code == 403
        assert r.json()["error"] == "insufficient_scope" and r.json()["scope"] == connector.scope_of(SendMessage)
        assert connector.scope_of(SendMessage) == SCOPE_PREFIX + "Gateway.Send"
        assert 'insufficient_scope' in r.headers["www-authenticate"]


def test_tokens_expire(tmp_path):
    server = MockServer(tmp_path / "ttl.db", "--token-ttl", "1").start()
    try:
        with server.client() as api:
            assert api.get("/customers").status_code == 200
            time.sleep(1.2)
            r = api.get("/customers")
            assert r.status_code == 401 and r.json()["error"] == "invalid_token"
    finally:
        server.stop()
