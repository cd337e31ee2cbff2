"""`kayako-desktop` with no subcommand. Cheap on purpose: it takes the single-instance lock and starts the
embedded chat server (a separate process that needs about a second to boot) *before* importing the window
toolkit, the bridge and Flask, then hands over to app.run. A second launch only asks the first to focus."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any, NoReturn

from kayako_desktop.console import say
from kayako_desktop.desktop.embedded import EmbeddedServer
from kayako_desktop.desktop.logs import setup_logging
from kayako_desktop.desktop.paths import AppPaths
from kayako_desktop.desktop.single_instance import SingleInstance

log = logging.getLogger(__name__)


def process_started() -> float:
    """time.monotonic() at this process's start (Linux; elsewhere: now), so start-up logs include imports."""
    try:
        uptime = float(open("/proc/uptime").read().split()[0])  # noqa: SIM115 - tiny proc files
        ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])  # noqa: SIM115
        return time.monotonic() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic()


def saved_port(paths: AppPaths) -> int | None:
    """The embedded server's port from the settings file, read without the settings module (which
    imports the bridge). A wrong guess costs nothing: app.DesktopApp checks it against real settings."""
    try:
        data: Any = json.loads(paths.settings_file.read_text(encoding="utf-8"))
        port = data["embedded"]["port"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return port if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536 else None


def main(profile: str | None = None) -> int:
    """The desktop app for this profile, or focus the one already running."""
    paths = AppPaths(profile).ensure()
    log_file = setup_logging(paths.log_dir)
    lock = SingleInstance(paths.data_dir)
    if not lock.acquire():
        if lock.signal_running("focus"):
            log.info("app: already running; asked it to come to the front")
            return 0
        say(f"Kayako Desktop is already running for this profile but does not answer; see {log_file}", error=True)
        return 1
    log.info("app: starting (profile %s, pid %d)", paths.profile or "default", os.getpid())
    light_webview_defaults()
    embedded = EmbeddedServer(paths.server_dir, paths.log_dir)
    try:
        port = saved_port(paths)
        if port is not None:
            embedded.start(port)
        from kayako_desktop.desktop import app  # the heavy part: pywebview, Qt, Flask, the bridge

        code = app.run(paths, lock, embedded)
    finally:
        embedded.close()
        lock.release()
    exit_now(code)


def light_webview_defaults() -> None:
    """A chat window needs no OpenGL. On Linux, Qt's X11 GL integration and Qt Quick's GL renderer load Mesa
    (with LLVM for software rendering) and grow the heap: idle PSS 395 → 313 MB in bench/desktop.py, and
    start-up is no slower. Qt and Chromium then composite in software, which a list and a chat draw fast
    enough. Set QT_QUICK_BACKEND / QT_XCB_GL_INTEGRATION yourself to choose otherwise.

    Two more, measured with bench/desktop_soak.py: QtWebEngine never runs V8's idle-time garbage collection
    the way Chrome does, so the page's garbage stayed until the process ended (1,254 MB after 1,800
    messages; 381 MB once collected): `--expose-gc` lets the agent UI collect when it goes quiet
    (web/agent/state/memory.js). And the audio service, started by the first chime, runs in the browser
    process instead of a process of its own that never ends (21 MB)."""
    if sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
        os.environ.setdefault("QT_XCB_GL_INTEGRATION", "none")
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
        if "--disable-gpu" not in flags:
            flags.append("--disable-gpu")
        if not any(f.startswith("--js-flags=") for f in flags):  # Qt splits this variable at spaces: one V8 flag
            flags.append("--js-flags=--expose-gc")
        flags = _merged(flags, "--disable-features=", "AudioServiceOutOfProcess")
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)


def _merged(flags: list[str], prefix: str, value: str) -> list[str]:
    """Add `value` to the one `prefix...` list switch (Chromium reads only one of each), keeping its items."""
    for n, flag in enumerate(flags):
        if flag.startswith(prefix):
            present = flag[len(prefix):]
            if value not in present.split(","):
                flags[n] = prefix + (f"{present},{value}" if present else value)
            return flags
    return [*flags, prefix + value]


def exit_now(code: int) -> NoReturn:
    """Leave without Python's interpreter teardown: it would destroy the Qt WebEngine objects in whatever
    order the garbage collector picks, which now and then ends a clean shutdown in SIGSEGV. Everything
    is saved and stopped by now; only the buffers are left to flush."""
    log.info("app: exit code %d", code)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)
