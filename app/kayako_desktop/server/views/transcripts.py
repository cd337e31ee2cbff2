"""Chat transcripts: e-mailed by an agent (to the visitor and/or any addresses) or by the visitor (to
themselves), and downloaded by agents as HTML or plain text. A transcript holds what the visitor saw."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from flask import Response
from pydantic import Field

from kayako_desktop.protocol.commands import Input, TranscriptRequest, VisitorTranscriptRequest, VisitorUpdate
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import TranscriptSent
from kayako_desktop.server.actions.transcripts import email_transcript
from kayako_desktop.server.actions.visitors import do_update_visitor
from kayako_desktop.server.api import AGENT, VISITOR
from kayako_desktop.server.auth import limit, limit_per_address, public_base_url
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.queries.permissions import ChatAction, access_chat
from kayako_desktop.server.queries.transcript import build_transcript
from kayako_desktop.server.queries.visitors import access_visitor
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


log = logging.getLogger(__name__)


class TranscriptQuery(Input):
    format: Literal["html", "text"] = Field(default="html")


@api.route("POST", "/cases/<int:case_id>/transcript", auth=AGENT, resource="transcript", tag="cases",
           body=TranscriptRequest, response=TranscriptSent, statuses=[409, 502],
           summary="E-mail the chat's transcript (what the visitor saw) to the visitor and/or other addresses")
def email_case_transcript(svc: Services, principal: Principal, case_id: int,
                          body: TranscriptRequest) -> TranscriptSent:
    with svc.db.read() as db:
        visitor = access_visitor(db, access_chat(db, case_id, principal, ChatAction.READ)["visitor_id"])
    recipients = list(body.emails)
    if body.to_visitor:
        if not visitor["email"] and not recipients:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "The visitor left no e-mail address: type one to send the "
                                                     "transcript to", parameter="emails")
        if visitor["email"]:
            recipients.insert(0, visitor["email"])
    if not recipients:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Name someone to send the transcript to", parameter="emails")
    return email_transcript(svc, case_id, recipients, principal.name, public_base_url())


@api.route("GET", "/cases/<int:case_id>/transcript", auth=AGENT, resource="transcript", tag="cases",
           query=TranscriptQuery, raw=True,
           summary="Download the chat's transcript as a file: HTML (format=html) or plain text (format=text)")
def download_case_transcript(svc: Services, principal: Principal, case_id: int, query: TranscriptQuery) -> Response:
    with svc.db.read() as db:
        transcript = build_transcript(svc, db, access_chat(db, case_id, principal, ChatAction.READ),
                                      public_base_url())
    if query.format == "text":
        body, mimetype, ext = transcript.text, "text/plain", "txt"
    else:
        body, mimetype, ext = transcript.html, "text/html", "html"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{transcript.filename}.{ext}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@api.route("POST", "/conversations/<int:conversation_id>/transcript", auth=VISITOR, resource="transcript",
           tag="messenger", body=VisitorTranscriptRequest, response=TranscriptSent, statuses=[409, 429, 502],
           summary="The visitor e-mails themselves the chat's transcript (to their address, or this one)")
def email_my_transcript(svc: Services, principal: Principal, conversation_id: int,
                        body: VisitorTranscriptRequest) -> TranscriptSent:
    with svc.db.read() as db:
        visitor = access_visitor(db, access_conversation(db, conversation_id, visitor_id=principal.id)["visitor_id"])
    email = visitor["email"] or body.email
    if not email:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Give the e-mail address to send the transcript to",
                       parameter="email")
    if body.email and body.email.lower() != email.lower():  # never a relay to someone else's mailbox
        raise ApiError(ErrorCode.FIELD_INVALID, "Transcripts go to the e-mail address you gave for your chats",
                       parameter="email")
    if svc.smtp is not None:  # (without e-mail the answer says so, and nothing counts against the limits)
        limit(svc, "TRANSCRIPT", str(principal.id), "transcript e-mails")
        limit_per_address(svc, "TRANSCRIPT_ADDRESS", "transcript e-mails")
    try:
        # File links only with the configured public address: a visitor could name any Host for their own mail.
        sent = email_transcript(svc, conversation_id, [email], principal.name, svc.config.get("CHAT_PUBLIC_URL"))
    except ApiError as exc:
        if exc.code != ErrorCode.EMAIL_FAILED:
            raise
        log.warning("transcript for visitor %s not sent: %s", principal.id, exc.message)
        raise ApiError(ErrorCode.EMAIL_FAILED, "The transcript could not be sent just now; please try again "
                                               "later. Nothing was sent.") from exc  # (not the mail server's reply)
    if body.email and not visitor["email"]:  # the address they gave becomes theirs (agents see it)
        with svc.db.write() as tx:
            do_update_visitor(tx, principal.id, VisitorUpdate(email=body.email))
    return sent
