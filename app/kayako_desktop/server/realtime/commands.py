"""Socket commands → actions. Each handler validates its payload model and returns the ack data."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from kayako_desktop.protocol.commands import (
    COMMAND_MODELS,
    Hello,
    Input,
    MessageSend,
    MessagesMark,
    PostInput,
    Typing,
    Viewing,
)
from kayako_desktop.protocol.envelope import Envelope, FrameError
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import Author
from kayako_desktop.protocol.names import Command
from kayako_desktop.server.actions.posts import do_create_post, do_mark, do_typing, do_viewing
from kayako_desktop.server.actions.visitors import do_heartbeat
from kayako_desktop.server.api import validation_error
from kayako_desktop.server.auth import Principal, agent_from_session, refuse_banned, visitor_from_token
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.agents import get_agent_ref
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.queries.permissions import ChatAction, access_chat
from kayako_desktop.server.queries.posts import current_author, message_of

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.rows import ConversationRow
    from kayako_desktop.server.services import Services

Ack = dict[str, object]  # a command's acknowledgement data: JSON, sent back in the `ack` frame


def parse(env: Envelope) -> Input:
    try:
        command = Command(env.type)
    except ValueError as exc:
        raise FrameError(ErrorCode.UNKNOWN_COMMAND, f"Unknown command '{env.type}'", ref=env.id) from exc
    try:
        return COMMAND_MODELS[command].model_validate(env.data)
    except ValidationError as exc:
        err = validation_error(exc)
        raise FrameError(err.code, err.message, ref=env.id, parameter=err.parameter) from exc


def authenticate_hello(svc: Services, hello: Hello) -> Principal:
    if hello.session_id:
        return agent_from_session(svc, hello.session_id)
    if hello.visitor_token:
        refuse_banned(svc)
        return visitor_from_token(svc, hello.visitor_token)
    raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "hello needs session_id (agents) or visitor_token (visitors)")


def _conversation(tx: Tx, principal: Principal, conversation_id: int, action: ChatAction) -> ConversationRow:
    """A visitor's own chat, or a chat the agent may do `action` to (the permission table)."""
    if principal.is_agent:
        return access_chat(tx, conversation_id, principal, action)
    return access_conversation(tx, conversation_id, visitor_id=principal.id)


def _send(svc: Services, principal: Principal, cmd: MessageSend) -> Ack:
    inp = PostInput(**cmd.model_dump(exclude={"conversation_id"}))
    kind = "AGENT" if principal.is_agent else "VISITOR"
    action = ChatAction.REPLY_PUBLIC if inp.visibility == "PUBLIC" else ChatAction.REPLY_STAFF
    with svc.db.write() as tx:
        conv = _conversation(tx, principal, cmd.conversation_id, action)
        post, created = do_create_post(tx, conv, kind, principal.id, inp)
    shown = post if principal.is_agent else message_of(post)  # the visitor's view of it, as over REST
    return {"post": shown.model_dump(mode="json"), "created": created}


def _author(tx: Tx, principal: Principal) -> Author:
    """Who is typing, by their current name (a visitor names themselves after the socket opened)."""
    return current_author(tx, "AGENT" if principal.is_agent else "VISITOR", principal.id, principal.name)


def _typing(typing: bool) -> Callable[[Services, Principal, Typing], Ack]:
    def handler(svc: Services, principal: Principal, cmd: Typing) -> Ack:
        with svc.db.write() as tx:
            author = _author(tx, principal)
            do_typing(tx, _conversation(tx, principal, cmd.conversation_id, ChatAction.TYPE), author, typing)
        return {}

    return handler


def _viewing(svc: Services, principal: Principal, cmd: Viewing) -> Ack:
    if not principal.is_agent:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only agents tell colleagues which chat they have open")
    with svc.db.write() as tx:
        conv = _conversation(tx, principal, cmd.conversation_id, ChatAction.READ)
        agent = get_agent_ref(tx, principal.id)
        if agent is not None:
            do_viewing(tx, conv, agent, cmd.viewing)
    return {}


def _mark(svc: Services, principal: Principal, cmd: MessagesMark) -> Ack:
    with svc.db.write() as tx:
        conv = _conversation(tx, principal, cmd.conversation_id, ChatAction.MARK)
        ids = do_mark(tx, conv, "AGENT" if principal.is_agent else "VISITOR", cmd.up_to_post_id, cmd.status)
    return {"post_ids": ids}


def _ping(svc: Services, principal: Principal, cmd: Input) -> Ack:
    if principal.kind == "visitor":  # a widget's open socket keeps its visitor online
        with svc.db.write() as tx:
            do_heartbeat(svc, tx, principal.id)
    return {}


def _hello_again(svc: Services, principal: Principal, cmd: Input) -> Ack:
    raise ApiError(ErrorCode.INVALID_STATE, "This socket is already authenticated")


HANDLERS: dict[Command, Callable[..., Ack]] = {
    Command.HELLO: _hello_again,
    Command.PING: _ping,
    Command.MESSAGE_SEND: _send,
    Command.TYPING_START: _typing(True),
    Command.TYPING_STOP: _typing(False),
    Command.MESSAGES_MARK: _mark,
    Command.CHAT_VIEWING: _viewing,
}


def handle(svc: Services, principal: Principal, env: Envelope) -> Ack:
    cmd = parse(env)
    return HANDLERS[Command(env.type)](svc, principal, cmd)
