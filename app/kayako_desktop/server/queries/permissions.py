"""Who may do what: the permission table of app/kayako_desktop/server/README.md, in one place. Views and socket commands
call these `access_*` checks before an action (actions trust their callers). An agent's relation to a
chat is OWNER, PARTICIPANT (visible to the visitor), OBSERVER (staff only) or none; an ADMIN may also
end or transfer any chat (supervision). Nothing an observer is allowed reaches the visitor."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.conversations import access_conversation, participant_role
from kayako_desktop.server.rows import ConversationRow, InvitationRow, MacroRow, VisitorNoteRow

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.db import Reader


class ChatAction(StrEnum):
    READ = "read"
    REPLY_PUBLIC = "reply_public"
    REPLY_STAFF = "reply_staff"
    TYPE = "typing"
    MARK = "mark"
    END = "end"
    TRANSFER = "transfer"
    JOIN = "join"
    OBSERVE = "observe"
    LEAVE = "leave"
    ACCEPT = "accept"
    DECLINE = "decline"


OWNER, PARTICIPANT, OBSERVER, NONE = "OWNER", "PARTICIPANT", "OBSERVER", "NONE"
_JOIN_FIRST = (ErrorCode.PERMISSION_DENIED, "Join or accept this chat first")
_NOTES_ONLY = (ErrorCode.PERMISSION_DENIED, "Observers can only send staff-only notes")
_OBSERVER_SILENT = (ErrorCode.PERMISSION_DENIED, "Observers stay invisible to the visitor: join the chat first")
_NOT_IN = (ErrorCode.INVALID_STATE, "You are not in this chat")
_OWNER_ONLY = (ErrorCode.PERMISSION_DENIED, "Only the agent who owns this chat (or an administrator) can do this")
_END = (ErrorCode.PERMISSION_DENIED, "Only the agents in this chat (or an administrator) can end it")
Outcome = tuple[ErrorCode, str] | None  # None: allowed

# action → relation → outcome. Keep in step with the table in app/kayako_desktop/server/README.md.
CHAT_RULES: dict[ChatAction, dict[str, Outcome]] = {
    ChatAction.READ: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: None},
    ChatAction.REPLY_PUBLIC: {OWNER: None, PARTICIPANT: None, OBSERVER: _NOTES_ONLY, NONE: _JOIN_FIRST},
    ChatAction.REPLY_STAFF: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: _JOIN_FIRST},
    ChatAction.TYPE: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: _JOIN_FIRST},  # observer: staff only
    ChatAction.MARK: {OWNER: None, PARTICIPANT: None, OBSERVER: _OBSERVER_SILENT, NONE: _JOIN_FIRST},
    ChatAction.END: {OWNER: None, PARTICIPANT: None, OBSERVER: _END, NONE: _END},
    ChatAction.TRANSFER: {OWNER: None, PARTICIPANT: _OWNER_ONLY, OBSERVER: _OWNER_ONLY, NONE: _OWNER_ONLY},
    ChatAction.JOIN: {OWNER: (ErrorCode.INVALID_STATE, "You already own this chat"), PARTICIPANT: None,
                      OBSERVER: None, NONE: None},
    ChatAction.OBSERVE: {OWNER: (ErrorCode.INVALID_STATE, "You own this chat: transfer or leave it first"),
                         PARTICIPANT: (ErrorCode.INVALID_STATE, "Leave the chat first (the visitor sees that)"),
                         OBSERVER: None, NONE: None},
    ChatAction.LEAVE: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: _NOT_IN},
    ChatAction.ACCEPT: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: None},  # the chat's state decides
    ChatAction.DECLINE: {OWNER: None, PARTICIPANT: None, OBSERVER: None, NONE: None},  # only a ringing request
}
# Supervision: an administrator or a supervisor may end or transfer any chat, in it or not.
SUPERVISOR_MAY = frozenset({ChatAction.END, ChatAction.TRANSFER})


def relation(db: Reader, conversation_id: int, agent_id: int) -> str:
    return participant_role(db, conversation_id, agent_id) or NONE


def access_chat(db: Reader, conversation_id: int, principal: Principal, action: ChatAction) -> ConversationRow:
    """The conversation row if this agent may do `action` to it; else NOT_FOUND, PERMISSION_DENIED or
    INVALID_STATE with a sentence saying what would allow it."""
    row = access_conversation(db, conversation_id)
    outcome = CHAT_RULES[action][relation(db, conversation_id, principal.id)]
    if outcome is None or (principal.can_supervise and action in SUPERVISOR_MAY):
        return row
    if action is ChatAction.TRANSFER and row["owner_id"] is None:  # a queued chat: anyone may route it
        return row
    code, message = outcome
    raise ApiError(code, message, parameter="visibility" if outcome is _NOTES_ONLY else None)


def visible_name(db: Reader, conversation_id: int, principal: Principal) -> str | None:
    """The agent's name when the visitor may see them in this chat (owner or participant), else None:
    an administrator acting on a chat they observe, or are not in, stays unnamed to the visitor."""
    if relation(db, conversation_id, principal.id) in (OWNER, PARTICIPANT):
        return str(principal.name)
    return None


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only administrators can do this")


def require_supervisor(principal: Principal) -> None:
    if not principal.can_supervise:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only supervisors and administrators can do this")


def access_note_to_delete(db: Reader, note_id: int, principal: Principal) -> VisitorNoteRow:
    """Notes on visitors are shared; deleting one is for its author or an administrator."""
    row = access_by_id(db, "visitor_notes", note_id, VisitorNoteRow, "Note")
    if not principal.is_admin and row["agent_id"] != principal.id:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only the agent who wrote this note, or an administrator, can delete it")
    return row


def access_macro(db: Reader, macro_id: int, principal: Principal) -> MacroRow:
    """Canned responses are shared: every agent uses and adds them; changing or deleting one is for its
    author or an administrator."""
    row = access_by_id(db, "macros", macro_id, MacroRow, "Macro")
    if not principal.is_admin and row["created_by"] != principal.id:
        raise ApiError(ErrorCode.PERMISSION_DENIED,
                       "Only the agent who wrote this canned response, or an administrator, can change it")
    return row


def access_invitation(db: Reader, invitation_id: int, principal: Principal) -> InvitationRow:
    """Withdrawing an invitation is for the agent who sent it, or an administrator."""
    row = access_by_id(db, "invitations", invitation_id, InvitationRow, "Invitation")
    if not principal.is_admin and row["agent_id"] != principal.id:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only the agent who sent this invitation can withdraw it")
    return row
