"""Skills as people use them, in real Chromium: an administrator makes German and Billing in the agent app
(Manage → Skills…) and says who has them, then writes a visitor rule that routes chats started on the German
shop to German. A visitor on a /de/ page of the site asks in the widget: only the German-speaking agent
rings, and the request, the chat list and the header say German. He hands the chat to Billing with the
Transfer dialog and Billing's agent takes it. The visitor never reads which skill was asked for."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_skills_from_setup_to_routing_and_transfer(live, agent_app, widget, page, host_site):
    for email, name, admin in (("ada@example.com", "Ada", True), ("gus@example.com", "Gus", False),
                               ("bea@example.com", "Bea", False)):
        live.create_agent(email, name, admin=admin)
    ada = agent_app("ada@example.com", live)
    ada.manage("Skills…")
    dialog = ada.page.get_by_role("dialog", name="Skills")
    expect(dialog.get_by_text("No skills yet: chats go to any agent (of their department).")).to_be_visible()
    for title, member in (("German", "Gus"), ("Billing", "Bea")):
        dialog.get_by_role("button", name="New skill").click()
        dialog.get_by_label("Name").fill(title)
        dialog.get_by_role("group", name="Agents with this skill").get_by_label(member).check()
        dialog.get_by_role("button", name="Save").click()
        expect(dialog.get_by_role("list", name="Skills").get_by_role("button", name=re.compile(f"^{title}"))).to_be_visible()
    dialog.get_by_role("button", name="New skill").click()
    dialog.get_by_label("Name").fill("german")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("There is already a skill called german")
    ada.shot("skills")
    dialog.get_by_role("button", name="Close").click()

    held = []  # CI caught a name typed while the rules loaded being wiped: the form waits for them now
    loading = re.compile(r".*/visitors/rules(\?.*)?$")
    ada.page.route(loading, lambda route: held.append(route))
    ada.manage("Visitor rules…")
    rules = ada.page.get_by_role("dialog", name="Visitor rules")
    expect(rules.get_by_label("Name")).to_be_disabled()
    assert len(held) == 1
    held[0].continue_()
    ada.page.unroute(loading)
    rules.get_by_label("Name").fill("German shop")
    rules.get_by_label("Condition 1: what").select_option(label="Current page address")
    rules.get_by_label("Condition 1: value").fill("/de/")
    rules.get_by_label("Route the chat they start to agents with the skill").select_option(label="German")
    rules.get_by_role("button", name="Save").click()
    expect(rules.get_by_role("list", name="Rules").get_by_role("button", name=re.compile("German shop"))) \
        .to_contain_text("skill German")
    rules.get_by_role("button", name="Close").click()

    gus = agent_app("gus@example.com", live)
    bea = agent_app("bea@example.com", live)
    page.goto(host_site + "/de/kasse")
    widget.open()
    widget.start_chat("Greta", "Wo ist meine Bestellung?")
    card = gus.request("Greta")
    expect(card).to_contain_text("German · Wo ist meine Bestellung?")
    gus.shot("request-with-skill")
    expect(bea.requests.get_by_role("article")).to_have_count(0)
    expect(ada.requests.get_by_role("article")).to_have_count(0)
    card.get_by_role("button", name="Accept").click()
    expect(gus.chat.locator(".chip.skill")).to_have_text("German")
    expect(gus.chat_list().get_by_role("button", name=re.compile("skill German"))).to_be_visible()

    gus.chat.get_by_role("button", name="Transfer").click()
    transfer = gus.page.get_by_role("dialog", name="Transfer chat")
    expect(transfer.get_by_label(re.compile("^German"))).to_be_disabled()  # the chat's own skill
    transfer.get_by_label(re.compile("^Billing")).check()
    gus.shot("transfer-to-skill")
    transfer.get_by_role("button", name="Transfer").click()
    expect(gus.toast("Transfer requested")).to_be_visible()
    offer = bea.request("Greta")
    expect(offer).to_contain_text("Transfer from Gus")
    expect(offer).to_contain_text("Billing · Wo ist meine Bestellung?")
    offer.get_by_role("button", name="Accept").click()
    expect(bea.chat.locator(".chip.skill")).to_have_text("Billing")
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Bea")
    expect(widget.f.get_by_text(re.compile("German|Billing"))).to_have_count(0)
