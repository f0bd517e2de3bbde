"""``connector mock``: run a connector's stateful mock; ``connector mock inbound``: inject an inbound message."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ConnectorError, UsageError
if TYPE_CHECKING:
    from ..model import Connector
from .config import (API_KEY_ENV, CLIENT_SECRET_ENV, DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                     DEFAULT_DB, Settings)


# ``connector mock [OPTIONS]`` serves; ``connector mock inbound ...`` is its one sub-command.
@click.group(invoke_without_command=True)
@click.option("--model", "model", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A Python file declaring the connector to serve (default: the project's own). A connector with "
                   "no plug-in of its own is served generically: collections inferred from its paths and methods, "
                   "kept in SQLite, answers made from its response schemas.")
@click.option("--folder", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A built or downloaded connector folder (apiDefinition.swagger.json, apiProperties.json) to serve "
                   "instead of a model file; read as `connector import` reads it.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--db", default=DEFAULT_DB, show_default=True,
              help="SQLite file holding the state (':memory:' for none). Kept across restarts.")
@click.option("--seed", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fixture (YAML or JSON) to seed a new database with, instead of the built-in demo data.")
@click.option("--reset", is_flag=True, help="Empty the database and seed it again.")
@click.option("--client-id", default=DEFAULT_CLIENT_ID, show_default=True, help="The OAuth client id.")
@click.option("--client-secret", envvar=CLIENT_SECRET_ENV, default=DEFAULT_CLIENT_SECRET, show_default=True,
              show_envvar=True, help=f"The OAuth client secret. Prefer the environment variable {CLIENT_SECRET_ENV}: "
                                     "a command-line option is visible to every user in the process list.")
@click.option("--api-key", envvar=API_KEY_ENV, default=DEFAULT_API_KEY, show_default=True, show_envvar=True,
              help="The API key the mock accepts, for a connector declaring one (in its header or query parameter).")
@click.option("--username", default="demo", show_default=True,
              help="The user name the mock accepts, for a connector declaring basic authentication.")
@click.option("--password", default="demo", show_default=True,
              help="The password the mock accepts, for a connector declaring basic authentication.")
@click.option("--redirect-uri", "redirect_uris", multiple=True,
              help="A redirect URI clients may use (repeatable). Default: the platform's consent redirect and "
                   "any loopback URL.")
@click.option("--token-ttl", default=3600, show_default=True, type=click.IntRange(1),
              help="Access token lifetime in seconds.")
@click.option("--rate-limit", type=click.IntRange(0), default=None,
              help="Calls per connection (token) per window; 0 turns throttling off. Default: the model's "
                   "throttling (100).")
@click.option("--rate-window", type=click.FloatRange(0.001), default=None,
              help="Throttling window in seconds. Default: the model's (60).")
@click.option("--allow-callback-host", "callback_hosts", multiple=True,
              help="A host name the mock may call back (webhooks, DLR) besides loopback (repeatable; '*' = any).")
@click.option("--request-checks", type=click.Choice(["strict", "schema"]), default="strict", show_default=True,
              help="'strict': besides the swagger, a callback URL (webhook endpointUrl, DlrUrl) the mock may not call "
                   "and a recipient that is not a phone number get 400 when sent. 'schema': only what the swagger "
                   "declares is refused (what a fuzzer sending any schema-valid string expects); a bad callback URL "
                   "then fails when it is due, recorded in the outbox.")
@click.option("--max-body", default=1024 * 1024, show_default=True, type=click.IntRange(1),
              help="Largest request body accepted, in bytes (larger: 413), checked while the body is read.")
@click.option("--header-timeout", default=5.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds a client has to send the request line and headers; then 408 and the connection closes.")
@click.option("--callback-attempts", default=5, show_default=True, type=click.IntRange(1),
              help="Attempts per webhook or DLR callback before it is given up.")
@click.option("--callback-backoff", default=1.0, show_default=True, type=click.FloatRange(0),
              help="Seconds before the first callback retry; doubled for each further one.")
@click.option("--sync", type=click.Choice(["normal", "full"]), default="normal", show_default=True,
              help="SQLite synchronous mode: 'full' also survives power loss, at a cost in speed.")
@click.option("--log-file", default=None, help="Write the JSON request log here ('-' = standard output; "
                                                 "default: standard error).")
@click.option("--quiet", is_flag=True, help="No request log.")
@click.pass_context
def mock(ctx: click.Context, model: Path | None, folder: Path | None, api_key: str, username: str, password: str, host: str, port: int, db: str, seed: Path | None, reset: bool, client_id: str,
         client_secret: str, redirect_uris: tuple[str, ...], token_ttl: int, rate_limit: int | None,
         rate_window: float | None, callback_hosts: tuple[str, ...], request_checks: str, max_body: int,
         header_timeout: float, callback_attempts: int, callback_backoff: float, sync: str, log_file: str | None,
         quiet: bool) -> None:
    """Run a stateful mock of the connector (by default the project's own): the API under its basePath,
    OAuth 2.0 at /oauth2/v2.0/*, webhooks, throttling and state in SQLite. Stop it with Ctrl+C (nothing acknowledged is lost)."""
    if ctx.invoked_subcommand is not None:
        return
    if model is not None and folder is not None:
        raise UsageError("give --model FILE or --folder FOLDER, not both.")
    for uri in redirect_uris:
        if not uri.startswith(("http://", "https://")):
            raise UsageError(f"--redirect-uri {uri!r}: give an absolute http(s) URL.")
    settings = Settings(host=host, port=port, db=db, seed=seed, reset=reset, sync=sync, client_id=client_id,
                        client_secret=client_secret, api_key=api_key, username=username, password=password,
                        redirect_uris=tuple(redirect_uris), token_ttl=token_ttl,
                        rate_limit=rate_limit, rate_window=rate_window,
                        allow_callback_hosts=tuple(h.lower() for h in callback_hosts), request_checks=request_checks,
                        max_body=max_body, header_timeout=header_timeout,
                        callback_attempts=callback_attempts, callback_backoff=callback_backoff,
                        log_file=log_file, quiet=quiet)
    serve(settings, model, folder)


def load_folder(folder: Path) -> "Connector":
    """The connector a built folder declares, read as ``connector import`` reads it (no module is written)."""
    from ..importer import MAX_DEPTH
    from ..importer.properties import read_properties
    from ..importer.swagger import Unsupported, read_swagger
    from ..jsonio import load_json_text, read_input
    from ..swaggerdoc import too_deep

    if not folder.is_dir():
        raise UsageError(f"--folder {folder}: there is no such folder; build one with `connector build`.")
    docs = {}
    for name, required in (("apiDefinition.swagger.json", True), ("apiProperties.json", False)):
        path = folder / name
        if not path.exists():
            if required:
                raise UsageError(f"--folder {folder}: it has no {name}; pass a folder built by `connector build` "
                                 "(or --model FILE).")
            continue
        doc = load_json_text(read_input(path), lenient=True)
        if doc.problem is not None:
            raise UsageError(f"{path}:{doc.problem.line}:{doc.problem.column}: not valid JSON ({doc.problem.message}).")
        if too_deep(doc.data, MAX_DEPTH) is not None:
            raise ConnectorError(f"{path}: nested more than {MAX_DEPTH} levels deep; the mock reads up to that.")
        docs[name] = doc.data
    try:
        connector, _ = read_swagger(docs["apiDefinition.swagger.json"])
        if "apiProperties.json" in docs:
            connector, _ = read_properties(connector, docs["apiProperties.json"])
    except Unsupported as exc:
        name = "apiProperties.json" if exc.document == "properties" else "apiDefinition.swagger.json"
        raise ConnectorError(f"{folder / name}: {exc}") from None
    return connector


def serve(settings: Settings, model: Path | None = None, folder: Path | None = None) -> None:
    import uvicorn

    from .app import MockApp
    from .protocol import protocol_class

    stream = None
    if not settings.quiet:
        if settings.log_file in (None, ""):
            stream = sys.stderr
        elif settings.log_file == "-":
            stream = sys.stdout
        else:
            Path(settings.log_file).parent.mkdir(parents=True, exist_ok=True)
            stream = open(settings.log_file, "a", encoding="utf-8")
    from ..model import load_model

    connector = load_folder(folder) if folder is not None else load_model(model)
    _check_port(settings)
    app = MockApp(settings, connector, log_stream=stream)
    url = settings.public_url
    auth = {"oauth2": f"OAuth at {url}/oauth2/v2.0/authorize, client id {settings.client_id!r}",
            "apiKey": f"API key in {getattr(connector.security, 'location', '')} "
                      f"{getattr(connector.security, 'name', '')!r}",
            "basic": f"basic authentication as {settings.username!r}", "none": "no authentication"}[app.auth_kind]
    click.echo(f"connector mock: {app.connector.title} at {url}{app.table.base_path} ({auth}; behaviours: "
               f"{app.plugin.name}); state in {settings.db}", err=True)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, loop="uvloop",
                            http=protocol_class(settings.header_timeout),
                            lifespan="on", access_log=False, log_level="warning", timeout_graceful_shutdown=10,
                            server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run()
    except (OSError, SystemExit) as exc:  # uvicorn exits with 3 when it cannot bind
        raise ConnectorError(f"cannot listen on {settings.host}:{settings.port} ({exc}); pick another "
                             "--port.") from None
    if not server.started:
        raise ConnectorError(f"the server did not start on {settings.host}:{settings.port}; is the port free?")


def _check_port(settings: Settings) -> None:
    import socket

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
        except OSError as exc:
            raise ConnectorError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}; "
                                 "pick another --port.") from None


@mock.command()
@click.option("--url", default="http://127.0.0.1:8080", show_default=True, help="The running mock's address.")
@click.option("--service", required=True, help="The TwoWay service id the message arrives at.")
@click.option("--sender", required=True, help="Who sent it (a phone number).")
@click.option("--content", required=True, help="The message text.")
@click.option("--protocol", default=None, help="SMS (default) or WhatsApp.")
@click.option("--recipient", default=None, help="The number it was sent to (default: the service's address).")
@click.option("--attachment", "attachments", multiple=True, metavar="NAME,MIMETYPE,URL",
              help="An attachment (repeatable).")
def inbound(url: str, service: str, sender: str, content: str, protocol: str | None, recipient: str | None,
            attachments: tuple[str, ...]) -> None:
    """Deliver an inbound message to every New Message webhook of a service (POST /_mock/inbound)."""
    import httpx

    payload: dict = {"service": service, "sender": sender, "content": content}
    if protocol:
        payload["protocol"] = protocol
    if recipient:
        payload["recipient"] = recipient
    if attachments:
        items = []
        for text in attachments:
            parts = text.split(",", 2)
            if len(parts) != 3:
                raise UsageError(f"--attachment {text!r}: write NAME,MIMETYPE,URL.")
            items.append({"name": parts[0], "mimeType": parts[1], "resourceLocation": parts[2]})
        payload["attachments"] = items
    try:
        response = httpx.post(url.rstrip("/") + "/_mock/inbound", json=payload, timeout=10, trust_env=False)
    except httpx.HTTPError as exc:
        raise ConnectorError(f"cannot reach the mock at {url} ({exc}); start it with 'connector mock' or pass "
                             "--url.") from None
    try:
        answer = response.json()
    except ValueError:
        raise ConnectorError(f"{url} answered {response.status_code} without JSON; is it a connector mock?") from None
    if response.status_code >= 400:
        raise ConnectorError(f"the mock refused the message ({response.status_code}): "
                             f"{answer.get('message', answer)}")
    click.echo(json.dumps(answer, indent=2))
