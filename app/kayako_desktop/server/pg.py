"""PostgreSQL access (psycopg 3), with the interface of db.Database: the same statements, the same
transactions, the same event log — for a team server whose nodes share one PostgreSQL (CHAT_DATABASE_URL).

- Statements are this package's portable SQL with `?` parameters (SQLite's style); they reach PostgreSQL as
  `%s`. A Python bool is sent as 0/1, as SQLite stores it (flags are INTEGER columns on both).
- Rows answer by name and by position (`row["id"]`, `row[0]`, `dict(row)`), like sqlite3.Row.
- Writes are serialised cluster-wide: every write transaction first takes one transaction-scoped advisory
  lock, so one transaction changes chat data at a time on all nodes, as SQLite's single writer does. That
  keeps the event log's order the commit order and lets each event take `seq` = the last one + 1 inside
  the transaction — never a hole, never a number a rolled-back transaction burnt (a BIGSERIAL would).
- Because that lock is held for every round trip of the transaction, a write transaction runs in psycopg's
  pipeline mode: only a statement whose result is read waits for PostgreSQL (a visitor's message: 8 round
  trips for 12 statements). An error surfaces at the next read or at COMMIT, and rolls the whole transaction
  back as before; nothing may read `rowcount` (say RETURNING).
- A node's sockets learn of other nodes' events over Redis (realtime/bus.py); the log fills any gap.
- Connections: one writer and at most `pool` readers per process (CHAT_DATABASE_POOL, default 16), opened
  on demand and kept; a read finding all of them busy waits up to POOL_WAIT seconds for one (then 503).
  So a node never holds more than pool + 1 connections: size PostgreSQL's max_connections for every node.
  A connection that failed is replaced (a restarted PostgreSQL costs the statements in flight, not the node).
- Under gevent (the server's gunicorn worker), psycopg's own wait for its socket (poll through gevent's
  hub, even when the socket is ready) is replaced by `wait_cooperatively`: a real non-blocking poll first, the
  hub only when PostgreSQL has not answered yet. A visitor's message then costs 1.80–1.96 CPU ms instead of
  2.20–2.28 and holds the write lock 1.98–2.16 ms instead of 2.41–2.50 (`bench/commit.py --database
  postgresql --gevent`, three runs each, interleaved).
"""

from __future__ import annotations

import logging
import queue
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import waiting
from psycopg.abc import PQGen
from psycopg.rows import RowMaker

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.db import Params, ShuttingDown, Tx
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.realtime.bus import EventBus, LocalBus
from kayako_desktop.server.schema import SchemaError, head, revisions, shown

if TYPE_CHECKING:
    from kayako_desktop.server.realtime.hub import Hub

log = logging.getLogger(__name__)

WRITE_LOCK = 0x4B444331  # the advisory lock every write transaction holds ("KDC1", as SQLite's application_id)
# The last event's seq; after the log was pruned empty, the last pruned one (seq never goes back).
HEAD = ("SELECT GREATEST(COALESCE((SELECT MAX(seq) FROM events), 0), "
        "COALESCE((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'pruned_through'), 0))")
# A write transaction's start, in one round trip: the lock, then the head of the event log under it.
BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}); {HEAD}"
POOL_WAIT = 10.0  # seconds a read waits for a free connection when all of the pool's are busy
CONNECT_TIMEOUT = 10

_POLL_MASKS = {waiting.WAIT_R: select.POLLIN, waiting.WAIT_W: select.POLLOUT,
               waiting.WAIT_RW: select.POLLIN | select.POLLOUT}
_POLL_BAD = select.POLLERR | select.POLLHUP | select.POLLNVAL
_READY = {(False, False): waiting.READY_NONE, (True, False): waiting.READY_R, (False, True): waiting.READY_W,
          (True, True): waiting.READY_RW}  # (readable, writable)
# Under gevent (cooperate_with_gevent): the operating system's poll, and gevent's waits for each psycopg state.
_gevent: tuple[Callable[[], Any], dict[waiting.Wait, Callable[..., Any]]] | None = None
_translated: dict[str, str] = {}
_row_classes: dict[tuple[str, ...], type[tuple[Any, ...]]] = {}


