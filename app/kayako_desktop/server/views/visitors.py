"""Agents' view of website visitors: the live list, one visitor, footprints, invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import InvitationCreate, Pagination, VisitorQuery
from kayako_desktop.protocol.models import Invitation, PageView, Visitor
from kayako_desktop.server.actions.invitations import do_cancel_invitation, do_invite
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.permissions import access_invitation
from kayako_desktop.server.queries.visitors import access_visitor, footprints, visitor_model, visitor_page
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/visitors", auth=AGENT, resource="visitor", tag="visitors", query=VisitorQuery,
           response=list[Visitor], collection=True,
           summary="Visitors on the website now (online=false: everyone), most recently active first")
def list_visitors(svc: Services, principal: Principal, query: VisitorQuery) -> Page:
    with svc.db.read() as db:
        items, total = visitor_page(db, query.online, query.offset, query.limit)
    return Page(items, total, query.offset, query.limit)


@api.route("GET", "/visitors/<int:visitor_id>", auth=AGENT, resource="visitor", tag="visitors", response=Visitor,
           summary="One visitor")
def get_visitor(svc: Services, principal: Principal, visitor_id: int) -> Visitor:
    with svc.db.read() as db:
        return visitor_model(db, access_visitor(db, visitor_id))


@api.route("GET", "/visitors/<int:visitor_id>/footprints", auth=AGENT, resource="page_view", tag="visitors",
           query=Pagination, response=list[PageView], collection=True,
           summary="Pages the visitor viewed, newest first")
def visitor_footprints(svc: Services, principal: Principal, visitor_id: int, query: Pagination) -> Page:
    with svc.db.read() as db:
        access_visitor(db, visitor_id)
        views, total = footprints(db, visitor_id, query.offset, query.limit)
    return Page(views, total, query.offset, query.limit)


@api.route("POST", "/visitors/<int:visitor_id>/invitations", auth=AGENT, resource="invitation", tag="visitors",
           body=InvitationCreate, response=Invitation, statuses=[201, 409],
           summary="Invite a visitor to chat (proactive chat)")
def invite(svc: Services, principal: Principal, visitor_id: int, body: InvitationCreate) -> Created:
    with svc.db.write() as tx:
        return Created(do_invite(svc, tx, visitor_id, principal.id, body.message))


@api.route("DELETE", "/invitations/<int:invitation_id>", auth=AGENT, resource="invitation", tag="visitors",
           response=Invitation, statuses=[409],
           summary="Withdraw a pending invitation (the agent who sent it, or an administrator)")
def cancel_invitation(svc: Services, principal: Principal, invitation_id: int) -> Invitation:
    with svc.db.write() as tx:
        access_invitation(tx, invitation_id, principal)
        return do_cancel_invitation(tx, invitation_id, principal.id)
