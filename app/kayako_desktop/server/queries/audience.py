"""Who is in a conversation now, for resolving an event's audience (realtime/audience.py) at publish and
at replay. Runs on a write transaction or a read connection alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kayako_desktop.server.db import Lookup


def conversation_staff(tx: Lookup, conversation_id: int) -> list[int]:
    """Agents in the conversation now (owner, helpers, observers)."""
    rows = tx.all("SELECT agent_id FROM participants WHERE conversation_id = ? AND left_at IS NULL",
                  (conversation_id,))
    return [int(r[0]) for r in rows]


def conversation_visitor(tx: Lookup, conversation_id: int) -> int | None:
    row = tx.one("SELECT visitor_id FROM conversations WHERE id = ?", (conversation_id,))
    return int(row[0]) if row else None
