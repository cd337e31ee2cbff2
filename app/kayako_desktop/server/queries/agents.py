"""Agent reads and their wire shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import Agent, AgentRef, EmailIdentity, SkillRef, TeamRef, UserRole
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import not_found
from kayako_desktop.server.rows import AgentRow, as_row

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader
    from kayako_desktop.server.realtime.presence import Presence


def agent_ref(row: Any) -> AgentRef:
    return AgentRef(id=row["id"], full_name=row["full_name"], avatar_url=row["avatar_url"])


def get_agent(db: Reader, agent_id: int | None) -> AgentRow | None:
    if agent_id is None:
        return None
    return as_row(db.execute("SELECT * FROM agents WHERE id = ?", (agent_id,)).fetchone(), AgentRow)


def access_agent(db: Reader, agent_id: int) -> AgentRow:
    """The agent's row, or NOT_FOUND."""
    row = get_agent(db, agent_id)
    if row is None:
        raise not_found("Agent")
    return row


def get_agent_ref(db: Reader, agent_id: int | None) -> AgentRef | None:
    row = get_agent(db, agent_id)
    return agent_ref(row) if row else None


def agent_refs(db: Reader, agent_ids: Iterable[int | None]) -> dict[int | None, AgentRef]:
    """Many agents' references in one query, by id (None and unknown ids are left out)."""
    ids = sorted({i for i in agent_ids if i is not None})
    if not ids:
        return {}
    rows = db.execute(f"SELECT * FROM agents WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
    return {r["id"]: agent_ref(r) for r in rows}


def agent_exists(db: Reader, email: str) -> bool:
    return db.execute("SELECT 1 FROM agents WHERE lower(email) = lower(?)", (email,)).fetchone() is not None


def agents_set_online(db: Reader) -> list[int]:
    """Agents whose chosen status is ONLINE (whether or not they are connected: see Presence)."""
    return [int(r[0]) for r in db.execute("SELECT id FROM agents WHERE status = 'ONLINE'").fetchall()]


def takers_online(db: Reader, presence: Presence) -> set[int]:
    """Agents who can take a chat now: their chosen status is ONLINE and they are connected (on any node)."""
    online = presence.online_agent_ids()
    return {a for a in agents_set_online(db) if a in online}


def agent_name(db: Reader, agent_id: int) -> str:
    row = db.execute("SELECT full_name FROM agents WHERE id = ?", (agent_id,)).fetchone()
    return str(row[0]) if row else "An agent"


def effective_status(row: AgentRow, presence: Presence) -> str:
    """The chosen status while the agent has a live socket, OFFLINE otherwise."""
    return row["status"] if presence.count("agent", row["id"]) else "OFFLINE"


def active_chats(db: Reader, agent_id: int) -> int:
    row = db.execute(
        "SELECT COUNT(*) FROM conversations WHERE owner_id = ? AND status = 'OPEN'", (agent_id,)
    ).fetchone()
    return int(row[0])


# Kayako's roles, as this server has them: an administrator also manages agents and may exceed capacity.
ROLES = [UserRole(id=1, title="Administrator", type="ADMIN", can_supervise=True),
         UserRole(id=2, title="Agent", type="AGENT"),
         UserRole(id=3, title="Supervisor", type="AGENT", can_supervise=True)]
ROLE_OF = {"ADMIN": ROLES[0], "AGENT": ROLES[1], "SUPERVISOR": ROLES[2]}  # by agents.role


def memberships(db: Reader, agent_ids: list[int]) -> tuple[dict[int, list[TeamRef]], dict[int, list[SkillRef]]]:
    """Each agent's departments and skills, each by title: one query for both."""
    teams: dict[int, list[TeamRef]] = {a: [] for a in agent_ids}
    skills: dict[int, list[SkillRef]] = {a: [] for a in agent_ids}
    if not agent_ids:
        return teams, skills
    marks = ",".join("?" * len(agent_ids))
    for r in db.execute(
            "SELECT * FROM (SELECT 'team' AS kind, m.agent_id, d.id, d.title FROM agent_departments m JOIN departments d "
            f"ON d.id = m.department_id WHERE m.agent_id IN ({marks}) UNION ALL SELECT 'skill' AS kind, m.agent_id, "
            f"s.id, s.title FROM agent_skills m JOIN skills s ON s.id = m.skill_id WHERE m.agent_id IN ({marks})) x "
            "ORDER BY lower(title), id", [*agent_ids, *agent_ids]).fetchall():
        if r["kind"] == "team":
            teams[int(r["agent_id"])].append(TeamRef(id=r["id"], title=r["title"]))
        else:
            skills[int(r["agent_id"])].append(SkillRef(id=r["id"], title=r["title"]))
    return teams, skills


def agent_model(db: Reader, row: AgentRow, presence: Presence, active: int | None = None,
                teams: list[TeamRef] | None = None, skills: list[SkillRef] | None = None) -> Agent:
    if teams is None or skills is None:
        found = memberships(db, [row["id"]])
        teams, skills = found[0][row["id"]], found[1][row["id"]]
    return Agent(
        id=row["id"],
        full_name=row["full_name"],
        avatar_url=row["avatar_url"],
        email=row["email"],
        role=ROLE_OF[row["role"]],
        status=effective_status(row, presence),
        max_chats=row["max_chats"],
        active_chats=active_chats(db, row["id"]) if active is None else active,
        created_at=iso(row["created_at"]),
        emails=[EmailIdentity(email=row["email"])],
        avatar=row["avatar_url"],
        is_enabled=bool(row["is_enabled"]),
        teams=teams,
        skills=skills,
    )


def list_agents(db: Reader, presence: Presence) -> list[Agent]:
    rows = db.execute(
        "SELECT a.*, (SELECT COUNT(*) FROM conversations c WHERE c.owner_id = a.id AND c.status = 'OPEN') AS active "
        "FROM agents a ORDER BY lower(a.full_name), a.id").fetchall()
    teams, skills = memberships(db, [r["id"] for r in rows])
    return [agent_model(db, r, presence, r["active"], teams[r["id"]], skills[r["id"]]) for r in rows]
