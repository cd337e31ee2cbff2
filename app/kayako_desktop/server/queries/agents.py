"""Agent reads and their wire shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import Agent, AgentRef
from kayako_desktop.server.clock import iso

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader
    from kayako_desktop.server.realtime.presence import Presence


def agent_ref(row: Any) -> AgentRef:
    return AgentRef(id=row["id"], full_name=row["full_name"], avatar_url=row["avatar_url"])


def get_agent(db: Reader, agent_id: int | None) -> Any:
    if agent_id is None:
        return None
    return db.execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone()


def get_agent_ref(db: Reader, agent_id: int | None) -> AgentRef | None:
    row = get_agent(db, agent_id)
    return agent_ref(row) if row else None


def agent_name(db: Reader, agent_id: int) -> str:
    row = db.execute("SELECT full_name FROM agents WHERE id = ?", (agent_id,)).fetchone()
    return str(row[0]) if row else "An agent"


def effective_status(row: Any, presence: Presence) -> str:
    """The chosen status while the agent has a live socket, OFFLINE otherwise."""
    return row["status"] if presence.count("agent", row["id"]) else "OFFLINE"


def active_chats(db: Reader, agent_id: int) -> int:
    row = db.execute(
        "SELECT COUNT(*) FROM conversations WHERE owner_id = ? AND status = 'OPEN'", (agent_id,)
    ).fetchone()
    return int(row[0])


def agent_model(db: Reader, row: Any, presence: Presence) -> Agent:
    return Agent(
        id=row["id"],
        full_name=row["full_name"],
        avatar_url=row["avatar_url"],
        email=row["email"],
        role=row["role"],
        status=effective_status(row, presence),
        max_chats=row["max_chats"],
        active_chats=active_chats(db, row["id"]),
        created_at=iso(row["created_at"]),
    )


def list_agents(db: Reader, presence: Presence) -> list[Agent]:
    rows = db.execute("SELECT * FROM agents ORDER BY full_name COLLATE NOCASE, id").fetchall()
    return [agent_model(db, r, presence) for r in rows]