def translate(sql: str) -> str:
    """`?` parameters as psycopg's `%s` (a literal % doubled). The package's statements hold no `?` inside
    string literals."""
    found = _translated.get(sql)
    if found is None:
        found = _translated[sql] = sql.replace("%", "%%").replace("?", "%s")
    return found


def wait_cooperatively(gen: PQGen[Any], fileno: int, interval: float = 0.0, timeout: float | None = None) -> Any:
    """psycopg's `waiting.wait` for a gevent process: the socket is polled without blocking first (the
    operating system's poll, not gevent's), and only when it is not ready yet does the greenlet wait in
    gevent's hub, so other greenlets run meanwhile. psycopg's own choice under gevent goes through the hub
    every time, though a pipelined statement's socket is almost always writable at once. `interval` and
    `timeout` mean what they mean to psycopg's wait functions. `cooperate_with_gevent` installs it."""
    if _gevent is None:
        raise RuntimeError("wait_cooperatively needs gevent: cooperate_with_gevent() installs it")
    os_poll, waiters = _gevent
    deadline = time.monotonic() + timeout if timeout is not None else None
    try:
        state = next(gen)
        poller = os_poll()
        poller.register(fileno, _POLL_MASKS[state])
        while True:
            events = poller.poll(0)
            if not events:
                wait_for = interval if interval > 0 else None
                if deadline is not None:
                    left = max(deadline - time.monotonic(), 0.0)
                    wait_for = left if wait_for is None else min(wait_for, left)
                try:
                    waiters[state](fileno, timeout=wait_for)
                except TimeoutError:
                    state = gen.send(waiting.READY_NONE)
                    poller.modify(fileno, _POLL_MASKS[state])
                    if deadline is not None and time.monotonic() >= deadline:
                        raise psycopg.errors._WaitTimeout("wait timeout expired") from None
                continue
            found = events[0][1]
            ready = _READY[(bool(found & select.POLLIN), bool(found & select.POLLOUT))]
            if ready == waiting.READY_NONE and found & _POLL_BAD:
                raise psycopg.OperationalError("connection socket closed")
            state = gen.send(ready)
            poller.modify(fileno, _POLL_MASKS[state])
    except StopIteration as done:
        return done.value


def cooperate_with_gevent() -> bool:
    """Use `wait_cooperatively` for every psycopg connection of this process when gevent has patched it (the
    gunicorn gevent worker patches before it builds the app). True when it does."""
    global _gevent
    monkey = sys.modules.get("gevent.monkey")
    if monkey is None or not monkey.is_module_patched("select"):
        return False
    from gevent.socket import wait_read, wait_readwrite, wait_write

    _gevent = (monkey.get_original("select", "poll"),
               {waiting.WAIT_R: wait_read, waiting.WAIT_W: wait_write, waiting.WAIT_RW: wait_readwrite})
    waiting.wait = wait_cooperatively
    return True


