"""Routing over the real server: who is offered a chat, when a ring times out, decline chains, capacity,
auto-away, queue positions, taking from the queue, transfer, agents going offline or unavailable.

Time only moves with `live.advance()` (fake clock + one timer run). To prove that something did NOT
happen, `sync()` sends a ping on each socket: its ack is queued behind every event already published,
so once it arrives the socket has seen everything the server sent before it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.support import Agent, Visitor

# ---- helpers ---------------------------------------------------------------------------------------


def sync(*people: Agent | Visitor) -> None:
    for p in people:
        assert p.sock is not None
        p.sock.call("ping")


def offered(agent: Agent, cid: int, timeout: float = 5.0) -> dict[str, Any]:
    """Wait for the next offer.created for chat `cid` on this agent's socket."""
    frame = agent.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout)
    return frame["data"]["offer"]


def taken(agent: Agent, visitor: Visitor, subject: str = "Refund") -> int:
    """A chat the visitor starts and that rings and is accepted by `agent` (the first agent free): its id."""
    cid = visitor.start_chat(subject)["id"]
    offered(agent, cid)
    assert agent.accept(cid).status_code == 200
    return int(cid)


def offer_ended(agent: Agent, cid: int) -> dict[str, Any]:
    return agent.sock.wait("offer.ended", lambda d: d["conversation_id"] == cid)["data"]


def offers_seen(agent: Agent, cid: int | None = None) -> list[int]:
    """Conversation ids of every offer.created this agent's socket has received (optionally for one chat)."""
    ids = [f["data"]["offer"]["conversation"]["id"] for f in agent.sock.seen if f["type"] == "offer.created"]
    return [i for i in ids if cid is None or i == cid]


def ended_seen(agent: Agent, cid: int) -> list[str]:
    return [f["data"]["state"] for f in agent.sock.seen
            if f["type"] == "offer.ended" and f["data"]["conversation_id"] == cid]


def ringing(agent: Agent) -> list[int]:
    """What GET /offers says is ringing for this agent now."""
    r = agent.get("/offers")
    assert r.status_code == 200, r.text
    assert all(o["state"] == "OFFERED" for o in r.json()["data"])
    return [o["conversation"]["id"] for o in r.json()["data"]]


def statuses_seen(observer: Agent, agent: Agent) -> list[str]:
    return [f["data"]["agent"]["status"] for f in observer.sock.seen
            if f["type"] == "agent.status_changed" and f["data"]["agent"]["id"] == agent.id]


def case(agent: Agent, cid: int) -> dict[str, Any]:
    r = agent.get(f"/cases/{cid}")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def queue_ids(agent: Agent) -> list[int]:
    r = agent.get("/cases/queue")
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["data"]]


def set_status(agent: Agent, status: str) -> None:
    r = agent.put("/me/status", {"status": status})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == status


def error_code(r: Any) -> str:
    return r.json()["errors"][0]["code"]


def agents_available(make_visitor: Any) -> bool:
    return make_visitor("Status", connect=False).get("/messenger/status").json()["data"]["agents_available"]


def ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


# ---- offering: one agent at a time, round robin ---------------------------------------------------------


def test_a_new_chat_is_offered_to_exactly_one_eligible_agent(live, make_agent, make_visitor):
    alice, bob, carol = make_agent("alice"), make_agent("bob"), make_agent("carol")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Parcel lost")["id"]

    offer = offered(alice, cid)
    assert offer["state"] == "OFFERED" and offer["transfer_from"] is None
    assert offer["conversation"]["status"]["type"] == "NEW" and offer["conversation"]["assigned_agent"] is None
    sync(alice, bob, carol)
    assert offers_seen(alice) == [cid]
    assert offers_seen(bob) == [] and offers_seen(carol) == []
    assert ringing(alice) == [cid] and ringing(bob) == [] and ringing(carol) == []
    # Ringing is not owning: the chat is still NEW and waiting.
    assert case(bob, cid)["status"]["type"] == "NEW" and queue_ids(bob) == [cid]


