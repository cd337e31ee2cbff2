"""Realtime contract: acks with ref, resume by seq (every missed event once, in order), idempotent
sends, resync when too old, heartbeats, typing and delivery status."""

from __future__ import annotations

import threading
import uuid

import pytest

from tests.support import Socket


def _posts(sock: Socket, kind: str = "VISITOR") -> list[str]:
    return [f["data"]["post"].get("contents", f["data"]["post"].get("content_text")) for f in sock.seen
            if f["type"] == "message.created" and f["data"]["post"]["creator"]["kind"] == kind]


def test_acks_carry_the_command_id(open_chat):
    alice, victor, cid = open_chat
    ref = victor.sock.command("message.send", {"conversation_id": cid, "client_id": "m-1", "contents": "hi"})
    frame = victor.sock.reply(ref)
    assert frame["type"] == "ack" and frame["ref"] == ref
    assert frame["data"]["post"]["content_text"] == "hi" and frame["data"]["created"] is True


def test_dropped_agent_socket_resumes_every_missed_event_once_in_order(live, open_chat):
    alice, victor, cid = open_chat
    victor.say(cid, "before drop")
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "before drop")
    alice.sock.drain()
    last = alice.sock.last_seq
    alice.sock.close()

    missed = [f"while away {i}" for i in range(12)]
    for text in missed:
        assert victor.say(cid, text).status_code == 201

    sock = alice.connect(last_seq=last)
    hello = sock.seen[0]
    assert hello["type"] == "ack" and hello["data"]["replayed"] >= len(missed)
    victor.say(cid, "after resume")
    sock.wait("message.created", lambda d: d["post"]["contents"] == "after resume")
    sock.drain()
    assert _posts(sock) == [*missed, "after resume"]
    seqs = [f["seq"] for f in sock.seen if f.get("seq")]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)), "every event once, in seq order"
    assert all(s > last for s in seqs)


def test_resume_while_messages_keep_arriving_loses_and_duplicates_nothing(live, open_chat):
    alice, victor, cid = open_chat
    alice.sock.drain()
    last = alice.sock.last_seq
    alice.sock.close()
    sent: list[str] = []

    def chatter() -> None:
        for i in range(60):
            text = f"burst {i}"
            assert victor.say(cid, text).status_code == 201
            sent.append(text)

    writer = threading.Thread(target=chatter)
    writer.start()
    sock = alice.connect(last_seq=last)  # reconnect in the middle of the burst
    writer.join()
    sock.wait("message.created", lambda d: d["post"]["contents"] == "burst 59", timeout=10)
    sock.drain()
    assert _posts(sock) == sent


def test_dropped_visitor_socket_resumes_agent_replies(open_chat):
    alice, victor, cid = open_chat
    victor.sock.drain()
    last = victor.sock.last_seq
    victor.sock.close()
    for i in range(5):
        assert alice.reply(cid, f"answer {i}").status_code == 201
    sock = victor.connect(last_seq=last)
    sock.wait("message.created", lambda d: d["post"]["content_text"] == "answer 4")
    sock.drain()
    assert _posts(sock, "AGENT") == [f"answer {i}" for i in range(5)]


def test_retried_send_with_same_client_id_makes_one_post(open_chat):
    alice, victor, cid = open_chat
    client_id = str(uuid.uuid4())
    first = victor.sock.call("message.send", {"conversation_id": cid, "client_id": client_id, "contents": "once"})
    again = victor.sock.call("message.send", {"conversation_id": cid, "client_id": client_id, "contents": "once"})
    assert again["post"]["id"] == first["post"]["id"] and again["created"] is False
    rest = victor.say(cid, "once", client_id=client_id)  # and over REST: 200 with the original
    assert rest.status_code == 200 and rest.json()["data"]["id"] == first["post"]["id"]
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "once")
    alice.sock.drain()
    assert _posts(alice.sock).count("once") == 1
    timeline = alice.get(f"/cases/{cid}/posts").json()["data"]
    assert [p["contents"] for p in timeline].count("once") == 1


def test_resume_from_the_future_or_pruned_past_requires_resync(live, open_chat, server_config):
    alice, victor, cid = open_chat
    old = alice.sock.last_seq
    head = live.svc.db.head_seq()
    sock = alice.connect(last_seq=head + 1000)
    resync = sock.wait("resync_required")
    assert resync["data"]["head_seq"] == head

    victor.say(cid, "missed, then pruned")
    live.svc.config["CHAT_EVENT_RETENTION_SECONDS"] = 60
    live.advance(120)  # every event so far is now older than the retention and gets pruned
    sock2 = alice.connect(last_seq=old)
    assert sock2.wait("resync_required")["data"]["reason"]


def test_typing_travels_both_ways_but_is_never_replayed(open_chat):
    alice, victor, cid = open_chat
    victor.sock.call("typing.start", {"conversation_id": cid})
    typing = alice.sock.wait("typing.changed")["data"]
    assert typing == {"conversation_id": cid, "author": {"kind": "VISITOR", "id": victor.id, "full_name": "Victor",
                                                         "avatar_url": None}, "typing": True}
    alice.sock.call("typing.start", {"conversation_id": cid})
    assert victor.sock.wait("typing.changed")["data"]["author"]["full_name"] == "Alice"
    frame = alice.sock.events("typing.changed")[0]
    assert frame["seq"] is None  # ephemeral: not in the event log


