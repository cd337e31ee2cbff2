"""Staff chat between agents, and asking a colleague to help in a chat (Classic's "invite to conference")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import (
    HelpRequestInput,
    StaffMessageInput,
    StaffReadInput,
    StaffThreadQuery,
)
from kayako_desktop.protocol.models import StaffMessage, StaffRead, StaffThread
from kayako_desktop.server.actions.staff import do_ask_for_help, do_read_staff_messages, do_send_staff_message
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.permissions import ChatAction, access_chat
from kayako_desktop.server.queries.staff import staff_message, thread_page, threads
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/staff/threads", auth=AGENT, resource="staff_thread", tag="staff", response=list[StaffThread],
           collection=True, summary="Your colleagues for staff chat: the newest message with each, and how many "
                                    "of theirs you have not read")
def list_threads(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = threads(db, principal.id)
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("GET", "/staff/messages", auth=AGENT, resource="staff_message", tag="staff", query=StaffThreadQuery,
           response=list[StaffMessage], collection=True,
           summary="Your messages with one colleague, newest first (before_id: the page before that message)")
def list_messages(svc: Services, principal: Principal, query: StaffThreadQuery) -> Page:
    with svc.db.read() as db:
        items, total = thread_page(db, principal.id, query.with_agent_id, query.before_id, query.limit)
    return Page(items, total, 0, query.limit)


@api.route("POST", "/staff/messages", auth=AGENT, resource="staff_message", tag="staff", body=StaffMessageInput,
           response=StaffMessage, statuses=[201],
           summary="Write to a colleague (staff only; a retry with the same client_id answers 200 with the first)")
def send_message(svc: Services, principal: Principal, body: StaffMessageInput) -> Created | StaffMessage:
    with svc.db.write() as tx:
        message_id, created = do_send_staff_message(tx, principal.id, body.to_agent_id, body.contents, body.client_id)
        message = staff_message(tx, message_id)
    return Created(message) if created else message


@api.route("PUT", "/staff/messages/read", auth=AGENT, resource="staff_read", tag="staff", body=StaffReadInput,
           response=StaffRead, summary="You have read a colleague's messages up to this one")
def read_messages(svc: Services, principal: Principal, body: StaffReadInput) -> StaffRead:
    with svc.db.write() as tx:
        return StaffRead(marked=do_read_staff_messages(tx, principal.id, body.with_agent_id, body.up_to_id))


@api.route("POST", "/cases/<int:case_id>/help_requests", auth=AGENT, resource="staff_message", tag="staff",
           body=HelpRequestInput, response=StaffMessage, statuses=[201, 409],
           summary="Ask a colleague to help in a chat you are in: they get a staff message and join it as a "
                   "whisper-only helper (an observer: the visitor never sees them)")
def ask_for_help(svc: Services, principal: Principal, case_id: int, body: HelpRequestInput) -> Created | StaffMessage:
    with svc.db.write() as tx:
        conv = access_chat(tx, case_id, principal, ChatAction.REPLY_STAFF)  # the agents in the chat
        message_id, created = do_ask_for_help(tx, conv, principal.id, body)
        message = staff_message(tx, message_id)
    return Created(message) if created else message
