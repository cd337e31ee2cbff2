"""Two agents on one chat see each other: who has it open on screen and who is writing a reply in it, under
the chat's header — so they do not both answer. Shown to staff only; gone when the colleague moves on."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking


def test_an_agent_sees_a_colleague_viewing_and_typing_in_the_same_chat(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob")
    alice = agent_app("alice@example.com", live)
    bob = agent_app("bob@example.com", live)
    adam, _ = visitor_asking(live, "Adam", "Can I return a lamp?", "https://acme.example/returns", "Returns")
    alice.request("Adam").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    line = alice.page.locator("chat-window .colleague-line")
    expect(line).to_be_hidden()

    bob.go("Visitors")
    bob.row_action("Adam", "Join Chat")
    expect(bob.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    expect(line).to_have_text("Bob is viewing this chat")
    bob.composer.click()
    bob.page.keyboard.type("Returns need the receipt")
    expect(line).to_have_text("Bob is typing a reply…")
    alice.shot("colleague-typing")
    bob.page.keyboard.press("Enter")  # sent: typing stops, Bob still has it open
    expect(line).to_have_text("Bob is viewing this chat")
    expect(bob.page.locator("chat-window .colleague-line")).to_have_text("Alice is viewing this chat")

    bob.go("Visitors")  # Bob moves on: Alice's header says so at once
    expect(line).to_be_hidden()
    assert not [f for f in adam.sock.drain() if f["type"] == "viewers.changed"]  # never the visitor's business
