"""One SQLite connection to the user database, its durability settings and transactions.

Durability: WAL with `synchronous=FULL`. In WAL mode `NORMAL` already survives a process
crash (SIGKILL: committed frames are in the OS page cache), but a power cut can roll back
the last transactions because the WAL is not fsynced at commit. FULL fsyncs the WAL on
every commit, so every change we acknowledge survives a power cut in a KTV room too (the
promise the queue and favorites make). The price is one fsync per user action: 0.1–3 ms
here (tests/bench/bench_storage.py), a few ms on a slow disk, invisible at the pace of taps.
Only the playback position, written every few seconds, opts into NORMAL: losing the last
seconds of position to a power cut is harmless, an fsync per tick is not. Any later FULL
commit syncs the WAL up to and including those frames.

Threading: one connection behind a re-entrant lock. Every call is a few indexed statements
(sub-ms reads, one fsync per write), so the UI thread may call it directly; the lock makes
calls from other threads safe, and WAL lets other processes read while we write.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ktvdesk.errors import StorageError, UserMessage
from ktvdesk.storage.messages import (
    BUSY,
    CANNOT_OPEN,
    NOT_A_DATABASE,
    WRITE_FAILED,
    storage_error,
)
from ktvdesk.storage.migrations import migrate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 2.0  # another ktvdesk process writing: wait briefly, then report "busy"
JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024  # truncate the WAL back to this after checkpoints


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def _map_sqlite_error(exc: sqlite3.Error, action: str, fallback: UserMessage, code: str) -> StorageError:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return storage_error(f"{action}: {text}", BUSY, "busy", retryable=True)
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "file is encrypted" in text
    ):
        return storage_error(f"{action}: {text}", NOT_A_DATABASE, "corrupt")
    return storage_error(f"{action}: {text}", fallback, code)


@contextmanager
def mapped_errors(action: str, fallback: UserMessage = WRITE_FAILED, code: str = "sqlite") -> Iterator[None]:
    """Turn sqlite3 errors into StorageError with a user message; keep the cause chained."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _map_sqlite_error(exc, action, fallback, code) from exc


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back without masking the error that got us here."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        log.error("rollback failed: %s", exc)


def configure(conn: sqlite3.Connection) -> None:
    """Per-connection settings; also used by tests that build databases at old versions."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000):d}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise storage_error(f"journal_mode WAL refused (got {mode!r})", CANNOT_OPEN, "no_wal")
    conn.execute("PRAGMA synchronous = FULL")
    # macOS: plain fsync does not flush the drive's cache; F_FULLFSYNC does. No-op elsewhere.
    conn.execute("PRAGMA fullfsync = ON")
    conn.execute("PRAGMA checkpoint_fullfsync = ON")
    conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT:d}")


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection (we issue BEGIN/COMMIT ourselves), usable from any thread."""
    return sqlite3.connect(
        os.fspath(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
    )


class Database:
    """The connection, the lock, transactions and the clock shared by the stores."""

    def __init__(self, path: str | os.PathLike[str], *, clock_ms: Callable[[], int] | None = None) -> None:
        self.path = Path(path)
        self.clock_ms = clock_ms or wall_clock_ms
        self._lock = threading.RLock()
        self._depth = 0
        self._synchronous_full = True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(f"cannot create {self.path.parent}: {exc}", CANNOT_OPEN, "open") from exc
        try:
            self._conn: sqlite3.Connection | None = connect(self.path)
        except sqlite3.Error as exc:
            raise storage_error(f"cannot open {self.path}: {exc}", CANNOT_OPEN, "open") from exc
        try:
            with mapped_errors(f"open {self.path}", CANNOT_OPEN, "open"):
                configure(self._conn)
                migrate(self._conn)
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                self._conn.execute("PRAGMA optimize")
            except sqlite3.Error as exc:  # closing must not fail because of a statistics hint
                log.debug("PRAGMA optimize failed: %s", exc)
            self._conn.close()
            self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise storage_error("the user database is closed", WRITE_FAILED, "closed")
        return self._conn

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outer one through a savepoint.

        `durable=False` (outermost only) commits with synchronous=NORMAL: survives a crash,
        may be lost to a power cut. Use it only for data that is rewritten continuously.
        """
        with self._lock, mapped_errors("write"):
            conn = self._connection()
            if self._depth:
                savepoint = f"sp{self._depth}"
                conn.execute(f"SAVEPOINT {savepoint}")
                self._depth += 1
                try:
                    yield conn
                except BaseException:
                    conn.execute(f"ROLLBACK TO {savepoint}")
                    conn.execute(f"RELEASE {savepoint}")
                    raise
                else:
                    conn.execute(f"RELEASE {savepoint}")
                finally:
                    self._depth -= 1
                return
            self._set_synchronous(conn, full=durable)
            # IMMEDIATE takes the write lock now, so a busy database fails before any work.
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield conn
                # Inside the try: a COMMIT that fails (disk full, I/O error) must not leave
                # the transaction open for the next caller to commit by accident.
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            finally:
                self._depth = 0

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (another process may be writing)."""
        with self._lock, mapped_errors("read"):
            conn = self._connection()
            if self._depth or conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _set_synchronous(self, conn: sqlite3.Connection, *, full: bool) -> None:
        if full != self._synchronous_full:
            conn.execute(f"PRAGMA synchronous = {'FULL' if full else 'NORMAL'}")
            self._synchronous_full = full

    # -- diagnostics -----------------------------------------------------------------------

    def integrity_check(self) -> str:
        with self.reading() as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)

    def foreign_key_violations(self) -> int:
        with self.reading() as conn:
            return len(conn.execute("PRAGMA foreign_key_check").fetchall())

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
