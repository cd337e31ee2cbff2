"""Visitor bans (Kayako Classic's "ban visitor": by IP, or its class C/B/A network; IPv6 /64 and /48 too).

Banning ends, at once, the open and waiting chats of every visitor last seen inside the network (the
visitor reads only "The chat was ended"; staff read who banned what, and why) and closes their sockets on
every node (4403). From then on every visitor request from there is refused with a neutral
CHAT_NOT_AVAILABLE (auth.refuse_banned). Lifting (administrators) keeps the row, for the record."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import BAN_MIN_PREFIX, BanCreate
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import BanChanged
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.conversations import do_end
from kayako_desktop.server.actions.posts import do_system_post
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.agents import agent_name
from kayako_desktop.server.queries.bans import Network, access_ban, active_networks, ban_model, parse_address
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.realtime.audience import Audience

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services


def ban_network(tx: Tx, inp: BanCreate) -> tuple[Network, int | None]:
    """The network a ban covers, from a visitor's last address or from the address given; bad input → 400."""
    if (inp.visitor_id is None) == (inp.address is None):
        if inp.visitor_id is None:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "Give the visitor to ban (visitor_id) or an address",
                           parameter="address")
        raise ApiError(ErrorCode.FIELD_INVALID, "Give visitor_id or address, not both", parameter="address")
    if inp.visitor_id is not None:
        row = tx.one("SELECT ip FROM visitors WHERE id = ?", (inp.visitor_id,))
        if row is None:
            raise ApiError(ErrorCode.NOT_FOUND, f"No visitor {inp.visitor_id}", parameter="visitor_id")
        address = parse_address(row["ip"])
        if address is None:
            raise ApiError(ErrorCode.INVALID_STATE, "This visitor's address is not known: ban an address instead",
                           parameter="visitor_id")
        base = ipaddress.ip_interface(address)
    else:
        try:
            base = ipaddress.ip_interface((inp.address or "").strip())
        except ValueError:
            raise ApiError(ErrorCode.FIELD_INVALID, f"{inp.address!r} is not an IP address or network "
                           "(203.0.113.7, 203.0.113.0/24, 2001:db8::1, 2001:db8::/48)", parameter="address") from None
        mapped = parse_address(str(base.ip))
        if mapped is not None and mapped.version != base.version:  # ::ffff:203.0.113.7 is that IPv4 address
            base = ipaddress.ip_interface(f"{mapped}/{max(8, base.network.prefixlen - 96)}")
    prefix = inp.prefix if inp.prefix is not None else base.network.prefixlen
    widest, narrowest = BAN_MIN_PREFIX[base.version], base.max_prefixlen
    if not widest <= prefix <= narrowest:
        raise ApiError(ErrorCode.FIELD_INVALID, f"An IPv{base.version} ban covers /{widest} (widest) to "
                       f"/{narrowest} (one address), not /{prefix}", parameter="prefix")
    return ipaddress.ip_network(f"{base.ip}/{prefix}", strict=False), inp.visitor_id


def do_ban(svc: Services, tx: Tx, agent_id: int, inp: BanCreate) -> int:
    network, visitor_id = ban_network(tx, inp)
    for ban_id, active in active_networks(tx, tx.now):
        if active == network:
            raise ApiError(ErrorCode.DUPLICATE, f"{network} is already banned (ban {ban_id})", parameter="address")
    reason = inp.reason.strip()
    new_id = tx.insert(
        "INSERT INTO bans (network, prefix, reason, visitor_id, created_by, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (str(network), network.prefixlen, reason, visitor_id, agent_id,
         tx.now, tx.now + inp.expires_in if inp.expires_in else None),
    )
    tx.emit(Event.BAN_CREATED, BanChanged(ban=ban_model(tx, access_ban(tx, new_id), tx.now)), Audience.agents())
    by = agent_name(tx, agent_id)
    for visitor in _visitors_in(tx, network):
        for chat in tx.all("SELECT id FROM conversations WHERE visitor_id = ? AND status IN ('NEW', 'OPEN')",
                           (visitor,)):
            conv = access_conversation(tx, chat["id"])
            do_system_post(tx, conv, f"{by} banned {network}" + (f": {reason}" if reason else ""), staff_only=True)
            do_end(svc, tx, chat["id"], None)
        tx.block_visitor(visitor)
    return new_id


def _visitors_in(tx: Tx, network: Network) -> list[int]:
    """Visitors who may be here now (online, or with a chat not yet ended) whose last address is inside."""
    rows = tx.all(
        "SELECT id, ip FROM visitors WHERE online = 1 OR id IN "
        "(SELECT visitor_id FROM conversations WHERE status IN ('NEW', 'OPEN'))"
    )
    found = []
    for row in rows:
        address = parse_address(row["ip"])
        if address is not None and address.version == network.version and address in network:
            found.append(int(row["id"]))
    return found


def do_lift(tx: Tx, ban_id: int, agent_id: int) -> None:
    row = access_ban(tx, ban_id)
    if row["lifted_at"] is not None:
        raise ApiError(ErrorCode.INVALID_STATE, "This ban was already lifted")
    tx.execute("UPDATE bans SET lifted_at = ?, lifted_by = ? WHERE id = ?", (tx.now, agent_id, ban_id))
    tx.emit(Event.BAN_LIFTED, BanChanged(ban=ban_model(tx, access_ban(tx, ban_id), tx.now)), Audience.agents())
