"""Chat History: full-text search (server/search_index.py) over subjects, names and posts, with filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.commands import CaseQuery
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.clock import parse_iso
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.search_index import Match, active

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def _time(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise ApiError(ErrorCode.FIELD_INVALID, f"{name} must be an ISO 8601 date", parameter=name) from exc


def search_conversations(db: Reader, q: CaseQuery) -> tuple[list[Any], int, Match | None]:
    """Rows (newest first), the total, and the search used (None when no text was given)."""
    where: list[str] = ["1 = 1"]
    params: list[str | int | float] = []
    match = active(db).match(q.q) if q.q else None
    if q.q and match is None:
        return [], 0, None
    if match:
        where.append(f"c.id IN ({match.conversations})")
        params.extend(match.params)
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


def snippets(db: Reader, conversation_ids: list[int], match: Match | None) -> dict[int, str]:
    """Per conversation: the passage around the matched words, else the start of its last message (two
    queries, whatever the number of hits)."""
    found = active(db).snippets(db, match, conversation_ids) if match else {}
    rest = [cid for cid in conversation_ids if cid not in found]
    if rest:
        rows = db.execute(
            "SELECT conversation_id, contents FROM (SELECT conversation_id, contents, ROW_NUMBER() OVER ("
            "PARTITION BY conversation_id ORDER BY id DESC) AS n FROM posts WHERE kind != 'SYSTEM' AND "
            f"conversation_id IN ({','.join('?' * len(rest))})) AS latest WHERE n = 1", rest).fetchall()
        found.update({int(cid): str(contents or "")[:200] for cid, contents in rows})
    return {cid: found.get(cid, "") for cid in conversation_ids}
