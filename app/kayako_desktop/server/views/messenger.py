"""The visitor widget's API (Kayako Messenger): identity, page tracking, chats, messages, rating."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from flask import request

from kayako_desktop.protocol.commands import (
    ChatStart,
    MessageStatusInput,
    OfflineMessage,
    PageViewInput,
    Pagination,
    PostInput,
    PostQuery,
    RatingInput,
    VisitorCreate,
    VisitorMessage,
    VisitorUpdate,
)
from kayako_desktop.protocol.models import (
    Chat,
    ConversationStarter,
    Department,
    Invitation,
    Message,
    MessengerStatus,
    Visitor,
    VisitorToken,
)
from kayako_desktop.server.actions import conversations as chats
from kayako_desktop.server.actions import visitors
from kayako_desktop.server.actions.invitations import do_answer_invitation
from kayako_desktop.server.actions.posts import do_create_post, do_mark_message
from kayako_desktop.server.api import PUBLIC, VISITOR, Created, Page
from kayako_desktop.server.auth import client_ip, limit_per_address, realtime_url, refuse_banned
from kayako_desktop.server.queries.agents import agent_refs, takers_online
from kayako_desktop.server.queries.conversations import (
    access_conversation,
    average_reply_time,
    chat_model,
    visitor_chat_count,
    visitor_chats,
)
from kayako_desktop.server.queries.invitations import pending_invitations
from kayako_desktop.server.queries.posts import message_of, timeline_page
from kayako_desktop.server.queries.teams import messenger_departments
from kayako_desktop.server.queries.visitors import access_visitor, visitor_model
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from collections.abc import Callable

    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


def _ua() -> str | None:
    return request.headers.get("User-Agent")


def _visitor(svc: Services, visitor_id: int) -> Visitor:
    """The visitor as they may read themselves: what the team's visitor rules say of them stays with staff."""
    with svc.db.read() as db:
        return visitor_model(db, access_visitor(db, visitor_id)).model_copy(update={"highlight": None, "rules": []})


def _chat(svc: Services, conversation_id: int) -> Chat:
    with svc.db.read() as db:
        return chat_model(db, access_conversation(db, conversation_id))


@api.route("GET", "/messenger/status", auth=PUBLIC, resource="messenger_status", tag="messenger",
           response=MessengerStatus, summary="Whether any agent can take a chat now (else show the offline form)")
def status(svc: Services, principal: Principal) -> MessengerStatus:
    with svc.db.read() as db:
        takers = takers_online(db, svc.presence)
        departments = messenger_departments(db, takers)
    return MessengerStatus(agents_available=bool(takers), departments=departments,
                           ring_timeout_seconds=int(svc.config["CHAT_RING_TIMEOUT"]),
                           max_upload_bytes=int(svc.config["CHAT_MAX_UPLOAD_BYTES"]),
                           email_transcripts=svc.smtp is not None)


@api.route("GET", "/messenger/departments", auth=PUBLIC, resource="department", tag="messenger",
           response=list[Department], collection=True,
           summary="The departments a visitor may ask (the public ones), by title, and whether someone in each can "
                   "take a chat now (else the offline form, for that department)")
