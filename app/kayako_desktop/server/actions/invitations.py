"""Proactive chat: an agent invites a visitor; accepting starts a chat owned by that agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import InvitationChanged
from kayako_desktop.protocol.models import Invitation
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.conversations import do_start_invited_chat
from kayako_desktop.server.errors import ApiError, not_found
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.invitations import invitation_model
from kayako_desktop.server.queries.visitors import access_visitor
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import InvitationRow, as_row, as_rows, typed

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services


def _publish(tx: Tx, row: InvitationRow, event: Event) -> Invitation:
    inv = invitation_model(tx, row)
    tx.emit(event, InvitationChanged(invitation=inv), Audience.visitor(row["visitor_id"]))
    tx.emit(Event.INVITATION_UPDATED, InvitationChanged(invitation=inv), Audience.agent(row["agent_id"]))
    return inv


def _set_state(tx: Tx, row: InvitationRow, state: str, conversation_id: int | None = None) -> Invitation:
    tx.execute("UPDATE invitations SET state = ?, conversation_id = ? WHERE id = ?", (state, conversation_id, row["id"]))
    return _publish(tx, typed(tx.row("SELECT * FROM invitations WHERE id = ?", (row["id"],)), InvitationRow),
                    Event.INVITATION_UPDATED)


def _live_chat(tx: Tx, visitor_id: int) -> bool:
    return tx.one("SELECT 1 FROM conversations WHERE visitor_id = ? AND status != 'COMPLETED' AND is_offline = 0",
                  (visitor_id,)) is not None


def do_invite(svc: Services, tx: Tx, visitor_id: int, agent_id: int, message: str) -> Invitation:
    visitor = access_visitor(tx, visitor_id)
    if not visitor["online"] and not svc.presence.count("visitor", visitor_id):
        raise ApiError(ErrorCode.INVALID_STATE, "This visitor has left the website")
    if _live_chat(tx, visitor_id):
        raise ApiError(ErrorCode.INVALID_STATE, "This visitor is already in a chat")
    for old in as_rows(tx.all("SELECT * FROM invitations WHERE visitor_id = ? AND state = 'PENDING'", (visitor_id,)),
                       InvitationRow):
        _set_state(tx, old, "CANCELLED")
    new_id = tx.insert(
        "INSERT INTO invitations (visitor_id, agent_id, message, state, created_at) VALUES (?, ?, ?, 'PENDING', ?)",
        (visitor_id, agent_id, message.strip(), tx.now),
    )
    return _publish(tx, typed(tx.row("SELECT * FROM invitations WHERE id = ?", (new_id,)), InvitationRow),
                    Event.INVITATION_CREATED)


def _pending(tx: Tx, invitation_id: int, visitor_id: int) -> InvitationRow:
    row = as_row(tx.one("SELECT * FROM invitations WHERE id = ? AND visitor_id = ?", (invitation_id, visitor_id)),
                 InvitationRow)
    if row is None:
        raise not_found("Invitation")
    if row["state"] != "PENDING":
        raise ApiError(ErrorCode.INVALID_STATE, f"This invitation was already {row['state'].lower()}")
    return row


def do_answer_invitation(tx: Tx, invitation_id: int, visitor_id: int, accept: bool) -> Invitation:
    row = _pending(tx, invitation_id, visitor_id)
    if not accept:
        return _set_state(tx, row, "DECLINED")
    if _live_chat(tx, visitor_id):  # one live chat per visitor, as when starting a chat
        raise ApiError(ErrorCode.INVALID_STATE, "You are already in a chat")
    cid = do_start_invited_chat(tx, row)
    return _set_state(tx, row, "ACCEPTED", cid)


def do_cancel_invitation(tx: Tx, invitation_id: int, agent_id: int) -> Invitation:
    row = access_by_id(tx, "invitations", invitation_id, InvitationRow, "Invitation")
    if row["state"] != "PENDING":
        raise ApiError(ErrorCode.INVALID_STATE, f"This invitation was already {row['state'].lower()}")
    return _set_state(tx, row, "CANCELLED")
