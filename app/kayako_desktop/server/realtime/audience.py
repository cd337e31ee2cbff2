"""Who an event is for. Resolved to concrete sockets (agents / visitors) at publish and at replay."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kayako_desktop.server.queries.audience import conversation_staff, conversation_visitor

if TYPE_CHECKING:
    from kayako_desktop.server.db import Lookup

AGENTS = "agents"
AGENT = "agent"
CONVERSATION_STAFF = "conversation_staff"
CONVERSATION_VISITOR = "conversation_visitor"
VISITOR = "visitor"
# An agent session ended: logged with a seq like an event, handled by every node's hub (its sockets close
# with 4401), never sent to a client nor replayed (no client audience matches it).
SESSION = "session"
SESSION_REVOKED = "session.revoked"
# A visitor may no longer chat (banned): every node closes their sockets (4403), logged and handled like a
# revoked session.
VISITOR_BLOCKED = "visitor.blocked"


def session_hash(session_id: str) -> str:
    """What the event log keeps of a revoked session: enough to find its sockets, useless to log in with."""
    return hashlib.sha256(session_id.encode()).hexdigest()


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
            return [("agent", agent_id) for agent_id in conversation_staff(tx, int(self.id or 0))]
        if self.kind == SESSION:
            return []
        if self.kind == CONVERSATION_VISITOR:
            visitor_id = conversation_visitor(tx, int(self.id or 0))
            return [("visitor", visitor_id)] if visitor_id is not None else []
        raise ValueError(self.kind)
