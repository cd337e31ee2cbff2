"""Visitor rules read back, and whether a visitor matches one now (the Visitors list shows it; actions act on it).

Text conditions compare case-insensitively; `country` matches the country's name or its code; numbers are
whole: visits (this one included), pages_viewed (the visitor's page views), time_on_site (seconds from the
start of this visit to their latest page view or heartbeat — the widget beats while the page is open)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kayako_desktop.protocol.models import RuleCondition, SkillRef, VisitorRule
from kayako_desktop.server.clock import iso
from kayako_desktop.server.queries import access_by_id, get_by_id
from kayako_desktop.server.queries.agents import agent_refs
from kayako_desktop.server.rows import VisitorRow, VisitorRuleRow, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader


def rule_rows(db: Reader, enabled_only: bool = False) -> list[VisitorRuleRow]:
    where = "WHERE enabled = 1 " if enabled_only else ""
    return as_rows(db.execute(f"SELECT * FROM visitor_rules {where}ORDER BY id").fetchall(), VisitorRuleRow)


def rule_models(db: Reader, rows: Sequence[VisitorRuleRow]) -> list[VisitorRule]:
    authors = agent_refs(db, [r["created_by"] for r in rows])
    skills = {int(r["id"]): SkillRef(id=r["id"], title=r["title"])
              for r in db.execute("SELECT id, title FROM skills").fetchall()} if any(r["skill_id"] for r in rows) else {}
    return [VisitorRule(id=r["id"], title=r["title"], enabled=bool(r["enabled"]), match=r["match"],
                        conditions=[RuleCondition(**c) for c in json.loads(r["conditions"])], colour=r["colour"],
                        alert=bool(r["alert"]), invite_message=r["invite_message"],
                        skill=skills.get(r["skill_id"]) if r["skill_id"] is not None else None,
                        created_by=authors.get(r["created_by"]), created_at=iso(r["created_at"])) for r in rows]


def skill_for_visitor(db: Reader, visitor_id: int) -> int | None:
    """The skill the chat a visitor starts now asks for: that of the first enabled rule (by id) routing to a
    skill that the visitor matches, if any."""
    rules = as_rows(db.execute("SELECT * FROM visitor_rules WHERE enabled = 1 AND skill_id IS NOT NULL "
                               "ORDER BY id").fetchall(), VisitorRuleRow)
    if not rules:
        return None
    visitor = get_by_id(db, "visitors", visitor_id, VisitorRow)
    hit = next(iter(matching(rules, visitor)), None) if visitor is not None else None
    return hit["skill_id"] if hit is not None else None


def access_rule(db: Reader, rule_id: int) -> VisitorRuleRow:
    return access_by_id(db, "visitor_rules", rule_id, VisitorRuleRow, "Visitor rule")


def _text(visitor: VisitorRow, field: str) -> list[str]:
    if field == "country":
        return [str(visitor["country"] or ""), str(visitor["country_code"] or "")]
    if field == "page_title":
        return [visitor["current_title"] or ""]
    return [(visitor["current_url"] if field == "current_url" else visitor["referrer"]) or ""]


def _number(visitor: VisitorRow, field: str) -> int:
    if field == "visits":
        return int(visitor["visits"])
    if field == "pages_viewed":
        return int(visitor["page_views"])
    return int(float(visitor["last_seen"]) - float(visitor["session_started_at"]))


def condition_holds(c: dict[str, str], visitor: VisitorRow) -> bool:
    op, value = c["op"], c["value"]
    if op in ("at_least", "at_most"):
        number = _number(visitor, c["field"])
        limit = int(value)
        return number >= limit if op == "at_least" else number <= limit
    wanted = value.lower()
    texts = [t.lower() for t in _text(visitor, c["field"])]
    if op == "contains":
        return any(wanted in t for t in texts)
    if op == "not_contains":
        return all(wanted not in t for t in texts)
    if op == "equals":
        return any(wanted == t for t in texts)
    return any(t.startswith(wanted) for t in texts)  # starts_with


def rule_matches(rule: VisitorRuleRow, visitor: VisitorRow) -> bool:
    conditions = json.loads(rule["conditions"])
    held = (condition_holds(c, visitor) for c in conditions)
    return all(held) if rule["match"] == "ALL" else any(held)


def matching(rules: list[VisitorRuleRow], visitor: VisitorRow) -> list[VisitorRuleRow]:
    return [r for r in rules if rule_matches(r, visitor)]
