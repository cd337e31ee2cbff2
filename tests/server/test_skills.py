"""Skills (Kayako Classic's chat skills) over the real server, as a site owner, visitors and agents meet them:
administrators make skills and say who has them; a visitor rule routes the chat a matching visitor starts to a
skill; that chat rings the agents who have it first, one at a time with the usual rules, and waits for them a
while (CHAT_SKILL_MAX_WAIT) while one is busy, then anyone may take it; a transfer to a skill rings its agents
in turn, or says nobody with it can take the chat. Bad input is refused clearly and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.test_routing import offered, offers_seen, sync
from tests.support import Agent, LiveServer, Visitor


def skill(admin: Agent, title: str, agents: list[Agent]) -> int:
    r = admin.post("/skills", {"title": title, "agent_ids": [a.id for a in agents]})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def german_rule(admin: Agent, skill_id: int) -> None:
    r = admin.post("/visitors/rules", {"title": "German shop", "skill_id": skill_id,
                                       "conditions": [{"field": "current_url", "op": "contains", "value": "/de/"}]})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["skill"] == {"id": skill_id, "title": "German", "resource_type": "skill",
                                         "resource_url": f"{admin.live.url}/api/v1/skills/{skill_id}"}


def asks_in_german(live: LiveServer, name: str = "Greta") -> tuple[Visitor, int]:
    visitor = Visitor(live, name)
    visitor.view("https://shop.example/de/kasse", "Kasse")
    return visitor, int(visitor.start_chat("Wo ist meine Bestellung?")["id"])


def busy_german_speaker(live: LiveServer, make_agent: Any, admin: Agent) -> tuple[Agent, int, int, int]:
    """Gus, the only agent with German, takes one German chat and is full (limit 1); a second visitor then asks
    in German: (Gus, the German skill, Gus's chat, the waiting chat)."""
    gus = make_agent("gus", max_chats=1)
    german = skill(admin, "German", [gus])
    german_rule(admin, german)
    _, busy = asks_in_german(live, "Hans")
    offered(gus, busy)
    assert gus.accept(busy).status_code == 200
    return gus, german, busy, asks_in_german(live)[1]


def case(agent: Agent, cid: int) -> dict[str, Any]:
    return agent.get(f"/cases/{cid}").json()["data"]


def test_a_rule_routes_a_visitors_chat_to_the_agents_with_the_skill(live, make_agent):
    ada = make_agent("ada", admin=True)
    bob, gus, gil = make_agent("bob"), make_agent("gus"), make_agent("gil")
    german = skill(ada, "German", [gus, gil])
    german_rule(ada, german)
    _, cid = asks_in_german(live)
    first = offered(gus, cid)  # least recently offered first, among those who speak German only
    assert first["conversation"]["skill"]["title"] == "German"
    assert gus.decline(cid).status_code == 200
    offered(gil, cid)
    assert gil.accept(cid).status_code == 200
    sync(ada, bob)
    assert offers_seen(ada, cid) == [] and offers_seen(bob, cid) == []
    assert case(gil, cid)["skill"]["title"] == "German"
    # A visitor the rule does not match asks for no skill: anyone takes it.
    other = Visitor(live, "Paul")
    other.view("https://shop.example/en/checkout", "Checkout")
    plain = other.start_chat("Where is my order?")["id"]
    assert case(ada, plain)["skill"] is None
    skills = {s["title"]: s for s in ada.get("/skills").json()["data"]}
    assert [a["full_name"] for a in skills["German"]["agents"]] == ["Gil", "Gus"] and skills["German"]["online_agents"] == 2
    assert [s["title"] for s in gus.get("/me").json()["data"]["skills"]] == ["German"]


def test_the_visitor_never_reads_the_skill(live, make_agent):
    ada = make_agent("ada", admin=True)
    gus = make_agent("gus")
    german_rule(ada, skill(ada, "German", [gus]))
    greta, cid = asks_in_german(live)
    offered(gus, cid)
    assert gus.accept(cid).status_code == 200
    seen = str(greta.get(f"/conversations/{cid}").json()) + str(greta.get("/conversations").json())
    assert "German" not in seen and "skill" not in seen


def test_a_skill_chat_waits_for_a_busy_skilled_agent_then_anyone_takes_it(live, make_agent):
    ada = make_agent("ada", admin=True)
    gus, _, _, cid = busy_german_speaker(live, make_agent, ada)
    live.advance(60)
    sync(ada, gus)
    assert offers_seen(ada, cid) == []  # Gus is online, only busy: the chat waits for German
    live.advance(61)  # CHAT_SKILL_MAX_WAIT (120 s) has passed: anyone may take it
    offered(ada, cid)


def test_nobody_with_the_skill_online_means_anyone_takes_it_at_once(live, make_agent):
    ada = make_agent("ada", admin=True)
    gus = make_agent("gus", connect=False)
    german_rule(ada, skill(ada, "German", [gus]))
    _, cid = asks_in_german(live)
    offered(ada, cid)  # waiting for Gus would be waiting for nobody


@pytest.mark.parametrize("server_config", [{"CHAT_SKILL_MAX_WAIT": 0}])
def test_a_skill_chat_can_wait_for_the_skill_for_ever(live, make_agent):
    ada = make_agent("ada", admin=True)
    gus, _, busy, cid = busy_german_speaker(live, make_agent, ada)
    live.advance(3600)
    sync(ada)
    assert offers_seen(ada, cid) == []
    assert gus.post(f"/cases/{busy}/end").status_code == 200  # Gus is free again: it rings him
    offered(gus, cid)


def test_a_transfer_to_a_skill_rings_its_agents_in_turn(live, make_agent, make_visitor):
    ada = make_agent("ada", admin=True)
    gus, gil = make_agent("gus"), make_agent("gil")
    german = skill(ada, "German", [gus, gil])
    visitor = make_visitor("Greta")
    cid = visitor.start_chat("Hallo")["id"]
    offered(ada, cid)  # no skill asked: Ada, never offered a chat, rings first
    assert ada.accept(cid).status_code == 200
    r = ada.post(f"/cases/{cid}/transfer", {"skill_id": german})
    assert r.status_code == 200, r.text
    first = offered(gus, cid)
    assert first["transfer_from"]["id"] == ada.id and first["conversation"]["skill"]["title"] == "German"
    assert gus.decline(cid).status_code == 200
    offered(gil, cid)
    assert gil.decline(cid).status_code == 200  # nobody else with German: it stays with Ada, who is told
    lines = [p["contents"] for p in ada.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert "Ada is transferring the chat to someone with the skill German" in lines
    assert "Nobody else with the skill German can take the chat now: it stays with Ada" in lines
    assert case(ada, cid)["assigned_agent"]["full_name"] == "Ada"
    assert "German" not in str(visitor.get(f"/conversations/{cid}/messages", limit=50).json())


def test_a_transfer_to_a_skill_nobody_can_take_is_refused_and_changes_nothing(live, make_agent, make_visitor):
    ada = make_agent("ada", admin=True)
    gus = make_agent("gus", connect=False)
    german = skill(ada, "German", [gus])
    cid = make_visitor("Greta").start_chat("Hallo")["id"]
    offered(ada, cid)
    assert ada.accept(cid).status_code == 200
    r = ada.post(f"/cases/{cid}/transfer", {"skill_id": german})
    assert r.status_code == 409
    error = r.json()["errors"][0]
    assert error["code"] == "AGENT_UNAVAILABLE" and error["parameter"] == "skill_id"
    assert error["message"] == "Nobody with the skill German can take a chat now"
    assert case(ada, cid)["skill"] is None  # the chat does not now ask for a skill nobody can serve
    for body in ({"skill_id": german, "agent_id": gus.id}, {"skill_id": 9999}):
        r = ada.post(f"/cases/{cid}/transfer", body)
        assert r.status_code in (400, 404), r.text


def test_only_administrators_keep_skills_and_bad_input_is_refused(live, make_agent):
    ada = make_agent("ada", admin=True)
    bob = make_agent("bob")
    assert bob.post("/skills", {"title": "French"}).status_code == 403
    german = skill(ada, "German", [bob])
    assert bob.put(f"/skills/{german}", {"title": "Deutsch"}).status_code == 403
    assert bob.delete(f"/skills/{german}").status_code == 403
    for body, code, parameter in (({"title": "  german "}, "DUPLICATE", "title"),
                                  ({"title": "   "}, "FIELD_REQUIRED", "title"),
                                  ({"title": "French", "agent_ids": [9999]}, "FIELD_INVALID", "agent_ids")):
        r = ada.post("/skills", body)
        error = r.json()["errors"][0]
        assert r.status_code in (400, 409) and (error["code"], error["parameter"]) == (code, parameter), r.text
    assert [s["title"] for s in ada.get("/skills").json()["data"]] == ["German"]  # nothing else was stored
    r = ada.put(f"/skills/{german}", {"title": "Deutsch", "agent_ids": [ada.id]})
    assert r.status_code == 200 and [a["full_name"] for a in r.json()["data"]["agents"]] == ["Ada"]
    r = ada.post("/visitors/rules", {"title": "R", "skill_id": 9999, "conditions": [
        {"field": "current_url", "op": "contains", "value": "/de/"}]})
    assert r.status_code == 400 and r.json()["errors"][0]["parameter"] == "skill_id"


def test_deleting_a_skill_lets_its_chats_go_to_anyone(live, make_agent):
    ada = make_agent("ada", admin=True)
    _, german, _, cid = busy_german_speaker(live, make_agent, ada)
    sync(ada)
    assert offers_seen(ada, cid) == []  # waiting for Gus
    assert ada.delete(f"/skills/{german}").status_code == 200
    live.advance(1)
    offered(ada, cid)
    assert case(ada, cid)["skill"] is None
    rules = ada.get("/visitors/rules").json()["data"]
    assert rules[0]["skill"] is None and rules[0]["enabled"] is False  # it did nothing else: switched off
