"""One contract run: the service (a mock this run starts, or a base URL), the built folder, the
platform-like client signed in, every scenario, and schemathesis against the mock."""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlsplit

import httpx

from ..errors import ConnectorError, UsageError
from .client import PlatformClient
from ..generate.profiles import MOCK_AUTHORIZE_PATH, MOCK_TOKEN_PATH
from .folder import ConnectorFolder, ContractFailure
from .fuzz import FuzzAuth, FuzzResult, run_schemathesis
from .mockproc import MockServer
from .oauth import ApiKey, BasicAuth, OAuthSession, StaticToken, TokenSource
from .receiver import CallbackReceiver
from .retry import RetryPolicy
from .derive import Memory, seed_records
from .runner import Outcome, example, run_scenarios, scenario_set
from .script import transport_for
from .transport import DirectTransport

INBOUND_PATH = "/_mock/inbound"
SCENARIO_RATE_LIMIT = 100_000  # the scenarios are not a load test; throttling has its own tests
FUZZ_RATE_LIMIT = 1_000_000


@dataclass
class Options:
    folder: Path | None = None
    model: Path | None = None
    base_url: str | None = None
    token: str | None = None
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    login_hint: str = "demo"
    inbound_url: str | None = None
    fuzz: bool | None = None  # None: only against a mock this run starts
    max_examples: int = 10
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    notification_timeout: float = 5.0
    quiet_period: float = 1.0


@dataclass
class Report:
    outcomes: list[Outcome]
    fuzz: FuzzResult | None
    seconds: float
    lines: list[str]

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes) and (self.fuzz is None or self.fuzz.ok)


