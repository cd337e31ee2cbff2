"""E-mailing a chat's transcript: built from a read, handed to the mail server outside any transaction (it may
take seconds, and a write lock must not wait on the network), then noted in the chat — a staff-only line
saying who sent it to whom, written only once the mail server took it."""

from __future__ import annotations

from email.message import EmailMessage
from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import TranscriptSent
from kayako_desktop.server.actions.posts import do_system_post
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.mail import MailError, send
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.queries.transcript import build_transcript

if TYPE_CHECKING:
    from kayako_desktop.server.services import Services


def email_transcript(svc: Services, conversation_id: int, recipients: list[str], by: str,
                     base_url: str | None) -> TranscriptSent:
    """Send the transcript to `recipients` (deduplicated, case aside); `by` names the sender in the chat's line;
    file links are made with `base_url` (none without one)."""
    if svc.smtp is None:
        raise ApiError(ErrorCode.EMAIL_NOT_CONFIGURED, "This chat server does not send e-mail (its operator has "
                                                       "not set CHAT_SMTP_URL); nothing was sent")
    unique: dict[str, str] = {}
    for address in recipients:  # one copy per address, whatever its case
        unique.setdefault(address.lower(), address)
    recipients = list(unique.values())
    with svc.db.read() as db:
        transcript = build_transcript(svc, db, access_conversation(db, conversation_id), base_url)
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
        conv = access_conversation(tx, conversation_id)
        do_system_post(tx, conv, f"{by} e-mailed the transcript to {', '.join(recipients)}", staff_only=True)
    return TranscriptSent(conversation_id=conversation_id, recipients=recipients, messages=transcript.posts,
                          sent_at=iso(svc.clock.now()))
