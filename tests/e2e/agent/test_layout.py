"""Every screen of the agent app at a small (1,024 x 700) and a large (1,920 x 1,080) window: nothing scrolls
sideways, no button, label, tab or menu item has its text cut, no placeholder is cut, the request strip
never covers the Visitors table, and toasts leave the chat list and the reply box alone."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.agent.conftest import AgentApp
from tests.e2e.conftest import SHOTS
from tests.support import Visitor

# What an agent would call cut: text wider than the control that shows it (the page or a dialog), a
# control sticking out of the window, or a placeholder wider than its box. Ellipsis on list rows (names,
# subjects, URLs) is the design and is not looked at: those are spans, not controls.
PROBE = """() => {
  const bad = [];
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) bad.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth})`);
  const root = document.querySelector('dialog[open]') ?? document.body;
  const shown = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'inline'; };
  const name = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${[...e.classList].map((c) => '.' + c).join('')}`
    + ` "${(e.textContent || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}"`;
  const controls = 'button, label, legend, [role=tab], [role^=menuitem], [role=option], .chip, .tag, th, h1, h2, .eyebrow, .rail-label';
  for (const e of root.querySelectorAll(controls)) {
    if (!shown(e) || e.closest('.combo-list, .sr-only')) continue;
    if (e.scrollWidth > e.clientWidth + 1) bad.push(`${name(e)}: text cut (${e.scrollWidth} > ${e.clientWidth})`);
    const r = e.getBoundingClientRect();
    if (r.left < -1 || r.right > innerWidth + 1) bad.push(`${name(e)}: outside the window (${Math.round(r.left)}..${Math.round(r.right)})`);
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const e of root.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!shown(e) || e.value || !e.placeholder || (e.tagName === 'TEXTAREA' && e.rows > 1)) continue;
    const s = getComputedStyle(e);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const need = ctx.measureText(e.placeholder).width;
    if (need > room + 1) bad.push(`${name(e)}: placeholder "${e.placeholder}" cut (${Math.round(need)} > ${Math.round(room)})`);
  }
  return bad;
}"""

SIZES = [(1024, 700), (1920, 1080)]
QUICK = 400  # ms an assertion may wait after Playwright's clock jumped (test_toasts…)


# The new parts of the frame (request strip, note to staff, marked transcript) are also scanned with axe.
AXE_SCREENS = {"visitors-ringing", "chats-observing", "history"}


def check(app: AgentApp, size: tuple[int, int], screen: str, problems: dict[str, list[str]]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    app.page.wait_for_timeout(250)  # the slide-in and drop-in animations
    app.page.screenshot(path=f"{SHOTS}/layout-{size[0]}-{screen}.png", animations="disabled")
    found = app.page.evaluate(PROBE)
    if screen in AXE_SCREENS and size[0] == SIZES[0][0]:
        found += [f"axe {v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
                  for v in Axe().run(app.page).response["violations"] if v["impact"] in ("serious", "critical")]
    if found:
        problems[f"{size[0]}x{size[1]} {screen}"] = found


def box(locator: Locator) -> dict[str, float]:
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def uncovered(page: Page, locator: Locator) -> bool:
    """Whether the middle of every matched element is really what the agent sees there (nothing on top)."""
    covered = page.evaluate("""(els) => els.filter((e) => { const r = e.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !e.contains(top); })
      .map((e) => { const r = e.getBoundingClientRect(); const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return `${e.textContent} under ${top ? top.tagName + '.' + top.className : 'nothing'}`; })""", locator.element_handles())
    assert covered == [], covered
    return True


def test_every_screen_fits_at_1024_and_1920(live, agent_app, make_agent):
    live.create_agent("alice@example.com", "Alice")
    bob = make_agent("bob", max_chats=1)
    # A chat Bob answers (Alice observes it) before Alice's app is open, so it never rings her.
    adam = Visitor(live, "Adam Fenwick-Hargreaves")
    adam.view("https://acme.example/support/shipping", "Shipping and returns")
    observed = adam.start_chat("Where is my parcel? It should have arrived last Tuesday")["id"]
    bob.sock.wait("offer.created")
    assert bob.accept(observed).status_code == 200
    nora = Visitor(live, "Nora Lindqvist-Berg")
    nora.view("https://acme.example/products/harbor-pendant-lamp-with-a-long-name", "Harbor pendant lamp, brass, dimmable",
              referrer="https://www.google.com/search?q=brass+pendant")
    alice = agent_app("alice@example.com", live)
    bea = Visitor(live, "Bea")
    bea.view("https://acme.example/", "Acme home")
    bea.start_chat("Which bulb fits my lamp?")
    alice.request("Bea").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Bea"))).to_be_visible()
    alice.say("Any E27 bulb fits the Fjord desk lamp.")
    alice.go("Visitors")
    alice.row_action("Adam Fenwick-Hargreaves", "Join Chat as Observer")
    expect(alice.chat.get_by_role("status").filter(has_text="You are observing")).to_be_visible()

    page = alice.page
    problems: dict[str, list[str]] = {}
    for n, size in enumerate(SIZES):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        shot: Callable[[str], None] = lambda screen, size=size: check(alice, size, screen, problems)  # noqa: E731

        # Visitors, with a request ringing: the strip pushes the table down, every column stays in view.
        kim = Visitor(live, f"Kim {n}")
        kim.view("https://acme.example/pricing", "Pricing")
        kim.start_chat("Is there a yearly plan?")
        alice.go("Visitors")
        expect(alice.request(f"Kim {n}")).to_be_visible()
        headers = alice.visitors.get_by_role("columnheader")
        expect(headers.last).to_have_text(re.compile("^Chat"))
        assert uncovered(page, headers)
        assert not overlaps(box(alice.requests), box(alice.visitors.locator("thead")))
        assert all(not overlaps(box(alice.requests), box(h)) for h in headers.all())
        shot("visitors-ringing")
        page.keyboard.press("Alt+D")  # to the queue (Bob is full)
        expect(alice.requests.get_by_role("article")).to_have_count(0)
        shot("visitors")
        alice.visitor_row("Nora Lindqvist-Berg").click(button="right")
        expect(alice.menu("Nora Lindqvist-Berg")).to_be_visible()
        shot("context-menu")
        alice.menu("Nora Lindqvist-Berg").get_by_role("menuitem", name="Footprints").click()
        expect(alice.dialog).to_contain_text("Harbor pendant lamp")
        shot("footprints")
        page.keyboard.press("Escape")
        alice.row_action("Nora Lindqvist-Berg", "Invite to chat")
        expect(alice.dialog.get_by_label("Message")).to_be_visible()
        shot("invite")
        alice.dialog.get_by_role("button", name="Cancel").click()

        # Chats: my chat with the push bar and the queue; the observed chat with its note box.
        alice.go("Chats")
        alice.chat_list().get_by_role("button", name=re.compile("^Bea")).click()
        expect(alice.composer).to_be_visible()
        expect(page.get_by_role("list", name="Waiting chats")).to_contain_text(f"Kim {n}")
        shot("chats")
        alice.chat_list().get_by_role("button", name=re.compile("^Adam")).click()
        expect(alice.chat.get_by_label("Note to staff")).to_be_visible()
        shot("chats-observing")
        alice.chat_list().get_by_role("button", name=re.compile("^Bea")).click()
        for button, title in [("Send an image", "Push image"), ("Send a file", "Push file"),
                              ("Send example source code", "Push code")]:
            alice.chat.get_by_role("button", name=button).click()
            expect(page.get_by_role("dialog", name=title)).to_be_visible()
            shot(title.lower().replace(" ", "-"))
            if title == "Push code":
                page.get_by_role("dialog", name=title).get_by_role("combobox", name="Language").press("ArrowDown")
                expect(page.get_by_role("listbox", name="Languages")).to_be_visible()
                shot("push-code-languages")
                page.keyboard.press("Escape")
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog", name=title)).to_be_hidden()
        page.get_by_role("button", name="Push", exact=True).click()
        expect(page.get_by_role("menu", name="Push")).to_be_visible()
        shot("push-menu")
        page.get_by_role("menu", name="Push").get_by_role("menuitem", name="Push URL…").click()
        expect(page.get_by_role("dialog", name="Push URL")).to_be_visible()
        shot("push-url")
        page.keyboard.press("Escape")
        alice.chat.get_by_role("button", name="Transfer").click()
        expect(page.get_by_role("dialog", name="Transfer chat")).to_contain_text("Bob")
        shot("transfer")
        page.keyboard.press("Escape")
        alice.chat.get_by_role("button", name="End chat").click()
        expect(page.get_by_role("dialog", name="End this chat?")).to_be_visible()
        shot("end-chat")
        page.keyboard.press("Escape")

        # History with a transcript open.
        alice.go("History")
        history = page.get_by_role("search")
        word = ["bulb", "lamp"][n]
        history.get_by_role("searchbox", name="Search chat history").fill(word)
        history.get_by_role("button", name="Search").click()
        hit = page.get_by_role("list", name="Chats found").get_by_role("button").first
        expect(hit.locator("mark").first).to_have_text(word)
        hit.click()
        expect(page.get_by_role("region", name="Transcript").get_by_role("log").locator("mark").first).to_be_visible()
        shot("history")

        # The frame's menus and dialogs.
        page.locator("status-menu").get_by_role("button").first.click()
        shot("status-menu")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Add a chat server").click()
        expect(page.get_by_role("dialog", name="Add a chat server")).to_be_visible()
        shot("add-server")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Settings").click()
        expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
        shot("settings")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Keyboard shortcuts").click()
        expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
        shot("help")
        page.keyboard.press("Escape")

    # The push bar's URL box at 1,200 px, where its placeholder used to be cut.
    page.set_viewport_size({"width": 1200, "height": 800})
    alice.go("Chats")
    alice.chat_list().get_by_role("button", name=re.compile("^Bea")).click()
    check(alice, (1200, 800), "chats", problems)
    assert problems == {}, "\n".join(f"{screen}: {p}" for screen, found in problems.items() for p in found)


def test_toasts_go_by_themselves_three_at_most_and_never_over_the_chat_list_or_the_reply_box(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live, clock=True)  # the seconds a toast stays pass at once
    bea = Visitor(live, "Bea")
    bea.view("https://acme.example/", "Acme home")
    bea.start_chat("Which bulb fits my lamp?")
    alice.request("Bea").get_by_role("button", name="Accept").click()
    expect(alice.composer).to_be_visible()
    page = alice.page
    toasts = page.locator("toast-stack .toast")

    # A confirmation goes by itself after four seconds.
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("dialog", name="Settings").get_by_role("button", name="Save").click()
    expect(alice.toast("Settings saved")).to_be_visible()
    # (Time also runs as usual: the checks after a jump wait at most QUICK ms, so they see the jump's effect.)
    page.clock.run_for(3000)
    expect(alice.toast("Settings saved")).to_be_visible(timeout=QUICK)
    page.clock.run_for(1100)
    expect(alice.toast("Settings saved")).to_be_hidden(timeout=QUICK)

    # Five notices from the desktop shell at once: three show, the newest in front, the oldest gone.
    for i in range(1, 6):
        page.evaluate("(i) => window.kayakoDesktop.notice(`Notice ${i}`, i === 3 ? 'error' : 'info')", i)
    expect(toasts).to_have_count(3)
    expect(toasts).to_have_text([re.compile("Notice 3"), re.compile("Notice 4"), re.compile("Notice 5")])
    expect(alice.toast("Notice 5")).to_be_visible()
    stack = box(page.locator("toast-stack"))
    for region in [page.get_by_role("list", name="My chats"), alice.chat.locator("chat-composer"), alice.chat.locator("push-bar")]:
        assert not overlaps(stack, box(region)), region
    assert stack["y"] + stack["height"] <= box(alice.chat.locator(".chat-head"))["y"] + 16  # in the top bar, barely below
    alice.shot("toasts")
    # Pointing at the stack spreads it out; each one can be closed.
    toasts.last.hover()
    expect(alice.toast("Notice 3")).to_be_visible()
    alice.shot("toasts-spread")
    toasts.filter(has_text="Notice 4").get_by_role("button", name="Dismiss").click()
    expect(toasts).to_have_count(2)
    page.mouse.move(5, 400)
    # Information goes after a few seconds; an error from the shell (the local server would not start…)
    # stays until the agent closes it.
    page.clock.run_for(6500)
    expect(alice.toast("Notice 5")).to_be_hidden(timeout=QUICK)
    page.clock.run_for(12000)
    expect(alice.toast("Notice 3")).to_be_visible(timeout=QUICK)
    expect(toasts.filter(has_text="Notice 3")).to_have_class(re.compile("sticky"))
    toasts.filter(has_text="Notice 3").get_by_role("button", name="Dismiss").click()
    expect(alice.toast("Notice 3")).to_be_hidden()
    page.mouse.move(5, 400)  # (a toast under the resting pointer waits for it)
    # An error of the UI's own goes too, later than information.
    page.evaluate("() => document.querySelector('toast-stack').show('Could not send', 'error')")
    expect(alice.toast("Could not send")).to_be_visible()
    page.clock.run_for(8500)
    expect(alice.toast("Could not send")).to_be_visible(timeout=QUICK)
    page.clock.run_for(1600)
    expect(alice.toast("Could not send")).to_be_hidden(timeout=QUICK)
