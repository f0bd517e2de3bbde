"""`connector contract` against any connector: API-key and basic authentication, the refusal of a folder the
started mock does not serve or that is built for the real service, a dead base URL, and the identity
providers whose token URL is a template (oauth2generic) or implied (aad)."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.contract.folder import ConnectorFolder, ContractFailure

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")


class Service:
    """A real HTTP service on loopback that records what each request carried."""

    def __init__(self):
        self.seen: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                outer.seen.append({"path": parts.path, "query": parse_qs(parts.query),
                                   "headers": {k.lower(): v for k, v in self.headers.items()}})
                body = json.dumps([{"id": "a1", "name": "first"}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Service":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def folder(tmp_path: Path, host: str, security: dict | None, name: str = "Keyed") -> Path:
    out = tmp_path / name
    out.mkdir()
    swagger = {
        "swagger": "2.0", "info": {"title": name, "version": "1.0", "description": "A test connector."},
        "host": host, "basePath": "/api", "schemes": ["http"], "consumes": [], "produces": ["application/json"],
        "paths": {"/items": {"get": {
            "operationId": "ListItems", "summary": "List items", "description": "Lists the items.",
            "responses": {"200": {"description": "The items", "schema": {"type": "array", "items": {
                "type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}}}},
    }
    params: dict = {}
    if security:
        swagger["securityDefinitions"] = {"auth": security}
        swagger["security"] = [{"auth": []}]
        kind = "securestring"
        params = {"api_key" if security["type"] == "apiKey" else "username": {
            "type": kind, "uiDefinition": {"displayName": "Credential", "description": "It",
                                           "constraints": {"required": "true"}}}}
    (out / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    (out / "apiProperties.json").write_text(json.dumps({"properties": {"connectionParameters": params}}))
    return out


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["contract", *args], env=env)


@pytest.mark.parametrize("where", ["header", "query"])
def test_an_api_key_is_sent_where_the_swagger_declares_it(tmp_path, where):
    with Service() as service:
        built = folder(tmp_path, f"127.0.0.1:{service.port}",
                       {"type": "apiKey", "in": where, "name": "X-Key" if where == "header" else "code"})
        result = run(str(built), "--base-url", f"http://127.0.0.1:{service.port}/api", "--api-key", "k-123",
                     "--no-schemathesis")
    assert result.exit_code == 0, result.output
    assert "1 scenarios: 1 passed, 0 failed" in result.output
    assert service.seen and all(
        (s["headers"].get("x-key") if where == "header" else s["query"].get("code", [None])[0]) == "k-123"
        for s in service.seen)


def test_an_api_key_connector_without_a_key_is_refused(tmp_path):
    with Service() as service:
        built = folder(tmp_path, f"127.0.0.1:{service.port}", {"type": "apiKey", "in": "header", "name": "X-Key"})
        result = run(str(built), "--base-url", f"http://127.0.0.1:{service.port}/api")
    assert result.exit_code == 2
    assert "pass --api-key or set CONNECTOR_API_KEY" in result.output and service.seen == []


def test_basic_credentials_come_from_the_environment(tmp_path):
    with Service() as service:
        built = folder(tmp_path, f"127.0.0.1:{service.port}", {"type": "basic"})
        result = run(str(built), "--base-url", f"http://127.0.0.1:{service.port}/api", "--no-schemathesis",
                     env={"CONNECTOR_USERNAME": "ann", "CONNECTOR_PASSWORD": "s3cret:x"})
    assert result.exit_code == 0, result.output
    expected = "Basic " + base64.b64encode(b"ann:s3cret:x").decode()
    assert service.seen and all(s["headers"].get("authorization") == expected for s in service.seen)


def test_a_dead_base_url_is_reported_at_once(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    built = folder(tmp_path, f"127.0.0.1:{port}", {"type": "basic"})
    result = run(str(built), "--base-url", f"http://127.0.0.1:{port}/api", env={"CONNECTOR_USERNAME": "a",
                                                                                "CONNECTOR_PASSWORD": "b"})
    assert result.exit_code == 1
    assert f"cannot connect to 127.0.0.1:{port}" in result.output and "Connection refused" in result.output
    assert "PASS" not in result.output and "FAIL" not in result.output  # no scenario ran (no 90 s of retries)


def test_a_folder_built_for_the_real_service_is_refused_whatever_its_auth(tmp_path):
    built = folder(tmp_path, "api.example.com", {"type": "apiKey", "in": "header", "name": "X-Key"})
    result = run(str(built))
    assert result.exit_code == 2
    assert "is built for https://api.example.com/api" in result.output or \
        "is built for http://api.example.com/api" in result.output
    assert "--base-url" in result.output and "mock  " not in result.output  # nothing was started


def test_another_connectors_folder_is_refused_by_the_started_mock(tmp_path):
    built = folder(tmp_path, "127.0.0.1:9", None, name="Other")
    result = run(str(built), "--no-schemathesis")
    assert result.exit_code == 2, result.output
    assert "is the connector 'Other', but the mock this command starts serves 'SmartDialog'" in result.output
    assert "GET /items (ListItems)" in result.output and "PASS" not in result.output


def corpus_folder(tmp_path: Path, name: str) -> Path:
    src = next(CORPUS.glob(f"*/{name}"), None)
    if src is None:
        pytest.skip(f"../shared/corpus has no {name}")
    return Path(shutil.copytree(src, tmp_path / name.replace(" ", "_")))


def test_oauth2generic_templates_give_the_urls(tmp_path):
    settings = ConnectorFolder.load(corpus_folder(tmp_path, "Zoho Mail")).oauth()
    assert settings.identity_provider == "oauth2generic"
    assert settings.token_url == "https://accounts.zoho.com/oauth/v2/token"  # {CustomHost}: its first allowed value
    assert settings.authorization_url == "https://accounts.zoho.com/oauth/v2/auth"


def test_oauth2generic_folder_is_refused_without_a_traceback(tmp_path):
    result = run(str(corpus_folder(tmp_path, "Zoho Mail")))
    assert result.exit_code == 2
    assert "not for a local mock" in result.output and "Traceback" not in result.output


def test_aad_token_url_comes_from_login_uri_and_tenant(tmp_path):
    settings = ConnectorFolder.load(corpus_folder(tmp_path, "AzureKeyVault")).oauth()
    assert settings.token_url == "https://login.windows.net/common/oauth2/token"
    assert settings.authorization_url == "https://login.windows.net/common/oauth2/authorize"


def test_a_template_placeholder_without_a_value_names_its_place(tmp_path):
    built = folder(tmp_path, "127.0.0.1:9", None)
    (built / "apiProperties.json").write_text(json.dumps({"properties": {"connectionParameters": {"token": {
        "type": "oauthSetting", "oAuthSettings": {"identityProvider": "oauth2generic", "clientId": "c",
                                                  "customParameters": {
            "authorizationUrlTemplate": {"value": "https://{Tenant}.example.com/auth"},
            "tokenUrlTemplate": {"value": "https://{Tenant}.example.com/token"}}}}}}}))
    with pytest.raises(ContractFailure, match=r"customParameters/tokenUrlTemplate.*\{Tenant\} has no value"):
        ConnectorFolder.load(built).oauth()
