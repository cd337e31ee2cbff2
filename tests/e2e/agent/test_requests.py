"""A chat request looks and answers the same in the app's request card and in the desktop's pop-up window
(app/kayako_desktop/desktop/popup.html, shown here in Chromium as the shell renders it): the countdown ring, the colours
and the words; Enter / Esc on a focused card and in the pop-up, Alt+A / Alt+D anywhere — and the help says so."""

from __future__ import annotations

import re
from pathlib import Path

from kayako_desktop.desktop.popup import render
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SHOTS
from tests.support import Visitor

POPUP_SIZE = (380, 188)  # app/kayako_desktop/desktop/shell.py POPUP_SIZE: the pop-up window's size

# The pop-up's answers go to the shell's NativeApi; here a stand-in records them.
FAKE_SHELL = """window.answers = [];
window.pywebview = { api: { answer_request: (instance, cid, accept) => {
  window.answers.push([instance, cid, accept]); return Promise.resolve({ ok: false, message: 'Recorded by the test' }); } } };"""

LOOK = """(card) => {
  const s = (sel) => getComputedStyle(card.querySelector(sel));
  const words = (sel) => [...card.querySelector(sel).childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
  return { accept: s('button.accept').backgroundColor, acceptText: s('button.accept').color, decline: s('button.ghost').backgroundColor,
           edge: getComputedStyle(card).borderTopColor, arc: s('.ring .arc').stroke, eyebrow: s('.eyebrow').color,
           words: [words('button.ghost'), words('button.accept'), card.querySelector('.eyebrow').textContent] };
}"""


def open_popup(browser: Browser, html: Path) -> tuple[Page, object]:
    context = browser.new_context(viewport={"width": POPUP_SIZE[0], "height": POPUP_SIZE[1]})
    context.add_init_script(FAKE_SHELL)
    popup = context.new_page()
    popup.goto(html.as_uri())
    return popup, context


