"""A chat's transcript for people: what the visitor saw (its public messages, never a staff note), as plain
text and as HTML. Files and images are links (signed for the chat's visitor, valid TRANSCRIPT_LINK_SECONDS);
code keeps its lines and indentation. Everything from a visitor or an agent is escaped, never markup."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import Post
from kayako_desktop.server.file_links import make_link
from kayako_desktop.server.queries.conversations import visible_subject
from kayako_desktop.server.queries.posts import list_posts
from kayako_desktop.server.queries.visitors import access_visitor
from kayako_desktop.server.rows import ConversationRow

if TYPE_CHECKING:
    from collections.abc import Callable

    from kayako_desktop.server.db import Reader
    from kayako_desktop.server.services import Services

    FileLink = Callable[[str], str | None]  # a file's id → its download link for the mail's reader, or None

TRANSCRIPT_LINK_SECONDS = 30 * 24 * 3600  # a transcript's file links work for 30 days
MAX_TRANSCRIPT_POSTS = 10_000  # longer chats are cut at their first 10,000 messages (and say so)


@dataclass(frozen=True)
class Transcript:
    subject: str
    text: str
    html: str
    filename: str  # without extension: chat-<id>-<date>
    posts: int


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _clock(iso_time: str) -> str:
    return iso_time[11:16]


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


def build_transcript(svc: Services, db: Reader, conv: ConversationRow, base_url: str | None) -> Transcript:
    """The transcript of one chat (its row), file links made absolute with `base_url` (the server's public
    address); without one, files are named but not linked."""
    visitor = access_visitor(db, conv["visitor_id"])
    posts = list_posts(db, conv["id"], staff=False, limit=MAX_TRANSCRIPT_POSTS + 1)  # oldest first
    cut = len(posts) > MAX_TRANSCRIPT_POSTS
    posts = posts[:MAX_TRANSCRIPT_POSTS]
    now = svc.clock.now()
    visitor_name = visitor["name"] or f"Visitor {visitor['id']}"
    agents = sorted({p.creator.full_name for p in posts if p.creator.kind == "AGENT"})

    def link(file_id: str) -> str | None:
        if base_url is None:
            return None
        path, _ = make_link(svc, file_id, conv["visitor_id"], now, download=True, lifetime=TRANSCRIPT_LINK_SECONDS)
        return base_url.rstrip("/") + path

    facts = [("Visitor", visitor_name + (f" <{visitor['email']}>" if visitor["email"] else "")),
             ("Agents", ", ".join(agents) or "none"), ("Started", _when(conv["created_at"]))]
    if conv["completed_at"]:
        facts.append(("Ended", _when(conv["completed_at"])))
    subject = visible_subject(db, conv["id"]) or "your chat"  # an invited chat's label is the agents' own
    text = [f"Chat transcript: {subject}", *[f"{k}: {v}" for k, v in facts], ""]
    body = []
    for p in posts:
        text.append(_text_line(p, link))
        body.append(_html_line(p, link))
    if cut:
        note = f"(The chat goes on: this transcript holds its first {MAX_TRANSCRIPT_POSTS:,} messages.)"
        text.append(note)
        body.append(f"<p style=\"color:#6b7280\">{html.escape(note)}</p>")
    if not posts:
        text.append("(No messages.)")
    head = "".join(f"<tr><th style=\"text-align:left;padding-right:12px;color:#6b7280\">{html.escape(k)}</th>"
                   f"<td>{html.escape(v)}</td></tr>" for k, v in facts)
    page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(f'Chat transcript: {subject}')}</title></head>"
            "<body style=\"font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827;"
            "max-width:720px;margin:0 auto;padding:16px\">"
            f"<h1 style=\"font-size:20px\">{html.escape(f'Chat transcript: {subject}')}</h1>"
            f"<table style=\"font-size:14px;margin-bottom:16px\">{head}</table>{''.join(body)}</body></html>")
    day = datetime.fromtimestamp(conv["created_at"], UTC).strftime("%Y-%m-%d")
    return Transcript(subject, "\n".join(text) + "\n", page, f"chat-{conv['id']}-{day}", len(posts))


def _text_line(p: Post, link: FileLink) -> str:
    who = p.creator.full_name
    at = _clock(p.created_at)
    if p.kind == "SYSTEM":
        return f"[{at}] — {p.contents}"
    if p.kind == "CODE":
        code = "\n".join("    " + line for line in p.contents.splitlines())
        return f"[{at}] {who} ({p.language or 'code'}):\n{code}"
    if p.kind in ("IMAGE", "FILE") and p.attachments:
        f = p.attachments[0]
        label = "Image" if p.kind == "IMAGE" else "File"
        href = link(f.id)
        return f"[{at}] {who}: {label}: {f.name} ({_size(f.size)})" + (f" {href}" if href else "")
    if p.kind == "URL" and p.url:
        return f"[{at}] {who}: {p.contents + ' ' if p.contents and p.contents != p.url else ''}{p.url}"
    return f"[{at}] {who}: {p.contents}"


def _html_line(p: Post, link: FileLink) -> str:
    at = html.escape(_clock(p.created_at))
    if p.kind == "SYSTEM":
        return f"<p style=\"color:#6b7280;font-style:italic;margin:8px 0\">{at} — {html.escape(p.contents)}</p>"
    who = html.escape(p.creator.full_name)
    head = f"<div style=\"font-size:12px;color:#6b7280\"><strong style=\"color:#111827\">{who}</strong> {at}</div>"
    if p.kind == "CODE":
        lang = html.escape(p.language or "code")
        inner = (f"<div style=\"font-size:12px;color:#6b7280\">{lang}</div><pre style=\"background:#f3f4f6;"
                 "padding:8px;border-radius:6px;overflow:auto;font-size:13px\"><code>"
                 f"{html.escape(p.contents)}</code></pre>")
    elif p.kind in ("IMAGE", "FILE") and p.attachments:
        f = p.attachments[0]
        label = "Image" if p.kind == "IMAGE" else "File"
        href = link(f.id)
        name = html.escape(f.name)
        named = f"<a href=\"{html.escape(href)}\">{name}</a>" if href else name
        inner = f"<p style=\"margin:4px 0\">{label}: {named} ({html.escape(_size(f.size))})</p>"
    elif p.kind == "URL" and p.url:
        inner = (f"<p style=\"margin:4px 0\"><a href=\"{html.escape(p.url)}\">{html.escape(p.contents or p.url)}</a>"
                 "</p>")
    else:
        inner = f"<p style=\"margin:4px 0;white-space:pre-wrap\">{html.escape(p.contents)}</p>"
    return f"<div style=\"margin:12px 0\">{head}{inner}</div>"
