"""The team's accounts as an administrator keeps them, in real Chromium: Ada opens Manage → Agents…, creates
Sue as a supervisor with a first password, raises Sam's chat limit and makes him a supervisor too, and is
told plainly she cannot stop being the only administrator. Sue signs in with that password: she has the
Dashboard (Alt+5) and its History, but not the Manage menu; Tom, an agent, has neither, and Alt+5 does
nothing for him. Tom leaves the team: Ada disables his account and his app says he cannot sign in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support import Agent


def test_an_administrator_makes_a_supervisor_who_gets_the_dashboard(live, agent_app):
    live.create_agent("ada@example.com", "Ada", admin=True)
    live.create_agent("sam@example.com", "Sam")
    live.create_agent("tom@example.com", "Tom")
    ada = agent_app("ada@example.com", live)
    ada.manage("Agents…")
    dialog = ada.page.get_by_role("dialog", name="Agents")
    agents = dialog.get_by_role("list", name="Agents")
    expect(agents.get_by_role("button")).to_have_count(3)
    expect(dialog.get_by_role("heading", name="Edit Ada")).to_be_visible()

    dialog.get_by_role("button", name="New agent").click()
    dialog.get_by_label("Name").fill("Sue")
    dialog.get_by_label("E-mail address").fill("sue@example.com")
    dialog.get_by_label("First password").fill("short")
    dialog.get_by_label("Role").select_option("SUPERVISOR")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_label("First password")).to_have_js_property("validity.valid", False)  # the browser says why
    dialog.get_by_label("First password").fill("correct-horse")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("heading", name="Edit Sue")).to_be_visible()
    expect(agents.get_by_role("button", name=re.compile("^Sue"))).to_contain_text("Supervisor")
    expect(dialog.get_by_label("First password")).to_be_hidden()

    agents.get_by_role("button", name=re.compile("^Sam")).click()
    dialog.get_by_label("Chats at once").fill("6")
    dialog.get_by_label("Role").select_option("SUPERVISOR")
    dialog.get_by_role("button", name="Save").click()
    expect(agents.get_by_role("button", name=re.compile("^Sam"))).to_contain_text("Supervisor · offline · 0/6 chats")

    agents.get_by_role("button", name=re.compile("^Ada")).click()
    dialog.get_by_label("Role").select_option("AGENT")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("This is the only administrator: make someone else one first")
    ada.shot("agents")
    dialog.get_by_role("button", name="Close").click()
    sam = {a["full_name"]: a for a in Agent(live, "ada@example.com").get("/agents").json()["data"]}["Sam"]
    assert (sam["max_chats"], sam["role"]["title"]) == (6, "Supervisor")

    sue = agent_app("sue@example.com", live)
    expect(sue.page.get_by_role("button", name="Manage")).to_be_hidden()
    sue.page.keyboard.press("Alt+5")
    expect(sue.nav("Dashboard")).to_have_attribute("aria-current", "page")
    history = sue.page.get_by_role("region", name="History")
    history.get_by_role("button", name="Show").click()
    expect(history.get_by_role("table", name="Chats a day: the numbers")).to_be_visible()  # the reports answered her

    tom = agent_app("tom@example.com", live)
    expect(tom.page.get_by_role("button", name=re.compile("^Dashboard"))).to_have_count(0)
    tom.page.keyboard.press("Alt+5")
    expect(tom.nav("Visitors")).to_have_attribute("aria-current", "page")

    # Tom leaves the team: Ada disables his account; his app is signed out and says why.
    ada.manage("Agents…")
    dialog.get_by_role("list", name="Agents").get_by_role("button", name=re.compile("^Tom")).click()
    dialog.get_by_label("Account enabled").uncheck()
    dialog.get_by_role("button", name="Save").click()
    expect(agents.get_by_role("button", name=re.compile("^Tom"))).to_contain_text("Agent · disabled")
    expect(tom.banner).to_contain_text("Could not sign in to 127.0.0.1: This account is disabled: ask an administrator.")
    expect(tom.tab(re.compile("Sign-in failed"))).to_be_visible()
