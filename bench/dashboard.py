"""The supervisor dashboard's queries on a big history: 100,000 chats over 90 days.

    .venv/bin/python bench/dashboard.py                 # 100,000 chats, about a minute to build
    .venv/bin/python bench/dashboard.py --chats 20000

Builds a fresh SQLite database with this code's schema (Alembic, as a server makes it) and fills it straight
with SQL: 100,000 chats over 90 days (10 agents, 5 departments), each with the visitor's question, the
agent's answer and a system line; most taken by an agent after 5-120 s, some missed, some offline messages,
ratings, declines and transfers. Then it times what the Dashboard's History asks the server for
(queries/reports.chat_report: the day, the week, the 30 and 90 days, one department, one agent, the CSV),
each of its two SQL queries timed on its own, beside a reference in the same run: the bare `COUNT(*)` of the
chats in the same range, the floor any report of those chats costs. Target (issue 16): each ≤ 200 ms on SQLite. It prints numbers; it never fails.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from kayako_desktop.server import schema  # noqa: E402
from kayako_desktop.server.queries.reports import chat_report, report_csv  # noqa: E402

DAY = 86400.0
COUNT = "SELECT COUNT(*) FROM conversations WHERE created_at >= ? AND created_at < ?"


def build(path: Path, chats: int, seed: int = 16) -> tuple[datetime, int]:
    schema.upgrade(str(path))
    conn = sqlite3.connect(path)
    rng = random.Random(seed)
    end = datetime(2026, 11, 30, tzinfo=UTC)
    start_ts = (end - timedelta(days=90)).timestamp()
    conn.execute("BEGIN")
    for a in range(1, 11):
        conn.execute("INSERT INTO agents (id, email, full_name, password_hash, role, status, max_chats, created_at) "
                     "VALUES (?, ?, ?, 'x', 'AGENT', 'OFFLINE', 4, ?)", (a, f"a{a}@example.com", f"Agent {a}", start_ts))
    for d in range(1, 6):
        conn.execute("INSERT INTO departments (id, title, created_at) VALUES (?, ?, ?)", (d, f"Dept {d}", start_ts))
    post_id = offer_id = 0
    for c in range(1, chats + 1):
        created = start_ts + rng.random() * 90 * DAY
        conn.execute("INSERT INTO visitors (id, token_hash, name, first_seen, session_started_at, last_seen) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (c, f"t{c}", f"V{c}", created, created, created))
        offline = rng.random() < 0.05
        missed = not offline and rng.random() < 0.08
        owner = None if offline or missed else rng.randint(1, 10)
        wait = rng.uniform(5, 120)
        done = created + wait + rng.uniform(60, 1800)
        rating = rng.choice([None, None, "GOOD", "GOOD", "GOOD", "BAD"]) if owner else None
        answered = created + wait + rng.uniform(3, 60)
        conn.execute(
            "INSERT INTO conversations (id, subject, status, visitor_id, owner_id, is_offline, rating, created_at, "
            "updated_at, completed_at, department_id, taken_at, answered_at) "
            "VALUES (?, ?, 'COMPLETED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c, f"Question {c}", c, owner, int(offline), rating, created, done, done, rng.randint(1, 5),
             created + wait if owner else None, answered if owner else None))
        post_id += 1
        conn.execute("INSERT INTO posts (id, uuid, conversation_id, author_kind, author_id, kind, visibility, contents, "
                     "created_at) VALUES (?, ?, ?, 'VISITOR', ?, 'TEXT', 'PUBLIC', 'Hello?', ?)",
                     (post_id, f"p{post_id}", c, c, created))
        if owner is None:
            continue
        conn.execute("INSERT INTO participants (conversation_id, agent_id, role, joined_at) VALUES (?, ?, 'OWNER', ?)",
                     (c, owner, created + wait))
        for text, kind, author, at in (("Alice joined the chat", "SYSTEM", None, created + wait),
                                       ("Hi! Let me look.", "TEXT", owner, answered)):
            post_id += 1
            conn.execute("INSERT INTO posts (id, uuid, conversation_id, author_kind, author_id, kind, visibility, "
                         "contents, created_at) VALUES (?, ?, ?, ?, ?, ?, 'PUBLIC', ?, ?)",
                         (post_id, f"p{post_id}", c, "SYSTEM" if author is None else "AGENT", author, kind, text, at))
        rings = [("ACCEPTED", None)]
        if rng.random() < 0.1:
            rings.insert(0, ("DECLINED", None))
        if rng.random() < 0.05:
            rings.append(("ACCEPTED", owner))
        conn.execute("UPDATE conversations SET declines = ?, transfers = ? WHERE id = ?",
                     (sum(s == "DECLINED" for s, _ in rings), sum(t is not None for _, t in rings), c))
        for state, transfer_from in rings:
            offer_id += 1
            conn.execute("INSERT INTO offers (id, conversation_id, agent_id, state, transfer_from, created_at, "
                         "expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (offer_id, c, owner, state, transfer_from, created, created + 30, created + wait))
    conn.execute("COMMIT")
    conn.close()
    return end, post_id


class Timing:
    """The connection, timing each SQL query (with fetching its rows) as the report runs it."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.times: list[float] = []

    def execute(self, sql: str, args: object = ()) -> sqlite3.Cursor:
        t0 = time.perf_counter()
        rows = self.conn.execute(sql, args).fetchall()  # type: ignore[arg-type]
        self.times.append((time.perf_counter() - t0) * 1000)
        return _Rows(rows)  # type: ignore[return-value]


