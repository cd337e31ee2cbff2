"""The article's core loop over the real server: a visitor asks, an agent accepts, they talk, it ends."""


def test_chat_request_accept_talk_end(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    chat = victor.start_chat("My parcel never arrived")
    cid = chat["id"]
    offer = alice.sock.wait("offer.created")["data"]["offer"]
    assert offer["conversation"]["subject"] == "My parcel never arrived"
    assert offer["conversation"]["requester"]["name"] == "Victor"

    assert alice.accept(cid).status_code == 200
    update = victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")
    assert [a["full_name"] for a in update["data"]["conversation"]["agents"]] == ["Alice"]

    assert victor.say(cid, "Hello, anyone there?").status_code == 201
    got = alice.sock.wait("message.created", lambda d: d["post"]["creator"]["kind"] == "VISITOR")
    assert got["data"]["post"]["contents"] == "Hello, anyone there?"

    assert alice.reply(cid, "Hi Victor, let me check.").status_code == 201
    got = victor.sock.wait("message.created", lambda d: d["post"]["creator"]["kind"] == "AGENT")
    assert got["data"]["post"]["content_text"] == "Hi Victor, let me check."  # the visitor's view: a message

    assert alice.post(f"/cases/{cid}/end").json()["data"]["status"]["type"] == "COMPLETED"
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "COMPLETED")
