"""Visitor widget load benchmark in Chromium (prints numbers, never pass/fail):

    .venv/bin/python bench/widget.py [--runs 5] [--settle 3]

A host page on another origin (localhost vs the chat server's 127.0.0.1) carries the widget's one tag. Each
run is a cold load in a fresh browser context: every request the page makes to the chat server (the
widget's files, its API calls, its socket), the bytes on the wire (bodies as sent, plus response headers)
and uncompressed, the time from the host page's navigation to the first frame that shows the launcher,
and long tasks (> 50 ms) on the host page and in the widget's frame. On loopback, and throttled with the
DevTools protocol (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up). Median of --runs, for the production
build (the default) and, in the same run as the reference, the unbundled ES modules (CHAT_WIDGET_SOURCE).
Goals (issue 13): ≤ 4 requests before the launcher shows, ≤ 40 KB compressed, ≤ 1.0 s to the launcher
throttled, no long task on the host page.

Site isolation is off: Chromium throttles only the page's own renderer (an out-of-process frame's requests
would go unthrottled), and with the frame in the host's renderer — as on most Android phones — the
widget's work lands on the host page's main thread, where a long task would count against the host.
Everything runs on 127.0.0.1: two chat servers (build, source), the host site, and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kayako_desktop.server import create_app  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process"]
THROTTLED = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
VARIANTS = {"build": False, "source": True}  # name → CHAT_WIDGET_SOURCE
# In every frame: long tasks; in the widget's frame, when the first frame with the launcher in it is drawn
# (its animation-frame callback: the paint follows in the same rendering step).
PROBE = """(() => {
  window.__long = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no longtask support */ }
  if (window.top === window) return;
  window.__launcherAt = null;
  const seen = () => {
    if (!document.querySelector('messenger-app > .launcher')) return false;
    requestAnimationFrame(() => { window.__launcherAt = performance.timeOrigin + performance.now(); });
    return true;
  };
  const watch = new MutationObserver(() => { if (seen()) watch.disconnect(); });
  watch.observe(document, { childList: true, subtree: true });
})();"""


@dataclass
class Load:
    before: int  # requests (and sockets) to the chat server started before the launcher was drawn
    total: int
    wire_before: int  # bytes: encoded bodies + response headers
    wire_total: int
    raw_before: int  # bytes: decoded bodies
    raw_total: int
    launcher_ms: float
    host_long: list[float]
    frame_long: list[float]


def serve(app: Any) -> Any:
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return srv


def host_site(chat: dict[str, str]) -> Any:
    """/build and /source: a small customer page with the widget's tag for that chat server."""

    @Request.application
    def app(request: Request) -> Response:
        origin = chat.get(request.path.strip("/"))
        if not origin:
            return Response("not found", status=404)
        tag = f'<script src="{origin}/messenger.js" async data-title="Chat with Acme"></script>'
        body = "".join(f"<p>Acme sells lamps, paragraph {i}.</p>" for i in range(40))
        return Response(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Acme</title></head>"
                        f"<body><main><h1>Acme</h1>{body}</main>{tag}</body></html>", content_type="text/html")

    return serve(app)


def load(browser: Any, url: str, chat_origin: str, throttled: bool, settle_s: float) -> Load:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(PROBE)
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLED)
    finished: list[Any] = []
    sockets: list[float] = []
    context.on("requestfinished", lambda req: finished.append(req))
    page.on("websocket", lambda ws: sockets.append(time.time() * 1000))
    page.goto(url, wait_until="commit")
    nav_start = page.evaluate("() => performance.timeOrigin")
    deadline = time.monotonic() + 30
    while len(page.frames) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(10)
    widget = page.frames[1]
    widget.wait_for_function("() => window.__launcherAt !== null && window.__launcherAt !== undefined",
                             timeout=30_000, polling=20)
    launcher_at = widget.evaluate("() => window.__launcherAt")
    page.wait_for_timeout(settle_s * 1000)
    host_long = page.evaluate("() => window.__long.slice()")
    frame_long = widget.evaluate("() => window.__long.slice()")
    rows = []
    for req in finished:
        if not req.url.startswith(chat_origin):
            continue
        sizes = req.sizes()
        resp = req.response()
        raw = len(resp.body()) if resp and resp.status != 204 else 0
        rows.append((req.timing["startTime"], sizes["responseBodySize"] + sizes["responseHeadersSize"], raw))
    context.close()
    early = [r for r in rows if r[0] < launcher_at]
    return Load(before=len(early) + sum(1 for t in sockets if t < launcher_at), total=len(rows) + len(sockets),
                wire_before=sum(r[1] for r in early), wire_total=sum(r[1] for r in rows),
                raw_before=sum(r[2] for r in early), raw_total=sum(r[2] for r in rows),
                launcher_ms=launcher_at - nav_start, host_long=host_long, frame_long=frame_long)


