"""Canned responses (Kayako macros): shared by the whole team."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import MacroInput, MacroPatch
from kayako_desktop.protocol.events import MacrosChanged
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.queries.macros import access_macro
from kayako_desktop.server.realtime.audience import Audience

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def do_create_macro(tx: Tx, agent_id: int, inp: MacroInput) -> int:
    new_id = tx.insert(
        "INSERT INTO macros (title, contents, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        (inp.title.strip(), inp.contents, agent_id, tx.now, tx.now),
    )
    tx.emit(Event.MACROS_CHANGED, MacrosChanged(), Audience.agents())
    return new_id


def do_update_macro(tx: Tx, macro_id: int, inp: MacroPatch) -> None:
    row = access_macro(tx, macro_id)
    tx.execute(
        "UPDATE macros SET title = ?, contents = ?, updated_at = ? WHERE id = ?",
        ((inp.title or row["title"]).strip(), inp.contents or row["contents"], tx.now, macro_id),
    )
    tx.emit(Event.MACROS_CHANGED, MacrosChanged(), Audience.agents())


def do_delete_macro(tx: Tx, macro_id: int) -> None:
    access_macro(tx, macro_id)
    tx.execute("DELETE FROM macros WHERE id = ?", (macro_id,))
    tx.emit(Event.MACROS_CHANGED, MacrosChanged(), Audience.agents())
