"""Chat History: full-text search over past chats with filters and pagination; canned responses."""

from __future__ import annotations

import pytest


@pytest.fixture
def history(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=10)
    bob = make_agent("bob", connect=False)
    chats = {}
    for name, subject, line in [("Ada", "Refund for order 1001", "The parcel arrived crushed"),
                                ("Bert", "Password reset", "I cannot log in after the update"),
                                ("Cleo", "Shipping to Norway", "Do you deliver parcels to Zürich?")]:
        v = make_visitor(name)
        cid = v.start_chat(subject)["id"]
        alice.sock.wait("offer.created", lambda d, c=cid: d["offer"]["conversation"]["id"] == c)
        alice.accept(cid)
        v.say(cid, line)
        chats[name] = (v, cid)
    alice.post(f"/cases/{chats['Ada'][1]}/end")
    chats["Ada"][0].post(f"/conversations/{chats['Ada'][1]}/ratings", {"score": "BAD", "comment": "slow"})
    alice.post(f"/cases/{chats['Bert'][1]}/end")
    return alice, bob, chats


def ids(resp):
    return [hit["conversation"]["id"] for hit in resp.json()["data"]]


def test_a_word_from_the_conversation_finds_it(history):
    alice, _, chats = history
    r = alice.get("/cases/search", q="crushed")
    assert ids(r) == [chats["Ada"][1]] and "crushed" in r.json()["data"][0]["snippet"]
    assert ids(alice.get("/cases/search", q="zurich")) == [chats["Cleo"][1]]  # diacritics folded
    assert set(ids(alice.get("/cases/search", q="parcel"))) == {chats["Ada"][1], chats["Cleo"][1]}  # prefix
    assert ids(alice.get("/cases/search", q="Bert")) == [chats["Bert"][1]]  # visitor names too
    assert ids(alice.get("/cases/search", q="nothing-like-this")) == []


def test_filters_and_pagination(history):
    alice, bob, chats = history
    done = alice.get("/cases/search", status="COMPLETED")
    assert set(ids(done)) == {chats["Ada"][1], chats["Bert"][1]} and done.json()["total_count"] == 2
    assert ids(alice.get("/cases/search", rating="BAD")) == [chats["Ada"][1]]
    assert ids(alice.get("/cases/search", agent_id=bob.id)) == []
    assert len(ids(alice.get("/cases/search", agent_id=alice.id))) == 3
    page1 = alice.get("/cases/search", limit=2).json()
    assert page1["total_count"] == 3 and len(page1["data"]) == 2 and page1["next_url"]
    page2 = alice.http.get(page1["next_url"], timeout=10).json()
    assert len(page2["data"]) == 1 and page2["next_url"] is None
    all_ids = [h["conversation"]["id"] for h in page1["data"] + page2["data"]]
    assert sorted(all_ids, reverse=True) == all_ids  # newest first
    assert ids(alice.get("/cases/search", created_after="2100-01-01")) == []
    bad = alice.get("/cases/search", created_after="yesterday")
    assert bad.status_code == 400 and bad.json()["errors"][0]["parameter"] == "created_after"


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "a OR", ")(", "-", "'; DROP TABLE posts; --", "^"])
def test_search_syntax_from_users_is_never_an_error(history, query):
    alice, _, _ = history
    assert alice.get("/cases/search", q=query).status_code == 200


def test_macros_crud_reaches_every_agent(live, make_agent):
    alice = make_agent("alice")
    bob = make_agent("bob")
    created = alice.post("/cases/macros", {"title": "Greeting", "contents": "Hi! How can I help?"})
    assert created.status_code == 201
    mid = created.json()["data"]["id"]
    bob.sock.wait("macros.changed")
    assert [m["title"] for m in bob.get("/cases/macros").json()["data"]] == ["Greeting"]
    # Shared for use, not for editing: only the author (or an administrator, test_permissions) changes it.
    assert bob.put(f"/cases/macros/{mid}", {"contents": "Hello there!"}).status_code == 403
    updated = alice.put(f"/cases/macros/{mid}", {"contents": "Hello there!"}).json()["data"]
    assert updated == {**updated, "title": "Greeting", "contents": "Hello there!"}
    bob.sock.wait("macros.changed")
    assert alice.delete(f"/cases/macros/{mid}").status_code == 200
    assert alice.get("/cases/macros").json()["data"] == []
    assert alice.delete(f"/cases/macros/{mid}").status_code == 404


