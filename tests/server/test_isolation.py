"""Isolation: one visitor never reads another's chats, posts or files; observers and staff-only posts
never reach a visitor, over the socket or REST (filtered on the server)."""

from __future__ import annotations

import io
import uuid


def test_visitor_cannot_read_or_write_another_visitors_chat(live, make_agent, make_visitor):
    alice = make_agent("alice")
    ann = make_visitor("Ann")
    bea = make_visitor("Bea")
    cid = ann.start_chat("Ann's private question")["id"]
    alice.accept(cid)
    ann.say(cid, "my card number ends 4242")
    for r in (bea.get(f"/conversations/{cid}"), bea.get(f"/conversations/{cid}/messages"),
              bea.say(cid, "hijack"), bea.put(f"/conversations/{cid}/end"),
              bea.post(f"/conversations/{cid}/ratings", {"score": "BAD"})):
        assert r.status_code == 404 and r.json()["errors"][0]["code"] == "NOT_FOUND"
    ref = bea.sock.command("message.send", {"conversation_id": cid, "client_id": "x", "contents": "hijack"})
    assert bea.sock.reply(ref)["data"]["code"] == "NOT_FOUND"
    ref = bea.sock.command("typing.start", {"conversation_id": cid})
    assert bea.sock.reply(ref)["type"] == "error"
    assert bea.get("/conversations").json()["data"] == []
    bea.sock.drain()
    assert not [f for f in bea.sock.seen if f["type"] in ("message.created", "chat.updated")]
    assert ann.get(f"/conversations/{cid}").json()["data"]["status"]["type"] == "OPEN"
    texts = [p["content_text"] for p in ann.get(f"/conversations/{cid}/messages").json()["data"]]
    assert "hijack" not in texts


def test_observer_and_whispers_never_reach_the_visitor(live, make_agent, make_visitor):
    bob = make_agent("bob")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Order status")["id"]
    bob.accept(cid)
    alice = make_agent("alice")
    assert alice.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
    bob.sock.wait("message.created", lambda d: "observing" in d["post"]["contents"])
    bob.reply(cid, "Alice, is this the damaged-parcel case?", visibility="STAFF")
    alice.reply(cid, "Yes, offer a refund", visibility="STAFF")
    alice.sock.call("typing.start", {"conversation_id": cid})
    bob.reply(cid, "Victor, we will refund you.")
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Victor, we will refund you.")
    victor.sock.drain()
    everything = str(victor.sock.seen)
    assert "Alice" not in everything and "observing" not in everything and "refund you" in everything
    assert "damaged-parcel" not in everything and "offer a refund" not in everything
    rest = victor.get(f"/conversations/{cid}/messages").json()
    assert {p["resource_type"] for p in rest["data"]} == {"case_message"}  # messages: never a staff post
    assert "Alice" not in str(rest) and "damaged-parcel" not in str(rest)
    agents = victor.get(f"/conversations/{cid}").json()["data"]["agents"]
    assert [a["full_name"] for a in agents] == ["Bob"]
    staff_view = bob.get(f"/cases/{cid}").json()["data"]["participants"]
    assert {(p["agent"]["full_name"], p["role"]) for p in staff_view} == {("Bob", "OWNER"), ("Alice", "OBSERVER")}


def test_visitor_cannot_fetch_files_of_another_visitors_chat(live, make_agent, make_visitor):
    alice = make_agent("alice", max_chats=5)
    ann, bea = make_visitor("Ann"), make_visitor("Bea")
    cid = ann.start_chat("Invoice")["id"]
    alice.accept(cid)
    fid = alice.post("/files", files={"file": ("invoice.pdf", io.BytesIO(b"%PDF"), "application/pdf")}).json()["data"]
    alice.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), "kind": "FILE", "file_id": fid["id"]})
    assert ann.get(f"/files/{fid['id']}").status_code == 200
    assert bea.get(f"/files/{fid['id']}").status_code == 403
    assert bea.get(f"/files/{fid['id']}/content").status_code == 403
    # Bea's own chat cannot reference Ann's file either.
    bea_cid = bea.start_chat("Mine")["id"]
    r = bea.post(f"/conversations/{bea_cid}/messages", {"client_id": "z", "contents": "x", "file_id": fid["id"]})
    assert r.status_code == 400
