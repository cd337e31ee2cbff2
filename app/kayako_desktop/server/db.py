"""SQLite (WAL) access: one serialised writer whose transactions also log and publish events.

`with db.write() as tx:` is the only way to change data. Events emitted inside it are written to the
event log in the same transaction and published on the event bus after commit, still under the write lock
(realtime/bus.py), so live delivery order always equals `seq` order.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import EVENT_MODELS
from kayako_desktop.protocol.names import EPHEMERAL_EVENTS, Event
from kayako_desktop.server import schema
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.realtime.audience import (
    SESSION,
    SESSION_REVOKED,
    VISITOR_BLOCKED,
    Audience,
    session_hash,
)
from kayako_desktop.server.realtime.bus import EventBus, LocalBus
from kayako_desktop.server.storage import APPLICATION_ID, check_health, check_ours, explain, inspect_file

if TYPE_CHECKING:
    from kayako_desktop.server.realtime.hub import Hub

log = logging.getLogger(__name__)
DISK_FULL = "The chat server's disk is full; messages can't be saved right now"
# A full disk is one episode (one ERROR in the log) until writes have gone this long without a refusal: small
# updates that fit in existing pages may succeed in between, and must not flap the log.
FULL_QUIET_SECONDS = 60.0
# How long a write waits for another process's write lock before it fails.
BUSY_WAIT_SECONDS = 30.0
# How long emptying the WAL may wait for readers before trying again a little later.
TRUNCATE_WAIT_MS = 100


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


Params = Sequence[Any] | dict[str, Any]


class Row(Protocol):
    """A result row, by column name or position: sqlite3.Row, or pg.py's rows on PostgreSQL."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """What a statement returns on either database. (No rowcount: in a PostgreSQL write transaction's pipeline
    it is unknown until something waits for the answer; a statement that must report what it changed says
    RETURNING.)"""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Reader(Protocol):
    """What reads need: a write transaction (Tx) or a read connection (Database.read) alike."""

    def execute(self, sql: str, params: Params = ..., /) -> Cursor: ...


def set_meta(db: Reader, key: str, value: str) -> None:
    """Keep `value` under `key` in the meta table (a write transaction's statement, either database)."""
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               (key, value))


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id an INSERT gave its row."""
    if cur.lastrowid is None:
        raise LookupError("the statement inserted no row")
    return cur.lastrowid


class Lookup(Protocol):
    """Row lookups by SQL (Tx, or a read connection wrapped by queries.events)."""

    def one(self, sql: str, params: Params = ...) -> Row | None: ...

    def all(self, sql: str, params: Params = ...) -> list[Row]: ...


class Pending:
    __slots__ = ("type", "data", "seq", "ts", "recipients")

    def __init__(self, type_: str, data: dict[str, Any], seq: int | None, ts: int, recipients: list[tuple[str, int]]):
        self.type, self.data, self.seq, self.ts, self.recipients = type_, data, seq, ts, recipients


class Tx:
    """One write transaction; `emit` logs an event for an explicit audience."""

    dialect = "sqlite"

    def __init__(self, conn: Reader, now: float):
        self.conn = conn
        self.now = now
        self.pending: list[Pending] = []
        self.after_commit: list[Any] = []

    def execute(self, sql: str, params: Params = (), /) -> Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Params = ()) -> Row:
        """The one row a statement must find (a missing one is a bug, not a user's mistake)."""
        row: Row | None = self.conn.execute(sql, params).fetchone()
        if row is None:
            raise LookupError(f"no row for {sql[:80]!r}")
        return row

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the one row an aggregate (COUNT, MAX ...) returns."""
        return self.row(sql, params)[0]

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` key; the id it gave the new row."""
        row = self.conn.execute(sql + " RETURNING id", params).fetchone()
        if row is None:
            raise LookupError("the statement inserted no row")
        return int(row[0])

    def insert_row(self, sql: str, params: Params = ()) -> Row:
        """Run an INSERT; the whole row it made (defaults included), without reading it back."""
        row: Row | None = self.conn.execute(sql + " RETURNING *", params).fetchone()
        if row is None:
            raise LookupError("the statement inserted no row")
        return row

    def insert_event(self, type_: str, kind: str, audience_id: int | None, data: str, ts: int) -> int:
        """Append to the event log; its seq (SQLite: AUTOINCREMENT under the single writer, so no holes)."""
        cur = self.conn.execute(
            "INSERT INTO events (type, audience_kind, audience_id, data, ts) VALUES (?, ?, ?, ?, ?)",
            (type_, kind, audience_id, data, ts),
        )
        return inserted_id(cur)  # type: ignore[arg-type]

    def revoke_session(self, session_id: str) -> None:
        """Log that this agent session ended (logout, password change, disabling): after COMMIT every node
        closes its sockets with 4401 — from the bus, or from the log when the bus lost the message. Logged
        like an event (with a `seq`) but never sent to any client; the log keeps only the session's hash."""
        self._control(SESSION_REVOKED, {"session": session_hash(session_id)})

    def block_visitor(self, visitor_id: int) -> None:
        """Log that this visitor may no longer chat (a ban): after COMMIT every node closes their sockets with
        4403, as for a revoked session."""
        self._control(VISITOR_BLOCKED, {"visitor": visitor_id})

    def _control(self, type_: str, data: dict[str, Any]) -> None:
        """An item for every node's hub, logged with a seq like an event, never sent to a client."""
        ts = int(self.now * 1000)
        seq = self.insert_event(type_, SESSION, None, json.dumps(data, separators=(",", ":")), ts)
        self.pending.append(Pending(type_, data, seq, ts, []))

    def emit(self, event: Event, payload: BaseModel, audience: Audience) -> None:
        expected = EVENT_MODELS[event]
        if type(payload) is not expected:  # a programming error: clients validate each event by its model
            raise TypeError(f"{event} carries {expected.__name__}, not {type(payload).__name__}")
        data = payload.model_dump(mode="json")
        ts = int(self.now * 1000)
        recipients = audience.resolve(self)
        seq = None
        if event not in EPHEMERAL_EVENTS:
            seq = self.insert_event(str(event), audience.kind, audience.id, json.dumps(data, separators=(",", ":")), ts)
        self.pending.append(Pending(str(event), data, seq, ts, recipients))


def _native_thread() -> tuple[Any, Any, Any]:
    """start_new_thread, sleep and allocate_lock of the OS, even under gevent's monkey patching: a
    checkpoint must run beside the event loop, not in it."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("threading"):
            return (monkey.get_original("_thread", "start_new_thread"), monkey.get_original("time", "sleep"),
                    monkey.get_original("_thread", "allocate_lock"))
    except ImportError:
        pass
    import _thread
    import time

    return _thread.start_new_thread, time.sleep, _thread.allocate_lock


def _off_loop(call: Any) -> Any:
    """Run a blocking SQLite call in gevent's thread pool when gevent runs the server (the event loop keeps
    serving sockets while it waits); a plain call otherwise."""
    try:
        from gevent import get_hub, monkey

        if monkey.is_module_patched("threading"):
            return get_hub().threadpool.apply(call)
    except ImportError:
        pass
    return call()


def _is_full(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)


class ShuttingDown(RuntimeError):
    """A write asked for after close() began: the server is stopping and records nothing more."""


class Database:
    dialect = "sqlite"

    def __init__(self, path: str, hub: Hub, clock: Any, wal_limit: int = 16 * 1024 * 1024, migrate: bool = False):
        """`migrate`: bring an older schema revision up to date at start (else refuse it; server/schema.py)."""
        self.path = path
        self.migrate = migrate
        self.schema_state = ""  # "created", "current", "adopted" or "upgraded from NNNN" once open
        self.hub = hub
        self.bus: EventBus = LocalBus(hub)  # Services installs the Redis bus on a cluster node
        self.clock = clock
        self.wal_limit = wal_limit
        self.lock = threading.RLock()
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._closing = False
        self._checkpointer_done: Any = None
        self._full_at: float | None = None  # monotonic time of the last write a full disk refused
        self._truncate_at = wal_limit  # the WAL size past which a commit empties it
        # A callable given every SQL statement run (tests count queries with it). Statements arrive with their
        # values bound, session ids and token hashes included: never send them to a log.
        self.tracer: Any = None
        db = Path(path)
        created = inspect_file(db)
        if created:
            self._create(db)
        writer: sqlite3.Connection | None = None
        try:
            writer = self._writer = _connect(path)
            empty = check_ours(writer, db)
            check_health(writer, db)
            self._migrate(empty)
            if created or empty:
                self.schema_state = "created"
        except BaseException as exc:
            if writer is not None:
                writer.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise explain(exc, db) from exc
            raise
        # A checkpoint that resets the log also cuts the file back to this size.
        self._writer.execute(f"PRAGMA journal_size_limit = {int(wal_limit)}")

    @staticmethod
    def _create(db: Path) -> None:
        """A new database, complete before it takes the real name (a crash leaves no half-made file)."""
        tmp = db.with_name(db.name + ".new")
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
        schema.upgrade(str(tmp))
        conn = _connect(str(tmp))
        try:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        os.replace(tmp, db)

    @property
    def wal_path(self) -> str:
        return self.path + "-wal"

    def wal_size(self) -> int:
        try:
            return os.path.getsize(self.wal_path)
        except OSError:
            return 0

    def start_checkpointer(self, period: float = 0.5) -> None:
        """Move WAL checkpoints out of COMMIT into a native thread. SQLite's automatic checkpoint copies
        pages and fsyncs inside whichever commit crosses the threshold, freezing every socket of a gevent
        worker for milliseconds (measured: p99 delivery 7–10 ms with it, ~5 ms without).

        These PASSIVE checkpoints never block anyone, but under steady traffic they never catch up with
        the writer, so SQLite never starts the log over and it grows without end (measured: 74 KB a
        message, 218 MB after 3,000). `write()` therefore empties it past `wal_limit` (`_written`)."""
        self._writer.execute("PRAGMA wal_autocheckpoint=0")
        start, sleep, allocate_lock = _native_thread()
        done = allocate_lock()
        done.acquire()
        self._checkpointer_done = done

        def loop() -> None:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            try:
                while not self._closing:
                    sleep(period)
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    except sqlite3.Error:  # busy or closing: the next round catches up
                        pass
            finally:
                conn.close()
                done.release()

        start(loop, ())

    def _truncate_wal(self) -> bool:
        """Checkpoint everything and empty the log, from the writer under the write lock: no writer to
        wait for, only readers (at most TRUNCATE_WAIT_MS). True when the log was emptied."""
        self._writer.execute(f"PRAGMA busy_timeout={TRUNCATE_WAIT_MS}")
        try:
            busy = self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error:  # the background checkpoint holds it right now
            busy = 1
        finally:
            self._writer.execute("PRAGMA busy_timeout=30000")
        return not busy

    def _migrate(self, empty: bool) -> None:
        if empty:  # a valid SQLite file with nothing in it (made by hand): nothing to lose
            schema.upgrade(self.path)
        else:
            self.schema_state = schema.ensure(self._writer, self.path, migrate=self.migrate)
        if self._writer.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self._writer.execute(f"PRAGMA application_id={APPLICATION_ID}")  # databases made before the mark

    def storage_full(self) -> ApiError:
        """The error for a write the full disk refused; logged once per episode, not per request."""
        if self._full_at is None:
            log.error("disk full: %s (or its directory) has no space left; writes are refused with "
                      "507 STORAGE_FULL until space is freed", self.path)
        self._full_at = time.monotonic()
        return ApiError(ErrorCode.STORAGE_FULL, DISK_FULL)

    def _written(self) -> None:
        if self._full_at is not None and time.monotonic() - self._full_at >= FULL_QUIET_SECONDS:
            self._full_at = None
            log.warning("disk space is back: writes to %s succeed again", self.path)
        size = self.wal_size()  # a stat() per commit: about a microsecond
        if size > self._truncate_at:  # other writers wait on the lock meanwhile; sockets keep flowing
            emptied = _off_loop(self._truncate_wal)
            self._truncate_at = self.wal_limit if emptied else size + 1024 * 1024  # a long reader: a bit later

    def _begin(self) -> None:
        """BEGIN IMMEDIATE. Another process (a cluster node on the same file, `server backup`) may hold the
        write lock: SQLite's own busy wait would sleep in C and freeze every socket of a gevent worker, so
        the wait happens here instead, in short cooperative sleeps (time.sleep yields under gevent)."""
        self._writer.execute("PRAGMA busy_timeout=0")
        try:
            delay, deadline = 0.0005, time.monotonic() + BUSY_WAIT_SECONDS
            while True:
                try:
                    self._writer.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(delay)
                delay = min(delay * 2, 0.01)
        finally:
            self._writer.execute("PRAGMA busy_timeout=30000")

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self.lock:
            if self._closing:
                raise ShuttingDown("the chat server is stopping")
            self._writer.set_trace_callback(self.tracer)
            tx = Tx(self._writer, self.clock.now())
            try:
                self._begin()
                try:
                    yield tx
                    self._writer.execute("COMMIT")
                except BaseException:
                    if self._writer.in_transaction:  # SQLITE_FULL may have rolled it back already
                        self._writer.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                if _is_full(exc):
                    raise self.storage_full() from exc
                raise
            self.bus.publish(tx.pending)
            self._written()  # after delivery: a checkpoint it may run must not delay these events
        for callback in tx.after_commit:
            callback()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = _connect(self.path)
        conn.set_trace_callback(self.tracer)
        try:
            yield conn
        finally:
            if self._readers.qsize() < 16:
                self._readers.put(conn)
            else:
                conn.close()

    def session_exists(self, session_id: str | None) -> bool:
        """Read on the writer, under the write lock: no logout can commit between this and what follows."""
        return bool(session_id) and self._writer.execute(
            "SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    @staticmethod
    def _head(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        return int(row[0]) if row else 0

    def head_seq(self) -> int:
        """The last event's seq, on the writer (callers hold the write lock)."""
        return self._head(self._writer)

    def committed_head(self) -> int:
        """The last committed event's seq, read outside the writer (safe from any thread, any process)."""
        with self.read() as conn:
            return self._head(conn)

    def close(self) -> None:
        self._closing = True
        if self._checkpointer_done is not None:  # let the checkpoint thread finish before SQLite goes away
            self._checkpointer_done.acquire(True, 5)
            self._checkpointer_done = None
        with self.lock:  # never close the writer under a transaction in progress
            try:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:  # another connection is busy: the WAL is checkpointed on next open
                pass
            self._writer.close()
        while not self._readers.empty():
            self._readers.get_nowait().close()
