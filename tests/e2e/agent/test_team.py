"""Staff chat as two agents use it, in real Chromium: Alice opens Team with Alt+4 and writes to Bob; Bob's rail
counts it and a toast shows it; reading it clears the count and Alice sees "Read". Alice asks Bob to help in a
visitor's chat; Bob joins from the message as a helper only staff see, and whispers; the visitor sees none
of it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking


def test_two_agents_talk_and_one_asks_the_other_into_a_chat(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob")
    alice = agent_app("alice@example.com", live)
    bob = agent_app("bob@example.com", live)

    alice.page.keyboard.press("Alt+4")
    expect(alice.nav("Team")).to_have_attribute("aria-current", "page")
    alice.page.get_by_role("list", name="Colleagues").get_by_role("button", name=re.compile("^Bob")).click()
    box = alice.page.get_by_role("textbox", name="Message to colleague")
    expect(box).to_be_focused()
    box.fill("Can you take the refund chats today?")
    box.press("Enter")
    log = alice.page.get_by_role("log", name="Staff messages")
    expect(log.get_by_text("Can you take the refund chats today?")).to_be_visible()
    expect(box).to_have_value("")

    expect(bob.toast("Alice: Can you take the refund chats today?")).to_be_visible()
    expect(bob.page.get_by_role("button", name="Team (1 unread)")).to_be_visible()
    bob.go("Team")
    thread = bob.page.get_by_role("list", name="Colleagues").get_by_role("button", name=re.compile("^Alice"))
    expect(thread).to_have_accessible_name(re.compile("1 unread"))
    thread.click()
    expect(bob.page.get_by_role("log", name="Staff messages").get_by_text("Can you take the refund chats today?")).to_be_visible()
    expect(bob.page.get_by_role("button", name="Team", exact=True)).to_be_visible()  # the count is gone
    expect(log.locator(".team-msg.mine small")).to_contain_text("Read")
    bob.page.get_by_role("textbox", name="Message to colleague").fill("Sure, send them over.")
    bob.page.get_by_role("textbox", name="Message to colleague").press("Enter")
    expect(log.get_by_text("Sure, send them over.")).to_be_visible()
    alice.page.bring_to_front()  # her window comes to the front with the thread open: read
    alice.page.evaluate("window.dispatchEvent(new FocusEvent('focus'))")
    expect(alice.page.get_by_role("button", name="Team", exact=True)).to_be_visible()
    alice.shot("team")

    # Alice asks Bob into a visitor's chat; he joins as a helper only staff see.
    victor, cid = visitor_asking(live, "Victor", "Refund for order 4411", "https://shop.example/orders", "Orders")
    alice.go("Visitors")
    alice.request("Victor").get_by_role("button", name="Accept").click()
    alice.chat.get_by_role("button", name="Ask for help").click()
    ask = alice.page.get_by_role("dialog", name="Ask a colleague to help")
    ask.get_by_label("Bob").check()
    ask.get_by_role("button", name="Ask").click()
    expect(alice.toast("Bob was asked to help")).to_be_visible()
    bob_log = bob.page.get_by_role("log", name="Staff messages")  # Bob has Alice's thread open: no toast needed
    expect(bob_log.get_by_text("Can you help me in the chat with Victor?")).to_be_visible()
    bob_log.get_by_role("button", name="Join as helper").click()
    expect(bob.chat.get_by_role("heading", name=re.compile("^Victor"))).to_be_visible()
    note = bob.chat.get_by_role("textbox", name="Note to staff")  # a helper's one way to speak
    note.fill("Offer the 10% code")
    note.press("Enter")
    expect(alice.post("Offer the 10% code")).to_be_visible()
    bob.shot("helping")
    assert victor.sock is not None
    victor.sock.call("ping")
    seen = str([f for f in victor.sock.seen if f["type"] != "ack"])
    assert "10% code" not in seen and "Bob" not in seen and "staff." not in seen
    assert [a["full_name"] for a in victor.get(f"/conversations/{cid}").json()["data"]["agents"]] == ["Alice"]


def test_a_message_sent_while_the_thread_is_still_loading_stays_in_it(live, agent_app):
    """CI caught it: opening a thread reads its messages; one sent (or received) before that read answers was
    dropped — the event found no thread to join and the older read then replaced it. The read's answer is held back
    here until the message has arrived."""
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob")
    alice = agent_app("alice@example.com", live)
    agent_app("bob@example.com", live)
    held = []

    def hold(route):  # the thread's read is answered by the server now (no message yet) and delivered later
        held.append((route, route.fetch()))

    alice.page.route(re.compile(r".*/staff/messages\?.*with_agent_id.*"), hold)
    alice.go("Team")
    alice.page.get_by_role("list", name="Colleagues").get_by_role("button", name=re.compile("^Bob")).click()
    box = alice.page.get_by_role("textbox", name="Message to colleague")
    box.fill("Sent before the thread was read")
    box.press("Enter")
    expect(alice.page.get_by_role("list", name="Colleagues")).to_contain_text("Sent before the thread was read")
    assert len(held) == 1
    route, answer = held[0]
    assert "Sent before" not in answer.text()  # the read saw the thread before the message
    route.fulfill(response=answer)
    log = alice.page.get_by_role("log", name="Staff messages")
    expect(log.get_by_text("Sent before the thread was read")).to_have_count(1)
