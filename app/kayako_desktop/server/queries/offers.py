"""Chat requests ringing for an agent (routing/engine.py makes and ends them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import Offer
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.queries.conversations import conversation_models

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def offer_models(db: Reader, rows: list[Any]) -> list[Offer]:
    """Offers with their conversations and transferring agents, in a fixed number of queries."""
    if not rows:
        return []
    ids = sorted({r["conversation_id"] for r in rows})
    convs = db.execute(f"SELECT * FROM conversations WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
    conversations = {c.id: c for c in conversation_models(db, convs)}
    agents = agent_refs(db, [r["transfer_from"] for r in rows])
    return [Offer(id=r["id"], conversation=conversations[r["conversation_id"]], state=r["state"],
                  expires_at=iso(r["expires_at"]), transfer_from=agents.get(r["transfer_from"]),
                  created_at=iso(r["created_at"])) for r in rows]


def offer_model(db: Reader, row: Any) -> Offer:
    """In a write transaction or on a plain read connection (GET /offers)."""
    return offer_models(db, [row])[0]


def ringing_offers(db: Reader, agent_id: int) -> list[Offer]:
    rows = db.execute("SELECT * FROM offers WHERE agent_id = ? AND state = 'OFFERED' ORDER BY id",
                      (agent_id,)).fetchall()
    return offer_models(db, rows)
