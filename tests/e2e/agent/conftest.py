"""Agent-app fixtures: a real bridge per agent (file store in tmp_path) signed in to real chat servers, and
the agent UI (web/agent) in its own Chromium context, driven by role and label like an agent would."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kayako_desktop.bridge import RunningBridge, start_bridge
from kayako_desktop.bridge.store import FileStore
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.bridge.conftest import BridgeClient
from tests.e2e.agent.outage import Outage
from tests.e2e.conftest import SHOTS
from tests.support import LiveServer, Visitor


def sync_clock(live: LiveServer) -> None:
    """The fake clock starts in 2027; put it at the real time so ring countdowns, "time on site" and
    history dates read like a real day (it still only moves when a test says so)."""
    live.clock.advance(time.time() - live.clock.now())


@pytest.fixture(autouse=True)
def _real_time(request, live: LiveServer) -> None:
    sync_clock(live)
    if "live2" in request.fixturenames:
        sync_clock(request.getfixturevalue("live2"))


def visitor_asking(live: LiveServer, name: str, subject: str, url: str, title: str) -> tuple[Visitor, int]:
    """A visitor on a page of the website (so the Visitors screen lists them), socket open, who starts a chat:
    (the visitor, the chat's id)."""
    visitor = Visitor(live, name)
    visitor.view(url, title)
    visitor.connect()
    return visitor, int(visitor.start_chat(subject)["id"])


class AgentApp:
    """The agent UI as one agent uses it, in its own browser context, talking to its own bridge."""

    def __init__(self, page: Page, bridge: RunningBridge, client: BridgeClient, instances: list[dict[str, Any]]):
        self.page = page
        self.bridge = bridge
        self.client = client
        self.instances = instances

    # ---- the frame around every screen --------------------------------------------------------------
    def tab(self, name: str | re.Pattern[str]) -> Locator:
        return self.page.get_by_role("tablist", name="Chat servers").get_by_role("tab", name=name)

    def nav(self, label: str) -> Locator:
        return self.page.get_by_role("navigation", name="Main").get_by_role("button", name=re.compile(f"^{label}"))

    def go(self, label: str) -> None:
        self.nav(label).click()
        expect(self.nav(label)).to_have_attribute("aria-current", "page")

    @property
    def banner(self) -> Locator:
        return self.page.locator("connection-banner")

    def toast(self, text: str) -> Locator:
        return self.page.locator("toast-stack").get_by_text(text)

    # ---- Visitors screen ----------------------------------------------------------------------------
    @property
    def visitors(self) -> Locator:
        return self.page.get_by_role("table", name="Visitors on the website")

    def visitor_row(self, name: str) -> Locator:
        return self.visitors.locator("tbody").get_by_role("row").filter(has_text=name)

    def menu(self, visitor: str) -> Locator:
        return self.page.get_by_role("menu", name=f"Actions for {visitor}")

    def row_action(self, visitor: str, item: str) -> None:
        """Right-click the visitor's row and pick a menu item."""
        self.visitor_row(visitor).click(button="right")
        self.menu(visitor).get_by_role("menuitem", name=item, exact=True).click()

    def manage(self, item: str) -> None:
        """Open an administrators' screen from the Visitors page's Manage menu (Departments…, Skills…, …)."""
        self.go("Visitors")
        self.page.get_by_role("button", name="Manage", exact=True).click()
        self.page.get_by_role("menu", name="Manage").get_by_role("menuitem", name=item, exact=True).click()

    # ---- chat requests ------------------------------------------------------------------------------
    @property
    def requests(self) -> Locator:
        return self.page.get_by_role("region", name="Chat requests")

    def request(self, visitor: str) -> Locator:
        return self.requests.get_by_role("article", name=visitor)

    # ---- chats --------------------------------------------------------------------------------------
    @property
    def chat(self) -> Locator:
        return self.page.get_by_role("region", name="Chat", exact=True)

    @property
    def timeline(self) -> Locator:
        return self.chat.get_by_role("log", name="Conversation")

    @property
    def composer(self) -> Locator:
        return self.chat.get_by_role("textbox", name="Reply")

    def say(self, text: str) -> None:
        self.composer.fill(text)
        self.composer.press("Enter")

    def post(self, text: str) -> Locator:
        return self.timeline.locator("li.post").filter(has_text=text)

    def chat_list(self) -> Locator:
        return self.page.get_by_role("list", name="My chats")

    # ---- dialogs ------------------------------------------------------------------------------------
    @property
    def dialog(self) -> Locator:
        return self.page.get_by_role("dialog")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=f"{SHOTS}/agent-{name}.png", animations="disabled")


@pytest.fixture
def agent_app(browser: Browser, tmp_path) -> Iterator[Callable[..., AgentApp]]:
    """agent_app("bob@example.com", live, live2, names=["Acme", "Globex"]) → the app signed in to each server,
    every instance online, open in a fresh browser context on the Visitors screen. With clock=True the page's
    timers run on Playwright's clock: time passes as usual, and `app.page.clock.run_for(ms)` moves it on at
    once (for what happens seconds later: a toast going, a retry)."""
    opened: list[tuple[RunningBridge, BrowserContext, Page]] = []

    def open_app(email: str, *servers: LiveServer, names: list[str] | None = None, clock: bool = False) -> AgentApp:
        bridge = start_bridge(FileStore(tmp_path / f"bridge-{len(opened)}"))
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        if clock:
            context.clock.install()
        page = context.new_page()
        page.errors, page.dialogs = [], []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        opened.append((bridge, context, page))
        client = BridgeClient(bridge)
        instances = []
        for i, live in enumerate(servers):
            inst = client.add(live, email, name=names[i] if names else None)
            instances.append(client.wait_status(inst["id"], "online"))
        page.goto(bridge.url)
        app = AgentApp(page, bridge, client, instances)
        expect(app.page.get_by_role("heading", name="Visitors", exact=True)).to_be_visible()
        expect(app.page.get_by_role("tab", name=re.compile(": Connected"))).to_have_count(len(instances))
        return app

    yield open_app
    problems = []
    for bridge, context, page in opened:
        problems += [f"JavaScript error: {e}" for e in page.errors]  # type: ignore[attr-defined]
        problems += [f"a dialog opened: {d}" for d in page.dialogs]  # type: ignore[attr-defined]
        context.close()
        bridge.stop()
    assert problems == []


@pytest.fixture
def outage(live: LiveServer) -> Iterator[Outage]:
    """Make the chat server unreachable for the agent app (sockets and uploads) while `outage.on` is set."""
    o = Outage(live)
    yield o
    o.restore()