def departments(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = messenger_departments(db, takers_online(db, svc.presence))
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("POST", "/messenger/visitors", auth=PUBLIC, resource="visitor_token", tag="messenger",
           body=VisitorCreate, response=VisitorToken, statuses=[201, 429], optional_body=True,
           summary="Start a visitor identity; keep the token (X-Visitor-Token) for every later call "
                   "(limited per client address: 429 + Retry-After)")
def create_visitor(svc: Services, principal: Principal, body: VisitorCreate) -> Created:
    refuse_banned(svc)
    limit_per_address(svc, "VISITOR_CREATE", "new visitors")
    with svc.db.write() as tx:
        token, visitor_id = visitors.do_create_visitor(svc, tx, client_ip(), _ua(), body.name, body.email)
    return Created(VisitorToken(token=token, visitor=_visitor(svc, visitor_id)))


@api.route("GET", "/messenger/visitor", auth=VISITOR, resource="visitor", tag="messenger", response=Visitor,
           summary="The calling visitor")
def my_visitor(svc: Services, principal: Principal) -> Visitor:
    return _visitor(svc, principal.id)


@api.route("PUT", "/messenger/visitor", auth=VISITOR, resource="visitor", tag="messenger", body=VisitorUpdate,
           response=Visitor, summary="Set the visitor's name or email")
def update_visitor(svc: Services, principal: Principal, body: VisitorUpdate) -> Visitor:
    with svc.db.write() as tx:
        visitors.do_update_visitor(tx, principal.id, body)
    return _visitor(svc, principal.id)


@api.route("POST", "/messenger/pageviews", auth=VISITOR, resource="visitor", tag="messenger", body=PageViewInput,
           response=Visitor, summary="Record a page view (also a heartbeat)")
def page_view(svc: Services, principal: Principal, body: PageViewInput) -> Visitor:
    with svc.db.write() as tx:
        visitors.do_page_view(svc, tx, principal.id, body, client_ip(), _ua())
    return _visitor(svc, principal.id)


@api.route("POST", "/messenger/heartbeat", auth=VISITOR, resource="visitor", tag="messenger",
           summary="Keep the visitor online (every ~15 s while a page is open)")
def heartbeat(svc: Services, principal: Principal) -> None:
    with svc.db.write() as tx:
        visitors.do_heartbeat(svc, tx, principal.id, client_ip(), _ua())


@api.route("GET", "/conversations/starter", auth=VISITOR, resource="conversation_starter", tag="messenger",
           response=ConversationStarter,
           summary="Before a chat: the agents online now, the average time to a first reply, the visitor's chats "
                   "still going on, and the realtime socket's address (Kayako Messenger)")
def starter(svc: Services, principal: Principal) -> ConversationStarter:
    with svc.db.read() as db:
        agents = agent_refs(db, list(takers_online(db, svc.presence)))
        going_on = [c for c in visitor_chats(db, principal.id, 50) if not c.is_completed]
        reply_time = average_reply_time(db, svc.clock.now() - 7 * 24 * 3600)
    return ConversationStarter(last_active_agents=[agents[i] for i in sorted(i for i in agents if i is not None)], average_reply_time=reply_time,
                               active_conversations=going_on, realtime_url=realtime_url())


@api.route("POST", "/conversations", auth=VISITOR, resource="conversation", tag="messenger", body=ChatStart,
           response=Chat, statuses=[201],
           summary="Start a chat (Kayako: name, email, subject, optional first message `contents`, source, "
                   "client_id); a retry with the same client_id, or asking while a chat is going on, answers 200 "
                   "with that chat")
def start(svc: Services, principal: Principal, body: ChatStart) -> Created | Chat:
    with svc.db.write() as tx:
        cid, created = chats.do_start_chat(svc, tx, principal.id, body)
    chat = _chat(svc, cid)
    return Created(chat) if created else chat


@api.route("POST", "/messenger/offline_messages", auth=VISITOR, resource="conversation", tag="messenger",
           body=OfflineMessage, response=Chat, statuses=[201, 429],
           summary="Leave a message when no agent is online; it becomes a conversation (limited per client "
                   "address: 429 + Retry-After)")
def offline_message(svc: Services, principal: Principal, body: OfflineMessage) -> Created:
    limit_per_address(svc, "OFFLINE_MESSAGE", "offline messages")
    with svc.db.write() as tx:
        cid = chats.do_offline_message(tx, principal.id, body, f"offline-{uuid.uuid4()}")
    return Created(_chat(svc, cid))


@api.route("GET", "/conversations", auth=VISITOR, resource="conversation", tag="messenger", response=list[Chat],
           query=Pagination, collection=True, summary="The visitor's own chats, newest first")
def my_chats(svc: Services, principal: Principal, query: Pagination) -> Page:
    with svc.db.read() as db:
        items = visitor_chats(db, principal.id, query.limit, query.offset)
        short = len(items) < query.limit and (items or not query.offset)  # the last page: no need to count
        total = query.offset + len(items) if short else visitor_chat_count(db, principal.id)
    return Page(items, total, query.offset, query.limit)


@api.route("GET", "/conversations/<int:conversation_id>", auth=VISITOR, resource="conversation", tag="messenger",
           response=Chat, summary="One of the visitor's chats")
def my_chat(svc: Services, principal: Principal, conversation_id: int) -> Chat:
    with svc.db.read() as db:
        return chat_model(db, access_conversation(db, conversation_id, visitor_id=principal.id))


@api.route("GET", "/conversations/<int:conversation_id>/messages", auth=VISITOR, resource="case_message",
           tag="messenger", query=PostQuery, response=list[Message], collection=True,
           summary="The chat's public timeline, oldest first (never staff-only posts)")
def messages(svc: Services, principal: Principal, conversation_id: int, query: PostQuery) -> Page:
    with svc.db.read() as db:
        access_conversation(db, conversation_id, visitor_id=principal.id)
        items, total, before, after = timeline_page(db, conversation_id, staff=False, after_id=query.after_id,
                                                    before_id=query.before_id, limit=query.limit,
                                                    offset=query.offset)
    return Page([message_of(p) for p in items], total, query.offset, query.limit, cursors=(before, after))


@api.route("POST", "/conversations/<int:conversation_id>/messages", auth=VISITOR, resource="case_message",
           tag="messenger", body=VisitorMessage, response=Message, statuses=[201, 409],
           summary="Send a message; a retry with the same client_id returns the original")
def send(svc: Services, principal: Principal, conversation_id: int, body: VisitorMessage) -> Created | Message:
    with svc.db.write() as tx:
        conv = access_conversation(tx, conversation_id, visitor_id=principal.id)
        inp = PostInput(client_id=body.client_id, contents=body.contents)
        post, created = do_create_post(tx, conv, "VISITOR", principal.id, inp)
    return Created(message_of(post)) if created else message_of(post)


@api.route("PUT", "/conversations/<int:conversation_id>/messages/<int:message_id>", auth=VISITOR,
           resource="case_message", tag="messenger", body=MessageStatusInput, response=Message,
           summary="The visitor has received (DELIVERED) or read (SEEN) the agents' messages up to this one "
                   "(Kayako's message_status)")
def message_status(svc: Services, principal: Principal, conversation_id: int, message_id: int,
                   body: MessageStatusInput) -> Message:
    with svc.db.write() as tx:
        conv = access_conversation(tx, conversation_id, visitor_id=principal.id)
        return message_of(do_mark_message(tx, conv, message_id, body.message_status))


@api.route("PUT", "/conversations/<int:conversation_id>/end", auth=VISITOR, resource="conversation",
           tag="messenger", response=Chat, summary="End the chat (the visitor side)")
def end_chat(svc: Services, principal: Principal, conversation_id: int) -> Chat:  # "end" is the agents' operationId
    with svc.db.write() as tx:
        access_conversation(tx, conversation_id, visitor_id=principal.id)
        chats.do_end(svc, tx, conversation_id, principal.name)
    return _chat(svc, conversation_id)


@api.route("POST", "/conversations/<int:conversation_id>/ratings", auth=VISITOR, resource="rating",
           tag="messenger", body=RatingInput, response=Chat, statuses=[409],
           summary="Rate the chat GOOD or BAD with an optional comment (Kayako's ratings; once per chat)")
def rate(svc: Services, principal: Principal, conversation_id: int, body: RatingInput) -> Chat:
    with svc.db.write() as tx:
        chats.do_rate(tx, conversation_id, principal.id, body)
    return _chat(svc, conversation_id)


@api.route("GET", "/messenger/invitations", auth=VISITOR, resource="invitation", tag="messenger",
           response=list[Invitation], collection=True, summary="Pending chat invitations for this visitor")
def invitations(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = pending_invitations(db, principal.id)
    return Page(items, len(items), 0, max(len(items), 1))


def _answer(accept: bool) -> Callable[[Services, Principal, int], Invitation]:
    def handler(svc: Services, principal: Principal, invitation_id: int) -> Invitation:
        with svc.db.write() as tx:
            return do_answer_invitation(tx, invitation_id, principal.id, accept)

    handler.__name__ = "accept_invitation" if accept else "decline_invitation"
    return handler


api.route("POST", "/messenger/invitations/<int:invitation_id>/accept", auth=VISITOR, resource="invitation",
          tag="messenger", response=Invitation, statuses=[409],
          summary="Accept an invitation: the chat starts with the inviting agent")(_answer(True))
api.route("POST", "/messenger/invitations/<int:invitation_id>/decline", auth=VISITOR, resource="invitation",
          tag="messenger", response=Invitation, statuses=[409], summary="Decline an invitation")(_answer(False))
