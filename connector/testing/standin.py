"""A local stand-in of the Power Platform endpoints that paconn 0.0.21 calls, for tests and dry runs.

Two real servers on loopback:

* an HTTP server that is both ``powerAppsUrl`` and ``flowUrl``: the Flow environments list,
  ``validateApiSwagger``, ``generateResourceStorage`` (answers a container SAS URL), ``apis`` list / create
  (POST) / get (GET) / update (PATCH), and the files a connector's ``GET`` points at
  (``originalSwaggerUrl``, ``iconUri``, ``scriptDefinitionUrl``);
* an HTTPS server that plays the blob storage account of that SAS URL
  (``https://<account>.blob.<suffix>:<port>/<container>/<file>?<sas>``), with a certificate from a throwaway
  ``trustme`` CA. The host name does not resolve anywhere (``.invalid``): the paconn process reaches it through
  the name-resolution shim in ``connector/testing/shim`` and trusts the CA through ``REQUESTS_CA_BUNDLE``
  (:meth:`StandIn.paconn_environment` gives those variables).

It also plays the sign-in service (the Azure AD v1 endpoints ADAL and ``connector login`` use, under
``<url>/<tenant>/oauth2/``): ``devicecode`` starts a device-code sign-in that a test completes with
:meth:`StandIn.approve` or a person at ``<url>/devicelogin`` (entering the code), and ``token`` answers the
``device_code`` and ``refresh_token`` grants with JWT-shaped (unsigned) tokens whose access token the Power
Platform endpoints then accept. Refresh tokens rotate on every grant; :meth:`StandIn.revoke` makes one fail with
``invalid_grant``. Grants are counted in :attr:`StandIn.grants` (grant type and tenant, never a token).

Calls and answers follow ``certification.md`` section 5 and paconn's source. Where the real service's answer
is not known (error codes and texts), the stand-in's own answer is a JSON ``{"error": {"code", "message"}}``
with a plausible status; tests must not take those texts for the real service's.

Everything received is kept in memory (:attr:`StandIn.calls`, :attr:`StandIn.connectors`,
:attr:`StandIn.blobs`), and, with ``dump``, written to a JSON file after every call with client secrets,
tokens and SAS signatures redacted. The OAuth client secret that paconn injects is kept in memory only, so
tests can check that it arrived; it is never logged, dumped or handed back by ``GET``.

Run alone: ``python -m connector.testing.standin --help``; ``connector deploy --dry-run`` starts one itself.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import http.server
import json
import os
import re
import secrets
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlsplit

API_VERSION = "2016-11-01"
POWERAPPS = "/providers/Microsoft.PowerApps/"
FLOW_ENVIRONMENTS = "/providers/Microsoft.ProcessSimple/environments"
FILES = "/_standin/files/"
REDACTED = "***"
SHIM_DIR = Path(__file__).resolve().parent / "shim"
# paconn's create/update keys (certification.md section 5); the stand-in requires them like the service does.
REQUIRED_CREATE = ("openApiDefinition", "backendService", "environment", "displayName", "description")
AUTHORITY = re.compile(r"^/([A-Za-z0-9][A-Za-z0-9.-]*)/oauth2/(devicecode|token)$")
PACONN_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"  # paconn's settings (paconn/settings/settings.py)
PACONN_RESOURCE = "https://service.powerapps.com/"
STACK_OWNER_ERROR = ("Could not find member 'stackOwner' on object of type 'ApiPropertiesDefinition'. "
                     "Path 'properties.stackOwner'.")


@dataclass
class Call:
    """One request as the stand-in received it. ``body`` is the parsed JSON, or the raw bytes for blobs."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int = 0

    @property
    def operation(self) -> str:
        return _operation(self.method, self.path)


@dataclass
class Blob:
    data: bytes
    content_type: str


@dataclass
class DeployedConnector:
    id: str
    environment: str
    properties: dict[str, Any]  # as stored: secrets included (in memory only)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # name -> (bytes, content type)
    created: dict[str, Any] = field(default_factory=dict)  # the create payload as received
    updates: list[dict[str, Any]] = field(default_factory=list)  # every update payload as received


