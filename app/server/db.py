"""SQLite (WAL) access: one serialised writer whose transactions also log and publish events.

`with db.write() as tx:` is the only way to change data. Events emitted inside it are written to the
event log in the same transaction and handed to the hub after commit, still under the write lock, so
live delivery order always equals `seq` order.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from app.protocol.names import EPHEMERAL_EVENTS, Event
from app.server.realtime.audience import Audience

if TYPE_CHECKING:
    from app.server.realtime.hub import Hub

SCHEMA_VERSION = 1
SCHEMA = Path(__file__).with_name("schema.sql")


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class Pending:
    __slots__ = ("type", "data", "seq", "ts", "recipients")

    def __init__(self, type_: str, data: dict[str, Any], seq: int | None, ts: int, recipients: list[tuple[str, int]]):
        self.type, self.data, self.seq, self.ts, self.recipients = type_, data, seq, ts, recipients


class Tx:
    """One write transaction; `emit` logs an event for an explicit audience."""

    def __init__(self, conn: sqlite3.Connection, now: float):
        self.conn = conn
        self.now = now
        self.pending: list[Pending] = []
        self.after_commit: list[Any] = []

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def emit(self, event: Event, payload: BaseModel, audience: Audience) -> None:
        data = payload.model_dump(mode="json")
        ts = int(self.now * 1000)
        recipients = audience.resolve(self)
        seq = None
        if event not in EPHEMERAL_EVENTS:
            cur = self.conn.execute(
                "INSERT INTO events (type, audience_kind, audience_id, data, ts) VALUES (?, ?, ?, ?, ?)",
                (str(event), audience.kind, audience.id, json.dumps(data, separators=(",", ":")), ts),
            )
            seq = cur.lastrowid
        self.pending.append(Pending(str(event), data, seq, ts, recipients))


class Database:
    def __init__(self, path: str, hub: Hub, clock: Any):
        self.path = path
        self.hub = hub
        self.clock = clock
        self.lock = threading.RLock()
        self._writer = _connect(path)
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._migrate()

    def _migrate(self) -> None:
        version = self._writer.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            self._writer.executescript(SCHEMA.read_text(encoding="utf-8"))
            self._writer.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            raise RuntimeError(f"database schema {version} is newer than this server ({SCHEMA_VERSION})")

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self.lock:
            tx = Tx(self._writer, self.clock.now())
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")
            for item in tx.pending:
                self.hub.dispatch(item)
        for callback in tx.after_commit:
            callback()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = _connect(self.path)
        try:
            yield conn
        finally:
            if self._readers.qsize() < 16:
                self._readers.put(conn)
            else:
                conn.close()

    def head_seq(self) -> int:
        row = self._writer.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self._writer.close()
        while not self._readers.empty():
            self._readers.get_nowait().close()
