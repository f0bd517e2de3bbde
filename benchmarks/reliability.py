#!/usr/bin/env python3
"""Reliability of `connector mock`: durability under kill -9, a bounded load test, and memory under the
hostile inputs of issue #13. Everything runs through the CLI as users start it, on loopback.

    .venv/bin/python benchmarks/reliability.py [--rounds 5] [--writers 32] [--connections 200] [--duration 20]

1. Durability: ``--rounds`` times, ``--writers`` threads create group contacts as fast as the server answers;
   after 1-2 s the server gets SIGKILL (no shutdown at all). It is started again on the same database and
   every write that was acknowledged (a 200 with the contact's id) must be there: "lost" counts those that
   are not. Writes in flight at the kill were never acknowledged and may or may not be there.
2. Load: ``--connections`` keep-alive connections for ``--duration`` seconds with wrk (Debian's ``wrk``,
   installed with apt-get if missing), alternating GET /customers and POST /messages (each POST commits a
   message). Errors are socket errors plus answers other than 2xx; p99 from wrk's latency distribution; the
   server's RSS (VmRSS) before and after.
3. Hostile memory: the probe's inputs, unauthenticated: 400 distinct 1 MB bearer tokens, 2,000 distinct 4 KB
   forged tokens, and 20 chunked 32 MB uploads to /_mock/inbound and /oauth2/v2.0/token; then 2,000
   connections that send half a request head and wait (all must get 408 and be closed); RSS before and after.

The bar (issue #13): 0 acknowledged writes lost, 0 load errors, RSS growth under 50 MB, every slow head
closed. A table is printed
and written to build/bench/reliability.json; the exit code is 1 when the bar is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "build" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mock_vs_prism import ensure_wrk, free_port, run_wrk  # noqa: E402 - the same wrk runner and parser

REDIRECT = "http://127.0.0.1:9/cb"
RSS_BAR_MB = 50


class Mock:
    """`connector mock` as a user starts it, on a free port with its own database."""

    def __init__(self, db: Path, *args: str):
        self.db, self.args, self.port = db, list(args), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Mock":
        import httpx

        self.proc = subprocess.Popen([sys.executable, "-c", "from connector.cli import main; main()", "mock",
                                      "--port", str(self.port), "--db", str(self.db), "--rate-limit", "0",
                                      "--quiet", *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"reliability: the mock exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/_mock/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        sys.exit("reliability: the mock did not come up in 60 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def token(self) -> str:
        import httpx

        from connector.mock.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
        from connector.smartdialog import connector

        r = httpx.get(self.url + "/oauth2/v2.0/authorize", params={
            "client_id": DEFAULT_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
            "scope": connector.security.scope, "prompt": "none", "login_hint": "demo"})
        code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
        return httpx.post(self.url + "/oauth2/v2.0/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}).json()["access_token"]


# -- 1. durability -------------------------------------------------------------------------------------------
def durability(rounds: int, writers: int, tmp: Path) -> dict:
    import httpx

    from connector.smartdialog import connector

    db = tmp / "durability.db"
    mock = Mock(db).start()
    token = mock.token()
    acknowledged: list[str] = []
    in_flight_at_kill = 0
    counter = iter(range(10_000_000))
    lock = threading.Lock()
    per_round = []
    try:
        for n in range(rounds):
            stop = threading.Event()
            round_acks: list[str] = []
            failed = [0]  # requests cut by the kill: never acknowledged

            def write(url: str = mock.url) -> None:
                with httpx.Client(base_url=url + connector.base_path, timeout=10,
                                  headers={"Authorization": f"Bearer {token}"}) as client:
                    while not stop.is_set():
                        with lock:
                            phone = f"+35840{next(counter):07d}"
                        try:
                            r = client.post("/groupcontact/1001/5201", json={"phone": phone})
                            ok = r.status_code == 200
                        except httpx.HTTPError:
                            ok = False
                        with lock:
                            if ok:
                                round_acks.append(phone)
                            else:
                                failed[0] += 1
            threads = [threading.Thread(target=write) for _ in range(writers)]
            for t in threads:
                t.start()
            time.sleep(random.uniform(1.0, 2.0))
            stop.set()  # no new requests; the ones in flight meet the kill
            mock.kill()  # SIGKILL: no shutdown, no flush, no checkpoint
            for t in threads:
                t.join()
            in_flight_at_kill += failed[0]
            acknowledged += round_acks  # each got its 200 before the kill (the server was gone after it)
            mock = Mock(db).start()  # recovery is what a user's next start does
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                stored = {row[0] for row in conn.execute("SELECT phone FROM contacts WHERE service_id = '5201'")}
            lost = [p for p in acknowledged if p not in stored]
            per_round.append({"round": n + 1, "acknowledged": len(round_acks), "lost_so_far": len(lost)})
            print(f"  round {n + 1}: {len(round_acks)} acknowledged, {len(lost)} lost so far", file=sys.stderr)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            stored = {row[0] for row in conn.execute("SELECT phone FROM contacts WHERE service_id = '5201'")}
    finally:
        mock.stop()
    lost = [p for p in acknowledged if p not in stored]
    return {"rounds": rounds, "writers": writers, "acknowledged": len(acknowledged), "lost": len(lost),
            "lost_examples": lost[:5], "unacknowledged_at_kill": in_flight_at_kill, "per_round": per_round}


# -- 2. load -------------------------------------------------------------------------------------------------
def load(connections: int, duration: int, tmp: Path) -> dict:
    from connector.smartdialog import connector

    wrk = ensure_wrk()
    mock = Mock(tmp / "load.db").start()
    try:
        token = mock.token()
        base = mock.url + connector.base_path
        body = json.dumps({"Sender": "Bench", "Content": "Hello", "Protocol": "SMS",
                           "Recipients": [{"Address": "+358401234567"}]})
        BENCH.mkdir(parents=True, exist_ok=True)
        script = BENCH / "reliability.lua"
        script.write_text(f"""
