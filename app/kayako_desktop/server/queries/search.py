"""Chat History: full-text search (SQLite FTS5) over subjects, names and posts, with filters."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import CaseQuery
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.clock import parse_iso
from kayako_desktop.server.errors import ApiError

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def fts_query(text: str) -> str | None:
    """User words → a safe FTS5 query: every word must match; the last one as a prefix (search as you type)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _time(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise ApiError(ErrorCode.FIELD_INVALID, f"{name} must be an ISO 8601 date", parameter=name) from exc


def search_conversations(db: Reader, q: CaseQuery) -> tuple[list[Any], int, str | None]:
    """Rows (newest first), the total, and the FTS query used (None when no text was given)."""
    where: list[str] = ["1 = 1"]
    params: list[str | int | float] = []
    match = fts_query(q.q) if q.q else None
    if q.q and match is None:
        return [], 0, None
    if match:
        where.append("c.id IN (SELECT conversation_id FROM search_fts WHERE search_fts MATCH ?)")
        params.append(match)
    for column, value in (("c.status", q.status), ("c.rating", q.rating), ("c.visitor_id", q.visitor_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if q.agent_id is not None:
        where.append("(c.owner_id = ? OR c.id IN (SELECT conversation_id FROM participants WHERE agent_id = ? "
                     "AND role != 'OBSERVER'))")
        params += [q.agent_id, q.agent_id]
    after, before = _time(q.created_after, "created_after"), _time(q.created_before, "created_before")
    if after is not None:
        where.append("c.created_at >= ?")
        params.append(after)
    if before is not None:
        where.append("c.created_at < ?")
        params.append(before)
    cond = " AND ".join(where)
    total = db.execute(f"SELECT COUNT(*) FROM conversations c WHERE {cond}", params).fetchone()[0]
    rows = db.execute(
        f"SELECT c.* FROM conversations c WHERE {cond} ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?",
        [*params, q.limit, q.offset],
    ).fetchall()
    return rows, total, match


def snippet(db: Reader, conversation_id: int, match: str | None) -> str:
    if match:
        row = db.execute(
            "SELECT snippet(search_fts, 0, '', '', '…', 16) FROM search_fts WHERE search_fts MATCH ? "
            "AND conversation_id = ? LIMIT 1",
            (match, conversation_id),
        ).fetchone()
        if row:
            return str(row[0])
    row = db.execute(
        "SELECT contents FROM posts WHERE conversation_id = ? AND kind != 'SYSTEM' ORDER BY id DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    return (row[0] if row else "")[:200]
