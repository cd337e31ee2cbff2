"""Chat requests ringing for an agent (routing/engine.py makes and ends them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import Offer
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.queries.conversations import conversation_models
from kayako_desktop.server.rows import OfferRow, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def ringing_offer_rows(db: Reader, *, agent_id: int | None = None, conversation_id: int | None = None) -> list[OfferRow]:
    """The offers still ringing for an agent, or in a chat."""
    column, value = ("agent_id", agent_id) if agent_id is not None else ("conversation_id", conversation_id)
    return as_rows(db.execute(f"SELECT * FROM offers WHERE {column} = ? AND state = 'OFFERED' ORDER BY id",  # noqa: S608
                              (value,)).fetchall(), OfferRow)


def offer_models(db: Reader, rows: Sequence[OfferRow]) -> list[Offer]:
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


def offer_model(db: Reader, row: OfferRow) -> Offer:
    """In a write transaction or on a plain read connection (GET /offers)."""
    return offer_models(db, [row])[0]


def ringing_offers(db: Reader, agent_id: int) -> list[Offer]:
    """The chat requests ringing for an agent, as the protocol's offers."""
    return offer_models(db, list(ringing_offer_rows(db, agent_id=agent_id)))
