"""A Kayako Messenger client written from the public docs and SDK (messenger.py) talks to our server as a
visitor: it identifies with its own fingerprint, reads the conversation starter, starts a chat with its
first message, reads and answers the agent, sets message_status, and rates — while a real agent (the
project's test driver, over REST and the realtime socket) sees all of it."""

from __future__ import annotations

import uuid

import pytest

from tests.kayako_client.messenger import Messenger, MessengerError
from tests.support import Socket


def test_a_kayako_messenger_client_chats_with_an_agent_end_to_end(live, make_agent):
    client = Messenger(live.url)
    before = client.starter()
    assert before["last_active_agents"] == [] and before["active_conversations"] == []
    assert before["average_reply_time"] is None
    assert before["realtime_url"] == f"ws://{live.url.split('://', 1)[1]}/api/v1/realtime"

    alice = make_agent("Alice")
    assert [a["full_name"] for a in client.starter()["last_active_agents"]] == ["Alice"]

    key = str(uuid.uuid4())
    chat = client.start("Ada", "ada@example.com", "Order 1001", "My parcel has not arrived", client_id=key)
    assert client.last is not None and client.last.status_code == 201
    assert chat["subject"] == "Order 1001" and chat["is_completed"] is False and chat["channel"] == "MESSENGER"
    assert chat["status"]["resource_type"] == "case_status"  # a reference: not asked to include it
    assert chat["last_message_preview"] == "My parcel has not arrived"
    again = client.start("Ada", "ada@example.com", "Order 1001", "My parcel has not arrived", client_id=key)
    assert again["id"] == chat["id"] and client.last.status_code == 200  # a retry starts nothing twice
    cid = chat["id"]

    offer = alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=10)
    assert offer["data"]["offer"]["conversation"]["requester"]["name"] == "Ada"
    assert alice.accept(cid).status_code == 200
    case_posts = alice.get(f"/cases/{cid}/posts").json()["data"]
    assert [p["contents"] for p in case_posts if p["creator"]["kind"] == "VISITOR"] == ["My parcel has not arrived"]

    reply = alice.reply(cid, "It left the warehouse today").json()["data"]
    messages = client.messages(cid)
    said = [m["content_text"] for m in messages]
    assert said[0] == "My parcel has not arrived" and said[-1] == "It left the warehouse today"
    assert {m["resource_type"] for m in messages} == {"case_message"}
    assert messages[-1]["creator"]["full_name"] == "Alice" and messages[-1]["message_status"] in ("SENT", "DELIVERED")
    marked = client.set_status(cid, reply["id"], "SEEN")
    assert marked["id"] == reply["id"] and marked["message_status"] == "SEEN"
    alice.sock.wait("messages.status_changed", lambda d: d["status"] == "SEEN" and reply["id"] in d["post_ids"])

    client.send(cid, "Thanks!")
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Thanks!")
    now = client.starter()
    assert [c["id"] for c in now["active_conversations"]] == [cid]
    assert now["active_conversations"][0]["last_message_preview"] == "Thanks!"
    assert now["active_conversations"][0]["assigned_agent"]["full_name"] == "Alice"
    assert isinstance(now["average_reply_time"], float) and now["average_reply_time"] >= 0
    assert [c["id"] for c in client.conversations()] == [cid]

    assert alice.post(f"/cases/{cid}/end").status_code == 200
    rated = client.rate(cid, "GOOD", "Quick and kind")
    assert rated["rating"] == "GOOD" and rated["rating_comment"] == "Quick and kind"
    assert client.starter()["active_conversations"] == []


def test_the_fingerprint_is_the_visitors_credential_everywhere(live, make_agent):
    make_agent("Alice")
    ada = Messenger(live.url)
    cid = ada.start("Ada", "ada@example.com", "Refund", "Please refund order 7")["id"]

    stranger = Messenger(live.url)  # another fingerprint: another visitor, who sees nothing of Ada's
    assert stranger.conversations() == []
    with pytest.raises(MessengerError) as denied:
        stranger.messages(cid)
    assert denied.value.status == 404

    same_device = Messenger(live.url, fingerprint=ada.fingerprint)  # the SDK keeps its fingerprint
    assert [c["id"] for c in same_device.conversations()] == [cid]

    sock = Socket(live.ws_url)  # and it opens the realtime socket as the visitor token does
    ack = sock.call("hello", {"visitor_token": ada.fingerprint})
    assert ack["role"] == "visitor"
    sock.close()

    for weak in ("abc", "0" * 31, "not a uuid at all, with spaces in it!"):
        with pytest.raises(MessengerError) as refused:
            Messenger(live.url, fingerprint=weak).starter()
        assert (refused.value.status, refused.value.code, refused.value.parameter) == (
            400, "FIELD_INVALID", "X-Fingerprint-ID")


@pytest.mark.parametrize("server_config", [{"CHAT_VISITOR_CREATE_LIMIT": 3}])
def test_new_fingerprints_are_limited_per_address_like_new_visitors(live):
    for _ in range(3):
        Messenger(live.url).starter()
    with pytest.raises(MessengerError) as limited:
        Messenger(live.url).starter()
    assert (limited.value.status, limited.value.code) == (429, "RATE_LIMIT_REACHED")
