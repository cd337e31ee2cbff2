"""The permission table (app/kayako_desktop/server/README.md), cell by cell, over HTTP and over the socket.

Every chat here is Victor's, owned by Alice, with Bob as a participant and Carol observing; Dave is an
agent not in it, Boss an administrator not in it and Sue a supervisor not in it. Each cell runs on a fresh
chat. While an observer acts (allowed or not), Victor's socket receives nothing at all; so does it while a
refused action runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import Agent, LiveServer, Visitor

ROLES = ("owner", "participant", "observer", "agent", "admin", "supervisor")


@dataclass
class Team:
    live: LiveServer
    by_role: dict[str, Agent]
    erin: Agent  # a colleague to transfer to
    make_visitor: Callable[..., Visitor]

    def chat(self, name: str) -> tuple[Visitor, int]:
        victor = self.make_visitor(name)
        cid = victor.start_chat(f"{name}'s question")["id"]
        r = self.by_role["owner"]
        assert r.accept(cid).status_code == 200
        assert self.by_role["participant"].post(f"/cases/{cid}/join", {"role": "PARTICIPANT"}).status_code == 200
        assert self.by_role["observer"].post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
        assert victor.say(cid, "Hello?").status_code == 201
        return victor, cid


@pytest.fixture
def team(live, make_agent, make_visitor) -> Team:
    by_role = {"owner": make_agent("alice", max_chats=20), "participant": make_agent("bob"),
               "observer": make_agent("carol"), "agent": make_agent("dave"), "admin": make_agent("boss", admin=True),
               "supervisor": make_agent("sue", role="SUPERVISOR")}
    return Team(live, by_role, make_agent("erin"), make_visitor)


def visitor_frames_during(victor: Visitor, act: Callable[..., Any], *args: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Run `act(*args)`; return its result and every frame Victor's socket got meanwhile (acks aside). The
    ping ack is queued behind every event published before it, so nothing is missed."""
    victor.sock.call("ping")
    start = len(victor.sock.seen)
    result = act(*args)
    victor.sock.call("ping")
    return result, [f for f in victor.sock.seen[start:] if f["type"] != "ack"]


def last_visitor_post(victor: Visitor, cid: int) -> int:
    return [p["id"] for p in victor.get(f"/conversations/{cid}/messages").json()["data"]
            if p["creator"]["kind"] == "VISITOR"][-1]


# ---- chats over HTTP ---------------------------------------------------------------------------------------

REST: dict[str, Callable[[Team, Agent, Visitor, int], Any]] = {
    "read": lambda t, a, v, cid: a.get(f"/cases/{cid}/posts"),
    "reply PUBLIC": lambda t, a, v, cid: a.reply(cid, f"Hello from {a.name}"),
    "reply STAFF": lambda t, a, v, cid: a.reply(cid, f"Note from {a.name}", visibility="STAFF"),
    "mark seen": lambda t, a, v, cid: a.put(f"/cases/{cid}/seen",
                                            {"up_to_post_id": last_visitor_post(v, cid), "status": "SEEN"}),
    "end": lambda t, a, v, cid: a.post(f"/cases/{cid}/end"),
    "transfer": lambda t, a, v, cid: a.post(f"/cases/{cid}/transfer", {"agent_id": t.erin.id}),
    "join": lambda t, a, v, cid: a.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"}),
    "observe": lambda t, a, v, cid: a.post(f"/cases/{cid}/join", {"role": "OBSERVER"}),
    "leave": lambda t, a, v, cid: a.post(f"/cases/{cid}/leave"),
}
OK, DENIED, CONFLICT = 200, (403, "PERMISSION_DENIED"), (409, "INVALID_STATE")
# action → the answer for owner, participant, observer, other agent, admin, supervisor (these two not in the chat).
REST_TABLE: dict[str, tuple[Any, ...]] = {
    "read": (OK, OK, OK, OK, OK, OK),
    "reply PUBLIC": (201, 201, DENIED, DENIED, DENIED, DENIED),
    "reply STAFF": (201, 201, 201, DENIED, DENIED, DENIED),
    "mark seen": (OK, OK, DENIED, DENIED, DENIED, DENIED),
    "end": (OK, OK, DENIED, DENIED, OK, OK),
    "transfer": (OK, DENIED, DENIED, DENIED, OK, OK),
    "join": (CONFLICT, OK, OK, OK, OK, OK),
    "observe": (CONFLICT, CONFLICT, OK, OK, OK, OK),
    "leave": (OK, OK, OK, CONFLICT, CONFLICT, CONFLICT),
}
# Cells where the visitor rightly sees something: a visible agent acting, or someone becoming visible.
VISIBLE = {("reply PUBLIC", "owner"), ("reply PUBLIC", "participant"), ("mark seen", "owner"),
           ("mark seen", "participant"), ("end", "owner"), ("end", "participant"), ("end", "admin"),
           ("end", "supervisor"), ("join", "observer"), ("join", "agent"), ("join", "admin"), ("join", "supervisor"),
           ("leave", "owner"), ("leave", "participant")}


