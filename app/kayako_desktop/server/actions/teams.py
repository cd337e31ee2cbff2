"""Departments (Kayako: teams), kept by administrators: a title, an optional department they are part of, whether
the widget offers them, and their agents. Every change tells every agent's app (teams.changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import TeamInput, TeamPatch
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import TeamsChanged
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.teams import MAX_DEPTH, access_team, all_departments, lineage
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import DepartmentRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def unique_title(tx: Tx, table: str, noun: str, title: str, own_id: int | None = None) -> str:
    """A department's or skill's name, spaces tidied, not empty and not another's in any case (`table`: fixed,
    never from input)."""
    title = " ".join(title.split())
    if not title:
        raise ApiError(ErrorCode.FIELD_REQUIRED, f"Name the {noun}", parameter="title")
    same = tx.one(f"SELECT id FROM {table} WHERE lower(title) = lower(?) AND id <> ?", (title, own_id or 0))  # noqa: S608
    if same is not None:
        raise ApiError(ErrorCode.DUPLICATE, f"There is already a {noun} called {title}", parameter="title")
    return title


def _check_title(tx: Tx, title: str, team_id: int | None = None) -> str:
    return unique_title(tx, "departments", "department", title, team_id)


def _check_parent(tx: Tx, parent_id: int | None, team_id: int | None = None) -> int | None:
    if not parent_id:
        return None
    departments = all_departments(tx)
    if parent_id not in departments:
        raise ApiError(ErrorCode.FIELD_INVALID, f"No department {parent_id}", parameter="parent_id")
    chain = lineage(departments, parent_id)
    if team_id is not None and team_id in chain:
        raise ApiError(ErrorCode.FIELD_INVALID, "A department cannot be part of itself or of one of its own",
                       parameter="parent_id")
    below = _depth_below(departments, team_id) if team_id is not None else 0
    if len(chain) + 1 + below > MAX_DEPTH:
        raise ApiError(ErrorCode.FIELD_INVALID, f"Departments nest at most {MAX_DEPTH} deep", parameter="parent_id")
    return parent_id


def _depth_below(departments: dict[int, DepartmentRow], team_id: int) -> int:
    children = [d for d, row in departments.items() if row["parent_id"] == team_id]
    return 1 + max(_depth_below(departments, c) for c in children) if children else 0


def set_members(tx: Tx, table: str, column: str, group_id: int, agent_ids: list[int]) -> None:
    """Who is in a department or has a skill, replaced whole (`table`/`column`: agent_departments/department_id or
    agent_skills/skill_id, never from input). Every agent must exist, else nothing changes."""
    wanted = sorted(set(agent_ids))
    if wanted:
        found = {int(r[0]) for r in tx.all(f"SELECT id FROM agents WHERE id IN ({','.join('?' * len(wanted))})", wanted)}
        missing = [a for a in wanted if a not in found]
        if missing:
            raise ApiError(ErrorCode.FIELD_INVALID, f"No agent {missing[0]}", parameter="agent_ids")
    tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (group_id,))  # noqa: S608 (fixed names)
    for agent_id in wanted:
        tx.execute(f"INSERT INTO {table} (agent_id, {column}) VALUES (?, ?)", (agent_id, group_id))  # noqa: S608


def _set_members(tx: Tx, team_id: int, agent_ids: list[int]) -> None:
    set_members(tx, "agent_departments", "department_id", team_id, agent_ids)


def _changed(tx: Tx) -> None:
    tx.emit(Event.TEAMS_CHANGED, TeamsChanged(), Audience.agents())


def do_create_team(tx: Tx, inp: TeamInput) -> int:
    title = _check_title(tx, inp.title)
    parent = _check_parent(tx, inp.parent_id)
    team_id = tx.insert("INSERT INTO departments (title, parent_id, is_public, auto_transfer_seconds, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", (title, parent, int(inp.is_public), inp.auto_transfer_seconds, tx.now))
    _set_members(tx, team_id, inp.agent_ids)
    _changed(tx)
    return team_id


def do_update_team(tx: Tx, team_id: int, inp: TeamPatch) -> None:
    row = access_team(tx, team_id)
    title = _check_title(tx, inp.title, team_id) if inp.title is not None else row["title"]
    parent = _check_parent(tx, inp.parent_id, team_id) if inp.parent_id is not None else row["parent_id"]
    public = int(inp.is_public) if inp.is_public is not None else row["is_public"]
    wait = inp.auto_transfer_seconds if "auto_transfer_seconds" in inp.model_fields_set else row["auto_transfer_seconds"]
    tx.execute("UPDATE departments SET title = ?, parent_id = ?, is_public = ?, auto_transfer_seconds = ? WHERE id = ?",
               (title, parent, public, wait, team_id))
    if inp.agent_ids is not None:
        _set_members(tx, team_id, inp.agent_ids)
    _changed(tx)


def do_delete_team(tx: Tx, team_id: int) -> None:
    access_team(tx, team_id)
    if tx.one("SELECT 1 FROM departments WHERE parent_id = ?", (team_id,)) is not None:
        raise ApiError(ErrorCode.INVALID_STATE, "Move or delete the departments inside this one first")
    # Its chats (and a transfer ringing for it) go on without a department: any agent may take them.
    tx.execute("UPDATE conversations SET department_id = NULL WHERE department_id = ?", (team_id,))
    tx.execute("UPDATE offers SET department_id = NULL WHERE department_id = ?", (team_id,))
    tx.execute("DELETE FROM agent_departments WHERE department_id = ?", (team_id,))
    tx.execute("DELETE FROM departments WHERE id = ?", (team_id,))
    _changed(tx)
