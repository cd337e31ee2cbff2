"""Notes on visitors as two agents use them, in real Chromium: Alice writes one from the chat she is in (the
keyboard adds it); it shows under the chat's header; Bob finds it from the visitor's row menu on the Visitors
screen and adds his own, which reaches Alice's header at once. Each may delete only their own note."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking


def test_two_agents_keep_notes_on_a_visitor(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob")
    alice = agent_app("alice@example.com", live)
    victor, cid = visitor_asking(live, "Victor", "Lamp order", "https://shop.example/lamps", "Lamps")
    alice.request("Victor").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Victor"))).to_be_visible()
    line = alice.page.locator("chat-window .visitor-note-line")
    expect(line).to_be_hidden()  # no notes yet

    alice.chat.get_by_role("button", name="Notes").click()
    dialog = alice.page.get_by_role("dialog", name="Notes on Victor")
    expect(dialog.get_by_text("No notes yet.")).to_be_visible()
    box = dialog.get_by_label("New note")
    expect(box).to_be_focused()
    box.fill("Ordered the blue lamp, #4411")
    box.press("Control+Enter")
    notes = dialog.get_by_role("list", name="Notes, newest first")
    expect(notes.get_by_role("listitem")).to_have_count(1)
    expect(notes.get_by_role("listitem").first).to_contain_text("Ordered the blue lamp, #4411")
    expect(notes.get_by_role("listitem").first).to_contain_text("You")
    expect(notes.get_by_role("listitem").first).to_contain_text(f"in chat #{cid}")
    expect(box).to_have_value("")
    alice.shot("notes-dialog")
    dialog.get_by_role("button", name="Close").click()
    expect(line).to_contain_text("Note by you")
    expect(line).to_contain_text("Ordered the blue lamp, #4411")

    bob = agent_app("bob@example.com", live)
    bob.go("Visitors")
    bob.row_action("Victor", "Notes…")
    theirs = bob.page.get_by_role("dialog", name="Notes on Victor")
    first = theirs.get_by_role("listitem").filter(has_text="Ordered the blue lamp")
    expect(first).to_contain_text("Alice")
    expect(first.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)  # not his to delete
    theirs.get_by_label("New note").fill("Prefers e-mail over phone")
    theirs.get_by_role("button", name="Add note").click()
    expect(theirs.get_by_role("listitem")).to_have_count(2)
    expect(theirs.get_by_role("listitem").first).to_contain_text("Prefers e-mail over phone")

    # Alice's header follows at once: Bob's note is the newest, and there are two.
    expect(line).to_contain_text("Note by Bob")
    expect(line).to_contain_text("Prefers e-mail over phone")
    expect(line.get_by_role("button", name="All 2 notes")).to_be_visible()
    alice.shot("chat-note-line")

    theirs.get_by_role("listitem").first.get_by_role("button", name=re.compile("^Delete")).click()
    expect(theirs.get_by_role("listitem")).to_have_count(1)
    expect(line).to_contain_text("Note by you")  # his note is gone from her header too
    assert victor.get(f"/visitors/{victor.id}/notes").status_code in (401, 403)  # and the visitor never reads them
