"""Canned responses (Kayako macros) read back: one, or all of them by title."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import Macro
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.rows import MacroRow

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def macro_models(db: Reader, rows: Sequence[MacroRow]) -> list[Macro]:
    """Macros with their authors: one query for the authors, whatever the number of rows."""
    authors = agent_refs(db, [r["created_by"] for r in rows])
    return [Macro(id=r["id"], title=r["title"], contents=r["contents"], created_by=authors.get(r["created_by"]),
                  created_at=iso(r["created_at"]), updated_at=iso(r["updated_at"])) for r in rows]


def macro_model(db: Reader, row: MacroRow) -> Macro:
    return macro_models(db, [row])[0]


def access_macro(db: Reader, macro_id: int) -> MacroRow:
    return access_by_id(db, "macros", macro_id, MacroRow, "Macro")


def all_macros(db: Reader) -> list[Macro]:
    return macro_models(db, db.execute("SELECT * FROM macros ORDER BY lower(title), id").fetchall())
