"""Reads: rows → wire models (`*_model`), lookups that may return None (`get_*`), and checked reads
that raise NOT_FOUND / PERMISSION_DENIED (`access_*`). Work on a Tx or a plain read connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from kayako_desktop.server.errors import not_found
from kayako_desktop.server.rows import as_row

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

T = TypeVar("T")


def get_by_id(db: Reader, table: str, row_id: int | str, kind: type[T]) -> T | None:
    """One row of a table by its id, typed (`table`: a fixed name, never from input), or None."""
    return as_row(db.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone(), kind)  # noqa: S608


def access_by_id(db: Reader, table: str, row_id: int | str, kind: type[T], what: str) -> T:
    """One row of a table by its id, typed, or NOT_FOUND naming `what`."""
    row = get_by_id(db, table, row_id, kind)
    if row is None:
        raise not_found(what)
    return row
