"""The mock's state: one SQLite file (or ``:memory:``), seeded from the fixture on first use.

Durability, precisely: the database runs in WAL mode with ``synchronous=NORMAL`` by default. Every write a
request makes is committed (``COMMIT`` returned) before the response is sent, so an acknowledged write
survives the server process being stopped or killed at any moment; what ``NORMAL`` gives up is only the
last transactions before a power cut or an operating-system crash (``--sync full`` fsyncs every commit and
closes that gap too, at a cost in throughput). The WAL is checkpointed into the main file by a background
thread every second and completely (TRUNCATE) on a graceful shutdown.

One connection serves the whole server, used only from the event-loop thread: the statements are
microseconds long, so running them inline is faster than any thread hop and serialises writes for free.
Concurrent requests share commits (group commit, see ``Store.tx``); no response leaves before its commit.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import yaml

from ..errors import UsageError

if TYPE_CHECKING:
    from .plugin import State

SCHEMA_VERSION = "1"
CHECKPOINT_EVERY = 1.0  # seconds between background WAL checkpoints

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT NOT NULL, password TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, ref TEXT,
  method TEXT, url TEXT, body BLOB, due REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending', last_error TEXT, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (status, due);
CREATE TABLE IF NOT EXISTS auth_codes (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL, user_id TEXT NOT NULL, expires REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0,
  challenge TEXT, challenge_method TEXT);
CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL,
  user_id TEXT NOT NULL, scopes TEXT NOT NULL, expires REAL NOT NULL, code_hash TEXT,
  revoked INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_by_code ON tokens (code_hash);
"""


