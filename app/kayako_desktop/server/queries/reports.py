"""Historic chat figures for supervisors: per day (UTC) and in all, for a date range, optionally one department
or one agent (the chat's last owner).

- chats: live chats asked in the range (offline messages are counted apart);
- missed: live chats that ended, or still wait, without an agent ever taking them;
- wait (average, 90th percentile): seconds from asking to the first agent taking the chat;
- first response (average): seconds from being taken to the first public answer of an agent;
- duration (average): seconds from asking to the end, for chats an agent took;
- ratings: good and bad, and the share of good (CSAT);
- transfers (accepted transfer rings) and declines (declined rings) of those chats.
A chat's first take and first answer, transfers and declines are kept on it when they happen, so the figures
are sums over one range of one index (conversations_report), the same on SQLite and PostgreSQL
(bench/dashboard.py times them on 100,000 chats)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

MAX_DAYS = 366


_FIGURES = """
    SUM(c.is_offline) AS offline_messages,
    COUNT(*) - SUM(c.is_offline) AS chats,
    SUM(CASE WHEN c.is_offline = 0 AND c.taken_at IS NULL THEN 1 ELSE 0 END) AS missed,
    SUM(c.taken_at - c.created_at) AS wait_sum,
    COUNT(c.taken_at) AS waits,
    SUM(c.answered_at - c.taken_at) AS response_sum,
    COUNT(c.answered_at - c.taken_at) AS responses,
    SUM(CASE WHEN c.taken_at IS NOT NULL THEN c.completed_at - c.created_at END) AS duration_sum,
    COUNT(CASE WHEN c.taken_at IS NOT NULL THEN c.completed_at END) AS durations,
    SUM(CASE WHEN c.rating = 'GOOD' THEN 1 ELSE 0 END) AS rated_good,
    SUM(CASE WHEN c.rating = 'BAD' THEN 1 ELSE 0 END) AS rated_bad,
    SUM(c.transfers) AS transfers,
    SUM(c.declines) AS declines"""
_SUMMED = ("offline_messages", "chats", "missed", "wait_sum", "waits", "response_sum", "responses", "duration_sum",
           "durations", "rated_good", "rated_bad", "transfers", "declines")


def _whole(db: Reader, expression: str) -> str:
    """The whole part of a non-negative number (SQLite's CAST truncates, PostgreSQL's rounds: FLOOR there)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        return f"CAST(FLOOR({expression}) AS INTEGER)"
    return f"CAST({expression} AS INTEGER)"


def _day_of(db: Reader) -> str:
    """The day index (0 = the range's first day) of a chat: whole days since `lo`."""
    return _whole(db, "(c.created_at - ?) / 86400")


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


def _figures(sums: dict[str, float], day: str) -> dict[str, Any]:
    good, bad = int(sums["rated_good"]), int(sums["rated_bad"])
    return {"day": day, "chats": int(sums["chats"]), "offline_messages": int(sums["offline_messages"]),
            "missed": int(sums["missed"]), "wait_avg": _mean(sums["wait_sum"], int(sums["waits"])), "wait_p90": None,
            "first_response_avg": _mean(sums["response_sum"], int(sums["responses"])),
            "duration_avg": _mean(sums["duration_sum"], int(sums["durations"])), "rated_good": good, "rated_bad": bad,
            "csat": round(100 * good / (good + bad), 1) if good + bad else None, "transfers": int(sums["transfers"]),
            "declines": int(sums["declines"])}


def _p90(histogram: list[tuple[int, int]]) -> float | None:
    """Nearest rank over (value, how many) pairs: the smallest value at least 90% of the values are not above."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank, seen = (9 * total + 9) // 10, 0
    for value, n in sorted(histogram):
        seen += n
        if seen >= rank:
            return float(value)
    return None


def chat_report(db: Reader, start: date, end: date, team_id: int | None, agent_id: int | None) -> dict[str, Any]:
    """Figures from `start` to `end` (both included, UTC days), summed by the database per day from one index
    (conversations_report) in two queries: the sums, and the waits counted per whole second (for the 90th
    percentiles). A
    chat's first take and answer, transfers and declines are kept on it as they happen."""
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
    hi = (datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)).timestamp()
    where, args = ["c.created_at >= ?", "c.created_at < ?"], [lo, hi]
    if team_id is not None:
        where.append("c.department_id = ?")
        args.append(team_id)
    if agent_id is not None:
        where.append("c.owner_id = ?")
        args.append(agent_id)
    cond = " AND ".join(where)
    day_of = _day_of(db)
    names = _days(start, end)
    zero = dict.fromkeys(_SUMMED, 0.0)
    sums = {n: dict(zero) for n in range(len(names))}
    for row in db.execute(f"SELECT {day_of} AS d, {_FIGURES} FROM conversations c WHERE {cond} GROUP BY 1",
                          [lo, *args]).fetchall():
        sums[int(row["d"])] = {k: max(0.0, float(row[k] or 0)) for k in _SUMMED}
    total = {k: sum(day[k] for day in sums.values()) for k in _SUMMED}
    days = [_figures(sums[n], name) for n, name in enumerate(names)]
    figures = _figures(total, "total")
    # The 90th percentile of the waits, to the whole second: the database counts the chats per day and second
    # waited (a few hundred rows a day at most), and the nearest rank is found here.
    per_day: dict[int, list[tuple[int, int]]] = {}
    whole: dict[int, int] = {}
    for row in db.execute(f"SELECT {day_of} AS d, {_whole(db, 'c.taken_at - c.created_at')} AS s, COUNT(*) AS n "
                          f"FROM conversations c WHERE {cond} AND c.taken_at >= c.created_at GROUP BY 1, 2",
                          [lo, *args]).fetchall():
        second, count = int(row["s"]), int(row["n"])
        per_day.setdefault(int(row["d"]), []).append((second, count))
        whole[second] = whole.get(second, 0) + count
    for n, histogram in per_day.items():
        days[n]["wait_p90"] = _p90(histogram)
    figures["wait_p90"] = _p90(list(whole.items()))
    return {"start": start.isoformat(), "end": end.isoformat(), "team_id": team_id, "agent_id": agent_id,
            "days": days, "total": figures}


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
