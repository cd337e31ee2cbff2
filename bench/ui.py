"""Agent UI benchmark in Chromium (prints numbers, never pass/fail):

    .venv/bin/python bench/ui.py [--messages 10000] [--visitors 2000] [--seconds 30]

1. A chat of N messages: time from clicking it in "My chats" to the first paint that shows its newest
   message, and the long main-thread tasks while opening it.
2. The Visitors screen with V rows, every row updated once a second for S seconds (visitor.updated events
   through the bridge, as a busy website produces them): the longest main-thread task and how many took
   more than 50 ms; then sorting the V rows by a few columns (click → next frame) and its long tasks.
   Goals (issue 4): open ≤ 100 ms, no task over 50 ms.
Everything runs on 127.0.0.1: a chat server, the bridge, and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kayako_desktop.bridge import start_bridge  # noqa: E402
from kayako_desktop.bridge.store import FileStore  # noqa: E402
from kayako_desktop.server import create_app  # noqa: E402
from kayako_desktop.server.actions.agents import do_create_agent  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
LONGTASKS = """
window.__long = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });
"""
SORT = """([label]) => new Promise((resolve) => {
  const button = [...document.querySelectorAll('table.visitors th button')].find((b) => b.textContent.startsWith(label));
  const t0 = performance.now();
  button.click();
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
})"""


def seed(svc, messages: int) -> int:
    """Alice owns a chat with `messages` posts (written straight to the database: this measures the UI)."""
    now = time.time()
    with svc.db.write() as tx:
        agent = do_create_agent(svc, tx, "alice@example.com", "Alice", "bench-password", "AGENT", 10)
        cur = tx.execute("INSERT INTO visitors (token_hash, name, first_seen, session_started_at, last_seen, online) "
                         "VALUES (?, 'Ben', ?, ?, ?, 1)", (uuid.uuid4().hex, now, now, now))
        visitor = cur.lastrowid
        cur = tx.execute("INSERT INTO conversations (subject, status, visitor_id, owner_id, created_at, updated_at) "
                         "VALUES ('A very long chat', 'OPEN', ?, ?, ?, ?)", (visitor, agent, now, now))
        cid = cur.lastrowid
        tx.execute("INSERT INTO participants (conversation_id, agent_id, role, joined_at) VALUES (?, ?, 'OWNER', ?)",
                   (cid, agent, now))
        rows = []
        for i in range(messages):
            author = ("VISITOR", visitor) if i % 2 == 0 else ("AGENT", agent)
            rows.append((str(uuid.uuid4()), cid, f"c{i}", *author, "TEXT", "PUBLIC",
                         f"message {i}: the quick brown fox jumps over the lazy dog", now + i * 0.001))
        tx.conn.executemany(
            "INSERT INTO posts (uuid, conversation_id, client_id, author_kind, author_id, kind, visibility, contents, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return cid


def visitor_payload(i: int, tick: int) -> dict:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    return {"id": 100000 + i, "name": f"Visitor {i}", "email": None, "online": True, "ip": f"10.0.{i // 250}.{i % 250}",
            "user_agent": "Mozilla/5.0 Chrome/126.0", "browser": "Chrome 126", "os": "Windows",
            "location": {"country": "Norway", "country_code": "NO", "city": "Oslo"},
            "current_url": f"https://shop.example/products/{(i + tick) % 97}",
            "current_title": f"Product {(i + tick) % 97} — Shop", "referrer": "https://www.google.com/",
            "page_views": tick + 1, "first_seen": stamp, "session_started_at": stamp, "last_seen": stamp,
            "conversation_id": None, "chat_status": None, "chat_agent": None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--visitors", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="kayako-ui-bench-")
    app = create_app({"CHAT_DATA_DIR": data, "CHAT_TICK_SECONDS": 0, "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seed(app.extensions["chat"], args.messages)
    bridge = start_bridge(FileStore(Path(data) / "bridge"))
    registry = bridge.app.extensions["bridge"]["registry"]
    up = registry.add(f"http://127.0.0.1:{server.server_port}", "alice@example.com", "bench-password", "Bench")
    deadline = time.monotonic() + 20
    while up.status != "online" and time.monotonic() < deadline:
        time.sleep(0.05)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(LONGTASKS)
        page.goto(bridge.url)
        page.get_by_role("button", name="Chats").click()
        item = page.locator(".chat-item", has_text="Ben")
        item.wait_for()
        page.wait_for_timeout(500)
        page.evaluate("() => { window.__long = []; }")
        last = f"message {args.messages - 1}:"
        open_ms = page.evaluate("""([last]) => new Promise((resolve) => {
            const t0 = performance.now();
            document.querySelector('.chat-item').click();
            const check = () => {
              const win = document.querySelector('chat-window');
              if (win && win.textContent.includes(last)) {
                requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
              } else requestAnimationFrame(check);
            };
            check();
        })""", [last])
        page.wait_for_timeout(1000)
        open_long = page.evaluate("() => window.__long.slice()")
        nodes = page.evaluate("() => document.querySelectorAll('chat-window *').length")

        page.get_by_role("button", name="Visitors").click()
        page.evaluate("() => { window.__long = []; }")
        t_start = time.monotonic()
        for tick in range(args.seconds):
            for i in range(args.visitors):
                bridge.app.extensions["bridge"]["relay"].publish(up.id, "visitor.updated",
                                                                  {"visitor": visitor_payload(i, tick)})
            time.sleep(max(0.0, t_start + tick + 1 - time.monotonic()))
        page.wait_for_timeout(1000)
        rows = page.evaluate("() => document.querySelectorAll('table tbody tr[data-id]').length")
        list_long = page.evaluate("() => window.__long.slice()")
        page.evaluate("() => { window.__long = []; }")
        sort_ms = [page.evaluate(SORT, [label]) for label in ("Pages", "Visitor", "Location", "Time on site")]
        page.wait_for_timeout(300)
        sort_long = page.evaluate("() => window.__long.slice()")
        browser.close()
    bridge.stop()
    server.shutdown()

    print(f"== agent UI benchmark: chat of {args.messages} messages; {args.visitors} visitors updated every "
          f"second for {args.seconds} s ==")
    print(f"  open chat → first paint with newest message: {open_ms:.0f} ms   (goal ≤ 100 ms)")
    print(f"  long tasks while opening: {len(open_long)} (longest {max(open_long, default=0):.0f} ms); "
          f"DOM nodes in the chat window: {nodes}")
    print(f"  visitors list: {rows} rows rendered; long tasks (> 50 ms): {len(list_long)}, "
          f"longest {max(list_long, default=0):.0f} ms   (goal: none over 50 ms)")
    print(f"  sorting {args.visitors} rows (click → next frame): longest {max(sort_ms):.0f} ms of "
          f"{', '.join(f'{m:.0f}' for m in sort_ms)}; long tasks: {len(sort_long)} (longest {max(sort_long, default=0):.0f} ms)")
    print(f"  visitor.updated events relayed: {args.visitors * args.seconds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
