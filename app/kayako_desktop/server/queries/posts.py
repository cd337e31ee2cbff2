"""Post reads: the timeline for staff (everything) and for the visitor (PUBLIC only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import MAX_ID
from kayako_desktop.protocol.models import Author, Post
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries.files import file_model, files_by_id

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def post_models(db: Reader, rows: list[Any]) -> list[Post]:
    """Posts with their authors and attachments: two queries at most, whatever the number of rows."""
    agent_ids = sorted({r["author_id"] for r in rows if r["author_kind"] == "AGENT"})
    visitor_ids = sorted({r["author_id"] for r in rows if r["author_kind"] == "VISITOR"})
    file_ids = sorted({r["file_id"] for r in rows if r["file_id"]})
    agents: dict[int, Any] = {}
    visitors: dict[int, str | None] = {}
    parts = [f"SELECT 'AGENT' AS kind, id, full_name AS name, avatar_url FROM agents WHERE id IN ({_marks(agent_ids)})"
             ] if agent_ids else []
    if visitor_ids:
        parts.append("SELECT 'VISITOR' AS kind, id, name, NULL AS avatar_url FROM visitors "
                     f"WHERE id IN ({_marks(visitor_ids)})")
    if parts:
        for r in db.execute(" UNION ALL ".join(parts), [*agent_ids, *visitor_ids]).fetchall():
            if r["kind"] == "AGENT":
                agents[r["id"]] = r
            else:
                visitors[r["id"]] = r["name"]
    files = files_by_id(db, file_ids)
    return [_post(row, _author(row, agents, visitors), files) for row in rows]


def _author(row: Any, agents: dict[int, Any], visitors: dict[int, str | None]) -> Author:
    kind, who = row["author_kind"], row["author_id"]
    if kind == "AGENT":
        a = agents[who]
        return Author(kind="AGENT", id=who, name=a["name"], avatar_url=a["avatar_url"])
    if kind == "VISITOR":
        return Author(kind="VISITOR", id=who, name=visitors.get(who) or f"Visitor {who}")
    return Author(kind="SYSTEM", name="System")


def current_author(db: Reader, kind: str, author_id: int, fallback: str) -> Author:
    """An agent or visitor by their current name (a visitor may name themselves after their socket opened)."""
    if kind == "AGENT":
        row = db.execute("SELECT full_name FROM agents WHERE id = ?", (author_id,)).fetchone()
        return Author(kind="AGENT", id=author_id, name=row[0] if row else fallback)
    row = db.execute("SELECT name FROM visitors WHERE id = ?", (author_id,)).fetchone()
    return Author(kind="VISITOR", id=author_id, name=(row[0] if row else None) or fallback)


def post_model(db: Reader, row: Any) -> Post:
    return post_models(db, [row])[0]


def _post(row: Any, author: Author, files: dict[str, Any]) -> Post:
    attachments = [file_model(files[row["file_id"]])] if row["file_id"] in files else []
    return Post(
        id=row["id"],
        uuid=row["uuid"],
        conversation_id=row["conversation_id"],
        client_id=row["client_id"],
        author=author,
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
    return post_models(db, rows)


Cursor = dict[str, int]


def timeline_page(db: Reader, conversation_id: int, *, staff: bool, after_id: int = 0, before_id: int | None = None,
                  limit: int = 100) -> tuple[list[Post], int, Cursor | None, Cursor | None]:
    """A page of the timeline (list_posts), how many posts it holds in all (every post for staff, PUBLIC ones
    for the visitor), and the cursors of the pages before and after it (None at either end)."""
    posts = list_posts(db, conversation_id, staff=staff, after_id=after_id, before_id=before_id, limit=limit)
    # an empty page sits just after `after_id` (or just before `before_id`); ids stay within SQLite's range
    first = posts[0].id if posts else (min(after_id + 1, MAX_ID) if before_id is None else before_id)
    last = posts[-1].id if posts else first - 1
    visibility = "" if staff else " AND visibility = 'PUBLIC'"
    total, earlier, later = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN id < ? THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN id > ? THEN 1 ELSE 0 END), 0) FROM posts WHERE conversation_id = ?{visibility}",
        (first, last, conversation_id)).fetchone()
    previous = {"before_id": first, "limit": limit} if earlier else None
    following = {"after_id": last, "limit": limit} if later else None
    return posts, int(total), previous, following


def get_post(db: Reader, post_id: int) -> Any:
    return db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
