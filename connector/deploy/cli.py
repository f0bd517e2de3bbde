"""``connector deploy``."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from ..errors import UsageError
from .deployer import DeployOptions, deploy as run_deploy
from .auth import AUTHORITY_ENV, DEFAULT_TENANT, login as run_login
from .runner import SECRET_ENV

DRY_RUN_CLIENT_ID = "d2a1c0de-0000-4000-8000-000000000001"  # a made-up id for a dry run without --client-id



def default_folder() -> Path:
    """Where `connector build` writes the declared connector (build/<Title>/), derived from the model."""
    from ..generate.build import default_out
    from ..model import load_model

    return default_out(load_model(None))


@click.command("deploy")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=None, required=False)
@click.option("--environment", "-e", default=None, metavar="ENV",
              help="Power Platform environment name (GUID or Default-<GUID>), not its display name.")
@click.option("--connector-id", "-c", default=None, metavar="ID",
              help="Connector to update (default: the one recorded beside FOLDER for this environment).")
@click.option("--create", "mode", flag_value="create", help="Create a new connector even if one is recorded.")
@click.option("--update", "mode", flag_value="update", help="Update; fail if no connector id is known.")
@click.option("--power-apps-url", default=None, metavar="URL",
              help="Power Apps API base URL, passed to paconn as settings powerAppsUrl "
                   "(default: settings.json's, else https://api.powerapps.com).")
@click.option("--flow-url", default=None, metavar="URL",
              help="Flow API base URL for the environment check (default: with --power-apps-url the same "
                   "URL, else settings.json's flowUrl, else https://api.flow.microsoft.com).")
@click.option("--client-id", envvar="CONNECTOR_CLIENT_ID", default=None, metavar="ID",
              help="OAuth client id put into apiProperties; required when the folder's clientId is a placeholder "
                   "([[…]], <<…>>, <…>, empty, \"your client id\", …) (env CONNECTOR_CLIENT_ID).")
@click.option("--authority-url", envvar=AUTHORITY_ENV, default=None, metavar="URL",
              help="Sign-in service for the token refresh (env CONNECTOR_AUTHORITY_URL; default: where the token "
                   "came from, else https://login.microsoftonline.com/).")
@click.option("--token-output", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also write paconn's token file, refreshed when it was about to expire, to FILE (mode 0600), so "
                   "CI can store the rotated refresh token back as its secret.")
@click.option("--no-validate", "validate", flag_value=False, default=True,
              help="Skip `connector validate` (deploy's own pre-flight checks still run).")
@click.option("--dry-run", is_flag=True,
              help="Create and then update the connector on a local stand-in of the Power Platform, with a "
                   "throwaway sign-in; nothing leaves this machine and no record is written.")
@click.option("--dump", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --dry-run: write what the stand-in received (secrets redacted) to this JSON file.")
def deploy(folder: Path, environment: str | None, connector_id: str | None, mode: str | None,
           power_apps_url: str | None, flow_url: str | None, client_id: str | None, authority_url: str | None,
           token_output: Path | None, validate: bool, dry_run: bool, dump: Path | None) -> None:
    """Create or update the connector in FOLDER (default: the folder `connector build` writes) with the real
    paconn, without prompts. The OAuth client secret comes only from the environment variable
    CONNECTOR_CLIENT_SECRET; paconn's sign-in is its own token file, ~/.paconn/accessTokens.json (`connector
    login` writes it), refreshed first when its access token expires within 15 minutes. In GitHub Actions the
    step outputs `token-file` and `refresh-token` (masked) carry the rotated token. The connector id is
    recorded in FOLDER.deploy.json beside the folder, so the next run updates it.

    Exit codes: 1 checks or deployment failed, 2 usage (options, secret, client id), 3 not signed in, or the
    refresh token revoked or expired (run `connector login`), 4 environment or connector id not found."""
    secret = os.environ.get(SECRET_ENV) or None
    folder = folder if folder is not None else default_folder()
    options = DeployOptions(folder=folder, environment=environment or "", connector_id=connector_id,
                            mode=mode or "auto", power_apps_url=power_apps_url, flow_url=flow_url,
                            client_id=client_id, validate=validate, authority_url=authority_url,
                            token_output=token_output)
    if dump is not None and not dry_run:
        raise UsageError("--dump goes with --dry-run")
    if dry_run:
        _dry_run(options, secret, dump)
        return
    if not environment:
        raise UsageError("--environment ENV is required (the environment name, a GUID; `pac admin list` or the "
                         "Power Platform admin center shows it)")
    run_deploy(options, secret=secret, echo=click.echo)


def _dry_run(options: DeployOptions, secret: str | None, dump: Path | None) -> None:
    from ..testing.standin import StandIn, mask_sas

    if options.connector_id or options.mode != "auto" or options.power_apps_url or options.flow_url \
            or options.token_output:
        raise UsageError("--dry-run creates, then updates, a connector on a local stand-in: it takes none of "
                         "--connector-id, --create, --update, --power-apps-url, --flow-url, --token-output")
    environment = options.environment or "00000000-0000-0000-0000-000000000000"
    if not secret:
        click.echo(f"deploy: dry run: {SECRET_ENV} is not set; using a made-up secret")
        secret = "dry-run-secret"
    with StandIn({environment: "Dry run"}, dump=dump) as standin, \
            tempfile.TemporaryDirectory(prefix="connector-dry-run-home-") as home:
        standin.write_token_file(Path(home))
        env = {**os.environ, **standin.paconn_environment(Path(home))}
        base = replace(options, environment=environment, power_apps_url=standin.url, flow_url=standin.url,
                       client_id=options.client_id or DRY_RUN_CLIENT_ID)
        click.echo(f"deploy: dry run against the stand-in at {standin.url}")
        created = run_deploy(replace(base, mode="create"), secret=secret, echo=click.echo, home=Path(home),
                             env=env, use_record=False, ci_outputs=False)
        run_deploy(replace(base, mode="update", connector_id=created.connector_id, validate=False), secret=secret,
                   echo=click.echo, home=Path(home), env=env, use_record=False, ci_outputs=False)
        click.echo("deploy: dry run: the stand-in received")
        for call in standin.calls:
            click.echo(f"  {call.method:5} {call.path} -> {call.status}")
        payload = standin.calls_of("create")[0].body["properties"]
        summary = {k: payload.get(k) for k in ("displayName", "backendService", "iconUri", "scriptDefinitionUrl")}
        click.echo("deploy: dry run: create payload " + mask_sas(json.dumps(summary)))
        if dump is not None:
            click.echo(f"deploy: dry run: everything received (secrets redacted) is in {dump}")


@click.command("login")
@click.option("--tenant", "-t", default=DEFAULT_TENANT, show_default=True, metavar="TENANT",
              help="Microsoft Entra tenant: a GUID, a domain (contoso.onmicrosoft.com) or common.")
@click.option("--authority-url", envvar=AUTHORITY_ENV, default=None, metavar="URL",
              help="Sign-in service (env CONNECTOR_AUTHORITY_URL; default https://login.microsoftonline.com/).")
def login(tenant: str, authority_url: str | None) -> None:
    """Sign paconn in with a device code, with paconn's own settings (its client id, the Power Apps resource):
    open the printed URL, enter the code. Writes paconn's token file ~/.paconn/accessTokens.json (mode 0600),
    so `paconn` itself works afterwards, and `connector deploy` refreshes it from then on. Prints the
    device-code message and nothing else; never a token.

    Exit codes: 2 usage, 3 the sign-in was declined or the code expired."""
    run_login(tenant=tenant, authority=authority_url, echo=click.echo)