def test_offers_go_round_robin_least_recently_offered_first(live, make_agent, make_visitor):
    alice, bob, carol = make_agent("alice"), make_agent("bob"), make_agent("carol")
    expected = [alice, bob, carol, alice]
    cids = []
    for i, agent in enumerate(expected):
        cid = make_visitor(f"V{i}").start_chat(f"question {i}")["id"]
        offered(agent, cid)
        cids.append(cid)
        live.advance(1)
    # A newcomer who was never offered anything is the least recently offered of all.
    dave = make_agent("dave")
    cid5 = make_visitor("V5").start_chat("question 5")["id"]
    offered(dave, cid5)

    sync(alice, bob, carol, dave)
    assert offers_seen(alice) == [cids[0], cids[3]]
    assert offers_seen(bob) == [cids[1]]
    assert offers_seen(carol) == [cids[2]]
    assert offers_seen(dave) == [cid5]


# ---- ring timeout -----------------------------------------------------------------------------------------


def test_ring_times_out_after_30_seconds_and_moves_to_the_next_agent(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    offer = offered(alice, cid)
    assert ts(offer["expires_at"]) - ts(offer["created_at"]) == pytest.approx(30)

    live.advance(29)
    sync(alice, bob)
    assert ended_seen(alice, cid) == []
    assert offers_seen(bob) == []
    assert ringing(alice) == [cid]

    live.advance(1.5)
    assert offer_ended(alice, cid)["state"] == "TIMED_OUT"
    offered(bob, cid)
    assert ringing(alice) == [] and ringing(bob) == [cid]
    sync(alice)
    assert offers_seen(alice) == [cid], "a missed chat is not offered to the same agent again"

    # Bob misses it too: nobody is left, so the chat waits in the queue (still NEW, still a conversation).
    live.advance(31)
    assert offer_ended(bob, cid)["state"] == "TIMED_OUT"
    sync(alice, bob)
    assert offers_seen(alice) == [cid] and offers_seen(bob) == [cid]
    assert case(alice, cid)["status"]["type"] == "NEW" and queue_ids(alice) == [cid]


class TestConfiguredRingTimeout:
    @pytest.fixture
    def server_config(self):
        return {"CHAT_RING_TIMEOUT": 10}

    def test_ring_timeout_is_configurable(self, live, make_agent, make_visitor):
        alice, bob = make_agent("alice"), make_agent("bob")
        victor = make_visitor("Victor")
        assert victor.get("/messenger/status").json()["data"]["ring_timeout_seconds"] == 10
        cid = victor.start_chat()["id"]
        offer = offered(alice, cid)
        assert ts(offer["expires_at"]) - ts(offer["created_at"]) == pytest.approx(10)

        live.advance(9)
        sync(alice, bob)
        assert ended_seen(alice, cid) == [] and offers_seen(bob) == []

        live.advance(2)
        assert offer_ended(alice, cid)["state"] == "TIMED_OUT"
        offered(bob, cid)


# ---- decline -------------------------------------------------------------------------------------------


def test_decline_chain_across_three_agents_then_the_chat_waits(live, make_agent, make_visitor):
    alice, bob, carol = make_agent("alice"), make_agent("bob"), make_agent("carol")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Refund")["id"]

    offered(alice, cid)
    r = alice.decline(cid)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"]["type"] == "NEW"
    assert offer_ended(alice, cid)["state"] == "DECLINED"

    offered(bob, cid)
    assert bob.decline(cid).status_code == 200
    assert offer_ended(bob, cid)["state"] == "DECLINED"

    offered(carol, cid)
    assert carol.decline(cid).status_code == 200
    assert offer_ended(carol, cid)["state"] == "DECLINED"

    # Everyone declined: nobody is re-offered, the chat waits in the queue as NEW.
    sync(alice, bob, carol)
    assert [offers_seen(a, cid) for a in (alice, bob, carol)] == [[cid], [cid], [cid]]
    assert ringing(alice) == ringing(bob) == ringing(carol) == []
    assert case(alice, cid)["status"]["type"] == "NEW" and case(alice, cid)["assigned_agent"] is None
    assert queue_ids(alice) == [cid]
    chat = victor.get(f"/conversations/{cid}").json()["data"]
    assert chat["status"]["type"] == "NEW" and chat["queue_position"] == 1

    # Declining again has nothing to decline; a fresh status change does not bring the chat back either.
    r = alice.decline(cid)
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"
    set_status(alice, "AWAY")
    set_status(alice, "ONLINE")
    sync(alice)
    assert offers_seen(alice, cid) == [cid]

    # A new agent is eligible, so the chat is offered again.
    dave = make_agent("dave")
    offered(dave, cid)
    assert dave.accept(cid).status_code == 200
    assert case(dave, cid)["assigned_agent"]["full_name"] == "Dave"


# ---- capacity ------------------------------------------------------------------------------------------


def _fill(alice: Agent, make_visitor: Any, n: int = 4) -> list[tuple[Visitor, int]]:
    chats = []
    for i in range(n):
        v = make_visitor(f"Busy{i}")
        cid = v.start_chat(f"chat {i}")["id"]
        offered(alice, cid)
        assert alice.accept(cid).status_code == 200
        chats.append((v, cid))
    return chats


def test_an_agent_at_capacity_gets_no_more_offers_and_the_chat_goes_to_another(live, make_agent, make_visitor):
    alice = make_agent("alice")
    _fill(alice, make_visitor)
    me = [a for a in alice.get("/agents").json()["data"] if a["id"] == alice.id][0]
    assert me["max_chats"] == 4 and me["active_chats"] == 4

    # Bob comes online and is offered a chat, so he is now *more* recently offered than Alice...
    bob = make_agent("bob")
    first = make_visitor("Early").start_chat()["id"]
    offered(bob, first)
    assert bob.accept(first).status_code == 200
    live.advance(1)
    # ... yet the next chat goes to Bob, because Alice is full.
    cid = make_visitor("Fifth").start_chat()["id"]
    offered(bob, cid)
    sync(alice)
    assert offers_seen(alice, first) == [] and offers_seen(alice, cid) == []


def test_a_chat_waits_while_everyone_is_full_and_ending_one_frees_capacity(live, make_agent, make_visitor):
    alice = make_agent("alice")
    chats = _fill(alice, make_visitor)
    fifth = make_visitor("Fifth")
    cid = fifth.start_chat()["id"]
    fifth.sock.wait("queue.position_changed", lambda d: d["conversation_id"] == cid and d["position"] == 1)
    sync(alice)
    assert offers_seen(alice, cid) == []
    assert ringing(alice) == [] and queue_ids(alice) == [cid]

    # Ending one chat frees a seat, and the waiting chat rings at once.
    r = alice.post(f"/cases/{chats[0][1]}/end")
    assert r.status_code == 200 and r.json()["data"]["status"]["type"] == "COMPLETED"
    offered(alice, cid)
    assert alice.accept(cid).status_code == 200


def test_ringing_offers_count_towards_capacity(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=2)
    a = make_visitor("A").start_chat()["id"]
    b = make_visitor("B").start_chat()["id"]
    c = make_visitor("C").start_chat()["id"]
    offered(alice, a)
    offered(alice, b)
    sync(alice)
    assert offers_seen(alice) == [a, b] and queue_ids(alice) == [a, b, c]
    # Declining one frees a seat for the third chat.
    assert alice.decline(a).status_code == 200
    offered(alice, c)


def test_taking_chats_from_the_queue_stops_at_the_agents_limit(live, make_agent, make_visitor):
    bob = make_agent("bob", max_chats=2)
    set_status(bob, "BUSY")  # takes from the queue by hand; nothing is offered to him
    chats = [make_visitor(f"V{n}").start_chat()["id"] for n in range(3)]
    assert bob.accept(chats[0]).status_code == 200 and bob.accept(chats[1]).status_code == 200
    over = bob.accept(chats[2])
    assert over.status_code == 409
    error = over.json()["errors"][0]
    assert error["code"] == "CAPACITY_REACHED" and "2 chats open" in error["message"]
    assert bob.post(f"/cases/{chats[2]}/accept", {"override_capacity": True}).status_code == 409  # not an admin
    third = bob.get(f"/cases/{chats[2]}").json()["data"]
    assert third["status"]["type"] == "NEW" and third["assigned_agent"] is None  # nothing changed: still in the queue
    # Ending one frees a seat.
    assert bob.post(f"/cases/{chats[0]}/end").status_code == 200
    assert bob.accept(chats[2]).status_code == 200


def test_an_admin_may_take_a_chat_over_the_limit_and_it_is_logged(live, make_agent, make_visitor, caplog):
    boss = make_agent("boss", admin=True, max_chats=1)
    set_status(boss, "BUSY")
    first, second = make_visitor("A").start_chat()["id"], make_visitor("B").start_chat()["id"]
    assert boss.accept(first).status_code == 200
    refused = boss.accept(second)
    assert refused.status_code == 409 and "override_capacity" in refused.json()["errors"][0]["message"]
    with caplog.at_level("WARNING", logger="kayako_desktop.server.routing.engine"):
        assert boss.post(f"/cases/{second}/accept", {"override_capacity": True}).status_code == 200
    assert "took a chat over their limit (1 open, limit 1)" in caplog.text


# ---- missed offers → AWAY --------------------------------------------------------------------------------


def test_three_missed_offers_in_a_row_set_the_agent_away(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    set_status(bob, "BUSY")  # Bob watches the team list but takes no chats
    missed = []
    for i in range(3):
        cid = make_visitor(f"V{i}").start_chat()["id"]
        offered(alice, cid)
        sync(bob)
        assert "AWAY" not in statuses_seen(bob, alice), f"Alice went away after only {i} missed offers"
        live.advance(31)
        assert offer_ended(alice, cid)["state"] == "TIMED_OUT"
        missed.append(cid)

    bob.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == alice.id and d["agent"]["status"] == "AWAY")
    assert alice.get("/me").json()["data"]["status"] == "AWAY"
    assert agents_available(make_visitor) is False

    # An AWAY agent is offered nothing.
    cid = make_visitor("V3").start_chat()["id"]
    sync(alice)
    assert offers_seen(alice, cid) == [] and ringing(alice) == []

    # Back ONLINE: offers resume (with the chat she has not missed).
    set_status(alice, "ONLINE")
    bob.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == alice.id and d["agent"]["status"] == "ONLINE")
    offered(alice, cid)
    sync(alice)
    assert offers_seen(alice) == [*missed, cid]


