"""`connector mock --model` against Prism 5 on the corpus connectors of `contract_corpus.py`: answers to valid
requests, throughput and p99.

For each connector (imported with `connector import`, as in `contract_corpus.py`):

1. **Valid requests.** `connector mock --model` starts as `connector contract --model` starts it (the seed
   fixture, its own credentials) and the contract's derived scenarios run against it through the
   platform-like client (dropdowns opened, record ids carried, triggers registered and fired). Every API
   request they send is recorded, with its answer: these are requests the connector's definition allows.
   The same requests (same method, path, query, headers, body) then go to Prism 5 (`prism mock`) serving the
   same built swagger. The table gives each server's share of 4xx/5xx answers.
2. **Throughput and p99.** wrk (`-t1 -c16`) sends the first recorded `GET` that our mock answered 2xx (else
   the first 2xx request) to both, for `--duration` seconds each, after a warm-up.

    .venv/bin/python benchmarks/contract_prism.py [--lean] [--only NAME] [--duration 4]

Prism is installed with npm into build/bench/node_modules when missing, wrk with apt-get (see
`mock_vs_prism.py`). Results: the table on standard output and build/bench/contract_prism.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from contract_corpus import CONNECTORS, CORPUS, LEAN, connector_cmd  # noqa: E402
from mock_vs_prism import BENCH, ensure_prism, ensure_wrk, free_port, lua, run_wrk, stop, wait_up  # noqa: E402


@dataclass
class Recorded:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    status: int
    prism: int | None = None


@dataclass
class Result:
    name: str
    requests: list[Recorded] = field(default_factory=list)
    ours: dict | None = None
    theirs: dict | None = None
    probe: str = ""
    problem: str = ""


def record_valid_requests(model: Path) -> tuple[list[Recorded], object, object]:
    """Run the derived scenarios against a started mock, recording every API request and answer. Returns
    (the requests, the mock still running, the built folder); the caller stops the mock."""
    from connector.contract.client import PlatformClient
    from connector.contract.derive import seed_records
    from connector.contract.folder import ConnectorFolder
    from connector.contract.mockproc import MockServer
    from connector.contract.receiver import CallbackReceiver
    from connector.contract.runner import example, run_scenarios, scenario_set
    from connector.contract.session import (Options, build_mock_folder, make_auth, make_firer, mock_credentials,
                                            model_mock_args, write_fixture)
    from connector.contract.transport import DirectTransport

    recorded: list[Recorded] = []

    class Recording(DirectTransport):
        def send(self, request):  # noqa: ANN001, ANN201
            response = super().send(request)
            if request.operation_id is not None:
                recorded.append(Recorded(request.method, request.url, dict(request.headers), request.body,
                                         response.status))
            return response

    options = Options(model=model)
    credentials = mock_credentials(options)
    options = Options(model=model, **credentials)
    tmp = Path(tempfile.mkdtemp(prefix="contract-prism-"))
    mock = MockServer(rate_limit=0, extra=model_mock_args(model, credentials) + ["--quiet"])
    folder = ConnectorFolder.load(build_mock_folder(tmp / "connector", mock.url, model))
    records, memory = seed_records(folder, example)
    mock.args += ["--seed", str(write_fixture(tmp / "fixture.json", records, options.login_hint))]
    mock.start()
    with CallbackReceiver() as receiver:
        auth = make_auth(folder, options, mock, receiver)
        client = PlatformClient(folder, Recording(), auth=auth, receiver=receiver)
        scenarios, _ = scenario_set(folder, memory, make_firer(mock.url)).for_folder(folder)
        run_scenarios(client, scenarios, notification_timeout=3.0, quiet_period=0.3)
    return recorded, mock, folder


def prism_swagger(folder: object, out: Path) -> Path:
    """The built swagger with its paths carrying the basePath (Prism ignores basePath)."""
    doc = json.loads((folder.path / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    base = (doc.get("basePath") or "").rstrip("/")
    doc["paths"] = {base + p: item for p, item in (doc.get("paths") or {}).items()}
    doc["basePath"] = "/"
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def rebase(url: str, origin: str) -> str:
    parts, new = urlsplit(url), urlsplit(origin)
    return parts._replace(scheme=new.scheme, netloc=new.netloc).geturl()


def measure(name: str, work: Path, prism: Path, wrk: str, duration: int) -> Result:
    import httpx

    result = Result(name)
    module = work / re.sub(r"\W+", "_", name).strip("_").lower() / "model.py"
    imported = subprocess.run([*connector_cmd(), "import", str(CORPUS / name), "--out", str(module), "--force"],
                              capture_output=True, text=True, timeout=300)
    if imported.returncode != 0:
        result.problem = "import failed"
        return result
    procs: list[subprocess.Popen] = []
    mock = None
    try:
        recorded, mock, folder = record_valid_requests(module)
        result.requests = recorded
        pport = free_port()
        spec = prism_swagger(folder, work / f"{module.parent.name}.prism.json")
        proc = subprocess.Popen([str(prism), "mock", "-h", "127.0.0.1", "-p", str(pport), "-v", "error", str(spec)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        purl = f"http://127.0.0.1:{pport}"
        wait_up(purl + "/", proc)
        with httpx.Client(timeout=10.0, trust_env=False) as http:
            for r in recorded:
                headers = {k: v for k, v in r.headers.items() if k.lower() not in ("host", "content-length")}
                try:
                    answer = http.request(r.method, rebase(r.url, purl), headers=headers, content=r.body)
                    r.prism = answer.status_code
                except httpx.HTTPError:
                    r.prism = 599
        probe = next((r for r in recorded if r.method == "GET" and 200 <= r.status < 300), None) or \
            next((r for r in recorded if 200 <= r.status < 300), None)
        if probe is not None:
            headers = {k: v for k, v in probe.headers.items()
                       if k.lower() not in ("host", "content-length", "accept-encoding", "connection")}
            script = lua(f"probe_{module.parent.name}", probe.method, headers,
                         probe.body.decode("utf-8") if probe.body else None)
            result.probe = f"{probe.method} {urlsplit(probe.url).path}"
            for url, slot in ((probe.url, "ours"), (rebase(probe.url, purl), "theirs")):
                run_wrk(wrk, url, script, 1, 16)  # warm-up
                setattr(result, slot, run_wrk(wrk, url, script, duration, 16))
    except Exception as exc:  # a benchmark row, not a crash of the whole run
        result.problem = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        for p in procs:
            stop(p)
        if mock is not None:
            mock.stop()
    return result


def share(rows: list[Recorded], key: str) -> tuple[int, int]:
    bad = sum(1 for r in rows if (getattr(r, key) or 0) >= 400)
    return bad, len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lean", action="store_true", help="Only the subset CI runs in contract_corpus.py.")
    ap.add_argument("--only", action="append", default=[], help="Only this corpus connector (repeatable).")
    ap.add_argument("--duration", type=int, default=4, help="wrk seconds per server and connector (default 4).")
    args = ap.parse_args()
    names = [n for n, _ in CONNECTORS if (not args.lean or n in LEAN) and (not args.only or Path(n).name in args.only)]
    BENCH.mkdir(parents=True, exist_ok=True)
    wrk, prism = ensure_wrk(), ensure_prism()
    results: list[Result] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="contract-prism-") as tmp:
        for name in names:
            res = measure(name, Path(tmp), prism, wrk, args.duration)
            results.append(res)
            ours, theirs = share(res.requests, "status"), share(res.requests, "prism")
            print(f"{Path(name).name:40} valid requests {ours[1]:3}: 4xx/5xx ours {ours[0]:3}, Prism {theirs[0]:3}"
                  + (f"; {res.probe}: {res.ours['rps']:.0f} vs {res.theirs['rps']:.0f} req/s, p99 "
                     f"{res.ours['p99_ms']:.1f} vs {res.theirs['p99_ms']:.1f} ms" if res.ours and res.theirs else "")
                  + (f"  [{res.problem}]" if res.problem else ""), file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    load = os.getloadavg()[0]
    print(f"\nwrk -t1 -c16 -d{args.duration}s per server on loopback, one run each after a 1 s warm-up; "
          f"{os.cpu_count()} CPU(s), load average {load:.1f}; {elapsed:.0f} s in all\n")
    print("| connector | valid requests | 4xx/5xx ours | 4xx/5xx Prism | request measured | req/s ours | req/s Prism "
          "| ratio | p99 ms ours | p99 ms Prism | non-2xx under load ours / Prism |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    tot = {"n": 0, "ours": 0, "prism": 0}
    ratios = []
    for res in results:
        ours, theirs = share(res.requests, "status"), share(res.requests, "prism")
        tot["n"] += ours[1]
        tot["ours"] += ours[0]
        tot["prism"] += theirs[0]
        if res.ours and res.theirs:
            ratio = res.ours["rps"] / res.theirs["rps"] if res.theirs["rps"] else float("inf")
            ratios.append((ratio, res.ours["p99_ms"] < res.theirs["p99_ms"]))
            perf = (f"`{res.probe}` | {res.ours['rps']:.0f} | {res.theirs['rps']:.0f} | {ratio:.1f}x | "
                    f"{res.ours['p99_ms']:.1f} | {res.theirs['p99_ms']:.1f} | {res.ours['non_2xx']} / "
                    f"{res.theirs['non_2xx']}")
        else:
            perf = f"{res.problem or 'no 2xx request'} | | | | | |"
        print(f"| {Path(res.name).name} | {ours[1]} | {ours[0]} | {theirs[0]} | {perf} |")
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "-"  # noqa: E731
    print(f"\nvalid requests: {tot['n']}; 4xx/5xx answers: ours {tot['ours']} ({pct(tot['ours'], tot['n'])}), "
          f"Prism {tot['prism']} ({pct(tot['prism'], tot['n'])})")
    if ratios:
        ordered = sorted(r for r, _ in ratios)
        print(f"throughput ratio (ours / Prism): median {ordered[len(ordered) // 2]:.1f}x, min {ordered[0]:.1f}x; "
              f">= 3x on {sum(r >= 3 for r, _ in ratios)} of {len(ratios)}; p99 lower on "
              f"{sum(low for _, low in ratios)} of {len(ratios)}")
    (BENCH / "contract_prism.json").write_text(json.dumps([{
        "connector": r.name, "requests": len(r.requests), "ours_4xx5xx": share(r.requests, "status")[0],
        "prism_4xx5xx": share(r.requests, "prism")[0], "probe": r.probe, "ours": r.ours, "prism": r.theirs,
        "problem": r.problem, "answers": [(x.method, urlsplit(x.url).path, x.status, x.prism) for x in r.requests],
    } for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