local n = 0
local auth = {json.dumps("Bearer " + token)}
request = function()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("POST", "{connector.base_path}/messages",
      {{["Authorization"] = auth, ["Content-Type"] = "application/json", ["Customer-Id"] = "1001",
        ["Service-Id"] = "5001"}}, {json.dumps(body)})
  end
  return wrk.format("GET", "{connector.base_path}/customers", {{["Authorization"] = auth}})
end
""")
        run_wrk(wrk, base + "/customers", script, 2, min(connections, 32))  # warm-up
        before = mock.rss_mb()
        result = run_wrk(wrk, base + "/customers", script, duration, connections)
        after = mock.rss_mb()
    finally:
        mock.stop()
    errors = result["non_2xx"] + _socket_errors(result["socket_errors"])
    return {"connections": connections, "duration_s": duration, "requests": result["requests"],
            "rps": result["rps"], "p99_ms": result["p99_ms"], "errors": errors,
            "socket_errors": result["socket_errors"] or "none", "rss_before_mb": round(before, 1),
            "rss_after_mb": round(after, 1), "rss_growth_mb": round(after - before, 1)}


def _socket_errors(text: str) -> int:
    """wrk's "connect 0, read 0, write 0, timeout 0" as one number."""
    return sum(int(part.split()[-1]) for part in text.split(",") if part.strip()) if text else 0


# -- 3. hostile memory ---------------------------------------------------------------------------------------
def hostile(tmp: Path) -> dict:
    import httpx

    from connector.smartdialog import connector

    mock = Mock(tmp / "hostile.db").start()
    statuses: dict[str, int] = {}

    def seen(kind: str, status: int) -> None:
        key = f"{kind} {status}"
        statuses[key] = statuses.get(key, 0) + 1
    try:
        before = mock.rss_mb()
        url = mock.url + connector.base_path + "/customers"
        path = connector.base_path + "/customers"
        for i in range(400):  # raw: the server answers 431 and closes before a client library finishes sending
            seen("1 MB token", _send(mock.port, f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                     f"{i:04d}{'A' * 2 ** 20}\r\n\r\n".encode()))
        with httpx.Client(timeout=30) as client:
            for i in range(2000):
                seen("4 KB token", client.get(url, headers={"Authorization": f"Bearer {i:04d}" + "B" * 4000})
                     .status_code)
        for i in range(20):
            path = ("/_mock/inbound", "/oauth2/v2.0/token")[i % 2]
            seen(f"chunked 32 MB {path}", _chunked(mock.port, path, 32 * 2 ** 20))
        slow, closed_after = _slow_headers(mock.port, SLOW_CONNECTIONS)
        after = mock.rss_mb()
    finally:
        mock.stop()
    return {"rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
            "rss_growth_mb": round(after - before, 1), "answers": statuses,
            "slow_headers": {"connections": SLOW_CONNECTIONS, "answered_408_and_closed": slow,
                             "all_closed_after_s": closed_after}}


