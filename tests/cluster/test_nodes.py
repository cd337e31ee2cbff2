"""Two and three server nodes on one data directory and one Redis: events cross nodes in `seq` order, each
once; presence is cluster-wide; a killed node stops counting; a lost pub/sub message is read from the log.

The drivers (tests/support.py) speak to a node as the widget and the bridge do; which node each person is
on is explicit. To prove nothing more arrives, `sync` pings each socket (its ack follows every event the
node had delivered before it)."""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.cluster.conftest import PASSWORD, Cluster, Node
from tests.server.test_revocation import hello, until_close
from tests.support import Agent, Socket, Visitor

N_RACERS = 20
# What does not depend on the database (presence, resuming, files, revocations over the bus) runs on the
# deployment for several machines only; what the database shapes (delivery order, the log, races, timers)
# runs on both.
POSTGRESQL_ONLY = pytest.mark.parametrize("cluster", ["postgresql"], indirect=True)
RACE_TRIALS = {"postgresql": 25, "sqlite": 10}  # the deployment the issue names gets 25


def seqs(sock: Socket) -> list[int]:
    return [f["seq"] for f in sock.seen if f.get("seq")]


def messages(sock: Socket, cid: int) -> list[str]:
    """What a socket heard said in the chat (a post's contents for staff, a message's content_text for the
    visitor)."""
    return [f["data"]["post"].get("contents", f["data"]["post"].get("content_text")) for f in sock.seen
            if f["type"] == "message.created" and f["data"]["post"]["conversation_id"] == cid]


def agent_status(agent: Agent, agent_id: int) -> str:
    r = agent.get("/agents")
    assert r.status_code == 200, r.text
    return str(next(a["status"] for a in r.json()["data"] if a["id"] == agent_id))


def accepted_chat(cluster: Cluster, subject: str, agent_on: str = "two",
                  visitor_on: str = "one") -> tuple[Node, Node, Agent, Visitor, int]:
    """Nodes "one" and "two"; Alice (socket on `agent_on`) has accepted the chat Victor (socket on `visitor_on`)
    started: routing, presence and the offer all crossed nodes. Returns (one, two, alice, victor, chat id)."""
    cluster.create_agent("alice@example.com", "Alice")
    nodes = {"one": cluster.node("one"), "two": cluster.node("two")}
    alice = Agent(nodes[agent_on], "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    alice.connect()
    victor = Visitor(nodes[visitor_on], "Victor")  # type: ignore[arg-type]
    victor.connect()
    cid = victor.start_chat(subject)["id"]
    assert alice.sock is not None and victor.sock is not None
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=10)
    assert alice.accept(cid).status_code == 200
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN", timeout=10)
    return nodes["one"], nodes["two"], alice, victor, cid


def test_a_visitor_on_one_node_and_an_agent_on_another_chat_both_ways(cluster: Cluster) -> None:
    # Node one routes the chat to Alice, whose only socket is on node two: presence is shared.
    _, _, alice, victor, cid = accepted_chat(cluster, "Refund please")
    assert alice.sock is not None and victor.sock is not None
    for n in range(5):
        assert alice.reply(cid, f"agent {n}").status_code == 201
        assert victor.say(cid, f"visitor {n}").status_code == 201
    expected = [f"{who} {n}" for n in range(5) for who in ("agent", "visitor")]
    for sock in (alice.sock, victor.sock):
        # (staff see a post's contents, the visitor a message's content_text)
        sock.wait("message.created", lambda d: d["post"].get("contents", d["post"].get("content_text")) == "visitor 4",
                  timeout=10)
        sock.call("ping")
        assert messages(sock, cid) == ["Alice joined the chat", *expected]  # each once, in the order written
        assert seqs(sock) == sorted(set(seqs(sock)))  # seq order, no duplicates


@POSTGRESQL_ONLY
def test_a_killed_node_stops_counting_its_agents(cluster: Cluster) -> None:
    cluster.create_agent("alice@example.com", "Alice")
    cluster.create_agent("bob@example.com", "Bob")
    one, two = cluster.node("one"), cluster.node("two")
    bob = Agent(one, "bob@example.com", PASSWORD)  # type: ignore[arg-type]
    bob.connect()
    alice = Agent(two, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    alice.connect()
    assert agent_status(bob, alice.id) == "ONLINE"  # node one counts Alice's socket on node two
    two.kill()
    started = time.monotonic()
    while agent_status(bob, alice.id) != "OFFLINE":
        assert time.monotonic() - started < 3 + 2, "node two's sockets still count after the presence TTL"
        time.sleep(0.2)
    # A new chat is not offered to Alice any more; Bob, on the surviving node, gets it.
    victor = Visitor(one, "Victor")  # type: ignore[arg-type]
    cid = victor.start_chat("Anyone there?")["id"]
    assert bob.sock is not None
    bob.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=10)