def median(values: list[float]) -> float:
    return statistics.median(values)


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def longs(loads: list[Load], attr: str) -> str:
    tasks = [t for run in loads for t in getattr(run, attr)]
    return f"{len(tasks)} in {len(loads)} runs" + (f", longest {max(tasks):.0f} ms" if tasks else "")


def report(results: dict[tuple[str, str], list[Load]], runs: int, version: str) -> None:
    names = list(VARIANTS)
    print(f"== visitor widget on a host page: median of {runs} cold loads, Chromium {version} ==")
    head = f"  {'':44}" + "".join(f"{('production build' if n == 'build' else 'source (reference)'):>22}" for n in names)
    print(head + f"{'goal':>10}")

    def row(label: str, cell: Any, goal: str = "") -> None:
        print(f"  {label:44}" + "".join(f"{cell(n):>22}" for n in names) + f"{goal:>10}")

    lo = {n: results[(n, "loopback")] for n in names}
    th = {n: results[(n, "throttled")] for n in names}
    row("requests before the launcher shows", lambda n: f"{median([r.before for r in lo[n]]):.0f}", "≤ 4")
    row("requests in all (API calls, socket)", lambda n: f"{median([r.total for r in lo[n]]):.0f}")
    row("KB on the wire before launcher / in all",
        lambda n: f"{kb(median([r.wire_before for r in lo[n]]))} / {kb(median([r.wire_total for r in lo[n]]))}",
        "≤ 40")
    row("KB uncompressed before launcher / in all",
        lambda n: f"{kb(median([r.raw_before for r in lo[n]]))} / {kb(median([r.raw_total for r in lo[n]]))}")
    for label, data, goal in (("ms to the launcher, loopback", lo, ""),
                              ("ms to the launcher, 150 ms + 1.6 Mbit/s", th, "≤ 1000")):
        row(label, lambda n, d=data: f"{median([r.launcher_ms for r in d[n]]):.0f} "
            f"({min(r.launcher_ms for r in d[n]):.0f}–{max(r.launcher_ms for r in d[n]):.0f})", goal)
    row("  throttled: requests before launcher", lambda n: f"{median([r.before for r in th[n]]):.0f}")
    row("long tasks > 50 ms, host page", lambda n: longs(lo[n] + th[n], "host_long"), "none")
    row("long tasks > 50 ms, widget frame", lambda n: longs(lo[n] + th[n], "frame_long"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the launcher to keep counting")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    servers, origins = [], {}
    for name, source in VARIANTS.items():
        app = create_app({"CHAT_DATA_DIR": tempfile.mkdtemp(prefix=f"kayako-widget-bench-{name}-"),
                          "CHAT_TICK_SECONDS": 0, "CHAT_WIDGET_SOURCE": source,
                          "CHAT_VISITOR_CREATE_LIMIT": 100_000})
        srv = serve(app)
        servers.append((srv, app))
        origins[name] = f"http://127.0.0.1:{srv.server_port}"
    host = host_site(origins)
    results: dict[tuple[str, str], list[Load]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        version = browser.version
        for profile in ("loopback", "throttled"):
            for _ in range(args.runs):
                for name in VARIANTS:  # interleaved, so drift on a shared host hits both alike
                    got = load(browser, f"http://localhost:{host.server_port}/{name}", origins[name],
                               profile == "throttled", args.settle)
                    results.setdefault((name, profile), []).append(got)
        browser.close()
    host.shutdown()
    for srv, app in servers:
        srv.shutdown()
        app.extensions["chat"].close()
    report(results, args.runs, version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
