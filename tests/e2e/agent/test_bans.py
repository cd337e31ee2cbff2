"""Banning as the people involved meet it, in real Chromium: an agent bans the visitor from the chat's header
(the dialog shows the network each choice bans); the visitor's widget — the real one on the host page — ends
the chat and says only "Chat is not available right now.", also after a reload; an administrator finds the
ban under Visitors → Bans and lifts it, and the widget works again. A ban from the Visitors screen's row
menu by a keyboard-only agent. Every visitor here comes from 127.0.0.1, so banning one bans that address."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking

NOT_AVAILABLE = "Chat is not available right now."


def test_an_agent_bans_from_the_chat_and_an_administrator_lifts_it(live, agent_app, widget, page, host_site):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("ada@example.com", "Ada", admin=True)
    alice = agent_app("alice@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Troll", "You are all useless")
    alice.request("Troll").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Troll"))).to_be_visible()

    alice.chat.get_by_role("button", name="Ban").click()
    dialog = alice.page.get_by_role("dialog", name="Ban Troll")
    choices = dialog.get_by_role("group", name="What to ban")
    expect(choices.get_by_role("radio", name="This address")).to_be_checked()
    expect(choices.get_by_role("radio", name="This address")).to_be_focused()
    expect(choices.locator("label").filter(has_text="This address").locator("code")).to_have_text("127.0.0.1/32")
    expect(choices.locator("label").filter(has_text="/24").locator("code")).to_have_text("127.0.0.0/24")
    dialog.get_by_label("Reason (staff only)").fill("Insults")
    dialog.get_by_label("Lasts").select_option(label="Until lifted")
    alice.shot("ban-dialog")
    dialog.get_by_role("button", name="Ban", exact=True).click()
    expect(alice.toast("Banned 127.0.0.1/32")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(alice.post("Alice banned 127.0.0.1/32: Insults")).to_be_visible()  # staff line in the chat

    # The visitor's widget: the chat ended, then one neutral sentence and nothing to type into.
    status = widget.f.get_by_role("status").filter(has_text=NOT_AVAILABLE)
    expect(status).to_be_visible()
    expect(widget.f.get_by_role("textbox")).to_have_count(0)
    assert "ban" not in widget.f.locator("body").inner_text().lower()
    widget.shot("messenger-not-available")
    page.reload()  # coming back does not help (the panel stays open across pages, as the visitor left it)
    expect(widget.f.get_by_role("status").filter(has_text=NOT_AVAILABLE)).to_be_visible()
    expect(widget.f.get_by_role("button", name="Start chat")).to_have_count(0)

    # Alice is no administrator: no Bans list for her.
    alice.go("Visitors")
    expect(alice.page.get_by_role("button", name="Manage")).to_be_hidden()

    ada = agent_app("ada@example.com", live)
    ada.manage("Bans…")
    bans = ada.page.get_by_role("dialog", name="Banned visitors")
    row = bans.get_by_role("row").filter(has_text="127.0.0.1/32")
    expect(row).to_contain_text("Insults")
    expect(row).to_contain_text("Alice")
    expect(row).to_contain_text("Until lifted")
    ada.shot("bans-list")
    row.get_by_role("button", name="Lift the ban on 127.0.0.1/32").click()
    ada.page.get_by_role("dialog", name="Lift the ban on 127.0.0.1/32?").get_by_role("button", name="Lift ban").click()
    expect(ada.toast("Ban on 127.0.0.1/32 lifted")).to_be_visible()
    expect(bans.get_by_text("No bans here.")).to_be_visible()
    bans.get_by_role("combobox", name="Which bans").select_option(label="Lifted or expired")
    expect(bans.get_by_role("row").filter(has_text="127.0.0.1/32")).to_contain_text("Lifted by Ada")

    page.reload()  # the visitor can chat again: their ended chat shows, with a way to start another
    widget.f.get_by_role("button", name="Start a new chat").click()
    widget.start_chat("Troll", "Sorry about before")
    expect(ada.request("Troll")).to_be_visible()  # Ada was never offered a chat: she rings first


def test_a_keyboard_agent_bans_a_network_from_the_visitors_row_menu(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("ada@example.com", "Ada", admin=True)
    alice = agent_app("alice@example.com", live)
    visitor_asking(live, "Spammer", "Buy cheap watches", "https://shop.example/", "Home")
    alice.go("Visitors")
    row = alice.visitor_row("Spammer")
    expect(row).to_be_visible()
    row.focus()
    alice.page.keyboard.press("Shift+F10")
    menu = alice.menu("Spammer")
    expect(menu).to_be_visible()
    menu.get_by_role("menuitem", name="Ban…").focus()
    alice.page.keyboard.press("Enter")
    dialog = alice.page.get_by_role("dialog", name="Ban Spammer")
    expect(dialog.get_by_role("radio", name="This address")).to_be_focused()
    alice.page.keyboard.press("ArrowDown")  # radio group: the /24 network
    expect(dialog.get_by_role("radio", name="Its /24 network")).to_be_checked()
    dialog.get_by_label("Lasts").select_option(label="1 hour")
    dialog.get_by_role("button", name="Ban", exact=True).press("Enter")
    expect(alice.toast("Banned 127.0.0.0/24")).to_be_visible()

    ada = agent_app("ada@example.com", live)
    ada.manage("Bans…")
    row = ada.page.get_by_role("dialog", name="Banned visitors").get_by_role("row").filter(has_text="127.0.0.0/24")
    expect(row).to_contain_text("Alice")
    expect(row).not_to_contain_text("Until lifted")  # it ends in an hour
    chats = live.svc.db.read  # the spammer's waiting chat ended with the ban
    with chats() as db:
        assert db.execute("SELECT status FROM conversations").fetchone()[0] == "COMPLETED"