def test_events_lost_on_the_bus_are_read_from_the_log(cluster: Cluster) -> None:
    """Redis restarts while node one writes: node two's agent still gets every message, once, in order."""
    one, two, alice, victor, cid = accepted_chat(cluster, "Refund please")
    assert alice.sock is not None
    cluster.redis.stop()  # pub/sub gone: what node one publishes now never reaches node two
    try:
        for n in range(6):
            assert victor.say(cid, f"while Redis is down {n}").status_code == 201
    finally:
        cluster.redis.start()
    assert victor.say(cid, "after Redis is back").status_code == 201
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "after Redis is back", timeout=15)
    alice.sock.call("ping")
    assert messages(alice.sock, cid) == ["Alice joined the chat", *[f"while Redis is down {n}" for n in range(6)],
                                        "after Redis is back"]
    assert seqs(alice.sock) == sorted(set(seqs(alice.sock)))



def test_twenty_agents_on_three_nodes_race_to_accept_one_owner(cluster: Cluster) -> None:
    cluster.create_agent("admin@example.com", "Ada", admin=True)
    nodes = [cluster.node(name) for name in ("one", "two", "three")]
    admin = Agent(nodes[0], "admin@example.com", PASSWORD)  # type: ignore[arg-type]
    for i in range(N_RACERS):
        r = admin.post("/agents", {"email": f"racer{i:02d}@example.com", "full_name": f"Racer {i:02d}",
                                   "password": PASSWORD})
        assert r.status_code == 201, r.text
    with ThreadPoolExecutor(max_workers=N_RACERS) as pool:
        racers = list(pool.map(lambda i: Agent(nodes[i % 3], f"racer{i:02d}@example.com", PASSWORD),  # type: ignore[arg-type]
                               range(N_RACERS)))
        for trial in range(RACE_TRIALS[cluster.database]):
            cid = Visitor(nodes[trial % 3], f"Visitor {trial}").start_chat(f"race {trial}")["id"]  # type: ignore[arg-type]
            barrier = threading.Barrier(N_RACERS, timeout=10)

            def attempt(agent: Agent, cid: int = cid, barrier: threading.Barrier = barrier) -> tuple[int, Any]:
                barrier.wait()
                r = agent.accept(cid)
                return r.status_code, r.json()

            results = list(pool.map(attempt, racers))
            assert Counter(status for status, _ in results) == {200: 1, 409: N_RACERS - 1}, trial
            owner = next(body["data"]["assigned_agent"]["id"] for status, body in results if status == 200)
            for node in nodes:  # every node reads the same single owner
                case = admin.http.get(node.api + f"/cases/{cid}", timeout=10).json()["data"]
                assert case["assigned_agent"]["id"] == owner and len(case["participants"]) == 1


@POSTGRESQL_ONLY
def test_an_agent_whose_node_is_killed_resumes_on_another_and_misses_nothing(cluster: Cluster) -> None:
    one, two, alice, victor, cid = accepted_chat(cluster, "Refund please")
    assert alice.sock is not None
    for n in range(3):
        assert victor.say(cid, f"before {n}").status_code == 201
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "before 2", timeout=10)
    last_seq = max(seqs(alice.sock))
    before = messages(alice.sock, cid)
    two.kill()  # mid-chat: Alice's socket dies with the node
    for n in range(4):
        assert victor.say(cid, f"while away {n}").status_code == 201
    alice.live = one  # type: ignore[assignment]  # her client reconnects to a node that is up
    resumed = alice.connect(last_seq=last_seq)
    assert victor.say(cid, "after").status_code == 201
    resumed.wait("message.created", lambda d: d["post"]["contents"] == "after", timeout=10)
    resumed.call("ping")
    assert before + messages(resumed, cid) == [
        "Alice joined the chat", *[f"before {n}" for n in range(3)], *[f"while away {n}" for n in range(4)], "after"]
    assert seqs(resumed) == sorted(set(seqs(resumed))) and min(seqs(resumed)) > last_seq


def test_a_ring_timeout_fires_once_when_the_ringing_agents_node_is_killed(cluster: Cluster) -> None:
    """Every node runs the timer; each due timeout is taken by one transaction, so it fires once."""
    cluster.create_agent("alice@example.com", "Alice")
    cluster.create_agent("bob@example.com", "Bob")
    one, _, three = (cluster.node(name, CHAT_RING_TIMEOUT="2") for name in ("one", "two", "three"))
    alice = Agent(three, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    alice.connect()
    cid = Visitor(one, "Victor").start_chat("Anyone?")["id"]  # type: ignore[arg-type]
    assert alice.sock is not None
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=10)
    last_seq = max(seqs(alice.sock))
    bob = Agent(one, "bob@example.com", PASSWORD)  # type: ignore[arg-type]
    bob.connect()
    three.kill()  # the node Alice's offer rang through
    assert bob.sock is not None
    bob.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=15)
    time.sleep(3)  # longer than another ring timeout and a few timer rounds on each surviving node
    bob.sock.call("ping")
    assert [f["data"]["offer"]["conversation"]["id"] for f in bob.sock.seen if f["type"] == "offer.created"] == [cid]
    alice.live = one  # type: ignore[assignment]
    back = alice.connect(last_seq=last_seq)
    back.call("ping")
    ended = [f["data"]["state"] for f in back.seen
             if f["type"] == "offer.ended" and f["data"]["conversation_id"] == cid]
    assert len(ended) == 1, ended


