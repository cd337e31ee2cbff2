"""Agents' view of website visitors: the live list, one visitor, footprints, invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import InvitationCreate, NoteInput, Pagination, RuleInput, VisitorQuery
from kayako_desktop.protocol.models import Invitation, PageView, Visitor, VisitorNote, VisitorRule
from kayako_desktop.server.actions.invitations import do_cancel_invitation, do_invite
from kayako_desktop.server.actions.notes import do_add_note, do_delete_note
from kayako_desktop.server.actions.rules import do_delete_rule, do_save_rule
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.notes import access_note, note_model, note_page
from kayako_desktop.server.queries.permissions import access_invitation, access_note_to_delete, require_admin
from kayako_desktop.server.queries.rules import access_rule, rule_models, rule_rows
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


@api.route("GET", "/visitors/rules", auth=AGENT, resource="visitor_rule", tag="visitors", response=list[VisitorRule],
           collection=True, summary="Visitor rules: conditions on what visitors do, and what a match does")
def list_rules(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = rule_models(db, rule_rows(db))
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("POST", "/visitors/rules", auth=AGENT, resource="visitor_rule", tag="visitors", body=RuleInput,
           response=VisitorRule, statuses=[201],
           summary="Add a visitor rule (administrators): checked at every page view and heartbeat")
def create_rule(svc: Services, principal: Principal, body: RuleInput) -> Created:
    require_admin(principal)
    with svc.db.write() as tx:
        rule_id = do_save_rule(tx, None, principal.id, body)
        return Created(rule_models(tx, [access_rule(tx, rule_id)])[0])


@api.route("PUT", "/visitors/rules/<int:rule_id>", auth=AGENT, resource="visitor_rule", tag="visitors",
           body=RuleInput, response=VisitorRule, summary="Replace a visitor rule (administrators)")
def update_rule(svc: Services, principal: Principal, rule_id: int, body: RuleInput) -> VisitorRule:
    require_admin(principal)
    with svc.db.write() as tx:
        do_save_rule(tx, rule_id, principal.id, body)
        return rule_models(tx, [access_rule(tx, rule_id)])[0]


@api.route("DELETE", "/visitors/rules/<int:rule_id>", auth=AGENT, resource="visitor_rule", tag="visitors",
           summary="Delete a visitor rule (administrators)")
def delete_rule(svc: Services, principal: Principal, rule_id: int) -> None:
    require_admin(principal)
    with svc.db.write() as tx:
        do_delete_rule(tx, rule_id)
