"""Posts: idempotent creation of every kind, system lines, delivery status, typing."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import MAX_TEXT, PostInput, ReplyInput
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import (
    MessageCreated,
    MessagesStatusChanged,
    TypingChanged,
    ViewersChanged,
)
from kayako_desktop.protocol.models import AgentRef, Author, DeliveryStatus, Post
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.offers import withdraw_auto_transfer
from kayako_desktop.server.actions.publish import index_post
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.highlight import render_code, resolve_language
from kayako_desktop.server.links import normalise_url
from kayako_desktop.server.queries.conversations import participant_role, require_open
from kayako_desktop.server.queries.files import access_file
from kayako_desktop.server.queries.posts import message_of, post_model
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import ConversationRow, PostRow, typed

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx

_RANK = {"SENT": 0, "DELIVERED": 1, "SEEN": 2}


def _check_author(author_kind: str, inp: PostInput) -> str:
    """What a visitor may post; returns the effective visibility. Which agents may post, and with which
    visibility, is the permission table's business (queries/permissions.py, checked by the caller)."""
    if author_kind == "VISITOR":
        if inp.kind != "TEXT" or inp.visibility != "PUBLIC":
            raise ApiError(ErrorCode.PERMISSION_DENIED, "Visitors can only send text messages", parameter="kind")
        return "PUBLIC"
    return inp.visibility


def _contents(tx: Tx, inp: PostInput, author_kind: str, author_id: int) -> dict[str, Any]:
    """Validate one post's body by kind; returns the columns to store."""
    out: dict[str, Any] = {"contents": inp.contents, "content_html": None, "language": None, "url": None, "file_id": None}
    text = inp.contents.strip()
    if inp.kind == "SYSTEM":
        raise ApiError(ErrorCode.FIELD_INVALID, "SYSTEM posts are written by the server", parameter="kind")
    if inp.kind == "TEXT":
        if not text:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "Message text is required", parameter="contents")
        if len(inp.contents) > MAX_TEXT:
            raise ApiError(ErrorCode.FIELD_INVALID, f"Messages are limited to {MAX_TEXT} characters", parameter="contents")
    elif inp.kind == "CODE":
        if not text:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "Paste some code to send", parameter="contents")
        out["language"] = resolve_language(inp.language, inp.contents)
        out["content_html"] = render_code(inp.contents, out["language"])
    elif inp.kind == "URL":
        out["url"] = normalise_url(inp.url or inp.contents)
        out["contents"] = inp.contents.strip() if inp.contents.strip() and inp.url else out["url"]
    elif inp.kind in ("IMAGE", "FILE"):
        if inp.file_id:
            f = access_file(tx, inp.file_id, agent_id=author_id if author_kind == "AGENT" else None,
                            visitor_id=author_id if author_kind == "VISITOR" else None)
            if inp.kind == "IMAGE" and not f["is_image"]:
                raise ApiError(ErrorCode.TYPE_NOT_ALLOWED,
                               "Only PNG, JPEG, GIF or WebP files can be sent as images", parameter="file_id")
            out["file_id"] = f["id"]
            out["contents"] = text or f["name"]
        elif inp.kind == "IMAGE" and inp.url:
            out["url"] = normalise_url(inp.url, allow_mailto=False)
            out["contents"] = text or out["url"]
        else:
            raise ApiError(ErrorCode.FIELD_REQUIRED, "Upload the file first and send its id", parameter="file_id")
    return out


def do_create_post(tx: Tx, conv: ConversationRow, author_kind: str, author_id: int, inp: PostInput) -> tuple[Post, bool]:
    """Create a post, or return the one already made with this client_id (retries are safe)."""
    existing = tx.one(
        "SELECT * FROM posts WHERE author_kind = ? AND author_id = ? AND client_id = ?",
        (author_kind, author_id, inp.client_id),
    )
    if existing is not None:
        if existing["conversation_id"] != conv["id"]:
            raise ApiError(ErrorCode.DUPLICATE, "client_id was already used in another chat", parameter="client_id")
        return post_model(tx, typed(existing, PostRow)), False
    require_open(conv)
    visibility = _check_author(author_kind, inp)
    cols = _contents(tx, inp, author_kind, author_id)
    row = tx.insert_row(
        "INSERT INTO posts (uuid, conversation_id, client_id, author_kind, author_id, kind, visibility, contents, "
        "content_html, language, url, file_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (str(uuid.uuid4()), conv["id"], inp.client_id, author_kind, author_id, inp.kind, visibility,
         cols["contents"], cols["content_html"], cols["language"], cols["url"], cols["file_id"], tx.now),
    )
    if author_kind == "AGENT" and visibility == "PUBLIC":  # the chat's first answer, for reports
        tx.execute("UPDATE conversations SET answered_at = COALESCE(answered_at, ?) WHERE id = ?", (tx.now, conv["id"]))
    post = _publish_post(tx, conv, typed(row, PostRow))
    if author_kind == "AGENT" and visibility == "PUBLIC" and author_id == conv["owner_id"] and \
            withdraw_auto_transfer(tx, conv["id"]):
        name = tx.value("SELECT full_name FROM agents WHERE id = ?", (author_id,))
        do_system_post(tx, conv, f"{name} answered: the chat stays with them", staff_only=True)
    return post, True


