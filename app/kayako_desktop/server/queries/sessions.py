"""Who a request is from: agent sessions and visitor tokens, looked up."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from kayako_desktop.protocol.models import AgentRole

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


class SessionAgent(TypedDict):
    """A session joined with its agent."""
    sid: str
    csrf_token: str
    last_active_at: float
    id: int
    full_name: str
    role: AgentRole


class VisitorName(TypedDict):
    id: int
    name: str | None


def session_agent(db: Reader, session_id: str) -> SessionAgent | None:
    """The session (sid, csrf_token, last_active_at) joined with its agent (id, full_name, role), or None."""
    return cast("SessionAgent | None", db.execute(
        "SELECT s.id AS sid, s.csrf_token, s.last_active_at, a.id, a.full_name, a.role FROM sessions s "
        "JOIN agents a ON a.id = s.agent_id WHERE s.id = ?",
        (session_id,),
    ).fetchone())


def session_csrf(db: Reader, session_id: str | None) -> str | None:
    row = db.execute("SELECT csrf_token FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return str(row[0]) if row else None


def visitor_by_token_hash(db: Reader, digest: str) -> VisitorName | None:
    """(id, name) of the visitor holding the token with this hash, or None."""
    return cast("VisitorName | None",
                db.execute("SELECT id, name FROM visitors WHERE token_hash = ?", (digest,)).fetchone())
