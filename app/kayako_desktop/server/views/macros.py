"""Canned responses (Kayako macros) for agents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import MacroInput, MacroPatch
from kayako_desktop.protocol.models import Macro
from kayako_desktop.server.actions.macros import do_create_macro, do_delete_macro, do_update_macro
from kayako_desktop.server.api import AGENT, Created, Page
from kayako_desktop.server.queries.macros import access_macro, all_macros, macro_model
from kayako_desktop.server.queries.permissions import access_macro as access_macro_to_change
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/cases/macros", auth=AGENT, resource="macro", tag="macros", response=list[Macro],
           collection=True, summary="All canned responses, by title")
def list_macros(svc: Services, principal: Principal) -> Page:
    with svc.db.read() as db:
        items = all_macros(db)
    return Page(items, len(items), 0, max(len(items), 1))


@api.route("POST", "/cases/macros", auth=AGENT, resource="macro", tag="macros", body=MacroInput, response=Macro,
           statuses=[201], summary="Create a canned response")
def create_macro(svc: Services, principal: Principal, body: MacroInput) -> Created:
    with svc.db.write() as tx:
        macro_id = do_create_macro(tx, principal.id, body)
        return Created(macro_model(tx, access_macro(tx, macro_id)))


@api.route("GET", "/cases/macros/<int:macro_id>", auth=AGENT, resource="macro", tag="macros", response=Macro,
           summary="One canned response")
def get_macro(svc: Services, principal: Principal, macro_id: int) -> Macro:
    with svc.db.read() as db:
        return macro_model(db, access_macro(db, macro_id))


@api.route("PUT", "/cases/macros/<int:macro_id>", auth=AGENT, resource="macro", tag="macros", body=MacroPatch,
           response=Macro, summary="Change a canned response's title or text (its author or an administrator)")
def update_macro(svc: Services, principal: Principal, macro_id: int, body: MacroPatch) -> Macro:
    with svc.db.write() as tx:
        access_macro_to_change(tx, macro_id, principal)
        do_update_macro(tx, macro_id, body)
        return macro_model(tx, access_macro(tx, macro_id))


@api.route("DELETE", "/cases/macros/<int:macro_id>", auth=AGENT, resource="macro", tag="macros",
           summary="Delete a canned response (its author or an administrator)")
def delete_macro(svc: Services, principal: Principal, macro_id: int) -> None:
    with svc.db.write() as tx:
        access_macro_to_change(tx, macro_id, principal)
        do_delete_macro(tx, macro_id)
