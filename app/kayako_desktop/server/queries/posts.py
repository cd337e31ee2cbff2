"""Post reads: the timeline for staff (everything) and for the visitor (PUBLIC only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.models import Author, Post
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.files import file_model, get_file

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def author(db: Reader, row: Any) -> Author:
    kind = row["author_kind"]
    if kind == "AGENT":
        a = db.execute("SELECT full_name, avatar_url FROM agents WHERE id = ?", (row["author_id"],)).fetchone()
        return Author(kind="AGENT", id=row["author_id"], name=a["full_name"], avatar_url=a["avatar_url"])
    if kind == "VISITOR":
        v = db.execute("SELECT name FROM visitors WHERE id = ?", (row["author_id"],)).fetchone()
        return Author(kind="VISITOR", id=row["author_id"], name=v["name"] or f"Visitor {row['author_id']}")
    return Author(kind="SYSTEM", name="System")


def post_model(db: Reader, row: Any) -> Post:
    attachments = []
    if row["file_id"]:
        f = get_file(db, row["file_id"])
        if f is not None:
            attachments.append(file_model(f))
    return Post(
        id=row["id"],
        uuid=row["uuid"],
        conversation_id=row["conversation_id"],
        client_id=row["client_id"],
        author=author(db, row),
        kind=row["kind"],
        visibility=row["visibility"],
        contents=row["contents"],
        content_html=row["content_html"],
        language=row["language"],
        url=row["url"],
        attachments=attachments,
        status=row["status"],
        created_at=iso(row["created_at"]),
    )


def list_posts(db: Reader, conversation_id: int, *, staff: bool, after_id: int = 0, before_id: int | None = None,
               limit: int = 100) -> list[Post]:
    visibility = "" if staff else "AND visibility = 'PUBLIC'"
    if before_id is not None:
        rows = db.execute(
            f"SELECT * FROM posts WHERE conversation_id = ? AND id > ? AND id < ? {visibility} "
            "ORDER BY id DESC LIMIT ?",
            (conversation_id, after_id, before_id, limit),
        ).fetchall()[::-1]
    else:
        rows = db.execute(
            f"SELECT * FROM posts WHERE conversation_id = ? AND id > ? {visibility} ORDER BY id LIMIT ?",
            (conversation_id, after_id, limit),
        ).fetchall()
    return [post_model(db, r) for r in rows]


def get_post(db: Reader, post_id: int) -> Any:
    return db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
