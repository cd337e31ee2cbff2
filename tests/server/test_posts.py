"""Post kinds as an agent pushes them and a visitor receives them: code, links, online images, text."""

from __future__ import annotations

import uuid

import pytest


def send(alice, cid, **body):
    return alice.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), **body})


def test_code_is_highlighted_server_side_and_kept_plain_for_copying(open_chat):
    alice, victor, cid = open_chat
    code = "def greet(name):\n    return f'Hello {name}'\n"
    post = send(alice, cid, kind="CODE", contents=code, language="python").json()["data"]
    assert post["contents"] == code and post["language"] == "python"
    assert '<span class="k">def</span>' in post["content_html"]
    got = victor.sock.wait("message.created", lambda d: d["post"]["kind"] == "CODE")["data"]["post"]
    assert got["content_html"] == post["content_html"] and got["content_text"] == code


def test_code_that_tries_to_break_out_of_its_block_stays_text(open_chat):
    alice, _, cid = open_chat
    evil = '</code></pre><script>alert(1)</script><img src=x onerror=alert(2)>'
    post = send(alice, cid, kind="CODE", contents=evil, language="html").json()["data"]
    html = post["content_html"]
    assert "<script" not in html and "<img" not in html and "onerror=" not in html.replace("onerror</span>", "")
    assert "&lt;" in html and post["contents"] == evil


def test_language_is_guessed_when_not_given_and_unknown_ones_are_refused(open_chat):
    alice, _, cid = open_chat
    guessed = send(alice, cid, kind="CODE", contents="<?php echo 'hi'; ?>").json()["data"]
    assert "php" in guessed["language"]
    bad = send(alice, cid, kind="CODE", contents="x = 1", language="klingon")
    assert bad.status_code == 400 and bad.json()["errors"][0]["parameter"] == "language"


def test_languages_endpoint_feeds_the_drop_down(open_chat):
    alice, _, _ = open_chat
    body = alice.get("/code/languages").json()
    names = {lang["alias"]: lang["name"] for lang in body["data"]}
    assert names["python"] == "Python" and "javascript" in names and body["total_count"] > 200


@pytest.mark.parametrize(("typed", "sent"), [("example.com", "https://example.com"),
                                             ("http://shop.example/cart?x=1", "http://shop.example/cart?x=1"),
                                             ("mailto:help@example.com", "mailto:help@example.com"),
                                             ("localhost:8080/docs", "https://localhost:8080/docs")])
def test_push_url_normalises_and_delivers_a_link(open_chat, typed, sent):
    alice, victor, cid = open_chat
    post = send(alice, cid, kind="URL", url=typed).json()["data"]
    assert post["url"] == sent and post["contents"] == sent
    got = victor.sock.wait("message.created", lambda d: d["post"]["kind"] == "URL")["data"]["post"]
    assert got["url"] == sent


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "data:text/html,<script>", "file:///etc/passwd",
                                   "vbscript:msgbox", "ftp://example.com", "http://", "not a url"])
def test_push_url_refuses_anything_but_http_https_mailto(live, open_chat, typed):
    alice, _, cid = open_chat
    before = len(alice.get(f"/cases/{cid}/posts").json()["data"])
    r = send(alice, cid, kind="URL", url=typed)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "FIELD_INVALID"
    assert len(alice.get(f"/cases/{cid}/posts").json()["data"]) == before


def test_online_image_is_sent_as_a_url_and_never_fetched(open_chat):
    alice, victor, cid = open_chat
    post = send(alice, cid, kind="IMAGE", url="https://cdn.example/cat.jpg").json()["data"]
    assert post["kind"] == "IMAGE" and post["url"] == "https://cdn.example/cat.jpg" and post["attachments"] == []
    assert send(alice, cid, kind="IMAGE", url="mailto:x@example.com").status_code == 400


def test_visitors_send_text_only(open_chat):
    _, victor, cid = open_chat
    r = victor.post(f"/conversations/{cid}/messages", {"client_id": "x", "contents": "hi", "kind": "CODE"})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "FIELD_UNEXPECTED"
    ref = victor.sock.command("message.send", {"conversation_id": cid, "client_id": "y", "kind": "URL",
                                               "url": "https://example.com"})
    assert victor.sock.reply(ref)["data"]["code"] == "PERMISSION_DENIED"


def test_posting_to_an_ended_chat_is_refused(open_chat):
    alice, victor, cid = open_chat
    alice.post(f"/cases/{cid}/end")
    r = victor.say(cid, "hello?")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "CONVERSATION_CLOSED"


def test_agent_must_be_in_the_chat_to_post(open_chat, make_agent):
    _, _, cid = open_chat
    bob = make_agent("bob")
    r = send(bob, cid, contents="drive-by")
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "PERMISSION_DENIED"


def test_the_last_message_each_side_sees_is_their_own_to_see(open_chat):
    """A case shows its last post, a staff note included; the visitor's conversation shows the last message
    the visitor could read, never a note."""
    alice, victor, cid = open_chat
    assert send(alice, cid, contents="We can see your order  in\nthe warehouse").status_code == 201
    assert send(alice, cid, contents="VIP: offer a voucher", visibility="STAFF").status_code == 201
    case = alice.get(f"/cases/{cid}").json()["data"]
    assert (case["last_post_preview"], case["last_post_type"]) == ("VIP: offer a voucher", "NOTE")
    chat = victor.get(f"/conversations/{cid}").json()["data"]
    assert chat["last_message_preview"] == "We can see your order in the warehouse"
    assert chat["last_message_status"] == "SENT" and "VIP" not in str(victor.get("/conversations").json())
