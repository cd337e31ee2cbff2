"""Memory of the desktop app over an agent's busy hour: N visitor chats x M messages through the real app.

    .venv/bin/python bench/desktop_soak.py                       # 6 chats x 300 messages over 60 s
    .venv/bin/python bench/desktop_soak.py --chats 20 --messages 500 --over 300 --close-chats
    .venv/bin/python bench/desktop_soak.py --variant browser     # the same traffic, agent UI in Chromium

Runs the app (`python -m kayako_desktop --profile <tmp>`) on a private Xvfb display with its own D-Bus session, dunst
and GNOME Keyring, as bench/desktop.py does. Visitors on the app's embedded chat server start chats; the
app's agent accepts each one (through the test control hook, as the pop-up's Accept does) and the app shows
the next chat every --switch seconds, while each visitor sends --messages messages spread over --over
seconds. Every --every seconds it samples PSS (/proc/<pid>/smaps_rollup) of each process: the Python
process, each QtWebEngine process by type (renderer, GPU, utility/audio, zygote), and the embedded server;
and, from the main page, the JS heap (performance.memory, --enable-precise-memory-info) and the DOM size.
After the load it waits --idle seconds, then (with --close-chats) ends every chat, closes them and waits
--idle seconds more. Printed: a table of the samples, the figures the issue names, and a PNG chart.

Variants (--variant) bisect where memory goes: default; sounds-off (no chime); notifications-off;
no-popup (requests only in the main window); visitors-page (the app never opens a chat); browser (no Qt
shell: the bridge plus the agent UI in Chromium, Chromium's processes measured); bare (a bare pywebview
window with the same flags: the reference). It prints numbers; it never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from desktop import QT_ENV, children, control, descendants, free_port, rollup  # noqa: E402

from tests import desktop_support  # noqa: E402
from tests.support import Visitor  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"]
PAGE_STATS = ("({heap: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null,"
              " total: performance.memory ? performance.memory.totalJSHeapSize / 1048576 : null,"
              " dom: document.getElementsByTagName('*').length})")
BARE = """import sys, webview
webview.create_window("bare", html="<!doctype html><title>bare</title><p>bare</p>", width=1200, height=800)
webview.start(gui="qt", private_mode=True)
"""


def kind_of(pid: int) -> str:
    """What a process is, from its command line."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "--type=renderer" in cmd:
        return "renderer"
    if "--type=gpu-process" in cmd:
        return "gpu"
    if "--type=zygote" in cmd:
        return "zygote"
    if "--type=utility" in cmd:
        return "audio" if "audio" in cmd.lower() else "utility"
    if " server " in f" {cmd} " or "kayako_desktop.server" in cmd:
        return "server"
    return "other"


class Sampler:
    """PSS per process kind of one process tree, plus page stats, every `every` seconds on a thread."""

    def __init__(self, root_pid: int, server_pid: int | None, page_stats: Any, every: float,
                 earlier: Sampler | None = None) -> None:
        self.root, self.server, self.page_stats, self.every = root_pid, server_pid, page_stats, every
        self.samples: list[dict[str, Any]] = earlier.samples if earlier else []  # one timeline across phases
        self.t0 = earlier.t0 if earlier else time.monotonic()
        self.phase = "idle"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def sample(self) -> dict[str, Any]:
        tree = children()
        server = [self.server, *descendants(self.server, tree)] if self.server else []
        row: dict[str, Any] = {"t": time.monotonic() - self.t0, "phase": self.phase, "python": rollup(self.root)["pss"]}
        renderers: list[float] = []
        for pid in descendants(self.root, tree):
            kind = "server" if pid in server else kind_of(pid)
            pss = rollup(pid)["pss"]
            if kind == "renderer":
                renderers.append(pss)
            row[kind] = row.get(kind, 0.0) + pss
        row["renderers"] = sorted(renderers, reverse=True)
        try:
            row.update(self.page_stats() or {})
        except Exception:  # between page loads
            pass
        row["app"] = sum(v for k, v in row.items() if k in ("python", "renderer", "gpu", "zygote", "audio",
                                                             "utility", "other"))
        return row

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.sample())
            self._stop.wait(self.every)


class DevTools:
    """The main page over the Chrome DevTools Protocol (QTWEBENGINE_REMOTE_DEBUGGING): DOM counters and a forced
    garbage collection, to tell garbage not yet collected from memory really kept."""

    def __init__(self, port: int) -> None:
        import urllib.request

        import websocket

        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10).read())
        page = next(t for t in targets if t.get("type") == "page" and t["url"].startswith("http://127.0.0.1"))
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=30)
        self.next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                return msg.get("result", {})

    def counters(self) -> dict[str, int]:
        return self.send("Memory.getDOMCounters")  # type: ignore[no-any-return]

    def collect(self) -> None:
        self.send("HeapProfiler.collectGarbage")


