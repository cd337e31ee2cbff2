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

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def _check_title(tx: Tx, title: str, team_id: int | None = None) -> str:
    title = " ".join(title.split())
    if not title:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Name the department", parameter="title")
    same = tx.one("SELECT id FROM departments WHERE lower(title) = lower(?) AND id <> ?", (title, team_id or 0))
    if same is not None:
        raise ApiError(ErrorCode.DUPLICATE, f"There is already a department called {title}", parameter="title")
    return title


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


def _depth_below(departments: dict[int, object], team_id: int) -> int:
    children = [d for d, row in departments.items() if row["parent_id"] == team_id]  # type: ignore[index]
    return 1 + max(_depth_below(departments, c) for c in children) if children else 0


def _set_members(tx: Tx, team_id: int, agent_ids: list[int]) -> None:
    wanted = sorted(set(agent_ids))
    if wanted:
        found = {int(r[0]) for r in tx.all(f"SELECT id FROM agents WHERE id IN ({','.join('?' * len(wanted))})", wanted)}
        missing = [a for a in wanted if a not in found]
        if missing:
            raise ApiError(ErrorCode.FIELD_INVALID, f"No agent {missing[0]}", parameter="agent_ids")
    tx.execute("DELETE FROM agent_departments WHERE department_id = ?", (team_id,))
    for agent_id in wanted:
        tx.execute("INSERT INTO agent_departments (agent_id, department_id) VALUES (?, ?)", (agent_id, team_id))


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