@POSTGRESQL_ONLY
def test_a_file_uploaded_through_one_node_downloads_through_another(cluster: Cluster) -> None:
    """Files live in the shared data directory; download links are signed with a key every node shares."""
    one, two, alice, victor, cid = accepted_chat(cluster, "Send me the manual?", agent_on="one", visitor_on="two")
    assert alice.sock is not None and victor.sock is not None
    manual = b"%PDF-1.4\n" + bytes(range(256)) * 64
    meta = alice.post("/files", files={"file": ("manual.pdf", io.BytesIO(manual), "application/pdf")})
    assert meta.status_code == 201, meta.text
    r = alice.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), "kind": "FILE",
                                           "file_id": meta.json()["data"]["id"]})
    assert r.status_code == 201, r.text
    post = victor.sock.wait("message.created", lambda d: d["post"]["kind"] == "FILE", timeout=10)["data"]["post"]
    links = victor.get(f"/files/{post['attachments'][0]['id']}/links")  # asked of node two
    assert links.status_code == 200, links.text
    got = requests.get(two.url + links.json()["data"]["download"], timeout=10)
    assert got.status_code == 200 and got.content == manual


@POSTGRESQL_ONLY
def test_logging_out_on_one_node_closes_the_sessions_sockets_on_the_others_within_a_second(cluster: Cluster) -> None:
    cluster.create_agent("alice@example.com", "Alice")
    one, two, three = (cluster.node(name) for name in ("one", "two", "three"))
    alice = Agent(one, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    tabs = [hello(node, alice.session_id) for node in (two, three)]  # type: ignore[arg-type]
    for ws in tabs:
        assert json.loads(ws.recv())["type"] == "ack"
    laptop = Agent(two, "alice@example.com", PASSWORD)  # another session of hers, on the same node: untouched
    laptop.connect()
    started = time.monotonic()
    assert alice.delete("/session").status_code == 200  # through node one
    for ws in tabs:
        frames, code, reason = until_close(ws)
        assert time.monotonic() - started < 1.0, "closed within a second"
        assert (code, reason) == (4401, "session revoked")
        assert frames[-1]["data"]["code"] == "SESSION_NOT_FOUND", frames
    assert laptop.sock is not None
    laptop.sock.call("ping")  # still open, still answered
    assert not laptop.sock.closed.is_set()



def test_a_logout_while_redis_is_down_reaches_the_other_nodes_from_the_log(cluster: Cluster) -> None:
    """The logout is logged like an event: with pub/sub gone, the other node reads it from the log at its next
    look at the head (every second) and closes the session's socket with 4401 — though the socket sends
    nothing — while another session of hers stays open and receives nothing about it."""
    cluster.create_agent("alice@example.com", "Alice")
    one, two = cluster.node("one"), cluster.node("two")
    alice = Agent(one, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    tab = hello(two, alice.session_id)  # type: ignore[arg-type]
    assert json.loads(tab.recv())["type"] == "ack"
    laptop = Agent(two, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    laptop.connect()
    cluster.redis.stop()
    try:
        started = time.monotonic()
        assert alice.delete("/session").status_code == 200  # through node one
        frames, code, reason = until_close(tab)
        took = time.monotonic() - started
    finally:
        cluster.redis.start()
    assert (code, reason) == (4401, "session revoked")
    assert took < 3.0, f"closed {took:.1f} s after the logout"
    assert frames[-1]["data"]["code"] == "SESSION_NOT_FOUND", frames
    assert laptop.sock is not None
    laptop.sock.call("ping")
    assert not laptop.sock.closed.is_set()
    assert [f["type"] for f in laptop.sock.seen if "revoked" in f["type"]] == []  # never sent to a client
    # a reconnecting socket replaying the log does not get it either
    again = Agent(two, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    replay = again.connect(last_seq=0)
    replay.call("ping")
    assert [f["type"] for f in replay.seen if "revoked" in f["type"]] == []


@POSTGRESQL_ONLY
def test_a_command_racing_a_logout_while_redis_is_down_is_refused(cluster: Cluster) -> None:
    """The other node's socket that sends a command before it has read the logout finds the session gone at
    that command and closes with 4401, without acting on it."""
    cluster.create_agent("alice@example.com", "Alice")
    one, two = cluster.node("one"), cluster.node("two")
    alice = Agent(one, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    tab = hello(two, alice.session_id)  # type: ignore[arg-type]
    assert json.loads(tab.recv())["type"] == "ack"
    cluster.redis.stop()
    try:
        assert alice.delete("/session").status_code == 200  # through node one
        tab.send(json.dumps({"v": 1, "type": "ping", "id": "s1", "data": {}}))
        frames, code, reason = until_close(tab)
    finally:
        cluster.redis.start()
    assert (code, reason) == (4401, "session revoked")
    assert [f["type"] for f in frames if f.get("ref") == "s1"] == []  # not answered: not acted on
    assert frames[-1]["data"]["code"] == "SESSION_NOT_FOUND", frames
