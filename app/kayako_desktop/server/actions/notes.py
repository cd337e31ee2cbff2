"""Notes agents keep on visitors: every agent reads them (and hears of new ones at once); a visitor never does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import NoteInput
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import NoteCreated, NoteDeleted
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.notes import access_note, note_model
from kayako_desktop.server.realtime.audience import Audience

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def do_add_note(tx: Tx, visitor_id: int, agent_id: int, inp: NoteInput) -> int:
    text = inp.body_text.strip()
    if not text:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Write the note first", parameter="body_text")
    if inp.conversation_id is not None and tx.one("SELECT 1 FROM conversations WHERE id = ? AND visitor_id = ?",
                                                  (inp.conversation_id, visitor_id)) is None:
        raise ApiError(ErrorCode.FIELD_INVALID, f"Chat {inp.conversation_id} is not one of this visitor's",
                       parameter="conversation_id")
    new_id = tx.insert(
        "INSERT INTO visitor_notes (visitor_id, conversation_id, agent_id, body_text, created_at) VALUES (?, ?, ?, ?, ?)",
        (visitor_id, inp.conversation_id, agent_id, text, tx.now),
    )
    tx.emit(Event.NOTE_CREATED, NoteCreated(note=note_model(tx, access_note(tx, new_id))), Audience.agents())
    return new_id


def do_delete_note(tx: Tx, note_id: int) -> None:
    row = access_note(tx, note_id)
    tx.execute("DELETE FROM visitor_notes WHERE id = ?", (note_id,))
    tx.emit(Event.NOTE_DELETED, NoteDeleted(note_id=note_id, visitor_id=row["visitor_id"]), Audience.agents())
