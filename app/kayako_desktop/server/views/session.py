"""Agents and sessions: log in with Basic auth, log out, me, status, the team list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import AgentCreate, AgentUpdate, ProfileUpdate, StatusUpdate
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import Agent, Session, UserRole
from kayako_desktop.server.actions.agents import (
    do_create_agent,
    do_logout,
    do_rename_agent,
    do_touch_session,
    do_update_agent,
)
from kayako_desktop.server.api import AGENT, BASIC, Created
from kayako_desktop.server.auth import basic_login
from kayako_desktop.server.errors import ApiError, not_found
from kayako_desktop.server.queries.agents import ROLES, access_agent, agent_model, get_agent, list_agents
from kayako_desktop.server.queries.permissions import require_admin
from kayako_desktop.server.routing.engine import do_set_status
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


def _me(svc: Services, agent_id: int) -> Agent:
    with svc.db.read() as db:
        return agent_model(db, access_agent(db, agent_id), svc.presence)


@api.route("GET", "/session", auth=BASIC, resource="session", tag="session", response=Session,
           summary="Log in with HTTP Basic auth; returns the session id and sets X-CSRF-Token",
           statuses=[401, 429])
def open_session(svc: Services, principal: Principal) -> Session:
    opened = basic_login(svc)
    if opened is None:
        raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "Send your email and password with HTTP Basic auth",
                       headers={"WWW-Authenticate": 'Basic realm="Kayako"'})
    session_id, csrf, agent_id = opened
    return Session(id=session_id, agent=_me(svc, agent_id), csrf_token=csrf)


@api.route("PUT", "/session/ack", auth=AGENT, resource="session", tag="session",
           summary="Keep the session alive (Kayako's activity heartbeat)")
def ack_session(svc: Services, principal: Principal) -> None:
    assert principal.session_id is not None
    with svc.db.write() as tx:
        do_touch_session(tx, principal.session_id)
    return None


@api.route("DELETE", "/session", auth=AGENT, resource="session", tag="session", summary="Log out")
def close_session(svc: Services, principal: Principal) -> None:
    assert principal.session_id is not None  # auth=AGENT: a session authenticated this request
    with svc.db.write() as tx:
        do_logout(tx, principal.session_id)
    return None


@api.route("GET", "/me", auth=AGENT, resource="user", tag="session", response=Agent, summary="The logged-in agent")
def me(svc: Services, principal: Principal) -> Agent:
    return _me(svc, principal.id)


@api.route("PUT", "/me", auth=AGENT, resource="user", tag="session", body=ProfileUpdate, response=Agent,
           summary="Change my name (what visitors and colleagues see)")
def update_me(svc: Services, principal: Principal, body: ProfileUpdate) -> Agent:
    with svc.db.write() as tx:
        do_rename_agent(svc, tx, principal.id, body.full_name)
    return _me(svc, principal.id)


@api.route("PUT", "/me/status", auth=AGENT, resource="user", tag="session", body=StatusUpdate, response=Agent,
           summary="Set my status: ONLINE, AWAY, BUSY or INVISIBLE (OFFLINE means no socket)")
def set_status(svc: Services, principal: Principal, body: StatusUpdate) -> Agent:
    with svc.db.write() as tx:
        do_set_status(svc, tx, principal.id, body.status)
    return _me(svc, principal.id)


@api.route("GET", "/agents", auth=AGENT, resource="user", tag="agents", response=list[Agent], collection=True,
           summary="Every agent with live status and load")
def agents(svc: Services, principal: Principal) -> list[Agent]:
    with svc.db.read() as db:
        return list_agents(db, svc.presence)


@api.route("POST", "/agents", auth=AGENT, resource="user", tag="agents", body=AgentCreate, response=Agent,
           summary="Create an agent (administrators only)", statuses=[201, 403, 409])
def create_agent(svc: Services, principal: Principal, body: AgentCreate) -> Created:
    require_admin(principal)
    with svc.db.write() as tx:
        agent_id = do_create_agent(svc, tx, body.email, body.full_name, body.password, body.role, body.max_chats)
    return Created(_me(svc, agent_id))


@api.route("GET", "/users", auth=AGENT, resource="user", tag="agents", response=list[Agent], collection=True,
           summary="Kayako's users: the agents (visitors are under /visitors)")
def users(svc: Services, principal: Principal) -> list[Agent]:
    with svc.db.read() as db:
        return list_agents(db, svc.presence)


@api.route("GET", "/users/<int:agent_id>", auth=AGENT, resource="user", tag="agents", response=Agent,
           summary="One of Kayako's users: an agent")
def get_user(svc: Services, principal: Principal, agent_id: int) -> Agent:
    return _agent(svc, agent_id)


@api.route("GET", "/roles", auth=AGENT, resource="role", tag="agents", response=list[UserRole], collection=True,
           summary="Kayako's roles: Administrator, Agent and Supervisor (a user's `role`)")
def roles(svc: Services, principal: Principal) -> list[UserRole]:
    return ROLES


@api.route("GET", "/roles/<int:role_id>", auth=AGENT, resource="role", tag="agents", response=UserRole,
           summary="One role")
def get_role(svc: Services, principal: Principal, role_id: int) -> UserRole:
    found = next((r for r in ROLES if r.id == role_id), None)
    if found is None:
        raise not_found("Role")
    return found


@api.route("GET", "/agents/<int:agent_id>", auth=AGENT, resource="user", tag="agents", response=Agent,
           summary="One agent (colleagues see each other: name, status, chats)")
def get_agent_by_id(svc: Services, principal: Principal, agent_id: int) -> Agent:
    return _agent(svc, agent_id)


def _agent(svc: Services, agent_id: int) -> Agent:
    with svc.db.read() as db:
        row = get_agent(db, agent_id)
        if row is None:
            raise not_found("Agent")
        return agent_model(db, row, svc.presence)


@api.route("PUT", "/agents/<int:agent_id>", auth=AGENT, resource="user", tag="agents", body=AgentUpdate,
           response=Agent, summary="Change an agent's name, chat limit or role (administrators only)",
           statuses=[403, 404])
def update_agent(svc: Services, principal: Principal, agent_id: int, body: AgentUpdate) -> Agent:
    require_admin(principal)
    with svc.db.write() as tx:
        do_update_agent(svc, tx, agent_id, body.model_dump(exclude_none=True))
    return _me(svc, agent_id)
