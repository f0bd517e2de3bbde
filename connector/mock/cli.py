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
@click.option("--poll-interval", default=15, show_default=True, type=click.IntRange(1),
              help="Retry-After, in seconds, of a polling trigger's answers (how long the platform waits to poll again).")
@click.option("--sync", type=click.Choice(["normal", "full"]), default="normal", show_default=True,
              help="SQLite synchronous mode: 'full' also survives power loss, at a cost in speed.")
@click.option("--log-file", default=None, help="Write the JSON request log here ('-' = standard output; "
                                                 "default: standard error).")
@click.option("--quiet", is_flag=True, help="No request log.")
@click.pass_context
def mock(ctx: click.Context, model: Path | None, folder: Path | None, api_key: str, username: str, password: str, host: str, port: int, db: str, seed: Path | None, reset: bool, client_id: str,
         client_secret: str, redirect_uris: tuple[str, ...], token_ttl: int, rate_limit: int | None,
         rate_window: float | None, callback_hosts: tuple[str, ...], request_checks: str, max_body: int,
         header_timeout: float, callback_attempts: int, callback_backoff: float, poll_interval: int, sync: str, log_file: str | None,
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
                        poll_interval=poll_interval, log_file=log_file, quiet=quiet)
    serve(settings, model, folder)


def load_folder(folder: Path) -> "Connector":
    """The connector a built folder declares, read by the folder reader the command line registered
    (``connector.mock.plugin.register_folder_reader``; the ``connector`` command registers the importer's)."""
    from .plugin import folder_reader

    read = folder_reader()
    if read is None:
        raise UsageError("--folder: no folder reader is registered; run the `connector` command, or pass --model FILE.")
    return read(folder)


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
                            server_header=False, proxy_headers=False)  # no proxy in front: its headers are not trusted
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
@click.argument("trigger", required=False, metavar="[TRIGGER]")
@click.option("--url", default="http://127.0.0.1:8080", show_default=True, help="The running mock's address.")
@click.option("--data", "data", default=None, metavar="JSON",
              help="With TRIGGER: fields of the payload (a JSON object), over the one made from its schema.")
@click.option("--data-file", "data_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With TRIGGER: the same, read from a JSON file.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="With TRIGGER: fire only subscriptions registered with this parameter value, or (polling) the "
                   "collection of this path parameter (repeatable).")
@click.option("--service", default=None, help="(without TRIGGER) The TwoWay service id the message arrives at.")
@click.option("--sender", default=None, help="(without TRIGGER) Who sent it (a phone number).")
@click.option("--content", default=None, help="(without TRIGGER) The message text.")
@click.option("--protocol", default=None, help="(without TRIGGER) SMS (default) or WhatsApp.")
@click.option("--recipient", default=None, help="(without TRIGGER) The number it was sent to (default: the service's "
                                                  "address).")
@click.option("--attachment", "attachments", multiple=True, metavar="NAME,MIMETYPE,URL",
              help="(without TRIGGER) An attachment (repeatable).")
def inbound(trigger: str | None, url: str, data: str | None, data_file: Path | None, params: tuple[str, ...],
            service: str | None, sender: str | None, content: str | None, protocol: str | None,
            recipient: str | None, attachments: tuple[str, ...]) -> None:
    """Fire a trigger of the running mock: `inbound TRIGGER` (an operation id) posts a payload made from its
    notification schema to every webhook registered for it, or adds an item a polling trigger gives at its next
    poll (POST /_mock/inbound/TRIGGER). Without TRIGGER: the connector plug-in's inbound event (the project's own
    connector: a message to every New Message webhook of --service; POST /_mock/inbound)."""
    if trigger is not None:
        if data is not None and data_file is not None:
            raise UsageError("give --data or --data-file, not both.")
        payload = None
        if data_file is not None and not data_file.is_file():
            raise UsageError(f"--data-file {data_file}: there is no such file.")
        text = data if data is not None else (data_file.read_text(encoding="utf-8") if data_file else None)
        if text is not None:
            try:
                payload = json.loads(text)
            except ValueError as exc:
                raise UsageError(f"{'--data' if data is not None else data_file}: not valid JSON ({exc}).") from None
        query = []
        for item in params:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise UsageError(f"--param {item!r}: write NAME=VALUE.")
            query.append((name, value))
        from urllib.parse import quote

        target = url.rstrip("/") + "/_mock/inbound/" + quote(trigger, safe="")
        _post(url, target, payload, query)
        return
    missing = [name for name, value in (("--service", service), ("--sender", sender), ("--content", content))
               if value is None]
    if missing:
        raise UsageError(f"give a TRIGGER (an operation id) to fire, or {', '.join(missing)} for the plug-in's "
                         "inbound message.")
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
    _post(url, url.rstrip("/") + "/_mock/inbound", payload, [])


def _post(url: str, target: str, payload: object, query: list) -> None:
    import httpx

    try:
        if payload is None:
            response = httpx.post(target, params=query, timeout=10, trust_env=False)
        else:
            response = httpx.post(target, params=query, json=payload, timeout=10, trust_env=False)
    except httpx.HTTPError as exc:
        raise ConnectorError(f"cannot reach the mock at {url} ({exc}); start it with 'connector mock' or pass "
                             "--url.") from None
    try:
        answer = response.json()
    except ValueError:
        raise ConnectorError(f"{url} answered {response.status_code} without JSON; is it a connector mock?") from None
    if response.status_code >= 400:
        raise ConnectorError(f"the mock refused the event ({response.status_code}): "
                             f"{answer.get('message', answer) if isinstance(answer, dict) else answer}")
    click.echo(json.dumps(answer, indent=2))
