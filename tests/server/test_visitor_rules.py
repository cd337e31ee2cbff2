"""Visitor rules as a site owner and agents meet them: an administrator adds rules on the current page, its
title, the referrer, the country (from a real MaxMind-format database), visits, time on site and pages
viewed; a match colours the visitor's row and names the rule (staff only — the visitor reads nothing of it),
alerts the agents online once a visit, or invites the visitor to chat from the least busy agent online.
Rules that cannot work are refused with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.test_routing import sync
from tests.support import Agent, LiveServer, Visitor


@pytest.fixture
def server_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    path = tmp_path_factory.mktemp("geo") / "city.mmdb"
    writer = MMDBWriter(ip_version=4, database_type="GeoLite2-City")
    writer.insert_network(IPSet(["81.2.69.0/24"]), {
        "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}}, "city": {"names": {"en": "London"}}})
    writer.to_db_file(str(path))
    return {"CHAT_GEOIP_DB": str(path), "CHAT_TRUST_PROXY": True}


def rule(admin: Agent, title: str, conditions: list[tuple[str, str, str]], **actions: Any) -> dict[str, Any]:
    r = admin.post("/visitors/rules", {"title": title, "conditions": [
        {"field": f, "op": o, "value": v} for f, o, v in conditions], **actions})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def row(agent: Agent, visitor: Visitor) -> dict[str, Any]:
    return agent.get(f"/visitors/{visitor.id}").json()["data"]


def test_rules_colour_and_name_the_visitors_they_match_and_only_staff_see_it(live, make_agent):
    ada = make_agent("ada", admin=True)
    rule(ada, "Checkout", [("current_url", "contains", "/checkout")], colour="#f59e0b")
    rule(ada, "From Google", [("referrer", "starts_with", "https://www.google.")], colour="#22c55e")
    rule(ada, "Pricing page", [("page_title", "equals", "pricing — acme")], colour="#3b82f6")
    rule(ada, "British", [("country", "equals", "gb")], colour="#ef4444")
    rule(ada, "Keen", [("pages_viewed", "at_least", "3"), ("time_on_site", "at_least", "60")], colour="#a855f7")
    rule(ada, "Not the blog", [("current_url", "not_contains", "/blog"), ("visits", "at_least", "2")],
         colour="#64748b")
    victor = Visitor(live, "Victor", address="81.2.69.160")
    victor.view("https://shop.example/", "Home", referrer="https://www.google.com/search?q=lamps")
    seen = row(ada, victor)
    assert seen["rules"] == ["From Google", "British"] and seen["highlight"] == "#22c55e"  # the first with a colour
    victor.view("https://shop.example/pricing", "Pricing — Acme")
    assert row(ada, victor)["rules"] == ["From Google", "Pricing page", "British"]
    for _ in range(4):  # the widget beats while the page is open: one visit, 80 s long
        live.advance(20)
        assert victor.post("/messenger/heartbeat").status_code == 200
    victor.view("https://shop.example/checkout", "Checkout")
    assert row(ada, victor)["rules"] == ["Checkout", "From Google", "British", "Keen"]
    assert row(ada, victor)["highlight"] == "#f59e0b"
    assert ada.get("/visitors").json()["data"][0]["rules"] == ["Checkout", "From Google", "British", "Keen"]

    live.advance(120)  # the visit ends (no heartbeat); a second one begins
    victor.view("https://shop.example/blog/lamps", "Blog")
    again = row(ada, victor)
    assert again["visits"] == 2 and "Not the blog" not in again["rules"]
    victor.view("https://shop.example/", "Home")
    assert "Not the blog" in row(ada, victor)["rules"]

    mine = victor.get("/messenger/visitor").json()["data"]  # what the visitor can read of themselves
    assert mine["rules"] == [] and mine["highlight"] is None
    assert victor.get("/visitors/rules").status_code == 401


def test_an_alerting_rule_tells_every_agent_once_a_visit(live, make_agent):
    ada = make_agent("ada", admin=True)
    bob = make_agent("bob")
    rule(ada, "Big basket", [("current_url", "contains", "/checkout"), ("pages_viewed", "at_least", "2")],
         alert=True)
    victor = Visitor(live, "Victor")
    victor.connect()
    victor.view("https://shop.example/checkout", "Checkout")  # one page only: no match yet
    sync(bob)
    assert not [f for f in bob.sock.seen if f["type"] == "visitor.alert"]
    victor.view("https://shop.example/checkout?step=2", "Checkout")
    alert = bob.sock.wait("visitor.alert")["data"]
    assert alert["rule"] == "Big basket" and alert["visitor"]["id"] == victor.id
    assert alert["visitor"]["current_url"] == "https://shop.example/checkout?step=2"
    victor.view("https://shop.example/checkout?step=3", "Checkout")
    assert victor.post("/messenger/heartbeat").status_code == 200
    sync(bob, ada)
    assert len([f for f in bob.sock.seen if f["type"] == "visitor.alert"]) == 1  # once a visit
    assert victor.sock is not None
    victor.sock.call("ping")
    assert not [f for f in victor.sock.seen if "Big basket" in str(f)]


def test_a_rule_invites_the_visitor_from_the_least_busy_agent_online(live: LiveServer, make_agent, make_visitor):
    ada = make_agent("ada", admin=True)
    make_agent("bob")  # free: the invitation comes from him
    busy = make_visitor("Busy")
    cid = busy.start_chat("Taking Ada's time")["id"]
    ada.sock.wait("offer.created")
    assert ada.accept(cid).status_code == 200
    rule(ada, "Pricing help", [("current_url", "contains", "/pricing"), ("time_on_site", "at_least", "30")],
         invite_message="Questions about our plans? I can help.")
    victor = Visitor(live, "Victor")
    victor.connect()
    victor.view("https://shop.example/pricing", "Pricing")
    sync(victor)
    assert victor.get("/messenger/invitations").json()["data"] == []  # not 30 s on the site yet
    live.advance(31)
    assert victor.post("/messenger/heartbeat").status_code == 200  # the widget's beat: time on site grows
    invited = victor.sock.wait("invitation.created")["data"]["invitation"]
    assert invited["message"] == "Questions about our plans? I can help."
    assert invited["agent"]["full_name"] == "Bob"  # Ada has a chat going; Bob has none
    live.advance(10)
    victor.view("https://shop.example/pricing?plan=pro", "Pricing")
    assert len(victor.get("/messenger/invitations").json()["data"]) == 1  # once a visit


def test_rules_that_cannot_work_are_refused_and_only_administrators_keep_rules(live, make_agent):
    ada = make_agent("ada", admin=True)
    bob = make_agent("bob")
    ok = {"title": "T", "conditions": [{"field": "current_url", "op": "contains", "value": "/x"}], "alert": True}
    bad = [
        ({**ok, "conditions": []}, "conditions"),
        ({**ok, "conditions": [{"field": "visits", "op": "contains", "value": "2"}]}, "conditions"),
        ({**ok, "conditions": [{"field": "visits", "op": "at_least", "value": "two"}]}, "conditions"),
        ({**ok, "conditions": [{"field": "current_url", "op": "at_least", "value": "3"}]}, "conditions"),
        ({**ok, "conditions": [{"field": "current_url", "op": "contains", "value": " "}]}, "conditions"),
        ({**ok, "conditions": [{"field": "shoe_size", "op": "equals", "value": "9"}]}, "conditions"),
        ({**ok, "colour": "red"}, "colour"),
        ({**ok, "alert": False}, "colour"),  # a rule that does nothing
        ({**ok, "title": ""}, "title"),
    ]
    for body, parameter in bad:
        r = ada.post("/visitors/rules", body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["errors"][0].get("parameter", "").split(".")[0] == parameter, (body, r.json())
    assert ada.get("/visitors/rules").json()["data"] == []
    assert bob.post("/visitors/rules", ok).status_code == 403
    made = ada.post("/visitors/rules", ok).json()["data"]
    assert bob.get("/visitors/rules").json()["data"][0]["title"] == "T"  # every agent reads them
    changed = ada.put(f"/visitors/rules/{made['id']}", {**ok, "title": "Renamed", "enabled": False})
    assert changed.status_code == 200 and changed.json()["data"]["enabled"] is False
    assert bob.delete(f"/visitors/rules/{made['id']}").status_code == 403
    assert ada.delete(f"/visitors/rules/{made['id']}").status_code == 200
    assert ada.delete(f"/visitors/rules/{made['id']}").status_code == 404
