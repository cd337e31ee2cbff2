"""Visitor rules (Kayako Classic): administrators keep them; every page view and heartbeat checks the visitor
against the enabled ones. A match colours their row (read-time: queries/visitors), and once a visit it alerts
the agents online (visitor.alert) and/or invites the visitor to chat on behalf of the least busy agent online.
A rule may also route the chat a matching visitor starts to a skill (queries/rules.skill_for_visitor)."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from kayako_desktop.protocol.commands import RuleInput
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import VisitorAlert
from kayako_desktop.protocol.models import NUMERIC_RULE_FIELDS
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.invitations import do_invite
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.rules import access_rule, matching, rule_rows
from kayako_desktop.server.queries.visitors import access_visitor, visitor_model
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.routing.engine import eligible_agents_now

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services

log = logging.getLogger(__name__)


def _checked(inp: RuleInput) -> str:
    for n, c in enumerate(inp.conditions):
        numeric = c.field in NUMERIC_RULE_FIELDS
        if numeric != (c.op in ("at_least", "at_most")):
            raise ApiError(ErrorCode.FIELD_INVALID, f"Condition {n + 1}: {c.field} takes "
                           f"{'at_least or at_most' if numeric else 'contains, not_contains, equals or starts_with'}",
                           parameter="conditions")
        if numeric and not (c.value.strip().isdigit() and int(c.value) <= 10**7):
            raise ApiError(ErrorCode.FIELD_INVALID, f"Condition {n + 1}: {c.field} compares with a whole number",
                           parameter="conditions")
        if not numeric and not c.value.strip():
            raise ApiError(ErrorCode.FIELD_REQUIRED, f"Condition {n + 1}: give the text to look for",
                           parameter="conditions")
    if not inp.colour and not inp.alert and not inp.invite_message and not inp.skill_id:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Choose what the rule does: a colour, an alert, an invitation or a "
                       "skill for their chat", parameter="colour")
    return json.dumps([{"field": c.field, "op": c.op, "value": c.value.strip()} for c in inp.conditions])


def do_save_rule(tx: Tx, rule_id: int | None, agent_id: int, inp: RuleInput) -> int:
    conditions = _checked(inp)
    if inp.skill_id is not None and tx.one("SELECT 1 FROM skills WHERE id = ?", (inp.skill_id,)) is None:
        raise ApiError(ErrorCode.FIELD_INVALID, f"No skill {inp.skill_id}", parameter="skill_id")
    values = (inp.title.strip(), int(inp.enabled), inp.match, conditions, inp.colour, int(inp.alert),
              inp.invite_message.strip() if inp.invite_message else None, inp.skill_id)
    if rule_id is None:
        return tx.insert("INSERT INTO visitor_rules (title, enabled, match, conditions, colour, alert, invite_message, "
                         "skill_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (*values, agent_id, tx.now))
    access_rule(tx, rule_id)
    tx.execute("UPDATE visitor_rules SET title = ?, enabled = ?, match = ?, conditions = ?, colour = ?, alert = ?, "
               "invite_message = ?, skill_id = ? WHERE id = ?", (*values, rule_id))
    return rule_id


def do_delete_rule(tx: Tx, rule_id: int) -> None:
    access_rule(tx, rule_id)
    tx.execute("DELETE FROM visitor_rule_hits WHERE rule_id = ?", (rule_id,))
    tx.execute("DELETE FROM visitor_rules WHERE id = ?", (rule_id,))


def do_apply_rules(svc: Services, tx: Tx, visitor_id: int) -> None:
    """After a page view or heartbeat: each matching rule that alerts or invites acts once this visit."""
    rules = [r for r in rule_rows(tx, enabled_only=True) if r["alert"] or r["invite_message"]]
    if not rules:
        return
    visitor = access_visitor(tx, visitor_id)
    for rule in matching(rules, visitor):
        done = tx.one("SELECT 1 FROM visitor_rule_hits WHERE visitor_id = ? AND rule_id = ? AND session_started_at = ?",
                      (visitor_id, rule["id"], visitor["session_started_at"]))
        if done is not None:
            continue
        tx.execute("INSERT INTO visitor_rule_hits (visitor_id, rule_id, session_started_at) VALUES (?, ?, ?)",
                   (visitor_id, rule["id"], visitor["session_started_at"]))
        if rule["alert"]:
            tx.emit(Event.VISITOR_ALERT, VisitorAlert(visitor=visitor_model(tx, visitor), rule=rule["title"]),
                    Audience.agents())
        if rule["invite_message"]:
            agents = eligible_agents_now(svc, tx)
            if not agents:
                continue  # nobody to chat with: no invitation (the rule may act on a later visit)
            try:
                do_invite(svc, tx, visitor_id, agents[0]["id"], rule["invite_message"])
            except ApiError as exc:  # already chatting, or gone: nothing to invite to
                log.info("rule %s: no invitation for visitor %s (%s)", rule["id"], visitor_id, exc.message)