def outcome(r: Any) -> Any:
    if r.status_code < 300:
        return r.status_code
    return r.status_code, r.json()["errors"][0]["code"]


@pytest.mark.parametrize("action", list(REST_TABLE))
def test_chat_actions_over_http(team, action):
    answers, leaks = {}, {}
    for role, expected in zip(ROLES, REST_TABLE[action], strict=True):
        victor, cid = team.chat(f"V-{role}")
        r, frames = visitor_frames_during(victor, REST[action], team, team.by_role[role], victor, cid)
        answers[role] = outcome(r)
        if (action, role) not in VISIBLE and frames:
            leaks[role] = [f["type"] for f in frames]
        if (action, role) in VISIBLE and answers[role] == expected:
            assert frames, f"{action} by the {role} should reach the visitor"
    assert answers == dict(zip(ROLES, REST_TABLE[action], strict=True))
    assert leaks == {}, "the visitor received events they must not"


def test_an_admin_ending_a_chat_is_not_named_to_the_visitor(team):
    boss = team.by_role["admin"]
    for observing in (False, True):
        victor, cid = team.chat(f"Supervised {observing}")
        if observing:
            assert boss.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
        r, frames = visitor_frames_during(victor, boss.post, f"/cases/{cid}/end")
        assert r.status_code == 200 and r.json()["data"]["status"]["type"] == "COMPLETED"
        said = [f["data"]["post"]["content_text"] for f in frames if f["type"] == "message.created"]
        assert said == ["The chat was ended"]
        assert "Boss" not in str(frames) and "Boss" not in str(victor.get(f"/conversations/{cid}/messages").json())
        staff = [p["contents"] for p in team.by_role["owner"].get(f"/cases/{cid}/posts").json()["data"]]
        assert "Boss (administrator) ended the chat" in staff
    victor, cid = team.chat("Watched")
    r, frames = visitor_frames_during(victor, team.by_role["supervisor"].post, f"/cases/{cid}/end")
    assert r.status_code == 200 and "Sue" not in str(frames)
    staff = [p["contents"] for p in team.by_role["owner"].get(f"/cases/{cid}/posts").json()["data"]]
    assert "Sue (supervisor) ended the chat" in staff


def test_a_queued_chat_is_routed_and_taken_by_anyone(team):
    dave, carol, boss = team.by_role["agent"], team.by_role["observer"], team.by_role["admin"]
    for who in (dave, carol, boss):
        victor = team.make_visitor(f"Queued for {who.name}")
        cid = victor.start_chat("Nobody took me yet")["id"]
        if who is carol:  # observing a queued chat is allowed, and invisible
            r, frames = visitor_frames_during(victor, carol.post, f"/cases/{cid}/join", {"role": "OBSERVER"})
            assert r.status_code == 200 and frames == []
        assert who.post(f"/cases/{cid}/transfer", {"agent_id": team.erin.id}).status_code == 200
        assert team.erin.decline(cid).status_code == 200
        assert who.accept(cid).status_code == 200  # taking it: the agent becomes the visible owner
        assert [a["full_name"] for a in victor.get(f"/conversations/{cid}").json()["data"]["agents"]] == [who.name]
        assert dave.accept(cid).status_code == 409 or who is dave


