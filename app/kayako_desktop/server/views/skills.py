"""Skills (Kayako Classic's chat skills): every agent reads them; administrators create, change and delete them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import SkillInput, SkillPatch
from kayako_desktop.protocol.models import Skill
from kayako_desktop.server.actions.skills import do_create_skill, do_delete_skill, do_update_skill
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.agents import takers_online
from kayako_desktop.server.queries.permissions import require_admin
from kayako_desktop.server.queries.skills import list_skills, skill_model
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/skills", auth=AGENT, resource="skill", tag="skills", response=list[Skill], collection=True,
           summary="Skills, by title, with the agents who have them and how many of those can take a chat now")
def get_skills(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = list_skills(db, takers_online(db, svc.presence))
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("GET", "/skills/<int:skill_id>", auth=AGENT, resource="skill", tag="skills", response=Skill,
           summary="One skill")
def get_skill(svc: Services, principal: Principal, skill_id: int) -> Skill:
    with svc.db.read() as db:
        return skill_model(db, skill_id, takers_online(db, svc.presence))


@api.route("POST", "/skills", auth=AGENT, resource="skill", tag="skills", body=SkillInput, response=Skill,
           statuses=[201, 409], summary="Create a skill and say who has it (administrators)")
def create_skill(svc: Services, principal: Principal, body: SkillInput) -> Created:
    require_admin(principal)
    with svc.db.write() as tx:
        skill_id = do_create_skill(tx, body)
        return Created(skill_model(tx, skill_id, takers_online(tx, svc.presence)))


@api.route("PUT", "/skills/<int:skill_id>", auth=AGENT, resource="skill", tag="skills", body=SkillPatch,
           response=Skill, statuses=[409], summary="Rename a skill or set who has it (administrators)")
def update_skill(svc: Services, principal: Principal, skill_id: int, body: SkillPatch) -> Skill:
    require_admin(principal)
    with svc.db.write() as tx:
        do_update_skill(tx, skill_id, body)
        return skill_model(tx, skill_id, takers_online(tx, svc.presence))


@api.route("DELETE", "/skills/<int:skill_id>", auth=AGENT, resource="skill", tag="skills",
           summary="Delete a skill (administrators); chats asking for it go on without")
def delete_skill(svc: Services, principal: Principal, skill_id: int) -> None:
    require_admin(principal)
    with svc.db.write() as tx:
        do_delete_skill(tx, skill_id)