def do_reply(tx: Tx, conv: ConversationRow, agent_id: int, body: ReplyInput) -> tuple[Post, bool]:
    """An agent's reply in Kayako's shape: its text as one post, then each attachment as a FILE post of its
    own (client ids `key`, `key:2`, `key:3` …, so a retried reply makes nothing twice); a reply of only
    attachments starts with the first file. Returns the first post and whether it was new."""
    key = body.client_id or f"auto-{uuid.uuid4()}"
    posts = [] if body.attachment_file_ids and not body.contents and body.kind == "TEXT" else [
        PostInput(client_id=key, kind=body.kind, contents=body.contents, visibility=body.visibility,
                  language=body.language, url=body.url, file_id=body.file_id)]
    posts += [PostInput(client_id=key if not posts and n == 0 else f"{key}:{n + 1}", kind="FILE", file_id=file_id,
                        visibility=body.visibility) for n, file_id in enumerate(body.attachment_file_ids)]
    made = [do_create_post(tx, conv, "AGENT", agent_id, inp) for inp in posts]
    return made[0]


def do_mark_post(tx: Tx, conv: ConversationRow, post: PostRow, status: DeliveryStatus) -> None:
    """Kayako's `PUT /cases/posts/{id}`: the agent has received / seen a visitor's post (and those before
    it). An agent's own posts are marked by the visitor who reads them: for those this changes nothing."""
    if post["author_kind"] == "VISITOR":
        do_mark(tx, conv, "AGENT", post["id"], status)


def do_mark_message(tx: Tx, conv: ConversationRow, message_id: int, status: DeliveryStatus) -> Post:
    """Kayako's message_status from the visitor: the agents' public messages up to `message_id` were received
    or read (statuses only move forward). The message must be one of this chat's public posts."""
    row = tx.one("SELECT * FROM posts WHERE id = ? AND conversation_id = ? AND visibility = 'PUBLIC'",
                 (message_id, conv["id"]))
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"No message {message_id} in this conversation", parameter="message_id")
    do_mark(tx, conv, "VISITOR", message_id, status)
    return post_model(tx, typed(tx.row("SELECT * FROM posts WHERE id = ?", (message_id,)), PostRow))


def do_system_post(tx: Tx, conv: ConversationRow, text: str, *, staff_only: bool = False) -> Post:
    row = tx.insert_row(
        "INSERT INTO posts (uuid, conversation_id, author_kind, kind, visibility, contents, created_at) "
        "VALUES (?, ?, 'SYSTEM', 'SYSTEM', ?, ?, ?)",
        (str(uuid.uuid4()), conv["id"], "STAFF" if staff_only else "PUBLIC", text, tx.now),
    )
    return _publish_post(tx, conv, typed(row, PostRow))


def _publish_post(tx: Tx, conv: ConversationRow, row: PostRow) -> Post:
    post = post_model(tx, row)
    tx.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (tx.now, conv["id"]))
    if post.kind != "SYSTEM":
        index_post(tx, conv["id"], post.contents)
    tx.emit(Event.MESSAGE_CREATED, MessageCreated(post=post), Audience.staff(conv["id"]))
    if post.visibility == "PUBLIC":
        tx.emit(Event.MESSAGE_CREATED, MessageCreated(post=message_of(post)), Audience.chat_visitor(conv["id"]))
    return post


def do_mark(tx: Tx, conv: ConversationRow, reader_kind: str, up_to_post_id: int, status: DeliveryStatus) -> list[int]:
    """The reader has received / seen the other side's posts up to an id; statuses only move forward."""
    others = "author_kind = 'VISITOR'" if reader_kind == "AGENT" else "author_kind = 'AGENT' AND visibility = 'PUBLIC'"
    lower = tuple(s for s, r in _RANK.items() if r < _RANK[status])
    marks = ",".join("?" * len(lower))
    rows = tx.all(
        f"UPDATE posts SET status = ? WHERE conversation_id = ? AND id <= ? AND {others} AND status IN ({marks}) "
        "RETURNING id",
        (status, conv["id"], up_to_post_id, *lower),
    )
    ids = sorted(r[0] for r in rows)
    if ids:
        payload = MessagesStatusChanged(conversation_id=conv["id"], up_to_post_id=up_to_post_id, status=status,
                                        post_ids=ids)
        tx.emit(Event.MESSAGES_STATUS_CHANGED, payload, Audience.staff(conv["id"]))
        tx.emit(Event.MESSAGES_STATUS_CHANGED, payload, Audience.chat_visitor(conv["id"]))
    return ids


def do_viewing(tx: Tx, conv: ConversationRow, agent: AgentRef, viewing: bool) -> None:
    """An agent has the chat open on screen, or no longer: ephemeral, for the chat's staff only."""
    tx.emit(Event.VIEWERS_CHANGED, ViewersChanged(conversation_id=conv["id"], agent=agent, viewing=viewing),
            Audience.staff(conv["id"]))


def do_typing(tx: Tx, conv: ConversationRow, author: Author, typing: bool) -> None:
    """Typing is ephemeral: delivered live, never logged. Observers' typing never reaches the visitor."""
    payload = TypingChanged(conversation_id=conv["id"], author=author, typing=typing)
    tx.emit(Event.TYPING_CHANGED, payload, Audience.staff(conv["id"]))
    role = participant_role(tx, conv["id"], author.id) if author.kind == "AGENT" and author.id else None
    if role in ("OWNER", "PARTICIPANT"):
        tx.emit(Event.TYPING_CHANGED, payload, Audience.chat_visitor(conv["id"]))
