"""The team's screens of issue 16 at the small window (1,024 x 700) and the large one (1,920 x 1,080), the way
test_layout.py looks at the rest: nothing scrolls sideways, no control has its text cut, and axe-core finds
nothing serious or critical — Team, Dashboard (live and History), and the Departments, Rules, Bans, Notes, Ban
and Transfer (with departments) dialogs."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.conftest import visitor_asking
from tests.e2e.agent.test_layout import PROBE, SIZES
from tests.e2e.conftest import SHOTS
from tests.support import Agent


def test_the_team_screens_fit_and_pass_axe(live, agent_app):
    from axe_playwright_python.sync_playwright import Axe

    live.create_agent("ada@example.com", "Ada", admin=True)
    live.create_agent("sam@example.com", "Sam")
    boss = Agent(live, "ada@example.com")
    sam_id = Agent(live, "sam@example.com").id
    assert boss.post("/teams", {"title": "Sales", "agent_ids": [sam_id]}).status_code == 201
    assert boss.post("/skills", {"title": "German", "agent_ids": [sam_id]}).status_code == 201
    assert boss.post("/visitors/rules", {"title": "Pricing", "colour": "#f59e0b", "conditions": [
        {"field": "current_url", "op": "contains", "value": "/pricing"}]}).status_code == 201
    assert boss.post("/bans", {"address": "198.51.100.0", "prefix": 24, "reason": "Spam"}).status_code == 201
    ada = agent_app("ada@example.com", live)
    agent_app("sam@example.com", live)
    victor, cid = visitor_asking(live, "Victor Ödegaard-Lindqvist", "Which bulb fits my lamp?",
                                 "https://shop.example/pricing", "Pricing")
    ada.request("Victor Ödegaard-Lindqvist").get_by_role("button", name="Accept").click()
    expect(ada.chat.get_by_role("heading", name=re.compile("^Victor"))).to_be_visible()
    assert boss.post(f"/visitors/{victor.id}/notes", {"body_text": "Ordered the blue lamp, #4411"}).status_code == 201
    page = ada.page
    problems: dict[str, list[str]] = {}

    def look(size: tuple[int, int], screen: str) -> None:
        page.wait_for_timeout(250)
        page.screenshot(path=f"{SHOTS}/layout-{size[0]}-{screen}.png", animations="disabled")
        found = page.evaluate(PROBE)
        if size == SIZES[0]:
            found += [f"axe {v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
                      for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        if found:
            problems[f"{size[0]}x{size[1]} {screen}"] = found

    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        ada.go("Chats")
        for button, title in (("Notes", "Notes on Victor Ödegaard-Lindqvist"), ("Ban", "Ban Victor Ödegaard-Lindqvist"),
                              ("Transfer", "Transfer chat")):
            ada.chat.get_by_role("button", name=button, exact=True).click()
            expect(page.get_by_role("dialog", name=title)).to_be_visible()
            look(size, title.split(" ")[0].lower() + "-dialog")
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog", name=title)).to_be_hidden()
        ada.go("Visitors")
        for item, title in (("Agents…", "Agents"), ("Departments…", "Departments"), ("Skills…", "Skills"), ("Visitor rules…", "Visitor rules"),
                            ("Bans…", "Banned visitors")):
            ada.manage(item)
            expect(page.get_by_role("dialog", name=title)).to_be_visible()
            look(size, item.rstrip("…").split(" ")[-1].lower())
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog", name=title)).to_be_hidden()
        ada.go("Team")
        page.get_by_role("list", name="Colleagues").get_by_role("button", name=re.compile("^Sam")).click()
        look(size, "team")
        ada.go("Dashboard")
        expect(page.get_by_role("region", name="Chats in progress by agent")).to_be_visible()
        expect(page.get_by_role("region", name="Chats a day", exact=True)).to_be_visible()
        look(size, "dashboard")
    assert problems == {}, problems
    assert cid