def build_mock_folder(out: Path, mock_url: str | None, model: str | Path | None = None) -> Path:
    """``connector build --profile mock --mock-url URL --out OUT`` (the command, as a user runs it); without
    a mock URL, the production profile."""
    cmd = [sys.executable, "-c", "from connector.cli import main; main()", "build", "--out", str(out), "--force"]
    if mock_url:
        cmd += ["--profile", "mock", "--mock-url", mock_url]
    if model:
        cmd += ["--model", str(model)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise ConnectorError(f"building the mock profile failed: {(proc.stdout + proc.stderr).strip()[-1500:]}")
    return out


def rebase(url: str, origin: str) -> str:
    parts, new = urlsplit(url), urlsplit(origin)
    return parts._replace(scheme=new.scheme, netloc=new.netloc).geturl()


def run_contract(options: Options, echo: Callable[[str], None] = print) -> Report:
    start = time.perf_counter()
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        echo(line)

    if options.folder is not None and options.model is not None:
        raise UsageError("give FOLDER or --model, not both: --model builds the connector's folder itself.")
    if options.folder is not None and options.base_url is None:
        _ensure_built_for_a_mock(ConnectorFolder.load(options.folder))
    if options.base_url is not None:
        _ensure_reachable(options.base_url)
    with contextlib.ExitStack() as stack:
        mock: MockServer | None = None
        memory: Memory | None = None
        if options.model is not None:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="connector-contract-model-")))
            credentials = mock_credentials(options)
            if options.base_url is None:
                mock = MockServer(rate_limit=SCENARIO_RATE_LIMIT, client_id=options.client_id or "contract-client",
                                  client_secret=options.client_secret or "contract-secret",
                                  extra=model_mock_args(options.model, credentials))
                options = replace(options, **credentials)
            folder = ConnectorFolder.load(build_mock_folder(tmp / "connector", mock.url if mock else None,
                                                            options.model))
            say(f"build {folder.path} (connector build --model {options.model}"
                + (f" --profile mock --mock-url {mock.url})" if mock else ")"))
            if mock is not None:
                records, memory = seed_records(folder, example)
                mock.args += ["--seed", str(write_fixture(tmp / "fixture.json", records, options.login_hint))]
                stack.enter_context(mock)
                say(f"mock  {mock.url} (connector mock --model {options.model}, database {mock.db})")
        else:
            if options.base_url is None:
                mock = stack.enter_context(MockServer(rate_limit=SCENARIO_RATE_LIMIT,
                                                      client_id=options.client_id or "contract-client",
                                                      client_secret=options.client_secret or "contract-secret"))
                say(f"mock  {mock.url} (connector mock, database {mock.db})")
            if options.folder is not None:
                folder = ConnectorFolder.load(options.folder)
                if mock is not None:
                    _ensure_served_by(folder, mock)
            else:
                if mock is None:
                    raise UsageError("with --base-url, give the built connector FOLDER (e.g. build/<title>) or "
                                     "--model FILE.")
                tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="connector-contract-build-")))
                folder = ConnectorFolder.load(build_mock_folder(tmp / "connector", mock.url))
                say(f"build {folder.path} (connector build --profile mock --mock-url {mock.url})")
        base_url = options.base_url
        if base_url is None and mock is not None and urlsplit(folder.base_url).netloc != f"{mock.host}:{mock.port}":
            base_url = rebase(folder.base_url, mock.url)  # a folder built for another address
        receiver = stack.enter_context(CallbackReceiver())
        try:
            auth = make_auth(folder, options, mock, receiver)
        except ContractFailure as exc:
            raise UsageError(f"cannot sign in as the connector declares: {exc}") from None
        try:
            transport = transport_for(folder, DirectTransport())
        except ContractFailure as exc:  # a script.csx that does not compile: the folder's, reported as such
            raise ConnectorError(str(exc)) from None
        client = PlatformClient(folder, transport, auth=auth, retry=options.retry, base_url=base_url,
                                receiver=receiver)
        stack.callback(client.close)
        inbound = options.inbound_url or (mock.url + INBOUND_PATH if mock else None)
        inject = make_injector(inbound) if inbound else None

        fire = make_firer(mock.url) if mock is not None and options.model is not None else None
        scenarios, problems = scenario_set(folder, memory, fire).for_folder(folder)
        try:
            if auth is not None:
                auth.token()  # sign in once up front: a broken OAuth setting is one clear failure
        except ContractFailure as exc:
            say(f"FAIL  sign-in: {exc}")
            return Report([Outcome("sign-in", "FAIL", str(exc), 0.0, 0)], None, time.perf_counter() - start, lines)
        width = max([len(s.name) for s in scenarios] + [len("schemathesis")])
        outcomes = run_scenarios(client, scenarios, inject, echo=say,
                                 notification_timeout=options.notification_timeout,
                                 quiet_period=options.quiet_period, width=width)
        for problem in problems:
            outcomes.append(Outcome("scenarios", "FAIL", problem, 0.0, 0))
            say(outcomes[-1].line(width))

        fuzz = None
        if options.fuzz or (options.fuzz is None and mock is not None):
            # schemathesis sends any string the swagger allows; the mock's strict checks beyond the swagger
            # (callback URLs, recipients' phone numbers) would fail its positive_data_acceptance
            extra = ["--request-checks", "schema"]
            if options.model is not None:
                extra += model_mock_args(options.model, mock_credentials(options))
            target = stack.enter_context(MockServer(rate_limit=FUZZ_RATE_LIMIT, client_id=mock.client_id,
                                                    client_secret=mock.client_secret, extra=extra)) if mock else None
            fuzz = fuzz_folder(folder, options, target, receiver)
            say(Outcome("schemathesis", "PASS" if fuzz.ok else "FAIL", fuzz.detail(), fuzz.seconds, 0).line(width))
            if not fuzz.ok:
                say(fuzz.problems())
        seconds = time.perf_counter() - start
        passed = sum(o.status == "PASS" for o in outcomes)
        failed = sum(o.status == "FAIL" for o in outcomes)
        skipped = sum(o.status == "SKIP" for o in outcomes)
        total = (f"{len(outcomes)} scenarios: {passed} passed, {failed} failed"
                 + (f", {skipped} skipped" if skipped else "")
                 + (f"; schemathesis {'passed' if fuzz.ok else 'failed'}" if fuzz else "")
                 + f" ({seconds:.1f}s)")
        say(total)
        return Report(outcomes, fuzz, seconds, lines)


def mock_credentials(options: Options) -> dict[str, str]:
    """The API key and user the mock a --model run starts accepts: the ones given, else fresh ones."""
    return {"api_key": options.api_key or secrets.token_urlsafe(18),
            "username": options.username or "contract",
            "password": options.password if options.password is not None else secrets.token_urlsafe(12)}


def model_mock_args(model: Path, credentials: dict[str, str]) -> list[str]:
    return ["--model", str(model), "--api-key", credentials["api_key"], "--username", credentials["username"],
            "--password", credentials["password"]]


