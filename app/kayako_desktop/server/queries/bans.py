"""Visitor bans read back, and the one question every visitor request asks: may this address chat?

A ban covers a network in CIDR form (an address is a /32 or /128). Active = not lifted and not past its
expiry; an expired ban simply stops matching (no timer needed). The active list is small (a team bans
dozens, not millions), so the check reads it and matches in Python with `ipaddress` — IPv4 and IPv6 alike,
with IPv4-mapped IPv6 addresses (::ffff:203.0.113.7) matched as the IPv4 address they are."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import Ban
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.rows import BanRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# What a visitor from a banned address reads, everywhere (REST, socket, widget): it names no ban.
NOT_AVAILABLE = "Chat is not available right now."

_ACTIVE = "lifted_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"


def parse_address(text: str | None) -> Address | None:
    """A client address as the server saw it, or None when it is not one (a Unix socket, nothing)."""
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def active_networks(db: Reader, now: float) -> list[tuple[int, Network]]:
    rows = db.execute(f"SELECT id, network FROM bans WHERE {_ACTIVE}", (now,)).fetchall()
    return [(int(r["id"]), ipaddress.ip_network(r["network"])) for r in rows]


def ban_matching(db: Reader, now: float, address: str | None) -> int | None:
    """The id of an active ban covering this address, or None."""
    ip = parse_address(address)
    if ip is None:
        return None
    for ban_id, network in active_networks(db, now):
        if ip.version == network.version and ip in network:
            return ban_id
    return None


def is_active(row: BanRow, now: float) -> bool:
    return row["lifted_at"] is None and (row["expires_at"] is None or row["expires_at"] > now)


def ban_models(db: Reader, rows: Sequence[BanRow], now: float) -> list[Ban]:
    """Bans with their agents: one query for the agents, whatever the number of rows."""
    agents = agent_refs(db, [r["created_by"] for r in rows] + [r["lifted_by"] for r in rows])
    return [Ban(id=r["id"], network=r["network"], prefix=r["prefix"], reason=r["reason"], visitor_id=r["visitor_id"],
                created_by=agents[r["created_by"]], created_at=iso(r["created_at"]), expires_at=iso(r["expires_at"]),
                lifted_at=iso(r["lifted_at"]), lifted_by=agents.get(r["lifted_by"]) if r["lifted_by"] else None,
                is_active=is_active(r, now)) for r in rows]


def ban_model(db: Reader, row: BanRow, now: float) -> Ban:
    return ban_models(db, [row], now)[0]


def access_ban(db: Reader, ban_id: int) -> BanRow:
    return access_by_id(db, "bans", ban_id, BanRow, "Ban")


def ban_page(db: Reader, now: float, state: str, offset: int, limit: int) -> tuple[list[Ban], int]:
    """Bans in a state (ACTIVE, ENDED: lifted or expired, ALL), newest first."""
    where, params = {"ACTIVE": (_ACTIVE, (now,)), "ENDED": (f"NOT ({_ACTIVE})", (now,)), "ALL": ("1 = 1", ())}[state]
    total = int(db.execute(f"SELECT COUNT(*) FROM bans WHERE {where}", params).fetchone()[0])
    rows = db.execute(f"SELECT * FROM bans WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                      (*params, limit, offset)).fetchall()
    return ban_models(db, rows, now), total
