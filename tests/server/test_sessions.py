"""Agent sessions: Basic login → session id + CSRF header, hashed passwords, logout, 454, admin-only."""

from __future__ import annotations

import requests


def test_login_returns_session_and_csrf_then_me(live):
    live.create_agent("alice@example.com", "Alice", "s3cret-pass")
    r = requests.get(live.api + "/session", auth=("alice@example.com", "s3cret-pass"), timeout=10)
    body = r.json()
    assert r.status_code == 200 and body["resource"] == "session" and body["data"]["id"]
    assert r.headers["X-CSRF-Token"] == body["data"]["csrf_token"]
    me = requests.get(live.api + "/me", headers={"X-Session-ID": body["data"]["id"]}, timeout=10).json()["data"]
    assert me["email"] == "alice@example.com" and me["full_name"] == "Alice" and "password" not in str(me)
    with live.svc.db.read() as db:
        stored = db.execute("SELECT password_hash FROM agents").fetchone()[0]
    assert "s3cret-pass" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_logout_makes_the_session_unknown(live, make_agent):
    alice = make_agent("alice", connect=False)
    assert alice.delete("/session").status_code == 200
    r = alice.get("/me")
    assert r.status_code == 454 and r.json()["errors"][0]["code"] == "SESSION_NOT_FOUND"


def test_writes_need_the_csrf_token(live, make_agent):
    alice = make_agent("alice", connect=False)
    headers = {"X-Session-ID": alice.session_id}
    r = requests.put(live.api + "/me/status", json={"status": "AWAY"}, headers=headers, timeout=10)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "CSRF_FAILED"
    assert alice.get("/me").json()["data"]["status"] == "OFFLINE"  # unchanged (and no socket)
    assert alice.put("/me/status", {"status": "AWAY"}).status_code == 200


def test_only_admins_create_agents(live, make_agent):
    boss = make_agent("boss", connect=False, admin=True)
    alice = make_agent("alice", connect=False)
    new = {"email": "bob@example.com", "full_name": "Bob", "password": "long-enough-1"}
    assert alice.post("/agents", new).status_code == 403
    created = boss.post("/agents", new)
    assert created.status_code == 201 and created.json()["data"]["max_chats"] == 4
    dup = boss.post("/agents", new)
    assert dup.status_code == 409 and dup.json()["errors"][0]["code"] == "DUPLICATE"
    assert requests.get(live.api + "/session", auth=("bob@example.com", "long-enough-1"), timeout=10).ok


def test_an_agent_renames_themselves_and_the_visitor_sees_the_new_name(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Hello?")["id"]
    assert alice.accept(cid).status_code == 200
    assert alice.post(f"/cases/{cid}/reply", {"contents": "Hi!", "client_id": "r1"}).status_code in (200, 201)
    renamed = alice.put("/me", {"full_name": "  Alice Liddell "})
    assert renamed.status_code == 200 and renamed.json()["data"]["full_name"] == "Alice Liddell"
    assert alice.get("/me").json()["data"]["full_name"] == "Alice Liddell"
    conv = victor.get(f"/conversations/{cid}").json()["data"]
    names = {m["creator"]["full_name"] for m in victor.get(f"/conversations/{cid}/messages").json()["data"]
             if m["creator"]["kind"] == "AGENT"}
    assert names == {"Alice Liddell"}, conv
    for bad in ({"full_name": ""}, {"full_name": "   "}, {"full_name": "x" * 121}, {}):
        r = alice.put("/me", bad)
        assert r.status_code == 400 and r.json()["errors"][0]["code"] in ("FIELD_REQUIRED", "FIELD_INVALID"), r.text
    assert alice.get("/me").json()["data"]["full_name"] == "Alice Liddell"  # nothing lost


def test_an_admin_changes_an_agents_limit_and_nobody_else_can(live, make_agent):
    boss = make_agent("boss", connect=False, admin=True)
    alice = make_agent("alice", connect=False, max_chats=2)
    assert alice.put(f"/agents/{alice.id}", {"max_chats": 10}).status_code == 403  # not even her own
    r = boss.put(f"/agents/{alice.id}", {"max_chats": 10})
    assert r.status_code == 200 and r.json()["data"]["max_chats"] == 10 and r.json()["data"]["full_name"] == "Alice"
    assert boss.put(f"/agents/{alice.id}", {"max_chats": 0}).status_code == 400
    assert boss.put(f"/agents/{alice.id}", {"role": "ROOT"}).status_code == 400
    assert boss.put("/agents/9999", {"max_chats": 3}).status_code == 404
    assert alice.get("/me").json()["data"]["max_chats"] == 10  # the bad requests changed nothing