def write_fixture(path: Path, records: dict[str, list[dict]], user: str) -> Path:
    """The fixture (``connector mock --seed``) of the generic mock a --model run starts: the user the run
    signs in as (OAuth, ``--login-hint``) and the seeded records."""
    import json

    data = {"users": [{"id": user, "name": "Contract run", "password": secrets.token_urlsafe(12)}],
            "records": records}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _ensure_built_for_a_mock(folder: ConnectorFolder) -> None:
    """A folder run against the mock this command starts must come from the mock build profile (its host a
    loopback address, its sign-in at the mock's OAuth paths), whatever its authentication. Say so before
    starting anything, rather than failing at sign-in or calling the real service."""
    try:
        host = urlsplit(folder.base_url).hostname or ""
        settings = folder.oauth()
    except ContractFailure as exc:
        raise UsageError(str(exc)) from None
    local = _is_loopback(host)
    if local and (settings is None or urlsplit(settings.authorization_url).path == MOCK_AUTHORIZE_PATH):
        return
    where = f" (its sign-in is {settings.authorization_url})" if settings is not None and local else ""
    raise UsageError(
        f"{folder.path} is built for {folder.base_url}{where}, not for a local mock. Leave FOLDER out and the "
        "command builds the mock profile itself, or build one with `connector build --profile mock --mock-url "
        "http://127.0.0.1:PORT --out DIR`, or pass --base-url (and --token, --api-key or --username/--password) "
        "to run against the service the folder was built for.")


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


CONNECT_TIMEOUT = 5.0