class StandInError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _operation(method: str, path: str) -> str:
    """A short name for a call: list-environments, validate, storage, list, create, get, update, file, blob-put,
    devicecode, token..."""
    match = AUTHORITY.match(path)
    if match:
        return match.group(2)
    if path.startswith(FLOW_ENVIRONMENTS):
        return "list-environments"
    if path.startswith(POWERAPPS):
        rest = path[len(POWERAPPS):]
        if rest.endswith("/validateApiSwagger"):
            return "validate"
        if rest.endswith("/generateResourceStorage"):
            return "storage"
        if rest == "apis":
            return {"GET": "list", "POST": "create"}.get(method, "apis")
        if rest.startswith("apis/"):
            return {"GET": "get", "PATCH": "update"}.get(method, "api")
    if path.startswith(FILES):
        return "file"
    return "blob-" + method.lower()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())[:30] or "connector"


def redact(value: Any) -> Any:
    """A copy of a payload with every client secret and SAS signature replaced by ``***``."""
    if isinstance(value, dict):
        return {k: (REDACTED if k == "clientSecret" and v else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str) and "sig=" in value:
        return mask_sas(value)
    return value


def _strip_secrets(value: Any) -> Any:
    """What a GET hands back: the stored properties without any client secret (the service never returns it)."""
    if isinstance(value, dict):
        return {k: _strip_secrets(v) for k, v in value.items() if k != "clientSecret"}
    if isinstance(value, list):
        return [_strip_secrets(v) for v in value]
    return value


def mask_sas(text: str) -> str:
    """``text`` with the signature of any SAS URL in it replaced by ``***``."""
    return re.sub(r"([?&]sig=)[^&\s\"']*", r"\1" + REDACTED, text)


class StandIn:
    """The stand-in. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(self, environments: dict[str, str] | None = None, *, dump: Path | None = None,
                 blob_account: str = "connectorstandin", blob_suffix: str = "core.invalid",
                 host: str = "127.0.0.1", port: int = 0, blob_port: int = 0):
        # environment name -> display name
        self.environments = dict(environments or {str(uuid.UUID(int=0x5ade1e)): "Stand-in environment"})
        self.dump_path = dump
        self.blob_account = blob_account
        self.blob_suffix = blob_suffix
        self._host, self._port, self._blob_port = host, port, blob_port
        self.calls: list[Call] = []
        self.connectors: dict[str, DeployedConnector] = {}
        self.blobs: dict[tuple[str, str], Blob] = {}
        self.log: list[str] = []
        self.tokens: dict[str, dict[str, Any]] = {}  # access token -> the token document issued
        self.grants: list[tuple[str, str]] = []  # (grant type, tenant) of every token grant answered
        self.device_codes: dict[str, dict[str, Any]] = {}  # device code -> {user_code, tenant, state}
        self.refresh_tokens: dict[str, dict[str, Any]] = {}  # refresh token -> {oid, tenant, revoked}
        self.token_lifetime = 3600  # seconds, of the access tokens the sign-in service issues
        self._containers: dict[str, str] = {}  # container -> SAS signature
        self._faults: list[tuple[str, int, str, str]] = []
        self._lock = threading.RLock()
        self._servers: list[http.server.ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.ca_pem: Path | None = None

    # ----- life cycle -------------------------------------------------------------------------------------
    @property
    def blob_host(self) -> str:
        return f"{self.blob_account}.blob.{self.blob_suffix}"

    @property
    def url(self) -> str:
        """The base URL for both ``powerAppsUrl`` and ``flowUrl``."""
        host, port = self._servers[0].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def authority_url(self) -> str:
        """The sign-in service's base URL (``--authority-url`` / ``CONNECTOR_AUTHORITY_URL``)."""
        return self.url + "/"

    @property
    def blob_port(self) -> int:
        return self._servers[1].server_address[1]

    @property
    def default_environment(self) -> str:
        return next(iter(self.environments))

    def start(self) -> "StandIn":
        import trustme  # only the stand-in needs it; imported here so `connector deploy` does not

        self._tmp = tempfile.TemporaryDirectory(prefix="connector-standin-")
        ca = trustme.CA()
        cert = ca.issue_cert(self.blob_host)
        self.ca_pem = Path(self._tmp.name) / "standin-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_pem))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)

        api = _Server((self._host, self._port), _Handler, self, tls=False)
        blob = _Server((self._host, self._blob_port), _Handler, self, tls=True)
        blob.socket = context.wrap_socket(blob.socket, server_side=True)
        self._servers = [api, blob]
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._log(f"listening on {self.url} and https://{self.blob_host}:{self.blob_port} (-> {self._host})")
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "StandIn":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- what a paconn process needs ----------------------------------------------------------------------
    def issue_token(self, expires_in: int = 3600, oid: str | None = None) -> dict[str, Any]:
        """A token document in the shape paconn keeps in ``~/.paconn/accessTokens.json``."""
        doc = {
            "token_type": "Bearer",
            "access_token": "standin-" + secrets.token_urlsafe(24),
            "expires_on": int(time.time()) + expires_in,
            "oid": oid or str(uuid.uuid4()),
        }
        with self._lock:
            self.tokens[doc["access_token"]] = doc
        return doc

    def write_token_file(self, home: Path, expires_in: int = 3600, refresh_token: bool = False,
                         tenant: str = "common") -> Path:
        """Write a token into ``<home>/.paconn/accessTokens.json`` (mode 0600, like paconn); ``expires_in`` may
        be negative (expired). With ``refresh_token``, the entry is the one ``connector login`` writes: a refresh
        token this stand-in's sign-in service honours, and where it came from."""
        folder = Path(home) / ".paconn"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "accessTokens.json"
        doc = self.issue_token(expires_in)
        if refresh_token:
            doc["refresh_token"] = self._new_refresh_token(doc["oid"], tenant)
            doc["resource"] = PACONN_RESOURCE
            doc["_client_id"] = PACONN_CLIENT_ID
            doc["_authority"] = self.authority_url + tenant
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    # ----- the sign-in service ------------------------------------------------------------------------------
    def approve(self, user_code: str, decline: bool = False) -> None:
        """What the person does in the browser: enter the user code (and accept, or decline)."""
        with self._lock:
            for entry in self.device_codes.values():
                if entry["user_code"] == user_code and entry["state"] == "pending":
                    entry["state"] = "declined" if decline else "approved"
                    return
        raise KeyError(f"no pending device code with user code {user_code}")

    def revoke(self, refresh_token: str | None = None) -> None:
        """Revoke one refresh token, or every one issued so far (an admin's "revoke sessions")."""
        with self._lock:
            for token, entry in self.refresh_tokens.items():
                if refresh_token is None or token == refresh_token:
                    entry["revoked"] = True

    def grants_of(self, grant_type: str) -> list[tuple[str, str]]:
        with self._lock:
            return [g for g in self.grants if g[0] == grant_type]

    def _new_refresh_token(self, oid: str, tenant: str) -> str:
        token = "standin-rt-" + secrets.token_urlsafe(32)
        with self._lock:
            self.refresh_tokens[token] = {"oid": oid, "tenant": tenant, "revoked": False}
        return token

    def _authority(self, tenant: str, endpoint: str, query: dict[str, str],
                   body: bytes) -> tuple[int, str, bytes]:
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

        def oauth_error(status: int, error: str, description: str) -> tuple[int, str, bytes]:
            return _json(status, {"error": error, "error_description": description + " (stand-in)"})

        if form.get("client_id") != PACONN_CLIENT_ID:
            return oauth_error(400, "unauthorized_client", "the stand-in knows only paconn's client id")
        if form.get("resource") != PACONN_RESOURCE:
            return oauth_error(400, "invalid_resource", f"the stand-in issues tokens for {PACONN_RESOURCE} only")
        if endpoint == "devicecode":
            if query.get("api-version") != "1.0":
                return oauth_error(400, "invalid_request", "api-version=1.0 is required")
            device_code = secrets.token_urlsafe(24)
            user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
            with self._lock:
                self.device_codes[device_code] = {"user_code": user_code, "tenant": tenant, "state": "pending"}
            return _json(200, {"user_code": user_code, "device_code": device_code,
                               "verification_url": f"{self.url}/devicelogin", "expires_in": "900",
                               "interval": "1",
                               "message": f"To sign in, use a web browser to open the page {self.url}/devicelogin "
                                          f"and enter the code {user_code} to authenticate."})
        grant = form.get("grant_type", "")
        with self._lock:
            self.grants.append((grant, tenant))
        if grant == "device_code":
            with self._lock:
                entry = self.device_codes.get(form.get("code", ""))
            if entry is None:
                return oauth_error(400, "invalid_grant", "unknown device code")
            if entry["state"] == "pending":
                return oauth_error(400, "authorization_pending", "the user has not yet entered the code")
            if entry["state"] == "declined":
                return oauth_error(400, "authorization_declined", "the user declined the sign-in")
            if entry["state"] == "used":
                return oauth_error(400, "invalid_grant", "the device code was already redeemed")
            entry["state"] = "used"
            return _json(200, self._token_answer(str(uuid.uuid4()), tenant))
        if grant == "refresh_token":
            with self._lock:
                entry = self.refresh_tokens.get(form.get("refresh_token", ""))
            if entry is None or entry["revoked"]:
                return oauth_error(400, "invalid_grant", "the refresh token was revoked or is unknown")
            return _json(200, self._token_answer(entry["oid"], tenant))
        return oauth_error(400, "unsupported_grant_type", f"grant_type {grant!r} is not supported")

    def _token_answer(self, oid: str, tenant: str) -> dict[str, Any]:
        """A v1 token answer: access and id tokens JWT-shaped (unsigned), a new refresh token."""
        tid = tenant if re.fullmatch(r"[0-9a-f-]{36}", tenant) else str(uuid.UUID(int=0x7e4a47))
        claims = {"oid": oid, "tid": tid, "upn": "deployer@standin.invalid", "given_name": "Stand-in",
                  "family_name": "Deployer", "aud": PACONN_RESOURCE}
        access = _jwt({**claims, "jti": secrets.token_urlsafe(12)})
        doc = {"token_type": "Bearer", "access_token": access, "expires_on": int(time.time()) + self.token_lifetime,
               "oid": oid}
        with self._lock:
            self.tokens[access] = doc
        return {"token_type": "Bearer", "scope": "user_impersonation", "expires_in": str(self.token_lifetime),
                "ext_expires_in": str(self.token_lifetime), "expires_on": str(doc["expires_on"]),
                "not_before": str(int(time.time())), "resource": PACONN_RESOURCE, "access_token": access,
                "refresh_token": self._new_refresh_token(oid, tenant), "id_token": _jwt(claims)}

    def paconn_environment(self, home: Path | None = None) -> dict[str, str]:
        """Environment variables that point one paconn process at this stand-in: the shim on PYTHONPATH,
        the blob host mapped to loopback, the test CA trusted by requests, and (optionally) its own HOME."""
        env = {
            "PYTHONPATH": str(SHIM_DIR),
            "CONNECTOR_LOOPBACK_HOSTS": self.blob_host,
            "REQUESTS_CA_BUNDLE": str(self.ca_pem),
            "NO_PROXY": f"127.0.0.1,localhost,{self.blob_host}",
            "no_proxy": f"127.0.0.1,localhost,{self.blob_host}",
        }
        if home is not None:
            env["HOME"] = str(home)
            env["USERPROFILE"] = str(home)
        return env

    def fail(self, operation: str, status: int, code: str, message: str) -> None:
        """Answer the next call of ``operation`` (see :func:`_operation`) with this error, once."""
        with self._lock:
            self._faults.append((operation, status, code, message))

    # ----- records ------------------------------------------------------------------------------------------
    def calls_of(self, operation: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.operation == operation]

    def snapshot(self) -> dict[str, Any]:
        """Everything received, JSON-ready, secrets and SAS signatures redacted, blobs as size and SHA-256."""
        with self._lock:
            return {
                "url": self.url if self._servers else None,
                "environments": self.environments,
                "calls": [{
                    "operation": c.operation, "method": c.method, "path": c.path,
                    "query": {k: (REDACTED if k == "sig" else v) for k, v in c.query.items()},
                    "headers": c.headers, "status": c.status,
                    "body": _blob_summary(c.body) if isinstance(c.body, bytes) else redact(c.body),
                } for c in self.calls],
                "connectors": {cid: {"environment": c.environment, "properties": redact(c.properties),
                                     "files": {n: _blob_summary(d) | {"contentType": t}
                                               for n, (d, t) in c.files.items()}}
                               for cid, c in self.connectors.items()},
                "blobs": {f"{k[0]}/{k[1]}": _blob_summary(b.data) | {"contentType": b.content_type}
                          for k, b in self.blobs.items()},
            }

    def _log(self, line: str) -> None:
        with self._lock:
            self.log.append(line)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
        self._log(f"{call.method} {call.path} -> {call.status}")
        if self.dump_path is not None:
            data = json.dumps(self.snapshot(), indent=2, ensure_ascii=False) + "\n"
            tmp = Path(str(self.dump_path) + ".tmp")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(data, encoding="utf-8")
            tmp.replace(self.dump_path)

    # ----- the endpoints ------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes,
               tls: bool) -> tuple[int, str, bytes]:
        """Route one request; returns (status, content type, body)."""
        op = _operation(method, path)
        with self._lock:
            fault = next((f for f in self._faults if f[0] == op), None)
            if fault:
                self._faults.remove(fault)
        if fault:
            raise StandInError(fault[1], fault[2], fault[3])
        if tls:
            return self._blob(method, path, query, headers, body)
        if path.startswith(FILES):
            return self._file(path)
        if path == "/devicelogin" and method == "GET":  # the page a person opens to enter the code
            if not query.get("code"):
                return 200, "text/html; charset=utf-8", (
                    b"<!doctype html><title>Stand-in sign-in</title><form>Code: <input name=code autofocus> "
                    b"<button>Sign in</button></form>")
            try:
                self.approve(query["code"].strip().upper())
            except KeyError:
                return 400, "text/plain; charset=utf-8", b"That code is not pending.\n"
            return 200, "text/plain; charset=utf-8", b"Signed in. You can close this page.\n"
        authority = AUTHORITY.match(path)
        if authority and method == "POST":
            return self._authority(authority.group(1), authority.group(2), query, body)
        if not (path.startswith(POWERAPPS) or path.startswith(FLOW_ENVIRONMENTS)):
            raise StandInError(404, "NotFound", f"the stand-in has no {method} {path}")
        token = self._authenticate(headers)
        if query.get("api-version") != API_VERSION:
            raise StandInError(400, "InvalidApiVersion", f"api-version must be {API_VERSION}")
        if op == "list-environments" and method == "GET":
            return _json(200, {"value": [{"name": n, "id": f"{FLOW_ENVIRONMENTS}/{n}",
                                          "properties": {"displayName": d}} for n, d in self.environments.items()]})
        rest = path[len(POWERAPPS):]
        if op in ("validate", "storage") and method == "POST":
            oid = rest.split("/")[1] if rest.startswith("objectIds/") else ""
            if oid != token.get("oid"):
                raise StandInError(403, "AuthorizationFailed", "the objectIds segment is not the caller's oid")
            data = _parse_json(body)
            return self._validate(data) if op == "validate" else self._storage(data)
        environment = self._filter_environment(query)
        if op == "list":
            with self._lock:
                value = [self._registration(c) for c in self.connectors.values() if c.environment == environment]
            return _json(200, {"value": value})
        if op == "create":
            return self._create(environment, _parse_json(body))
        if op in ("get", "update"):
            connector_id = unquote(rest[len("apis/"):])
            with self._lock:
                found = self.connectors.get(connector_id)
            if found is None or found.environment != environment:
                raise StandInError(404, "ApiNotFound",
                                   f"The API '{connector_id}' could not be found in environment '{environment}'.")
            if op == "get":
                return _json(200, self._registration(found))
            return self._update(found, _parse_json(body))
        raise StandInError(405, "MethodNotAllowed", f"{method} is not supported on {path}")

    def _authenticate(self, headers: dict[str, str]) -> dict[str, Any]:
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        with self._lock:
            doc = self.tokens.get(token)
        if scheme.lower() != "bearer" or doc is None:
            raise StandInError(401, "InvalidAuthenticationToken", "The access token is invalid.")
        if doc["expires_on"] < time.time():
            raise StandInError(401, "ExpiredAuthenticationToken", "The access token has expired.")
        return doc

    def _filter_environment(self, query: dict[str, str]) -> str:
        match = re.fullmatch(r"environment eq '([^']*)'", query.get("$filter", ""))
        if not match:
            raise StandInError(400, "InvalidFilter", "expected $filter=environment eq '<environment>'")
        return self._known_environment(match.group(1))

    def _known_environment(self, name: Any) -> str:
        if not isinstance(name, str) or name not in self.environments:
            raise StandInError(404, "EnvironmentNotFound", f"The environment '{name}' could not be found.")
        return name

    @staticmethod
    def _swagger_problems(swagger: Any) -> list[str]:
        if not isinstance(swagger, dict):
            return ["the API definition is not a JSON object"]
        problems = []
        if swagger.get("swagger") != "2.0":
            problems.append("'swagger' must be \"2.0\"")
        info = swagger.get("info")
        if not isinstance(info, dict) or not info.get("title"):
            problems.append("'info.title' is required")
        if not isinstance(swagger.get("paths"), dict):
            problems.append("'paths' is required")
        if not swagger.get("host"):
            problems.append("'host' is required")
        return problems

    def _validate(self, swagger: Any) -> tuple[int, str, bytes]:
        # paconn reads the answer as text: a JSON string, empty when the definition is fine.
        return 200, "application/json", json.dumps("\r\n".join(self._swagger_problems(swagger))).encode()

    def _storage(self, data: Any) -> tuple[int, str, bytes]:
        if not isinstance(data, dict) or not isinstance(data.get("environment"), dict):
            raise StandInError(400, "InvalidRequestContent", "expected {\"environment\": {\"name\": ...}}")
        self._known_environment(data["environment"].get("name"))
        container = uuid.uuid4().hex
        sig = secrets.token_urlsafe(24)
        with self._lock:
            self._containers[container] = sig
        expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        sas = (f"https://{self.blob_host}:{self.blob_port}/{container}"
               f"?sv=2018-03-28&sr=c&sp=rcw&se={quote(expiry, safe='')}&sig={quote(sig, safe='')}")
        return _json(200, {"sharedAccessSignature": sas})

    def _blob(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
              body: bytes) -> tuple[int, str, bytes]:
        parts = path.strip("/").split("/", 1)
        if len(parts) != 2 or not parts[1]:
            raise StandInError(400, "InvalidUri", "expected /<container>/<blob>")
        container, name = parts[0], unquote(parts[1])
        with self._lock:
            sig = self._containers.get(container)
        if sig is None or query.get("sig") != sig:
            raise StandInError(403, "AuthenticationFailed", "the SAS signature does not match the container")
        if method == "PUT":
            if "comp" in query:
                raise StandInError(400, "UnsupportedBlockUpload", "the stand-in takes single-shot block blob PUTs")
            if headers.get("x-ms-blob-type") != "BlockBlob":
                raise StandInError(400, "MissingRequiredHeader", "x-ms-blob-type: BlockBlob is required")
            content_type = headers.get("x-ms-blob-content-type") or "application/octet-stream"
            with self._lock:
                self.blobs[(container, name)] = Blob(body, content_type)
            return 201, "", b""
        if method in ("GET", "HEAD"):
            with self._lock:
                blob = self.blobs.get((container, name))
            if blob is None:
                raise StandInError(404, "BlobNotFound", f"no blob {container}/{name}")
            return 200, blob.content_type, blob.data
        raise StandInError(405, "UnsupportedHttpVerb", f"{method} is not supported on blobs")

    def _uploaded(self, url: Any, what: str) -> tuple[bytes, str] | None:
        """The bytes behind an iconUri / scriptDefinitionUrl that paconn uploaded to this stand-in."""
        if url in (None, ""):
            return None
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.hostname != self.blob_host:
            raise StandInError(400, "InvalidRequestContent", f"{what} must point at the uploaded blob: {url!r}")
        container, _, name = parts.path.strip("/").partition("/")
        with self._lock:
            blob = self.blobs.get((container, unquote(name)))
        if blob is None:
            raise StandInError(400, "InvalidRequestContent", f"{what} points at a blob that was never uploaded")
        return blob.data, blob.content_type

    def _check_payload(self, environment: str, payload: Any, create: bool) -> dict[str, Any]:
        if not isinstance(payload, dict) or not isinstance(payload.get("properties"), dict):
            raise StandInError(400, "InvalidRequestContent", "expected {\"properties\": {...}}")
        props = payload["properties"]
        if "stackOwner" in props:
            raise StandInError(400, "InvalidRequestContent", STACK_OWNER_ERROR)
        missing = [k for k in REQUIRED_CREATE if k not in props and (create or k != "displayName")]
        if missing:
            raise StandInError(400, "InvalidRequestContent", f"missing properties: {', '.join(missing)}")
        if (props.get("environment") or {}).get("name") != environment:
            raise StandInError(400, "InvalidRequestContent", "properties.environment.name differs from $filter")
        problems = self._swagger_problems(props["openApiDefinition"])
        if problems:
            raise StandInError(400, "InvalidApiDefinition", "; ".join(problems))
        for name, param in (props.get("connectionParameters") or {}).items():
            oauth = param.get("oAuthSettings") if isinstance(param, dict) else None
            if create and param.get("type") == "oauthSetting" and isinstance(oauth, dict) \
                    and not oauth.get("clientSecret"):
                raise StandInError(400, "InvalidRequestContent",
                                   f"connection parameter '{name}': oAuthSettings.clientSecret is required")
        return props

    def _store_files(self, connector: DeployedConnector, props: dict[str, Any]) -> None:
        connector.files["apiDefinition.swagger.json"] = (
            json.dumps(props["openApiDefinition"], indent=2, ensure_ascii=False).encode("utf-8"), "application/json")
        icon = self._uploaded(props.get("iconUri"), "iconUri")
        if icon is not None:
            connector.files["icon.png"] = icon
        script = self._uploaded(props.get("scriptDefinitionUrl"), "scriptDefinitionUrl")
        if script is not None:
            connector.files["script.csx"] = script
        elif "scriptDefinitionUrl" in props:
            connector.files.pop("script.csx", None)

    def _create(self, environment: str, payload: Any) -> tuple[int, str, bytes]:
        props = self._check_payload(environment, payload, create=True)
        connector_id = f"shared_{_slug(props['displayName'])}-{uuid.uuid4().hex}"
        connector = DeployedConnector(connector_id, environment, copy.deepcopy(props), created=copy.deepcopy(payload))
        self._store_files(connector, props)
        with self._lock:
            self.connectors[connector_id] = connector
        return _json(201, self._registration(connector))

    def _update(self, connector: DeployedConnector, payload: Any) -> tuple[int, str, bytes]:
        props = self._check_payload(connector.environment, payload, create=False)
        merged = copy.deepcopy(connector.properties)
        new = copy.deepcopy(props)
        # An update without a client secret keeps the one stored (paconn only sends one when given --secret).
        for name, param in (new.get("connectionParameters") or {}).items():
            oauth = param.get("oAuthSettings") if isinstance(param, dict) else None
            old = (((merged.get("connectionParameters") or {}).get(name) or {}).get("oAuthSettings") or {})
            if isinstance(oauth, dict) and not oauth.get("clientSecret") and old.get("clientSecret"):
                oauth["clientSecret"] = old["clientSecret"]
        merged.update(new)
        self._store_files(connector, props)
        with self._lock:
            connector.properties = merged
            connector.updates.append(copy.deepcopy(payload))
        return _json(200, self._registration(connector))

    def _registration(self, connector: DeployedConnector) -> dict[str, Any]:
        """The API registration a GET answers: stored properties without secrets, the definition replaced
        by the URLs of the stored files (as the service does), and the fields paconn's prompts read."""
        props = _strip_secrets(connector.properties)
        props.pop("openApiDefinition", None)
        props.pop("iconUri", None)
        props.pop("scriptDefinitionUrl", None)
        base = f"{self.url}{FILES}{quote(connector.id)}/"
        props["apiDefinitions"] = {"originalSwaggerUrl": base + "apiDefinition.swagger.json",
                                   "modifiedSwaggerUrl": base + "apiDefinition.swagger.json"}
        if "icon.png" in connector.files:
            props["iconUri"] = base + "icon.png"
        if "script.csx" in connector.files:
            props["scriptDefinitionUrl"] = base + "script.csx"
        props["isCustomApi"] = True
        props["createdBy"] = {"displayName": "Stand-in user"}
        return {"name": connector.id, "id": f"{POWERAPPS}apis/{connector.id}",
                "type": "Microsoft.PowerApps/apis", "properties": props}

    def _file(self, path: str) -> tuple[int, str, bytes]:
        connector_id, _, name = path[len(FILES):].partition("/")
        with self._lock:
            connector = self.connectors.get(unquote(connector_id))
            found = connector.files.get(unquote(name)) if connector else None
        if found is None:
            raise StandInError(404, "NotFound", f"no file {path}")
        data, content_type = found
        return 200, content_type, data


