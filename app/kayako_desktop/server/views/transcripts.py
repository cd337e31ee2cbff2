"""Chat transcripts: e-mailed by an agent (to the visitor and/or any addresses) or by the visitor (to
themselves), and downloaded by agents as HTML or plain text. A transcript holds what the visitor saw."""

from __future__ import annotations

from email.message import EmailMessage
from typing import TYPE_CHECKING, Literal

from flask import Response, request
from pydantic import Field

from kayako_desktop.protocol.commands import Input, TranscriptRequest, VisitorTranscriptRequest
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import TranscriptSent
from kayako_desktop.server.actions.transcripts import do_keep_visitor_email, do_record_transcript
from kayako_desktop.server.api import AGENT, VISITOR
from kayako_desktop.server.auth import public_scheme
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.mail import MailError, send
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.queries.permissions import ChatAction, access_chat
from kayako_desktop.server.queries.transcript import Transcript, build_transcript
from kayako_desktop.server.queries.visitors import get_visitor
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


class TranscriptQuery(Input):
    format: Literal["html", "text"] = Field(default="html")


def _base_url() -> str:
    return f"{public_scheme()}://{request.host}/"


def _email(svc: Services, conversation_id: int, recipients: list[str], by: str) -> TranscriptSent:
    """Build, hand to the mail server (outside any transaction: it may take seconds), then note it in the chat."""
    if svc.smtp is None:
        raise ApiError(ErrorCode.EMAIL_NOT_CONFIGURED, "This chat server does not send e-mail (its operator has "
                                                       "not set CHAT_SMTP_URL); nothing was sent")
    with svc.db.read() as db:
        transcript = build_transcript(svc, db, access_conversation(db, conversation_id), _base_url())
    message = EmailMessage()
    message["To"] = ", ".join(recipients)
    message["Subject"] = f"Chat transcript: {transcript.subject}"
    message.set_content(transcript.text)
    message.add_alternative(transcript.html, subtype="html")
    try:
        send(svc.smtp, message)
    except MailError as exc:
        raise ApiError(ErrorCode.EMAIL_FAILED, f"{exc}. Nothing was sent.") from exc
    with svc.db.write() as tx:
        do_record_transcript(tx, access_conversation(tx, conversation_id), recipients, by)
    return TranscriptSent(conversation_id=conversation_id, recipients=recipients, messages=transcript.posts,
                          sent_at=iso(svc.clock.now()) or "")


def _unique(addresses: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for a in addresses:
        seen.setdefault(a.lower(), a)
    return list(seen.values())


@api.route("POST", "/cases/<int:case_id>/transcript", auth=AGENT, resource="transcript", tag="cases",
           body=TranscriptRequest, response=TranscriptSent, statuses=[409, 502],
           summary="E-mail the chat's transcript (what the visitor saw) to the visitor and/or other addresses")
def email_case_transcript(svc: Services, principal: Principal, case_id: int,
                          body: TranscriptRequest) -> TranscriptSent:
    with svc.db.read() as db:
        conv = access_chat(db, case_id, principal, ChatAction.READ)
        row = get_visitor(db, conv["visitor_id"])
    recipients = list(body.emails)
    if body.to_visitor:
        if not row["email"] and not recipients:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "The visitor left no e-mail address: type one to send the "
                                                     "transcript to", parameter="emails")
        if row["email"]:
            recipients.insert(0, row["email"])
    if not recipients:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Name someone to send the transcript to", parameter="emails")
    return _email(svc, case_id, _unique(recipients), principal.name)


@api.route("GET", "/cases/<int:case_id>/transcript", auth=AGENT, resource="transcript", tag="cases",
           query=TranscriptQuery, raw=True,
           summary="Download the chat's transcript as a file: HTML (format=html) or plain text (format=text)")
def download_case_transcript(svc: Services, principal: Principal, case_id: int, query: TranscriptQuery) -> Response:
    with svc.db.read() as db:
        transcript: Transcript = build_transcript(svc, db, access_chat(db, case_id, principal, ChatAction.READ),
                                                  _base_url())
    if query.format == "text":
        body, mimetype, ext = transcript.text, "text/plain", "txt"
    else:
        body, mimetype, ext = transcript.html, "text/html", "html"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{transcript.filename}.{ext}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@api.route("POST", "/conversations/<int:conversation_id>/transcript", auth=VISITOR, resource="transcript",
           tag="messenger", body=VisitorTranscriptRequest, response=TranscriptSent, statuses=[409, 429, 502],
           summary="The visitor e-mails themselves the chat's transcript (to their address, or this one)")
def email_my_transcript(svc: Services, principal: Principal, conversation_id: int,
                        body: VisitorTranscriptRequest) -> TranscriptSent:
    with svc.db.read() as db:
        conv = access_conversation(db, conversation_id, visitor_id=principal.id)
        row = get_visitor(db, conv["visitor_id"])
    email = body.email or row["email"]
    if not email:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Give the e-mail address to send the transcript to",
                       parameter="email")
    if svc.smtp is not None:  # (without e-mail the answer says so, and nothing counts against the limit)
        cfg = svc.config
        svc.limits.hit(f"transcript:{principal.id}", int(cfg["CHAT_TRANSCRIPT_LIMIT"]),
                       float(cfg["CHAT_TRANSCRIPT_WINDOW"]), "transcript e-mails")
    sent = _email(svc, conversation_id, [email], principal.name)
    if body.email and not row["email"]:
        with svc.db.write() as tx:
            do_keep_visitor_email(tx, principal.id, body.email)
    return sent
