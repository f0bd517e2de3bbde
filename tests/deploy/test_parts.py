"""The parts of deploy on their own: the record, masking, token checks, the name-resolution shim, the
pinned paconn version, and the dry run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.deploy.record import DeployRecord, record_path
from connector.deploy.runner import MASK, PACONN_REQUIREMENT, mask, summarize
from connector.deploy.service import LoginError, read_token
from connector.testing.standin import SHIM_DIR, mask_sas, redact
from conftest import ROOT

from .conftest import PACONN_VENV, copy_folder, new_secret


def test_paconn_pin_is_the_pyproject_group():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["paconn"] == [PACONN_REQUIREMENT]


def test_record_round_trip_is_deterministic(tmp_path):
    folder = tmp_path / "build" / "Thing"
    folder.mkdir(parents=True)
    record = DeployRecord.load(folder)
    assert record.path == tmp_path / "build" / "Thing.deploy.json" and record.lookup("u", "e") is None
    assert record.remember("https://b.example/", "env2", "id-2")
    assert record.remember("https://a.example", "env1", "id-1")
    assert not DeployRecord.load(folder).remember("https://a.example", "env1", "id-1")  # same bytes
    again = DeployRecord.load(folder)
    assert again.lookup("https://B.example", "env2") == "id-2"
    again.remember("https://a.example", "env1", "id-3")  # a create with --create replaces the entry
    assert json.loads(record_path(folder).read_text()) == {"deployments": [
        {"powerAppsUrl": "https://a.example", "environment": "env1", "connectorId": "id-3"},
        {"powerAppsUrl": "https://b.example", "environment": "env2", "connectorId": "id-2"}]}


def test_broken_record_is_named(tmp_path):
    folder = tmp_path / "F"
    folder.mkdir()
    record_path(folder).write_text('{"deployments": [{"environment": 1}]}')
    with pytest.raises(Exception, match="is not a deploy record"):
        DeployRecord.load(folder)


def test_mask_and_redact():
    secret = new_secret()
    assert mask(f"a {secret} b {secret}", [secret, ""]) == f"a {MASK} b {MASK}"
    doc = {"x": [{"oAuthSettings": {"clientSecret": secret, "clientId": "c"}}],
           "iconUri": "https://h/c/icon.png?sv=1&sig=abc%2Bdef&se=2"}
    out = redact(doc)
    assert secret not in json.dumps(out) and "abc" not in json.dumps(out)
    assert out["x"][0]["oAuthSettings"] == {"clientSecret": "***", "clientId": "c"}
    assert doc["x"][0]["oAuthSettings"]["clientSecret"] == secret  # the original is left alone
    assert mask_sas("see https://h/c?sv=1&sig=xyz") == "see https://h/c?sv=1&sig=***"


def test_summarize_folds_tracebacks():
    text = ("before\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    boom()\n"
            "knack.prompting.NoTTYException\nafter\n")
    assert summarize(text) == ["before", "knack.prompting.NoTTYException", "after"]


def _token(home, **doc):
    path = home / ".paconn" / "accessTokens.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc) if doc else "{not json")
    return path


def test_read_token(tmp_path):
    with pytest.raises(LoginError, match="does not exist"):
        read_token(tmp_path)
    _token(tmp_path)
    with pytest.raises(LoginError, match="not readable JSON"):
        read_token(tmp_path)
    now = time.time()
    _token(tmp_path, token_type="Bearer", access_token="t", expires_on=now + 601)
    assert read_token(tmp_path, now=now)["access_token"] == "t"
    _token(tmp_path, token_type="Bearer", access_token="t", expires_on=now + 599)
    with pytest.raises(LoginError, match="expires in 599 s"):
        read_token(tmp_path, now=now)
    _token(tmp_path, token_type="Bearer", access_token="t", expires_on=now - 1)
    with pytest.raises(LoginError, match="expired") as info:
        read_token(tmp_path, now=now)
    assert info.value.exit_code == 3


def test_shim_maps_only_the_named_host():
    code = ("import socket\n"
            "print(socket.getaddrinfo('acct.blob.core.invalid', 443)[0][4][0])\n"
            "try:\n    socket.getaddrinfo('other.blob.core.invalid', 443)\n    print('resolved')\n"
            "except socket.gaierror:\n    print('unresolved')\n")
    env = {**os.environ, "PYTHONPATH": str(SHIM_DIR), "CONNECTOR_LOOPBACK_HOSTS": "acct.blob.core.invalid"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["127.0.0.1", "unresolved"]
    env.pop("CONNECTOR_LOOPBACK_HOSTS")
    out = subprocess.run([sys.executable, "-c", code.split("\n", 2)[0] + "\nimport socket\n"
                          "try:\n    socket.getaddrinfo('acct.blob.core.invalid', 443); print('resolved')\n"
                          "except socket.gaierror:\n    print('unresolved')\n"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["unresolved"]  # without the variable the shim does nothing


def test_dry_run(tmp_path, built_source, paconn_python, monkeypatch):
    folder = copy_folder(built_source, tmp_path / "build")
    secret = new_secret()
    dump = tmp_path / "dump.json"
    env = {"CONNECTOR_CLIENT_SECRET": secret, "CONNECTOR_PACONN_VENV": str(PACONN_VENV),
           "HOME": str(tmp_path / "nohome")}  # the dry run signs in with a throwaway token of its own
    args = ["deploy", str(folder), "--dry-run", "--dump", str(dump), "--no-validate"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "created shared_" in result.output and "updated shared_" in result.output
    assert "PATCH /providers/Microsoft.PowerApps/apis/shared_" in result.output
    assert not record_path(folder).exists()  # a dry run records nothing
    assert secret not in result.output and secret not in dump.read_text()
    assert not (tmp_path / "nohome").exists()
    # in GitHub Actions a dry run hands no token file to the workflow (its sign-in is a throwaway)
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    folder2 = copy_folder(built_source, tmp_path / "again")
    ci = CliRunner().invoke(main, ["deploy", str(folder2), "--dry-run", "--no-validate"],
                            env={**env, "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs)})
    assert ci.exit_code == 0, ci.output
    assert outputs.read_text() == "" and "::add-mask::" not in ci.output
    received = json.loads(dump.read_text())
    assert [c["operation"] for c in received["calls"]].count("blob-put") == 4



def test_token_entry_reads_who_signed_in_and_keeps_the_refresh_token(tmp_path):
    import base64

    from connector.deploy.auth import token_entry, write_entry

    def jwt(claims):
        return "e30." + base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=") + ".sig"

    answer = {"token_type": "Bearer", "access_token": jwt({"oid": "from-access"}), "expires_in": "3599",
              "id_token": jwt({"oid": "o-1", "tid": "t-1", "upn": "a@b.example"}), "refresh_token": "r-1"}
    entry = token_entry(answer, authority="https://login.example/t-1", client_id="c", now=1000)
    assert entry["oid"] == "o-1" and entry["tenant_id"] == "t-1" and entry["user_id"] == "a@b.example"
    assert entry["expires_on"] == 4599 and entry["refresh_token"] == "r-1" and entry["_authority"].endswith("/t-1")
    # a refresh answer without a new refresh token (or id_token) keeps the previous ones
    again = token_entry({"token_type": "Bearer", "access_token": "opaque", "expires_in": 60},
                        authority="https://login.example/t-1", client_id="c", previous=entry, now=2000)
    assert again["refresh_token"] == "r-1" and again["oid"] == "o-1" and again["expires_on"] == 2060
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_entry(again, path)
    assert path.stat().st_mode & 0o777 == 0o600 and json.loads(path.read_text()) == again


@pytest.mark.parametrize("url", ["ftp://x/", "login.microsoftonline.com", "https://x/?q=1"])
def test_authority_url_must_be_a_base_url(url):
    from connector.deploy.auth import authority_url
    from connector.errors import UsageError

    with pytest.raises(UsageError, match="must be a base URL"):
        authority_url(url)
    assert authority_url("https://login.example/base") == "https://login.example/base/"
