"""The supervisor's live dashboard, in real Chromium: an administrator opens it with Alt+5 and watches a chat
wait (with its department and a growing wait), then move to an agent's row when Sam takes it, while the
tiles count agents and visitors. Agents who are not administrators have no dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking
from tests.support import Agent, Visitor


def test_the_dashboard_follows_the_team_live(live, agent_app):
    live.create_agent("ada@example.com", "Ada", admin=True)
    live.create_agent("sam@example.com", "Sam")
    ada = agent_app("ada@example.com", live)
    sam = agent_app("sam@example.com", live)
    expect(sam.page.get_by_role("button", name=re.compile("^Dashboard"))).to_have_count(0)
    sam_id = Agent(live, "sam@example.com").id
    sales = Agent(live, "ada@example.com").post("/teams", {"title": "Sales", "agent_ids": [sam_id]}).json()["data"]["id"]

    ada.page.keyboard.press("Alt+5")
    expect(ada.nav("Dashboard")).to_have_attribute("aria-current", "page")
    expect(ada.page.get_by_role("group", name=re.compile("^Agents online: 2"))).to_be_visible()
    visitor = Visitor(live, "Victor")
    visitor.view("https://shop.example/", "Home")
    visitor.connect()
    asked = visitor.post("/conversations", {"name": "Victor", "subject": "Bulk order", "department_id": sales})
    assert asked.status_code == 201
    waiting = ada.page.get_by_role("region", name="Chats waiting")
    row = waiting.get_by_role("row", name=re.compile("^Victor"))
    expect(row).to_contain_text("Bulk order")
    expect(row).to_contain_text("Sales")
    expect(ada.page.get_by_role("group", name=re.compile("^Waiting: 1"))).to_be_visible()
    expect(ada.page.get_by_role("group", name=re.compile("^Visitors online: 1"))).to_be_visible()
    first = row.locator("td").last.inner_text()
    expect(row.locator("td").last).not_to_have_text(first, timeout=4000)  # the wait grows by itself
    ada.shot("dashboard")

    visitor_asking(live, "Wendy", "Second question", "https://shop.example/pricing", "Pricing")
    sam.request("Victor").get_by_role("button", name="Accept").click()
    by_agent = ada.page.get_by_role("region", name="Chats in progress by agent")
    expect(by_agent.get_by_role("row", name=re.compile("^Sam"))).to_contain_text("1")
    expect(waiting.get_by_role("row", name=re.compile("^Victor"))).to_have_count(0)
    expect(waiting.get_by_role("row", name=re.compile("^Wendy"))).to_be_visible()
    departments = ada.page.get_by_role("region", name="By department")
    expect(departments.get_by_role("row", name=re.compile("^Sales"))).to_contain_text("1")

    # History: today's figures as tiles, charts with their numbers beside, and the CSV export.
    history = ada.page.get_by_role("region", name="History")
    history.get_by_role("button", name="Show").click()
    expect(history.get_by_role("group", name="Chats: 2")).to_be_visible()
    expect(history.get_by_role("group", name="Missed: 1")).to_be_visible()  # Wendy is still waiting
    chats_chart = history.get_by_role("region", name="Chats a day", exact=True)
    expect(chats_chart.get_by_role("img")).to_have_accessible_name(re.compile("^Chats a day, one bar a day"))
    expect(chats_chart.get_by_role("table", name="Chats a day: the numbers").locator("tbody tr")).to_have_count(7)
    history.get_by_label("Agent", exact=True).select_option(label="Sam")
    history.get_by_role("button", name="Show").click()
    expect(history.get_by_role("group", name="Chats: 1")).to_be_visible()  # Victor's, which Sam took
    history.get_by_role("region", name="Share of good ratings", exact=True).scroll_into_view_if_needed()
    ada.shot("dashboard-history")
    with ada.page.expect_download() as info:
        history.get_by_role("button", name="Export CSV").click()
    exported = info.value
    assert re.fullmatch(r"chats-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv", exported.suggested_filename)
    lines = open(exported.path(), encoding="utf-8").read().splitlines()
    assert lines[0].startswith("day,chats,offline_messages,missed,wait_avg,wait_p90") and lines[-1].startswith("total,1,")
