"""Post reads: the timeline for staff (everything) and for the visitor (PUBLIC only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import MAX_ID
from kayako_desktop.protocol.models import Author, Message, Post, PostOriginal
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import get_by_id
from kayako_desktop.server.queries.conversations import VISIBLE_SUBJECT
from kayako_desktop.server.queries.files import file_model, files_by_id
from kayako_desktop.server.rows import FileRow, PostRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def post_models(db: Reader, rows: Sequence[PostRow]) -> list[Post]:
    """Posts with their authors and attachments: two queries at most, whatever the number of rows."""
    agent_ids = sorted({a for r in rows if r["author_kind"] == "AGENT" and (a := r["author_id"]) is not None})
    visitor_ids = sorted({v for r in rows if r["author_kind"] == "VISITOR" and (v := r["author_id"]) is not None})
    file_ids = sorted({r["file_id"] for r in rows if r["file_id"]})
    case_ids = sorted({r["conversation_id"] for r in rows})
    agents: dict[int, Any] = {}
    visitors: dict[int, str | None] = {}
    subjects: dict[int, str] = {}
    parts = [f"SELECT 'AGENT' AS kind, id, full_name AS name, avatar_url FROM agents WHERE id IN ({_marks(agent_ids)})"
             ] if agent_ids else []
    if visitor_ids:
        parts.append("SELECT 'VISITOR' AS kind, id, name, NULL AS avatar_url FROM visitors "
                     f"WHERE id IN ({_marks(visitor_ids)})")
    if case_ids:  # the chats' subjects (Kayako's post carries its case's subject) as the visitor knows them
        parts.append(f"SELECT 'CASE' AS kind, id, {VISIBLE_SUBJECT} AS name, NULL AS avatar_url FROM conversations "
                     f"WHERE id IN ({_marks(case_ids)})")
    if parts:
        for r in db.execute(" UNION ALL ".join(parts), [*agent_ids, *visitor_ids, *case_ids]).fetchall():
            if r["kind"] == "AGENT":
                agents[r["id"]] = r
            elif r["kind"] == "VISITOR":
                visitors[r["id"]] = r["name"]
            else:
                subjects[r["id"]] = r["name"]
    files = files_by_id(db, file_ids)
    return [_post(row, _author(row, agents, visitors), subjects.get(row["conversation_id"], ""), files)
            for row in rows]


def _author(row: PostRow, agents: dict[int, Any], visitors: dict[int, str | None]) -> Author:
    kind, who = row["author_kind"], row["author_id"]
    if who is None:  # (a system line has no author)
        return Author(kind="SYSTEM", full_name="System")
    if kind == "AGENT":
        a = agents[who]
        return Author(kind="AGENT", id=who, full_name=a["name"], avatar_url=a["avatar_url"])
    if kind == "VISITOR":
        return Author(kind="VISITOR", id=who, full_name=visitors.get(who) or f"Visitor {who}")
    return Author(kind="SYSTEM", full_name="System")


def current_author(db: Reader, kind: str, author_id: int, fallback: str) -> Author:
    """An agent or visitor by their current name (a visitor may name themselves after their socket opened)."""
    if kind == "AGENT":
        row = db.execute("SELECT full_name FROM agents WHERE id = ?", (author_id,)).fetchone()
        return Author(kind="AGENT", id=author_id, full_name=row[0] if row else fallback)
    row = db.execute("SELECT name FROM visitors WHERE id = ?", (author_id,)).fetchone()
    return Author(kind="VISITOR", id=author_id, full_name=(row[0] if row else None) or fallback)


def message_of(post: Post) -> Message:
    """The visitor's view of a PUBLIC post (Kayako Messenger's message)."""
    return Message(id=post.id, uuid=post.uuid, client_id=post.client_id, conversation_id=post.conversation_id,
                   subject=post.subject, content_text=post.contents, content_html=post.content_html,
                   creator=post.creator, attachments=post.attachments, message_status=post.post_status,
                   kind=post.kind, language=post.language, url=post.url, created_at=post.created_at)


def post_model(db: Reader, row: PostRow) -> Post:
    return post_models(db, [row])[0]


def _post(row: PostRow, author: Author, subject: str, files: dict[str, FileRow]) -> Post:
    attachments = [file_model(files[row["file_id"]])] if row["file_id"] in files else []
    return Post(
        id=row["id"],
        uuid=row["uuid"],
        conversation_id=row["conversation_id"],
        client_id=row["client_id"],
        subject=subject,
        contents=row["contents"],
        creator=author,
        is_requester=author.kind == "VISITOR",
        original=PostOriginal(id=row["id"], resource_type="note" if row["visibility"] == "STAFF" else "chat_message"),
        post_status=row["status"],
        kind=row["kind"],
        visibility=row["visibility"],
        content_html=row["content_html"],
        language=row["language"],
        url=row["url"],
        attachments=attachments,
        created_at=iso(row["created_at"]),
    )


def list_posts(db: Reader, conversation_id: int, *, staff: bool, after_id: int | None = None,
               before_id: int | None = None,
               limit: int = 100, offset: int = 0, newest_first: bool = False) -> list[Post]:
    """The `limit` posts just after `after_id`, or just before `before_id` (the newest ones when neither is
    given, past `offset` of them when newest first), oldest first or, as Kayako's case timeline, newest first."""
    visibility = "" if staff else "AND visibility = 'PUBLIC'"
    where = f"conversation_id = ? AND id > ? {visibility}"
    args: list[Any] = [conversation_id, after_id or 0]
    if before_id is not None:
        where += " AND id < ?"
        args.append(before_id)
    # the page is the posts nearest the cursor: just before `before_id` (or the newest), else just after `after_id`
    from_top = before_id is not None or (newest_first and after_id is None)
    skip = offset if before_id is None and after_id is None else 0  # an offset counts from the first page's end
    rows = db.execute(f"SELECT * FROM posts WHERE {where} ORDER BY id {'DESC' if from_top else 'ASC'} LIMIT ? OFFSET ?",
                      (*args, limit, skip)).fetchall()
    if from_top != newest_first:
        rows = rows[::-1]
    return post_models(db, rows)


