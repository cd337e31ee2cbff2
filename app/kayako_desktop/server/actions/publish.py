"""Shared publishing steps: the conversation snapshot to staff and visitor, queue positions, search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.events import (
    ChatUpdated,
    ConversationChanged,
    QueuePositionChanged,
    VisitorUpdated,
)
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.queries.conversations import (
    access_conversation,
    chat_model,
    conversation_model,
    queued_ids,
)
from kayako_desktop.server.queries.visitors import access_visitor, visitor_model
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.search_index import active

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def publish_conversation(tx: Tx, conversation_id: int, *, created: bool = False, to_visitor: bool = True) -> None:
    """Broadcast the latest state (not a diff): agents get the staff view, the visitor their view.
    `to_visitor=False` when nothing the visitor sees changed (an observer came or went): an observer must
    never cause an event the visitor receives, not even an identical snapshot."""
    row = access_conversation(tx, conversation_id)
    event = Event.CONVERSATION_CREATED if created else Event.CONVERSATION_UPDATED
    tx.emit(event, ConversationChanged(conversation=conversation_model(tx, row)), Audience.agents())
    if to_visitor:
        tx.emit(Event.CHAT_UPDATED, ChatUpdated(conversation=chat_model(tx, row)), Audience.chat_visitor(row["id"]))
    publish_visitor(tx, row["visitor_id"])


def publish_visitor(tx: Tx, visitor_id: int) -> None:
    row = access_visitor(tx, visitor_id)
    tx.emit(Event.VISITOR_UPDATED, VisitorUpdated(visitor=visitor_model(tx, row)), Audience.agents())


def publish_queue_positions(tx: Tx) -> None:
    """Tell every waiting visitor their position (called whenever the queue changes)."""
    for position, cid in enumerate(queued_ids(tx), start=1):
        tx.emit(
            Event.QUEUE_POSITION_CHANGED,
            QueuePositionChanged(conversation_id=cid, position=position),
            Audience.chat_visitor(cid),
        )


def index_text(tx: Tx, conversation_id: int, text: str | None) -> None:
    if text and text.strip():
        active(tx).add(tx, conversation_id, text)


def index_post(tx: Tx, conversation_id: int, text: str | None) -> None:
    """A new post's text for Chat History (SQLite: in the next batch, search_index.py)."""
    if text and text.strip():
        active(tx).add_post(tx, conversation_id, text)
