"""The tutorial is run exactly as printed: its files written, its commands run in order in an empty folder
with the project's environment first on PATH, each command's exit code 0 and its printed output found in
what it really prints (timings aside)."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import docs_tutorial

BIN = Path(sys.executable).parent


def normal(line: str) -> str:
    return " ".join(re.sub(r"\d+\.\d+s\b", "N.Ns", line).split())


def wait_for_port(port: int, up: bool, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            is_up = s.connect_ex(("127.0.0.1", port)) == 0
        if is_up == up:
            return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not {'open' if up else 'close'} within {timeout}s")


def test_the_tutorial_runs_as_printed(tmp_path):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    env.pop("CONNECTOR_CLIENT_SECRET", None)
    background: list[subprocess.Popen] = []
    ran = []
    try:
        for step in docs_tutorial.steps():
            if step.kind == "file":
                (tmp_path / step.name).write_text(step.text, encoding="utf-8")
                continue
            for cmd in step.commands:
                ran.append(cmd.line)
                if cmd.line.endswith("&"):  # a service started in the background: wait until it listens
                    argv = shlex.split(cmd.line[:-1])
                    port = next(int(a) for a in argv if a.isdigit())
                    wait_for_port(port, up=False)  # another run of this test may still hold it
                    background.append(subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                                       stderr=subprocess.DEVNULL))
                    wait_for_port(port, up=True)
                    continue
                if cmd.line == "kill %1":
                    background.pop(0).terminate()
                    continue
                res = subprocess.run(shlex.split(cmd.line), cwd=tmp_path, env=env, capture_output=True, text=True,
                                     timeout=300)
                assert res.returncode == 0, f"$ {cmd.line}\n{res.stdout}\n{res.stderr}"
                printed = {normal(line) for line in res.stdout.splitlines()}
                for line in cmd.output:
                    assert normal(line) in printed, f"$ {cmd.line}: the tutorial shows {line!r}; it printed:\n" \
                                                    + res.stdout
    finally:
        for proc in background:
            proc.terminate()
            proc.wait(timeout=10)
    # not vacuous: every stage the tutorial promises was run
    for stage in ("connector build", "connector validate", "connector preview", "connector contract",
                  "connector deploy"):
        assert any(line.startswith(stage) for line in ran), stage
    assert "--dry-run" in next(line for line in ran if line.startswith("connector deploy"))
    assert (tmp_path / "build" / "preview" / "index.html").is_file()


def test_the_readme_tour_builds(tmp_path):
    """The README's 30-line tour declares a connector that the model accepts, builds and validates with 0
    errors and 0 warnings, through the CLI as a reader would run it."""
    from connector.generate.build import render
    from connector.model import ensure_valid, load_model

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "tasks.py").write_text(code, encoding="utf-8")
    connector = ensure_valid(load_model(tmp_path / "tasks.py"))
    assert [o.id for o in connector.operations] == ["CreateTask", "ListProjects"]
    assert "apiDefinition.swagger.json" in render(connector)
    cli = [str(Path(sys.executable).parent / "connector")]
    built = subprocess.run([*cli, "build", "--model", str(tmp_path / "tasks.py"), "--out", str(tmp_path / "out")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run([*cli, "validate", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 error(s), 0 warning(s)" in checked.stdout
