"""Staff chat: one agent writes to another; both of their apps hear it (never a visitor). A message may ask
the recipient to help in a chat, which they then join as a whisper-only helper."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import HelpRequestInput
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import StaffMessageCreated, StaffMessagesRead
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.agents import get_agent
from kayako_desktop.server.queries.conversations import participant_role
from kayako_desktop.server.queries.staff import staff_message
from kayako_desktop.server.queries.visitors import access_visitor
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import ConversationRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def do_send_staff_message(tx: Tx, sender: int, recipient: int, contents: str, client_id: str,
                          conversation_id: int | None = None) -> tuple[int, bool]:
    """Returns (the message, whether it is new): a retry with the same client_id sends nothing twice."""
    existing = tx.one("SELECT id FROM staff_messages WHERE sender_id = ? AND client_id = ?", (sender, client_id))
    if existing is not None:
        return int(existing["id"]), False
    if recipient == sender:
        raise ApiError(ErrorCode.FIELD_INVALID, "Write to a colleague, not to yourself", parameter="to_agent_id")
    if tx.one("SELECT 1 FROM agents WHERE id = ?", (recipient,)) is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"No agent {recipient}", parameter="to_agent_id")
    text = contents.strip()
    if not text:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Write the message first", parameter="contents")
    new_id = tx.insert(
        "INSERT INTO staff_messages (sender_id, recipient_id, contents, conversation_id, client_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", (sender, recipient, text, conversation_id, client_id, tx.now))
    payload = StaffMessageCreated(message=staff_message(tx, new_id))
    tx.emit(Event.STAFF_MESSAGE_CREATED, payload, Audience.agent(recipient))
    tx.emit(Event.STAFF_MESSAGE_CREATED, payload, Audience.agent(sender))  # the sender's other windows
    return new_id, True


def do_ask_for_help(tx: Tx, conv: ConversationRow, sender: int, inp: HelpRequestInput) -> tuple[int, bool]:
    """Ask a colleague into a chat the sender is in (Classic's "invite to conference"): a staff message naming
    the chat, which they answer by joining it as an observer. A retry with the same client_id answers the first."""
    existing = tx.one("SELECT id FROM staff_messages WHERE sender_id = ? AND client_id = ?", (sender, inp.client_id))
    if existing is not None:
        return int(existing["id"]), False
    if conv["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has already ended")
    colleague = get_agent(tx, inp.agent_id)
    if colleague is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"No agent {inp.agent_id}", parameter="agent_id")
    if participant_role(tx, conv["id"], inp.agent_id) or conv["owner_id"] == inp.agent_id:
        raise ApiError(ErrorCode.INVALID_STATE, f"{colleague['full_name']} is already in this chat",
                       parameter="agent_id")
    visitor = access_visitor(tx, conv["visitor_id"])["name"] or "a visitor"
    text = inp.contents.strip() or f"Can you help me in the chat with {visitor}?"
    return do_send_staff_message(tx, sender, inp.agent_id, text, inp.client_id, conversation_id=conv["id"])


def do_read_staff_messages(tx: Tx, reader: int, sender: int, up_to_id: int) -> int:
    """The reader has seen the sender's messages up to an id: returns how many became read."""
    count = int(tx.value("SELECT COUNT(*) FROM staff_messages WHERE recipient_id = ? AND sender_id = ? AND id <= ? "
                         "AND read_at IS NULL", (reader, sender, up_to_id)))
    if count:
        tx.execute("UPDATE staff_messages SET read_at = ? WHERE recipient_id = ? AND sender_id = ? AND id <= ? "
                   "AND read_at IS NULL", (tx.now, reader, sender, up_to_id))
        payload = StaffMessagesRead(reader_id=reader, sender_id=sender, up_to_id=up_to_id, read_at=iso(tx.now))
        tx.emit(Event.STAFF_MESSAGES_READ, payload, Audience.agent(reader))
        tx.emit(Event.STAFF_MESSAGES_READ, payload, Audience.agent(sender))
    return count
