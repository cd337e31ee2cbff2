"""The Visitors screen live: a visitor moving through the demo shop moves their row, a proactive invitation
from the row's context menu becomes a chat, and the keyboard reaches everything (context menu, Alt+A)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Widget


def test_page_changes_move_the_row_live_and_an_invitation_becomes_a_chat(live, agent_app, page):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    widget = Widget(page)

    page.goto(live.url + "/demo")
    row = alice.visitor_row("Visitor")
    page_cell = row.get_by_role("cell").nth(2)
    expect(page_cell).to_contain_text("Northwind Lamps")
    expect(page_cell).to_contain_text(live.url + "/demo")
    expect(row.get_by_role("cell").nth(6)).to_have_text("1")
    expect(alice.page.get_by_text("1 online")).to_be_visible()

    # A page change on the website moves the row without a reload.
    page.get_by_role("navigation").first.get_by_role("link", name="Harbor pendant").click()
    expect(page_cell).to_contain_text("Harbor Pendant")
    expect(page_cell).to_contain_text("/demo/products/harbor-pendant")
    expect(row.get_by_role("cell").nth(6)).to_have_text("2")
    expect(row).to_contain_text("Browsing")
    expect(alice.visitors.locator("tbody").get_by_role("row")).to_have_count(1)  # moved, not added

    # Right-click → Invite to chat, with a message of the agent's own.
    alice.row_action("Visitor", "Invite to chat")
    invite = alice.dialog
    expect(invite.get_by_role("heading")).to_have_text(re.compile(r"^Invite Visitor \d+ to chat$"))
    invite.get_by_label("Message").fill("Hi! The Harbor pendant is dimmable. Any questions?")
    alice.shot("invite-dialog")
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite).to_be_hidden()
    expect(alice.toast("Invitation sent to Visitor")).to_be_visible()

    card = widget.f.get_by_role("alertdialog", name="Alice invites you to chat")
    expect(card).to_contain_text("Hi! The Harbor pendant is dimmable. Any questions?")
    card.get_by_role("button", name="Chat now").click()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")

    # The accepted invitation is Alice's chat: it opens in her app.
    expect(alice.chat.get_by_role("heading", name=re.compile(r"^Visitor \d+"))).to_be_visible()
    expect(alice.post("Hi! The Harbor pendant is dimmable. Any questions?")).to_be_visible()
    expect(alice.chat.get_by_text("Proactive chat", exact=True)).to_be_visible()  # not an invented question
    alice.shot("chat-proactive")
    # The row is "chatting" from the moment the chat starts, before anyone has said anything.
    alice.go("Visitors")
    expect(row).to_contain_text("Chatting with Alice")
    chat_state = alice.page.get_by_role("combobox", name="Chat state")
    chat_state.select_option(label="Chatting")
    expect(row).to_be_visible()
    chat_state.select_option(label="Browsing")
    expect(row).to_have_count(0)
    chat_state.select_option(label="Everyone")
    alice.shot("visitor-row-chatting")
    alice.go("Chats")
    widget.send("Does it work with a smart bulb?")
    expect(alice.post("Does it work with a smart bulb?")).to_be_visible()
    alice.say("Yes, any E27 smart bulb.")
    expect(widget.post("Yes, any E27 smart bulb.")).to_be_visible()
    alice.go("Visitors")
    expect(row).to_contain_text("Chatting with Alice")


def test_keyboard_opens_the_row_menu_and_alt_a_accepts(live, agent_app, page):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    widget = Widget(page)
    page.goto(live.url + "/demo/pricing")
    row = alice.visitor_row("Visitor")
    expect(row).to_contain_text("Pricing")

    # Tab from the state filter into the table: the (one) row takes focus; Shift+F10 opens its menu.
    alice.page.get_by_role("combobox", name="Chat state").focus()
    for _ in range(9):  # eight sortable column headers, then the first row
        alice.page.keyboard.press("Tab")
    expect(row).to_be_focused()
    alice.page.keyboard.press("Shift+F10")
    menu = alice.page.get_by_role("menu", name=re.compile(r"^Actions for Visitor \d+$"))
    expect(menu).to_be_visible()
    items = menu.get_by_role("menuitem")
    expect(items).to_have_text(["Invite to chat", "Join Chat", "Join Chat as Observer", "Footprints", "Notes…", "Ban…"])
    expect(items.first).to_be_focused()  # Join is disabled: the visitor is not chatting
    expect(menu.get_by_role("menuitem", name="Join Chat", exact=True)).to_have_attribute("aria-disabled", "true")
    alice.page.keyboard.press("ArrowUp")
    expect(menu.get_by_role("menuitem", name="Ban…")).to_be_focused()  # wraps to the last item
    alice.page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(row).to_be_focused()
    alice.page.keyboard.press("ContextMenu")
    expect(menu).to_be_visible()
    alice.page.keyboard.press("End")  # Ban…, then Notes…, then Footprints
    alice.page.keyboard.press("ArrowUp")
    alice.page.keyboard.press("ArrowUp")
    alice.page.keyboard.press("Enter")
    footprints = alice.dialog
    expect(footprints).to_contain_text("Pricing")
    alice.page.keyboard.press("Escape")
    expect(footprints).to_be_hidden()

    # A ringing request is accepted with Alt+A, wherever focus is.
    widget.open()
    widget.start_chat("Kim", "Is there a yearly plan?")
    expect(alice.request("Kim")).to_contain_text("Is there a yearly plan?")
    alice.page.keyboard.press("Alt+A")
    expect(alice.requests.get_by_role("article")).to_have_count(0)
    expect(alice.chat.get_by_role("heading", name=re.compile("^Kim"))).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    expect(alice.composer).to_be_focused()
    alice.page.keyboard.type("Yes: two months free.")
    alice.page.keyboard.press("Enter")
    expect(widget.post("Yes: two months free.")).to_be_visible()
