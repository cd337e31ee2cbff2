"""Staff chat read back: a colleague's thread (newest first) and the list of colleagues with unread counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import StaffMessage, StaffThread
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.agents import agent_ref, agent_refs
from kayako_desktop.server.rows import StaffMessageRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def staff_message_models(db: Reader, rows: Sequence[StaffMessageRow]) -> list[StaffMessage]:
    people = agent_refs(db, [r["sender_id"] for r in rows] + [r["recipient_id"] for r in rows])
    return [StaffMessage(id=r["id"], sender=people[r["sender_id"]], recipient=people[r["recipient_id"]],
                         contents=r["contents"], conversation_id=r["conversation_id"], client_id=r["client_id"],
                         created_at=iso(r["created_at"]), read_at=iso(r["read_at"])) for r in rows]


def staff_message(db: Reader, message_id: int) -> StaffMessage:
    row = db.execute("SELECT * FROM staff_messages WHERE id = ?", (message_id,)).fetchone()
    return staff_message_models(db, [row])[0]


def thread_page(db: Reader, me: int, other: int, before_id: int | None, limit: int) -> tuple[list[StaffMessage], int]:
    """Messages between two agents, newest first (before `before_id` when given), and how many in all."""
    pair = "((sender_id = ? AND recipient_id = ?) OR (sender_id = ? AND recipient_id = ?))"
    args: tuple[Any, ...] = (me, other, other, me)
    total = int(db.execute(f"SELECT COUNT(*) FROM staff_messages WHERE {pair}", args).fetchone()[0])
    cond = f"{pair} AND id < ?" if before_id is not None else pair
    rows = db.execute(f"SELECT * FROM staff_messages WHERE {cond} ORDER BY id DESC LIMIT ?",
                      (*args, *((before_id,) if before_id is not None else ()), limit)).fetchall()
    return staff_message_models(db, rows), total


def threads(db: Reader, me: int) -> list[StaffThread]:
    """Every colleague, the ones with the newest messages first (then by name): three queries."""
    agents = db.execute("SELECT * FROM agents WHERE id <> ? ORDER BY lower(full_name), id", (me,)).fetchall()
    last_ids = {int(r["other"]): int(r["last"]) for r in db.execute(
        "SELECT CASE WHEN sender_id = ? THEN recipient_id ELSE sender_id END AS other, MAX(id) AS last "
        "FROM staff_messages WHERE sender_id = ? OR recipient_id = ? GROUP BY 1", (me, me, me)).fetchall()}
    unread = {int(r[0]): int(r[1]) for r in db.execute(
        "SELECT sender_id, COUNT(*) FROM staff_messages WHERE recipient_id = ? AND read_at IS NULL GROUP BY sender_id",
        (me,)).fetchall()}
    lasts: dict[int, StaffMessage] = {}
    if last_ids:
        rows = db.execute(f"SELECT * FROM staff_messages WHERE id IN ({','.join('?' * len(last_ids))})",
                          list(last_ids.values())).fetchall()
        by_id = {m.id: m for m in staff_message_models(db, rows)}
        lasts = {other: by_id[last] for other, last in last_ids.items()}
    out = [StaffThread(agent=agent_ref(a), last_message=lasts.get(int(a["id"])), unread=unread.get(int(a["id"]), 0))
           for a in agents]
    out.sort(key=lambda t: -(t.last_message.id if t.last_message else 0))  # stable: by name among the silent
    return out
