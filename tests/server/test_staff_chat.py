"""Staff chat as agents use it: one writes to another, both of their apps hear it at once, a retry sends
nothing twice, the reader's "read" reaches the writer; a colleague asked to help in a chat joins it as a
whisper-only helper. Nothing of it ever reaches a visitor — not on their socket, not over REST — and no
third agent reads a conversation between two others."""

from __future__ import annotations

import uuid

import requests

from tests.server.test_routing import sync


def write(sender, recipient, text: str, client_id: str | None = None) -> requests.Response:
    return sender.post("/staff/messages", {"to_agent_id": recipient.id, "contents": text,
                                           "client_id": client_id or str(uuid.uuid4())})


def test_two_agents_chat_and_a_third_reads_nothing_of_it(live, make_agent):
    alice, bob, carl = make_agent("alice"), make_agent("bob"), make_agent("carl")
    key = str(uuid.uuid4())
    first = write(alice, bob, "Can you take the next refund chat?", key)
    assert first.status_code == 201, first.text
    message = first.json()["data"]
    assert (message["sender"]["full_name"], message["recipient"]["full_name"], message["read_at"]) == ("Alice", "Bob", None)
    heard = bob.sock.wait("staff.message_created")["data"]["message"]
    assert heard["id"] == message["id"] and heard["contents"] == "Can you take the next refund chat?"
    assert alice.sock.wait("staff.message_created")["data"]["message"]["id"] == message["id"]  # her other windows
    again = write(alice, bob, "Can you take the next refund chat?", key)
    assert again.status_code == 200 and again.json()["data"]["id"] == message["id"]  # a retry: not twice
    assert write(bob, alice, "Sure!").status_code == 201

    threads = {t["agent"]["full_name"]: t for t in bob.get("/staff/threads").json()["data"]}
    assert list(threads)[0] == "Alice" and threads["Alice"]["unread"] == 1
    assert threads["Alice"]["last_message"]["contents"] == "Sure!" and threads["Carl"]["last_message"] is None
    thread = bob.get("/staff/messages", with_agent_id=alice.id).json()
    assert [m["contents"] for m in thread["data"]] == ["Sure!", "Can you take the next refund chat?"]
    assert thread["total_count"] == 2

    read = bob.put("/staff/messages/read", {"with_agent_id": alice.id, "up_to_id": message["id"]})
    assert read.status_code == 200 and read.json()["data"]["marked"] == 1
    told = alice.sock.wait("staff.messages_read")["data"]
    assert (told["reader_id"], told["sender_id"], told["up_to_id"]) == (bob.id, alice.id, message["id"])
    assert {t["agent"]["full_name"]: t["unread"] for t in bob.get("/staff/threads").json()["data"]}["Alice"] == 0

    sync(carl)
    assert not [f for f in carl.sock.seen if f["type"].startswith("staff.")]
    assert carl.get("/staff/messages", with_agent_id=alice.id).json()["data"] == []


def test_bad_staff_messages_are_refused_and_send_nothing(live, make_agent, make_visitor):
    alice, bob = make_agent("alice"), make_agent("bob")
    victor = make_visitor("Victor", connect=False)
    cases = [
        ({"to_agent_id": alice.id, "contents": "me", "client_id": "a"}, 400, "FIELD_INVALID", "to_agent_id"),
        ({"to_agent_id": 9999, "contents": "hi", "client_id": "b"}, 404, "NOT_FOUND", "to_agent_id"),
        ({"to_agent_id": bob.id, "contents": "   ", "client_id": "c"}, 400, "FIELD_REQUIRED", "contents"),
        ({"to_agent_id": bob.id, "contents": "x" * 5001, "client_id": "d"}, 400, "FIELD_INVALID", "contents"),
        ({"to_agent_id": bob.id, "contents": "hi"}, 400, "FIELD_REQUIRED", "client_id"),
    ]
    for body, status, code, parameter in cases:
        r = alice.post("/staff/messages", body)
        assert r.status_code == status, (body, r.text)
        assert (r.json()["errors"][0]["code"], r.json()["errors"][0].get("parameter")) == (code, parameter)
    assert victor.post("/staff/messages", {"to_agent_id": bob.id, "contents": "hi", "client_id": "e"}).status_code == 401
    assert victor.get("/staff/threads").status_code == 401
    assert bob.get("/staff/messages", with_agent_id=alice.id).json()["total_count"] == 0


def test_a_colleague_asked_to_help_joins_as_a_whisper_only_helper(live, make_agent, open_chat):
    alice, victor, cid = open_chat
    bob, carl = make_agent("bob"), make_agent("carl")
    r = alice.post(f"/cases/{cid}/help_requests", {"agent_id": bob.id, "client_id": "help-1"})
    assert r.status_code == 201, r.text
    asked = r.json()["data"]
    assert asked["conversation_id"] == cid and asked["contents"] == "Can you help me in the chat with Victor?"
    assert bob.sock.wait("staff.message_created")["data"]["message"]["conversation_id"] == cid
    assert bob.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
    assert bob.post(f"/cases/{cid}/reply", {"contents": "Offer the 10% code", "channel": "NOTE",
                                             "client_id": "n1"}).status_code == 201
    assert alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Offer the 10% code")

    again = alice.post(f"/cases/{cid}/help_requests", {"agent_id": bob.id, "client_id": "help-2"})
    assert again.status_code == 409 and "already in this chat" in again.json()["errors"][0]["message"]
    outsider = carl.post(f"/cases/{cid}/help_requests", {"agent_id": bob.id, "client_id": "help-3"})
    assert outsider.status_code == 403  # only the agents in the chat ask for help in it

    sync(victor)
    seen = [f for f in victor.sock.seen]
    assert not [f for f in seen if f["type"].startswith("staff.")]
    assert not [f for f in seen if "Bob" in str(f["data"]) or "10% code" in str(f["data"])]
    messages = victor.get(f"/conversations/{cid}/messages").text
    assert "10% code" not in messages and "help me" not in messages
    assert [a["full_name"] for a in victor.get(f"/conversations/{cid}").json()["data"]["agents"]] == ["Alice"]

    assert alice.post(f"/cases/{cid}/end").status_code == 200
    ended = alice.post(f"/cases/{cid}/help_requests", {"agent_id": carl.id, "client_id": "help-4"})
    assert ended.status_code == 409 and ended.json()["errors"][0]["code"] == "CONVERSATION_CLOSED"