def test_delivered_and_seen_reach_the_sender(open_chat):
    alice, victor, cid = open_chat
    post = alice.reply(cid, "Can you see this?").json()["data"]
    assert post["post_status"] == "SENT"
    victor.sock.call("messages.mark", {"conversation_id": cid, "up_to_post_id": post["id"], "status": "DELIVERED"})
    got = alice.sock.wait("messages.status_changed", lambda d: d["status"] == "DELIVERED")["data"]
    assert post["id"] in got["post_ids"]
    victor.put(f"/conversations/{cid}/messages/{post['id']}", {"message_status": "SEEN"})
    alice.sock.wait("messages.status_changed", lambda d: d["status"] == "SEEN")
    timeline = alice.get(f"/cases/{cid}/posts").json()["data"]
    assert next(p for p in timeline if p["id"] == post["id"])["post_status"] == "SEEN"
    # Statuses only move forward: a late DELIVERED does not undo SEEN.
    victor.sock.call("messages.mark", {"conversation_id": cid, "up_to_post_id": post["id"], "status": "DELIVERED"})
    timeline = alice.get(f"/cases/{cid}/posts").json()["data"]
    assert next(p for p in timeline if p["id"] == post["id"])["post_status"] == "SEEN"


@pytest.mark.parametrize("server_config", [{"CHAT_HEARTBEAT_SECONDS": 1}])
def test_server_sends_heartbeats_on_a_quiet_socket(live, make_visitor):
    victor = make_visitor()
    assert victor.sock.wait("heartbeat", timeout=8)["seq"] is None
    assert victor.sock.call("ping") == {}


def test_agent_presence_follows_sockets(live, make_agent):
    alice = make_agent("alice")
    bob = make_agent("bob")
    bob.sock.close()
    offline = alice.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == bob.id)
    assert offline["data"]["agent"]["status"] == "OFFLINE"
    bob.connect()
    back = alice.sock.wait("agent.status_changed",
                           lambda d: d["agent"]["id"] == bob.id and d["agent"]["status"] == "ONLINE")
    assert back
    assert bob.put("/me/status", {"status": "BUSY"}).json()["data"]["status"] == "BUSY"
    alice.sock.wait("agent.status_changed", lambda d: d["agent"]["id"] == bob.id and d["agent"]["status"] == "BUSY")
    statuses = {a["full_name"]: a["status"] for a in alice.get("/agents").json()["data"]}
    assert statuses == {"Alice": "ONLINE", "Bob": "BUSY"}


def test_typing_shows_the_name_the_visitor_gave_after_connecting(open_chat):
    alice, victor, cid = open_chat
    victor.put("/messenger/visitor", {"name": "Victor Hugo"})
    victor.sock.call("typing.start", {"conversation_id": cid})
    assert alice.sock.wait("typing.changed")["data"]["author"]["full_name"] == "Victor Hugo"


def test_timeline_pages_backwards_from_the_newest(open_chat):
    alice, victor, cid = open_chat
    for i in range(7):
        victor.say(cid, f"m{i}")
    newest = alice.get(f"/cases/{cid}/posts", before_id=2**53, limit=3).json()["data"]
    assert [p["contents"] for p in newest] == ["m6", "m5", "m4"]  # a case's posts: newest first, as Kayako's
    older = alice.get(f"/cases/{cid}/posts", before_id=newest[-1]["id"], limit=3).json()["data"]
    assert [p["contents"] for p in older] == ["m3", "m2", "m1"]
    mine = victor.get(f"/conversations/{cid}/messages", before_id=2**53, limit=2).json()["data"]
    assert [p["content_text"] for p in mine] == ["m5", "m6"]


def test_colleagues_see_who_has_a_chat_open_and_the_visitor_never_does(open_chat, make_agent):
    alice, victor, cid = open_chat
    bob = make_agent("bob")
    assert bob.sock is not None and alice.sock is not None and victor.sock is not None
    bob.sock.call("chat.viewing", {"conversation_id": cid, "viewing": True})
    got = alice.sock.wait("viewers.changed", lambda d: d["agent"]["id"] == bob.id)
    assert got["seq"] is None  # a moment, not history: never replayed after a reconnect
    assert got["data"] == {"conversation_id": cid, "viewing": True,
                           "agent": {"id": bob.id, "full_name": "Bob", "avatar_url": None}}
    bob.sock.call("chat.viewing", {"conversation_id": cid, "viewing": False})
    alice.sock.wait("viewers.changed", lambda d: d["agent"]["id"] == bob.id and not d["viewing"])
    # a colleague who joins and types reaches staff (the agent app shows "Bob is typing a reply…")
    assert bob.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
    bob.sock.call("typing.start", {"conversation_id": cid})
    alice.sock.wait("typing.changed", lambda d: d["author"]["id"] == bob.id and d["typing"])
    victor.sock.call("ping")
    assert not [f for f in victor.sock.seen if f["type"] == "viewers.changed"]
    refused = victor.sock.reply(victor.sock.command("chat.viewing", {"conversation_id": cid, "viewing": True}))
    assert refused["type"] == "error" and refused["data"]["code"] == "PERMISSION_DENIED"
    unknown = bob.sock.reply(bob.sock.command("chat.viewing", {"conversation_id": 999, "viewing": True}))
    assert unknown["type"] == "error" and unknown["data"]["code"] == "NOT_FOUND"
