"""Ending a ringing chat request: shared by routing (accept, decline, time-outs, transfers) and by posting (an
owner who answers the visitor withdraws the automatic transfer that was ringing for their chat)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.events import OfferEnded
from kayako_desktop.protocol.models import OfferState
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import OfferRow, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def end_offer(tx: Tx, offer: OfferRow, state: OfferState) -> None:
    tx.execute("UPDATE offers SET state = ?, ended_at = ? WHERE id = ?", (state, tx.now, offer["id"]))
    payload = OfferEnded(offer_id=offer["id"], conversation_id=offer["conversation_id"], state=state)
    tx.emit(Event.OFFER_ENDED, payload, Audience.agent(offer["agent_id"]))


def withdraw_auto_transfer(tx: Tx, conversation_id: int) -> list[OfferRow]:
    """The owner answered the visitor: an automatic transfer ringing for their chat stops (a transfer they asked
    for goes on). Returns the offers withdrawn."""
    offers = as_rows(tx.all("SELECT * FROM offers WHERE conversation_id = ? AND state = 'OFFERED' "
                            "AND auto_transfer = 1", (conversation_id,)), OfferRow)
    for offer in offers:
        end_offer(tx, offer, "CANCELLED")
    return offers