class _Rows:
    def __init__(self, rows: list[sqlite3.Row]) -> None:
        self.rows = rows

    def fetchall(self) -> list[sqlite3.Row]:
        return self.rows

    def fetchone(self) -> sqlite3.Row | None:
        return self.rows[0] if self.rows else None


def timed(fn, runs: int = 5) -> tuple[float, object]:
    """Median wall time in ms of `runs` calls (after one warm-up), and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chat.sqlite3"
        t0 = time.perf_counter()
        end, posts = build(path, args.chats)
        print(f"built {args.chats:,} chats ({posts:,} posts) over 90 days in {time.perf_counter() - t0:.1f} s: {path}")
        db = sqlite3.connect(path)
        db.row_factory = sqlite3.Row
        last = end.date() - timedelta(days=1)
        cases = [("1 day", 1, None, None), ("7 days", 7, None, None), ("30 days", 30, None, None),
                 ("90 days (all)", 90, None, None), ("30 days, one department", 30, 3, None),
                 ("30 days, one agent", 30, None, 7)]
        print(f"\n{'report (SQLite)':28} {'chats':>8} {'report ms':>10} {'slowest query':>14} {'COUNT(*) ms':>12} "
              f"{'target':>7}")
        for label, days, team, agent in cases:
            first = last - timedelta(days=days - 1)
            ms, report = timed(lambda first=first, team=team, agent=agent: chat_report(db, first, last, team, agent))
            timing = Timing(db)
            slowest = []
            for _ in range(5):
                timing.times.clear()
                chat_report(timing, first, last, team, agent)  # type: ignore[arg-type]
                slowest.append(max(timing.times))
            worst = statistics.median(slowest)
            lo = datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()
            hi = lo + days * DAY
            ref, _ = timed(lambda lo=lo, hi=hi: db.execute(COUNT, (lo, hi)).fetchone())
            total = report["total"]["chats"] + report["total"]["offline_messages"]  # type: ignore[index]
            print(f"{label:28} {total:>8,} {ms:>10.1f} {worst:>14.1f} {ref:>12.1f} {'ok' if worst <= 200 else 'OVER':>7}")
        first = last - timedelta(days=29)
        ms, _ = timed(lambda: report_csv(chat_report(db, first, last, None, None)))
        print(f"{'30 days as CSV':28} {'':>8} {ms:>10.1f}")
        print("\ntarget: each SQL query of a report <= 200 ms (issue 16); the report's time includes its arithmetic")
        db.close()


if __name__ == "__main__":
    main()
