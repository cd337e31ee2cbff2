"""Transfer from the chat window to a named colleague, and pushed post kinds in the agent's timeline."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect


def test_transfer_to_a_colleague_and_post_kinds_render(live, agent_app, widget, page, host_site):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob")
    alice = agent_app("alice@example.com", live)
    bob = agent_app("bob@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Adam", "Lamp warranty")
    alice.request("Adam").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()

    api = f"/api/i/{alice.instances[0]['id']}/rest"
    cid = alice.client.get(f"{api}/cases").json()["data"][0]["id"]
    rest = f"{api}/cases/{cid}/reply"
    code = "def warranty(years):\n    return years * 12\n"
    assert alice.client.post(rest, {"client_id": str(uuid.uuid4()), "kind": "CODE", "contents": code,
                                    "language": "python"}).status_code == 201
    assert alice.client.post(rest, {"client_id": str(uuid.uuid4()), "kind": "URL",
                                    "url": "example.com/warranty"}).status_code == 201
    block = alice.timeline.locator(".highlight .k", has_text="def")
    expect(block).to_be_visible()
    link = alice.timeline.get_by_role("link", name="https://example.com/warranty")
    expect(link).to_have_attribute("rel", re.compile("noopener"))

    alice.chat.get_by_role("button", name="Transfer").click()
    dialog = alice.page.get_by_role("dialog", name="Transfer chat")
    dialog.get_by_label("Bob").check()
    dialog.get_by_role("button", name="Transfer").click()
    card = bob.request("Adam")
    expect(card).to_contain_text("Lamp warranty")
    card.get_by_role("button", name="Accept").click()
    expect(bob.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    expect(widget.post("The chat was transferred to Bob")).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Bob")
    bob.say("Hi Adam, Bob here — I handle warranties.")
    expect(widget.post("Hi Adam, Bob here — I handle warranties.")).to_be_visible()
    expect(alice.chat_list().get_by_role("button", name=re.compile("Adam"))).to_have_count(0)
