"""Notes on visitors read back: a visitor's, newest first, with their authors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import VisitorNote
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.rows import VisitorNoteRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def note_models(db: Reader, rows: Sequence[VisitorNoteRow]) -> list[VisitorNote]:
    """Notes with their authors: one query for the authors, whatever the number of rows."""
    authors = agent_refs(db, [r["agent_id"] for r in rows])
    return [VisitorNote(id=r["id"], visitor_id=r["visitor_id"], conversation_id=r["conversation_id"],
                        body_text=r["body_text"], creator=authors[r["agent_id"]], created_at=iso(r["created_at"]))
            for r in rows]


def note_model(db: Reader, row: VisitorNoteRow) -> VisitorNote:
    return note_models(db, [row])[0]


def access_note(db: Reader, note_id: int) -> VisitorNoteRow:
    return access_by_id(db, "visitor_notes", note_id, VisitorNoteRow, "Note")


def note_page(db: Reader, visitor_id: int, offset: int, limit: int) -> tuple[list[VisitorNote], int]:
    total = int(db.execute("SELECT COUNT(*) FROM visitor_notes WHERE visitor_id = ?", (visitor_id,)).fetchone()[0])
    rows = db.execute("SELECT * FROM visitor_notes WHERE visitor_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                      (visitor_id, limit, offset)).fetchall()
    return note_models(db, rows), total