# ---- chats over the socket ---------------------------------------------------------------------------------

def _send(visibility: str) -> Callable[[Agent, int, Visitor], tuple[str, dict[str, Any]]]:
    return lambda a, cid, v: ("message.send", {"conversation_id": cid, "client_id": str(uuid.uuid4()),
                                               "contents": f"{visibility} from {a.name}", "visibility": visibility})


SOCKET: dict[str, Callable[[Agent, int, Visitor], tuple[str, dict[str, Any]]]] = {
    "message.send PUBLIC": _send("PUBLIC"),
    "message.send STAFF": _send("STAFF"),
    "typing.start": lambda a, cid, v: ("typing.start", {"conversation_id": cid}),
    "typing.stop": lambda a, cid, v: ("typing.stop", {"conversation_id": cid}),
    "messages.mark": lambda a, cid, v: ("messages.mark", {"conversation_id": cid, "status": "SEEN",
                                                          "up_to_post_id": last_visitor_post(v, cid)}),
}
ACK, NO = "ack", "PERMISSION_DENIED"
SOCKET_TABLE: dict[str, tuple[str, ...]] = {
    "message.send PUBLIC": (ACK, ACK, NO, NO, NO, NO),
    "message.send STAFF": (ACK, ACK, ACK, NO, NO, NO),
    "typing.start": (ACK, ACK, ACK, NO, NO, NO),  # an observer's typing reaches staff only
    "typing.stop": (ACK, ACK, ACK, NO, NO, NO),
    "messages.mark": (ACK, ACK, NO, NO, NO, NO),
}
SOCKET_VISIBLE = {(c, r) for c in ("message.send PUBLIC", "typing.start", "typing.stop", "messages.mark")
                  for r in ("owner", "participant")}


@pytest.mark.parametrize("command", list(SOCKET_TABLE))
def test_chat_commands_over_the_socket(team, command):
    answers, leaks = {}, {}
    for role in ROLES:
        victor, cid = team.chat(f"S-{role}")
        agent = team.by_role[role]
        type_, data = SOCKET[command](agent, cid, victor)
        frame, frames = visitor_frames_during(victor, lambda a, t, d: a.sock.reply(a.sock.command(t, d)), agent, type_,
                                              data)
        answers[role] = frame["type"] if frame["type"] == "ack" else frame["data"]["code"]
        if (command, role) not in SOCKET_VISIBLE and frames:
            leaks[role] = [f["type"] for f in frames]
        if (command, role) in SOCKET_VISIBLE:
            assert frames, f"{command} by the {role} should reach the visitor"
    assert answers == dict(zip(ROLES, SOCKET_TABLE[command], strict=True))
    assert leaks == {}, "the visitor received events they must not"


# ---- visitors, invitations, macros, agents -----------------------------------------------------------------

def test_every_agent_reads_footprints_and_invites(team):
    for role in ("agent", "admin"):
        who = team.by_role[role]
        shopper = team.make_visitor(f"Shopper {role}")
        assert shopper.view("https://shop.example/lamps", "Lamps").status_code == 200
        r = who.get(f"/visitors/{shopper.id}/footprints")
        assert r.status_code == 200 and [v["url"] for v in r.json()["data"]] == ["https://shop.example/lamps"]
        assert who.post(f"/visitors/{shopper.id}/invitations", {"message": "Need a hand?"}).status_code == 201


def test_only_the_inviting_agent_or_an_admin_withdraws_an_invitation(team):
    dave, bob, boss = team.by_role["agent"], team.by_role["participant"], team.by_role["admin"]
    for withdrawer, expected in ((bob, 403), (dave, 200), (boss, 200)):
        shopper = team.make_visitor(f"Invited {withdrawer.name}")
        assert shopper.view("https://shop.example/", "Home").status_code == 200
        inv = dave.post(f"/visitors/{shopper.id}/invitations", {"message": "Hello!"}).json()["data"]
        assert withdrawer.delete(f"/invitations/{inv['id']}").status_code == expected


