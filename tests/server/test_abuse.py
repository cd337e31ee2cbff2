"""Bounded resources for anonymous callers: sockets per visitor token, new visitors and offline messages per
client address (429 RATE_LIMIT_REACHED + Retry-After), and JSON depth (brackets inside strings are text)."""

from __future__ import annotations

import json
import struct
import time
from typing import Any

import pytest
import requests
import websocket

from tests.support import LiveServer, Visitor

SOCKETS = 3


@pytest.fixture
def server_config() -> dict[str, Any]:
    return {"CHAT_TRUST_PROXY": True, "CHAT_VISITOR_SOCKETS": SOCKETS, "CHAT_VISITOR_CREATE_LIMIT": 5,
            "CHAT_VISITOR_CREATE_WINDOW": 60, "CHAT_OFFLINE_MESSAGE_LIMIT": 2, "CHAT_OFFLINE_MESSAGE_WINDOW": 600}


def new_visitor(live: LiveServer, ip: str) -> requests.Response:
    return requests.post(live.api + "/messenger/visitors", json={"name": "Bot"}, timeout=10,
                         headers={"X-Forwarded-For": ip})


def visitor_socket(live: LiveServer, token: str) -> tuple[websocket.WebSocket, dict[str, Any]]:
    ws = websocket.create_connection(live.ws_url, timeout=10)
    ws.send(json.dumps({"v": 1, "type": "hello", "id": "h", "data": {"visitor_token": token}}))
    return ws, json.loads(ws.recv())


def test_a_visitor_token_holds_a_few_sockets_and_the_next_is_refused(open_chat, live):
    alice, victor, cid = open_chat  # victor already has one socket
    extra = [visitor_socket(live, victor.token) for _ in range(SOCKETS - 1)]
    assert [ack["type"] for _, ack in extra] == ["ack"] * (SOCKETS - 1)

    ws, refusal = visitor_socket(live, victor.token)
    assert refusal["type"] == "error" and refusal["ref"] == "h"
    assert refusal["data"]["code"] == "RATE_LIMIT_REACHED" and str(SOCKETS) in refusal["data"]["message"]
    opcode, frame = ws.recv_data_frame(True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and struct.unpack("!H", frame.data[:2])[0] == 1008

    # An agent's message fans out to the sockets that were let in, no more.
    assert alice.reply(cid, "One answer").status_code == 201
    for sock, _ in extra:
        while json.loads(sock.recv())["type"] != "message.created":
            pass
    assert live.svc.hub.count("visitor", victor.id) == SOCKETS

    # Closing one makes room again (a reloaded tab reconnects).
    extra[0][0].close()
    deadline = time.monotonic() + 5
    while live.svc.hub.count("visitor", victor.id) >= SOCKETS and time.monotonic() < deadline:
        time.sleep(0.01)  # the server notices the close on its own thread
    again, ack = visitor_socket(live, victor.token)
    assert ack["type"] == "ack"
    for sock in [again] + [s for s, _ in extra[1:]]:
        sock.close()


def test_new_visitors_are_limited_per_address(live):
    for i in range(5):  # the proxy appends the address it saw; what the client put before it is not trusted
        assert new_visitor(live, f"10.9.9.{i}, 203.0.113.5").status_code == 201
    assert new_visitor(live, "10.9.9.77, 203.0.113.5").status_code == 429
    refused = new_visitor(live, "203.0.113.5")
    assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "RATE_LIMIT_REACHED"
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60 and str(wait) in refused.json()["errors"][0]["message"]
    assert new_visitor(live, "198.51.100.7").status_code == 201  # another address is not affected
    live.clock.advance(wait)
    assert new_visitor(live, "203.0.113.5").status_code == 201
    with live.svc.db.read() as db:
        assert db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] == 7  # the refused one made nothing


def test_offline_messages_are_limited_per_address(live):
    body = {"name": "Bot", "email": "bot@example.com", "subject": "Buy now", "message": "Cheap watches"}
    visitors = [Visitor(live, f"Bot {i}") for i in range(3)]
    for v in visitors:
        v.http.headers["X-Forwarded-For"] = "203.0.113.66"
    assert [v.post("/messenger/offline_messages", body).status_code for v in visitors] == [201, 201, 429]
    refused = visitors[2].post("/messenger/offline_messages", body)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 600
    with live.svc.db.read() as db:
        assert db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 2


def test_brackets_inside_strings_are_text_not_depth(open_chat):
    alice, victor, cid = open_chat
    deep_looking = "[" * 2000 + "{" * 2000 + '\\" ]]] "'
    r = victor.say(cid, deep_looking)
    assert r.status_code == 201 and r.json()["data"]["content_text"] == deep_looking
    ack = victor.sock.call("message.send", {"conversation_id": cid, "client_id": "deep-text", "contents": deep_looking})
    assert ack["post"]["content_text"] == deep_looking
    nested_ok = json.loads('{"a": ' * 31 + "1" + "}" * 31)  # 32 levels with the body itself: allowed
    r = requests.post(victor.live.api + "/messenger/visitors", json={"name": "N", "extra": nested_ok}, timeout=10)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "FIELD_UNEXPECTED"  # parsed, then judged
