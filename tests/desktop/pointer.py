"""Real input for the desktop window: pointer and keyboard events sent from outside the app with xdotool,
as a user's mouse and keyboard would send them. The test control hook only *reads* where things are
(the web view's place on the screen, an element's box); every action is an X event."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.desktop.conftest import App, Desktop, wait_for

# Finds the visible element to act on. `sel` is a CSS selector; `text`, when given, is what the element's
# text or accessible name starts with (case-sensitive), as a user reads the screen.
_FIND = """((sel, text) => {
  const seen = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
    getComputedStyle(e).visibility !== 'hidden'; };
  const name = (e) => (e.getAttribute('aria-label') || e.textContent || e.value || e.placeholder || '').trim();
  return [...document.querySelectorAll(sel)].find((e) => seen(e) && (text === null || name(e).startsWith(text))) || null;
})(%s, %s)"""

_BOX = """(() => {
  const e = %s;
  if (!e) return null;
  const r = e.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 1), innerWidth - 2), y = Math.min(Math.max(r.top + r.height / 2, 1), innerHeight - 2);
  const hit = document.elementFromPoint(x, y);
  const label = (n) => n ? (n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.className && typeof n.className === 'string' ? '.' + n.className.split(' ').join('.') : '')) : null;
  return {x, y, inside: !!hit && (hit === e || e.contains(hit) || (hit.shadowRoot && hit.contains(e))), hit: label(hit)};
})()"""


def find(sel: str, text: str | None = None) -> str:
    return _FIND % (json.dumps(sel), json.dumps(text))


class RealInput:
    def __init__(self, app: App, desktop: Desktop) -> None:
        self.app = app
        self.desktop = desktop

    def view(self, window: str = "main") -> dict[str, int]:
        return wait_for(lambda: self.app.ctl("/geometry")["value"].get(window), 10, f"the {window} window's place")  # type: ignore[no-any-return]

    def point(self, sel: str, text: str | None = None, window: str = "main", timeout: float = 10) -> tuple[int, int]:
        """Screen coordinates of the element's centre, once it is visible and nothing covers it."""
        def box() -> Any:
            b = self.app.js(_BOX % find(sel, text), window)
            if b and not b["inside"]:
                raise AssertionError(f"{sel} {text!r} is covered by {b['hit']}")
            return b

        b = wait_for(box, timeout, f"{sel} {text or ''} in the {window} window")
        origin = self.view(window)
        return origin["x"] + round(b["x"]), origin["y"] + round(b["y"])

    def move(self, x: int, y: int) -> None:
        # `mousemove --sync` waits for the pointer to move, so it would wait forever for where it already is.
        here = dict(part.split(":") for part in self.desktop.x("getmouselocation").split()[:2])
        if (int(here["x"]), int(here["y"])) != (x, y):
            self.desktop.x("mousemove", "--sync", x, y)
        time.sleep(0.05)

    def click(self, sel: str, text: str | None = None, window: str = "main", button: int = 1) -> None:
        x, y = self.point(sel, text, window)
        self.move(x, y)
        self.desktop.x("click", button)

    def click_at(self, x: int, y: int) -> None:
        self.move(x, y)
        self.desktop.x("click", 1)

    def type(self, text: str) -> None:
        """Type text; a newline is the Return key, as on a keyboard."""
        for n, line in enumerate(text.split("\n")):
            if n:
                self.key("Return")
            if line:
                self.desktop.x("type", "--delay", "12", "--", line)

    def key(self, *keys: str) -> None:
        self.desktop.x("key", "--delay", "40", *keys)