def test_answering_an_offer_resets_the_missed_count(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    set_status(bob, "BUSY")

    def miss() -> None:
        cid = make_visitor().start_chat()["id"]
        offered(alice, cid)
        live.advance(31)
        assert offer_ended(alice, cid)["state"] == "TIMED_OUT"

    miss()
    miss()
    cid = make_visitor().start_chat()["id"]
    offered(alice, cid)
    assert alice.decline(cid).status_code == 200
    miss()
    miss()
    sync(bob)
    assert "AWAY" not in statuses_seen(bob, alice)
    assert alice.get("/me").json()["data"]["status"] == "ONLINE"
    miss()
    bob.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == alice.id and d["agent"]["status"] == "AWAY")


def test_offers_expiring_together_each_end_exactly_once(live, make_agent, make_visitor):
    alice = make_agent("alice")
    cids = [make_visitor(f"V{i}").start_chat()["id"] for i in range(4)]
    for cid in cids:
        offered(alice, cid)
    live.advance(31)  # all four ring out in one timer run; the third miss sets Alice AWAY
    sync(alice)
    ends = [ended_seen(alice, cid) for cid in cids]
    assert all(len(e) == 1 for e in ends), ends
    assert ends[:3] == [["TIMED_OUT"]] * 3
    assert alice.get("/me").json()["data"]["status"] == "AWAY"
    assert ringing(alice) == []


