"""Chats: start (visitor), offline message, join / observe / leave, end, rate."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import ChatStart, OfflineMessage, PostInput, RatingInput
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.actions.posts import do_create_post, do_system_post
from kayako_desktop.server.actions.publish import index_text, publish_conversation, publish_queue_positions
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.agents import agent_name
from kayako_desktop.server.queries.conversations import access_conversation, participant_role
from kayako_desktop.server.queries.rules import skill_for_visitor
from kayako_desktop.server.routing.engine import cancel_offers, do_dispatch
from kayako_desktop.server.rows import ConversationRow, InvitationRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services

PROACTIVE_SUBJECT = "Proactive chat"


def _set_identity(tx: Tx, visitor_id: int, name: str, email: str | None) -> None:
    tx.execute(
        "UPDATE visitors SET name = ?, email = COALESCE(?, email) WHERE id = ?", (name.strip(), email, visitor_id)
    )


def _public_department(tx: Tx, department_id: int | None) -> int | None:
    """The department a visitor asks for: one the widget offers (public), else a clear 400."""
    if department_id is None:
        return None
    if tx.one("SELECT 1 FROM departments WHERE id = ? AND is_public = 1", (department_id,)) is None:
        raise ApiError(ErrorCode.FIELD_INVALID, f"No department {department_id} takes chats here",
                       parameter="department_id")
    return department_id


def _insert(tx: Tx, visitor_id: int, subject: str, *, offline: bool, client_id: str | None,
            owner_id: int | None = None, department_id: int | None = None) -> int:
    # A visitor rule may route the chat to a skill (invited chats have their agent already).
    skill = skill_for_visitor(tx, visitor_id) if owner_id is None else None
    new_id = tx.insert(
        "INSERT INTO conversations (subject, status, visitor_id, owner_id, is_offline, client_id, created_at, "
        "updated_at, department_id, taken_at, skill_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (subject.strip(), "OPEN" if owner_id else "NEW", visitor_id, owner_id, int(offline), client_id,
         tx.now, tx.now, department_id, tx.now if owner_id else None, skill),
    )
    cid = new_id
    visitor = tx.row("SELECT name, email FROM visitors WHERE id = ?", (visitor_id,))
    index_text(tx, cid, " ".join(filter(None, [subject, visitor["name"], visitor["email"]])))
    return cid


def do_start_chat(svc: Services, tx: Tx, visitor_id: int, inp: ChatStart) -> tuple[int, bool]:
    """A visitor asks for a chat: it becomes a conversation at once and enters the queue; `contents`, when
    given, is the visitor's first message in it. Returns (the chat, whether it is new): a retry with the
    same client_id, or asking while a chat is still going on, continues that chat (one live chat each)."""
    cid, created = _chat_to_continue(tx, visitor_id, inp.client_id), False
    if cid is None:
        department = _public_department(tx, inp.department_id)
        _set_identity(tx, visitor_id, inp.name, inp.email)
        cid, created = _insert(tx, visitor_id, inp.subject, offline=False, client_id=inp.client_id,
                               department_id=department), True
        publish_conversation(tx, cid, created=True)
        publish_queue_positions(tx)
    if inp.contents:  # before routing: the agent who is offered the chat sees the question at once
        first = f"{inp.client_id}:first" if inp.client_id else f"first-{uuid.uuid4()}"
        do_create_post(tx, access_conversation(tx, cid), "VISITOR", visitor_id,
                       PostInput(client_id=first, contents=inp.contents))
    if created:
        do_dispatch(svc, tx)
    return cid, created


def _chat_to_continue(tx: Tx, visitor_id: int, client_id: str | None) -> int | None:
    if client_id:
        same = tx.one("SELECT id FROM conversations WHERE visitor_id = ? AND client_id = ?", (visitor_id, client_id))
        if same:
            return int(same["id"])
    live = tx.one(
        "SELECT id FROM conversations WHERE visitor_id = ? AND status != 'COMPLETED' AND is_offline = 0", (visitor_id,)
    )
    return int(live["id"]) if live else None


def do_offline_message(tx: Tx, visitor_id: int, inp: OfflineMessage, client_id: str) -> int:
    """Nobody is online: the message is kept as a conversation for the team to follow up by email."""
    department = _public_department(tx, inp.department_id)
    _set_identity(tx, visitor_id, inp.name, inp.email)
    cid = _insert(tx, visitor_id, inp.subject, offline=True, client_id=None, department_id=department)
    conv = access_conversation(tx, cid)
    do_create_post(tx, conv, "VISITOR", visitor_id, PostInput(client_id=client_id, contents=inp.message))
    publish_conversation(tx, cid, created=True)
    return cid


def do_start_invited_chat(tx: Tx, invitation: InvitationRow) -> int:
    """A visitor accepted an invitation: the chat starts owned by the inviting agent. The visitor asked
    nothing, so the subject only says what kind of chat it is, for the agents' lists and history (no
    agent name: it would go stale on a rename; the owner shows anyway). The visitor's view leaves it
    out, see chat_model."""
    visitor_id, agent_id, message = invitation["visitor_id"], invitation["agent_id"], invitation["message"]
    cid = _insert(tx, visitor_id, PROACTIVE_SUBJECT, offline=False, client_id=None, owner_id=agent_id)
    # Linked before anything is published: chat_model reads the link to know the chat is proactive.
    tx.execute("UPDATE invitations SET conversation_id = ? WHERE id = ?", (cid, invitation["id"]))
    tx.execute(
        "INSERT INTO participants (conversation_id, agent_id, role, joined_at) VALUES (?, ?, 'OWNER', ?)",
        (cid, agent_id, tx.now),
    )
    conv = access_conversation(tx, cid)
    do_create_post(tx, conv, "AGENT", agent_id, PostInput(client_id=f"invitation-{cid}", contents=message))
    publish_conversation(tx, cid, created=True)
    return cid


def do_join(svc: Services, tx: Tx, conversation_id: int, agent_id: int, role: str) -> None:
    """Join visibly (PARTICIPANT) or observe (OBSERVER, staff only). Who may is the permission table's
    business (queries/permissions.py); this checks the chat's state."""
    conv = access_conversation(tx, conversation_id)
    if conv["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has already ended")
    current = participant_role(tx, conversation_id, agent_id)
    if current == role:
        return
    if role == "PARTICIPANT" and conv["status"] == "NEW":
        raise ApiError(ErrorCode.INVALID_STATE, "Nobody has accepted this chat yet: accept it to join")
    tx.execute(
        "INSERT INTO participants (conversation_id, agent_id, role, joined_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (conversation_id, agent_id) DO UPDATE SET role = excluded.role, left_at = NULL, "
        "joined_at = excluded.joined_at",
        (conversation_id, agent_id, role, tx.now),
    )
    name = agent_name(tx, agent_id)
    if role == "OBSERVER":
        do_system_post(tx, conv, f"{name} is observing this chat (only staff can see this)", staff_only=True)
    else:
        do_system_post(tx, conv, f"{name} joined the chat")
    publish_conversation(tx, conversation_id, to_visitor=role != "OBSERVER")


