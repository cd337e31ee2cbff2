"""Departments (Kayako: teams): every agent reads them; administrators create, change and delete them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import TeamInput, TeamPatch
from kayako_desktop.protocol.models import Team
from kayako_desktop.server.actions.teams import do_create_team, do_delete_team, do_update_team
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.agents import takers_online
from kayako_desktop.server.queries.permissions import require_admin
from kayako_desktop.server.queries.teams import list_teams, team_model
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/teams", auth=AGENT, resource="team", tag="teams", response=list[Team], collection=True,
           summary="Departments, by title, with their agents and how many can take a chat now")
def get_teams(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = list_teams(db, takers_online(db, svc.presence))
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("GET", "/teams/<int:team_id>", auth=AGENT, resource="team", tag="teams", response=Team,
           summary="One department")
def get_team(svc: Services, principal: Principal, team_id: int) -> Team:
    with svc.db.read() as db:
        return team_model(db, team_id, takers_online(db, svc.presence))


@api.route("POST", "/teams", auth=AGENT, resource="team", tag="teams", body=TeamInput, response=Team,
           statuses=[201, 409], summary="Create a department (administrators)")
def create_team(svc: Services, principal: Principal, body: TeamInput) -> Created:
    require_admin(principal)
    with svc.db.write() as tx:
        team_id = do_create_team(tx, body)
        return Created(team_model(tx, team_id, takers_online(tx, svc.presence)))


@api.route("PUT", "/teams/<int:team_id>", auth=AGENT, resource="team", tag="teams", body=TeamPatch, response=Team,
           statuses=[409], summary="Rename a department, move it, show or hide it in the widget, or set its agents "
                                   "(administrators)")
def update_team(svc: Services, principal: Principal, team_id: int, body: TeamPatch) -> Team:
    require_admin(principal)
    with svc.db.write() as tx:
        do_update_team(tx, team_id, body)
        return team_model(tx, team_id, takers_online(tx, svc.presence))


@api.route("DELETE", "/teams/<int:team_id>", auth=AGENT, resource="team", tag="teams", statuses=[409],
           summary="Delete a department (administrators); its chats go on without one")
def delete_team(svc: Services, principal: Principal, team_id: int) -> None:
    require_admin(principal)
    with svc.db.write() as tx:
        do_delete_team(tx, team_id)
