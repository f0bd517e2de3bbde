"""OAuth 2.0 in every identity-provider flavour, served by `connector mock --folder` over real HTTP: the mock
answers sign-in at its own /oauth2/v2.0/* paths and at the paths of the connector's declared URLs (a generic
provider's, aad's tenant-shaped ones, oauth2generic's URL templates), and a mock-profile build points those
URLs at the mock. API key (header, query) and basic authentication are tested in test_generic.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .conftest import MockServer

REDIRECT = "http://127.0.0.1:9/callback"
SWAGGER = {
    "swagger": "2.0", "info": {"title": "Notes", "description": "Notes, for tests of the mock's sign-in.",
                               "version": "1.0"},
    "host": "api.notes.example.com", "basePath": "/", "schemes": ["https"],
    "consumes": ["application/json"], "produces": ["application/json"],
    "paths": {"/notes": {"get": {"operationId": "ListNotes", "summary": "List notes", "description": "Lists.",
                                 "responses": {"200": {"description": "The notes.",
                                                       "schema": {"type": "array", "items": {"type": "object"}}}}}}},
    "securityDefinitions": {"oauth2_auth": {"type": "oauth2", "flow": "accessCode",
                                            "authorizationUrl": "AUTHORIZE", "tokenUrl": "TOKEN", "scopes": {}}},
    "security": [{"oauth2_auth": []}],
}


def properties(provider: str, custom: dict) -> dict:
    return {"properties": {"connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": {
        "identityProvider": provider, "clientId": "connector-mock-client", "scopes": [], "redirectMode": "Global",
        "customParameters": custom}}}, "iconBrandColor": "#007ee5", "capabilities": []}}


FLAVOURS = {
    # provider: (swagger authorization URL, token URL, customParameters, where the client signs in)
    "oauth2": ("https://auth.notes.example.com/oauth/authorize", "https://auth.notes.example.com/oauth/token",
               {}, ("/oauth/authorize", "/oauth/token")),
    "aad": ("https://login.microsoftonline.com/common/oauth2/authorize",
            "https://login.microsoftonline.com/common/oauth2/token",
            {"loginUri": {"value": "https://login.windows.net"}, "tenantId": {"value": "common"},
             "resourceUri": {"value": "https://notes.example.com"}},
            ("/contoso.onmicrosoft.com/oauth2/authorize", "/contoso.onmicrosoft.com/oauth2/token")),
    "oauth2generic": ("https://{instance}.notes.example.com/neWeb2/OAuth.aspx", "https://api.notes.example.com/v1/OAuth",
                      {"authorizationUrlTemplate": {"value": "https://{instance}.notes.example.com/neWeb2/OAuth.aspx"},
                       "tokenUrlTemplate": {"value": "https://api.{instance}.example.com/v1/OAuth"},
                       "refreshUrlTemplate": {"value": "https://api.{instance}.example.com/v1/OAuth"}},
                      ("/neWeb2/OAuth.aspx", "/v1/OAuth")),
}


def folder(tmp_path: Path, provider: str) -> Path:
    authorize, token, custom, _ = FLAVOURS[provider]
    out = tmp_path / provider
    out.mkdir()
    text = json.dumps(SWAGGER).replace("AUTHORIZE", authorize).replace("TOKEN", token)
    (out / "apiDefinition.swagger.json").write_text(text)
    (out / "apiProperties.json").write_text(json.dumps(properties(provider, custom)))
    return out


@pytest.mark.parametrize("provider", sorted(FLAVOURS))
def test_sign_in_where_the_provider_signs_in_then_call_the_api(tmp_path, provider):
    authorize, token = FLAVOURS[provider][3]
    server = MockServer(tmp_path / "oauth.db", "--folder", str(folder(tmp_path, provider))).start()
    try:
        assert httpx.get(server.url + "/notes").status_code == 401
        r = httpx.get(server.url + authorize, params={
            "client_id": "connector-mock-client", "redirect_uri": REDIRECT, "response_type": "code",
            "state": "s", "prompt": "none", "login_hint": "demo"})
        assert r.status_code == 302 and "code=" in r.headers["location"], r.headers.get("location", r.text)
        code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
        t = httpx.post(server.url + token, data={"grant_type": "authorization_code", "code": code,
                                                 "redirect_uri": REDIRECT, "client_id": "connector-mock-client",
                                                 "client_secret": "connector-mock-secret"})
        assert t.status_code == 200, t.text
        bearer = {"Authorization": "Bearer " + t.json()["access_token"]}
        assert httpx.get(server.url + "/notes", headers=bearer).status_code == 200
        refreshed = httpx.post(server.url + token, data={"grant_type": "refresh_token",
                                                         "refresh_token": t.json()["refresh_token"],
                                                         "client_id": "connector-mock-client",
                                                         "client_secret": "connector-mock-secret"})
        assert refreshed.status_code == 200, refreshed.text
        assert httpx.get(server.url + "/_mock/health").status_code == 200  # the mock's own, under basePath "/"
    finally:
        server.stop()


@pytest.mark.parametrize("provider", ["aad", "oauth2generic"])
def test_a_mock_profile_build_points_the_providers_sign_in_urls_at_the_mock(tmp_path, provider):
    """The imported connector's own customParameters (aad's loginUri, oauth2generic's templates) move to the
    mock's origin, their paths kept: the paths the mock answers at."""
    from connector.importer.folder import read_folder
    from connector.generate.profiles import apply_profile
    from connector.mock.app import oauth_paths

    connector = read_folder(folder(tmp_path, provider))
    mocked = apply_profile(connector, "mock", "http://127.0.0.1:8123")
    custom = mocked.imported.properties_extra["connectionParameters"]["token"]["oAuthSettings"]["customParameters"]
    if provider == "aad":  # the client signs in at <loginUri>/<tenantId>/oauth2/...: a tenant-shaped path
        assert custom["loginUri"]["value"] == "http://127.0.0.1:8123"
        assert custom["resourceUri"]["value"] == "https://notes.example.com"  # not a sign-in URL: kept
        assert "/{tenant}/oauth2/token" in oauth_paths(connector)
    else:
        assert custom["authorizationUrlTemplate"]["value"] == "http://127.0.0.1:8123/neWeb2/OAuth.aspx"
        assert custom["tokenUrlTemplate"]["value"] == "http://127.0.0.1:8123/v1/OAuth"
        assert {"/neWeb2/OAuth.aspx", "/v1/OAuth"} <= set(oauth_paths(connector))


