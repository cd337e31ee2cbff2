"""Live details a visitor notices: the unread badge, the queue moving, colleagues joining (observers
never), and using the widget from the keyboard alone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_messenger import accepted_chat, push


def test_unread_badge_counts_messages_while_minimised(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    widget.f.get_by_role("button", name="Minimise chat").click()
    push(alice, cid, contents="Are you still there?")
    push(alice, cid, contents="Your refund is on its way.")
    launcher = widget.f.get_by_role("button", name="Open chat (2 unread)")
    expect(launcher).to_be_visible()
    expect(widget.f.locator(".badge")).to_have_text("2")
    widget.shot("messenger-unread-badge")
    launcher.click()
    expect(widget.f.locator(".badge")).to_be_hidden()
    alice.sock.wait("messages.status_changed", lambda d: d["status"] == "SEEN", timeout=10)


def test_queue_position_moves_live(live, make_agent, make_visitor, widget, page, host_site):
    alice = make_agent("alice", max_chats=1)  # online, but room for one chat only
    first = make_visitor("Fay")
    first_chat = first.start_chat("I was here first")  # rings Alice: position 1
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Victor", "Second in line")
    expect(widget.f.locator(".chat-status")).to_contain_text("You are number 2 in the queue")
    assert alice.accept(first_chat["id"]).status_code == 200
    expect(widget.f.locator(".chat-status")).to_contain_text("You are number 1 in the queue")


def test_colleagues_joining_show_but_observers_never(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    carol = make_agent("carol")
    assert carol.post(f"/cases/{cid}/join", {"role": "OBSERVER"}).status_code == 200
    carol.reply(cid, "whisper: check the order id", visibility="STAFF")
    bob = make_agent("bob")
    assert bob.post(f"/cases/{cid}/join", {"role": "PARTICIPANT"}).status_code == 200
    expect(widget.post("Bob joined the chat")).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice, Bob")
    push(bob, cid, contents="Hi, I'm Bob from billing.")
    expect(widget.post("Hi, I'm Bob from billing.")).to_be_visible()
    assert bob.post(f"/cases/{cid}/leave").status_code == 200
    expect(widget.post("Bob left the chat")).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_have_text(re.compile(r"You are chatting with Alice$"))
    frame_text = widget.frame.locator("body").inner_text()
    assert "Carol" not in frame_text and "whisper" not in frame_text and "observing" not in frame_text


def test_keyboard_only(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    page.goto(host_site + "/")
    widget.f.get_by_role("button", name="Open chat").focus()
    page.keyboard.press("Enter")
    name = widget.f.get_by_label("Your name")
    expect(name).to_be_focused()
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard only, please")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    cid = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]["conversation"]["id"]
    alice.accept(cid)
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    box = widget.f.get_by_label("Type your message")
    box.focus()
    page.keyboard.type("line one")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("line two")
    page.keyboard.press("Enter")
    got = alice.sock.wait("message.created", lambda d: d["post"]["creator"]["kind"] == "VISITOR", timeout=10)
    assert got["data"]["post"]["contents"] == "line one\nline two"
    page.keyboard.press("Escape")
    expect(widget.f.get_by_role("dialog")).to_be_hidden()
    expect(widget.f.get_by_role("button", name="Open chat")).to_be_focused()