def digest(secret: str) -> str:
    """Tokens and codes are stored as SHA-256 digests: the database file holds no usable credential."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1


def hash_password(password: str) -> str:
    """A fixture user's password as stored: ``scrypt$N$r$p$salt$key`` (hex), never the password itself."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def password_matches(stored: str, given: str) -> bool:
    """``given`` is the password ``stored`` (from ``hash_password``) was made from; compared in constant time."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or len(given) > 1024:
            return False
        computed = hashlib.scrypt(given.encode("utf-8", "replace"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                  p=int(p), dklen=len(key) // 2)
    except (ValueError, MemoryError):
        return False
    return secrets.compare_digest(computed.hex(), key)


class Store:
    def __init__(self, path: str, sync: str = "normal", state: "State | None" = None):
        self.state = state
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(f"PRAGMA synchronous={'FULL' if sync == 'full' else 'NORMAL'}")
            self.conn.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run in a thread, off the event loop
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.executescript(SCHEMA + (state.schema if state else ""))
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"--db {path}: cannot open it as an SQLite database ({exc}); pass another path "
                             "or delete the file.") from None
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        self._open = False  # a group-commit transaction is open
        self.version = 0  # counts units of writes (``tx``): a cache of reads is valid while it is unchanged
        self._commit_scheduled = False
        self._waiters: list[Any] = []  # futures (``durable``) and callbacks (``when_durable``) of the open commit
        self._checkpointer: threading.Thread | None = None

    # -- transactions ----------------------------------------------------------------------------------
    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One unit of writes. Inside a running event loop the units of concurrent requests share one SQLite
        transaction (group commit): each unit is a SAVEPOINT (an error rolls back that unit only) and the
        transaction commits on the loop's next turn; ``durable()`` waits for that commit, and the app awaits
        it before any response goes out. Outside a loop (seeding, tools) a unit commits at once."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self._open_unit()
        self.conn.execute("SAVEPOINT unit")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK TO unit")
            self.conn.execute("RELEASE unit")
            raise
        else:
            self.conn.execute("RELEASE unit")
        finally:
            self._depth = 0
            self._schedule_commit()

    def write(self, sql: str, *args: Any) -> sqlite3.Cursor:
        """One statement as one unit of writes (``tx``). A statement is atomic by itself, so it needs no
        savepoint: it commits with the units around it, or fails alone."""
        if self._depth:
            return self.conn.execute(sql, args)
        self._open_unit()
        try:
            return self.conn.execute(sql, args)
        finally:
            self._schedule_commit()

    def _open_unit(self) -> None:
        """A unit of writes begins: cached reads start again, and the group's transaction opens if needed."""
        self.version += 1  # readers that cache (the generic mock's record reads) start again
        if not self._open:
            self.conn.execute("BEGIN IMMEDIATE")
            self._open = True

    def _schedule_commit(self) -> None:
        if self._commit_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.commit()
            return
        self._commit_scheduled = True
        loop.call_soon(self.commit)

    def commit(self) -> None:
        self._commit_scheduled = False
        if not self._open:
            return
        waiters, self._waiters = self._waiters, []
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.version += 1  # the rolled-back writes were visible to readers before
            self._open = False
            _release(waiters, exc)
            return
        self._open = False
        _release(waiters, None)

    @property
    def pending(self) -> bool:
        """Writes are waiting for their commit."""
        return self._open

    def when_durable(self, callback: "Callable[[Exception | None], None]") -> None:
        """Call ``callback(None)`` once every write made so far is committed, ``callback(error)`` if the
        commit fails; at once when nothing is pending. (``durable`` for a caller that is not a coroutine.)"""
        if not self._open:
            callback(None)
        else:
            self._waiters.append(callback)

    async def durable(self) -> None:
        """Return once every write made so far is committed (at once when nothing is pending)."""
        if not self._open:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        return self.conn.execute(sql, args).fetchone()

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return self.conn.execute(sql, args).fetchall()

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else None

    def start_checkpointer(self) -> None:
        """Copy the WAL into the database file every second from a thread with its own connection, so the
        fsync a checkpoint needs never stalls the event loop (a passive checkpoint never blocks writers)."""
        if self.path == ":memory:" or self._checkpointer is not None:
            return
        self._stop_checkpoints = threading.Event()

        def work() -> None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            try:
                while not self._stop_checkpoints.wait(CHECKPOINT_EVERY):
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    except sqlite3.Error:
                        pass
            finally:
                conn.close()
        self._checkpointer = threading.Thread(target=work, name="connector-mock-checkpoint", daemon=True)
        self._checkpointer.start()

    def close(self) -> None:
        self.commit()
        if self._checkpointer is not None:
            self._stop_checkpoints.set()
            self._checkpointer.join(timeout=10)
            self._checkpointer = None
        try:
            if self.path != ":memory:":
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()

    # -- seeding ---------------------------------------------------------------------------------------
    def seed(self, fixture_path: Path | None, reset: bool = False) -> bool:
        """Fill a new database from the fixture. Returns True when it seeded, False when the database
        already held state (which is kept: that is what makes state survive restarts)."""
        if self.state is None:
            if fixture_path is not None:
                raise UsageError(f"--seed {fixture_path}: this connector's mock has no fixture format; leave "
                                 "--seed out.")
            return False
        path = Path(fixture_path) if fixture_path else self.state.default_fixture
        fixture, fingerprint = load_fixture(path, self.state)
        if reset:
            with self.tx() as c:
                for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                         "AND name NOT LIKE 'sqlite_%'").fetchall():
                    c.execute(f'DELETE FROM "{name}"')
        seeded = self.meta("fixture")
        if seeded is not None:
            if fixture_path is not None and seeded != fingerprint:
                raise UsageError(f"--db {self.path} was seeded from another fixture; add --reset to start it "
                                 f"again from {path}, or pass another --db.")
            with self.tx() as c:  # a database from before passwords were hashed: hash them now
                for user_id, password in c.execute("SELECT id, password FROM users WHERE password NOT LIKE "
                                                   "'scrypt$%'").fetchall():
                    c.execute("UPDATE users SET password = ? WHERE id = ?", (hash_password(password), user_id))
            return False
        with self.tx() as c:
            self.state.insert_fixture(c, fixture)
            c.execute("INSERT OR REPLACE INTO meta VALUES ('fixture', ?)", (fingerprint,))
            c.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        return True


def _release(waiters: list[Any], exc: Exception | None) -> None:
    for w in waiters:
        if isinstance(w, asyncio.Future):
            if not w.done():
                w.set_result(None) if exc is None else w.set_exception(exc)
            continue
        try:
            w(exc)
        except Exception:  # one waiter's failure (a closed connection) never stops the others
            import traceback

            traceback.print_exc()


def load_fixture(path: Path, state: "State") -> tuple[dict[str, Any], str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--seed {path}: cannot read it ({exc.strerror}).") from None
    try:
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise UsageError(f"{at}: not valid YAML: {getattr(exc, 'problem', exc)}.") from None
    problems = state.check_fixture(data)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise UsageError(f"{len(problems)} problem(s) in the fixture {path}:\n{listed}\n"
                         f"See {state.default_fixture} for the expected shape.")
    return data, hashlib.sha256(text.encode("utf-8")).hexdigest()
