"""Lists load their rows in batches, not one query per row (Zulip's queries_captured is the model): the SQL
statements a request runs are counted through the database's trace hook."""

from __future__ import annotations

import io
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
    assert observed["assigned_agent"]["full_name"] == "Alice"
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


def test_a_timeline_of_60_posts_with_authors_and_files_takes_a_fixed_number_of_queries(live, make_agent,
                                                                                      make_visitor):
    alice, bert = make_agent("alice", max_chats=10), make_agent("bert", max_chats=10)
    ann = make_visitor("Ann")
    cid = ann.start_chat("Invoice")["id"]
    assert alice.accept(cid).status_code == 200
    assert bert.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"}).status_code == 200
    files = []
    for n in range(20):
        assert ann.say(cid, f"question {n}").status_code == 201
        assert alice.reply(cid, f"answer {n}").status_code == 201
        up = bert.post("/files", files={"file": (f"r{n}.pdf", io.BytesIO(b"%PDF " + bytes([n])), "application/pdf")})
        files.append(up.json()["data"]["id"])
        assert bert.reply(cid, "", kind="FILE", file_id=files[-1]).status_code == 201
    counts = []
    for limit in (10, 100):
        with queries_captured(live) as statements:
            page = alice.get(f"/cases/{cid}/posts", limit=limit)
        assert page.status_code == 200
        counts.append(len(selects(statements)))
    posts = page.json()["data"]
    # the session, access (the chat, my part in it), the count, the posts, their authors, their files
    assert counts[0] == counts[1] <= 7, (counts, selects(statements))
    said = [p for p in reversed(posts) if p["kind"] != "SYSTEM"]  # (newest first: oldest first here)
    assert len(said) == 60
    assert [(p["creator"]["kind"], p["creator"]["full_name"]) for p in said[:3]] == [
        ("VISITOR", "Ann"), ("AGENT", "Alice"), ("AGENT", "Bert")]
    assert [p["attachments"][0]["id"] for p in said if p["kind"] == "FILE"] == files
    assert said[2]["attachments"][0]["name"] == "r0.pdf"
    # the visitor's own timeline: the same posts, the same batching
    with queries_captured(live) as statements:
        mine = ann.get(f"/conversations/{cid}/messages", limit=100).json()["data"]
    assert [p["id"] for p in mine if p["kind"] != "SYSTEM"] == [p["id"] for p in said]
    assert len(selects(statements)) <= 7, selects(statements)


def test_the_visitors_list_takes_a_fixed_number_of_queries(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=100)
    chatting = {}
    for n in range(30):
        v = make_visitor(f"Visitor {n}")
        v.view(f"https://shop.example/p/{n}", f"Product {n}")
        if n % 3 == 0:
            cid = v.start_chat("Hello")["id"]
            if n % 2 == 0:
                alice.accept(cid)
            chatting[f"Visitor {n}"] = (cid, "Alice" if n % 2 == 0 else None)
    with queries_captured(live) as statements:
        page = alice.get("/visitors", limit=50)
    assert page.status_code == 200
    # 5, and 1 for the visitor rules every row is matched against (the colour and the rule names)
    assert len(selects(statements)) <= 6, selects(statements)
    rows = page.json()["data"]
    assert len(rows) == 30
    for row in rows:
        cid, agent = chatting.get(row["name"], (None, None))
        assert row["conversation_id"] == cid
        assert (row["chat_agent"] or {}).get("full_name") == agent
        assert row["current_title"] == f"Product {row['name'].split()[-1]}"
    one = next(r for r in rows if r["name"] == "Visitor 0")
    assert alice.get(f"/visitors/{one['id']}").json()["data"] == one


def test_agents_macros_offers_and_a_visitors_chats_take_a_fixed_number_of_queries(live, make_agent, make_visitor):
    agents = [make_agent(name, max_chats=10) for name in ("alice", "bert", "cleo", "dora")]
    for n, agent in enumerate(agents):
        assert agent.post("/cases/macros", {"title": f"Greeting {n}", "contents": "Hi!"}).status_code == 201
    ann = make_visitor("Ann")
    cids = []
    for n in range(4):  # one chat at a time: each ends before the next starts
        cids.append(ann.start_chat(f"Question {n}")["id"])
        assert agents[n % 2].accept(cids[-1]).status_code == 200
        if n < 3:
            assert ann.put(f"/conversations/{cids[-1]}/end").status_code == 200
    bea = make_visitor("Bea")
    bea.start_chat("Still waiting")  # rings for someone
    # /agents: the session, the agents with their chat counts, their departments (one query for all).
    for path, at_most, count in (("/agents", 3, 4), ("/cases/macros", 3, 4)):
        with queries_captured(live) as statements:
            items = agents[0].get(path).json()["data"]
        assert len(items) == count and len(selects(statements)) <= at_most, (path, selects(statements))
    owners = [c["assigned_agent"]["full_name"] for c in agents[0].get("/cases").json()["data"] if c["status"]["type"] == "OPEN"]
    assert {a["full_name"]: a["active_chats"] for a in agents[0].get("/agents").json()["data"]} == {
        name: owners.count(name) for name in ("Alice", "Bert", "Cleo", "Dora")}
    with queries_captured(live) as statements:
        offers = agents[2].get("/offers").json()["data"]
    assert len(selects(statements)) <= 6, selects(statements)
    assert all(o["conversation"]["requester"]["name"] == "Bea" for o in offers)
    with queries_captured(live) as statements:
        chats = ann.get("/conversations").json()["data"]
    assert [c["id"] for c in chats] == sorted(cids, reverse=True)
    # 5 for the chats, and 1 for the active bans every visitor request checks its address against.
    assert len(selects(statements)) <= 6, selects(statements)
    assert sum("FROM bans" in s for s in statements) == 1
    by_id = {c["id"]: c for c in agents[0].get("/cases").json()["data"]}
    assert [[a["full_name"] for a in c["agents"]] for c in chats] == [
        [p["agent"]["full_name"] for p in by_id[c["id"]]["participants"]] for c in chats]
    assert [a["full_name"] for a in chats[0]["agents"]] == ["Bert"]


def test_a_page_of_search_hits_takes_a_fixed_number_of_queries(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=100)
    for n in range(30):
        v = make_visitor(f"Visitor {n}")
        cid = v.start_chat(f"Order {n}")["id"]
        if n % 2:
            assert v.say(cid, f"my parcel {n} arrived crushed").status_code == 201
    counts = []
    alice.get("/cases/search", q="crushed")  # FTS5 reads its config table once per connection: not counted
    for limit in (3, 30):
        with queries_captured(live) as statements:
            r = alice.get("/cases/search", q="crushed", limit=limit)
        assert r.status_code == 200 and r.json()["total_count"] == 15
        counts.append(len(selects(statements)))
    hits = r.json()["data"]
    assert len(hits) == 15 and all("crushed" in h["snippet"] for h in hits)
    assert counts[0] == counts[1] <= 7, (counts, selects(statements))
    with queries_captured(live) as statements:  # no words: each chat's last message is its snippet
        hits = alice.get("/cases/search", status="NEW", limit=30).json()["data"]
    assert {h["snippet"] for h in hits if h["conversation"]["subject"] == "Order 1"} == {"my parcel 1 arrived crushed"}
    assert len(selects(statements)) <= 7, selects(statements)
