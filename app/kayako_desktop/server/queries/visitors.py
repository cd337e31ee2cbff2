"""Visitor reads: the live list, one visitor, footprints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import Location, PageView, Visitor
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import not_found
from kayako_desktop.server.queries.agents import get_agent_ref
from kayako_desktop.server.useragent import parse_user_agent

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def current_chat(db: Reader, visitor_id: int) -> Any:
    """The visitor's latest live chat, else their latest chat (None if they never chatted)."""
    return db.execute(
        "SELECT id, status, owner_id FROM conversations WHERE visitor_id = ? AND is_offline = 0 "
        "ORDER BY (status = 'COMPLETED'), id DESC LIMIT 1",
        (visitor_id,),
    ).fetchone()


def visitor_model(db: Reader, row: Any) -> Visitor:
    chat = current_chat(db, row["id"])
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
        chat_agent=get_agent_ref(db, chat["owner_id"]) if chat else None,
    )


def get_visitor(db: Reader, visitor_id: int) -> Any:
    return db.execute("SELECT * FROM visitors WHERE id = ?", (visitor_id,)).fetchone()


def access_visitor(db: Reader, visitor_id: int) -> Any:
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
