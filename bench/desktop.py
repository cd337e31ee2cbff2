"""Desktop app start-up time, idle memory and bundle size.

    .venv/bin/python bench/desktop.py [--runs 5] [--idle 5]

Runs the real app (`python -m kayako_desktop --profile <tmp>`) on a private Xvfb display with its own D-Bus session,
dunst and GNOME Keyring (tests/desktop_support.py), driven through the test-only control hook
(KAYAKO_DESKTOP_TEST_CONTROL, app/kayako_desktop/desktop/control.py). One first run creates the profile and its embedded
chat server; then each of --runs starts measures:

- start-up: from spawning the process to a *usable* Visitors screen: the UI reports
  `kayakoDesktop.ready` (snapshot loaded), the "This computer" tab is online, the Visitors page is shown
  and its list is rendered (rows, or the empty state). The app's own log line ("the UI is ready N s after launch", timed from inside the
  process, so without interpreter start-up and imports) is printed beside it.
- idle memory after --idle seconds: PSS (proportional set size, /proc/<pid>/smaps_rollup) summed over the
  app's Python process and every QtWebEngineProcess it started; the embedded chat server (and anything it
  started) is reported separately. PSS splits shared library pages among every process mapping them, so
  other Qt WebEngine programs running at the same time lower it; USS (private pages) is printed as well.

"Cold" means a new process each time, not a cold disk cache. Bundle size is printed when dist/ exists.
It prints numbers; it never passes or fails. Everything runs on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import desktop_support  # noqa: E402 - after the path set-up above

QT_ENV = {"QT_QPA_PLATFORM": "xcb", "QTWEBENGINE_DISABLE_SANDBOX": "1",
          "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu --no-sandbox"}
USABLE = ("!!(window.kayakoDesktop && window.kayakoDesktop.ready) && (() => {"
          " const p = document.querySelector('visitors-page');"
          " if (!document.querySelector('instance-tabs [role=tab] .dot.online')) return false;"
          " return !!p && !p.hidden && (!!p.querySelector('tbody tr') || !p.querySelector('.empty-state').hidden); })()")
GOALS = {"start": 1.5, "memory": 150.0}
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def control(port: int, path: str, body: dict[str, Any] | None = None, timeout: float = 10) -> Any:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST",
                                 data=json.dumps(body or {}).encode())
    with _OPENER.open(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int, tree: dict[int, list[int]]) -> list[int]:
    out, todo = [], list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(tree.get(child, []))
    return out


def rollup(pid: int) -> dict[str, float]:
    """MB from /proc/<pid>/smaps_rollup: Pss, Rss and Uss (private pages only)."""
    fields: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[key] = int(rest.split()[0]) / 1024
    except OSError:
        return {"pss": 0.0, "rss": 0.0, "uss": 0.0}
    return {"pss": fields.get("Pss", 0.0), "rss": fields.get("Rss", 0.0),
            "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)}


def pss_mb(pid: int) -> float:
    return rollup(pid)["pss"]


def name_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def memory(state: dict[str, Any]) -> dict[str, float]:
    """PSS in MB: the Python process, its web engine processes, and the embedded server separately."""
    tree = children()
    server = state["server_pid"]
    server_pids = [server, *descendants(server, tree)] if server else []
    others = [p for p in descendants(state["pid"], tree) if p not in server_pids]
    engine = [p for p in others if "QtWebEngine" in name_of(p)]
    rest = [p for p in others if p not in engine]
    app_pids = [state["pid"], *others]
    return {"python": pss_mb(state["pid"]), "webengine": sum(map(pss_mb, engine)), "other": sum(map(pss_mb, rest)),
            "engine_processes": float(len(engine)), "server": sum(map(pss_mb, server_pids)),
            "app_uss": sum(rollup(p)["uss"] for p in app_pids)}


class Run:
    def __init__(self, env: dict[str, str], profile: Path):
        self.port = free_port()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "kayako_desktop", "--profile", str(profile)], cwd=ROOT,
                                     env={**env, **QT_ENV, "KAYAKO_DESKTOP_TEST_CONTROL": str(self.port)},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_usable(self, timeout: float = 90) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}")
            try:
                if control(self.port, "/js", {"expr": USABLE}, timeout=5)["value"]:
                    return time.perf_counter() - self.started
            except (OSError, KeyError, ValueError):
                pass  # not listening yet, or between page loads
            time.sleep(0.01)
        raise RuntimeError("the Visitors screen never became usable")

    def state(self) -> dict[str, Any]:
        return control(self.port, "/state")  # type: ignore[no-any-return]

    def quit(self) -> None:
        try:
            control(self.port, "/quit")
            self.proc.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(10)


def timeline(profile: Path) -> list[tuple[str, float]]:
    """The last run's "<step> N s after launch" log lines (timed inside the app from process start)."""
    text = (profile / "logs" / "kayako-desktop.log").read_text(encoding="utf-8")
    steps: list[tuple[str, float]] = []
    for line in text.splitlines():
        if "app: starting (profile" in line:
            steps = []
        if line.endswith(" s after launch") and "app: " in line:
            what = line.split("app: ", 1)[1].rsplit(" s after launch", 1)[0]
            step, _, seconds = what.rpartition(" ")
            steps.append((step, float(seconds)))
    return steps


