"""Browser fixtures: Debian's Chromium driven by Playwright, a host website on another origin, and a
page object for the visitor widget."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, FrameLocator, Page, expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

# The browser tests drive Chromium's headless shell (Debian's chromium-headless-shell, the build Playwright
# itself uses for headless runs): the same Blink, V8 and network stack as /usr/bin/chromium, without the
# desktop browser around them that /usr/bin/chromium keeps running in its headless mode. Measured on the whole
# browser tier alone: 247 core-seconds and 3:43 against ~635 and ~6:50 with /usr/bin/chromium, same tests
# passing. bench/ui_idle.py measures the agent UI on the full browser (FULL_CHROMIUM), which is what a user has.
CHROMIUM = "/usr/bin/chromium-headless-shell"
FULL_CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = "test-results/screenshots"
# The widget's iframe: the production build's /messenger/dist/frame.<hash>.html, or the source's
# /messenger/frame.html (CHAT_WIDGET_SOURCE).
WIDGET_FRAME = "iframe[src*='/messenger/']"


@pytest.fixture
def host_site(live) -> Iterator[str]:
    """A customer's website on another origin (localhost vs the chat server's 127.0.0.1) embedding the
    widget with the one-line tag, like a real site owner would."""
    tag = f'<script src="{live.url}/messenger.js" async data-title="Chat with Acme" data-accent="#7c3aed"></script>'

    @Request.application
    def app(request: Request) -> Response:
        if request.path.endswith(".png"):  # an "online image" an agent can push by address
            from tests.e2e.agent.media import png_bytes

            return Response(png_bytes(160, 100), content_type="image/png")
        title = {"/": "Acme home", "/pricing": "Acme pricing"}.get(request.path, f"Acme {request.path.strip('/')}")
        html = (f"<!doctype html><html lang='en'><head><meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title></head><body><main><h1>{title}</h1>"
                f"<a href='/pricing'>Pricing</a> <a href='/'>Home</a></main>{tag}</body></html>")
        return Response(html, content_type="text/html")

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://localhost:{srv.server_port}"
    finally:
        srv.shutdown()


@pytest.fixture
def page(browser, live) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.errors, pg.dialogs = errors, dialogs  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert dialogs == [], f"a dialog opened (script ran?): {dialogs}"


class Widget:
    """The visitor widget as a visitor uses it: by role and label, inside its iframe."""

    def __init__(self, page: Page):
        self.page = page
        self.f: FrameLocator = page.frame_locator(WIDGET_FRAME)

    @property
    def frame(self) -> Frame:
        return next(f for f in self.page.frames if "/messenger/" in f.url)

    def open(self) -> None:
        self.f.get_by_role("button", name="Open chat").click()
        expect(self.f.get_by_role("dialog")).to_be_visible()

    def start_chat(self, name: str = "Victor", subject: str = "Where is my order?", email: str = "") -> None:
        self.f.get_by_label("Your name").fill(name)
        if email:
            self.f.get_by_label("Email (optional)").fill(email)
        self.f.get_by_label("Your question").fill(subject)
        self.f.get_by_role("button", name="Start chat").click()
        expect(self.f.locator(".chat-status")).to_contain_text("Connecting you to an agent")

    def send(self, text: str) -> None:
        box = self.f.get_by_label("Type your message")
        box.fill(text)
        box.press("Enter")

    def post(self, text: str) -> Any:
        return self.f.locator("li.post", has_text=text)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=f"{SHOTS}/{name}.png")


@pytest.fixture
def widget(page) -> Widget:
    return Widget(page)


def image_loaded(img: Any) -> bool:
    """True once an <img> has really decoded (waits up to 10 s: lazy images load when scrolled near).
    A timeline may redraw the row meanwhile (a tick changes), so a detached element is looked up again."""
    for _ in range(5):
        try:
            img.scroll_into_view_if_needed(timeout=5000)
            return bool(img.evaluate("""(i) => (i.complete && i.naturalWidth > 0) || new Promise((resolve) => {
              i.addEventListener('load', () => resolve(i.naturalWidth > 0), { once: true });
              i.addEventListener('error', () => resolve(false), { once: true });
              setTimeout(() => resolve(i.complete && i.naturalWidth > 0), 10000);
            })"""))
        except PlaywrightError as exc:
            if "not attached" not in str(exc):
                raise
    return False
