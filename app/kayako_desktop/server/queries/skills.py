"""Skills (Kayako Classic's chat skills) read back, and who has one.

A chat asking for a skill rings the agents who have it first; routing/engine decides when that widens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import AgentRef, Skill
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.agents import agent_ref
from kayako_desktop.server.rows import SkillRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def access_skill(db: Reader, skill_id: int) -> SkillRow:
    return access_by_id(db, "skills", skill_id, SkillRow, "Skill")


def skill_agents(db: Reader, skill_id: int) -> set[int]:
    """The agents who have this skill."""
    return {int(r[0]) for r in db.execute("SELECT agent_id FROM agent_skills WHERE skill_id = ?", (skill_id,)).fetchall()}


def list_skills(db: Reader, online: set[int]) -> list[Skill]:
    """Every skill by title, with who has it and how many of them can take a chat now (`online`: the agents
    connected and ONLINE). Two queries."""
    rows = db.execute("SELECT * FROM skills ORDER BY lower(title), id").fetchall()
    members: dict[int, list[AgentRef]] = {int(r["id"]): [] for r in rows}
    for r in db.execute("SELECT m.skill_id AS skill_id, a.* FROM agent_skills m JOIN agents a ON a.id = m.agent_id "
                        "ORDER BY lower(a.full_name), a.id").fetchall():
        members[int(r["skill_id"])].append(agent_ref(r))
    return [Skill(id=r["id"], title=r["title"], agents=members[int(r["id"])],
                  online_agents=len({a.id for a in members[int(r["id"])]} & online), created_at=iso(r["created_at"]))
            for r in rows]


def skill_model(db: Reader, skill_id: int, online: set[int]) -> Skill:
    access_skill(db, skill_id)
    return next(s for s in list_skills(db, online) if s.id == skill_id)

