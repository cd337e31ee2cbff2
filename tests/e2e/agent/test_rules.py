"""Visitor rules with the demo shop, in real Chromium: an administrator writes two rules in the agent app —
one colours and alerts on the pricing page, one invites visitors looking at the Harbor pendant — and a
visitor browsing the shop (the real widget on every page) sets them off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Widget


def test_rules_written_in_the_app_act_on_a_visitor_browsing_the_demo_shop(live, agent_app, page):
    live.create_agent("ada@example.com", "Ada", admin=True)
    ada = agent_app("ada@example.com", live)
    ada.manage("Visitor rules…")
    dialog = ada.page.get_by_role("dialog", name="Visitor rules")
    expect(dialog.get_by_text("No rules yet.")).to_be_visible()
    dialog.get_by_label("Name").fill("Looking at prices")
    dialog.get_by_label("Condition 1: what").select_option(label="Current page address")
    dialog.get_by_label("Condition 1: how").select_option(label="contains")
    dialog.get_by_label("Condition 1: value").fill("/demo/pricing")
    dialog.get_by_label("Colour their row").select_option(label="Amber")
    dialog.get_by_label("Alert the agents online (once a visit)").check()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("list", name="Rules").get_by_role("button", name=re.compile("Looking at prices"))).to_be_visible()

    dialog.get_by_role("button", name="New rule").click()
    dialog.get_by_label("Name").fill("Pendant help")
    dialog.get_by_label("Condition 1: what").select_option(label="Page title")
    dialog.get_by_label("Condition 1: value").fill("harbor pendant")
    dialog.get_by_label("Invite them to chat with this message").fill("Need help choosing a pendant?")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("heading", name="Edit Pendant help")).to_be_visible()
    dialog.get_by_role("button", name="Add a condition").click()  # a rule that cannot work is refused, clearly
    dialog.get_by_label("Condition 2: what").select_option(label="Visits")
    dialog.get_by_label("Condition 2: value").fill("many")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("Condition 2: visits compares with a whole number")
    dialog.get_by_role("button", name="Remove condition 2").click()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_be_hidden()
    ada.shot("rules")
    dialog.get_by_role("button", name="Close").click()

    widget = Widget(page)
    page.goto(live.url + "/demo")
    row = ada.visitors.locator("tbody").get_by_role("row").first
    expect(row).to_be_visible()
    expect(row).not_to_have_class(re.compile("highlighted"))
    page.get_by_role("navigation").first.get_by_role("link", name="Pricing").click()
    expect(ada.toast(re.compile(r"^Looking at prices: Visitor \d+ is on Pricing"))).to_be_visible()
    expect(row).to_have_class(re.compile("highlighted"))
    expect(row).to_contain_text("Looking at prices")
    ada.shot("rule-highlight")

    page.get_by_role("navigation").first.get_by_role("link", name="Harbor pendant").click()
    expect(widget.f.get_by_text("Need help choosing a pendant?")).to_be_visible(timeout=10000)
    expect(row).not_to_have_class(re.compile("highlighted"))  # no longer on the pricing page
    widget.shot("rule-invitation")
