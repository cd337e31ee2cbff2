"""The real desktop app under test: Xvfb on a free display, a private D-Bus session with dunst and an
unlocked GNOME Keyring (tests/desktop_support.py), and `python -m kayako_desktop --profile <tmp>` as a subprocess
(the Qt loop owns its main thread), driven through its test-only control hook (app/kayako_desktop/desktop/control.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import desktop_support
from tests.support import Visitor, free_port

REQUIRED = ("Xvfb", "dbus-daemon", "dunst", "dunstctl", "gnome-keyring-daemon", "xdotool", "import", "identify")
SCREENS = Path("/work/notes/screens")
QT_ENV = {"QT_QPA_PLATFORM": "xcb", "QTWEBENGINE_DISABLE_SANDBOX": "1",
          "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu --no-sandbox"}
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))



def wait_for(check: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy; its last exception is part of the failure."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
            last = value
        except Exception as exc:  # not there yet
            last = exc
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class Desktop:
    """The X display, bus and services every app in a test session shares."""

    def __init__(self, env: dict[str, str], tmp: Path):
        self.env = env
        self.tmp = tmp

    def x(self, *args: Any, check: bool = True) -> str:
        return subprocess.run(["xdotool", *map(str, args)], env=self.env, capture_output=True, text=True,
                              timeout=15, check=check).stdout

    def screenshot(self, folder: Path, name: str) -> Path:
        """The whole screen as PNG in `folder` and in /work/notes/screens; fails on an all-blank image.
        Waits a moment first: the web view paints a DOM change a few frames later."""
        time.sleep(0.6)
        path = folder / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30)
        colours = int(subprocess.run(["identify", "-format", "%k", str(path)], capture_output=True, text=True,
                                     check=True, timeout=30).stdout)
        assert colours > 50, f"{path} looks blank ({colours} colours)"
        try:
            SCREENS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, SCREENS / path.name)
        except OSError:  # outside this workspace the copy is a convenience only
            pass
        return path

    def open_dialogs(self) -> list[str]:
        """Window ids of the native open-file dialogs on screen."""
        return self.x("search", "--onlyvisible", "--name", "^Open", check=False).split()

    def save_dialogs(self) -> list[str]:
        """Window ids of the native save-file dialogs on screen (pywebview's Qt title: "Save file")."""
        return self.x("search", "--onlyvisible", "--name", "^Save", check=False).split()

    def choose_file(self, path: Path) -> None:
        """Answer the native open-file dialog by typing `path` and pressing Return, as a user does."""
        self._answer(self.open_dialogs, "open", path)

    def save_as(self, path: Path) -> None:
        """Answer the native save dialog by typing where to save, as a user does."""
        self._answer(self.save_dialogs, "save", path)

    def _answer(self, dialogs: Callable[[], list[str]], kind: str, path: Path) -> None:
        """Qt's file dialogs complete names while they are typed: a Return that lands while the completion
        list is up may only take the completion (or open the folder and clear the name), so the user types the
        path again until the dialog has closed. A dialog still open at the end is cancelled, so it cannot hold
        the main window modal for the tests after this one."""
        dialog = wait_for(dialogs, 10, f"the native {kind} dialog")
        try:
            self.x("windowfocus", "--sync", dialog[0])
            for _ in range(4):
                self.x("key", "ctrl+a")
                self.x("type", "--delay", "5", str(path))
                self.x("sleep", "0.3")
                self.x("key", "Return")
                deadline = time.monotonic() + 2.5
                while dialogs() and time.monotonic() < deadline:
                    time.sleep(0.1)
                if not dialogs():
                    return
            raise AssertionError(f"the {kind} dialog did not take {path}")
        finally:
            for left in dialogs():
                self.x("windowfocus", "--sync", left, check=False)
                self.x("key", "Escape", check=False)

    def notifications(self) -> list[str]:
        """Summaries of every notification dunst showed (closing the visible ones into its history)."""
        desktop_support.dunstctl(self.env, "close-all")
        history = json.loads(desktop_support.dunstctl(self.env, "history"))["data"][0]
        return [entry["summary"]["data"] for entry in history]


class App:
    """One `python -m kayako_desktop --profile DIR` process and its control hook."""

    def __init__(self, desktop: Desktop, profile: Path, name: str = "app", env: dict[str, str] | None = None):
        self.desktop = desktop
        self.extra_env = env or {}
        self.profile = profile
        self.port = free_port()
        self.output = profile.parent / f"{name}.out"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> App:
        env = {**self.desktop.env, **QT_ENV, **self.extra_env, "KAYAKO_DESKTOP_TEST_CONTROL": str(self.port)}
        self.started = time.monotonic()
        with open(self.output, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "kayako_desktop", "--profile", str(self.profile)],
                                         cwd=desktop_support.REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        return self

    def ctl(self, path: str, body: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method="POST",
                                     data=json.dumps(body or {}).encode())
        try:
            with _OPENER.open(req, timeout=timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"control {path}: {exc.read().decode()}") from exc

    def state(self) -> dict[str, Any]:
        return self.ctl("/state")  # type: ignore[no-any-return]

    def js(self, expr: str, window: str = "main") -> Any:
        return self.ctl("/js", {"window": window, "expr": expr})["value"]

    def bridge(self, method: str, path: str, body: Any = None) -> Any:
        """Call the app's bridge as its UI does (test set-up only): the token rides in the URL fragment."""
        base, _, fragment = self.state()["bridge_url"].partition("/#")
        token = urllib.parse.parse_qs(fragment)["token"][0]
        req = urllib.request.Request(base + path, method=method, headers={"X-Bridge-Token": token,
                                     "Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
        with _OPENER.open(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def api(self, method: str, *args: Any, timeout: float = 30) -> Any:
        return self.ctl("/api", {"method": method, "args": list(args)}, timeout=timeout)["value"]

    def wait_ready(self, timeout: float = 60) -> dict[str, Any]:
        def ready() -> dict[str, Any] | None:
            assert self.proc is not None and self.proc.poll() is None, f"the app exited: {self.tail()}"
            state = self.state()
            return state if state["ui_ready"] else None

        try:
            return wait_for(ready, timeout, "the UI to report kayakoDesktop.ready")  # type: ignore[no-any-return]
        except AssertionError as exc:
            log = "\n".join(self.log().splitlines()[-30:])
            raise AssertionError(f"{exc}\n--- app log ---\n{log}\n--- output ---\n{self.tail()}") from None

    def wait_js(self, expr: str, window: str = "main", timeout: float = 15, what: str | None = None) -> Any:
        return wait_for(lambda: self.js(expr, window), timeout, what or expr)

    def log(self) -> str:
        path = self.profile / "logs" / "kayako-desktop.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-3000:] if self.output.exists() else ""

    def quit(self, timeout: float = 30) -> int:
        assert self.proc is not None
        try:
            self.ctl("/quit", timeout=5)
        except OSError:
            self.proc.terminate()
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def visitor(app: App, name: str) -> Visitor:
    """A website visitor on the app's embedded chat server (tests/support.py's driver)."""
    url = app.state()["embedded_url"]
    live = SimpleNamespace(api=url + "/api/v1", ws_url=url.replace("http://", "ws://") + "/api/v1/realtime")
    v = Visitor(live, name)  # type: ignore[arg-type]
    v.view(url + "/demo", "Demo shop")
    return v


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    missing = [tool for tool in REQUIRED if shutil.which(tool) is None]
    assert not missing, f"desktop tests need these programs (scripts/setup.sh --test installs them): {missing}"
    tmp = tmp_path_factory.mktemp("desktop")
    env = desktop_support.isolated_env(tmp / "home")
    with desktop_support.dbus_session(env) as bus_env, desktop_support.xvfb() as display:
        full = {**bus_env, "DISPLAY": display}
        with desktop_support.dunst(full), desktop_support.gnome_keyring(full):
            yield Desktop(full, tmp)


NAME_PROMPT_OPEN = ("(() => { const d = document.querySelector('prompt-dialog dialog'); return !!(d && d.open && "
                    "document.querySelector('#prompt-title').textContent.startsWith('What should visitors call you')); })()")


def answer_name_prompt(app: App, name: str = "Ada Lovelace", timeout: float = 10) -> bool:
    """A first run under an account without a real name (root on CI) asks what visitors should call the
    agent: type the name with the real keyboard. Returns False when the app did not ask."""
    from tests.desktop.pointer import RealInput

    ui = RealInput(app, app.desktop)
    settings = app.state()["settings"]
    if not settings["name_prompt_pending"] and not app.js(NAME_PROMPT_OPEN):
        return False
    app.wait_js(NAME_PROMPT_OPEN, timeout=timeout, what="the name prompt")
    ui.click("#prompt-input")
    ui.key("ctrl+a")
    ui.type(name)
    ui.key("Return")
    wait_for(lambda: not app.state()["settings"]["name_prompt_pending"], 10, "the name to be saved")
    return True


@pytest.fixture(scope="module")
def app(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The app on a fresh profile (a first run, its name question answered), shared by one module's tests."""
    running = App(desktop, tmp_path_factory.mktemp("profile") / "profile").start()
    try:
        running.wait_ready()
        answer_name_prompt(running)
        yield running
    finally:
        running.kill()
