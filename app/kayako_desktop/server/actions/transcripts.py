"""Writes around a transcript e-mail: the address a visitor gives becomes theirs, and the chat keeps a
staff-only line saying who sent it to whom (after the mail server took it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kayako_desktop.server.actions.posts import do_system_post

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx


def do_record_transcript(tx: Tx, conv: Any, recipients: list[str], by: str) -> None:
    do_system_post(tx, conv, f"{by} e-mailed the transcript to {', '.join(recipients)}", staff_only=True)


def do_keep_visitor_email(tx: Tx, visitor_id: int, email: str) -> None:
    """A visitor without an address on record gets the one they asked a transcript for."""
    tx.execute("UPDATE visitors SET email = ? WHERE id = ? AND email IS NULL", (email, visitor_id))
