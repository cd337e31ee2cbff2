"""The event log read back: what a node missed on the bus (realtime/bus.py)."""

from __future__ import annotations

import json
from typing import Any

from kayako_desktop.server.db import Params, Pending, Reader, Row
from kayako_desktop.server.realtime.audience import Audience


class _Reads:
    """The tx-style one()/all() Audience.resolve expects, over a read connection."""

    def __init__(self, conn: Reader) -> None:
        self.conn = conn

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()


def logged_events(conn: Reader, after: int, upto: int) -> list[Pending]:
    """Events with after < seq <= upto, in seq order, each with its recipients resolved now."""
    reads = _Reads(conn)
    rows = conn.execute("SELECT seq, type, audience_kind, audience_id, data, ts FROM events "
                        "WHERE seq > ? AND seq <= ? ORDER BY seq", (after, upto)).fetchall()
    return [Pending(row["type"], json.loads(row["data"]), int(row["seq"]), int(row["ts"]),
                    Audience(row["audience_kind"], row["audience_id"]).resolve(reads)) for row in rows]


def _replay_filter(role: str, principal_id: int) -> tuple[str, tuple[Any, ...]]:
    """SQL condition selecting the logged events a reconnecting socket is entitled to."""
    if role == "agent":
        return (
            "(audience_kind = 'agents' OR (audience_kind = 'agent' AND audience_id = ?) OR "
            "(audience_kind = 'conversation_staff' AND audience_id IN "
            "(SELECT conversation_id FROM participants WHERE agent_id = ?)))",
            (principal_id, principal_id),
        )
    return (
        "((audience_kind = 'visitor' AND audience_id = ?) OR (audience_kind = 'conversation_visitor' AND "
        "audience_id IN (SELECT id FROM conversations WHERE visitor_id = ?)))",
        (principal_id, principal_id),
    )


def replay_events(db: Reader, role: str, principal_id: int, after: int, upto: int) -> list[Any]:
    """The rows (seq, type, data, ts) of the logged events after < seq <= upto this socket may see, in order."""
    cond, params = _replay_filter(role, principal_id)
    return list(db.execute(
        f"SELECT seq, type, data, ts FROM events WHERE seq > ? AND seq <= ? AND {cond} ORDER BY seq",
        (after, upto, *params),
    ).fetchall())