def do_leave(svc: Services, tx: Tx, conversation_id: int, agent_id: int) -> None:
    conv = access_conversation(tx, conversation_id)
    role = participant_role(tx, conversation_id, agent_id)
    if role is None:
        raise ApiError(ErrorCode.INVALID_STATE, "You are not in this chat")
    name = agent_name(tx, agent_id)
    if conv["status"] != "COMPLETED":
        if role == "OBSERVER":
            do_system_post(tx, conv, f"{name} stopped observing", staff_only=True)
        else:
            do_system_post(tx, conv, f"{name} left the chat")
    tx.execute(
        "UPDATE participants SET left_at = ? WHERE conversation_id = ? AND agent_id = ?",
        (tx.now, conversation_id, agent_id),
    )
    if role == "OWNER" and conv["status"] == "OPEN":
        _hand_over(svc, tx, conversation_id)
    publish_conversation(tx, conversation_id, to_visitor=role != "OBSERVER")


def _hand_over(svc: Services, tx: Tx, conversation_id: int) -> None:
    """The owner left: the longest-standing participant takes over, or the chat goes back to the queue."""
    heir = tx.one(
        "SELECT agent_id FROM participants WHERE conversation_id = ? AND role = 'PARTICIPANT' AND left_at IS NULL "
        "ORDER BY joined_at LIMIT 1",
        (conversation_id,),
    )
    if heir:
        tx.execute("UPDATE participants SET role = 'OWNER' WHERE conversation_id = ? AND agent_id = ?",
                   (conversation_id, heir[0]))
        tx.execute("UPDATE conversations SET owner_id = ?, updated_at = ? WHERE id = ?", (heir[0], tx.now, conversation_id))
        return
    tx.execute("UPDATE conversations SET owner_id = NULL, status = 'NEW', updated_at = ? WHERE id = ?",
               (tx.now, conversation_id))
    publish_queue_positions(tx)
    do_dispatch(svc, tx)