# ---- queue positions --------------------------------------------------------------------------------------


def _position(v: Visitor, cid: int) -> int | None:
    """The latest queue position this visitor's socket was told about."""
    sync(v)
    events = [f["data"]["position"] for f in v.sock.seen
              if f["type"] == "queue.position_changed" and f["data"]["conversation_id"] == cid]
    assert events, "no queue.position_changed event"
    return events[-1]


def test_waiting_visitors_see_their_queue_positions_and_move_up(live, make_agent, make_visitor):
    visitors = [make_visitor(n) for n in ("Ann", "Ben", "Cat")]
    cids = []
    for pos, v in enumerate(visitors, start=1):
        chat = v.start_chat(f"{v.name} asks")
        assert chat["status"]["type"] == "NEW" and chat["queue_position"] == pos
        cids.append(chat["id"])
    for pos, (v, cid) in enumerate(zip(visitors, cids, strict=True), start=1):
        v.sock.wait("chat.updated", lambda d, c=cid, p=pos: d["conversation"]["id"] == c
                    and d["conversation"]["queue_position"] == p)
        assert _position(v, cid) == pos
        assert v.get(f"/conversations/{cid}").json()["data"]["queue_position"] == pos

    # An agent arrives and takes the first chat: the others move up.
    alice = make_agent("alice")
    for cid in cids:
        offered(alice, cid)
    assert alice.accept(cids[0]).status_code == 200
    ann, ben, cat = visitors
    ann.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")
    assert ann.get(f"/conversations/{cids[0]}").json()["data"]["queue_position"] is None
    assert _position(ben, cids[1]) == 1 and _position(cat, cids[2]) == 2
    assert ben.get(f"/conversations/{cids[1]}").json()["data"]["queue_position"] == 1
    assert cat.get(f"/conversations/{cids[2]}").json()["data"]["queue_position"] == 2
    assert queue_ids(alice) == cids[1:]

    # Ben gives up waiting: Cat moves up again.
    assert ben.put(f"/conversations/{cids[1]}/end").json()["data"]["status"]["type"] == "COMPLETED"
    assert _position(cat, cids[2]) == 1
    assert cat.get(f"/conversations/{cids[2]}").json()["data"]["queue_position"] == 1
    assert queue_ids(alice) == [cids[2]]


