"""Who an event is for. Resolved to concrete sockets (agents / visitors) at publish and at replay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kayako_desktop.server.db import Lookup

AGENTS = "agents"
AGENT = "agent"
CONVERSATION_STAFF = "conversation_staff"
CONVERSATION_VISITOR = "conversation_visitor"
VISITOR = "visitor"


@dataclass(frozen=True)
class Audience:
    kind: str
    id: int | None = None

    @classmethod
    def agents(cls) -> Audience:
        return cls(AGENTS)

    @classmethod
    def agent(cls, agent_id: int) -> Audience:
        return cls(AGENT, agent_id)

    @classmethod
    def staff(cls, conversation_id: int) -> Audience:
        """The agents taking part in a conversation: owner, participants and observers."""
        return cls(CONVERSATION_STAFF, conversation_id)

    @classmethod
    def chat_visitor(cls, conversation_id: int) -> Audience:
        return cls(CONVERSATION_VISITOR, conversation_id)

    @classmethod
    def visitor(cls, visitor_id: int) -> Audience:
        return cls(VISITOR, visitor_id)

    def resolve(self, tx: Lookup) -> list[tuple[str, int]]:
        """Concrete recipients as ("agent"|"visitor", id); ("agents", 0) means every agent socket."""
        if self.kind == AGENTS:
            return [(AGENTS, 0)]
        if self.kind == AGENT:
            return [("agent", int(self.id or 0))]
        if self.kind == VISITOR:
            return [("visitor", int(self.id or 0))]
        if self.kind == CONVERSATION_STAFF:
            rows = tx.all(
                "SELECT agent_id FROM participants WHERE conversation_id = ? AND left_at IS NULL", (self.id,)
            )
            return [("agent", r[0]) for r in rows]
        if self.kind == CONVERSATION_VISITOR:
            row = tx.one("SELECT visitor_id FROM conversations WHERE id = ?", (self.id,))
            return [("visitor", row[0])] if row else []
        raise ValueError(self.kind)


def replay_filter(role: str, principal_id: int) -> tuple[str, tuple[Any, ...]]:
    """SQL condition selecting the logged events a reconnecting socket is entitled to."""
    if role == "agent":
        return (
            "(audience_kind = 'agents' OR (audience_kind = 'agent' AND audience_id = ?) OR "
            "(audience_kind = 'conversation_staff' AND audience_id IN "
            "(SELECT conversation_id FROM participants WHERE agent_id = ?)))",
            (principal_id, principal_id),
        )
    return (
        "((audience_kind = 'visitor' AND audience_id = ?) OR (audience_kind = 'conversation_visitor' AND "
        "audience_id IN (SELECT id FROM conversations WHERE visitor_id = ?)))",
        (principal_id, principal_id),
    )
