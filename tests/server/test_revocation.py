"""Revoking a session (logging out) closes every socket of that session within a second, with an `error`
frame SESSION_NOT_FOUND and close code 4401, and the session can never be resumed: nothing sent on it
after the logout is acked or delivered. Other sessions of the same agent are untouched."""

from __future__ import annotations

import json
import struct
import time
from typing import Any

import requests
import websocket

from tests.support import Agent, LiveServer


def hello(live: LiveServer, session_id: str, last_seq: int | None = None) -> websocket.WebSocket:
    ws = websocket.create_connection(live.ws_url, timeout=10)
    data: dict[str, Any] = {"session_id": session_id}
    if last_seq is not None:
        data["last_seq"] = last_seq
    ws.send(json.dumps({"v": 1, "type": "hello", "id": "h", "data": data}))
    return ws


def until_close(ws: websocket.WebSocket, timeout: float = 5.0) -> tuple[list[dict[str, Any]], int, str]:
    """Text frames received until the server's close frame, and that frame's code and reason."""
    ws.settimeout(timeout)
    frames = []
    while True:
        opcode, frame = ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return frames, struct.unpack("!H", frame.data[:2])[0], frame.data[2:].decode()
        if opcode == websocket.ABNF.OPCODE_TEXT:
            frames.append(json.loads(frame.data))


def test_logout_closes_every_socket_of_the_session_within_a_second(live, make_agent, open_chat):
    alice, victor, cid = open_chat
    tab1, tab2 = hello(live, alice.session_id), hello(live, alice.session_id)
    for ws in (tab1, tab2):
        assert json.loads(ws.recv())["type"] == "ack"
    laptop = Agent(live, "alice@example.com")  # Alice's other session (another device) stays logged in
    laptop.connect()

    started = time.monotonic()
    assert alice.delete("/session").status_code == 200
    for ws in (tab1, tab2):
        frames, code, reason = until_close(ws)
        assert time.monotonic() - started < 1.0, "closed within a second"
        assert (code, reason) == (4401, "session revoked")
        assert frames[-1]["type"] == "error" and frames[-1]["data"]["code"] == "SESSION_NOT_FOUND", frames
    alice.sock.closed.wait(1.0)
    assert alice.sock.closed.is_set(), "the fixture's own socket of that session is closed too"

    # The other session still works and still hears the chat.
    assert victor.say(cid, "Anyone still there?").status_code == 201
    laptop.sock.wait("message.created", lambda d: d["post"]["contents"] == "Anyone still there?")
    assert laptop.get("/me").status_code == 200
    laptop.sock.close()


def test_a_send_racing_the_logout_is_neither_acked_nor_delivered(live, open_chat):
    alice, victor, cid = open_chat
    ws = hello(live, alice.session_id)
    assert json.loads(ws.recv())["type"] == "ack"
    victor.sock.call("ping")
    seen_before = len(victor.sock.seen)

    assert alice.delete("/session").status_code == 200
    try:  # the socket may already be gone: then the frame never leaves this process
        ws.send(json.dumps({"v": 1, "type": "message.send", "id": "late", "data": {
            "conversation_id": cid, "client_id": "after-logout", "contents": "sent after logging out"}}))
    except websocket.WebSocketException:
        pass
    frames, code, _ = until_close(ws)
    assert code == 4401
    assert not [f for f in frames if f.get("ref") == "late" and f["type"] == "ack"], frames

    victor.sock.call("ping")  # every event published before this ack has arrived
    assert "sent after logging out" not in str(victor.sock.seen[seen_before:])
    texts = [p["content_text"] for p in victor.get(f"/conversations/{cid}/messages").json()["data"]]
    assert "sent after logging out" not in texts


def test_a_revoked_session_cannot_resume(live, open_chat):
    alice, victor, cid = open_chat
    alice.sock.call("ping")
    last = alice.sock.last_seq or 0
    assert alice.delete("/session").status_code == 200
    assert victor.say(cid, "missed while logged out").status_code == 201

    ws = hello(live, alice.session_id, last_seq=last)
    frames, code, _ = until_close(ws)
    assert [f["type"] for f in frames] == ["error"] and frames[0]["data"]["code"] == "SESSION_NOT_FOUND"
    assert frames[0]["ref"] == "h"
    assert "missed while logged out" not in str(frames), "nothing is replayed to a revoked session"
    assert alice.get("/me").status_code == 454
    assert alice.reply(cid, "still me?").status_code == 454


def test_a_disabled_account_is_signed_out_everywhere_cannot_sign_in_and_its_chats_go_on(live, make_agent, open_chat):
    alice, victor, cid = open_chat  # Alice owns Victor's chat
    boss = make_agent("boss", admin=True, connect=False)  # at her desk, not taking chats
    bob = make_agent("bob")
    tab = hello(live, alice.session_id)
    assert json.loads(tab.recv())["type"] == "ack"
    r = boss.put(f"/agents/{alice.id}", {"is_enabled": False})
    assert r.status_code == 200 and r.json()["data"]["is_enabled"] is False
    _, code, reason = until_close(tab)
    assert (code, reason) == (4401, "session revoked")
    assert alice.get("/me").status_code == 454
    login = requests.get(live.api + "/session", auth=("alice@example.com", "correct-horse"), timeout=10)
    error = login.json()["errors"][0]
    assert login.status_code == 401 and error["message"] == "This account is disabled: ask an administrator"
    wrong = requests.get(live.api + "/session", auth=("alice@example.com", "wrong-horse"), timeout=10)
    assert wrong.json()["errors"][0]["message"] == "The email or password is incorrect"  # nothing told to guessers
    # Her chat went back to the queue at once and rings the next agent; the visitor is told she left.
    offer = bob.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)["data"]["offer"]
    assert offer["conversation"]["status"]["type"] == "NEW"
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Alice left the chat")
    staff = [p["contents"] for p in boss.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert "Alice's account was disabled: they left the chat" in staff
    assert "disabled" not in str(victor.get(f"/conversations/{cid}/messages", limit=50).json())
    # The only administrator cannot be disabled; re-enabled, Alice signs in again.
    r = boss.put(f"/agents/{boss.id}", {"is_enabled": False})
    assert (r.status_code, r.json()["errors"][0]["parameter"]) == (409, "is_enabled")
    assert boss.put(f"/agents/{alice.id}", {"is_enabled": True}).status_code == 200
    assert requests.get(live.api + "/session", auth=("alice@example.com", "correct-horse"), timeout=10).status_code == 200
