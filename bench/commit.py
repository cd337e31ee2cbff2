"""What one chat message costs the server's storage path: the `message.send` command in one process, no sockets.

    .venv/bin/python bench/commit.py                  # 5,000 messages
    .venv/bin/python bench/commit.py --messages 20000 --statements
    .venv/bin/python bench/commit.py --database postgresql   # also on a throwaway PostgreSQL, side by side
    .venv/bin/python bench/commit.py --database postgresql --rtt-ms 0.5   # PostgreSQL 0.5 ms away (a LAN)
    .venv/bin/python bench/commit.py --database postgresql --gevent       # under gevent, as a server node runs

A fresh SQLite server (create_app, as the embedded and the team server make it) with one agent and 20 open
chats; visitors' `message.send` commands go straight to the command handler (realtime/commands.handle), so
the figures are the command's own work: validation, the write transaction (the post, the chat's row, two
logged events and their audiences), its commit, the WAL checkpoints those commits make necessary, and
Chat History's index taking the posts in batches as the server's ticker does (every 500 messages here, as
a second of 500 messages a second). bench/delivery.py measures the whole server over real sockets.

Beside it, in the same run, the reference: the same post and its two event rows stored by a bare sqlite3
connection in tables without any index but their keys, one transaction each, in WAL mode with the server's
durability (synchronous=NORMAL) and checkpoints — the floor any server storing each message as it arrives pays.

Prints CPU ms per message (process time: the commit's checkpoints included), the WAL pages one message's
commit writes, and the SQL statements it runs. It never passes or fails.

With --database postgresql the same server also runs on a throwaway PostgreSQL cluster (tests/support.py:
Debian's postgresql package, fsync off as in the tests, over TCP on 127.0.0.1), and the table adds its column:
CPU ms of the sending thread per message (the relay's threads not counted), wall ms per message (the round trips: every write transaction holds the
cluster-wide write lock that long), and its statements and round trips. --rtt-ms puts PostgreSQL that
many milliseconds of round trip away, as on its own machine (a relay on 127.0.0.1 that holds each chunk for
half of it in each direction; this host's loopback answers in ~0.05 ms, so the statements' round trips
barely show without it).

--gevent runs everything as a gunicorn gevent worker does (gevent patches the standard library first), so
psycopg waits for PostgreSQL the way it does on a server node (server/pg.py: wait_cooperatively).
"""

from __future__ import annotations

import sys

if "--gevent" in sys.argv[1:]:  # before anything imports socket, select or threading
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import queue  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from kayako_desktop.protocol.envelope import Envelope  # noqa: E402
from kayako_desktop.server import create_app  # noqa: E402
from kayako_desktop.server.actions.maintenance import index_new_posts  # noqa: E402
from kayako_desktop.server.auth import Principal  # noqa: E402
from kayako_desktop.server.realtime.commands import handle  # noqa: E402
from kayako_desktop.server.services import services_of  # noqa: E402

CHATS = 20
TICK_EVERY = 500  # messages between two of the ticker's index batches
TEXT = "Hello there, where is my order number 12345? It was due last week and the tracking page says nothing."
PASSWORD = "bench-password-1"


