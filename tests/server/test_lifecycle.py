"""A chat's life over the real server: join (visible) and observe (staff only), leave, end by either side,
rating, proactive invitations, offline messages, and unaccepted chats that are still conversations.

`sync()` pings a socket: the ack is queued behind every event published before it, so after it returns
the socket has received all of them, which lets a test assert that something was NOT delivered.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Agent, Visitor


def sync(*people: Agent | Visitor) -> None:
    for p in people:
        assert p.sock is not None
        p.sock.call("ping")


def error_code(r: Any) -> str:
    return r.json()["errors"][0]["code"]


def names(agents: list[dict[str, Any]]) -> list[str]:
    return [a["full_name"] for a in agents]


def posts_seen(person: Agent | Visitor) -> list[dict[str, Any]]:
    return [f["data"]["post"] for f in person.sock.seen if f["type"] == "message.created"]


def chat_updates(visitor: Visitor) -> list[dict[str, Any]]:
    return [f["data"]["conversation"] for f in visitor.sock.seen if f["type"] == "chat.updated"]


def public_messages(visitor: Visitor, cid: int) -> list[dict[str, Any]]:
    r = visitor.get(f"/conversations/{cid}/messages")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def staff_posts(agent: Agent, cid: int) -> list[dict[str, Any]]:
    r = agent.get(f"/cases/{cid}/posts")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def case(agent: Agent, cid: int) -> dict[str, Any]:
    r = agent.get(f"/cases/{cid}")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def roles(agent: Agent, cid: int) -> list[tuple[str, str]]:
    return [(p["agent"]["full_name"], p["role"]) for p in case(agent, cid)["participants"]]


@pytest.fixture
def chat(live, make_agent, make_visitor):
    """Alice owns an open chat with Victor."""
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("My parcel")["id"]
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)
    assert alice.accept(cid).status_code == 200
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")
    return alice, victor, cid


# ---- join, observe, leave -----------------------------------------------------------------------------


def test_join_as_participant_is_visible_to_the_visitor(chat, make_agent):
    alice, victor, cid = chat
    bob = make_agent("bob")
    r = bob.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"})
    assert r.status_code == 200, r.text
    assert roles(bob, cid) == [("Alice", "OWNER"), ("Bob", "PARTICIPANT")]

    post = victor.sock.wait("message.created", lambda d: d["post"]["kind"] == "SYSTEM"
                            and d["post"]["content_text"] == "Bob joined the chat")["data"]["post"]
    assert "visibility" not in post  # the visitor's view of a post: a message, and only public ones are sent
    victor.sock.wait("chat.updated", lambda d: names(d["conversation"]["agents"]) == ["Alice", "Bob"])
    assert names(victor.get(f"/conversations/{cid}").json()["data"]["agents"]) == ["Alice", "Bob"]
    # Bob now takes part: he receives the chat's messages and can answer.
    victor.say(cid, "Two of you!")
    bob.sock.wait("message.created", lambda d: d["post"]["contents"] == "Two of you!")
    assert bob.reply(cid, "Hello from Bob").status_code == 201
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Hello from Bob")

    # Leaving is visible too, and Bob drops out of the agents list.
    assert bob.post(f"/cases/{cid}/leave").status_code == 200
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Bob left the chat")
    victor.sock.wait("chat.updated", lambda d: names(d["conversation"]["agents"]) == ["Alice"])
    assert roles(alice, cid) == [("Alice", "OWNER")]
    r = bob.reply(cid, "one more thing")
    assert r.status_code == 403 and error_code(r) == "PERMISSION_DENIED"


def test_join_as_observer_is_invisible_to_the_visitor(chat, make_agent):
    alice, victor, cid = chat
    sync(victor)
    before_posts, before_updates = len(posts_seen(victor)), len(chat_updates(victor))
    public_before = public_messages(victor, cid)

    carol = make_agent("carol")
    r = carol.post(f"/cases/{cid}/join", {"role": "OBSERVER"})
    assert r.status_code == 200, r.text
    assert roles(alice, cid) == [("Alice", "OWNER"), ("Carol", "OBSERVER")]
    notice = alice.sock.wait("message.created", lambda d: d["post"]["kind"] == "SYSTEM"
                             and "Carol is observing" in d["post"]["contents"])["data"]["post"]
    assert notice["visibility"] == "STAFF"

    # The observer cannot speak to the visitor, but can leave staff notes.
    r = carol.reply(cid, "Hello visitor")
    assert r.status_code == 403 and error_code(r) == "PERMISSION_DENIED"
    r = carol.reply(cid, "Alice, offer a refund", visibility="STAFF")
    assert r.status_code == 201, r.text
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Alice, offer a refund")
    # The owner whispers back (STAFF): the observer sees it, the visitor never does.
    assert alice.reply(cid, "Will do", visibility="STAFF").status_code == 201
    carol.sock.wait("message.created", lambda d: d["post"]["contents"] == "Will do")
    # The observer sees the chat's public messages too.
    victor.say(cid, "Any news?")
    carol.sock.wait("message.created", lambda d: d["post"]["contents"] == "Any news?")

    sync(victor)
    new_posts = posts_seen(victor)[before_posts:]
    assert [p["content_text"] for p in new_posts] == ["Any news?"], "the visitor saw a staff-only post"
    assert all(names(c["agents"]) == ["Alice"] for c in chat_updates(victor)[before_updates:])
    assert names(victor.get(f"/conversations/{cid}").json()["data"]["agents"]) == ["Alice"]
    public = public_messages(victor, cid)
    assert [p["content_text"] for p in public] == [p["content_text"] for p in public_before] + ["Any news?"]
    assert {p["resource_type"] for p in public} == {"case_message"}  # a visitor only ever reads messages
    assert "Carol" not in str(public) and "Alice" not in [p["content_text"] for p in public]
    # Staff see everything.
    staff = [p["contents"] for p in staff_posts(alice, cid)]
    assert {"Alice, offer a refund", "Will do", notice["contents"]} <= set(staff)

    # Stopping observing is staff-only as well.
    assert carol.post(f"/cases/{cid}/leave").status_code == 200
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Carol stopped observing")
    sync(victor)
    assert [p["content_text"] for p in posts_seen(victor)[before_posts:]] == ["Any news?"]


def test_a_staff_whisper_never_reaches_the_visitor(chat):
    alice, victor, cid = chat
    r = alice.reply(cid, "internal: VIP customer", visibility="STAFF")
    assert r.status_code == 201 and r.json()["data"]["visibility"] == "STAFF"
    assert alice.reply(cid, "How can I help?").status_code == 201
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "How can I help?")
    sync(victor)
    assert "internal: VIP customer" not in [p["content_text"] for p in posts_seen(victor)]
    assert "internal: VIP customer" not in [p["content_text"] for p in public_messages(victor, cid)]
    assert "internal: VIP customer" in [p["contents"] for p in staff_posts(alice, cid)]


def test_joining_a_chat_nobody_accepted_is_refused(live, make_agent, make_visitor):
    alice = make_agent("alice", connect=False)
    cid = make_visitor().start_chat()["id"]
    r = alice.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"})
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


def test_owner_leaving_alone_sends_the_chat_back_to_the_queue(chat, make_agent):
    alice, victor, cid = chat
    bob = make_agent("bob")
    assert alice.post(f"/cases/{cid}/leave").status_code == 200
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Alice left the chat")
    update = victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "NEW")["data"]
    assert update["conversation"]["agents"] == [] and update["conversation"]["queue_position"] == 1
    victor.sock.wait("queue.position_changed", lambda d: d["conversation_id"] == cid and d["position"] == 1)

    # Back in the queue, it is offered again, and the new agent takes it over.
    bob.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)
    assert case(bob, cid)["assigned_agent"] is None
    assert bob.accept(cid).status_code == 200
    victor.sock.wait("chat.updated", lambda d: names(d["conversation"]["agents"]) == ["Bob"])
    assert roles(bob, cid) == [("Bob", "OWNER")]


def test_owner_leaving_hands_the_chat_to_a_participant(chat, make_agent):
    alice, victor, cid = chat
    bob = make_agent("bob")
    assert bob.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"}).status_code == 200
    assert alice.post(f"/cases/{cid}/leave").status_code == 200
    data = case(bob, cid)
    assert data["status"]["type"] == "OPEN" and data["assigned_agent"]["full_name"] == "Bob"
    assert roles(bob, cid) == [("Bob", "OWNER")]
    victor.sock.wait("chat.updated", lambda d: names(d["conversation"]["agents"]) == ["Bob"])
    sync(bob)
    assert not [f for f in bob.sock.seen if f["type"] == "offer.created"], "a handed-over chat is not re-routed"


# ---- end and rating -----------------------------------------------------------------------------------


def test_agent_ends_the_chat_and_the_visitor_rates_it(chat):
    alice, victor, cid = chat
    r = alice.post(f"/cases/{cid}/end")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["status"]["type"] == "COMPLETED" and data["last_completed_at"]
    update = victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "COMPLETED")["data"]
    assert update["conversation"]["last_completed_at"] == data["last_completed_at"]
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "The chat was ended by Alice")

    # An ended chat takes no more messages from either side.
    r = alice.reply(cid, "one more")
    assert r.status_code == 409 and error_code(r) == "CONVERSATION_CLOSED"
    r = victor.say(cid, "wait")
    assert r.status_code == 409 and error_code(r) == "CONVERSATION_CLOSED"

    r = victor.post(f"/conversations/{cid}/ratings", {"score": "GOOD", "comment": "Quick and kind"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["rating"] == "GOOD" and r.json()["data"]["rating_comment"] == "Quick and kind"
    seen = alice.sock.wait("conversation.updated", lambda d: d["conversation"]["id"] == cid
                           and d["conversation"]["rating"] == "GOOD")["data"]["conversation"]
    assert seen["rating_comment"] == "Quick and kind" and seen["status"]["type"] == "COMPLETED"
    assert case(alice, cid)["rating"] == "GOOD"
    rated = alice.get("/cases", rating="GOOD").json()["data"]
    assert [c["id"] for c in rated] == [cid]

    r = victor.post(f"/conversations/{cid}/ratings", {"score": "SUPERB"})
    assert r.status_code == 400 and error_code(r) == "FIELD_INVALID"


def test_visitor_ends_the_chat(chat):
    alice, victor, cid = chat
    r = victor.put(f"/conversations/{cid}/end")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["is_completed"] and r.json()["data"]["last_completed_at"]
    seen = alice.sock.wait("conversation.updated", lambda d: d["conversation"]["id"] == cid
                           and d["conversation"]["status"]["type"] == "COMPLETED")["data"]["conversation"]
    assert seen["last_completed_at"]
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "The chat was ended by Victor")
    # Ending twice is harmless.
    assert victor.put(f"/conversations/{cid}/end").json()["data"]["status"]["type"] == "COMPLETED"


def test_an_unaccepted_chat_is_a_conversation_and_ending_it_cancels_the_ring(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Nobody answers")["id"]
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid)
    listed = {c["id"]: c for c in alice.get("/cases").json()["data"]}
    assert listed[cid]["status"]["type"] == "NEW" and listed[cid]["subject"] == "Nobody answers"
    assert [c["id"] for c in alice.get("/cases", status="NEW").json()["data"]] == [cid]

    r = victor.put(f"/conversations/{cid}/end")
    assert r.status_code == 200 and r.json()["data"]["is_completed"]
    ended = alice.sock.wait("offer.ended", lambda d: d["conversation_id"] == cid)["data"]
    assert ended["state"] == "CANCELLED"
    assert alice.get("/offers").json()["data"] == []
    listed = {c["id"]: c for c in alice.get("/cases").json()["data"]}
    assert listed[cid]["status"]["type"] == "COMPLETED" and listed[cid]["last_completed_at"]
    assert listed[cid]["assigned_agent"] is None
    assert [c["id"] for c in alice.get("/cases", status="COMPLETED").json()["data"]] == [cid]
    r = alice.accept(cid)
    assert r.status_code == 409 and error_code(r) == "CONVERSATION_CLOSED"
    # Nobody answered, so there is nothing to rate.
    r = victor.post(f"/conversations/{cid}/ratings", {"score": "BAD"})
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


# ---- proactive invitations ------------------------------------------------------------------------------


@pytest.fixture
def browsing(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    assert victor.view("https://shop.example/", "Home").status_code == 200
    return alice, victor


def _invite(alice: Agent, victor: Visitor, message: str) -> dict[str, Any]:
    r = alice.post(f"/visitors/{victor.id}/invitations", {"message": message})
    assert r.status_code == 201, r.text
    inv = r.json()["data"]
    assert inv["state"] == "PENDING" and inv["agent"]["full_name"] == "Alice"
    got = victor.sock.wait("invitation.created", lambda d: d["invitation"]["id"] == inv["id"])["data"]["invitation"]
    assert got["agent"]["full_name"] == "Alice" and got["message"] == message
    return inv


def test_invitation_accepted_starts_a_chat_owned_by_the_inviting_agent(browsing, make_agent):
    alice, victor = browsing
    bob = make_agent("bob")
    inv = _invite(alice, victor, "Can I help you find something?")
    pending = victor.get("/messenger/invitations").json()["data"]
    assert [i["id"] for i in pending] == [inv["id"]]

    r = victor.post(f"/messenger/invitations/{inv['id']}/accept")
    assert r.status_code == 200, r.text
    answered = r.json()["data"]
    assert answered["state"] == "ACCEPTED" and answered["conversation_id"]
    cid = answered["conversation_id"]
    alice.sock.wait("invitation.updated", lambda d: d["invitation"]["id"] == inv["id"]
                    and d["invitation"]["state"] == "ACCEPTED")

    mine = victor.get(f"/conversations/{cid}").json()["data"]
    assert mine["status"]["type"] == "OPEN" and names(mine["agents"]) == ["Alice"]
    first = public_messages(victor, cid)[0]
    assert first["content_text"] == "Can I help you find something?"
    assert first["creator"]["kind"] == "AGENT" and first["creator"]["full_name"] == "Alice"
    data = case(alice, cid)
    assert data["assigned_agent"]["full_name"] == "Alice" and data["status"]["type"] == "OPEN"
    assert roles(alice, cid) == [("Alice", "OWNER")]
    # It never went through routing: nobody was offered it.
    sync(alice, bob)
    assert not [f for f in alice.sock.seen + bob.sock.seen if f["type"] == "offer.created"]
    assert victor.get("/messenger/invitations").json()["data"] == []

    # They talk right away.
    assert victor.say(cid, "Yes, shoes!").status_code == 201
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Yes, shoes!")
    # An answered invitation cannot be answered again.
    r = victor.post(f"/messenger/invitations/{inv['id']}/decline")
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


def test_a_proactive_chat_has_a_neutral_subject_and_shows_as_chatting(browsing):
    """The visitor asked nothing: agents see "Proactive chat" (not an invented question), the visitor's
    view has no subject, and the Visitors list moves the visitor from browsing to chatting at once."""
    alice, victor = browsing
    inv = _invite(alice, victor, "Questions about our plans?")
    cid = victor.post(f"/messenger/invitations/{inv['id']}/accept").json()["data"]["conversation_id"]

    created = alice.sock.wait("conversation.created", lambda d: d["conversation"]["id"] == cid)
    assert created["data"]["conversation"]["subject"] == "Proactive chat"
    assert case(alice, cid)["subject"] == "Proactive chat"
    pushed = victor.sock.wait("chat.updated", lambda d: d["conversation"]["id"] == cid)["data"]["conversation"]
    assert pushed["subject"] == "" and pushed["status"]["type"] == "OPEN"
    assert victor.get(f"/conversations/{cid}").json()["data"]["subject"] == ""
    assert [c["subject"] for c in victor.get("/conversations").json()["data"]] == [""]

    row = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["id"] == victor.id
                          and d["visitor"]["conversation_id"] == cid)["data"]["visitor"]
    assert row["chat_status"] == "OPEN" and row["chat_agent"]["full_name"] == "Alice"
    listed = [v for v in alice.get("/visitors").json()["data"] if v["id"] == victor.id]
    assert [(v["chat_status"], v["chat_agent"]["full_name"]) for v in listed] == [("OPEN", "Alice")]

    # A chat the visitor asked for keeps their question in both views.
    assert victor.put(f"/conversations/{cid}/end").status_code == 200
    asked = victor.start_chat("Do you ship to Norway?")["id"]
    assert victor.get(f"/conversations/{asked}").json()["data"]["subject"] == "Do you ship to Norway?"
    assert case(alice, asked)["subject"] == "Do you ship to Norway?"


def test_invitation_declined_tells_the_agent(browsing):
    alice, victor = browsing
    inv = _invite(alice, victor, "Need a hand?")
    r = victor.post(f"/messenger/invitations/{inv['id']}/decline")
    assert r.status_code == 200 and r.json()["data"]["state"] == "DECLINED"
    got = alice.sock.wait("invitation.updated", lambda d: d["invitation"]["id"] == inv["id"]
                          and d["invitation"]["state"] == "DECLINED")["data"]["invitation"]
    assert got["conversation_id"] is None
    assert victor.get("/conversations").json()["data"] == []
    r = victor.post(f"/messenger/invitations/{inv['id']}/accept")
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


def test_inviting_a_visitor_who_is_not_on_the_site_is_refused(live, make_agent, make_visitor):
    alice = make_agent("alice")
    gone = make_visitor("Gone", connect=False)
    r = alice.post(f"/visitors/{gone.id}/invitations", {"message": "Hello?"})
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"
    # Once they view a page they are online and can be invited.
    assert gone.view("https://shop.example/", "Home").status_code == 200
    assert alice.post(f"/visitors/{gone.id}/invitations", {"message": "Hello?"}).status_code == 201


def test_inviting_a_visitor_already_in_a_chat_is_refused(chat):
    alice, victor, cid = chat
    r = alice.post(f"/visitors/{victor.id}/invitations", {"message": "Hello?"})
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


def test_accepting_an_invitation_while_already_in_a_chat_is_refused(browsing):
    alice, victor = browsing
    inv = _invite(alice, victor, "Can I help?")
    cid = victor.start_chat("My own question")["id"]  # the visitor asked on their own meanwhile
    r = victor.post(f"/messenger/invitations/{inv['id']}/accept")
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"
    live_chats = [c["id"] for c in victor.get("/conversations").json()["data"] if not c["is_completed"]]
    assert live_chats == [cid], "one live chat per visitor"
    # Declining is still possible.
    assert victor.post(f"/messenger/invitations/{inv['id']}/decline").json()["data"]["state"] == "DECLINED"


# ---- offline messages -----------------------------------------------------------------------------------


def test_offline_message_when_nobody_is_online(live, make_agent, make_visitor):
    alice = make_agent("alice", connect=False)  # has an account, but no socket: offline
    victor = make_visitor("Victor")
    status = victor.get("/messenger/status")
    assert status.status_code == 200 and status.json()["data"]["agents_available"] is False

    body = {"name": "Victor", "email": "victor@example.com", "subject": "Order 1234",
            "message": "Please call me back about order 1234."}
    r = victor.post("/messenger/offline_messages", body)
    assert r.status_code == 201, r.text
    chat = r.json()["data"]
    assert chat["is_offline_message"] is True and chat["status"]["type"] == "NEW" and chat["queue_position"] is None
    cid = chat["id"]
    assert [m["content_text"] for m in public_messages(victor, cid)] == [body["message"]]

    listed = {c["id"]: c for c in alice.get("/cases").json()["data"]}
    assert listed[cid]["is_offline_message"] is True and listed[cid]["subject"] == "Order 1234"
    assert listed[cid]["requester"]["email"] == "victor@example.com"
    assert [p["contents"] for p in staff_posts(alice, cid)] == [body["message"]]
    # It is a message to follow up by email, not a chat waiting for an agent.
    assert alice.get("/cases/queue").json()["data"] == []
    alice.connect()
    assert victor.get("/messenger/status").json()["data"]["agents_available"] is True
    sync(alice)
    assert not [f for f in alice.sock.seen if f["type"] == "offer.created"]
    r = victor.post(f"/conversations/{cid}/ratings", {"score": "GOOD"})
    assert r.status_code == 409 and error_code(r) == "INVALID_STATE"


def test_offline_message_requires_an_email(live, make_visitor):
    victor = make_visitor("Victor", connect=False)
    r = victor.post("/messenger/offline_messages", {"name": "Victor", "subject": "Hi", "message": "Hello"})
    assert r.status_code == 400 and error_code(r) == "FIELD_REQUIRED"
    assert victor.get("/conversations").json()["data"] == []
