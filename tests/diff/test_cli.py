"""`connector diff` as a user runs it: text and JSON, exit codes, folders, and the last committed build."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from connector.cli import main

from .conftest import BASE_FILE, base


def write(path, doc):
    path.write_text(json.dumps(doc, indent=2))
    return path


def test_no_change_exits_0(runner, tmp_path):
    result = runner.invoke(main, ["diff", str(BASE_FILE), str(BASE_FILE)])
    assert result.exit_code == 0 and "no changes" in result.output


def test_breaking_change_exits_1_and_is_listed_with_its_pointer(runner, tmp_path):
    new = base()
    del new["paths"]["/orders/{id}"]["delete"]
    new["paths"]["/orders"]["get"]["description"] = "Lists all orders."
    result = runner.invoke(main, ["diff", str(BASE_FILE), str(write(tmp_path / "new.json", new))])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("BREAKING") and "operation-removed" in lines[0] and "/paths/~1orders~1{id}/delete" \
        in lines[0]
    assert "'DeleteOrder' (DELETE /orders/{id}) was removed" in lines[1]
    assert any(line.startswith("harmless") and "description-changed" in line for line in lines)
    assert lines[-1].startswith("1 breaking, 1 harmless")


def test_harmless_change_exits_0(runner, tmp_path):
    new = base()
    new["paths"]["/orders"]["get"]["parameters"].append({"name": "skip", "in": "query", "type": "integer"})
    result = runner.invoke(main, ["diff", str(BASE_FILE), str(write(tmp_path / "new.json", new))])
    assert result.exit_code == 0 and "parameter-added" in result.output


def test_json_format(runner, tmp_path):
    new = base()
    new["paths"]["/orders"]["get"]["parameters"][0]["enum"] = ["open"]
    result = runner.invoke(main, ["diff", "--format", "json", str(BASE_FILE), str(write(tmp_path / "n.json", new))])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["breaking"] == 1 and data["harmless"] == 0
    assert data["changes"] == [{"rule": "enum-value-removed", "severity": "breaking",
                                "pointer": "/paths/~1orders/get/parameters/0/enum",
                                "message": "operation 'ListOrders', parameter 'status': enum value(s) 'closed' removed",
                                "operationId": "ListOrders"}]


def test_folders_compare_their_api_properties_too(runner, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, client in ((old, "a"), (new, "b")):
        folder.mkdir()
        shutil.copy(BASE_FILE, folder / "apiDefinition.swagger.json")
        props = {"properties": {"connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": {
            "identityProvider": "oauth2", "clientId": client}}}}}
        write(folder / "apiProperties.json", props)
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1 and "/properties/connectionParameters" in result.output


def test_unreadable_input_exits_2_with_line_and_column(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "swagger": "2.0",,\n}')
    result = runner.invoke(main, ["diff", str(BASE_FILE), str(bad)])
    assert result.exit_code == 2 and f"{bad}:2:20:" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["diff", str(BASE_FILE), str(tmp_path)])
    assert result.exit_code == 2 and "no apiDefinition.swagger.json" in result.output
    assert runner.invoke(main, ["diff", str(BASE_FILE)]).exit_code == 2


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "repo"
    (folder / "build" / "Shop").mkdir(parents=True)
    env = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    shutil.copy(BASE_FILE, folder / "build" / "Shop" / "apiDefinition.swagger.json")
    subprocess.run(["git", *env, "-C", str(folder), "add", "."], check=True)
    subprocess.run(["git", *env, "-C", str(folder), "commit", "-q", "-m", "build"], check=True)
    return folder


def test_against_the_last_committed_build(runner, repo):
    target = repo / "build" / "Shop"
    result = runner.invoke(main, ["diff", "--against-git", "HEAD", str(target)])
    assert result.exit_code == 0 and "no changes" in result.output
    new = base()
    new["paths"]["/orders"]["get"]["parameters"][1]["required"] = True
    write(target / "apiDefinition.swagger.json", new)
    result = runner.invoke(main, ["diff", "--against-git", "HEAD", str(target)])
    assert result.exit_code == 1 and "parameter-made-required" in result.output and "HEAD:" in result.output
    result = runner.invoke(main, ["diff", "--against-git", "nope", str(target)])
    assert result.exit_code == 2 and "no such commit" in result.output


def test_against_git_without_a_committed_version(runner, repo):
    folder = repo / "build" / "New"
    folder.mkdir()
    shutil.copy(BASE_FILE, folder / "apiDefinition.swagger.json")
    result = runner.invoke(main, ["diff", "--against-git", "HEAD", str(folder)])
    assert result.exit_code == 0 and "nothing to compare" in result.output


def test_the_installed_command_against_our_committed_build():
    from conftest import BUILD, ROOT

    exe = ROOT / ".venv" / "bin" / "connector"
    if not exe.exists() or not (ROOT / ".git").exists():
        pytest.skip("needs the installed command in a git checkout")
    proc = subprocess.run([str(exe), "diff", "--against-git", "HEAD", str(BUILD)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr  # 0 unless the working tree changed the build
    assert "breaking" in proc.stdout or "no changes" in proc.stdout
