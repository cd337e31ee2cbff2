"""Visitor reads: the live list, one visitor, footprints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import AgentRef, Location, PageView, TeamRef, Visitor
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import not_found
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.queries.rules import matching, rule_rows
from kayako_desktop.server.rows import VisitorRow, as_row
from kayako_desktop.server.useragent import parse_user_agent

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


_CURRENT_CHAT = ("SELECT latest.*, d.title AS team_title FROM (SELECT visitor_id, id, status, owner_id, department_id, "
                 "ROW_NUMBER() OVER (PARTITION BY visitor_id ORDER BY (status = 'COMPLETED'), id DESC) AS n "
                 "FROM conversations WHERE is_offline = 0 AND visitor_id IN ({marks})) AS latest "
                 "LEFT JOIN departments d ON d.id = latest.department_id WHERE n = 1")


def current_chats(db: Reader, visitor_ids: list[int]) -> dict[int, Any]:
    """Each visitor's latest live chat, else their latest chat (visitors who never chatted are left out)."""
    if not visitor_ids:
        return {}
    sql = _CURRENT_CHAT.format(marks=",".join("?" * len(visitor_ids)))
    return {r["visitor_id"]: r for r in db.execute(sql, visitor_ids).fetchall()}


def visitor_model(db: Reader, row: VisitorRow) -> Visitor:
    return visitor_models(db, [row])[0]


def visitor_models(db: Reader, rows: Sequence[VisitorRow]) -> list[Visitor]:
    """Visitors with their current chat and its agent: two queries, whatever the number of rows."""
    chats = current_chats(db, [r["id"] for r in rows])
    agents = agent_refs(db, [c["owner_id"] for c in chats.values()])
    rules = rule_rows(db, enabled_only=True) if rows else []
    return [_visitor(row, chats.get(row["id"]), agents, matching(rules, row)) for row in rows]


def visitor_page(db: Reader, online: bool | None, offset: int, limit: int) -> tuple[list[Visitor], int]:
    """Visitors, most recently active first (online=None: everyone), and how many there are in all."""
    cond, params = ("WHERE online = ?", [int(online)]) if online is not None else ("", [])
    total = int(db.execute(f"SELECT COUNT(*) FROM visitors {cond}", params).fetchone()[0])
    rows = db.execute(f"SELECT * FROM visitors {cond} ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?",
                      [*params, limit, offset]).fetchall()
    return visitor_models(db, rows), total


def _visitor(row: VisitorRow, chat: Any, agents: dict[int | None, AgentRef], rules: list[Any]) -> Visitor:
    browser, os_name = parse_user_agent(row["user_agent"])
    location = None
    if row["country"] or row["city"]:
        location = Location(country=row["country"], country_code=row["country_code"], city=row["city"])
    return Visitor(
        id=row["id"],
        name=row["name"] or f"Visitor {row['id']}",
        email=row["email"],
        online=bool(row["online"]),
        ip=row["ip"],
        user_agent=row["user_agent"],
        browser=browser,
        os=os_name,
        location=location,
        current_url=row["current_url"],
        current_title=row["current_title"],
        referrer=row["referrer"],
        page_views=row["page_views"],
        first_seen=iso(row["first_seen"]),
        session_started_at=iso(row["session_started_at"]),
        last_seen=iso(row["last_seen"]),
        conversation_id=chat["id"] if chat else None,
        chat_status=chat["status"] if chat else None,
        chat_agent=agents.get(chat["owner_id"]) if chat else None,
        chat_team=TeamRef(id=chat["department_id"], title=chat["team_title"])
        if chat and chat["department_id"] is not None and chat["team_title"] is not None else None,
        visits=row["visits"],
        highlight=next((r["colour"] for r in rules if r["colour"]), None),
        rules=[r["title"] for r in rules],
    )


def get_visitor(db: Reader, visitor_id: int) -> VisitorRow | None:
    return as_row(db.execute("SELECT * FROM visitors WHERE id = ?", (visitor_id,)).fetchone(), VisitorRow)


def access_visitor(db: Reader, visitor_id: int) -> VisitorRow:
    row = get_visitor(db, visitor_id)
    if row is None:
        raise not_found("Visitor")
    return row


def footprints(db: Reader, visitor_id: int, offset: int, limit: int) -> tuple[list[PageView], int]:
    total = db.execute("SELECT COUNT(*) FROM page_views WHERE visitor_id = ?", (visitor_id,)).fetchone()[0]
    rows = db.execute(
        "SELECT * FROM page_views WHERE visitor_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (visitor_id, limit, offset),
    ).fetchall()
    views = [
        PageView(id=r["id"], url=r["url"], title=r["title"], referrer=r["referrer"], created_at=iso(r["created_at"]))
        for r in rows
    ]
    return views, total
