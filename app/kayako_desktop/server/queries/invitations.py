"""Proactive chat invitations read back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import Invitation
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.rows import InvitationRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def invitation_models(db: Reader, rows: Sequence[InvitationRow]) -> list[Invitation]:
    """Invitations with the inviting agents: one query for the agents, whatever the number of rows."""
    agents = agent_refs(db, [r["agent_id"] for r in rows])
    return [Invitation(id=r["id"], visitor_id=r["visitor_id"], agent=agents[r["agent_id"]], message=r["message"],
                       state=r["state"], conversation_id=r["conversation_id"], created_at=iso(r["created_at"]))
            for r in rows]


def invitation_model(db: Reader, row: InvitationRow) -> Invitation:
    return invitation_models(db, [row])[0]


def pending_invitations(db: Reader, visitor_id: int) -> list[Invitation]:
    rows = db.execute("SELECT * FROM invitations WHERE visitor_id = ? AND state = 'PENDING' ORDER BY id",
                      (visitor_id,)).fetchall()
    return invitation_models(db, rows)