SLOW_CONNECTIONS = 2000


def _slow_headers(port: int, count: int) -> tuple[int, float]:
    """``count`` connections that send half a request head and wait: how many got 408 and were closed, and
    after how many seconds the last one was (the mock's --header-timeout is 5 s)."""
    import selectors

    started = time.monotonic()
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, bytearray())
        socks.append(s)
    got_408, open_ = 0, len(socks)
    while open_ and time.monotonic() - started < 65:  # the probe still saw 2,000 of 2,000 open after 65 s
        for key, _ in sel.select(timeout=1):
            data = key.fileobj.recv(4096)
            if data:
                key.data.extend(data)
                continue
            got_408 += key.data.startswith(b"HTTP/1.1 408 ")
            sel.unregister(key.fileobj)
            key.fileobj.close()
            open_ -= 1
    for s in socks:
        s.close()
    return got_408, round(time.monotonic() - started, 1)


def _chunked(port: int, path: str, total: int) -> int:
    chunk = b"x" * 65536
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n").encode()
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(total // len(chunk)))
    return _send(port, head, body)


def _send(port: int, head: bytes, body=()) -> int:
    """Send a request as raw bytes, stopping when the server closes; the status it answered (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(head)
            for part in body:
                s.sendall(part)
            s.sendall(b"0\r\n\r\n" if body else b"")
        except OSError:
            pass  # the server answered and closed the connection: it stopped reading
        answer = b""
        try:
            while not answer.count(b"\r\n"):
                part = s.recv(4096)
                if not part:
                    break
                answer += part
        except OSError:
            return 0
    return int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="connector-reliability-") as name:
        tmp = Path(name)
        print("durability: kill -9 under concurrent writers ...", file=sys.stderr)
        dur = durability(args.rounds, args.writers, tmp)
        print("load ...", file=sys.stderr)
        ld = load(args.connections, args.duration, tmp)
        print("hostile memory ...", file=sys.stderr)
        hs = hostile(tmp)
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / "reliability.json").write_text(json.dumps({"durability": dur, "load": ld, "hostile": hs}, indent=2))
    ok = dur["lost"] == 0 and ld["errors"] == 0 and ld["rss_growth_mb"] < RSS_BAR_MB \
        and hs["rss_growth_mb"] < RSS_BAR_MB and hs["slow_headers"]["answered_408_and_closed"] == SLOW_CONNECTIONS
    rows = [
        ("durability", f"{dur['rounds']} x kill -9 under {dur['writers']} writers",
         f"{dur['acknowledged']} acknowledged, {dur['lost']} lost ({dur['unacknowledged_at_kill']} in flight at "
         "the kills, never acknowledged)"),
        ("load", f"{ld['connections']} connections, {ld['duration_s']} s (wrk)",
         f"{ld['requests']} requests, {ld['rps']:.0f}/s, {ld['errors']} errors, p99 {ld['p99_ms']:.1f} ms, "
         f"RSS {ld['rss_before_mb']} -> {ld['rss_after_mb']} MB ({ld['rss_growth_mb']:+} MB)"),
        ("hostile", "400 x 1 MB + 2,000 x 4 KB forged tokens, 20 x 32 MB chunked",
         f"RSS {hs['rss_before_mb']} -> {hs['rss_after_mb']} MB ({hs['rss_growth_mb']:+} MB); "
         + ", ".join(f"{k}: {v}" for k, v in sorted(hs["answers"].items()))),
        ("slow heads", f"{SLOW_CONNECTIONS} connections sending half a request head",
         f"{hs['slow_headers']['answered_408_and_closed']} answered 408 and closed, the last after "
         f"{hs['slow_headers']['all_closed_after_s']} s"),
    ]
    width = max(len(r[1]) for r in rows)
    print(f"\n{'test':<11} {'what':<{width}}  result")
    for test, what, result in rows:
        print(f"{test:<11} {what:<{width}}  {result}")
    print(f"\nbar: 0 lost, 0 errors, RSS growth < {RSS_BAR_MB} MB, every slow head closed: "
          f"{'met' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
