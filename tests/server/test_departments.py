"""Departments (Kayako: teams) over the real server, as a site owner, visitors and agents meet them:
administrators make departments (one inside another) and put agents in them; the widget offers the public ones
that have someone online; a chat asked of a department rings only its agents (and those of the department
above it), one at a time with the usual rules; a transfer to a department rings its agents in turn, or says
nobody there can take it. Bad input is refused clearly and changes nothing."""

from __future__ import annotations

from typing import Any

from tests.server.test_routing import offered, offers_seen, sync
from tests.support import Agent, LiveServer, Visitor


def team(admin: Agent, title: str, agents: list[Agent], **extra: Any) -> int:
    r = admin.post("/teams", {"title": title, "agent_ids": [a.id for a in agents], **extra})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def ask(live: LiveServer, department: int | None, subject: str = "Help?") -> tuple[Visitor, int]:
    visitor = Visitor(live, "Victor")
    r = visitor.post("/conversations", {"name": "Victor", "subject": subject, "department_id": department})
    assert r.status_code == 201, r.text
    return visitor, int(r.json()["data"]["id"])


def test_a_departments_chat_rings_only_its_agents_one_at_a_time(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam, sue, tom = make_agent("sam"), make_agent("sue"), make_agent("tom")
    sales = team(ada, "Sales", [sam, sue])
    support = team(ada, "Support", [tom])
    status = Visitor(live, "Peek").get("/messenger/status").json()["data"]
    assert status["departments"] == [{"id": sales, "title": "Sales", "available": True},
                                     {"id": support, "title": "Support", "available": True}]

    _, cid = ask(live, sales)
    first = offered(sam, cid)  # least recently offered first, among Sales only
    assert first["conversation"]["assigned_team"] == {"id": sales, "title": "Sales"}
    over_rest = sam.get(f"/cases/{cid}").json()["data"]["assigned_team"]  # REST adds Kayako's resource fields
    assert over_rest == {"id": sales, "title": "Sales", "resource_type": "team",
                         "resource_url": f"{live.url}/api/v1/teams/{sales}"}
    assert sam.decline(cid).status_code == 200
    offered(sue, cid)
    assert sue.decline(cid).status_code == 200  # nobody left in Sales: it waits; Tom and Ada never ring
    sync(tom, ada, sam, sue)
    assert offers_seen(tom, cid) == [] and offers_seen(ada, cid) == []
    case = sam.get(f"/cases/{cid}").json()["data"]
    assert case["status"]["type"] == "NEW" and case["assigned_team"]["title"] == "Sales"


def test_agents_of_a_department_above_take_its_chats_and_the_widget_hides_private_ones(live, make_agent):
    ada = make_agent("ada", admin=True)
    boss, eve = make_agent("boss"), make_agent("eve")
    sales = team(ada, "Sales", [boss])
    enterprise = team(ada, "Enterprise", [eve], parent_id=sales)
    team(ada, "Back office", [ada], is_public=False)
    listed = {d["title"] for d in Visitor(live, "Peek").get("/messenger/status").json()["data"]["departments"]}
    assert listed == {"Sales", "Enterprise"}  # the private one is not offered
    _, cid = ask(live, enterprise)
    offered(boss, cid)  # the head of Sales takes Enterprise's chats too (never offered one: he rings first)
    assert boss.decline(cid).status_code == 200
    offered(eve, cid)
    assert eve.accept(cid).status_code == 200
    sync(ada)
    assert offers_seen(ada, cid) == []
    teams = {t["title"]: t for t in ada.get("/teams").json()["data"]}
    assert teams["Enterprise"]["parent_id"] == sales and [a["full_name"] for a in teams["Enterprise"]["agents"]] == ["Eve"]
    assert teams["Enterprise"]["online_agents"] == 2  # Eve, and Boss above her
    me = boss.get("/me").json()["data"]
    assert [t["title"] for t in me["teams"]] == ["Sales"]


def test_a_department_with_nobody_online_is_offered_as_offline(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam = make_agent("sam", connect=False)
    sales = team(ada, "Sales", [sam])
    status = Visitor(live, "Peek").get("/messenger/status").json()["data"]
    assert status["departments"] == [{"id": sales, "title": "Sales", "available": False}]
    assert status["agents_available"] is True  # Ada is online, just not in Sales
    visitor = Visitor(live, "Olga")
    r = visitor.post("/messenger/offline_messages", {"name": "Olga", "email": "olga@example.com",
                                                     "subject": "Quote", "message": "Call me", "department_id": sales})
    assert r.status_code == 201
    offline = ada.get(f"/cases/{r.json()['data']['id']}").json()["data"]
    assert offline["is_offline_message"] and offline["assigned_team"]["title"] == "Sales"


def test_a_transfer_to_a_department_rings_its_agents_in_turn(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam, sue = make_agent("sam"), make_agent("sue")
    billing = team(ada, "Billing", [sam, sue])
    visitor, cid = ask(live, None)
    offered(ada, cid)  # the first agent, never offered a chat: she rings first
    owner = ada
    assert owner.accept(cid).status_code == 200
    r = owner.post(f"/cases/{cid}/transfer", {"department_id": billing})
    assert r.status_code == 200, r.text
    first = offered(sam, cid)
    assert first["transfer_from"]["id"] == owner.id
    assert sam.decline(cid).status_code == 200
    offered(sue, cid)  # the department's next agent
    assert sue.accept(cid).status_code == 200
    case = sue.get(f"/cases/{cid}").json()["data"]
    assert case["assigned_agent"]["full_name"] == "Sue" and case["assigned_team"]["title"] == "Billing"
    lines = [p["contents"] for p in sue.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert f"{owner.name} is transferring the chat to Billing" in lines
    assert "Sam declined the transfer" in lines
    assert visitor.get(f"/conversations/{cid}").json()["data"]["assigned_agent"]["full_name"] == "Sue"


def test_a_transfer_to_a_department_nobody_can_take_is_refused_and_changes_nothing(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam = make_agent("sam", connect=False)
    nights = team(ada, "Nights", [sam])
    _, cid = ask(live, None)
    offered(ada, cid)
    assert ada.accept(cid).status_code == 200
    r = ada.post(f"/cases/{cid}/transfer", {"department_id": nights})
    assert r.status_code == 409
    error = r.json()["errors"][0]
    assert (error["code"], error["parameter"]) == ("AGENT_UNAVAILABLE", "department_id")
    assert error["message"] == "Nobody in Nights can take a chat now"
    case = ada.get(f"/cases/{cid}").json()["data"]
    assert case["assigned_team"] is None and case["assigned_agent"]["full_name"] == "Ada"
    for body in ({}, {"agent_id": ada.id, "department_id": nights}):
        bad = ada.post(f"/cases/{cid}/transfer", body)
        assert bad.status_code == 400 and bad.json()["errors"][0]["parameter"] == "agent_id"
    assert ada.post(f"/cases/{cid}/transfer", {"department_id": 99999}).status_code == 404


def test_departments_are_for_administrators_to_keep_and_bad_input_is_refused(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam = make_agent("sam")
    assert sam.post("/teams", {"title": "Mine"}).status_code == 403
    sales = team(ada, "Sales", [sam])
    inner = team(ada, "Inner", [], parent_id=sales)
    deepest = team(ada, "Deepest", [], parent_id=inner)
    cases = [
        ("POST", "/teams", {"title": "  "}, 400, "FIELD_REQUIRED", "title"),
        ("POST", "/teams", {"title": "sales"}, 409, "DUPLICATE", "title"),
        ("POST", "/teams", {"title": "X", "parent_id": 999}, 400, "FIELD_INVALID", "parent_id"),
        ("POST", "/teams", {"title": "Too deep", "parent_id": deepest}, 400, "FIELD_INVALID", "parent_id"),
        ("POST", "/teams", {"title": "Y", "agent_ids": [424242]}, 400, "FIELD_INVALID", "agent_ids"),
        ("PUT", f"/teams/{sales}", {"parent_id": inner}, 400, "FIELD_INVALID", "parent_id"),  # a loop
        ("PUT", f"/teams/{sales}", {"title": "x" * 101}, 400, "FIELD_INVALID", "title"),
        ("DELETE", f"/teams/{sales}", None, 409, "INVALID_STATE", None),  # departments inside it
    ]
    for method, path, body, status, code, parameter in cases:
        r = ada.http.request(method, ada.live.api + path, json=body, timeout=10)
        assert r.status_code == status, (method, path, body, r.text)
        error = r.json()["errors"][0]
        assert (error["code"], error.get("parameter")) == (code, parameter), (path, body, error)
    assert [t["title"] for t in ada.get("/teams").json()["data"]] == ["Deepest", "Inner", "Sales"]
    assert sam.put(f"/teams/{sales}", {"title": "Mine"}).status_code == 403

    renamed = ada.put(f"/teams/{sales}", {"title": "Sales EU", "agent_ids": [], "is_public": False})
    assert renamed.status_code == 200 and renamed.json()["data"]["agents"] == []
    assert sam.sock.wait("teams.changed")["type"] == "teams.changed"
    _, cid = ask(live, None)
    assert Visitor(live, "V").post("/conversations", {"name": "V", "subject": "s", "department_id": sales}) \
        .json()["errors"][0]["parameter"] == "department_id"  # no longer offered in the widget
    for t in (deepest, inner, sales):
        assert ada.delete(f"/teams/{t}").status_code == 200
    assert ada.get("/teams").json()["data"] == [] and ada.get(f"/cases/{cid}").status_code == 200