# ---- taking from the queue -----------------------------------------------------------------------------


def test_any_agent_may_take_a_chat_from_the_queue_and_the_ring_is_cancelled(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    offered(alice, cid)
    sync(bob)
    assert offers_seen(bob) == []

    r = bob.accept(cid)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"]["type"] == "OPEN" and r.json()["data"]["assigned_agent"]["full_name"] == "Bob"
    assert offer_ended(alice, cid)["state"] == "CANCELLED"
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN"
                     and [a["full_name"] for a in d["conversation"]["agents"]] == ["Bob"])
    assert ringing(alice) == [] and queue_ids(alice) == []

    r = alice.accept(cid)
    assert r.status_code == 409 and error_code(r) == "ALREADY_ASSIGNED"
    assert case(alice, cid)["assigned_agent"]["full_name"] == "Bob"


# ---- transfer ------------------------------------------------------------------------------------------


@pytest.fixture
def owned(live, make_agent, make_visitor):
    """Alice owns a chat with Victor; Bob and Carol are online (nothing is queued for them)."""
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    offered(alice, cid)
    assert alice.accept(cid).status_code == 200
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")
    bob, carol = make_agent("bob"), make_agent("carol")
    return alice, bob, carol, victor, cid


def test_transfer_to_a_named_agent_cancels_a_pending_ring(live, make_agent, make_visitor):
    alice, bob, carol = make_agent("alice"), make_agent("bob"), make_agent("carol")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    offered(alice, cid)

    r = bob.post(f"/cases/{cid}/transfer", {"agent_id": carol.id})
    assert r.status_code == 200, r.text
    assert offer_ended(alice, cid)["state"] == "CANCELLED"
    offer = offered(carol, cid)
    assert offer["state"] == "OFFERED"
    sync(alice, bob)
    assert ringing(alice) == [] and offers_seen(bob) == []
    assert carol.accept(cid).status_code == 200
    assert case(carol, cid)["assigned_agent"]["full_name"] == "Carol"


