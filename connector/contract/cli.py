"""``connector contract``: drive the built connector the way Power Automate does."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ConnectorError


@click.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--model", "model", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Python file declaring the connector (e.g. one `connector import` wrote): start `connector mock "
                   "--model FILE`, build its mock profile, and run scenarios derived from the model (creates before "
                   "reads, updates and deletes; dropdowns opened) and schemathesis. Instead of FOLDER.")
@click.option("--base-url", default=None, metavar="URL",
              help="Run against this API root (scheme, host and basePath) instead of starting the mock; "
                   "needs FOLDER.")
@click.option("--token", default=None, envvar="CONNECTOR_TOKEN", metavar="TOKEN",
              help="Bearer token to call with instead of signing in (env CONNECTOR_TOKEN).")
@click.option("--api-key", default=None, envvar="CONNECTOR_API_KEY", metavar="KEY",
              help="API key for a connector whose swagger declares an apiKey security definition, sent in the "
                   "header or query parameter it names (env CONNECTOR_API_KEY).")
@click.option("--username", default=None, envvar="CONNECTOR_USERNAME",
              help="User name for a connector with basic authentication (env CONNECTOR_USERNAME).")
@click.option("--password", default=None, envvar="CONNECTOR_PASSWORD",
              help="Password for basic authentication (env CONNECTOR_PASSWORD; prefer it: a command-line "
                   "option is visible in the process list).")
@click.option("--client-id", default=None, help="OAuth client id for signing in (default: the mock's).")
@click.option("--client-secret", default=None, envvar="CONNECTOR_CLIENT_SECRET",
              help="OAuth client secret (env CONNECTOR_CLIENT_SECRET).")
@click.option("--login-hint", default="demo", show_default=True,
              help="User to sign in as without a page (sent with prompt=none).")
@click.option("--inbound-url", default=None, metavar="URL",
              help="Where to inject inbound messages for the trigger scenario (default: the started mock's "
                   "/_mock/inbound; none against a real account).")
@click.option("--schemathesis/--no-schemathesis", "fuzz", default=None,
              help="Run schemathesis with the swagger (default: only against a mock this command starts).")
@click.option("--max-examples", default=10, show_default=True, help="schemathesis test cases per operation.")
def contract(folder: Path | None, model: Path | None, base_url: str | None, token: str | None, api_key: str | None,
             username: str | None, password: str | None, client_id: str | None,
             client_secret: str | None, login_hint: str, inbound_url: str | None, fuzz: bool | None,
             max_examples: int) -> None:
    """Run one scenario per visible action and trigger of the built connector through a platform-like
    client (OAuth sign-in, dropdowns, script.csx, webhooks, retries), then schemathesis.

    Without --base-url it starts `connector mock` on a free port and builds the mock profile into a
    temporary folder (or uses FOLDER: a folder built for the real service, or of another connector than the
    mock serves, is refused with exit 2). With --base-url a URL nobody answers at is reported at once.
    Authenticates with OAuth, --token, --api-key or --username/--password, as the folder declares. Prints
    one line per scenario and a total; exits 1 on any failure."""
    from .session import Options, run_contract

    report = run_contract(Options(folder=folder, model=model, base_url=base_url.rstrip("/") if base_url else None, token=token,
                                  api_key=api_key, username=username, password=password, client_id=client_id,
                                  client_secret=client_secret, login_hint=login_hint,
                                  inbound_url=inbound_url, fuzz=fuzz, max_examples=max_examples),
                          echo=click.echo)
    if not report.ok:
        raise ConnectorError("the contract run failed (see the FAIL lines above)")
