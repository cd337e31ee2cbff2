"""The demo website at /demo: a multi-page shop whose every page carries the widget, so agents watch a
visitor move through it live (including the pricing page's history-API toggle)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import WIDGET_FRAME, Widget


def test_a_visitor_moving_through_the_demo_shop_moves_live(live, make_agent, page):
    alice = make_agent("alice")
    widget = Widget(page)
    page.goto(live.url + "/demo")
    expect(page).to_have_title("Northwind Lamps — Handmade lamps from Harwick Bay, Maine")
    first = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"] == live.url + "/demo",
                            timeout=10)["data"]["visitor"]
    assert first["current_title"].startswith("Northwind Lamps")

    page.get_by_role("navigation").first.get_by_role("link", name="Harbor pendant").click()
    product = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"].endswith(
        "/demo/products/harbor-pendant"), timeout=10)["data"]["visitor"]
    assert "Harbor Pendant" in product["current_title"] and product["page_views"] == 2

    page.get_by_role("navigation").first.get_by_role("link", name="Pricing").click()
    page.get_by_role("button", name="Yearly").click()
    expect(page).to_have_url(live.url + "/demo/pricing?billing=yearly")
    yearly = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"].endswith("billing=yearly"),
                             timeout=10)["data"]["visitor"]
    assert yearly["current_title"] == "Pricing (yearly) — Northwind Lamps" and yearly["id"] == first["id"]
    listed = alice.get("/visitors").json()["data"]
    assert [(v["id"], v["current_url"]) for v in listed] == [(first["id"], live.url + "/demo/pricing?billing=yearly")]

    widget.open()
    widget.start_chat("Ada", "Is the Harbor pendant dimmable?")
    offer = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]
    assert offer["conversation"]["subject"] == "Is the Harbor pendant dimmable?"
    page.screenshot(path="test-results/screenshots/demo-pricing-chat.png")


def test_demo_pages_are_served_with_their_widget(live, page):
    for path in ["/demo", "/demo/products/fjord-desk-lamp", "/demo/products/beacon-floor-lamp", "/demo/contact",
                 "/demo/pricing"]:
        resp = page.goto(live.url + path)
        assert resp and resp.status == 200, path
        assert page.locator("script[src='/messenger.js']").count() == 1
        expect(page.frame_locator(WIDGET_FRAME).get_by_role(
            "button", name="Open chat")).to_be_visible()
    assert page.goto(live.url + "/demo/nope").status == 404
    assert page.goto(live.url + "/demo/../app/cli.py").status == 404