def test_owned_chat_transfer_accepted_makes_the_target_owner(owned):
    alice, bob, carol, victor, cid = owned
    r = alice.post(f"/cases/{cid}/transfer", {"agent_id": bob.id})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["assigned_agent"]["full_name"] == "Alice"  # still Alice's until Bob accepts
    offer = offered(bob, cid)
    assert offer["transfer_from"]["full_name"] == "Alice"
    alice.sock.wait("message.created", lambda d: d["post"]["visibility"] == "STAFF"
                    and "transferring the chat to Bob" in d["post"]["contents"])

    r = bob.accept(cid)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["status"]["type"] == "OPEN" and data["assigned_agent"]["full_name"] == "Bob"
    assert [(p["agent"]["full_name"], p["role"]) for p in data["participants"]] == [("Bob", "OWNER")]
    assert offer_ended(bob, cid)["state"] == "ACCEPTED"
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "The chat was transferred to Bob")
    victor.sock.wait("chat.updated", lambda d: [a["full_name"] for a in d["conversation"]["agents"]] == ["Bob"])
    sync(victor)
    staff_only = {p["id"] for p in bob.get(f"/cases/{cid}/posts", limit=100).json()["data"]
                  if p["visibility"] == "STAFF"}
    assert staff_only, "the transfer left staff-only notices"
    assert not [f for f in victor.sock.seen if f["type"] == "message.created"
                and f["data"]["post"]["id"] in staff_only], "staff-only posts never reach the visitor"

    # Alice left: she can no longer post; Bob can.
    r = alice.reply(cid, "still here?")
    assert r.status_code == 403 and error_code(r) == "PERMISSION_DENIED"
    assert bob.reply(cid, "Hi, Bob here").status_code == 201


def test_owned_chat_transfer_declined_or_missed_stays_with_the_owner(live, owned):
    alice, bob, carol, victor, cid = owned
    assert alice.post(f"/cases/{cid}/transfer", {"agent_id": bob.id}).status_code == 200
    offered(bob, cid)
    assert bob.decline(cid).status_code == 200
    assert offer_ended(bob, cid)["state"] == "DECLINED"
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Bob declined the transfer"
                    and d["post"]["visibility"] == "STAFF")
    data = case(alice, cid)
    assert data["status"]["type"] == "OPEN" and data["assigned_agent"]["full_name"] == "Alice"
    sync(carol)
    assert offers_seen(carol) == [], "a declined transfer is not routed to anyone else"

    # Transfer again, to Carol, who lets it ring out.
    assert alice.post(f"/cases/{cid}/transfer", {"agent_id": carol.id}).status_code == 200
    offered(carol, cid)
    live.advance(31)
    assert offer_ended(carol, cid)["state"] == "TIMED_OUT"
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Carol missed the transfer")
    data = case(alice, cid)
    assert data["status"]["type"] == "OPEN" and data["assigned_agent"]["full_name"] == "Alice"
    sync(bob, victor)
    assert offers_seen(bob) == [cid]
    assert not [f for f in victor.sock.seen if f["type"] == "message.created"
                and "transfer" in f["data"]["post"]["content_text"]], "transfer notices are staff-only"
    assert "transfer" not in str(victor.get(f"/conversations/{cid}/messages").json()["data"])
    assert alice.reply(cid, "Still with you").status_code == 201


def test_a_new_transfer_cancels_the_pending_transfer_ring(owned):
    alice, bob, carol, victor, cid = owned
    assert alice.post(f"/cases/{cid}/transfer", {"agent_id": bob.id}).status_code == 200
    offered(bob, cid)
    assert alice.post(f"/cases/{cid}/transfer", {"agent_id": carol.id}).status_code == 200
    assert offer_ended(bob, cid)["state"] == "CANCELLED"
    assert offered(carol, cid)["transfer_from"]["full_name"] == "Alice"
    r = bob.accept(cid)
    assert r.status_code == 409 and error_code(r) == "ALREADY_ASSIGNED"
    assert carol.accept(cid).status_code == 200
    assert case(carol, cid)["assigned_agent"]["full_name"] == "Carol"


def test_transfer_refusals(owned, make_agent):
    alice, bob, carol, victor, cid = owned
    r = bob.post(f"/cases/{cid}/transfer", {"agent_id": carol.id})
    assert r.status_code == 403 and error_code(r) == "PERMISSION_DENIED"
    dave = make_agent("dave", connect=False)
    r = alice.post(f"/cases/{cid}/transfer", {"agent_id": dave.id})
    assert r.status_code == 409 and error_code(r) == "AGENT_UNAVAILABLE"
    r = alice.post(f"/cases/{cid}/transfer", {"agent_id": alice.id})
    assert r.status_code == 400 and error_code(r) == "FIELD_INVALID"
    sync(bob, carol)
    assert offers_seen(bob) == [] and offers_seen(carol) == []
    assert case(alice, cid)["assigned_agent"]["full_name"] == "Alice"


