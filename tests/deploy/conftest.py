"""Fixtures for the deploy tests: the real paconn (its own virtual environment, created on first use), the
loopback stand-in, a signed-in HOME, and a built connector folder.

The folder is build/SmartDialog when `connector build` writes settings.json there (the artifacts stage);
until then a fixture folder made here from build/SmartDialog's swagger plus a generated apiProperties, icon,
script and settings.json. Deploy knows only the folder layout, so the same tests run on either.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from connector.deploy.runner import VENV_ENV, default_venv, ensure_paconn
from connector.testing.standin import StandIn
from conftest import BUILD, ROOT

PACONN_VENV = default_venv()  # the user cache directory (or $CONNECTOR_PACONN_VENV), shared by checkouts
CONNECTOR = Path(sys.executable).with_name("connector")  # the installed command, run as a user would


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid solid-colour RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


SCRIPT = """\
public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
    }
}
"""


def make_fixture_folder(target: Path) -> Path:
    """A connector folder in the layout `connector build` writes, around the committed swagger."""
    target.mkdir(parents=True, exist_ok=True)
    swagger_bytes = (BUILD / "apiDefinition.swagger.json").read_bytes()
    (target / "apiDefinition.swagger.json").write_bytes(swagger_bytes)
    swagger = json.loads(swagger_bytes)
    oauth = next(s for s in swagger["securityDefinitions"].values() if s["type"] == "oauth2")
    properties = {"properties": {
        "connectionParameters": {"token": {
            "type": "oauthSetting",
            "oAuthSettings": {
                "identityProvider": "oauth2",
                "clientId": "[[CLIENT_ID]]",
                "scopes": list(oauth["scopes"]),
                "redirectMode": "GlobalPerConnector",
                "properties": {"IsFirstParty": "False"},
                "customParameters": {"authorizationUrl": {"value": oauth["authorizationUrl"]},
                                     "tokenUrl": {"value": oauth["tokenUrl"]},
                                     "refreshUrl": {"value": oauth["tokenUrl"]}},
            },
            "uiDefinition": {"displayName": "Login with your account", "description": "Sign in",
                             "tooltip": "Provide credentials", "constraints": {"required": "true"}},
        }},
        "iconBrandColor": "#da3b01",
        "capabilities": [],
        "publisher": "Fixture publisher",
        "stackOwner": "Fixture owner",
    }}
    (target / "apiProperties.json").write_text(json.dumps(properties, indent=2) + "\n", encoding="utf-8")
    (target / "icon.png").write_bytes(png(230, 230, (0xDA, 0x3B, 0x01)))
    (target / "script.csx").write_text(SCRIPT, encoding="utf-8")
    settings = {"apiDefinition": "apiDefinition.swagger.json", "apiProperties": "apiProperties.json",
                "icon": "icon.png", "script": "script.csx"}
    (target / "settings.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def built_source(tmp_path_factory) -> Path:
    """The folder the tests deploy (read only): build/SmartDialog once it has settings.json, else the fixture."""
    if (BUILD / "settings.json").is_file():
        return BUILD
    return make_fixture_folder(tmp_path_factory.mktemp("fixture") / BUILD.name)


def copy_folder(source: Path, target_parent: Path) -> Path:
    """Deploy writes its record beside the folder: tests deploy a copy so build/ stays untouched."""
    target = target_parent / source.name
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def paconn_python() -> Path:
    """paconn 0.0.21 in the user cache directory, installed from PyPI when missing."""
    return ensure_paconn(PACONN_VENV, echo=print)


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every tracked-kind file under root (git-ignored scratch folders of other stages excluded)."""
    skip = ("mock", "tmp")
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] not in skip
            and p.suffix != ".db"}


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_connector(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> Run:
    proc = subprocess.run([str(CONNECTOR), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    return Run(args, proc.returncode, proc.stdout, proc.stderr)


def deploy_env(standin: StandIn, home: Path, secret: str | None) -> dict[str, str]:
    """The environment of a `connector deploy` pointed at the stand-in: signed in through `home`, the shim and
    test CA for the paconn process, paconn from PACONN_VENV."""
    env = {k: v for k, v in os.environ.items() if k not in ("CONNECTOR_CLIENT_SECRET", "CONNECTOR_CLIENT_ID")}
    env.update(standin.paconn_environment(home))
    env[VENV_ENV] = str(PACONN_VENV)
    if secret is not None:
        env["CONNECTOR_CLIENT_SECRET"] = secret
    return env


def new_secret() -> str:
    return "sec-" + secrets.token_urlsafe(18)
