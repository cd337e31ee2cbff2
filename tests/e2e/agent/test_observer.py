"""Observing a colleague's chat: the chat list item stays tidy (name and time on one line, "Observing" beside
the subject), and the observer's one way to speak — a note to staff — reaches the staff and never the visitor."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Locator, expect

from tests.e2e.agent.conftest import visitor_asking

NOTE = "Ask for the order number first, the depot needs it."


def box(locator: Locator) -> dict[str, float]:
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def middle(b: dict[str, float]) -> float:
    return b["y"] + b["height"] / 2


def test_an_observer_sees_a_tidy_chat_item_and_leaves_a_note_only_staff_see(live, agent_app):
    # Bob first: the request rings the agent created first.
    live.create_agent("bob@example.com", "Bob")
    live.create_agent("alice@example.com", "Alice")
    bob = agent_app("bob@example.com", live)
    alice = agent_app("alice@example.com", live)
    adam, cid = visitor_asking(live, "Adam Fenwick-Hargreaves", "Where is my parcel? It should have arrived last Tuesday",
                               "https://acme.example/support/shipping", "Shipping and returns")
    bob.request("Adam Fenwick-Hargreaves").get_by_role("button", name="Accept").click()
    adam.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")

    alice.go("Visitors")
    alice.row_action("Adam Fenwick-Hargreaves", "Join Chat as Observer")
    expect(alice.chat.get_by_role("status").filter(has_text="You are observing")).to_be_visible()

    # The chat list item: the name gives way, the time sits on its line in one line, and "Observing"
    # is a tag beside the subject, inside the item.
    item = alice.chat_list().get_by_role("button", name=re.compile("^Adam Fenwick-Hargreaves"))
    expect(item).to_have_attribute("aria-label", re.compile(", observing$"))
    name, time, subject = item.locator(".name"), item.locator("time"), item.locator(".chat-item-sub")
    tag = item.get_by_text("Observing", exact=True)
    expect(tag).to_be_visible()
    expect(time).to_have_text(re.compile(r"^\d{1,2}:\d{2}"))
    line = box(name)["height"]
    assert box(time)["height"] <= line  # one line, not "just / now"
    assert abs(middle(box(time)) - middle(box(name))) < 3
    assert abs(middle(box(tag)) - middle(box(subject))) < 3
    outer = box(item)
    for part in (name, time, subject, tag):
        b = box(part)
        assert outer["x"] <= b["x"] and b["x"] + b["width"] <= outer["x"] + outer["width"], part
    assert box(subject)["x"] + box(subject)["width"] <= box(tag)["x"]  # side by side, not on top of each other

    # No reply box for an observer, but a note to staff: Enter sends it.
    expect(alice.composer).to_be_hidden()
    note = alice.chat.get_by_role("textbox", name="Note to staff")
    note.click()
    alice.page.keyboard.type(NOTE)
    alice.page.keyboard.press("Enter")
    expect(note).to_have_value("")
    mine = alice.post(NOTE)
    expect(mine).to_contain_text("Internal note")
    expect(mine).to_have_class(re.compile(r"\bstaff\b"))
    alice.shot("observer-note")
    seen_by_bob = bob.post(NOTE)
    expect(seen_by_bob).to_contain_text("Internal note")
    expect(seen_by_bob).to_contain_text("Alice")

    # The visitor: Bob's next message arrives; the note never did, live or when the chat is loaded again.
    bob.say("Could you give me your order number?")
    adam.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Could you give me your order number?")
    assert all(NOTE not in json.dumps(frame) for frame in adam.sock.seen)
    posts = adam.get(f"/conversations/{cid}/messages").json()["data"]
    assert "Could you give me your order number?" in [p["content_text"] for p in posts]
    assert all(NOTE not in json.dumps(p) for p in posts)
