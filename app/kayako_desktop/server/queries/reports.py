"""Historic chat figures for supervisors: per day (UTC) and in all, for a date range, optionally one department
or one agent (the chat's last owner).

- chats: live chats asked in the range (offline messages are counted apart);
- missed: live chats that ended, or still wait, without an agent ever taking them;
- wait (average, 90th percentile): seconds from asking to the first agent taking the chat;
- first response (average): seconds from being taken to the first public answer of an agent;
- duration (average): seconds from asking to the end, for chats an agent took;
- ratings: good and bad, and the share of good (CSAT);
- transfers (accepted transfer rings) and declines (declined rings) of those chats.
Three queries whatever the range: the chats with their first take and first answer, the rings, done in SQL
that runs the same on SQLite and PostgreSQL; the rest is arithmetic here."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

MAX_DAYS = 366


@dataclass
class Day:
    day: str
    chats: int = 0
    offline_messages: int = 0
    missed: int = 0
    waits: list[float] = field(default_factory=list)
    responses: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    good: int = 0
    bad: int = 0
    transfers: int = 0
    declines: int = 0

    def figures(self) -> dict[str, Any]:
        rated = self.good + self.bad
        return {"day": self.day, "chats": self.chats, "offline_messages": self.offline_messages, "missed": self.missed,
                "wait_avg": _avg(self.waits), "wait_p90": _p90(self.waits), "first_response_avg": _avg(self.responses),
                "duration_avg": _avg(self.durations), "rated_good": self.good, "rated_bad": self.bad,
                "csat": round(100 * self.good / rated, 1) if rated else None, "transfers": self.transfers,
                "declines": self.declines}


def _avg(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)], 1)  # nearest rank


def _day(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def chat_report(db: Reader, start: date, end: date, team_id: int | None, agent_id: int | None) -> dict[str, Any]:
    """Figures from `start` to `end` (both included, UTC days)."""
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
    hi = (datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)).timestamp()
    where, args = ["c.created_at >= ?", "c.created_at < ?"], [lo, hi]
    if team_id is not None:
        where.append("c.department_id = ?")
        args.append(team_id)
    if agent_id is not None:
        where.append("c.owner_id = ?")
        args.append(agent_id)
    rows = db.execute(
        "SELECT c.id, c.created_at, c.completed_at, c.is_offline, c.rating, "
        "(SELECT MIN(p.joined_at) FROM participants p WHERE p.conversation_id = c.id AND p.role <> 'OBSERVER') AS taken_at, "
        "(SELECT MIN(q.created_at) FROM posts q WHERE q.conversation_id = c.id AND q.author_kind = 'AGENT' "
        "AND q.visibility = 'PUBLIC' AND q.kind <> 'SYSTEM') AS answered_at "
        f"FROM conversations c WHERE {' AND '.join(where)} ORDER BY c.id", args).fetchall()
    days = {d: Day(d) for d in _days(start, end)}
    total = Day("total")
    by_chat: dict[int, Day] = {}
    for r in rows:
        day = days[_day(r["created_at"])]
        by_chat[int(r["id"])] = day
        for bucket in (day, total):
            if r["is_offline"]:
                bucket.offline_messages += 1
                continue
            bucket.chats += 1
            taken = r["taken_at"]
            if taken is None:
                bucket.missed += 1
                continue
            bucket.waits.append(max(0.0, float(taken) - float(r["created_at"])))
            if r["answered_at"] is not None:
                bucket.responses.append(max(0.0, float(r["answered_at"]) - float(taken)))
            if r["completed_at"] is not None:
                bucket.durations.append(max(0.0, float(r["completed_at"]) - float(r["created_at"])))
            if r["rating"] == "GOOD":
                bucket.good += 1
            elif r["rating"] == "BAD":
                bucket.bad += 1
    if by_chat:
        ids = sorted(by_chat)
        for lo_id in range(0, len(ids), 900):  # SQLite's limit on bound parameters
            chunk = ids[lo_id:lo_id + 900]
            for o in db.execute(
                    "SELECT conversation_id, state, transfer_from FROM offers WHERE state IN ('ACCEPTED', 'DECLINED') "
                    f"AND conversation_id IN ({','.join('?' * len(chunk))})", chunk).fetchall():
                for bucket in (by_chat[int(o["conversation_id"])], total):
                    if o["state"] == "DECLINED":
                        bucket.declines += 1
                    elif o["transfer_from"] is not None:
                        bucket.transfers += 1
    return {"start": start.isoformat(), "end": end.isoformat(), "team_id": team_id, "agent_id": agent_id,
            "days": [d.figures() for d in days.values()], "total": total.figures()}


def _days(start: date, end: date) -> list[str]:
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


COLUMNS = ["day", "chats", "offline_messages", "missed", "wait_avg", "wait_p90", "first_response_avg", "duration_avg",
           "rated_good", "rated_bad", "csat", "transfers", "declines"]


def report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in [*report["days"], report["total"]]:
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return out.getvalue()
