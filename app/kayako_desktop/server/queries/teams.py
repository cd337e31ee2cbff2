"""Departments (Kayako: teams) read back, and who may take a department's chats.

An agent takes the chats of the departments they belong to and of every department below those (a manager
of Sales also takes Sales › Enterprise). Departments nest at most MAX_DEPTH deep, so the walks stay short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import AgentRef, Department, Team
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.agents import agent_ref
from kayako_desktop.server.rows import DepartmentRow, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

MAX_DEPTH = 3


def all_departments(db: Reader) -> dict[int, DepartmentRow]:
    return {r["id"]: r for r in as_rows(db.execute("SELECT * FROM departments").fetchall(), DepartmentRow)}


def lineage(departments: dict[int, DepartmentRow], department_id: int) -> list[int]:
    """The department and those above it, nearest first."""
    chain: list[int] = []
    current: int | None = department_id
    while current is not None and current in departments and current not in chain:
        chain.append(current)
        current = departments[current]["parent_id"]
    return chain


def department_agents(db: Reader, department_id: int) -> set[int]:
    """The agents who take this department's chats: its members and those of the departments above it."""
    chain = lineage(all_departments(db), department_id)
    if not chain:
        return set()
    rows = db.execute(f"SELECT agent_id FROM agent_departments WHERE department_id IN ({','.join('?' * len(chain))})",
                      chain).fetchall()
    return {int(r[0]) for r in rows}


def access_team(db: Reader, team_id: int) -> DepartmentRow:
    return access_by_id(db, "departments", team_id, DepartmentRow, "Department")


def list_teams(db: Reader, online: set[int]) -> list[Team]:
    """Every department by title, with its members and how many who take its chats can take one now
    (`online`: the agents connected and ONLINE)."""
    departments = all_departments(db)
    members: dict[int, list[AgentRef]] = {d: [] for d in departments}
    for r in db.execute("SELECT m.department_id AS department_id, a.* FROM agent_departments m "
                        "JOIN agents a ON a.id = m.agent_id ORDER BY lower(a.full_name), a.id").fetchall():
        members[int(r["department_id"])].append(agent_ref(r))
    out = []
    for d in sorted(departments.values(), key=lambda r: (str(r["title"]).lower(), r["id"])):
        takers = {a.id for dep in lineage(departments, int(d["id"])) for a in members[dep]}
        out.append(Team(id=d["id"], title=d["title"], parent_id=d["parent_id"], is_public=bool(d["is_public"]),
                        auto_transfer_seconds=d["auto_transfer_seconds"],
                        agents=members[int(d["id"])], online_agents=len(takers & online), created_at=iso(d["created_at"])))
    return out


def team_model(db: Reader, team_id: int, online: set[int]) -> Team:
    access_team(db, team_id)
    return next(t for t in list_teams(db, online) if t.id == team_id)


def messenger_departments(db: Reader, online: set[int]) -> list[Department]:
    return [Department(id=t.id, title=t.title, available=t.online_agents > 0)
            for t in list_teams(db, online) if t.is_public]
