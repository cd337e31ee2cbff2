"""Lists load their rows in batches, not one query per row (Zulip's queries_captured is the model): the SQL
statements a request runs are counted through the database's trace hook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHATS = 50


@pytest.fixture
def server_config() -> dict[str, Any]:
    return {"CHAT_VISITOR_CREATE_LIMIT": 1000}  # 50 visitors from one test address within a minute


@contextmanager
def queries_captured(live) -> Iterator[list[str]]:
    statements: list[str] = []
    live.svc.db.tracer = statements.append
    try:
        yield statements
    finally:
        live.svc.db.tracer = None


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_a_page_of_50_cases_takes_at_most_5_queries_whatever_it_holds(live, make_agent, make_visitor):
    alice, bert = make_agent("alice", max_chats=100), make_agent("bert", max_chats=100)
    chats = []
    for n in range(CHATS):
        cid = make_visitor(f"Visitor {n}").start_chat(f"Question {n}")["id"]
        chats.append(cid)
        if n % 3 == 0:
            assert alice.accept(cid).status_code == 200
            if n % 2 == 0:
                assert bert.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
    with queries_captured(live) as statements:
        page = alice.get("/cases", limit=CHATS)
    assert page.status_code == 200
    cases = page.json()["data"]
    assert len(cases) == CHATS and len(selects(statements)) <= 5, selects(statements)
    by_id = {c["id"]: c for c in cases}
    # the same facts the single-case view gives, for chats in every state
    for cid in (chats[0], chats[1], chats[2], chats[6], chats[-1]):
        assert alice.get(f"/cases/{cid}").json()["data"] == by_id[cid]
    waiting = sorted((c for c in cases if c["queue_position"]), key=lambda c: c["queue_position"])
    assert [c["queue_position"] for c in waiting] == list(range(1, len(waiting) + 1))
    assert [c["id"] for c in waiting] == sorted(c["id"] for c in waiting)  # first come, first served
    observed = by_id[chats[0]]
    assert observed["owner"]["full_name"] == "Alice"
    assert [(p["agent"]["full_name"], p["role"]) for p in observed["participants"]] == [
        ("Alice", "OWNER"), ("Bert", "OBSERVER")]


def test_the_query_count_does_not_grow_with_the_page(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=100)
    for n in range(12):
        cid = make_visitor(f"V{n}").start_chat("Hello")["id"]
        if n % 2:
            alice.accept(cid)
    counts = []
    for limit in (1, 4, 12):
        with queries_captured(live) as statements:
            assert len(alice.get("/cases", limit=limit).json()["data"]) == limit
        counts.append(len(selects(statements)))
    assert max(counts) <= 5, counts
    with queries_captured(live) as statements:
        assert len(alice.get("/cases/queue").json()["data"]) == 6
    assert len(selects(statements)) <= 6