Cursor = dict[str, int]


def timeline_page(db: Reader, conversation_id: int, *, staff: bool, after_id: int | None = None,
                  before_id: int | None = None,
                  limit: int = 100, offset: int = 0,
                  newest_first: bool = False) -> tuple[list[Post], int, Cursor | None, Cursor | None]:
    """A page of the timeline (list_posts), how many posts it holds in all (every post for staff, PUBLIC ones
    for the visitor), and the cursors of the previous and next pages (None at either end). Oldest first, the
    next page is newer (`after_id`); newest first (Kayako's case posts), the next page is older (`before_id`)."""
    posts = list_posts(db, conversation_id, staff=staff, after_id=after_id, before_id=before_id, limit=limit,
                       offset=offset, newest_first=newest_first)
    ids = [p.id for p in posts]
    if ids:
        low, high = min(ids), max(ids)
    elif before_id is not None:  # an empty page sits just before `before_id` (or just after `after_id`)
        low, high = before_id, before_id - 1
    else:
        low = min((after_id or 0) + 1, MAX_ID)  # ids stay within SQLite's range
        high = low - 1
    visibility = "" if staff else " AND visibility = 'PUBLIC'"
    total, earlier, later = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN id < ? THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN id > ? THEN 1 ELSE 0 END), 0) FROM posts WHERE conversation_id = ?{visibility}",
        (low, high, conversation_id)).fetchone()
    older = {"before_id": low, "limit": limit} if earlier else None
    newer = {"after_id": high, "limit": limit} if later else None
    return (posts, int(total), newer, older) if newest_first else (posts, int(total), older, newer)


def get_post(db: Reader, post_id: int) -> PostRow | None:
    return get_by_id(db, "posts", post_id, PostRow)