# ---- posts reach the index in batches (SQLite), and every search sees all of them -------------------------------

def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("BEGIN", "INSERT", "UPDATE", "DELETE"))]


def test_a_message_is_found_the_moment_it_is_sent_even_before_the_timer_indexes_it(live, open_chat):
    alice, victor, cid = open_chat
    statements: list[str] = []
    live.svc.db.tracer = statements.append
    try:
        assert victor.say(cid, "A quokka chewed the parcel label").status_code == 201
    finally:
        live.svc.db.tracer = None
    if live.svc.db.dialect == "sqlite":  # its commit leaves the FTS5 index alone (a batch takes it later)
        assert not [s for s in statements if "search_fts" in s]
    hit = alice.get("/cases/search", q="quokka").json()["data"]  # no tick has run: the search caught up first
    assert [h["conversation"]["id"] for h in hit] == [cid] and "quokka chewed" in hit[0]["snippet"]
    assert [c["id"] for c in alice.get("/cases", q="quokk").json()["data"]] == [cid]  # the list's q too

    assert victor.say(cid, "And a wombat signed for it").status_code == 201
    live.advance(1)  # the timer's tick indexes it; the search then writes nothing
    live.svc.db.tracer = statements.append
    statements.clear()
    try:
        assert [h["conversation"]["id"] for h in alice.get("/cases/search", q="wombat").json()["data"]] == [cid]
    finally:
        live.svc.db.tracer = None
    assert _writes(statements) == []


def test_more_posts_than_one_batch_are_all_found(live, open_chat):
    """Posts written faster than the batches take them (1,234 in one transaction, over two batches' worth
    and a part) are all found, the first and the last, each once."""
    from kayako_desktop.protocol.commands import PostInput
    from kayako_desktop.server.actions.posts import do_create_post
    from kayako_desktop.server.queries.conversations import get_conversation

    alice, victor, cid = open_chat
    with live.svc.db.write() as tx:
        conv = get_conversation(tx, cid)
        for n in range(1234):
            do_create_post(tx, conv, "AGENT", alice.id, PostInput(client_id=f"bulk-{n}", contents=f"bulkword{n} ok"))
    for word in ("bulkword0", "bulkword617", "bulkword1233"):
        found = alice.get("/cases/search", q=word).json()
        assert [h["conversation"]["id"] for h in found["data"]] == [cid] and word in found["data"][0]["snippet"]
    assert alice.get("/cases/search", q="bulkword1233").json()["total_count"] == 1


def test_an_index_in_trouble_never_holds_up_the_timers(live, make_agent, make_visitor, monkeypatch):
    """The ticker's index batch runs in a transaction of its own: when it fails (here: SQLite reports the FTS5
    index damaged), a ring timeout in the same tick still happens."""
    import sqlite3

    from kayako_desktop.server.search_index import Fts5Index

    def damaged(self, db, limit=500):
        raise sqlite3.DatabaseError("database disk image is malformed")

    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)
    monkeypatch.setattr(Fts5Index, "catch_up", damaged)
    if live.svc.db.dialect == "sqlite":
        with pytest.raises(sqlite3.DatabaseError):  # (the ticker logs it and tries again next second)
            live.advance(31)
    else:
        live.advance(31)
    ended = alice.sock.wait("offer.ended", lambda d: d["conversation_id"] == cid)["data"]
    assert ended["state"] == "TIMED_OUT"
    bob.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)
