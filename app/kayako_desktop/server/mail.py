"""Outgoing e-mail (chat transcripts) through the SMTP server named by CHAT_SMTP_URL:

    smtp://[user[:password]@]host[:port]            plain SMTP (port 25), STARTTLS when the server offers it
    smtp+starttls://[user[:password]@]host[:port]   STARTTLS required (port 587)
    smtps://[user[:password]@]host[:port]           TLS from the first byte (port 465)

The sender is CHAT_SMTP_FROM (default `Kayako Desktop <chat@HOST>`). Without CHAT_SMTP_URL nothing is sent
and the caller says so: mail is never queued silently. A send either reaches the SMTP server within the
timeout or fails with the server's (or the network's) reason."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

SEND_TIMEOUT = 15.0  # seconds each step with the SMTP server may take (connect, greeting, TLS, login, data)
SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


class MailError(Exception):
    """The message could not be handed to the SMTP server; the text says why, in words for people."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # plain, starttls or tls
    username: str | None
    password: str | None = field(repr=False)  # never in a log line or a traceback's locals
    sender: str = ""


def parse_smtp_url(url: str, sender: str | None = None) -> SmtpSettings:
    """Settings from CHAT_SMTP_URL (and CHAT_SMTP_FROM); ValueError names what is wrong with them."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"CHAT_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://, not {parts.scheme}://")
    if not parts.hostname:
        raise ValueError("CHAT_SMTP_URL names no host")
    security, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError as exc:
        raise ValueError("CHAT_SMTP_URL has an invalid port") from exc
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    sender = sender or formataddr(("Kayako Desktop", f"chat@{parts.hostname}"))
    if "@" not in parseaddr(sender)[1]:
        raise ValueError(f"CHAT_SMTP_FROM is not an e-mail address: {sender!r}")
    return SmtpSettings(parts.hostname, port, security, username, password, sender)


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server, or raise MailError with the reason."""
    for header in ("From", "Date", "Message-ID"):  # (a retry of the same message keeps one of each)
        del message[header]
    message["From"] = settings.sender
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.sender)[1].rpartition("@")[2] or None)
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SEND_TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SEND_TIMEOUT)
        with client:
            client.ehlo()
            if settings.security == "starttls" or (settings.security == "plain" and client.has_extn("starttls")):
                client.starttls(context=context)
                client.ehlo()
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError("The mail server refused the login in CHAT_SMTP_URL") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"The mail server refused every recipient: {', '.join(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        reason = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise MailError(f"The mail server answered {exc.smtp_code}: {reason}") from exc
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise MailError(f"The mail server failed: {exc}") from exc
    except (TimeoutError, OSError) as exc:
        raise MailError(f"Cannot reach the mail server {settings.host}:{settings.port} ({exc.__class__.__name__})") from exc
    if refused:
        raise MailError(f"The mail server refused: {', '.join(sorted(refused))}")
