"""``connector deploy`` as a function: check the built folder, check paconn's sign-in (refreshing its access
token first when it expires within 15 minutes, see :mod:`.auth`), the environment and the connector id, then
run the real paconn create or update on a temporary copy of the folder, and record the connector id beside the
folder.

Exit codes (the CLI's): 0 deployed; 1 the folder failed its checks, or the service or paconn failed;
2 usage (options, CONNECTOR_CLIENT_SECRET or the client id missing); 3 paconn is not signed in, or its token
expired and cannot be refreshed (refresh token revoked or expired), or was rejected; 4 the environment or the
connector id to update does not exist.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import ConnectorError, UsageError
from ..platform import is_placeholder
from .folder import SETTINGS, FolderError, load_folder, oauth_settings, validate_folder, working_copy
from .auth import ensure_fresh, github_actions_outputs, save_token_output
from .record import DeployRecord
from .runner import PaconnResult, ensure_paconn, run_paconn, shown_command, summarize
from .service import (DEFAULT_FLOW_URL, DEFAULT_POWER_APPS_URL, LOGIN_HELP, LoginError, NotFoundError,
                      PowerPlatform, read_token)

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
URL = re.compile(r"^https?://[^/\s?#]+/?$")
SECRET_HELP = "set the environment variable CONNECTOR_CLIENT_SECRET (in CI, from the secret store)"
Echo = Callable[[str], None]


@dataclass
class DeployOptions:
    folder: Path
    environment: str
    connector_id: str | None = None
    mode: str = "auto"  # auto: update when the record (or --connector-id) names a connector, else create
    power_apps_url: str | None = None
    flow_url: str | None = None
    client_id: str | None = None
    validate: bool = True
    authority_url: str | None = None  # where the refresh-token grant goes (default: where the token came from)
    token_output: Path | None = None  # write the (rotated) token file here too, for CI to store back


@dataclass
class DeployResult:
    action: str  # "created" or "updated"
    connector_id: str
    environment: str
    power_apps_url: str
    paconn: PaconnResult
    record: Path | None = None
    notes: list[str] = field(default_factory=list)


def _check_options(o: DeployOptions) -> None:
    if o.mode not in ("auto", "create", "update"):
        raise UsageError(f"unknown mode {o.mode!r}")
    if not o.environment or not NAME.match(o.environment):
        raise UsageError(f"--environment {o.environment!r} is not an environment name (a GUID such as "
                         f"00000000-0000-0000-0000-000000000000, or Default-<GUID>)")
    if o.connector_id is not None and not NAME.match(o.connector_id):
        raise UsageError(f"--connector-id {o.connector_id!r} is not a connector id (such as shared_name-<hex>)")
    if o.mode == "create" and o.connector_id:
        raise UsageError("--create makes a new connector; it takes no --connector-id (use --update ID, or drop "
                         "--create)")
    for flag, url in (("--power-apps-url", o.power_apps_url), ("--flow-url", o.flow_url)):
        if url is not None and not URL.match(url):
            raise UsageError(f"{flag} {url!r} must be a base URL such as https://api.powerapps.com")


def _prepare_properties(properties: dict[str, Any], client_id: str | None, file: str,
                        echo: Echo) -> tuple[dict[str, Any], list[str]]:
    """The apiProperties paconn gets: client id filled in, stackOwner left out (the service's API properties
    model rejects it: "Could not find member 'stackOwner'"; it matters for certification only)."""
    props = copy.deepcopy(properties)
    notes = []
    missing = []
    found_settings = oauth_settings(props)
    if client_id is not None and found_settings and is_placeholder(client_id):
        raise UsageError(f"--client-id {client_id!r} is itself a placeholder; pass the application (client) id of "
                         f"your OAuth app registration (CONNECTOR_CLIENT_ID)")
    for found in found_settings:
        current = found.settings.get("clientId")
        if client_id:
            found.settings["clientId"] = client_id
        elif is_placeholder(current):
            missing.append(f"{file}: {found.pointer}/clientId is {current!r}")
    if missing:
        raise UsageError("the OAuth client id is a placeholder, filled in at deploy time:\n"
                         + "\n".join(f"  - {m}" for m in missing)
                         + "\nPass --client-id ID or set CONNECTOR_CLIENT_ID (the id of your OAuth app registration).")
    inner = props.get("properties")
    if isinstance(inner, dict) and "stackOwner" in inner:
        del inner["stackOwner"]
        notes.append(f"left stackOwner out of the {file} sent to paconn (the service answers \"Could not find "
                     f"member 'stackOwner'\" to paconn; it is for the certification submission only)")
    for note in notes:
        echo(f"deploy: {note}")
    return props, notes


def _message_of(output: str) -> str:
    """The service's error message in paconn's output (paconn prints the JSON error body it got)."""
    match = re.search(r'"message":\s*"((?:[^"\\]|\\.)*)"', output)
    if match:
        try:
            return json.loads(f'"{match.group(1)}"')
        except json.JSONDecodeError:
            return match.group(1)
    return ""


def explain_failure(result: PaconnResult, *, action: str, environment: str, connector_id: str | None,
                    power_apps_url: str) -> ConnectorError:
    """A paconn failure as an error that names the fix. paconn prints the service's JSON error body and then
    `ERROR: <status> Client Error: <reason> for url: <url>` (knack's CLIError), or a traceback for
    unexpected exceptions."""
    out = result.output
    message = _message_of(out)
    lines = summarize(out)
    last = lines[-1] if lines else f"exit {result.returncode}"
    if "Access token invalid" in out or "Failed to load token files" in out:
        return LoginError(f"paconn says it is not signed in ({last}); {LOGIN_HELP}")
    if "Please provide OAuth2 client secret" in out:
        return UsageError(f"paconn needs the OAuth client secret: {SECRET_HELP}")
    http = re.search(r"(\d{3}) (?:Client|Server) Error: (.*?) for url: (\S+)", out)
    if http:
        status, url = int(http.group(1)), http.group(3)
        step = url.split("?")[0].rsplit("/", 1)[-1]
        detail = f"{status} {message or http.group(2)}"
        if status == 401:
            return LoginError(f"the Power Platform rejected paconn's token ({detail}); {LOGIN_HELP}")
        if status == 403:
            return ConnectorError(f"no permission in environment {environment} ({detail}): the signed-in "
                                  f"account must be an environment maker there")
        if status == 404 and ("environment" in (message or "").lower() or step == "generateResourceStorage"):
            return NotFoundError(f"environment {environment} was not found at {power_apps_url} ({detail}); check "
                                 f"--environment (the environment name, a GUID, not its display name)")
        if status == 404 and connector_id and "/apis/" in url:
            return NotFoundError(f"connector {connector_id} does not exist in environment {environment} "
                                 f"({detail}); check --connector-id, or run with --create to make a new one")
        if "stackOwner" in (message or ""):
            return ConnectorError(f"the service rejected stackOwner ({detail}); remove it from apiProperties.json "
                                  f"for deployment")
        if status >= 500:
            return ConnectorError(f"the Power Platform failed at {step} ({detail}); try again later")
        return ConnectorError(f"the Power Platform rejected the connector at {step} ({detail}); fix the folder "
                              f"(`connector validate` shows most problems) and deploy again")
    if re.search(r"SSLError|CERTIFICATE_VERIFY_FAILED", out):
        return ConnectorError(f"TLS failed while paconn talked to the service ({last}); check the machine's "
                              f"certificates (REQUESTS_CA_BUNDLE) and proxy")
    if re.search(r"ConnectionError|Max retries exceeded|Failed to establish a new connection|"
                 r"Name or service not known|AzureException", out):
        return ConnectorError(f"paconn could not reach the service ({last}); check --power-apps-url and the "
                              f"network")
    if "NoTTYException" in out or "Unable to prompt" in out:
        return ConnectorError(f"paconn wanted to ask a question ({last}); connector deploy passes every answer, "
                              f"so this is a bug: please report it with the output above")
    return ConnectorError(f"`{result.command}` failed (exit {result.returncode}): {last}")


def _validate(folder: Path, echo: Echo) -> None:
    found = validate_folder(folder)
    if found is None:
        echo("deploy: `connector validate` is not installed here; ran deploy's own checks only")
        return
    errors, warnings = found
    for w in warnings:
        echo(f"deploy: warning: {w}")
    if errors:
        raise FolderError(folder, ["connector validate: " + e for e in errors]
                          + ["fix these, or pass --no-validate to deploy anyway"])
    echo(f"deploy: {folder} passed connector validate ({len(warnings)} warning(s))")


def _target(options: DeployOptions, record: DeployRecord | None, pau: str) -> tuple[str | None, str]:
    """The connector to update (None: create) and where its id came from."""
    if options.mode == "create":
        return None, ""
    if options.connector_id:
        return options.connector_id, "--connector-id"
    recorded = record.lookup(pau, options.environment) if record else None
    if recorded:
        return recorded, f"the record {record.path}"
    if options.mode == "update":
        where = f" and {record.path} has none for environment {options.environment}" if record else ""
        raise UsageError(f"--update needs the connector id: pass --connector-id ID{where}")
    return None, ""


def _remote_checks(client: PowerPlatform, environment: str, connector_id: str | None, source: str,
                   echo: Echo) -> None:
    """The environment exists (when the environments list can be read) and so does the connector to update."""
    try:
        environments = client.environments()
    except LoginError:
        raise
    except ConnectorError as exc:
        environments = None
        echo(f"deploy: warning: could not check the environment ({exc.message}); going on")
    if environments is not None and environment not in environments:
        near = [n for n in environments
                if n.lower() == environment.lower() or environments[n].lower() == environment.lower()]
        listed = ", ".join(f"{n} ({d})" for n, d in sorted(environments.items())[:10]) or "none"
        hint = f"; did you mean {near[0]}?" if near else ""
        raise NotFoundError(f"environment {environment} is not one the signed-in account can use at "
                            f"{client.flow_url} (available: {listed}){hint}")
    if connector_id is None:
        return
    missing = client.connector_missing(environment, connector_id)
    if missing is None:
        return
    if "environment" in missing.lower() and environments is None:
        raise NotFoundError(f"environment {environment} was not found at {client.power_apps_url} ({missing})")
    fix = ("check --connector-id, or drop it to create a new connector" if source == "--connector-id"
           else "run with --create to create a new connector (the record is then replaced)")
    raise NotFoundError(f"connector {connector_id} (from {source}) does not exist in environment {environment} "
                        f"at {client.power_apps_url} ({missing}); {fix}")


def deploy(options: DeployOptions, *, secret: str | None, echo: Echo, home: Path | None = None,
           env: dict[str, str] | None = None, use_record: bool = True, python: Path | None = None,
           ci_outputs: bool = True) -> DeployResult:
    """Deploy ``options.folder``. ``home`` is where paconn's token lives (default: the user's home); ``env``
    the paconn process's environment (default: ours); ``use_record`` reads and writes the deploy record;
    ``ci_outputs`` hands the token file to GitHub Actions (step outputs, masked), off for dry runs."""
    _check_options(options)
    folder = Path(options.folder)
    built = load_folder(folder, secret)
    if options.validate:
        _validate(folder, echo)
    if built.oauth_settings() and not secret:
        raise UsageError(f"{built.files['apiProperties']} declares OAuth, so paconn needs the client secret: "
                         f"{SECRET_HELP}")
    properties, notes = _prepare_properties(built.properties, options.client_id, built.files["apiProperties"], echo)
    fresh = ensure_fresh(home, authority=options.authority_url, echo=echo)
    if options.token_output is not None:
        save_token_output(fresh.entry, options.token_output)
        echo(f"deploy: token file {'(rotated) ' if fresh.refreshed else ''}written to {options.token_output}")
    if ci_outputs:
        github_actions_outputs(fresh.entry, options.token_output or fresh.path, echo)
    token = read_token(home)

    settings = built.settings
    pau = (options.power_apps_url or settings.get("powerAppsUrl") or DEFAULT_POWER_APPS_URL).rstrip("/")
    # --power-apps-url moves the Flow calls along unless --flow-url says otherwise: pointed at another
    # endpoint (the stand-in, a test cloud), deploy must not call the public Flow API from settings.json.
    flow = (options.flow_url or (options.power_apps_url and pau) or settings.get("flowUrl")
            or DEFAULT_FLOW_URL).rstrip("/")
    record = DeployRecord.load(folder) if use_record else None
    connector_id, source = _target(options, record, pau)
    action = "update" if connector_id else "create"
    _remote_checks(PowerPlatform(pau, flow, token), options.environment, connector_id, source, echo)

    python = python or ensure_paconn(echo=echo)
    work_settings: dict[str, Any] = {k: v for k, v in settings.items() if k not in ("connectorId", "environment")}
    work_settings.update({"environment": options.environment, "powerAppsUrl": pau, "flowUrl": flow})
    work_settings.update(built.files)
    if connector_id:
        work_settings["connectorId"] = connector_id
    args = ["create", "-s", SETTINGS, "-w"] if action == "create" else ["update", "-s", SETTINGS]
    echo(f"deploy: {'creating' if action == 'create' else f'updating {connector_id}'} in environment "
         f"{options.environment} at {pau}")
    echo(f"deploy: running `{shown_command(args, secret)}` in a temporary copy of {folder}")
    with tempfile.TemporaryDirectory(prefix="connector-deploy-") as tmp:
        work = Path(tmp)
        working_copy(built, work, work_settings, properties)
        result = run_paconn(python, args, cwd=work, env=dict(os.environ if env is None else env),
                            secret=secret, hidden=[str(token.get("access_token", "")),
                                                   str(token.get("refresh_token", ""))])
        for line in summarize(result.output):
            echo(f"paconn: {line}")
        if not result.ok:
            raise explain_failure(result, action=action, environment=options.environment,
                                  connector_id=connector_id, power_apps_url=pau)
        if action == "create":
            connector_id = _created_id(result, work / SETTINGS)
    done = DeployResult("created" if action == "create" else "updated", connector_id, options.environment, pau,
                        result, notes=notes)
    if record is not None:
        record.remember(pau, options.environment, connector_id)
        done.record = record.path
        echo(f"deploy: {done.action} {connector_id}; recorded in {record.path}")
    else:
        echo(f"deploy: {done.action} {connector_id}")
    return done


def _created_id(result: PaconnResult, settings_file: Path) -> str:
    """The id paconn create wrote into its settings.json, checked against what it printed."""
    written = json.loads(settings_file.read_text(encoding="utf-8")).get("connectorId")
    said = re.search(r"^(\S+) created successfully\.", result.output, re.M)
    if not written or (said and said.group(1) != written):
        raise ConnectorError(f"paconn said {said.group(1) if said else 'nothing'} but wrote connectorId "
                             f"{written!r}; check the environment before deploying again")
    return written
