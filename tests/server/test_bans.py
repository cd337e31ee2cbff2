"""Visitor bans, as the people involved meet them: an agent bans a visitor (their address) or a network
(IPv4 /24 /16 /8, IPv6 /64 /48); the visitor's chat ends, their widget socket closes (4403) and every call
they make from there answers a neutral CHAT_NOT_AVAILABLE — never the word "ban"; other addresses chat on.
Administrators list and lift bans; an expiry ends one by itself; bad input is refused and changes nothing.

Visitors come from the addresses a trusted proxy reports (CHAT_TRUST_PROXY, X-Forwarded-For), so one test
plays visitors from many networks."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import websocket

from tests.server.test_revocation import until_close
from tests.support import Agent, LiveServer, Visitor

NOT_AVAILABLE = {"code": "CHAT_NOT_AVAILABLE", "message": "Chat is not available right now."}


@pytest.fixture
def server_config() -> dict[str, Any]:
    return {"CHAT_TRUST_PROXY": True}


def refused(r: requests.Response) -> bool:
    """The neutral refusal a banned visitor gets: 403, CHAT_NOT_AVAILABLE, and nothing that says "ban"."""
    if r.status_code != 403:
        return False
    error = r.json()["errors"][0]
    return {"code": error["code"], "message": error["message"]} == NOT_AVAILABLE and "ban" not in r.text.lower()


def can_chat(live: LiveServer, address: str) -> bool:
    """A new visitor from `address` starts a chat, or is refused (neutrally)."""
    created = requests.post(live.api + "/messenger/visitors", json={"name": "Someone"}, timeout=10,
                            headers={"X-Forwarded-For": address})
    if refused(created):
        return False
    assert created.status_code == 201, created.text
    r = requests.post(live.api + "/conversations", json={"name": "Someone", "subject": "Hello?"}, timeout=10,
                      headers={"X-Forwarded-For": address, "X-Visitor-Token": created.json()["data"]["token"]})
    assert r.status_code == 201 or refused(r), r.text
    return r.status_code == 201


def visitor_socket(live: LiveServer, visitor: Visitor) -> websocket.WebSocket:
    ws = websocket.create_connection(live.ws_url, timeout=10,
                                     header={"X-Forwarded-For": visitor.http.headers["X-Forwarded-For"]})
    ws.send(json.dumps({"v": 1, "type": "hello", "id": "h", "data": {"visitor_token": visitor.token}}))
    return ws


def ban(agent: Agent, **body: Any) -> requests.Response:
    return agent.post("/bans", body)


def test_a_banned_visitors_chat_ends_their_widget_closes_and_they_cannot_come_back(live, make_agent):
    alice = make_agent("alice")
    victor = Visitor(live, "Victor", address="203.0.113.7")
    ws = visitor_socket(live, victor)
    assert json.loads(ws.recv())["type"] == "ack"
    cid = victor.start_chat("You people are useless")["id"]
    alice.sock.wait("offer.created")
    assert alice.accept(cid).status_code == 200
    assert victor.say(cid, "I said USELESS").status_code == 201

    r = ban(alice, visitor_id=victor.id, reason="Abusive language")
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    assert (made["network"], made["prefix"], made["reason"], made["visitor_id"]) == (
        "203.0.113.7/32", 32, "Abusive language", victor.id)
    assert made["is_active"] and made["expires_at"] is None and made["created_by"]["full_name"] == "Alice"

    frames, code, reason = until_close(ws)  # the widget's socket: a neutral error, then 4403
    errors = [f["data"] for f in frames if f["type"] == "error"]
    assert errors == [NOT_AVAILABLE] and (code, reason) == (4403, "chat not available")

    ended = alice.sock.wait("conversation.updated", lambda d: d["conversation"]["status"]["type"] == "COMPLETED")
    assert ended["data"]["conversation"]["id"] == cid
    posts = alice.get(f"/cases/{cid}/posts", limit=50).json()["data"]
    texts = [p["contents"] for p in posts]  # newest first; nothing said before the ban is lost
    assert texts[:2] == ["The chat was ended", "Alice banned 203.0.113.7/32: Abusive language"]
    assert "I said USELESS" in texts
    staff_line = next(p for p in posts if p["contents"].startswith("Alice banned"))
    assert staff_line["visibility"] == "STAFF"

    assert refused(victor.get("/conversations"))
    assert refused(victor.say(cid, "let me back in"))
    assert refused(victor.post("/files", files={"file": ("x.txt", b"hi", "text/plain")}))
    assert refused(victor.view("https://shop.example/", "Home"))
    again = visitor_socket(live, victor)  # reconnecting is refused the same way
    frames, code, _ = until_close(again)
    assert [f["data"] for f in frames if f["type"] == "error"] == [NOT_AVAILABLE] and code == 4403
    assert not can_chat(live, "203.0.113.7")  # a fresh identity from the same address too
    assert can_chat(live, "203.0.113.8")  # the neighbour address is not banned

    case = alice.get(f"/cases/{cid}").json()["data"]
    assert case["status"]["type"] == "COMPLETED" and case["subject"] == "You people are useless"


def test_network_bans_cover_their_range_ipv4_and_ipv6(live, make_agent):
    alice = make_agent("alice")
    cases = [
        ({"address": "198.51.100.20", "prefix": 24}, "198.51.100.0/24", ["198.51.100.99", "::ffff:198.51.100.7"],
         ["198.51.101.1"]),
        ({"address": "172.16.9.1", "prefix": 16}, "172.16.0.0/16", ["172.16.200.3"], ["172.17.0.1"]),
        ({"address": "10.1.2.3/8"}, "10.0.0.0/8", ["10.255.0.9"], ["11.0.0.1"]),
        ({"address": "2001:db8:1:2::5", "prefix": 64}, "2001:db8:1:2::/64", ["2001:db8:1:2:abcd::1"],
         ["2001:db8:1:3::1"]),
        ({"address": "2001:db8:aa:ffff::1", "prefix": 48}, "2001:db8:aa::/48", ["2001:db8:aa:1::9"],
         ["2001:db8:ab::1", "198.51.102.1"]),
    ]
    for body, network, inside, outside in cases:
        r = ban(alice, **body)
        assert r.status_code == 201, r.text
        assert r.json()["data"]["network"] == network
        for address in inside:
            assert not can_chat(live, address), (network, address)
        for address in outside:
            assert can_chat(live, address), (network, address)


def test_bad_ban_input_is_refused_clearly_and_stores_nothing(live, make_agent):
    alice = make_agent("alice")
    ada = make_agent("ada", admin=True)
    victor = Visitor(live, "Victor", address="192.0.2.10")
    assert ban(alice, address="192.0.2.0", prefix=24).status_code == 201
    bad = [
        ({}, 400, "FIELD_REQUIRED", "address"),
        ({"address": "300.1.2.3"}, 400, "FIELD_INVALID", "address"),
        ({"address": "not an address"}, 400, "FIELD_INVALID", "address"),
        ({"address": "10.0.0.0/4"}, 400, "FIELD_INVALID", "prefix"),
        ({"address": "10.0.0.1", "prefix": 4}, 400, "FIELD_INVALID", "prefix"),
        ({"address": "10.0.0.1", "prefix": 33}, 400, "FIELD_INVALID", "prefix"),
        ({"address": "2001:db8::1", "prefix": 16}, 400, "FIELD_INVALID", "prefix"),
        ({"address": "10.0.0.1", "visitor_id": victor.id}, 400, "FIELD_INVALID", "address"),
        ({"visitor_id": 999999}, 404, "NOT_FOUND", "visitor_id"),
        ({"address": "10.0.0.1", "expires_in": 5}, 400, "FIELD_INVALID", "expires_in"),
        ({"address": "10.0.0.1", "reason": "x" * 501}, 400, "FIELD_INVALID", "reason"),
        ({"address": "192.0.2.77", "prefix": 24}, 409, "DUPLICATE", "address"),  # the same network again
    ]
    for body, status, code, parameter in bad:
        r = ban(alice, **body)
        assert r.status_code == status, (body, r.text)
        error = r.json()["errors"][0]
        assert (error["code"], error.get("parameter")) == (code, parameter), (body, error)
        assert error["message"]
    listed = ada.get("/bans").json()
    assert listed["total_count"] == 1 and listed["data"][0]["network"] == "192.0.2.0/24"


def test_administrators_review_and_lift_bans_live_and_agents_cannot(live, make_agent):
    alice = make_agent("alice")
    ada = make_agent("ada", admin=True)
    r = ban(alice, address="203.0.113.50", reason="Spam links")
    ban_id = r.json()["data"]["id"]
    created = ada.sock.wait("ban.created")["data"]["ban"]  # every agent's app hears of it at once
    assert created["id"] == ban_id and created["network"] == "203.0.113.50/32"
    assert not can_chat(live, "203.0.113.50")

    for denied in (alice.get("/bans"), alice.get(f"/bans/{ban_id}"), alice.delete(f"/bans/{ban_id}")):
        assert denied.status_code == 403 and denied.json()["errors"][0]["code"] == "PERMISSION_DENIED"
    active = ada.get("/bans").json()
    assert [b["id"] for b in active["data"]] == [ban_id] and active["data"][0]["reason"] == "Spam links"

    lifted = ada.delete(f"/bans/{ban_id}")
    assert lifted.status_code == 200, lifted.text
    assert not lifted.json()["data"]["is_active"] and lifted.json()["data"]["lifted_by"]["full_name"] == "Ada"
    assert alice.sock.wait("ban.lifted")["data"]["ban"]["id"] == ban_id
    again = ada.delete(f"/bans/{ban_id}")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "INVALID_STATE"
    assert can_chat(live, "203.0.113.50")
    assert ada.get("/bans").json()["total_count"] == 0
    assert [b["id"] for b in ada.get("/bans", state="ended").json()["data"]] == [ban_id]  # kept on record
    assert ada.get("/bans", state="ALL").json()["total_count"] == 1
    assert ada.get("/bans", state="sometimes").status_code == 400
    assert ada.get("/bans/999999").status_code == 404


def test_a_ban_with_an_expiry_ends_by_itself(live, make_agent):
    alice = make_agent("alice")
    ada = make_agent("ada", admin=True)
    r = ban(alice, address="2001:db8:5::1", prefix=48, expires_in=3600, reason="Cool down")
    assert r.status_code == 201, r.text
    assert r.json()["data"]["expires_at"] is not None
    assert not can_chat(live, "2001:db8:5:1::2")
    live.advance(3599)
    assert not can_chat(live, "2001:db8:5:1::3")
    live.advance(2)
    assert can_chat(live, "2001:db8:5:1::4")
    ended = ada.get("/bans", state="ended").json()["data"]
    assert len(ended) == 1 and not ended[0]["is_active"] and ended[0]["lifted_at"] is None


def test_a_visitor_whose_address_is_unknown_cannot_be_banned_by_visitor(live, make_agent):
    """The embedded server may see no address (a Unix socket); the agent is told to ban an address instead."""
    alice = make_agent("alice")
    victor = Visitor(live, "Victor", address="unknown")  # the proxy reports something that is no address
    r = ban(alice, visitor_id=victor.id)
    assert r.status_code == 409 and r.json()["errors"][0]["parameter"] == "visitor_id"
    assert "ban an address instead" in r.json()["errors"][0]["message"]
    assert victor.start_chat("still fine")["id"]
    assert alice.get("/visitors", online="false").json()["total_count"] == 1