def bundle_size() -> None:
    dist = ROOT / "dist"
    if not dist.exists():
        print("bundle: no dist/ folder (build one with the packaging scripts to measure it)")
        return
    for item in sorted(dist.iterdir()):
        # Symlinks (Qt frameworks link their libraries) would count the same bytes twice.
        size = (sum(f.stat().st_size for f in item.rglob("*") if f.is_file() and not f.is_symlink())
                if item.is_dir() else item.stat().st_size)
        print(f"bundle: {item.name}: {size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds to wait before reading memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kayako-bench-desktop-") as tmp:
        env = desktop_support.isolated_env(Path(tmp) / "home")
        profile = Path(tmp) / "profile"
        with desktop_support.dbus_session(env) as bus_env, desktop_support.xvfb() as display:
            full = {**bus_env, "DISPLAY": display}
            with desktop_support.dunst(full), desktop_support.gnome_keyring(full):
                first = Run(full, profile)
                print(f"first run (new profile, account created): {first.wait_usable():.2f} s")
                first.quit()
                starts, inner, mems = [], [], []
                for i in range(1, args.runs + 1):
                    run = Run(full, profile)
                    try:
                        starts.append(run.wait_usable())
                        time.sleep(args.idle)
                        mems.append(memory(run.state()))
                        steps = timeline(profile)
                        inner.append(dict(steps).get("the UI is ready", float("nan")))
                    finally:
                        run.quit()
                    m = mems[-1]
                    print(f"run {i}: usable after {starts[-1]:.2f} s (in-process {inner[-1]:.2f} s); PSS python "
                          f"{m['python']:.0f} MB + web engine {m['webengine']:.0f} MB ({m['engine_processes']:.0f} "
                          f"processes) + other {m['other']:.0f} MB; embedded server {m['server']:.0f} MB")
    print("last run, inside the app: " + "; ".join(f"{step} {sec:.2f} s" for step, sec in steps))
    app_mb = [m["python"] + m["webengine"] + m["other"] for m in mems]
    print(f"\nstart-up to a usable Visitors screen, median of {len(starts)}: {statistics.median(starts):.2f} s "
          f"(in-process {statistics.median(inner):.2f} s); goal <= {GOALS['start']} s")
    print(f"idle PSS without the embedded server, median: {statistics.median(app_mb):.0f} MB; "
          f"goal <= {GOALS['memory']:.0f} MB")
    print(f"  (USS, pages no other process shares, median: {statistics.median(m['app_uss'] for m in mems):.0f} MB; "
          "PSS shares library pages with every process that maps them, other Qt apps included)")
    print(f"idle PSS of the embedded server, median: {statistics.median(m['server'] for m in mems):.0f} MB")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    bundle_size()


if __name__ == "__main__":
    main()