def _ensure_reachable(base_url: str) -> None:
    """A base URL nobody answers at is reported at once (the platform's retries would take 90 s per
    scenario): one TCP connection, ``CONNECT_TIMEOUT`` seconds at most."""
    import socket

    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url {base_url!r}: give an absolute http(s) URL (scheme, host and basePath).")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UsageError(f"--base-url {base_url!r}: the port is not a number from 1 to 65535.") from None
    try:
        with socket.create_connection((parts.hostname, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, socket.timeout):
            reason = f"no answer within {CONNECT_TIMEOUT:.0f} s"
        raise ConnectorError(f"cannot connect to {parts.hostname}:{port} (--base-url {base_url}): {reason}. "
                             "Is the service running and the URL right?") from None


def _ensure_served_by(folder: ConnectorFolder, mock: MockServer) -> None:
    """The folder's operations must be the ones the started mock serves (method and path): another
    connector's folder is refused, not run against this mock's routes."""
    try:
        served = httpx.get(mock.url + "/_mock/swagger.json", timeout=10.0, trust_env=False).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectorError(f"the mock at {mock.url} did not give its swagger ({exc}).") from None
    routes = {(m.upper(), p) for p, item in (served.get("paths") or {}).items() if isinstance(item, dict)
              for m in item if m.lower() in ("get", "put", "post", "delete", "patch", "head", "options")}
    missing = [f"{op.method} {op.path} ({op.id})" for op in folder.operations.values()
               if (op.method.upper(), op.path) not in routes]
    if missing or (served.get("basePath") or "") != (folder.swagger.get("basePath") or ""):
        title = (served.get("info") or {}).get("title")
        listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise UsageError(
            f"{folder.path} is the connector {folder.title!r}, but the mock this command starts serves "
            f"{title!r}" + (f", which has no {listed}" if missing else ", under another basePath")
            + ". Run it against its own service with --base-url, or leave FOLDER out.")


def make_auth(folder: ConnectorFolder, options: Options, mock: MockServer | None,
              receiver: CallbackReceiver) -> TokenSource | None:
    if options.token:
        return StaticToken(options.token)
    kind, definition = folder.security_kind()
    if kind == "apiKey" or (options.api_key and kind == "none"):
        if not options.api_key:
            raise UsageError(f"the connector authenticates with an API key ({definition.get('in', 'header')} "
                             f"{definition.get('name')!r}): pass --api-key or set CONNECTOR_API_KEY.")
        return ApiKey(options.api_key, str(definition.get("name") or "X-API-Key"),
                      str(definition.get("in") or "header"))
    if kind == "basic":
        if not options.username or options.password is None:
            raise UsageError("the connector authenticates with a user name and password: pass --username and "
                             "--password, or set CONNECTOR_USERNAME and CONNECTOR_PASSWORD.")
        return BasicAuth(options.username, options.password)
    settings = folder.oauth()
    if settings is None:
        return None
    if mock is not None and options.model is not None:
        # the mock this run started signs in at its own authorization server, whatever the identity
        # provider's URLs (aad's login.microsoftonline.com, an oauth2generic template) would be
        settings = replace(settings, authorization_url=mock.url + MOCK_AUTHORIZE_PATH,
                           token_url=mock.url + MOCK_TOKEN_PATH, refresh_url=mock.url + MOCK_TOKEN_PATH)
    elif mock is not None and urlsplit(settings.token_url).netloc != f"{mock.host}:{mock.port}":
        settings = replace(settings, authorization_url=rebase(settings.authorization_url, mock.url),
                           token_url=rebase(settings.token_url, mock.url),
                           refresh_url=rebase(settings.refresh_url, mock.url))
    client_id = options.client_id or (mock.client_id if mock else None) or settings.client_id
    secret = options.client_secret or (mock.client_secret if mock else None)
    if not client_id:
        raise UsageError("the connector signs in with OAuth: pass --client-id/--client-secret, or --token.")
    return OAuthSession(settings, client_id, secret, redirect_uri=receiver.base_url + "/oauth/redirect",
                        authorize_extra={"prompt": "none", "login_hint": options.login_hint})


def make_injector(url: str) -> Callable[[dict[str, Any]], Any]:
    def inject(payload: dict[str, Any]) -> Any:
        try:
            r = httpx.post(url, json=payload, timeout=10.0, trust_env=False)
        except httpx.HTTPError as exc:
            raise ContractFailure(f"POST {url}", f"cannot inject an inbound message: {exc}") from None
        if r.status_code >= 300:
            raise ContractFailure(f"POST {url}", f"refused the inbound message ({r.status_code}): {r.text[:300]}")
        try:
            return r.json()
        except ValueError:
            return None
    return inject


def make_firer(mock_url: str) -> Callable[[str, dict[str, Any]], Any]:
    """Fire a trigger of the generic mock: ``POST /_mock/inbound/{operationId}`` (the path values as the
    query string; the mock makes the payload from the notification schema)."""
    def fire(op_id: str, values: dict[str, Any]) -> Any:
        url = f"{mock_url}{INBOUND_PATH}/{quote(op_id, safe='')}"
        try:
            r = httpx.post(url, params={k: str(v) for k, v in values.items() if v is not None}, timeout=10.0,
                           trust_env=False)
        except httpx.HTTPError as exc:
            raise ContractFailure(f"POST {url}", f"cannot fire the trigger: {exc}") from None
        if r.status_code >= 300:
            raise ContractFailure(op_id, f"the mock refused to fire it ({r.status_code}): {r.text[:300]}")
        return r.json()
    return fire


def fuzz_folder(folder: ConnectorFolder, options: Options, target: MockServer | None,
                receiver: CallbackReceiver) -> FuzzResult:
    """schemathesis with the folder's swagger against ``target`` (a fresh mock with a high rate limit, so
    throttling does not drown the checks), authenticated as the connector declares: signed in through the
    same OAuth flow, or with the API key or user name and password."""
    base = (options.base_url or folder.base_url) if target is None else rebase(folder.base_url, target.url)
    return run_schemathesis(folder.path / "apiDefinition.swagger.json", base, None,
                            auth=fuzz_auth(folder, options, target, receiver), max_examples=options.max_examples)


def fuzz_auth(folder: ConnectorFolder, options: Options, target: MockServer | None,
              receiver: CallbackReceiver) -> FuzzAuth | None:
    if options.token:
        return FuzzAuth("bearer", options.token)
    kind, definition = folder.security_kind()
    scheme = next((name for name, d in (folder.swagger.get("securityDefinitions") or {}).items()
                   if isinstance(d, dict) and d.get("type") == kind), None)
    if kind == "apiKey" and options.api_key:
        return FuzzAuth("apiKey", options.api_key, scheme, name=str(definition.get("name") or "X-API-Key"),
                        in_query=definition.get("in") == "query")
    if kind == "basic" and options.username:
        return FuzzAuth("basic", options.password or "", scheme, options.username)
    if kind == "oauth2" or folder.oauth() is not None:
        opts = replace(options, token=None, client_id=target.client_id, client_secret=target.client_secret) \
            if target is not None else options
        source = make_auth(folder, opts, target, receiver)
        return FuzzAuth("bearer", source.token(), scheme if kind == "oauth2" else None) if source is not None \
            else None
    return None