class DesktopApp:
    """The real app and its control hook (the hook accepts chats and switches them, as clicks would)."""

    def __init__(self, env: dict[str, str], profile: Path, flags: str) -> None:
        self.port = free_port()
        self.devtools = free_port()  # Chrome DevTools Protocol, to count DOM nodes and listeners and force GC
        qt = {**QT_ENV, "QTWEBENGINE_CHROMIUM_FLAGS": f"{QT_ENV['QTWEBENGINE_CHROMIUM_FLAGS']} {flags}".strip(),
              "QTWEBENGINE_REMOTE_DEBUGGING": f"127.0.0.1:{self.devtools}"}
        self.proc = subprocess.Popen([sys.executable, "-m", "kayako_desktop", "--profile", str(profile)], cwd=ROOT,
                                     env={**env, **qt, "KAYAKO_DESKTOP_TEST_CONTROL": str(self.port)},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ctl(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return control(self.port, path, body, timeout=30)

    def js(self, expr: str) -> Any:
        return self.ctl("/js", {"expr": expr})["value"]

    def bridge(self, method: str, path: str, body: Any = None) -> Any:
        """The app's bridge, as its UI calls it (the token is in the URL fragment the shell opened)."""
        import urllib.parse
        import urllib.request

        base, _, fragment = self.ctl("/state")["bridge_url"].partition("/#")
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"X-Bridge-Token": urllib.parse.parse_qs(fragment)["token"][0],
                                              "Content-Type": "application/json"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def wait_ready(self) -> dict[str, Any]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}")
            try:
                state = self.ctl("/state")
                if state["ui_ready"] and state["settings"].get("embedded"):
                    return state  # type: ignore[no-any-return]
            except (OSError, KeyError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError("the app never became ready")

    def quit(self) -> None:
        try:
            self.ctl("/quit")
            self.proc.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(10)


def traffic(url: str, chats: int, messages: int, over: float, accept: Any, show: Any, switch: float,
            sampler: Sampler) -> list[tuple[Visitor, int]]:
    """Start `chats` visitor chats, accept each, then send `messages` per visitor spread over `over` s."""
    live = SimpleNamespace(api=url + "/api/v1", ws_url=url.replace("http://", "ws://") + "/api/v1/realtime")
    pairs: list[tuple[Visitor, int]] = []
    for n in range(chats):
        v = Visitor(live, f"Visitor {n + 1}")  # type: ignore[arg-type]
        v.view(url + "/demo", "Demo shop")
        cid = int(v.start_chat(f"Question {n + 1} about lamps")["id"])
        accept(cid)
        pairs.append((v, cid))
    sampler.phase = "load"
    stop = threading.Event()

    def switcher() -> None:
        n = 0
        while not stop.wait(switch):
            show(pairs[n % len(pairs)][1])
            n += 1

    threading.Thread(target=switcher, daemon=True).start()
    show(pairs[0][1])
    lock = threading.Lock()
    sent = [0]

    def talk(v: Visitor, cid: int) -> None:
        start = time.monotonic()
        for i in range(messages):
            due = start + over * i / messages + random.random() * 0.01
            time.sleep(max(0.0, due - time.monotonic()))
            text = f"Message {i + 1} of {messages}: the lamp in the hallway flickers when the dimmer is below 30 %."
            v.say(cid, text)
            with lock:
                sent[0] += 1

    threads = [threading.Thread(target=talk, args=pair, daemon=True) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(over * 3 + 60)
    stop.set()
    print(f"traffic: {sent[0]} messages from {chats} visitors sent")
    return pairs


def report(samples: list[dict[str, Any]], chart: Path, title: str) -> None:
    kinds = ["python", "renderer", "gpu", "zygote", "audio", "utility", "other", "server"]
    kinds = [k for k in kinds if any(k in s for s in samples)]
    print(f"\n{'t (s)':>6} {'phase':<8} " + " ".join(f"{k:>9}" for k in kinds)
          + f" {'app':>8} {'js heap':>8} {'dom':>6}  renderers")
    for s in samples:
        heap = f"{s['heap']:8.1f}" if s.get("heap") is not None else f"{'-':>8}"
        dom = f"{s['dom']:6d}" if s.get("dom") is not None else f"{'-':>6}"
        print(f"{s['t']:6.0f} {s['phase']:<8} " + " ".join(f"{s.get(k, 0.0):9.1f}" for k in kinds)
              + f" {s['app']:8.1f} {heap} {dom}  {' '.join(f'{r:.0f}' for r in s['renderers'])}")
    draw(samples, chart, title)
    print(f"chart: {chart}")


def draw(samples: list[dict[str, Any]], path: Path, title: str) -> None:
    """A line chart of app PSS, main renderer PSS and JS heap over time, drawn with Qt (no extra package)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtCore import QPointF, QRectF, Qt
    from PyQt6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    app = QGuiApplication.instance() or QGuiApplication([])
    w, h, left, right, top, bottom = 900, 420, 70, 20, 40, 50
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setFont(QFont("DejaVu Sans", 9))
    series = [("app PSS (MB)", "app", "#4f46e5"), ("main renderer PSS (MB)", "main_renderer", "#dc2626"),
              ("JS heap (MB)", "heap", "#16a34a"), ("embedded server PSS (MB)", "server", "#d97706")]
    for s in samples:
        s["main_renderer"] = s["renderers"][0] if s["renderers"] else 0.0
    tmax = max(s["t"] for s in samples) or 1.0
    vmax = max(max(s.get(k) or 0.0 for s in samples) for _, k, _ in series) * 1.1 or 1.0
    x = lambda t: left + (w - left - right) * t / tmax  # noqa: E731
    y = lambda v: h - bottom - (h - top - bottom) * v / vmax  # noqa: E731
    p.setPen(QPen(QColor("#888")))
    p.drawRect(QRectF(left, top, w - left - right, h - top - bottom))
    for i in range(6):
        v = vmax * i / 5
        p.drawText(QRectF(0, y(v) - 8, left - 6, 16), int(Qt.AlignmentFlag.AlignRight), f"{v:.0f}")
        t = tmax * i / 5
        p.drawText(QRectF(x(t) - 30, h - bottom + 4, 60, 16), int(Qt.AlignmentFlag.AlignCenter), f"{t:.0f} s")
    p.drawText(QRectF(left, 8, w - left - right, 20), int(Qt.AlignmentFlag.AlignLeft), title)
    for n, (label, key, colour) in enumerate(series):
        pen = QPen(QColor(colour))
        pen.setWidth(2)
        p.setPen(pen)
        pts = [QPointF(x(s["t"]), y(s.get(key) or 0.0)) for s in samples if s.get(key) is not None]
        for a, b in zip(pts, pts[1:], strict=False):
            p.drawLine(a, b)
        p.drawText(QRectF(left + 10 + n * 210, h - 22, 205, 16), int(Qt.AlignmentFlag.AlignLeft), f"— {label}")
    p.end()
    img.save(str(path))
    del app


def run_desktop(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> list[dict[str, Any]]:
    app = DesktopApp(env, tmp / "profile", f"--enable-precise-memory-info {args.flags}".strip())
    try:
        state = app.wait_ready()
        app.js("(() => { const d = document.querySelector('prompt-dialog'); if (d && d.dialog && d.dialog.open) "
               "d.finish(null); return true; })()")  # the first run's name question: not part of the load
        if args.variant == "notifications-off":
            app.ctl("/api", {"method": "update_settings", "args": [{"notifications": False}]})
        if args.variant == "no-popup":
            app.ctl("/api", {"method": "update_settings", "args": [{"request_popup": False}]})
        if args.inject:
            app.js(f"(() => {{ {args.inject}; return true; }})()")
        if args.variant == "sounds-off":
            app.js("(() => { window.AudioContext = undefined; return true; })()")
        iid = state["settings"]["embedded"]["instance_id"]
        # The app's own account (an admin of its embedded server) may hold this many chats at once.
        me = app.bridge("GET", f"/api/i/{iid}/rest/me")["data"]
        app.bridge("PUT", f"/api/i/{iid}/rest/agents/{me['id']}", {"max_chats": max(4, args.chats)})
        time.sleep(args.settle)
        sampler = Sampler(state["pid"], state["server_pid"], lambda: app.js(PAGE_STATS), args.every).start()
        time.sleep(args.every * 2)

        def accept(cid: int) -> None:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                r = app.ctl("/api", {"method": "answer_request", "args": [iid, cid, True]})["value"]
                if r["ok"]:
                    return
                time.sleep(0.2)
            raise RuntimeError(f"chat {cid} could not be accepted: {r}")

        def show(cid: int) -> None:
            if args.variant != "visitors-page":
                app.js(f"window.kayakoDesktop.openChat({json.dumps(iid)}, {cid}) || true")
            else:
                app.js("(() => { document.querySelector('app-nav button').click(); return true; })()")

        pairs = traffic(state["embedded_url"], args.chats, args.messages, args.over, accept, show, args.switch, sampler)
        sampler.phase = "idle"
        time.sleep(args.idle)
        sampler.stop()
        tools = DevTools(app.devtools)
        print(f"DOM counters after the load and the idle time: {tools.counters()}")
        before_gc = sampler.sample()["app"]
        tools.collect()
        time.sleep(2)
        after_gc = sampler.sample()
        print(f"forced garbage collection: app PSS {before_gc:.0f} -> {after_gc['app']:.0f} MB "
              f"(main renderer {after_gc['renderers'][0] if after_gc['renderers'] else 0:.0f} MB); "
              f"DOM counters {tools.counters()}")
        if args.close_chats:
            sampler = Sampler(state["pid"], state["server_pid"], lambda: app.js(PAGE_STATS), args.every,
                              sampler).start()
            sampler.phase = "closed"
            for _, cid in pairs:
                app.bridge("POST", f"/api/i/{iid}/rest/cases/{cid}/end")
            time.sleep(2)
            app.js("(() => { for (const b of document.querySelectorAll('chat-window button')) "
                   "if (b.textContent.trim() === 'Close') b.click(); "
                   "document.querySelector('app-nav button').click(); return true; })()")
            time.sleep(args.idle)
        sampler.stop()
        return sampler.samples
    finally:
        app.quit()


def run_browser(args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    """No Qt shell: a chat server, the bridge in this process, and the agent UI in Chromium (Playwright)."""
    from kayako_desktop.bridge import start_bridge
    from kayako_desktop.bridge.store import FileStore
    from playwright.sync_api import sync_playwright

    from tests.bridge.conftest import BridgeClient

    data, port, password = tmp / "server", free_port(), "soak-bench-password"
    subprocess.run([sys.executable, "-m", "kayako_desktop", "server", "create-agent", "--data-dir", str(data), "--email",
                    "ada@example.com", "--name", "Ada Lovelace", "--admin", "--password-stdin", "--max-chats",
                    str(max(4, args.chats))], input=password, text=True, check=True, cwd=ROOT, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "kayako_desktop", "server", "--port", str(port), "--data-dir", str(data)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bridge = start_bridge(FileStore(tmp / "bridge"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if urllib_get(url + "/api/v1/meta/limits"):
                    break
            except OSError:
                time.sleep(0.2)
        client = BridgeClient(bridge)
        iid = client.add(SimpleNamespace(url=url), "ada@example.com", password, name="Soak")["id"]
        client.wait_status(iid, "online")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
            page.goto(bridge.url)
            page.wait_for_function("() => window.kayakoDesktop && window.kayakoDesktop.ready")
            cdp = page.context.new_cdp_session(page)
            root = next(pid for pid in descendants(__import__("os").getpid(), children())
                        if "--enable-precise-memory-info" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
                        and "--type=" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"))
            time.sleep(args.settle)
            sampler = Sampler(root, None, lambda: None, args.every).start()
            time.sleep(args.every * 2)
            calls: list[tuple[str, Any]] = []  # Playwright's sync API stays on this thread: others queue calls

            def accept(cid: int) -> None:
                r = client.post(f"/api/i/{iid}/rest/cases/{cid}/accept")
                if r.status_code != 200:
                    raise RuntimeError(f"chat {cid} could not be accepted: {r.text}")

            def show(cid: int) -> None:
                calls.append(("show", cid))

            done = threading.Event()
            result: list[Any] = []
            worker = threading.Thread(target=lambda: (result.append(traffic(url, args.chats, args.messages, args.over,
                                                                            accept, show, args.switch, sampler)),
                                                      done.set()), daemon=True)
            worker.start()
            while not done.wait(0.2):
                while calls:
                    _, cid = calls.pop(0)
                    page.evaluate(f"window.kayakoDesktop.openChat({json.dumps(iid)}, {cid})")
            sampler.phase = "idle"
            page.wait_for_timeout(args.idle * 1000)
            sampler.stop()
            heap = page.evaluate(PAGE_STATS)
            print(f"page after the idle time: {heap}; DOM counters {cdp.send('Memory.getDOMCounters')}")
            before = sampler.sample()["app"]
            cdp.send("HeapProfiler.collectGarbage")
            page.wait_for_timeout(2000)
            after = sampler.sample()
            print(f"forced garbage collection: browser PSS {before:.0f} -> {after['app']:.0f} MB; DOM counters "
                  f"{cdp.send('Memory.getDOMCounters')}")
            browser.close()
        return sampler.samples
    finally:
        bridge.stop()
        server.terminate()
        server.wait(15)


def urllib_get(url: str) -> bool:
    import urllib.request

    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5) as resp:
        return bool(resp.status == 200)


def run_bare(args: argparse.Namespace, env: dict[str, str]) -> list[dict[str, Any]]:
    qt = {**QT_ENV, "QT_QUICK_BACKEND": "software", "QT_XCB_GL_INTEGRATION": "none"}
    proc = subprocess.Popen([sys.executable, "-c", BARE], env={**env, **qt}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(args.settle + 4)
        sampler = Sampler(proc.pid, None, lambda: None, args.every).start()
        time.sleep(args.every * 3)
        sampler.stop()
        return sampler.samples
    finally:
        proc.terminate()
        proc.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=6)
    parser.add_argument("--messages", type=int, default=300, help="per chat")
    parser.add_argument("--over", type=float, default=60.0, help="seconds over which each visitor sends")
    parser.add_argument("--switch", type=float, default=10.0, help="seconds between switching chats")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between samples")
    parser.add_argument("--idle", type=float, default=30.0, help="idle seconds after the load (and after closing)")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after start before sampling")
    parser.add_argument("--close-chats", action="store_true", help="end and close every chat after the load")
    parser.add_argument("--variant", default="default",
                        choices=["default", "sounds-off", "notifications-off", "no-popup", "visitors-page", "browser",
                                 "bare"])
    parser.add_argument("--chart", default="bench-desktop-soak.png")
    parser.add_argument("--flags", default="", help="extra QtWebEngine (Chromium) flags, to try a setting")
    parser.add_argument("--inject", default="", help="JavaScript run in the main page before the load (bisecting)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kayako-bench-soak-") as tmp:
        env = desktop_support.isolated_env(Path(tmp) / "home")
        with desktop_support.dbus_session(env) as bus_env, desktop_support.xvfb() as display:
            full = {**bus_env, "DISPLAY": display}
            with desktop_support.dunst(full), desktop_support.gnome_keyring(full):
                bare = run_bare(args, full)
                if args.variant == "browser":
                    samples = run_browser(args, Path(tmp))
                else:
                    samples = [] if args.variant == "bare" else run_desktop(args, full, Path(tmp))
    bare_mb = bare[-1]["app"] if bare else float("nan")
    parts = ", ".join(f"{k} {bare[-1][k]:.0f}" for k in ("python", "renderer", "zygote", "gpu", "utility", "other")
                      if bare and bare[-1].get(k))
    print(f"reference: a bare pywebview Qt window, same flags: {bare_mb:.0f} MB PSS ({parts})")
    if not samples:
        return
    title = (f"{args.variant}: {args.chats} chats x {args.messages} messages over {args.over:.0f} s"
             f" (bare window {bare_mb:.0f} MB)")
    report(samples, Path(args.chart), title)
    by_phase: dict[str, list[dict[str, Any]]] = {}
    for s in samples:
        by_phase.setdefault(s["phase"], []).append(s)
    start = by_phase["idle"][0]["app"]
    peak_load = by_phase["load"][-1]["app"] if "load" in by_phase else float("nan")
    idle_after = [s for s in samples if s["phase"] == "idle"][-1]["app"]
    print(f"\nidle before the load: {start:.0f} MB = {start / bare_mb:.2f} x the bare window")
    print(f"right after the load: {peak_load:.0f} MB ({(peak_load / start - 1) * 100:+.0f} % over idle)")
    print(f"after {args.idle:.0f} s more idle: {idle_after:.0f} MB ({(idle_after / start - 1) * 100:+.0f} %)")
    if "closed" in by_phase:
        closed = by_phase["closed"][-1]["app"]
        print(f"after closing the chats and {args.idle:.0f} s idle: {closed:.0f} MB ({(closed / start - 1) * 100:+.0f} %)")
    heaps = [s.get("heap") for s in samples if s.get("heap") is not None]
    doms = [s.get("dom") for s in samples if s.get("dom") is not None]
    if heaps:
        print(f"JS heap {heaps[0]:.0f} -> max {max(heaps):.0f} MB; DOM {doms[0]} -> max {max(doms)} elements")
    messages = args.chats * args.messages
    print(f"growth per message: {(peak_load - start) / messages * 1024:.0f} KB")


if __name__ == "__main__":
    main()