def _jwt(claims: dict[str, Any]) -> str:
    """An unsigned JWT (alg none): the shape of Microsoft Entra ID's tokens, readable like them."""
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'typ': 'JWT', 'alg': 'none'})}.{part(claims)}.standin"


def _blob_summary(data: bytes) -> dict[str, Any]:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json; charset=utf-8", json.dumps(data).encode("utf-8")


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StandInError(400, "InvalidJson", f"the request body is not JSON: {exc}") from None


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, standin: StandIn, tls: bool):
        self.standin = standin
        self.tls = tls
        super().__init__(address, handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # requests are logged by StandIn._record
        pass

    def _serve(self) -> None:
        standin = self.server.standin
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        kept = {k: v for k, v in headers.items() if k in ("x-ms-origin", "content-type", "x-ms-blob-type",
                                                         "x-ms-blob-content-type", "x-ms-version")}
        try:
            status, content_type, payload = standin.handle(self.command, parts.path, query, headers, body,
                                                           self.server.tls)
        except StandInError as exc:
            status, content_type, payload = _json(exc.status, {"error": {"code": exc.code, "message": exc.message}})
        parsed: Any = body
        if AUTHORITY.match(parts.path) and body:  # a sign-in form: kept with its codes and tokens redacted
            parsed = {k: (REDACTED if k in ("refresh_token", "code", "client_secret", "assertion") else v)
                      for k, v in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)}
        elif not self.server.tls and body:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                parsed = body
        standin._record(Call(self.command, parts.path, query, kept, parsed if body else None, status))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if self.server.tls:
            self.send_header("ETag", '"0x' + hashlib.md5(payload or body).hexdigest()[:16].upper() + '"')
            self.send_header("Last-Modified", formatdate(usegmt=True))
            self.send_header("x-ms-request-id", str(uuid.uuid4()))
            self.send_header("x-ms-version", "2018-03-28")
            self.send_header("x-ms-request-server-encrypted", "true")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connector.testing.standin",
        description="Run the local stand-in of the Power Platform endpoints paconn calls, until Ctrl-C.")
    parser.add_argument("--port", type=int, default=0, help="port of the HTTP endpoints (default: any free one)")
    parser.add_argument("--blob-port", type=int, default=0, help="port of the HTTPS blob endpoint")
    parser.add_argument("--environment", default=None, help="name of the one environment it knows")
    parser.add_argument("--dump", type=Path, default=None, help="write everything received (redacted) to this file")
    parser.add_argument("--home", type=Path, required=True,
                        help="a folder to use as HOME for paconn: a stand-in token goes to HOME/.paconn/")
    args = parser.parse_args(argv)
    envs = {args.environment: "Stand-in environment"} if args.environment else None
    with StandIn(envs, dump=args.dump, port=args.port, blob_port=args.blob_port) as standin:
        standin.write_token_file(args.home, expires_in=24 * 3600, refresh_token=True)
        env = {**standin.paconn_environment(args.home), "CONNECTOR_AUTHORITY_URL": standin.authority_url}
        print(f"stand-in at {standin.url} (environment {standin.default_environment})", flush=True)
        print("run paconn or `connector deploy` with:", flush=True)
        print("  env " + " ".join(f"{k}={v}" for k, v in env.items() if k.isupper()), flush=True)
        print(f"  connector deploy FOLDER --environment {standin.default_environment} "
              f"--power-apps-url {standin.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
