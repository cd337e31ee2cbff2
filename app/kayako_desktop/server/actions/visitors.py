"""Visitors: identity tokens, page views and heartbeats, presence (online while the heartbeat is fresh)."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import PageViewInput, VisitorUpdate
from kayako_desktop.protocol.events import VisitorLeft
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.publish import publish_visitor
from kayako_desktop.server.actions.rules import do_apply_rules
from kayako_desktop.server.queries.sessions import VisitorName, visitor_by_token_hash
from kayako_desktop.server.realtime.audience import Audience

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def do_create_visitor(svc: Services, tx: Tx, ip: str | None, user_agent: str | None, name: str | None,
                      email: str | None, token: str | None = None) -> tuple[str, int]:
    """A new visitor identity; its token is made here unless the client brought one (a Kayako fingerprint)."""
    token = token or secrets.token_urlsafe(32)
    geo = svc.geoip.lookup(ip)
    new_id = tx.insert(
        "INSERT INTO visitors (token_hash, name, email, ip, user_agent, country, country_code, city, first_seen, "
        "session_started_at, last_seen, online) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        (token_hash(token), (name or "").strip() or None, email, ip, (user_agent or "")[:512] or None,
         geo["country"], geo["country_code"], geo["city"], tx.now, tx.now, tx.now),
    )
    return token, new_id


def do_fingerprint_visitor(svc: Services, tx: Tx, fingerprint: str, ip: str | None,
                           user_agent: str | None) -> VisitorName:
    """The visitor a Kayako Messenger fingerprint names, made now if it is new (a request racing this one may
    just have made it: then that one)."""
    row = visitor_by_token_hash(tx, token_hash(fingerprint))
    if row is None:
        do_create_visitor(svc, tx, ip, user_agent, None, None, token=fingerprint)
        row = visitor_by_token_hash(tx, token_hash(fingerprint))
        assert row is not None  # made just now, in this transaction
    return row


def _touch(svc: Services, tx: Tx, visitor_id: int, ip: str | None, user_agent: str | None) -> bool:
    """Mark the visitor seen now; returns True when they just came (back) online."""
    row = tx.row("SELECT online, last_seen, ip FROM visitors WHERE id = ?", (visitor_id,))
    came_online = not row["online"]
    geo_sql: str = ""
    geo: tuple[str | None, ...] = ()
    if ip and ip != row["ip"]:
        g = svc.geoip.lookup(ip)
        geo_sql, geo = ", ip = ?, country = ?, country_code = ?, city = ?", (ip, g["country"], g["country_code"], g["city"])
    tx.execute(
        f"UPDATE visitors SET online = 1, last_seen = ?, user_agent = COALESCE(?, user_agent), "
        f"session_started_at = CASE WHEN online = 0 THEN ? ELSE session_started_at END, "
        # a visit begins when they come back online, if they were ever seen after their first moment
        f"visits = CASE WHEN online = 0 AND last_seen > first_seen THEN visits + 1 ELSE visits END{geo_sql} WHERE id = ?",
        (tx.now, (user_agent or "")[:512] or None, tx.now, *geo, visitor_id),
    )
    return came_online


def do_page_view(svc: Services, tx: Tx, visitor_id: int, inp: PageViewInput, ip: str | None, user_agent: str | None) -> None:
    came_online = _touch(svc, tx, visitor_id, ip, user_agent)
    tx.execute(
        "INSERT INTO page_views (visitor_id, url, title, referrer, created_at) VALUES (?, ?, ?, ?, ?)",
        (visitor_id, inp.url, inp.title, inp.referrer, tx.now),
    )
    # The visitor list shows the referrer that brought them to the site this session, not the previous page.
    tx.execute(
        "UPDATE visitors SET current_url = ?, current_title = ?, page_views = page_views + 1, "
        "referrer = CASE WHEN ? = 1 OR referrer IS NULL THEN ? ELSE referrer END WHERE id = ?",
        (inp.url, inp.title, came_online, inp.referrer, visitor_id),
    )
    publish_visitor(tx, visitor_id)
    do_apply_rules(svc, tx, visitor_id)


def do_heartbeat(svc: Services, tx: Tx, visitor_id: int, ip: str | None = None, user_agent: str | None = None) -> None:
    if _touch(svc, tx, visitor_id, ip, user_agent):
        publish_visitor(tx, visitor_id)
    do_apply_rules(svc, tx, visitor_id)  # time on site grows between page views


def do_update_visitor(tx: Tx, visitor_id: int, inp: VisitorUpdate) -> None:
    if inp.name is not None:
        tx.execute("UPDATE visitors SET name = ? WHERE id = ?", (inp.name.strip(), visitor_id))
    if inp.email is not None:
        tx.execute("UPDATE visitors SET email = ? WHERE id = ?", (inp.email, visitor_id))
    publish_visitor(tx, visitor_id)


def do_expire_visitors(svc: Services, tx: Tx) -> None:
    """Visitors whose heartbeat is older than the grace period (and who hold no socket) go offline."""
    cutoff = tx.now - float(svc.config["CHAT_VISITOR_GRACE"])
    for row in tx.all("SELECT id FROM visitors WHERE online = 1 AND last_seen < ?", (cutoff,)):
        if svc.presence.count("visitor", row["id"]):
            tx.execute("UPDATE visitors SET last_seen = ? WHERE id = ?", (tx.now, row["id"]))
            continue
        tx.execute("UPDATE visitors SET online = 0 WHERE id = ?", (row["id"],))
        tx.emit(Event.VISITOR_LEFT, VisitorLeft(visitor_id=row["id"]), Audience.agents())