def _row_class(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    cls = _row_classes.get(names)
    if cls is None:
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            index.setdefault(name, i)  # a name twice (a join's `*`): the first, as sqlite3.Row answers

        class Row(tuple[Any, ...]):
            __slots__ = ()

            def __getitem__(self, key: Any) -> Any:
                return tuple.__getitem__(self, index[key] if isinstance(key, str) else key)

            def keys(self) -> list[str]:
                return list(names)

        cls = _row_classes[names] = Row
    return cls


def _rows(cursor: Any) -> RowMaker[Any]:
    result = cursor.pgresult  # the column names straight from the result (cursor.description builds a Column
    if result is None or not result.nfields:  # object per column: a tenth of a message's client CPU)
        return tuple
    return _row_class(tuple(result.fname(i).decode() for i in range(result.nfields)))


def _values(params: Params) -> Params:
    if isinstance(params, dict):
        return params
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


class Connection:
    """A psycopg connection that takes the package's statements (what Tx and the queries call)."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.tracer: Callable[[str], object] | None = None

    def execute(self, sql: str, params: Params = (), /) -> Any:
        if self.tracer is not None:
            self.tracer(sql)
        return self.conn.execute(translate(sql), _values(params))

    def pipeline(self) -> AbstractContextManager[psycopg.Pipeline]:
        """psycopg's pipeline mode on this connection (module docstring: why write transactions use it)."""
        return self.conn.pipeline()

    @property
    def usable(self) -> bool:
        return not self.conn.closed and not self.conn.broken

    def close(self) -> None:
        self.conn.close()


class PgTx(Tx):
    """A write transaction on PostgreSQL: events take seq = the last + 1 (writes are serialised; `head` is the
    log's head read under the write lock when the transaction began)."""

    dialect = "postgresql"

    def __init__(self, conn: Any, now: float, head: int) -> None:
        super().__init__(conn, now)
        self._seq = head

    def insert_event(self, type_: str, kind: str, audience_id: int | None, data: str, ts: int) -> int:
        self._seq += 1  # nothing to read back: in the transaction's pipeline the row goes out without a wait
        self.conn.execute("INSERT INTO events (seq, type, audience_kind, audience_id, data, ts) VALUES (?, ?, ?, ?, ?, ?)",
                          (self._seq, type_, kind, audience_id, data, ts))
        return self._seq


def head_of(conn: Any) -> int:
    return int(conn.execute(HEAD).fetchone()[0])


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, hub: Hub, clock: Any, pool: int = 16) -> None:
        from kayako_desktop.server.schema import database_url

        self.url = url
        self.path = shown(url)  # what messages name (never the password)
        self._dsn = database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
        self.hub = hub
        self.bus: EventBus = LocalBus(hub)
        self.clock = clock
        self.lock = threading.RLock()
        self.tracer: Any = None
        self._readers: queue.LifoQueue[Connection] = queue.LifoQueue()
        self._pool = pool
        self._slots = threading.BoundedSemaphore(pool)  # one per reader connection in use
        self._depth = threading.local()  # reads this thread (greenlet, under gevent) holds open
        self._closing = False
        self._down_since: float | None = None  # monotonic time the database was found unreachable
        self._outage_lock = threading.Lock()
        cooperate_with_gevent()
        self._writer = self._connect()
        self.schema_state = self._check_schema()

    def _connect(self) -> Connection:
        try:
            conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT, row_factory=_rows)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchemaError(f"cannot reach the database at {self.path}: {reason}") from None
        return Connection(conn)

    def _open(self) -> Connection:
        """A new connection while serving: an unreachable database is the client's 503, not a crash."""
        try:
            return self._connect()
        except SchemaError as exc:
            raise self._unavailable(exc) from None

    def _unavailable(self, exc: BaseException) -> ApiError:
        """The error for a request the lost database failed; one ERROR line per outage, not per request."""
        with self._outage_lock:
            if self._down_since is None:
                self._down_since = time.monotonic()
                log.error("database unreachable: %s (%s); requests answer 503 DATABASE_UNAVAILABLE until it is "
                          "back", self.path, str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
        return ApiError(ErrorCode.DATABASE_UNAVAILABLE, "The chat server cannot reach its database right now; "
                        "nothing was changed. Try again in a moment.")

    def _reachable(self) -> None:
        if self._down_since is not None:
            with self._outage_lock:
                if self._down_since is not None:
                    log.warning("database reachable again: %s (after %.0f s)", self.path,
                                time.monotonic() - self._down_since)
                    self._down_since = None

    def _check_schema(self) -> str:
        """The database must be at this code's revision: `kayako-desktop server migrate --database-url` makes
        and upgrades it (an operator's deliberate step, after a backup); anything else is refused."""
        conn = self._writer
        exists = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]
        recorded = conn.execute("SELECT version_num FROM alembic_version").fetchone() if exists else None
        fix = f"run `kayako-desktop server migrate --database-url {self.path}`"
        if recorded is None:
            raise SchemaError(f"{self.path} holds no chat schema: {fix} first (it creates the tables).")
        revision = str(recorded[0])
        if revision == head():
            return "current"
        if revision not in revisions():
            raise SchemaError(f"{self.path} is at schema revision {revision}, newer than this server knows (newest: "
                              f"{head()}): it was upgraded by a newer Kayako Desktop. Run that version.")
        raise SchemaError(f"{self.path} is at schema revision {revision}; this server needs {head()}. Back it up "
                          f"(pg_dump), then {fix}.")

    def storage_full(self) -> ApiError:
        log.error("the database at %s refused a write for lack of space", self.path)
        return ApiError(ErrorCode.STORAGE_FULL, "The chat server's database is full; messages can't be saved right now")

    def start_checkpointer(self, period: float = 0.5) -> None:
        """Nothing to do: PostgreSQL checkpoints by itself."""

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self.lock:
            if self._closing:
                raise ShuttingDown("the chat server is stopping")
            tx = self._begin()
            writer = self._writer
            try:
                try:
                    with writer.pipeline():  # only what is read waits (module docstring)
                        yield tx
                        writer.execute("COMMIT")
                except BaseException:
                    if writer.usable:
                        writer.execute("ROLLBACK")
                    raise
            except psycopg.errors.DiskFull as exc:
                raise self.storage_full() from exc
            except psycopg.OperationalError as exc:  # the connection died mid-transaction: nothing was applied
                raise self._unavailable(exc) from exc
            self.bus.publish(tx.pending)
        for callback in tx.after_commit:
            callback()

    def _begin(self) -> PgTx:
        """BEGIN and the write lock, on a live connection: one broken by a database restart is replaced (a
        BEGIN that failed changed nothing, so it is safe to try once more on a new connection)."""
        for attempt in (1, 2):
            if not self._writer.usable:
                self._writer = self._open()
            self._writer.tracer = self.tracer
            try:
                cur = self._writer.execute(BEGIN)  # one round trip for the three (the simple query protocol)
                while cur.nextset():  # BEGIN's result, the lock's, then the head's
                    pass
                head = int(cur.fetchone()[0])
            except psycopg.OperationalError as exc:
                self._writer.close()
                if attempt == 2:
                    raise self._unavailable(exc) from exc
                continue
            self._reachable()
            return PgTx(self._writer, self.clock.now(), head)
        raise AssertionError("unreachable")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        depth = getattr(self._depth, "n", 0)  # a read inside a read (same thread or greenlet) takes no new slot:
        if depth == 0 and not self._slots.acquire(timeout=POOL_WAIT):  # waiting for one could deadlock
            log.warning("database pool: all %d connections stayed busy for %.0f s (raise CHAT_DATABASE_POOL?)",
                        self._pool, POOL_WAIT)
            raise ApiError(ErrorCode.DATABASE_UNAVAILABLE, "The chat server is too busy to read its database right "
                           "now; nothing was changed. Try again in a moment.")
        self._depth.n = depth + 1
        try:
            with self._reader() as conn:
                yield conn
        finally:
            self._depth.n = depth
            if depth == 0:
                self._slots.release()

    @contextmanager
    def _reader(self) -> Iterator[Connection]:
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = self._open()
        conn.tracer = self.tracer
        try:
            yield conn
        except psycopg.OperationalError as exc:
            conn.close()
            while not self._readers.empty():  # a restarted database broke them all: don't fail once per each
                self._readers.get_nowait().close()
            raise self._unavailable(exc) from exc
        finally:
            if conn.usable and not self._closing:
                self._readers.put(conn)
            else:
                conn.close()

    def session_exists(self, session_id: str | None) -> bool:
        if not session_id:
            return False
        with self.read() as conn:
            return conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def head_seq(self) -> int:
        """The last event's seq (callers hold the write lock)."""
        return self.committed_head()

    def committed_head(self) -> int:
        with self.read() as conn:
            return head_of(conn)

    def close(self) -> None:
        self._closing = True
        with self.lock:
            self._writer.close()
        while not self._readers.empty():
            self._readers.get_nowait().close()

