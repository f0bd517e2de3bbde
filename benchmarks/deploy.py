"""Time `connector deploy` against the peer tool it wraps, the bare `paconn create/update`, both run against
the local stand-in (loopback, real paconn 0.0.21). Shows what deploy's checks, and its token refresh when the
access token has expired (what every CI run finds), cost on top of paconn.

    .venv/bin/python benchmarks/deploy.py [FOLDER] [--runs N]

FOLDER defaults to build/SmartDialog when it has settings.json, else the tests' fixture folder. Each row runs
N times (default 5, at most 20) and prints the median and the fastest wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from connector.deploy.runner import default_venv, ensure_paconn  # noqa: E402
from connector.testing.standin import StandIn  # noqa: E402

CONNECTOR = Path(sys.executable).with_name("connector")
BENCH_CLIENT_ID = "b3ac11e0-0000-4000-8000-00000000be9c"


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(1, min(args.runs, 20))
    paconn_python = ensure_paconn(default_venv(), echo=print)
    paconn = paconn_python.with_name("paconn")
    with tempfile.TemporaryDirectory() as tmp_name, StandIn() as standin:
        tmp = Path(tmp_name)
        source = args.folder or ROOT / "build" / "SmartDialog"
        if not (source / "settings.json").is_file():
            from deploy.conftest import make_fixture_folder
            source = make_fixture_folder(tmp / "fixture" / "SmartDialog")
        folder = tmp / "build" / source.name
        shutil.copytree(source, folder)
        home = tmp / "home"
        standin.write_token_file(home)
        env = {**os.environ, **standin.paconn_environment(home), "CONNECTOR_CLIENT_SECRET": "bench-secret",
               "CONNECTOR_PACONN_VENV": str(paconn_python.parent.parent), "PYTHONUTF8": "1"}
        envname = standin.default_environment
        # the peer: paconn on a folder prepared by hand (client id filled, stackOwner removed, settings written)
        bare = tmp / "bare"
        shutil.copytree(source, bare)
        props = json.loads((bare / "apiProperties.json").read_text())
        props["properties"].pop("stackOwner", None)
        props["properties"]["connectionParameters"]["token"]["oAuthSettings"]["clientId"] = BENCH_CLIENT_ID
        (bare / "apiProperties.json").write_text(json.dumps(props))
        settings = json.loads((source / "settings.json").read_text())
        settings.update(environment=envname, powerAppsUrl=standin.url)
        (bare / "settings.json").write_text(json.dumps(settings))
        deploy = [str(CONNECTOR), "deploy", str(folder), "--environment", envname, "--power-apps-url", standin.url,
                  "--client-id", BENCH_CLIENT_ID]
        paconn_create = [str(paconn), "create", "-s", "settings.json", "--secret", "bench-secret", "-w"]
        paconn_update = [str(paconn), "update", "-s", "settings.json", "--secret", "bench-secret"]
        def expire() -> None:  # an access token past its time, with a refresh token: what CI finds every run
            standin.write_token_file(home, expires_in=-60, refresh_token=True)

        rows = [  # (name, argv, working folder, before each run); the bare update runs on the connector the
            # bare create made last
            ("paconn create (bare)", paconn_create, bare, None),
            ("paconn update (bare)", paconn_update, bare, None),
            ("connector deploy --create --no-validate", deploy + ["--create", "--no-validate"], tmp, None),
            ("connector deploy --create", deploy + ["--create"], tmp, None),
            ("connector deploy (update, recorded id)", deploy, tmp, None),
            ("connector deploy (update, token refreshed first)", deploy, tmp, expire),
        ]
        results = {}
        for name, argv, cwd, before in rows:
            times = []
            for _ in range(runs):
                if before:
                    before()
                times.append(timed(argv, env, cwd))
            results[name] = times
        standin.write_token_file(home)
        print(f"\n{'what (stand-in on loopback, ' + str(runs) + ' runs)':48} {'median s':>9} {'fastest s':>10}")
        for name, times in results.items():
            print(f"{name:48} {statistics.median(times):9.3f} {min(times):10.3f}")
        print(f"\nthe stand-in received {len(standin.calls)} calls; {len(standin.connectors)} connectors created; "
              f"{len(standin.grants_of('refresh_token'))} refresh grants")


if __name__ == "__main__":
    main()
