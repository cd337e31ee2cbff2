"""File metadata reads and the download permission check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import FileInfo
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError, not_found
from kayako_desktop.server.queries import get_by_id
from kayako_desktop.server.rows import FileRow, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def file_model(row: FileRow) -> FileInfo:
    return FileInfo(
        id=row["id"],
        name=row["name"],
        size=row["size"],
        content_type=row["content_type"],
        is_image=bool(row["is_image"]),
        sha256=row["sha256"],
        url=f"/api/v1/files/{row['id']}/content",
        created_at=iso(row["created_at"]),
        content_url=f"/api/v1/files/{row['id']}/content",
        hash=row["sha256"],
    )


def get_file(db: Reader, file_id: str) -> FileRow | None:
    return get_by_id(db, "files", file_id, FileRow)


def files_by_id(db: Reader, file_ids: list[str]) -> dict[str, FileRow]:
    """Many files' rows in one query, by id (ids not found are left out)."""
    if not file_ids:
        return {}
    marks = ",".join("?" * len(file_ids))
    return {r["id"]: r for r in as_rows(db.execute(f"SELECT * FROM files WHERE id IN ({marks})", file_ids).fetchall(),
                                        FileRow)}


def access_file(db: Reader, file_id: str, *, agent_id: int | None = None, visitor_id: int | None = None) -> FileRow:
    """Agents read every file; a visitor only files they uploaded or that a PUBLIC post in one of
    their own conversations references (others: PERMISSION_DENIED; ids are random, so no oracle)."""
    row = get_file(db, file_id)
    if row is None:
        raise not_found("File")
    if agent_id is not None:
        return row
    if visitor_id is None:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "This file was not shared with you")
    if row["uploader_kind"] == "VISITOR" and row["uploader_id"] == visitor_id:
        return row
    shared = db.execute(
        "SELECT 1 FROM posts p JOIN conversations c ON c.id = p.conversation_id "
        "WHERE p.file_id = ? AND p.visibility = 'PUBLIC' AND c.visitor_id = ? LIMIT 1",
        (file_id, visitor_id),
    ).fetchone()
    if not shared:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "This file was not shared with you")
    return row
