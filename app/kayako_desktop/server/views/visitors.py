"""Agents' view of website visitors: the live list, one visitor, footprints, invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import InvitationCreate, NoteInput, Pagination, VisitorQuery
from kayako_desktop.protocol.models import Invitation, PageView, Visitor, VisitorNote
from kayako_desktop.server.actions.invitations import do_cancel_invitation, do_invite
from kayako_desktop.server.actions.notes import do_add_note, do_delete_note
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.notes import access_note, note_model, note_page
from kayako_desktop.server.queries.permissions import access_invitation, access_note_to_delete
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


@api.route("GET", "/visitors/<int:visitor_id>/notes", auth=AGENT, resource="note", tag="visitors", query=Pagination,
           response=list[VisitorNote], collection=True, summary="Notes agents keep on the visitor, newest first")
def visitor_notes(svc: Services, principal: Principal, visitor_id: int, query: Pagination) -> Page:
    with svc.db.read() as db:
        access_visitor(db, visitor_id)
        notes, total = note_page(db, visitor_id, query.offset, query.limit)
    return Page(notes, total, query.offset, query.limit)


@api.route("POST", "/visitors/<int:visitor_id>/notes", auth=AGENT, resource="note", tag="visitors", body=NoteInput,
           response=VisitorNote, statuses=[201],
           summary="Keep a note on the visitor (every agent sees it; the visitor never does)")
def add_visitor_note(svc: Services, principal: Principal, visitor_id: int, body: NoteInput) -> Created:
    with svc.db.write() as tx:
        access_visitor(tx, visitor_id)
        note_id = do_add_note(tx, visitor_id, principal.id, body)
        return Created(note_model(tx, access_note(tx, note_id)))


@api.route("DELETE", "/visitors/notes/<int:note_id>", auth=AGENT, resource="note", tag="visitors",
           summary="Delete a note (its author or an administrator)")
def delete_visitor_note(svc: Services, principal: Principal, note_id: int) -> None:
    with svc.db.write() as tx:
        access_note_to_delete(tx, note_id, principal)
        do_delete_note(tx, note_id)


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
