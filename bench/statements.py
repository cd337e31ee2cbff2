"""What SQLAlchemy Core would cost on the message path: `python bench/statements.py [--messages N]`.

The server's statements are SQL text over tables defined once in SQLAlchemy (`server/tables.py`), run by a
thin layer over sqlite3 and psycopg. Issue 14 asked for them as SQLAlchemy Core expressions. This runs the
same three statements a visitor's message runs most (read the chat, insert the post, touch the chat), one
transaction per message on a WAL file like the server's, three ways, side by side:

  sql text (shipped)     sqlite3 with the statements as text: what the server does today (the reference)
  core, executed         the statements built as Core expressions and run by SQLAlchemy (a Connection from an
                         Engine on the same file; SQLAlchemy caches each statement's compiled form)
  core, compiled once    the same expressions compiled to text once, at start, and run by sqlite3

It prints microseconds per message and the difference to the reference per statement. Single process,
no server: only the statement layer is measured.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from kayako_desktop.server.db import _connect
from kayako_desktop.server.tables import conversations, metadata, posts, visitors
from sqlalchemy import bindparam, create_engine, event, insert, select, update
from sqlalchemy.dialects import sqlite as sqlite_dialect

STATEMENTS_PER_MESSAGE = 3


def prepare(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as c:
        vid = c.execute(insert(visitors).values(token_hash="v-1", first_seen=0.0, session_started_at=0.0, last_seen=0.0)
                        .returning(visitors.c.id)).scalar_one()
        cid = c.execute(insert(conversations).values(subject="Lamp", visitor_id=vid, created_at=0.0, updated_at=0.0)
                        .returning(conversations.c.id)).scalar_one()
    engine.dispose()
    return int(cid)


def text_path(path: Path, cid: int) -> Callable[[float], None]:
    conn = _connect(str(path))  # the server's own connection: its pragmas, sqlite3.Row, no implicit BEGIN

    def message(now: float) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conv = conn.execute("SELECT * FROM conversations WHERE id = ?", (cid,)).fetchone()
        conn.execute(
            "INSERT INTO posts (uuid, conversation_id, author_kind, author_id, kind, visibility, contents, "
            "created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
            (str(uuid.uuid4()), conv["id"], "VISITOR", conv["visitor_id"], "TEXT", "PUBLIC", "Hello", now),
        ).fetchone()
        conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conv["id"]))
        conn.execute("COMMIT")

    return message


def core_executed(path: Path, cid: int) -> Callable[[float], None]:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi: sqlite3.Connection, _record: object) -> None:  # the server's (db._connect), SQLAlchemy's BEGIN
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            dbapi.execute(f"PRAGMA {pragma}")

    conn = engine.connect()

    def message(now: float) -> None:
        with conn.begin():
            conv = conn.execute(select(conversations).where(conversations.c.id == cid)).mappings().one()
            conn.execute(insert(posts).values(
                uuid=str(uuid.uuid4()), conversation_id=conv["id"], author_kind="VISITOR", author_id=conv["visitor_id"],
                kind="TEXT", visibility="PUBLIC", contents="Hello", created_at=now).returning(posts.c.id)).scalar_one()
            conn.execute(update(conversations).where(conversations.c.id == conv["id"]).values(updated_at=now))

    return message


def core_compiled_once(path: Path, cid: int) -> Callable[[float], None]:
    dialect = sqlite_dialect.dialect(paramstyle="named")

    def sql(statement: object) -> str:
        return str(statement.compile(dialect=dialect))  # type: ignore[attr-defined]

    read = sql(select(conversations).where(conversations.c.id == bindparam("id")))
    add = sql(insert(posts).values(
        uuid=bindparam("uuid"), conversation_id=bindparam("conversation_id"), author_kind=bindparam("author_kind"),
        author_id=bindparam("author_id"), kind=bindparam("kind"), visibility=bindparam("visibility"),
        contents=bindparam("contents"), created_at=bindparam("created_at")).returning(posts.c.id))
    touch = sql(update(conversations).where(conversations.c.id == bindparam("cid"))
                .values(updated_at=bindparam("now")))
    conn = _connect(str(path))  # the server's own connection: its pragmas, sqlite3.Row, no implicit BEGIN

    def message(now: float) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conv = conn.execute(read, {"id": cid}).fetchone()
        conn.execute(add, {"uuid": str(uuid.uuid4()), "conversation_id": conv["id"], "author_kind": "VISITOR",
                           "author_id": conv["visitor_id"], "kind": "TEXT", "visibility": "PUBLIC",
                           "contents": "Hello", "created_at": now}).fetchone()
        conn.execute(touch, {"now": now, "cid": conv["id"]})
        conn.execute("COMMIT")

    return message


def measure(make: Callable[[Path, int], Callable[[float], None]], messages: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chat.db"
        cid = prepare(path)
        message = make(path, cid)
        for i in range(200):  # warm up: caches, pages
            message(float(i))
        t0 = time.process_time()
        for i in range(messages):
            message(1000.0 + i)
        spent = time.process_time() - t0
        count = sqlite3.connect(path).execute("SELECT count(*) FROM posts").fetchone()[0]
        assert count == messages + 200, count
    return spent / messages * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ways = {"sql text (shipped)": text_path, "core, executed": core_executed, "core, compiled once": core_compiled_once}
    best: dict[str, float] = {}
    for _ in range(args.rounds):  # interleaved, best of the rounds: the least disturbed figure for each
        for name, make in ways.items():
            us = measure(make, args.messages)
            best[name] = min(best.get(name, us), us)
    ref = best["sql text (shipped)"]
    print(f"{args.messages} messages, {STATEMENTS_PER_MESSAGE} statements + BEGIN/COMMIT each, SQLite WAL, CPU µs per "
          f"message (best of {args.rounds}):")
    for name, us in best.items():
        extra = (us - ref) / STATEMENTS_PER_MESSAGE
        print(f"  {name:<22} {us:8.1f} µs/message   {us / ref:5.2f}×   {extra:+7.1f} µs per statement")


if __name__ == "__main__":
    main()