def do_end(svc: Services, tx: Tx, conversation_id: int, by_name: str | None, *, hidden_ender: str | None = None) -> None:
    """End the chat. `by_name` is who the visitor reads ended it; None when that agent is not visibly in
    the chat (an administrator supervising): the visitor reads no name, staff read `hidden_ender`."""
    conv = access_conversation(tx, conversation_id)
    if conv["status"] == "COMPLETED":
        return
    was_queued = conv["status"] == "NEW"
    tx.execute(
        "UPDATE conversations SET status = 'COMPLETED', completed_at = ?, updated_at = ? WHERE id = ?",
        (tx.now, tx.now, conversation_id),
    )
    cancel_offers(tx, conversation_id)
    if hidden_ender:
        do_system_post(tx, conv, f"{hidden_ender} ended the chat", staff_only=True)
    do_system_post(tx, conv, f"The chat was ended by {by_name}" if by_name else "The chat was ended")
    publish_conversation(tx, conversation_id)
    if was_queued:
        publish_queue_positions(tx)
    do_dispatch(svc, tx)


def do_rate(tx: Tx, conversation_id: int, visitor_id: int, inp: RatingInput) -> None:
    conv = access_conversation(tx, conversation_id, visitor_id=visitor_id)
    if not tx.one("SELECT 1 FROM participants WHERE conversation_id = ? AND role != 'OBSERVER'", (conversation_id,)):
        raise ApiError(ErrorCode.INVALID_STATE, "A chat can be rated once an agent has answered")
    if conv["is_offline"]:
        raise ApiError(ErrorCode.INVALID_STATE, "Offline messages cannot be rated")
    tx.execute(
        "UPDATE conversations SET rating = ?, rating_comment = ?, updated_at = ? WHERE id = ?",
        (inp.score, (inp.comment or "").strip() or None, tx.now, conversation_id),
    )
    publish_conversation(tx, conversation_id)


def do_rename(tx: Tx, conversation_id: int, subject: str) -> None:
    """A new subject for the chat (agents and the visitor see it; Chat History finds it by the new words)."""
    subject = subject.strip()
    conv = access_conversation(tx, conversation_id)
    if conv["subject"] == subject:
        return
    tx.execute("UPDATE conversations SET subject = ?, updated_at = ? WHERE id = ?", (subject, tx.now, conversation_id))
    index_text(tx, conversation_id, subject)
    publish_conversation(tx, conversation_id)


def status_change_ends(conv: ConversationRow, wanted: str) -> bool:
    """Kayako's status on a case, for a chat: Completed or Closed ends it (True); its current status changes
    nothing (False); anything else follows from the chat's life and cannot be set (INVALID_STATE)."""
    if wanted in ("COMPLETED", "CLOSED"):
        return bool(conv["status"] != "COMPLETED")
    if wanted == conv["status"]:
        return False
    raise ApiError(ErrorCode.INVALID_STATE, f"A chat is {conv['status']} and cannot be set {wanted}: it becomes "
                   "OPEN when an agent accepts it; set status_id 4 (Completed) to end it", parameter="status_id")


def do_release_abandoned(svc: Services, tx: Tx) -> None:
    """An agent gone offline with chats open (laptop closed, network lost): once no socket and no request of
    theirs has been seen for CHAT_OFFLINE_OWNER_GRACE seconds, each of their chats goes to a participant or
    back to the queue, as if they had left it, so no visitor waits on someone who is not there. A server
    that has just started waits as long before judging (its agents are still reconnecting). 0 turns it off."""
    grace = float(svc.config["CHAT_OFFLINE_OWNER_GRACE"])
    if grace <= 0 or tx.now - svc.started_at < grace:
        return
    online = svc.presence.online_agent_ids()
    rows = tx.all(  # (the owner's own participant row: do_leave needs them in the chat)
        "SELECT c.id, c.owner_id FROM conversations c JOIN participants o ON o.conversation_id = c.id "
        "AND o.agent_id = c.owner_id AND o.left_at IS NULL WHERE c.status = 'OPEN' "
        "AND COALESCE((SELECT MAX(s.last_active_at) FROM sessions s WHERE s.agent_id = c.owner_id), 0) <= ? "
        "ORDER BY c.id", (tx.now - grace,))
    for row in rows:
        if row["owner_id"] in online:
            continue
        conv = access_conversation(tx, row["id"])
        name = agent_name(tx, row["owner_id"])
        do_system_post(tx, conv, f"{name} went offline: the chat was handed on", staff_only=True)
        do_leave(svc, tx, row["id"], row["owner_id"])
