"""Signing in once and deploying for ever, end to end: the real `connector login` and `connector deploy`
processes, the real paconn, against the loopback stand-in playing both the Power Platform and the sign-in
service (device code, token grants, rotation, revocation)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from connector.testing.standin import StandIn

from .conftest import CONNECTOR, Run, copy_folder, deploy_env, new_secret, run_connector

CLIENT_ID = "7d0c4e2a-0000-4000-8000-00000000a11d"


@dataclass
class World:
    standin: StandIn
    tmp: Path
    home: Path
    folder: Path
    secret: str
    outputs: list[str] = field(default_factory=list)

    @property
    def token_file(self) -> Path:
        return self.home / ".paconn" / "accessTokens.json"

    def env(self, **extra: str) -> dict[str, str]:
        env = deploy_env(self.standin, self.home, self.secret)
        env["CONNECTOR_AUTHORITY_URL"] = self.standin.authority_url
        for key in ("GITHUB_ACTIONS", "GITHUB_OUTPUT"):
            env.pop(key, None)
        env.update(extra)
        return env

    def login(self) -> subprocess.CompletedProcess:
        """`connector login` as a person runs it: read the message, enter the code in the "browser"."""
        proc = subprocess.Popen([str(CONNECTOR), "login"], env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        first = proc.stdout.readline()
        match = re.search(r"enter the code (\w+)", first)
        assert match, first
        time.sleep(0.2)  # the first poll finds the code not yet entered
        page = re.search(r"open the page (\S+) ", first).group(1)
        with urllib.request.urlopen(f"{page}?code={match.group(1)}", timeout=10) as answer:  # the "browser"
            assert answer.status == 200
        rest, err = proc.communicate(timeout=60)
        self.outputs.append(first + rest + err)
        return subprocess.CompletedProcess(proc.args, proc.returncode, first + rest, err)

    def deploy(self, *extra: str, env: dict[str, str] | None = None) -> Run:
        args = ["deploy", str(self.folder), "--environment", self.standin.default_environment,
                "--power-apps-url", self.standin.url, "--client-id", CLIENT_ID, "--no-validate", *extra]
        result = run_connector(args, env or self.env())
        self.outputs.append(result.output)
        return result

    def expire_access_token(self) -> dict:
        entry = json.loads(self.token_file.read_text())
        entry["expires_on"] = int(time.time()) - 60
        self.token_file.write_text(json.dumps(entry))
        return entry

    def secrets(self) -> list[str]:
        """Every credential in play: the client secret, each access and refresh token issued, each device code."""
        with self.standin._lock:
            return [self.secret, *self.standin.tokens, *self.standin.refresh_tokens, *self.standin.device_codes]


@pytest.fixture
def world(tmp_path, built_source, paconn_python):
    with StandIn(dump=tmp_path / "standin.json") as standin:
        yield World(standin, tmp_path, tmp_path / "home", copy_folder(built_source, tmp_path / "build"),
                    new_secret())


def test_login_then_deploy(world):
    login = world.login()
    assert login.returncode == 0, login.stderr
    lines = login.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("To sign in, use a web browser")  # the one line needed
    assert login.stderr == ""
    assert stat.S_IMODE(world.token_file.stat().st_mode) == 0o600
    entry = json.loads(world.token_file.read_text())
    assert entry["refresh_token"] and entry["oid"] and entry["expires_on"] > time.time() + 3000
    assert [g[0] for g in world.standin.grants] == ["device_code"] * len(world.standin.grants)
    assert len(world.standin.grants) >= 2  # at least one "authorization_pending" poll, then the token

    deployed = world.deploy()
    assert deployed.returncode == 0, deployed.output
    assert "created shared_" in deployed.stdout
    assert "refreshing" not in deployed.stdout  # a fresh token is used as it is
    assert world.standin.grants_of("refresh_token") == []
    # paconn itself used the token that `connector login` wrote: the stand-in accepts only tokens it issued
    [create] = world.standin.calls_of("create")
    assert create.status == 201
    _no_credential_leaks(world)


def test_expired_access_token_is_refreshed_once_and_the_rotated_token_saved(world):
    world.standin.write_token_file(world.home, expires_in=-60, refresh_token=True)
    old = json.loads(world.token_file.read_text())
    saved = world.tmp / "ci" / "rotated.json"
    deployed = world.deploy("--token-output", str(saved))
    assert deployed.returncode == 0, deployed.output
    assert "access token has expired; refreshing it" in deployed.stdout
    assert len(world.standin.grants_of("refresh_token")) == 1  # exactly one refresh grant
    new = json.loads(world.token_file.read_text())
    assert new["refresh_token"] != old["refresh_token"] and new["access_token"] != old["access_token"]
    assert new["refresh_token"] in world.standin.refresh_tokens  # the rotated one the service issued
    assert new["expires_on"] > time.time() + 3000 and new["oid"] == old["oid"]
    assert json.loads(saved.read_text()) == new  # --token-output: what CI stores back
    for path in (world.token_file, saved):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # paconn ran with the new access token (the old one had expired: the stand-in would have said 401)
    assert world.standin.calls_of("create")[0].status == 201
    assert deployed.stdout.index("refreshing") < deployed.stdout.index("running `paconn create")

    # the next run finds a fresh token: no second grant
    again = world.deploy()
    assert again.returncode == 0, again.output
    assert len(world.standin.grants_of("refresh_token")) == 1
    _no_credential_leaks(world, allowed={saved})


def test_a_file_with_only_a_refresh_token_is_completed(world):
    """What a CI secret may hold: only the refresh token. The first deploy completes the file paconn needs."""
    world.standin.write_token_file(world.home, refresh_token=True)
    entry = json.loads(world.token_file.read_text())
    world.token_file.write_text(json.dumps({"refresh_token": entry["refresh_token"]}))
    deployed = world.deploy()
    assert deployed.returncode == 0, deployed.output
    assert len(world.standin.grants_of("refresh_token")) == 1
    completed = json.loads(world.token_file.read_text())
    assert completed["access_token"] and completed["oid"] == entry["oid"] and completed["token_type"] == "Bearer"
    assert world.standin.calls_of("create")[0].status == 201
    _no_credential_leaks(world)


def test_github_actions_outputs_carry_the_rotated_token_masked(world):
    world.standin.write_token_file(world.home, expires_in=30, refresh_token=True)  # inside paconn's 600 s
    outputs = world.tmp / "github_output"
    outputs.write_text("")
    deployed = world.deploy(env=world.env(GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(outputs)))
    assert deployed.returncode == 0, deployed.output
    new = json.loads(world.token_file.read_text())
    text = outputs.read_text()
    assert f"token-file={world.token_file}\n" in text
    assert re.search(r"refresh-token<<(\S+)\n" + re.escape(new["refresh_token"]) + r"\n\1\n", text)
    # both new tokens are masked in the job log before anything could print them; no other line holds them
    masks = [line for line in deployed.stdout.splitlines() if line.startswith("::add-mask::")]
    assert masks == [f"::add-mask::{new['access_token']}", f"::add-mask::{new['refresh_token']}"]
    rest = "\n".join(line for line in deployed.output.splitlines() if not line.startswith("::add-mask::"))
    world.outputs[-1] = rest
    _no_credential_leaks(world, allowed={outputs})


def test_revoked_refresh_token_exits_3_with_the_command_that_fixes_it(world):
    world.standin.write_token_file(world.home, expires_in=-60, refresh_token=True)
    world.standin.revoke()
    before = world.token_file.read_bytes()
    deployed = world.deploy()
    assert deployed.returncode == 3, deployed.output
    assert "the stored refresh token was refused (invalid_grant" in deployed.output
    assert "Sign in again with `connector login`" in deployed.output
    assert "Traceback" not in deployed.output
    assert world.token_file.read_bytes() == before  # nothing half-written
    assert [c.operation for c in world.standin.calls] == ["token"]  # nothing uploaded
    _no_credential_leaks(world)


def test_tenant_is_kept_for_the_refresh_and_the_fix(world):
    world.standin.write_token_file(world.home, expires_in=-60, refresh_token=True, tenant="contoso.example")
    world.standin.revoke()
    deployed = world.deploy()
    assert deployed.returncode == 3
    assert world.standin.grants == [("refresh_token", "contoso.example")]
    assert "`connector login --tenant contoso.example`" in deployed.output


def test_authority_url_option_wins_and_an_unreachable_service_is_named(world):
    """--authority-url overrides where the token came from; a sign-in service that cannot be reached is an
    error naming it (exit 1), the token file left as it was."""
    world.standin.write_token_file(world.home, expires_in=-60, refresh_token=True)
    before = world.token_file.read_bytes()
    deployed = world.deploy("--authority-url", "http://127.0.0.1:9/")
    assert deployed.returncode == 1, deployed.output
    assert "cannot reach the sign-in service at http://127.0.0.1:9/" in deployed.output
    assert world.standin.grants == [] and world.token_file.read_bytes() == before
    _no_credential_leaks(world)


def test_login_declined_exits_3(world):
    proc = subprocess.Popen([str(CONNECTOR), "login", "--tenant", "contoso.example"], env=world.env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    first = proc.stdout.readline()
    world.standin.approve(re.search(r"enter the code (\w+)", first).group(1), decline=True)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert "declined" in err and "connector login --tenant contoso.example" in err
    assert not world.token_file.exists()


def _no_credential_leaks(world: World, allowed: set[Path] = frozenset()) -> None:
    """No client secret, token or device code in any output, stand-in log or dump, or file under the test's
    folders, except paconn's token file (and files the test asked for on purpose: `allowed`)."""
    needles = [s for s in world.secrets() if s]
    assert needles and any(t in world.token_file.read_text() for t in needles)  # the check can fail
    for text in world.outputs + world.standin.log:
        for needle in needles:
            assert needle not in text
    files = [p for p in world.tmp.rglob("*") if p.is_file() and p != world.token_file and p not in allowed]
    assert world.standin.dump_path in files or not world.standin.calls  # written after every call received
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in data, path


def test_paconn_is_installed_once_for_every_directory(tmp_path, built_source):
    """The paconn environment lives in the user cache directory: a deploy from a second directory reuses it.
    A real install from PyPI into an empty cache directory (pip's own download cache kept)."""
    pip_cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"],
                               capture_output=True, text=True).stdout.strip()
    env = {k: v for k, v in os.environ.items() if k not in ("CONNECTOR_PACONN_VENV", "CONNECTOR_CLIENT_SECRET")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path / "home"))
    if pip_cache:
        env["PIP_CACHE_DIR"] = pip_cache
    runs = []
    for name in ("first", "second"):
        cwd = tmp_path / name
        folder = copy_folder(built_source, cwd / "build")
        runs.append(run_connector(["deploy", str(folder), "--dry-run", "--no-validate"], env, cwd=cwd))
        assert runs[-1].returncode == 0, runs[-1].output
        assert sorted(p.name for p in cwd.iterdir()) == ["build"]  # nothing installed into the directory
    venv = tmp_path / "cache" / "connector" / "paconn-0.0.21"
    assert f"installing paconn==0.0.21 into {venv} (once)" in runs[0].stdout
    assert "installing" not in runs[1].stdout
    assert (venv / "bin" / "python").exists()
