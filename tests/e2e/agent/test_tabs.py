"""Two chat servers in one app: a tab each, with its own status dot and count, and the total in the title."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support import Visitor, free_port


def test_a_request_on_the_second_server_counts_on_its_tab_and_in_the_title(live, live2, agent_app):
    for server in (live, live2):
        server.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live, live2, names=["Acme", "Globex"])
    acme, globex = alice.tab(re.compile("^Acme")), alice.tab(re.compile("^Globex"))
    expect(acme).to_have_attribute("aria-label", "Acme: Connected")
    expect(globex).to_have_attribute("aria-label", "Globex: Connected")
    expect(acme).to_have_attribute("aria-selected", "true")
    expect(alice.page).to_have_title("Kayako Desktop")

    nina = Visitor(live2, "Nina")
    nina.view("https://globex.example/support", "Globex support")
    nina.start_chat("My invoice is wrong")
    expect(globex).to_have_attribute("aria-label", "Globex: Connected, 1 waiting")
    expect(globex.locator(".badge")).to_have_text("1")
    expect(acme).to_have_attribute("aria-label", "Acme: Connected")
    expect(alice.page).to_have_title("(1) Kayako Desktop")
    card = alice.request("Nina")
    expect(card).to_contain_text("Chat request · Globex")
    expect(card).to_contain_text("My invoice is wrong")

    omar = Visitor(live, "Omar")
    omar.view("https://acme.example/", "Acme home")
    omar.start_chat("Do you ship to Canada?")
    expect(acme).to_have_attribute("aria-label", "Acme: Connected, 1 waiting")
    expect(alice.page).to_have_title("(2) Kayako Desktop")
    expect(alice.requests.get_by_role("article")).to_have_count(2)
    alice.shot("two-tabs")

    # Each tab shows its own server: Globex's visitors are not Acme's.
    expect(alice.visitor_row("Omar")).to_be_visible()
    globex.click()
    expect(globex).to_have_attribute("aria-selected", "true")
    expect(alice.visitor_row("Nina")).to_contain_text("Globex support")
    expect(alice.visitor_row("Omar")).to_have_count(0)

    # Taking Globex's chat clears its count; Acme's still rings.
    card.get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Nina"))).to_be_visible()
    expect(globex).to_have_attribute("aria-label", "Globex: Connected")
    expect(alice.page).to_have_title("(1) Kayako Desktop")
    expect(alice.request("Omar")).to_contain_text("Chat request · Acme")


# Every animation running in the page, with when it ends by itself (null: never).
ANIMATIONS = """() => document.getAnimations().map((a) => {
  const end = a.effect.getComputedTiming().endTime;
  return { name: a.animationName || a.transitionProperty, ends: Number.isFinite(end) ? end : null };
})"""


def test_the_tab_of_a_server_that_cannot_be_reached_pulses_a_few_times_not_all_day(live, agent_app):
    """A server can stay unreachable for hours while the app is open. Its tab's dot pulses a few times each time the
    bridge tries again, then holds still: a pulse that never ended cost ~10 % of a core in headless Chromium
    (bench/ui_idle.py), a repaint every frame for as long as the server was down."""
    live.create_agent("bob@example.com", "Bob")
    app = agent_app("bob@example.com", live)
    r = app.client.post("/api/instances", {"url": f"http://127.0.0.1:{free_port()}", "email": "bob@example.com",
                                           "password": "correct-horse", "name": "Gone"})
    assert r.status_code == 201, r.text
    expect(app.tab(re.compile(r"^Gone: (Reconnecting|Connecting)"))).to_be_visible()
    pulses = [a for a in app.page.evaluate(ANIMATIONS) if a["name"] == "pulse"]
    assert pulses and all(a["ends"] is not None and a["ends"] <= 5000 for a in pulses), pulses
    app.shot("tab-unreachable")  # after: a shot with animations disabled ends them
