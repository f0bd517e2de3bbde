"""Background work kept in the database (an outbox): webhook deliveries, delivery reports (DLR) and
scheduled sends. A job is written in the same transaction as the state change that causes it, so an
acknowledged request never loses its callbacks; a job interrupted by a shutdown stays ``pending`` and runs
when the server starts again. Failed HTTP callbacks are retried with exponential backoff
(``callback_backoff`` seconds, doubled per attempt) up to ``callback_attempts`` attempts in all.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any, Awaitable, Callable

import httpx

from .config import Settings
from .store import Store

Local = Callable[[dict[str, Any]], None]


class JobRunner:
    def __init__(self, settings: Settings, store: Store, log: Callable[[dict[str, Any]], None]):
        self.settings = settings
        self.store = store
        self.log = log
        self.local: dict[str, Local] = {}  # kind -> function run in-process (no HTTP), e.g. scheduled sends
        self._wake = asyncio.Event()
        self._running: dict[int, asyncio.Task] = {}
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._client: httpx.AsyncClient | None = None

    # -- producing -------------------------------------------------------------------------------------
    def add(self, kind: str, *, due: float | None = None, method: str | None = None, url: str | None = None,
            body: bytes | None = None, ref: str | None = None) -> None:
        """Queue a job inside the caller's transaction; ``notify`` once it is committed."""
        self.store.conn.execute(
            "INSERT INTO jobs (kind, ref, method, url, body, due, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, ref, method, url, body, due if due is not None else time.time(), time.time()))

    def notify(self) -> None:
        self._wake.set()

    # -- running ---------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.settings.callback_timeout, follow_redirects=False,
                                         trust_env=False)
        self._task = asyncio.create_task(self._loop(), name="connector-mock-jobs")

    async def stop(self, grace: float = 5.0) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await asyncio.wait([self._task], timeout=grace)
        if self._running:
            _done, pending = await asyncio.wait(list(self._running.values()), timeout=grace)
            for task in pending:  # the job stays 'pending' in the database: it runs at the next start
                task.cancel()
        if self._client is not None:
            await self._client.aclose()

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            now = time.time()
            wait = 1.0
            try:
                busy = list(self._running) or [-1]
                marks = ",".join("?" * len(busy))
                rows = self.store.all(f"SELECT * FROM jobs WHERE status = 'pending' AND due <= ? AND id NOT IN "
                                      f"({marks}) ORDER BY due LIMIT 64", now, *busy)
                for row in rows:
                    job = dict(row)
                    self._running[job["id"]] = asyncio.create_task(self._run(job))
                nxt = self.store.one(f"SELECT MIN(due) AS due FROM jobs WHERE status = 'pending' AND id NOT IN "
                                     f"({marks})", *busy)
                if nxt is not None and nxt["due"] is not None:
                    wait = max(0.0, min(wait, nxt["due"] - time.time()))
            except Exception as exc:  # never let the loop die on a database hiccup
                print(f"connector mock: job loop error: {exc!r}", file=sys.stderr)
            if wait > 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), wait)
                except asyncio.TimeoutError:
                    pass

    async def _run(self, job: dict[str, Any]) -> None:
        started = time.perf_counter()
        error: str | None = None
        status_code: int | None = None
        try:
            if job["kind"] in self.local:
                with self.store.tx():
                    self.local[job["kind"]](job)
                    self._finish(job, "done", None)
                self.notify()
                return
            reason = self.settings.callback_allowed(job["url"] or "")
            if reason is not None:
                self._finish(job, "failed", reason)
                return
            assert self._client is not None
            headers = {"User-Agent": "connector-mock"}
            if job["body"] is not None:
                headers["Content-Type"] = "application/json"
            response = await self._client.request(job["method"] or "GET", job["url"], content=job["body"],
                                                  headers=headers)
            status_code = response.status_code
            if 200 <= status_code < 300:
                self._finish(job, "done", None)
            else:
                error = f"HTTP {status_code}"
        except asyncio.CancelledError:
            raise
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug in a local job: record it, do not retry forever
            error = f"{type(exc).__name__}: {exc}"
            self._finish(job, "failed", error)
            error = None
        finally:
            self._running.pop(job["id"], None)
        if error is not None:
            attempts = job["attempts"] + 1
            if attempts >= self.settings.callback_attempts:
                self._finish(job, "failed", error, attempts)
            else:
                delay = self.settings.callback_backoff * (2 ** (attempts - 1))
                with self.store.tx() as c:
                    c.execute("UPDATE jobs SET attempts = ?, due = ?, last_error = ?, updated = ? WHERE id = ?",
                              (attempts, time.time() + delay, error, time.time(), job["id"]))
                self.notify()
        if job["kind"] not in self.local:
            self.log({"event": "callback", "kind": job["kind"], "job": job["id"], "method": job["method"],
                      "status": status_code, "error": error, "attempt": job["attempts"] + 1,
                      "ms": round((time.perf_counter() - started) * 1000, 2)})

    def _finish(self, job: dict[str, Any], status: str, error: str | None, attempts: int | None = None) -> None:
        with self.store.tx() as c:
            c.execute("UPDATE jobs SET status = ?, attempts = ?, last_error = ?, updated = ? WHERE id = ?",
                      (status, attempts if attempts is not None else job["attempts"] + 1, error, time.time(),
                       job["id"]))


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


__all__ = ["JobRunner", "json_bytes", "Awaitable"]
