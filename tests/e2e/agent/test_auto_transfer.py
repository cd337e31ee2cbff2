"""Auto-transfer as agents meet it, in real Chromium: Alice takes Victor's chat and leaves his question
unanswered; after the server's three minutes (the clock is moved, not waited for) Bob's app rings with a
transfer from Alice, and Alice reads in her chat why. Alice answering at last withdraws Bob's ring and says
so. Unanswered again, it rings Bob again, who takes it: the chat is his, and Victor is told who he is talking
to. Staff lines never reach the widget."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking


def test_an_unanswered_visitor_is_offered_to_a_colleague_and_the_owner_is_told_why(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    victor, cid = visitor_asking(live, "Victor", "Is the lamp in stock?", "https://shop.example/lamps", "Lamps")
    alice.request("Victor").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name="Victor")).to_be_visible()
    live.create_agent("bob@example.com", "Bob")
    bob = agent_app("bob@example.com", live)
    assert victor.say(cid, "Hello? Anyone there?").status_code == 201
    expect(alice.post("Hello? Anyone there?")).to_be_visible()

    live.advance(181)  # CHAT_AUTO_TRANSFER_SECONDS (180) since Victor's message
    ring = bob.request("Victor")
    expect(ring).to_contain_text("Transfer from Alice")
    why = "The visitor has waited 3 minutes for an answer from Alice: the chat is offered to Bob"
    expect(alice.post(why)).to_be_visible()
    alice.shot("auto-transfer-told-why")

    alice.say("Sorry for the wait, yes it is!")  # the owner answers: Bob's ring stops
    expect(bob.requests.get_by_role("article")).to_have_count(0)
    expect(alice.post("Alice answered: the chat stays with them")).to_be_visible()

    assert victor.say(cid, "Great, can you reserve one?").status_code == 201
    live.advance(181)
    bob.request("Victor").get_by_role("button", name="Accept").click()
    expect(bob.chat.get_by_role("heading", name="Victor")).to_be_visible()
    expect(bob.post("The chat was transferred to Bob")).to_be_visible()
    messages = str(victor.get(f"/conversations/{cid}/messages", limit=50).json())
    assert "The chat was transferred to Bob" in messages
    assert "waited 3 minutes" not in messages and "stays with them" not in messages  # staff lines stay staff's