def test_macros_are_shared_for_use_and_changed_by_their_author_or_an_admin(team):
    dave, bob, boss = team.by_role["agent"], team.by_role["participant"], team.by_role["admin"]
    for creator in (dave, boss):
        assert creator.post("/cases/macros", {"title": f"By {creator.name}", "contents": "Hi!"}).status_code == 201
    mid = [m["id"] for m in bob.get("/cases/macros").json()["data"] if m["title"] == "By Dave"][0]
    assert bob.put(f"/cases/macros/{mid}", {"contents": "vandalised"}).status_code == 403
    assert bob.delete(f"/cases/macros/{mid}").status_code == 403
    assert dave.put(f"/cases/macros/{mid}", {"contents": "Hello!"}).status_code == 200
    assert boss.put(f"/cases/macros/{mid}", {"contents": "Hello there!"}).status_code == 200
    assert boss.delete(f"/cases/macros/{mid}").status_code == 200
    assert [m["title"] for m in bob.get("/cases/macros").json()["data"]] == ["By Boss"]


def test_only_admins_create_and_change_agents(team):
    dave, boss, sue = team.by_role["agent"], team.by_role["admin"], team.by_role["supervisor"]
    new = {"email": "fay@example.com", "full_name": "Fay", "password": "long-enough-1"}
    assert dave.post("/agents", new).status_code == 403
    assert sue.post("/agents", new).status_code == 403  # a supervisor supervises chats, not accounts
    fay = boss.post("/agents", new).json()["data"]
    assert dave.put(f"/agents/{fay['id']}", {"max_chats": 9}).status_code == 403
    assert boss.put(f"/agents/{fay['id']}", {"max_chats": 9}).json()["data"]["max_chats"] == 9
    assert dave.put("/me", {"full_name": "David"}).status_code == 200  # everyone renames themselves


def test_supervisors_read_reports_and_keep_nothing_an_administrator_keeps(team):
    dave, boss, sue = team.by_role["agent"], team.by_role["admin"], team.by_role["supervisor"]
    days = {"from": "2026-11-01", "to": "2026-11-30"}
    assert sue.get("/reports/chats", **days).status_code == 200
    assert sue.get("/reports/chats.csv", **days).status_code == 200
    assert dave.get("/reports/chats", **days).status_code == 403
    rule = {"title": "R", "alert": True, "conditions": [{"field": "visits", "op": "at_least", "value": "2"}]}
    for method, path, body in (("post", "/teams", {"title": "Sales"}), ("post", "/skills", {"title": "German"}),
                               ("post", "/visitors/rules", rule), ("get", "/bans", None),
                               ("put", f"/agents/{dave.id}", {"max_chats": 9})):
        r = getattr(sue, method)(path, body) if body is not None else getattr(sue, method)(path)
        assert (r.status_code, r.json()["errors"][0]["code"]) == (403, "PERMISSION_DENIED"), (path, r.text)
    role = sue.get("/me").json()["data"]["role"]
    assert (role["id"], role["title"], role["type"], role["can_supervise"]) == (3, "Supervisor", "AGENT", True)
    assert [(r["title"], r["can_supervise"]) for r in dave.get("/roles").json()["data"]] == [
        ("Administrator", True), ("Agent", False), ("Supervisor", True)]
    # An administrator makes Dave a supervisor: the reports open to him at once, same session.
    promoted = boss.put(f"/agents/{dave.id}", {"role": "SUPERVISOR"})
    assert promoted.status_code == 200 and promoted.json()["data"]["role"]["title"] == "Supervisor"
    assert dave.get("/reports/chats", **days).status_code == 200
    # The only administrator cannot stop being one: nobody would be left to manage the team.
    r = boss.put(f"/agents/{boss.id}", {"role": "AGENT"})
    assert (r.status_code, r.json()["errors"][0]["code"], r.json()["errors"][0]["parameter"]) == (
        409, "INVALID_STATE", "role")
    assert boss.put(f"/agents/{dave.id}", {"role": "ADMIN"}).status_code == 200
    assert boss.put(f"/agents/{boss.id}", {"role": "AGENT"}).json()["data"]["role"]["title"] == "Agent"
