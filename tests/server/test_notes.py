"""Notes on visitors, as agents and visitors meet them: an agent keeps a note on a visitor (optionally from one
of their chats); every agent reads it, newest first with author and time, and hears of it at once; the
visitor never does — not over REST, not on their socket. Only its author or an administrator deletes one."""

from __future__ import annotations

import requests


def test_every_agent_reads_a_note_at_once_and_the_visitor_never_does(live, make_agent, make_visitor, open_chat):
    alice, victor, cid = open_chat
    bob = make_agent("bob")
    first = alice.post(f"/visitors/{victor.id}/notes", {"body_text": "Ordered the blue lamp, #4411"})
    assert first.status_code == 201, first.text
    note = first.json()["data"]
    assert note["body_text"] == "Ordered the blue lamp, #4411" and note["creator"]["full_name"] == "Alice"
    assert note["visitor_id"] == victor.id and note["conversation_id"] is None and note["created_at"]
    heard = bob.sock.wait("note.created")["data"]["note"]
    assert heard["id"] == note["id"] and heard["creator"]["full_name"] == "Alice"

    live.advance(60)
    second = bob.post(f"/visitors/{victor.id}/notes", {"body_text": "Prefers e-mail", "conversation_id": cid})
    assert second.status_code == 201 and second.json()["data"]["conversation_id"] == cid
    listed = alice.get(f"/visitors/{victor.id}/notes").json()
    assert listed["total_count"] == 2
    assert [(n["body_text"], n["creator"]["full_name"]) for n in listed["data"]] == [
        ("Prefers e-mail", "Bob"), ("Ordered the blue lamp, #4411", "Alice")]  # newest first

    # The visitor: no note on their socket, no way to read them, nothing in what they read about themselves.
    assert victor.sock is not None
    victor.sock.call("ping")
    assert not [f for f in victor.sock.seen if f["type"].startswith("note.")]
    for r in (victor.get(f"/visitors/{victor.id}/notes"), victor.get("/messenger/visitor"),
              victor.get(f"/conversations/{cid}/messages")):
        assert "Prefers e-mail" not in r.text and "blue lamp" not in r.text
    assert victor.get(f"/visitors/{victor.id}/notes").status_code in (401, 403)
    anonymous = requests.get(f"{live.api}/visitors/{victor.id}/notes", timeout=10)
    assert anonymous.status_code == 401


def test_bad_notes_are_refused_and_change_nothing(live, make_agent, make_visitor, open_chat):
    alice, victor, cid = open_chat
    other = make_visitor("Olga", connect=False)
    other_chat = other.start_chat("Mine")["id"]
    cases = [
        ({"body_text": ""}, 400, "FIELD_REQUIRED", "body_text"),
        ({"body_text": "   "}, 400, "FIELD_REQUIRED", "body_text"),
        ({"body_text": "x" * 2001}, 400, "FIELD_INVALID", "body_text"),
        ({}, 400, "FIELD_REQUIRED", "body_text"),
        ({"body_text": "hi", "conversation_id": other_chat}, 400, "FIELD_INVALID", "conversation_id"),
        ({"body_text": "hi", "colour": "red"}, 400, "FIELD_UNEXPECTED", "colour"),
    ]
    for body, status, code, parameter in cases:
        r = alice.post(f"/visitors/{victor.id}/notes", body)
        assert r.status_code == status, (body, r.text)
        assert (r.json()["errors"][0]["code"], r.json()["errors"][0].get("parameter")) == (code, parameter), body
    assert alice.post("/visitors/999999/notes", {"body_text": "hi"}).status_code == 404
    assert alice.get(f"/visitors/{victor.id}/notes").json()["total_count"] == 0
    assert cid


def test_only_the_author_or_an_administrator_deletes_a_note(live, make_agent, make_visitor):
    alice = make_agent("alice")
    bob = make_agent("bob")
    ada = make_agent("ada", admin=True)
    victor = make_visitor("Victor", connect=False)
    mine = alice.post(f"/visitors/{victor.id}/notes", {"body_text": "VIP"}).json()["data"]["id"]
    theirs = alice.post(f"/visitors/{victor.id}/notes", {"body_text": "Asked about returns"}).json()["data"]["id"]
    denied = bob.delete(f"/visitors/notes/{mine}")
    assert denied.status_code == 403 and denied.json()["errors"][0]["code"] == "PERMISSION_DENIED"
    assert alice.delete(f"/visitors/notes/{mine}").status_code == 200
    assert bob.sock.wait("note.deleted")["data"] == {"note_id": mine, "visitor_id": victor.id}
    assert ada.delete(f"/visitors/notes/{theirs}").status_code == 200
    assert alice.delete(f"/visitors/notes/{theirs}").status_code == 404
    assert alice.get(f"/visitors/{victor.id}/notes").json()["total_count"] == 0
