"""Agents' side of chats (Kayako cases): list, search, timeline, reply, routing actions, transfer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import (
    AcceptInput,
    CaseQuery,
    CaseUpdate,
    JoinInput,
    MarkInput,
    PostInput,
    PostQuery,
    PostStatusInput,
    ReplyInput,
    TransferInput,
)
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import CaseStatus, Conversation, Offer, Post, SearchHit
from kayako_desktop.server.actions.conversations import (
    do_end,
    do_join,
    do_leave,
    do_rename,
    status_change_ends,
)
from kayako_desktop.server.actions.maintenance import index_before_search
from kayako_desktop.server.actions.posts import do_mark, do_mark_post, do_reply
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.errors import ApiError, not_found
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.conversations import (
    CASE_STATUSES,
    access_conversation,
    conversation_model,
    conversation_models,
    queued_conversations,
)
from kayako_desktop.server.queries.offers import ringing_offers
from kayako_desktop.server.queries.permissions import ChatAction, access_chat, visible_name
from kayako_desktop.server.queries.posts import get_post, post_model, timeline_page
from kayako_desktop.server.queries.search import search_conversations, snippets
from kayako_desktop.server.routing import engine
from kayako_desktop.server.rows import PostRow
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services


def _case(svc: Services, case_id: int) -> Conversation:
    with svc.db.read() as db:
        return conversation_model(db, access_conversation(db, case_id))


def _reply_action(body: PostInput | ReplyInput) -> ChatAction:
    return ChatAction.REPLY_PUBLIC if body.visibility == "PUBLIC" else ChatAction.REPLY_STAFF


@api.route("GET", "/cases", auth=AGENT, resource="case", tag="cases", query=CaseQuery, response=list[Conversation],
           collection=True, summary="Conversations, newest first; filter by status, agent, visitor, rating, dates")
def list_cases(svc: Services, principal: Principal, query: CaseQuery) -> Page:
    if query.q:
        index_before_search(svc)
    with svc.db.read() as db:
        rows, total, _ = search_conversations(db, query)
        return Page(conversation_models(db, rows), total, query.offset, query.limit)


@api.route("GET", "/cases/search", auth=AGENT, resource="search_hit", tag="cases", query=CaseQuery,
           response=list[SearchHit], collection=True,
           summary="Chat History: full-text search over past chats (q) with the same filters")
def search_cases(svc: Services, principal: Principal, query: CaseQuery) -> Page:
    index_before_search(svc)
    with svc.db.read() as db:
        rows, total, match = search_conversations(db, query)
        passages = snippets(db, [r["id"] for r in rows], match)
        hits = [SearchHit(conversation=c, snippet=passages[c.id]) for c in conversation_models(db, rows)]
        return Page(hits, total, query.offset, query.limit)


@api.route("GET", "/cases/statuses", auth=AGENT, resource="case_status", tag="cases", response=list[CaseStatus],
           collection=True, summary="Kayako's case statuses and which of them chats go through")
def case_statuses(svc: Services, principal: Principal) -> Page:
    return Page(CASE_STATUSES, len(CASE_STATUSES), 0, len(CASE_STATUSES))


@api.route("GET", "/cases/statuses/<int:status_id>", auth=AGENT, resource="case_status", tag="cases",
           response=CaseStatus, summary="One case status")
def case_status(svc: Services, principal: Principal, status_id: int) -> CaseStatus:
    found = next((s for s in CASE_STATUSES if s.id == status_id), None)
    if found is None:
        raise not_found("Case status")
    return found


@api.route("GET", "/cases/queue", auth=AGENT, resource="case", tag="routing", response=list[Conversation],
           collection=True, summary="Chats waiting for an agent, in queue order")
def queue(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = conversation_models(db, queued_conversations(db))
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("GET", "/offers", auth=AGENT, resource="offer", tag="routing", response=list[Offer], collection=True,
           summary="Chat requests ringing for me now")
def my_offers(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = ringing_offers(db, principal.id)
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("GET", "/cases/<int:case_id>", auth=AGENT, resource="case", tag="cases", response=Conversation,
           summary="One conversation")
def get_case(svc: Services, principal: Principal, case_id: int) -> Conversation:
    return _case(svc, case_id)


@api.route("GET", "/cases/<int:case_id>/posts", auth=AGENT, resource="post", tag="cases", query=PostQuery,
           response=list[Post], collection=True, summary="The timeline, newest first, including staff-only posts (pages by before_id / after_id / offset)")
def case_posts(svc: Services, principal: Principal, case_id: int, query: PostQuery) -> Page:
    with svc.db.read() as db:
        access_chat(db, case_id, principal, ChatAction.READ)
        items, total, before, after = timeline_page(db, case_id, staff=True, after_id=query.after_id,
                                                    before_id=query.before_id, limit=query.limit,
                                                    offset=query.offset, newest_first=True)
    return Page(items, total, query.offset, query.limit, cursors=(before, after))


@api.route("POST", "/cases/<int:case_id>/reply", auth=AGENT, resource="post", tag="cases", body=ReplyInput,
           response=Post, statuses=[201, 409],
           summary="Post to the chat: TEXT, IMAGE, FILE, CODE or URL; PUBLIC or STAFF (or Kayako's contents, "
                   "channel, attachment_file_ids); idempotent on client_id")
def reply(svc: Services, principal: Principal, case_id: int, body: ReplyInput) -> Created | Post:
    with svc.db.write() as tx:
        first, created = do_reply(tx, access_chat(tx, case_id, principal, _reply_action(body)), principal.id, body)
    return Created(first) if created else first


@api.route("PUT", "/cases/<int:case_id>/seen", auth=AGENT, resource="case", tag="cases", body=MarkInput,
           response=Conversation, summary="Mark the visitor's messages delivered or seen up to a post")
def mark(svc: Services, principal: Principal, case_id: int, body: MarkInput) -> Conversation:
    with svc.db.write() as tx:
        do_mark(tx, access_chat(tx, case_id, principal, ChatAction.MARK), "AGENT", body.up_to_post_id, body.status)
    return _case(svc, case_id)


@api.route("GET", "/cases/posts/<int:post_id>", auth=AGENT, resource="post", tag="cases", response=Post,
           summary="One post, from a chat this agent may read")
def get_case_post(svc: Services, principal: Principal, post_id: int) -> Post:
    with svc.db.read() as db:
        row = get_post(db, post_id)
        if row is None:
            raise not_found("Post")
        access_chat(db, row["conversation_id"], principal, ChatAction.READ)
        return post_model(db, row)


@api.route("PUT", "/cases/posts/<int:post_id>", auth=AGENT, resource="post", tag="cases", body=PostStatusInput,
           response=Post, summary="Mark a visitor's post (and the ones before it) delivered or seen, as Kayako does")
def mark_post(svc: Services, principal: Principal, post_id: int, body: PostStatusInput) -> Post:
    with svc.db.write() as tx:
        row = get_post(tx, post_id)
        if row is None:
            raise not_found("Post")
        do_mark_post(tx, access_chat(tx, row["conversation_id"], principal, ChatAction.MARK), row, body.post_status)
        return post_model(tx, access_by_id(tx, "posts", post_id, PostRow, "Post"))


def _routing(name: str, summary: str, fn: Any, body: Any = None, optional_body: bool = False,
             action: Any = None) -> None:
    """A POST /cases/{id}/<name> route: the permission check for `action(body)` (default: the name), then fn."""
    which = action or (lambda body: ChatAction(name))

    def handler(svc: Services, principal: Principal, case_id: int, body: Any = None) -> Conversation:
        with svc.db.write() as tx:
            access_chat(tx, case_id, principal, which(body))
            fn(svc, tx, case_id, principal, body)
        return _case(svc, case_id)

    handler.__name__ = name
    api.route("POST", f"/cases/<int:case_id>/{name}", auth=AGENT, resource="case", tag="routing", body=body,
              response=Conversation, summary=summary, statuses=[409], optional_body=optional_body)(handler)


def _end(svc: Services, tx: Tx, cid: int, principal: Principal, body: Any) -> None:
    name = visible_name(tx, cid, principal)  # an administrator who is not visibly in the chat stays unnamed
    rank = "administrator" if principal.is_admin else "supervisor"
    do_end(svc, tx, cid, name, hidden_ender=None if name else f"{principal.name} ({rank})")


@api.route("PUT", "/cases/<int:case_id>", auth=AGENT, resource="case", tag="cases", body=CaseUpdate,
           response=Conversation, statuses=[409],
           summary="Kayako's case update, for what a chat has: `subject`; `status_id` (Completed or Closed ends "
                   "the chat; New and Open follow from accepting; Pending is not a chat's); `assigned_agent_id` "
                   "(a transfer). The same permissions as ending and transferring")
def update_case(svc: Services, principal: Principal, case_id: int, body: CaseUpdate) -> Conversation:
    if body.subject is None and body.status_id is None and body.assigned_agent_id is None \
            and body.assigned_team_id is None:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Give subject, status_id, assigned_agent_id or assigned_team_id")
    with svc.db.write() as tx:
        conv = access_chat(tx, case_id, principal, ChatAction.READ)
        if body.subject is not None:
            access_chat(tx, case_id, principal, ChatAction.END)
            do_rename(tx, case_id, body.subject)
        if body.assigned_agent_id is not None and body.assigned_agent_id != conv["owner_id"]:
            access_chat(tx, case_id, principal, ChatAction.TRANSFER)
            engine.do_transfer(svc, tx, case_id, principal.id, body.assigned_agent_id)
        if body.assigned_team_id is not None and body.assigned_team_id != conv["department_id"]:
            access_chat(tx, case_id, principal, ChatAction.TRANSFER)
            engine.do_transfer_to_department(svc, tx, case_id, principal.id, body.assigned_team_id)
        if body.status_id is not None:
            wanted = next(s for s in CASE_STATUSES if s.id == body.status_id).type
            if status_change_ends(access_chat(tx, case_id, principal, ChatAction.READ), wanted):
                access_chat(tx, case_id, principal, ChatAction.END)
                _end(svc, tx, case_id, principal, None)
    return _case(svc, case_id)


_routing("accept", "Accept a chat request, or take a waiting chat from the queue (one agent wins; not over "
         "your chat limit: CAPACITY_REACHED, which an administrator may override)",
         lambda svc, tx, cid, p, b: engine.do_accept(svc, tx, cid, p.id, b.override_capacity), AcceptInput,
         optional_body=True)
_routing("decline", "Decline a chat request: it goes to the next available agent",
         lambda svc, tx, cid, p, b: engine.do_decline(svc, tx, cid, p.id))
_routing("join", "Join an ongoing chat as a participant (visible) or an observer (staff only)",
         lambda svc, tx, cid, p, b: do_join(svc, tx, cid, p.id, b.role), JoinInput, optional_body=True,
         action=lambda b: ChatAction.OBSERVE if b.role == "OBSERVER" else ChatAction.JOIN)
_routing("leave", "Leave a chat you joined or observe; an owner's chat passes on or returns to the queue",
         lambda svc, tx, cid, p, b: do_leave(svc, tx, cid, p.id))
def _transfer(svc: Services, tx: Tx, cid: int, principal: Principal, body: TransferInput) -> None:
    targets = [t for t in (body.agent_id, body.department_id, body.skill_id) if t is not None]
    if len(targets) != 1:
        raise ApiError(ErrorCode.FIELD_REQUIRED if not targets else ErrorCode.FIELD_INVALID,
                       "Transfer to one agent (agent_id), department (department_id) or skill (skill_id)",
                       parameter="agent_id")
    if body.agent_id is not None:
        engine.do_transfer(svc, tx, cid, principal.id, body.agent_id)
    elif body.department_id is not None:
        engine.do_transfer_to_department(svc, tx, cid, principal.id, body.department_id)
    else:
        engine.do_transfer_to_skill(svc, tx, cid, principal.id, int(body.skill_id or 0))


_routing("transfer", "Transfer the chat to a named agent (rings them), a department or a skill (their agents ring "
         "one at a time; nobody there free: AGENT_UNAVAILABLE); cancels any other ring. The owner, an "
         "administrator, or anyone for a chat still in the queue", _transfer, TransferInput)
_routing("end", "End the chat: it is marked COMPLETED. The agents in it, or an administrator (who stays "
         "unnamed to the visitor unless visibly in the chat)", _end)
