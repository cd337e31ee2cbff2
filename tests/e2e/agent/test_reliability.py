"""The chat server drops the agent's connection mid-chat and refuses it for a while: the app says it is
reconnecting, and when it is back every message from that time is in the timeline once, in order."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_messages_sent_while_the_server_was_unreachable_arrive_once_in_order(live, agent_app, widget, page,
                                                                            host_site, outage):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live, names=["Acme"])
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Rita", "My order is late")
    alice.request("Rita").get_by_role("button", name="Accept").click()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    widget.send("Hello?")
    expect(alice.post("Hello?")).to_be_visible()

    outage.on.set()
    outage.cut_agents()
    expect(alice.banner).to_have_text(re.compile("Reconnecting to Acme"))
    expect(alice.tab(re.compile("^Acme"))).to_have_attribute("aria-label", re.compile(r"^Acme: Reconnecting"))
    alice.shot("reconnecting")

    for text in ["while you were away 1", "while you were away 2", "while you were away 3"]:
        widget.send(text)
        expect(widget.post(text).locator(".ticks")).to_have_attribute("aria-label", "Sent")  # stored on the server
    alice.say("Are you still there?")  # the server is unreachable: held back, not lost
    mine = alice.timeline.locator("li.post.mine").filter(has_text="Are you still there?")
    expect(mine).to_contain_text("Not sent")
    expect(alice.banner).to_be_visible()

    outage.on.clear()
    expect(alice.banner).to_be_hidden(timeout=15000)
    expect(alice.tab(re.compile("^Acme"))).to_have_attribute("aria-label", "Acme: Connected")
    expect(alice.timeline.locator("li.post.visitor .text")).to_have_text(
        ["Hello?", "while you were away 1", "while you were away 2", "while you were away 3"])
    # Held messages go out again by themselves once the server is back (same client_id: never twice).
    expect(widget.post("Are you still there?")).to_have_count(1, timeout=15000)
    expect(alice.timeline.locator("li.post.mine .text")).to_have_text(["Are you still there?"])
    expect(alice.timeline.locator("li.post .text")).to_have_text(
        ["Hello?", "while you were away 1", "while you were away 2", "while you were away 3", "Are you still there?"])
    widget.send("Yes, here!")
    expect(alice.post("Yes, here!")).to_have_count(1)
