"""Skills (Kayako Classic's chat skills), kept by administrators: a title and the agents who have it. Every
change tells every agent's app (skills.changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import SkillInput, SkillPatch
from kayako_desktop.protocol.events import SkillsChanged
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.teams import set_members, unique_title
from kayako_desktop.server.queries.skills import access_skill
from kayako_desktop.server.realtime.audience import Audience

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def _check_title(tx: Tx, title: str, skill_id: int | None = None) -> str:
    return unique_title(tx, "skills", "skill", title, skill_id)


def _set_agents(tx: Tx, skill_id: int, agent_ids: list[int]) -> None:
    set_members(tx, "agent_skills", "skill_id", skill_id, agent_ids)


def _changed(tx: Tx) -> None:
    tx.emit(Event.SKILLS_CHANGED, SkillsChanged(), Audience.agents())


def do_create_skill(tx: Tx, inp: SkillInput) -> int:
    skill_id = tx.insert("INSERT INTO skills (title, created_at) VALUES (?, ?)", (_check_title(tx, inp.title), tx.now))
    _set_agents(tx, skill_id, inp.agent_ids)
    _changed(tx)
    return skill_id


def do_update_skill(tx: Tx, skill_id: int, inp: SkillPatch) -> None:
    access_skill(tx, skill_id)
    if inp.title is not None:
        tx.execute("UPDATE skills SET title = ? WHERE id = ?", (_check_title(tx, inp.title, skill_id), skill_id))
    if inp.agent_ids is not None:
        _set_agents(tx, skill_id, inp.agent_ids)
    _changed(tx)


def do_delete_skill(tx: Tx, skill_id: int) -> None:
    access_skill(tx, skill_id)
    # Chats asking for it (and a transfer ringing for it) go on without: any agent may take them. Rules that
    # routed to it keep their other actions; one that only routed is left doing nothing, so it is disabled.
    tx.execute("UPDATE conversations SET skill_id = NULL WHERE skill_id = ?", (skill_id,))
    tx.execute("UPDATE offers SET skill_id = NULL WHERE skill_id = ?", (skill_id,))
    tx.execute("UPDATE visitor_rules SET enabled = 0 WHERE skill_id = ? AND colour IS NULL AND alert = 0 "
               "AND invite_message IS NULL", (skill_id,))
    tx.execute("UPDATE visitor_rules SET skill_id = NULL WHERE skill_id = ?", (skill_id,))
    tx.execute("DELETE FROM agent_skills WHERE skill_id = ?", (skill_id,))
    tx.execute("DELETE FROM skills WHERE id = ?", (skill_id,))
    _changed(tx)