def wal_frames(conn: sqlite3.Connection) -> int:
    """Pages now in the WAL (a PASSIVE checkpoint reports them)."""
    return int(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


class Server:
    def __init__(self, folder: str, database_url: str | None = None):
        from werkzeug.security import generate_password_hash

        config: dict[str, object] = {"CHAT_DATA_DIR": folder, "CHAT_TICK_SECONDS": 0}
        if database_url:
            config["CHAT_DATABASE_URL"] = database_url
        self.app = create_app(config)
        self.svc = services_of(self.app)
        web = self.app.test_client()
        with self.svc.db.write() as tx:
            tx.execute("INSERT INTO agents (email, full_name, password_hash, role, max_chats, created_at) "
                       "VALUES ('agent@bench.example', 'Agent', ?, 'AGENT', 100, ?)",
                       (generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"), tx.now))
        login = web.get("/api/v1/session", auth=("agent@bench.example", PASSWORD))
        agent = {"X-Session-ID": login.json["data"]["id"], "X-CSRF-Token": login.headers["X-CSRF-Token"]}
        self.chats: list[tuple[int, int]] = []  # (conversation id, visitor id)
        for k in range(CHATS):
            visitor = web.post("/api/v1/messenger/visitors", json={"name": f"Visitor {k}"}).json["data"]
            token = visitor["token"]
            made = web.post("/api/v1/conversations", headers={"X-Visitor-Token": token},
                            json={"name": f"Visitor {k}", "subject": f"Chat {k}"}).json["data"]
            if web.post(f"/api/v1/cases/{made['id']}/accept", headers=agent).status_code != 200:
                raise RuntimeError("the agent could not accept a chat")
            self.chats.append((int(made["id"]), int(visitor["visitor"]["id"])))
        self.sent = 0

    def send(self) -> None:
        self.sent += 1
        cid, visitor = self.chats[self.sent % CHATS]
        env = Envelope.model_validate({"type": "message.send", "id": f"c{self.sent}", "data": {
            "conversation_id": cid, "client_id": f"m-{self.sent}", "contents": TEXT}})
        handle(self.svc, Principal("visitor", id=visitor, name="Visitor"), env)
        if self.sent % TICK_EVERY == 0:
            with self.svc.db.write() as tx:
                index_new_posts(tx)

    def statements(self) -> list[str]:
        seen: list[str] = []
        self.svc.db.tracer = seen.append
        try:
            self.send()
        finally:
            self.svc.db.tracer = None
        return seen

    def frames(self) -> int:
        db = self.svc.db
        with db.lock:
            db._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.send()
        with db.lock:
            return wal_frames(db._writer)

    def close(self) -> None:
        self.svc.close()


class Reference:
    """The post and its two events, each message in its own transaction, in tables with keys only."""

    def __init__(self, folder: str):
        self.conn = sqlite3.connect(os.path.join(folder, "reference.sqlite3"), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, uuid TEXT, conversation_id INTEGER, "
                          "client_id TEXT, author_kind TEXT, author_id INTEGER, contents TEXT, created_at REAL)")
        self.conn.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT, audience_kind TEXT, "
                          "audience_id INTEGER, data TEXT, ts INTEGER)")
        self.sent = 0

    def send(self) -> None:
        self.sent += 1
        cid = self.sent % CHATS
        now = time.time()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        post_id = c.execute("INSERT INTO posts (uuid, conversation_id, client_id, author_kind, author_id, contents, "
                            "created_at) VALUES (?, ?, ?, 'VISITOR', ?, ?, ?)",
                            (str(uuid.uuid4()), cid, f"m-{self.sent}", cid, TEXT, now)).lastrowid
        data = json.dumps({"post": {"id": post_id, "conversation_id": cid, "contents": TEXT}})
        for audience in ("conversation_staff", "conversation_visitor"):
            c.execute("INSERT INTO events (type, audience_kind, audience_id, data, ts) VALUES "
                      "('message.created', ?, ?, ?, ?)", (audience, cid, data, int(now * 1000)))
        c.execute("COMMIT")

    def frames(self) -> int:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.send()
        return wal_frames(self.conn)

    def close(self) -> None:
        self.conn.close()


def per_message(target: Server | Reference, n: int, cpu_clock: Callable[[], float] = time.process_time,
                ) -> tuple[float, float]:
    """(CPU ms, wall ms) per message over n messages; CPU by `cpu_clock` (the process's, or one thread's)."""
    cpu, wall = cpu_clock(), time.perf_counter()
    for _ in range(n):
        target.send()
    return (cpu_clock() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


class Distance:
    """A TCP relay on 127.0.0.1 that delivers each chunk `rtt_ms / 2` after it arrived, both ways (latency,
    not bandwidth: chunks sent back to back arrive back to back)."""

    def __init__(self, target_port: int, rtt_ms: float):
        self.target_port, self.delay = target_port, rtt_ms / 2000
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for src, dst in ((client, upstream), (upstream, client)):
                src.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
                threading.Thread(target=self._read, args=(src, chunks), daemon=True).start()
                threading.Thread(target=self._deliver, args=(dst, chunks), daemon=True).start()

    def _read(self, src: socket.socket, chunks: queue.Queue[tuple[float, bytes]]) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            chunks.put((time.perf_counter() + self.delay, data))
            if not data:
                return

    def _deliver(self, dst: socket.socket, chunks: queue.Queue[tuple[float, bytes]]) -> None:
        while True:
            due, data = chunks.get()
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                dst.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()


def postgres_figures(messages: int, rtt_ms: float) -> tuple[float, float, list[str]]:
    """(CPU ms, wall ms, statements) per message of the same server on a throwaway PostgreSQL."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support import Postgres

    cluster = Postgres().start()
    distance = Distance(cluster.port, rtt_ms) if rtt_ms else None
    try:
        with tempfile.TemporaryDirectory(prefix="kayako-bench-commit-pg-") as folder:
            url = cluster.migrated("bench")
            if distance:
                url = url.replace(f":{cluster.port}/", f":{distance.port}/")
            server = Server(folder, url)
            try:
                for _ in range(500):
                    server.send()
                statements = server.statements()
                cpu, wall = per_message(server, messages, time.thread_time)  # this thread's CPU: not the relay's
                return cpu, wall, statements
            finally:
                server.close()
    finally:
        if distance:
            distance.close()
        cluster.stop()


def round_trips(statements: list[str]) -> int:
    """The statements of one PostgreSQL write transaction that wait for an answer: the BEGIN, each whose rows
    are read (a SELECT, an INSERT … RETURNING) and the COMMIT; the rest go out in the transaction's pipeline."""
    return sum(1 for s in statements if s.startswith(("BEGIN", "SELECT", "COMMIT")) or " RETURNING " in s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages measured (after 500 of warm-up)")
    parser.add_argument("--statements", action="store_true", help="list the SQL one message runs")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: also measure the server on a throwaway PostgreSQL (Debian's package)")
    parser.add_argument("--rtt-ms", type=float, default=0.0,
                        help="with --database postgresql: put PostgreSQL this many ms of round trip away")
    parser.add_argument("--gevent", action="store_true",
                        help="run as a gunicorn gevent worker does: gevent patches the standard library first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kayako-bench-commit-") as folder:
        server, reference = Server(folder), Reference(folder)
        try:
            for target in (server, reference):
                for _ in range(500):
                    target.send()
            statements = server.statements()
            (ours_cpu, _), (ref_cpu, _) = per_message(server, args.messages), per_message(reference, args.messages)
            ours_frames = sorted(server.frames() for _ in range(41))[20]
            ref_frames = sorted(reference.frames() for _ in range(41))[20]
        finally:
            server.close()
            reference.close()
    pg = postgres_figures(args.messages, args.rtt_ms) if args.database == "postgresql" else None
    inside = [s for s in statements if s.startswith("--")]  # statements SQLite runs for FTS5 or triggers
    print(f"== message.send, {args.messages} messages over {CHATS} chats, one process, SQLite "
          f"{sqlite3.sqlite_version} (WAL, synchronous=NORMAL){', under gevent' if args.gevent else ''} ==")
    rows = [("CPU ms per message", f"{ours_cpu:.3f}", f"{ref_cpu:.3f}"),
            ("WAL pages per message's commit (median)", str(ours_frames), str(ref_frames)),
            ("SQL statements per message", f"{len(statements) - len(inside)} (+{len(inside)} inside SQLite)", "5")]
    if pg is None:
        print(f"  {'':42}{'ours (server)':>22}{'reference':>12}")
        for name, ours, ref in rows:
            print(f"  {name:42}{ours:>22}{ref:>12}")
    else:
        pg_cpu, pg_wall, pg_statements = pg
        pg_column = [f"{pg_cpu:.3f}", "-", f"{len(pg_statements)} ({round_trips(pg_statements)} round trips)"]
        print(f"  {'':42}{'ours (server)':>22}{'ours, PostgreSQL':>26}{'reference':>12}")
        for (name, ours, ref), on_pg in zip(rows, pg_column, strict=True):
            print(f"  {name:42}{ours:>22}{on_pg:>26}{ref:>12}")
        away = f", {args.rtt_ms:g} ms away" if args.rtt_ms else ""
        print(f"  {'wall ms per message (PostgreSQL' + away + ')':42}{'':>22}{pg_wall:>26.3f}")
    if args.statements:
        for label, listed in [("SQLite", statements)] + ([("PostgreSQL", pg[2])] if pg else []):
            print(f"  statements, {label}:")
            counts = collections.Counter(s.split(" WHERE ")[0][:110] for s in listed)
            for sql, n in counts.items():
                print(f"    {n}× {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
