"""How long `connector contract` takes, phase by phase, with our scenarios next to schemathesis (the peer
tool the same run uses) on the same mock: wall time, HTTP requests and requests per second.

    .venv/bin/python benchmarks/contract_timing.py [RUNS]

Each run starts a fresh `connector mock` (high rate limit), builds the mock profile, signs in through OAuth,
compiles script.csx, runs every scenario through the platform-like client, then schemathesis with every
default check against a second fresh mock. The table shows the median of RUNS (default 3).
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_run() -> dict[str, float]:
    from connector.contract.client import PlatformClient
    from connector.contract.folder import ConnectorFolder
    from connector.contract.fuzz import run_schemathesis
    from connector.contract.mockproc import MockServer
    from connector.contract.receiver import CallbackReceiver
    from connector.contract.runner import run_scenarios, scenario_set
    from connector.contract.script import transport_for
    from connector.contract.session import (FUZZ_RATE_LIMIT, INBOUND_PATH, SCENARIO_RATE_LIMIT, Options,
                                            build_mock_folder, make_auth, make_injector)
    from connector.contract.transport import DirectTransport

    t: dict[str, float] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, CallbackReceiver() as receiver:
        mark = time.perf_counter()
        with MockServer(rate_limit=SCENARIO_RATE_LIMIT) as mock:
            t["mock start"] = time.perf_counter() - mark
            mark = time.perf_counter()
            folder = ConnectorFolder.load(build_mock_folder(Path(tmp) / "SmartDialog", mock.url))
            t["build --profile mock"] = time.perf_counter() - mark
            mark = time.perf_counter()
            auth = make_auth(folder, Options(), mock, receiver)
            auth.token()
            t["OAuth sign-in"] = time.perf_counter() - mark
            mark = time.perf_counter()
            client = PlatformClient(folder, transport_for(folder, DirectTransport()), auth=auth, receiver=receiver)
            t["script.csx compile (mcs)"] = time.perf_counter() - mark
            mark = time.perf_counter()
            scenarios, _ = scenario_set(folder).for_folder(folder)
            outcomes = run_scenarios(client, scenarios, make_injector(mock.url + INBOUND_PATH))
            t["scenarios"] = time.perf_counter() - mark
            t["scenario requests"] = len(client.calls)
            t["scenarios failed"] = sum(not o.ok for o in outcomes)
            client.close()
        with MockServer(rate_limit=FUZZ_RATE_LIMIT) as target:
            token = make_auth(folder, Options(), target, receiver).token()
            base = f"{target.url}{folder.swagger.get('basePath', '')}"
            result = run_schemathesis(folder.path / "apiDefinition.swagger.json", base, token)
            t["schemathesis"] = result.seconds
            found = re.search(r"(\d+) generated", result.output)
            t["schemathesis requests"] = float(found.group(1)) if found else float("nan")
            t["schemathesis failures"] = result.failures + result.errors
    t["total"] = time.perf_counter() - start
    return t


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = [one_run() for _ in range(runs)]
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(f"connector contract, median of {runs} run(s) on this machine\n")
    print(f"| {'phase':28} | {'seconds':>8} |")
    print(f"|{'-' * 30}|{'-' * 10}|")
    for k in ("mock start", "build --profile mock", "OAuth sign-in", "script.csx compile (mcs)", "scenarios",
              "schemathesis", "total"):
        print(f"| {k:28} | {med[k]:8.2f} |")
    print()
    print(f"| {'side by side':28} | {'requests':>8} | {'seconds':>8} | {'req/s':>7} | {'failures':>8} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 10}|")
    for name, req, sec, fail in (("our scenarios (via script)", "scenario requests", "scenarios", "scenarios failed"),
                                 ("schemathesis (all checks)", "schemathesis requests", "schemathesis",
                                  "schemathesis failures")):
        print(f"| {name:28} | {med[req]:8.0f} | {med[sec]:8.2f} | {med[req] / med[sec]:7.0f} | {med[fail]:8.0f} |")


if __name__ == "__main__":
    main()
