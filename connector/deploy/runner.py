"""The real paconn, in a virtual environment of its own, run without prompts and without a secret on any
command line.

paconn 0.0.21 pins old packages (knack 0.5, azure-storage-blob 2.1, adal), so it lives in a virtual environment
of its own in the user's cache directory, one per paconn version (``~/.cache/connector/paconn-0.0.21`` on
Linux, ``~/Library/Caches/connector/paconn-0.0.21`` on macOS, ``%LOCALAPPDATA%\\connector\\Cache\\paconn-0.0.21``
on Windows; ``$CONNECTOR_PACONN_VENV`` overrides), created from PyPI on first use and shared by every
checkout and working directory. It is started through a few lines of Python
(:data:`LAUNCHER`) that read the OAuth client secret from the environment and hand it to paconn as
``--secret`` inside the process: the secret never appears in a process list, a shell history or an echoed
command line (those show ``--secret ******``). Standard input is closed, so a question paconn might ask
fails at once instead of hanging CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import ConnectorError

PACONN_REQUIREMENT = "paconn==0.0.21"  # also the `paconn` optional group in pyproject.toml (a test checks)
VENV_ENV = "CONNECTOR_PACONN_VENV"
SECRET_ENV = "CONNECTOR_CLIENT_SECRET"
MASK = "******"
STAMP = ".connector-paconn"
TIMEOUT = 600  # seconds; paconn sets no timeout on its HTTP calls

# Runs inside the paconn environment. `--secret-from-env NAME` becomes `--secret <value of NAME>`.
LAUNCHER = """\
import os, sys
args = sys.argv[1:]
if "--secret-from-env" in args:
    i = args.index("--secret-from-env")
    value = os.environ.get(args[i + 1], "")
    del args[i:i + 2]
    if value:
        args += ["--secret", value]
sys.argv = ["paconn"] + args
from paconn.__main__ import main
main()
"""


def default_venv() -> Path:
    """``$CONNECTOR_PACONN_VENV``, else ``<user cache dir>/connector/paconn-<version>``."""
    override = os.environ.get(VENV_ENV)
    if override:
        return Path(override).expanduser().absolute()
    import platformdirs

    version = PACONN_REQUIREMENT.split("==")[1]
    return Path(platformdirs.user_cache_dir("connector", appauthor=False)) / f"paconn-{version}"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    proc = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('paconn'))"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return proc.stdout.strip() if proc.returncode == 0 else None


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes creating the same environment (test workers, make -j)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no concurrent creation guard
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_paconn(venv: Path | None = None, echo: Callable[[str], None] = lambda s: None) -> Path:
    """The python of an environment holding paconn 0.0.21; creates it (venv + pip from PyPI) when missing."""
    venv = (venv or default_venv()).absolute()
    python = venv_python(venv)
    stamp = venv / STAMP
    wanted = PACONN_REQUIREMENT.split("==")[1]
    if stamp.is_file() and stamp.read_text().strip() == PACONN_REQUIREMENT and python.exists():
        return python
    with _lock(venv.with_name(venv.name + ".lock")):
        if stamp.is_file() and stamp.read_text().strip() == PACONN_REQUIREMENT and python.exists():
            return python
        if installed_version(python) == wanted:  # an environment someone prepared: use it as it is
            stamp.write_text(PACONN_REQUIREMENT + "\n")
            return python
        echo(f"deploy: installing {PACONN_REQUIREMENT} into {venv} (once)")
        steps = ([] if python.exists() else [[sys.executable, "-m", "venv", str(venv)]]) + [
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", PACONN_REQUIREMENT]]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
                raise ConnectorError(
                    f"could not install {PACONN_REQUIREMENT} into {venv}:\n{tail}\n"
                    f"Check access to PyPI, or point {VENV_ENV} at an environment where "
                    f"`pip install {PACONN_REQUIREMENT}` was done.")
        if installed_version(python) != wanted:
            raise ConnectorError(f"{venv} does not hold {PACONN_REQUIREMENT} after installing it; "
                                 f"remove the folder and run again.")
        stamp.write_text(PACONN_REQUIREMENT + "\n")
    return python


def mask(text: str, hidden: list[str]) -> str:
    """``text`` with every non-empty value of ``hidden`` replaced by ******."""
    for value in sorted((h for h in hidden if h), key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


@dataclass
class PaconnResult:
    command: str  # as shown to people: `paconn create -s settings.json -w --secret ******`
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return (self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr).strip()

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def summarize(output: str) -> list[str]:
    """paconn's output for people: lines of a Python traceback (knack prints one for unexpected errors) are
    folded into the exception line that ends it."""
    lines, in_traceback = [], False
    for line in output.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
            continue
        if in_traceback:
            if line.startswith((" ", "\t")) or not line.strip() or line.startswith("During handling") \
                    or line.startswith("The above exception"):
                continue
            in_traceback = False
        if line.strip():
            lines.append(line)
    return lines


def shown_command(args: list[str], secret: str | None) -> str:
    """The command line as people see it: the secret, when there is one, as ``--secret ******``."""
    return " ".join(["paconn", *args] + (["--secret", MASK] if secret else []))


def run_paconn(python: Path, args: list[str], *, cwd: Path, env: dict[str, str], secret: str | None = None,
               hidden: list[str] = (), timeout: int = TIMEOUT) -> PaconnResult:
    """Run ``paconn ARGS`` in ``cwd`` with ``env``; ``secret`` reaches paconn as ``--secret`` without being on
    any command line. Every value in ``secret`` and ``hidden`` is masked in what comes back."""
    env = dict(env)
    env["PYTHONUTF8"] = "1"  # paconn reads files with the platform encoding: make that UTF-8 everywhere
    env["PYTHONIOENCODING"] = "utf-8"
    shown = shown_command(args, secret)
    argv = list(args)
    if secret:
        env[SECRET_ENV] = secret
        argv += ["--secret-from-env", SECRET_ENV]
    masked = [secret or "", *hidden]
    try:
        proc = subprocess.run([str(python), "-P", "-c", LAUNCHER, *argv], cwd=cwd, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                              encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        raise ConnectorError(f"`{shown}` did not finish within {timeout} s; is the Power Platform "
                             f"endpoint reachable from here?") from None
    return PaconnResult(shown, proc.returncode, mask(proc.stdout, masked), mask(proc.stderr, masked))


if __name__ == "__main__":  # `python -m connector.deploy.runner`: create the environment (the Makefile does)
    print(ensure_paconn(echo=print))
