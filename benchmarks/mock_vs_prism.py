#!/usr/bin/env python3
"""Throughput and p99 latency: `connector mock` vs Prism (@stoplight/prism-cli), same requests, same swagger.

    .venv/bin/python benchmarks/mock_vs_prism.py [--duration 10] [--connections 32]

What runs, all on loopback, one at a time, each for a bounded time:
- our mock (`connector mock`, uvicorn + httptools + uvloop, one process) with authentication, scope checks,
  throttling (limit raised so that it never trips, the counter still runs), request validation, SQLite state
  (every POST commits a message and its recipients) and the JSON request log written to a file;
- Prism 5 `prism mock` serving the generated swagger (paths prefixed with the basePath so both servers get
  byte-identical requests; Prism ignores the swagger's basePath), log level `error` (its fastest);
- a bare hello-world Starlette app, and the same answer from a plain ASGI function, on the same uvicorn: the
  ceilings (our mock answers API calls from a plain ASGI function too, so it can beat the Starlette one).
The load generator is wrk (Debian's `wrk`, installed with apt-get if missing) with a Lua script per request
kind. Prism is installed with npm into build/bench/node_modules if missing. Results: a table on standard
output and build/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "build" / "bench"
PRISM = BENCH / "node_modules" / ".bin" / "prism"
sys.path.insert(0, str(ROOT))

HELLO_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def hello(request):
    return JSONResponse({"hello": "world"})

app = Starlette(routes=[Route("/", hello)])


async def raw(scope, receive, send):  # the same answer with no framework at all: uvicorn's own ceiling
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"17")]})
    await send({"type": "http.response.body", "body": b'{"hello":"world"}'})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("benchmark: installing wrk (apt-get install -y wrk)", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("benchmark: wrk is not available")


def ensure_prism() -> Path:
    if not PRISM.exists():
        print("benchmark: installing @stoplight/prism-cli into build/bench (npm)", file=sys.stderr)
        BENCH.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--silent",
                        "@stoplight/prism-cli@5"], check=True)
    return PRISM


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"benchmark: {proc.args[:3]} exited early with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    sys.exit(f"benchmark: {url} did not come up")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def lua(name: str, method: str, headers: dict[str, str], body: str | None = None) -> Path:
    lines = [f'wrk.method = "{method}"']
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = {json.dumps(v)}')
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    path = BENCH / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def run_wrk(wrk: str, url: str, script: Path | None, duration: int, connections: int) -> dict[str, float]:
    cmd = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    p99 = float(m.group(1)) * _UNIT[m.group(2)]
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p99_ms": p99, "requests": total, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1).strip() if errors else ""}


def median(samples: list[dict]) -> dict:
    """The run with the median throughput (its own p99 with it), plus every run's figures."""
    ordered = sorted(samples, key=lambda r: r["rps"])
    mid = dict(ordered[len(ordered) // 2])
    mid["runs"] = [{"rps": r["rps"], "p99_ms": r["p99_ms"]} for r in samples]
    mid["non_2xx"] = sum(r["non_2xx"] for r in samples)
    return mid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=8, help="seconds per measured run (default 8)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="measured runs per server and request, alternating servers; the median is reported "
                         "(default 3: the machine is shared, single runs are noisy)")
    ap.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per server and request (default 3)")
    ap.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    args = ap.parse_args()
    BENCH.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    prism = ensure_prism()

    from connector.mock.app import mock_swagger
    from connector.mock.config import Settings
    from connector.smartdialog import connector

    base = connector.base_path
    procs: list[subprocess.Popen] = []
    results: list[dict] = []
    try:
        # -- our mock -----------------------------------------------------------------------------------
        mport = free_port()
        db = BENCH / "mock.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        mock = subprocess.Popen([sys.executable, "-c", "from connector.cli import main; main()", "mock",
                                 "--port", str(mport), "--db", str(db), "--rate-limit", "1000000000",
                                 "--log-file", str(BENCH / "mock.log")], stderr=subprocess.DEVNULL)
        procs.append(mock)
        murl = f"http://127.0.0.1:{mport}"
        wait_up(murl + "/_mock/health", mock)
        import httpx

        settings = Settings(port=mport)
        redirect = "http://127.0.0.1:9/cb"
        r = httpx.get(murl + "/oauth2/v2.0/authorize", params={
            "client_id": settings.client_id, "redirect_uri": redirect, "response_type": "code",
            "scope": connector.security.scope, "prompt": "none", "login_hint": "demo"})
        code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
        token = httpx.post(murl + "/oauth2/v2.0/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
            "client_id": settings.client_id, "client_secret": settings.client_secret}).json()["access_token"]

        # -- Prism on the same swagger, paths carrying the basePath ----------------------------------------
        pport = free_port()
        doc = mock_swagger(connector, Settings(port=pport))
        doc["paths"] = {base + p: item for p, item in doc["paths"].items()}
        doc["basePath"] = "/"
        spec = BENCH / "prism.swagger.json"
        spec.write_text(json.dumps(doc, indent=2))
        prism_proc = subprocess.Popen([str(prism), "mock", "-h", "127.0.0.1", "-p", str(pport), "-v", "error",
                                       str(spec)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(prism_proc)
        purl = f"http://127.0.0.1:{pport}"
        wait_up(purl + base + "/phonenumberregions", prism_proc)

        # -- the ceiling: hello world on the same uvicorn ------------------------------------------------------
        hport = free_port()
        (BENCH / "hello_app.py").write_text(textwrap.dedent(HELLO_APP))
        hello = subprocess.Popen([sys.executable, "-m", "uvicorn", "hello_app:app", "--app-dir", str(BENCH),
                                  "--port", str(hport), "--loop", "uvloop", "--http", "httptools",
                                  "--no-access-log", "--log-level", "warning"], stderr=subprocess.DEVNULL)
        procs.append(hello)
        hurl = f"http://127.0.0.1:{hport}"
        wait_up(hurl + "/", hello)
        rport = free_port()
        raw = subprocess.Popen([sys.executable, "-m", "uvicorn", "hello_app:raw", "--app-dir", str(BENCH),
                                "--port", str(rport), "--loop", "uvloop", "--http", "httptools",
                                "--no-access-log", "--log-level", "warning"], stderr=subprocess.DEVNULL)
        procs.append(raw)
        rurl = f"http://127.0.0.1:{rport}"
        wait_up(rurl + "/", raw)

        auth = {"Authorization": f"Bearer {token}"}
        message = json.dumps({"Sender": "DemoCo", "Content": "Benchmark message with a few words in it.",
                              "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"},
                                                                {"Address": "+358407654321"}]})
        scenarios = [
            ("GET /customers (auth, fixture cache)", base + "/customers", lua("get_customers", "GET", auth)),
            ("GET /whatsapp/templates/1001 (auth + SQLite read)", base + "/whatsapp/templates/1001",
             lua("get_templates", "GET", auth)),
            ("POST /messages (auth + validation + SQLite write)", base + "/messages",
             lua("post_messages", "POST", {**auth, "Content-Type": "application/json", "Customer-Id": "1001",
                                           "Service-Id": "5001"}, message)),
        ]
        runs = [("connector mock", murl), ("Prism 5", purl)]
        for label, path, script in scenarios:
            samples: dict[str, list[dict]] = {name: [] for name, _ in runs}
            for name, url in runs:
                run_wrk(wrk, url + path, script, args.warmup, args.connections)  # warm-up (JIT, caches)
            for i in range(args.repeat):
                for name, url in runs:
                    res = run_wrk(wrk, url + path, script, args.duration, args.connections)
                    samples[name].append(res)
                    print(f"  run {i + 1}/{args.repeat} {name:15} {label}: {res['rps']:.0f} req/s, "
                          f"p99 {res['p99_ms']:.2f} ms", file=sys.stderr)
            for name, _ in runs:
                results.append({"server": name, "request": label, **median(samples[name])})
        run_wrk(wrk, hurl + "/", None, args.warmup, args.connections)
        ceiling = [run_wrk(wrk, hurl + "/", None, args.duration, args.connections) for _ in range(args.repeat)]
        results.append({"server": "bare Starlette", "request": "GET / (hello world, ceiling)", **median(ceiling)})
        run_wrk(wrk, rurl + "/", None, args.warmup, args.connections)
        ceiling = [run_wrk(wrk, rurl + "/", None, args.duration, args.connections) for _ in range(args.repeat)]
        results.append({"server": "bare ASGI", "request": "GET / (hello world, ceiling)", **median(ceiling)})
    finally:
        for p in procs:
            stop(p)

    # -- report -----------------------------------------------------------------------------------------
    load = os.getloadavg()[0]
    print(f"\nwrk -t1 -c{args.connections} -d{args.duration}s on loopback, median of {args.repeat} runs, "
          f"{os.cpu_count()} CPU(s), load average {load:.1f}; one server process each\n")
    header = f"{'request':52} {'server':16} {'req/s':>9} {'p99 ms':>8} {'non-2xx':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['request']:52} {r['server']:16} {r['rps']:9.0f} {r['p99_ms']:8.2f} {r['non_2xx']:8d}")
    print()
    for label, *_ in scenarios:
        ours = next(r for r in results if r["request"] == label and r["server"] == "connector mock")
        theirs = next(r for r in results if r["request"] == label and r["server"] == "Prism 5")
        ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
        verdict = "meets" if ratio >= 3 and ours["p99_ms"] < theirs["p99_ms"] else "MISSES"
        print(f"{label}: {ratio:.1f}x Prism's throughput, p99 {ours['p99_ms']:.2f} vs {theirs['p99_ms']:.2f} ms "
              f"-> {verdict} the goal (>= 3x, lower p99)")
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
