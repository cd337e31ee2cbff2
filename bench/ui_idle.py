"""What the agent UI costs while the agent waits (prints numbers, never pass/fail):

    .venv/bin/python bench/ui_idle.py [--seconds 15]

The app stays open all day, so its cost with nothing to do matters as much as its speed. In Debian's Chromium
(headless, software rendering, as in the e2e tests), this measures the CPU of every Chromium process over
`--seconds` in each state, one after the other in one browser:

1. the Visitors screen with 8 visitors browsing and nothing ringing (the reference);
2. a chat request ringing: the card's countdown ring, as shipped;
3. the same ring with the arc's old 0.25 s transition put back (a rule the bench adds), side by side;
4. the desktop's pop-up window for that request (popup.html, as the shell renders it), alone in its own page;
5. as 2 (the request still rings), plus a second server tab whose server cannot be reached: its dot pulses while
   the bridge retries; the difference from 2 is what that costs.

Everything runs on 127.0.0.1: a chat server, the bridge, and Chromium. The figure is % of one core.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop import children, descendants  # noqa: E402  (bench/desktop.py: the process tree from /proc)
from kayako_desktop.bridge import start_bridge  # noqa: E402
from kayako_desktop.bridge.store import FileStore  # noqa: E402
from kayako_desktop.desktop.popup import render  # noqa: E402
from kayako_desktop.server import create_app  # noqa: E402
from kayako_desktop.server.actions.agents import do_create_agent  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from tests.e2e.conftest import ARGS, FULL_CHROMIUM  # noqa: E402  (the full browser a user has, with the e2e flags)
from tests.support import LiveServer, Visitor, free_port  # noqa: E402

OLD_RING = ".ring .arc { transition: stroke-dashoffset .25s linear; }"
TICK = os.sysconf("SC_CLK_TCK")


def chromium_ticks() -> int:
    """CPU ticks (user + system) of the Chromium this bench launched: its processes among this one's descendants,
    not another browser that happens to be open (a user's, a test run's)."""
    total = 0
    for pid in descendants(os.getpid(), children()):
        try:
            if b"chromium" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def measure(label: str, seconds: float) -> float:
    time.sleep(1)  # whatever the change started (a slide-in, a first paint) is over
    before, t0 = chromium_ticks(), time.monotonic()
    time.sleep(seconds)
    share = 100 * (chromium_ticks() - before) / TICK / (time.monotonic() - t0)
    print(f"  {label:<58} {share:5.1f} % of a core", flush=True)
    return share


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="kayako-ui-idle-")
    app = create_app({"CHAT_DATA_DIR": data, "CHAT_TICK_SECONDS": 1, "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000",
                      "CHAT_RING_TIMEOUT": 600})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    live = LiveServer(app, server)
    svc = app.extensions["chat"]
    with svc.db.write() as tx:
        do_create_agent(svc, tx, "alice@example.com", "Alice", "bench-password", "AGENT", 10)
    visitors = []
    for i in range(8):
        v = Visitor(live, f"Visitor {i}")
        v.view(f"https://shop.example/products/{i}", f"Product {i}")
        v.connect()
        visitors.append(v)
    bridge = start_bridge(FileStore(Path(data) / "bridge"))
    registry = bridge.app.extensions["bridge"]["registry"]
    up = registry.add(live.url, "alice@example.com", "bench-password", "Bench")
    deadline = time.monotonic() + 20
    while up.status != "online" and time.monotonic() < deadline:
        time.sleep(0.05)

    print(f"Chromium CPU over {args.seconds:g} s in each state (headless, software rendering):")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=FULL_CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(bridge.url)
        page.get_by_role("heading", name="Visitors", exact=True).wait_for()
        page.locator("table.visitors tbody tr").nth(7).wait_for()
        measure("1. Visitors screen, 8 visitors, nothing ringing (reference)", args.seconds)

        ann = Visitor(live, "Ann")
        ann.view("https://shop.example/", "Shop")
        ann.connect()
        ann.start_chat("Which size fits me?")
        page.locator("request-popup .ring-seconds").wait_for()
        measure("2. a chat request ringing (as shipped)", args.seconds)
        # Through the CSSOM: the UI's Content-Security-Policy refuses an inline <style>.
        page.evaluate("(rule) => document.styleSheets[0].insertRule(rule, document.styleSheets[0].cssRules.length)",
                      OLD_RING)
        measure("3. the same, with the ring's old 0.25 s transition", args.seconds)

        offer = page.evaluate("() => document.querySelector('request-popup').first().offer")
        popup_file = Path(data) / "popup.html"
        popup_file.write_text(render(offer, up.id, None), encoding="utf-8")
        page.close()
        popup = browser.new_page(viewport={"width": 380, "height": 188})
        popup.goto(popup_file.as_uri())
        measure("4. the desktop's pop-up for that request, alone", args.seconds)
        popup.close()

        # A second server tab whose server cannot be reached: the bridge keeps retrying, the tab says so.
        registry.add(f"http://127.0.0.1:{free_port()}", "alice@example.com", "bench-password", "Gone")
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(bridge.url)
        page.get_by_role("heading", name="Visitors", exact=True).wait_for()
        page.locator("instance-tabs .dot.offline, instance-tabs .dot.connecting").first.wait_for(timeout=30_000)
        measure("5. as 2, plus a second server tab that cannot be reached", args.seconds)
        browser.close()
    bridge.stop()
    svc.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
