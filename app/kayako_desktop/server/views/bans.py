"""Visitor bans: any agent bans (from a visitor's row or a chat); administrators review and lift them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import BanCreate, BanQuery
from kayako_desktop.protocol.models import Ban
from kayako_desktop.server.actions.bans import do_ban, do_lift
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.bans import access_ban, ban_model, ban_page
from kayako_desktop.server.queries.permissions import require_admin
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("POST", "/bans", auth=AGENT, resource="ban", tag="bans", body=BanCreate, response=Ban,
           statuses=[201, 409],
           summary="Ban a visitor's address (visitor_id) or an address or network (address, prefix): their chats "
                   "end and they cannot chat from there until it expires or an administrator lifts it")
def create_ban(svc: Services, principal: Principal, body: BanCreate) -> Created:
    with svc.db.write() as tx:
        ban_id = do_ban(svc, tx, principal.id, body)
        return Created(ban_model(tx, access_ban(tx, ban_id), tx.now))


@api.route("GET", "/bans", auth=AGENT, resource="ban", tag="bans", query=BanQuery, response=list[Ban],
           collection=True, summary="Bans, newest first: active (default), ended (lifted or expired) or all "
                                    "(administrators)")
def list_bans(svc: Services, principal: Principal, query: BanQuery) -> Page:
    require_admin(principal)
    with svc.db.read() as db:
        items, total = ban_page(db, svc.clock.now(), query.state, query.offset, query.limit)
    return Page(items, total, query.offset, query.limit)


@api.route("GET", "/bans/<int:ban_id>", auth=AGENT, resource="ban", tag="bans", response=Ban,
           summary="One ban (administrators)")
def get_ban(svc: Services, principal: Principal, ban_id: int) -> Ban:
    require_admin(principal)
    with svc.db.read() as db:
        return ban_model(db, access_ban(db, ban_id), svc.clock.now())


@api.route("DELETE", "/bans/<int:ban_id>", auth=AGENT, resource="ban", tag="bans", response=Ban, statuses=[409],
           summary="Lift a ban (administrators): visitors from there can chat again; the ban stays on record")
def lift_ban(svc: Services, principal: Principal, ban_id: int) -> Ban:
    require_admin(principal)
    with svc.db.write() as tx:
        do_lift(tx, ban_id, principal.id)
        return ban_model(tx, access_ban(tx, ban_id), tx.now)