def test_the_request_card_and_the_desktop_pop_up_are_one_design_with_the_same_keys(live, agent_app, browser, tmp_path):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    kim = Visitor(live, "Kim")
    kim.view("https://acme.example/pricing", "Pricing")
    kim.start_chat("Is there a yearly plan?")
    card = alice.request("Kim")
    expect(card.locator(".ring-seconds")).to_have_text(re.compile(r"^([12]\d|30|[1-9])$"))
    alice.shot("request-card")

    # The desktop pop-up for the same offer, as the shell renders it.
    offer = alice.page.evaluate("() => document.querySelector('request-popup').first().offer")
    instance = alice.instances[0]["id"]
    page_file = tmp_path / "popup.html"
    page_file.write_text(render(offer, instance, None), encoding="utf-8")
    popup, context = open_popup(browser, page_file)
    # Keys pressed in its first moments (typed for another window) do nothing.
    popup.keyboard.press("Enter")
    expect(popup.get_by_role("alertdialog", name="Kim")).to_contain_text("Is there a yearly plan?")
    in_app = int(card.locator(".ring-seconds").inner_text())
    expect(popup.locator("#seconds")).to_have_text(re.compile(r"^\d+$"))
    assert abs(int(popup.locator("#seconds").inner_text()) - in_app) <= 2  # one countdown, to the offer's expiry
    app_look = card.evaluate(LOOK)
    popup_look = popup.locator("main").evaluate(LOOK)
    assert popup_look == app_look, (popup_look, app_look)  # same colours and words
    assert app_look["words"] == ["Decline", "Accept", "Chat request"]
    popup.screenshot(path=f"{SHOTS}/desktop-popup.png")

    # The pop-up answers Esc (decline) and Enter (accept), as the card does when it has focus.
    assert popup.evaluate("window.answers") == []
    popup.wait_for_timeout(750)
    popup.keyboard.press("Escape")
    expect(popup.locator("#status")).to_have_text("Recorded by the test")
    popup.keyboard.press("Enter")
    popup.wait_for_function("window.answers.length === 2")
    assert popup.evaluate("window.answers") == [[instance, offer["conversation"]["id"], False],
                                                [instance, offer["conversation"]["id"], True]]
    context.close()  # type: ignore[attr-defined]

    # Both key sets are in the shortcuts help.
    alice.page.keyboard.press("?")
    help_dialog = alice.page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog.get_by_role("row").filter(has_text="Accept / decline the request card that has focus")
           ).to_contain_text("Enter / Esc")
    expect(help_dialog.get_by_role("row").filter(has_text="Accept the ringing chat request")).to_contain_text("Alt+A")
    alice.page.keyboard.press("Escape")

    # The card in the app: focused (a click on it), Esc declines.
    card.get_by_text("Is there a yearly plan?").click()
    expect(card).to_be_focused()
    alice.page.keyboard.press("Escape")
    expect(alice.requests.get_by_role("article")).to_have_count(0)
    expect(alice.toast("Declined — the chat goes to the next agent")).to_be_visible()

    # Enter accepts the focused card.
    lee = Visitor(live, "Lee")
    lee.view("https://acme.example/", "Acme home")
    lee.start_chat("Do you ship to Norway?")
    alice.request("Lee").get_by_text("Do you ship to Norway?").click()
    alice.page.keyboard.press("Enter")
    expect(alice.chat.get_by_role("heading", name=re.compile("^Lee"))).to_be_visible()
    expect(alice.composer).to_be_focused()

    # Enter in the reply box sends the reply; it never answers a request ringing meanwhile.
    max_ = Visitor(live, "Max")
    max_.view("https://acme.example/", "Acme home")
    max_.start_chat("Can I change my order?")
    expect(alice.request("Max")).to_be_visible()
    alice.composer.click()
    alice.page.keyboard.type("Yes, we ship to Norway.")
    alice.page.keyboard.press("Enter")
    expect(alice.post("Yes, we ship to Norway.")).to_be_visible()
    expect(alice.request("Max")).to_be_visible()
    alice.shot("request-card-while-chatting")
    alice.page.keyboard.press("Alt+D")
    expect(alice.requests.get_by_role("article")).to_have_count(0)


# The most animations running at once over a second, sampled every 50 ms.
STILL = """async () => {
  let most = 0;
  for (let i = 0; i < 20; i++) {
    most = Math.max(most, document.getAnimations().length);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return most;
}"""
ARC = "() => document.querySelector('.ring .arc').getAttribute('stroke-dashoffset')"


def test_a_ringing_request_redraws_only_when_its_countdown_steps(live, agent_app, browser, tmp_path):
    """A request rings for up to its ring timeout, many times a day, in an app open all day, and in the desktop's
    pop-up beside it. Its countdown moves in steps, four a second, and nothing animates between them. A transition on
    the arc, started again at every step, had Chromium repaint the ring 60 times a second: a third of a core for as
    long as anything rang (bench/ui_idle.py measures it)."""
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    kim = Visitor(live, "Kim")
    kim.view("https://acme.example/pricing", "Pricing")
    kim.start_chat("Is there a yearly plan?")
    expect(alice.request("Kim").locator(".ring-seconds")).to_be_visible()
    alice.page.wait_for_timeout(400)  # the card's slide-in (0.25 s) is over

    offer = alice.page.evaluate("() => document.querySelector('request-popup').first().offer")
    page_file = tmp_path / "popup.html"
    page_file.write_text(render(offer, alice.instances[0]["id"], None), encoding="utf-8")
    popup, context = open_popup(browser, page_file)
    expect(popup.get_by_role("alertdialog", name="Kim")).to_be_visible()
    for page in (alice.page, popup):
        before = page.evaluate(ARC)
        assert page.evaluate(STILL) == 0, page.url
        assert page.evaluate(ARC) != before, page.url  # the ring did count down meanwhile
    context.close()