# ---- agents going offline or unavailable ---------------------------------------------------------------


def test_an_agent_going_offline_cancels_its_ring_and_the_chat_moves_on(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = victor.start_chat()["id"]
    offered(alice, cid)

    alice.sock.close()
    offered(bob, cid)  # at once, without waiting for the ring timeout
    bob.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == alice.id and d["agent"]["status"] == "OFFLINE")
    assert ringing(alice) == []
    listed = {a["full_name"]: a["status"] for a in bob.get("/agents").json()["data"]}
    assert listed == {"Alice": "OFFLINE", "Bob": "ONLINE"}


@pytest.mark.parametrize("status", ["AWAY", "BUSY", "INVISIBLE"])
def test_agents_not_online_get_no_offers(live, make_agent, make_visitor, status):
    alice = make_agent("alice")
    set_status(alice, status)
    victor = make_visitor("Victor")
    assert victor.get("/messenger/status").json()["data"]["agents_available"] is False
    cid = victor.start_chat()["id"]
    sync(alice)
    assert offers_seen(alice) == [] and ringing(alice) == []
    assert queue_ids(alice) == [cid]

    set_status(alice, "ONLINE")
    offered(alice, cid)
    assert victor.get("/messenger/status").json()["data"]["agents_available"] is True


def test_becoming_busy_while_ringing_moves_the_chat_on(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    cid = make_visitor().start_chat()["id"]
    offered(alice, cid)
    set_status(alice, "BUSY")
    assert offer_ended(alice, cid)["state"] == "CANCELLED"
    offered(bob, cid)
    assert ringing(alice) == []


def test_a_visitor_left_unanswered_is_offered_to_a_colleague_after_three_minutes(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = taken(alice, victor)
    assert victor.say(cid, "Hello? Anyone?").status_code == 201
    live.advance(179)
    sync(bob)
    assert offers_seen(bob, cid) == []  # not yet
    live.advance(2)
    offer = offered(bob, cid)
    assert offer["transfer_from"]["full_name"] == "Alice"  # a transfer: Alice keeps the chat until Bob takes it
    told = alice.sock.wait("message.created", lambda d: "waited 3 minutes" in d["post"]["contents"])["data"]["post"]
    assert told["contents"] == "The visitor has waited 3 minutes for an answer from Alice: the chat is offered to Bob"
    assert told["visibility"] == "STAFF"
    assert case(alice, cid)["assigned_agent"]["full_name"] == "Alice"
    sync(victor)
    assert not [f for f in victor.sock.seen if f["type"] == "message.created"
                and "waited" in f["data"]["post"]["content_text"]], "the visitor is not told"
    assert bob.accept(cid).status_code == 200
    assert case(bob, cid)["assigned_agent"]["full_name"] == "Bob"
    assert bob.reply(cid, "Bob here: let me look.").status_code == 201
    before = len(offers_seen(alice, cid))  # (the first ring of the chat was hers)
    live.advance(600)  # answered: nothing moves, though Alice is free again
    sync(alice)
    assert len(offers_seen(alice, cid)) == before


def test_with_every_colleague_full_the_chat_stays_with_its_owner(live, make_agent, make_visitor):
    alice, bob = make_agent("alice", max_chats=1), make_agent("bob", max_chats=1)
    victor, wendy = make_visitor("Victor"), make_visitor("Wendy")
    first = taken(alice, victor, "First")  # Alice's one seat
    second = taken(bob, wendy, "Second")  # Bob's one seat
    assert wendy.say(second, "Still there?").status_code == 201
    assert victor.say(first, "Hello?").status_code == 201
    live.advance(400)
    sync(alice, bob)
    assert offers_seen(alice, second) == [] and offers_seen(bob, first) == []  # nobody can take them
    assert case(alice, first)["assigned_agent"]["full_name"] == "Alice"
    assert case(bob, second)["assigned_agent"]["full_name"] == "Bob"


def test_the_owner_answering_withdraws_the_automatic_transfer_but_not_one_they_asked_for(live, make_agent,
                                                                                         make_visitor):
    alice, bob, carl = make_agent("alice"), make_agent("bob"), make_agent("carl")
    victor = make_visitor("Victor")
    cid = taken(alice, victor)
    assert victor.say(cid, "Hello?").status_code == 201
    live.advance(181)
    offered(bob, cid)  # the automatic ring
    assert alice.reply(cid, "Sorry, here now!").status_code == 201
    assert offer_ended(bob, cid)["state"] == "CANCELLED"
    told = alice.sock.wait("message.created", lambda d: "answered" in d["post"]["contents"])["data"]["post"]
    assert (told["contents"], told["visibility"]) == ("Alice answered: the chat stays with them", "STAFF")
    assert case(alice, cid)["assigned_agent"]["full_name"] == "Alice" and ringing(bob) == []

    assert alice.post(f"/cases/{cid}/transfer", {"agent_id": carl.id}).status_code == 200  # she asks for this one
    offered(carl, cid)
    assert alice.reply(cid, "Carl will take over.").status_code == 201
    sync(carl)
    assert ringing(carl) == [cid]  # a transfer she asked for goes on


def test_a_department_sets_its_own_time_for_an_unanswered_chat(live, make_agent, make_visitor):
    ada = make_agent("ada", admin=True)
    alice, bob = make_agent("alice"), make_agent("bob")
    quick = ada.post("/teams", {"title": "Quick", "agent_ids": [alice.id, bob.id], "auto_transfer_seconds": 60})
    slow = ada.post("/teams", {"title": "Slow", "agent_ids": [alice.id, bob.id], "auto_transfer_seconds": 0})
    assert quick.status_code == 201 and slow.status_code == 201
    assert quick.json()["data"]["auto_transfer_seconds"] == 60
    chats = {}
    for name, team, owner in (("Quinn", quick, alice), ("Sol", slow, bob)):  # each rings the one not yet offered
        v = Visitor(live, name)
        v.connect()
        r = v.post("/conversations", {"name": name, "subject": "Hi", "department_id": team.json()["data"]["id"]})
        chats[name] = r.json()["data"]["id"]
        offered(owner, chats[name])
        assert owner.accept(chats[name]).status_code == 200
        assert v.say(chats[name], "Hello?").status_code == 201
    live.advance(61)
    offered(bob, chats["Quinn"])  # Quick's own minute, not the server's three
    live.advance(600)
    sync(alice)
    assert offers_seen(alice, chats["Sol"]) == []  # Slow never re-offers
    back = ada.put(f"/teams/{slow.json()['data']['id']}", {"auto_transfer_seconds": None})  # the server's again
    assert back.status_code == 200 and back.json()["data"]["auto_transfer_seconds"] is None
    live.advance(1)
    offered(alice, chats["Sol"])


@pytest.mark.parametrize("server_config", [{"CHAT_AUTO_TRANSFER_SECONDS": 0}])
def test_auto_transfer_can_be_turned_off(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = taken(alice, victor)
    assert victor.say(cid, "Hello?").status_code == 201
    live.advance(3600)
    sync(bob)
    assert offers_seen(bob, cid) == []


def test_an_owner_gone_offline_hands_the_chat_on_after_the_grace(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = taken(alice, victor)
    assert alice.reply(cid, "Let me check that for you.").status_code == 201  # answered: no auto-transfer
    assert alice.sock is not None
    alice.sock.close()  # her laptop lid closes
    live.advance(100)
    sync(bob)
    assert case(bob, cid)["assigned_agent"]["full_name"] == "Alice" and offers_seen(bob, cid) == []  # not yet
    live.advance(30)
    offered(bob, cid)  # back in the queue, and it rings the next agent
    back = case(bob, cid)
    assert back["status"]["type"] == "NEW" and back["assigned_agent"] is None
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Alice left the chat")
    staff = [p["contents"] for p in bob.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert "Alice went offline: the chat was handed on" in staff


@pytest.mark.parametrize("server_config", [{"CHAT_OFFLINE_OWNER_GRACE": 0}])
def test_handing_on_an_offline_owners_chats_can_be_turned_off(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor")
    cid = taken(alice, victor)
    assert alice.reply(cid, "Let me check.").status_code == 201
    assert alice.sock is not None
    alice.sock.close()
    live.advance(3600)
    sync(bob)
    assert case(bob, cid)["assigned_agent"]["full_name"] == "Alice"