def test_the_api_key_default_is_shown_in_help():
    out = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "--help"],
                         capture_output=True, text=True, timeout=60)
    text = out.stdout.replace("-\n", "-").replace("\n", " ")
    text = " ".join(text.split()).replace("connector- mock-key", "connector-mock-key")  # as click wraps it
    assert out.returncode == 0 and "env var: CONNECTOR_MOCK_API_KEY; default: connector-mock-key" in text, text


def test_sign_in_settings_are_pointed_at_the_mock_even_when_the_swagger_declares_no_oauth(tmp_path):
    """An imported connector whose swagger's security the model cannot carry (kept verbatim, e.g. operations
    naming an undeclared definition) still signs in where its apiProperties say: moved to the mock, served."""
    from connector.importer.folder import read_folder
    from connector.generate.profiles import apply_profile
    from connector.mock.app import oauth_paths

    out = folder(tmp_path, "oauth2generic")
    swagger = json.loads((out / "apiDefinition.swagger.json").read_text())
    del swagger["securityDefinitions"], swagger["security"]
    (out / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    connector = read_folder(out)
    assert connector.security is None
    custom = apply_profile(connector, "mock", "http://127.0.0.1:8123").imported.properties_extra[
        "connectionParameters"]["token"]["oAuthSettings"]["customParameters"]
    assert custom["tokenUrlTemplate"]["value"] == "http://127.0.0.1:8123/v1/OAuth"
    assert oauth_paths(connector)["/v1/OAuth"] == "token"
