"""The desktop app's lifecycle: one instance per profile; settings, keyring store and logs; the embedded
chat server (first run: an account for this user, added as the "This computer" tab); the bridge; the
windows; and a clean shutdown (bridge, embedded server, notifier) when the main window closes."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kayako_desktop.bridge import RunningBridge, start_bridge
from kayako_desktop.desktop import control, faults
from kayako_desktop.desktop.embedded import EmbeddedError, EmbeddedServer
from kayako_desktop.desktop.first_run import FIRST_TAB_NAME, FirstRun
from kayako_desktop.desktop.launch import process_started
from kayako_desktop.desktop.local_files import LocalFiles
from kayako_desktop.desktop.native_api import NativeApi
from kayako_desktop.desktop.notifier import Notifier
from kayako_desktop.desktop.paths import APP_NAME, AppPaths
from kayako_desktop.desktop.popup import RequestWatcher
from kayako_desktop.desktop.secrets import (
    KeyringStore,
    keyring_lock_state,
    keyring_resolved,
    keyring_status,
)
from kayako_desktop.desktop.settings import Settings
from kayako_desktop.desktop.shell import APP_TITLE, Shell, permit_pywebview
from kayako_desktop.desktop.single_instance import SingleInstance

log = logging.getLogger(__name__)


def _nothing() -> None:
    pass


class DesktopApp:
    def __init__(self, paths: AppPaths, embedded: EmbeddedServer) -> None:
        self.started_at = process_started()
        self.paths = paths
        self.settings = Settings.load(paths.settings_file)
        self.store = KeyringStore(paths.instances_dir, self.settings.password_file_fallback)
        self.embedded = embedded
        self.local_files = LocalFiles()  # what the user picked or dropped, as single-use references
        self.api = NativeApi(self)
        self.shell = Shell(self.api, self.settings, [
            ("Open demo website", self.open_demo), ("Open log folder", self.open_logs), None,
            ("Quit Kayako Desktop", self.quit)])
        self.bridge: RunningBridge | None = None
        self.watcher: RequestWatcher | None = None
        self.notifier: Notifier | None = None
        self.control: control.Control | None = None
        self.ui_ready = threading.Event()
        self._notifier_ready = threading.Event()
        self.first_run = FirstRun(self)
        self._notices = [(problem, "error") for problem in self.settings.problems]
        self._requests = 0

    # ---- lifecycle -----------------------------------------------------------------------------
    def run(self) -> int:
        faults.install()  # an exception in a Qt slot is logged, never an abort
        threading.Thread(target=keyring_status, name="keyring-probe", daemon=True).start()  # D-Bus: slow
        if not self.settings.embedded:
            self.embedded.stop()  # launch.py guessed from a settings file that did not validate
        elif self.embedded.proc is None:  # start it now: it boots while the window toolkit does
            self.embedded.start(self.settings.embedded.get("port"))
        self.shell.create_main()
        port = control.port_from_env()
        if port:
            self.control = control.Control(self, port)
        if hasattr(signal, "SIGTERM"):
            signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=self.quit, daemon=True).start())
        log.info("app: starting the window toolkit %.2f s after launch", self.elapsed())
        self.shell.run(self._started)
        return 0

    def _started(self) -> None:
        """On a worker thread once the GUI loop runs: servers, bridge, then the UI in the main window."""
        log.info("app: the window toolkit runs %.2f s after launch", self.elapsed())
        threading.Thread(target=self._start_notifier, name="notifier-start", daemon=True).start()
        # Later runs load the UI while the embedded server boots (its tab shows "connecting" meanwhile);
        # a first run shows it only once the account exists, so there is no empty "add a server" screen.
        first_run = not self.settings.embedded
        if not first_run and self.embedded.port is not None \
                and self.embedded.url == (self.settings.embedded or {}).get("url"):
            self._start_bridge()
        try:
            self._ensure_embedded()
        except EmbeddedError as exc:
            log.error("embedded: %s", exc)
            self._notices.append((str(exc), "error"))
        except Exception as exc:  # the app must still open: the UI says what went wrong
            log.exception("embedded: setting up the local chat server failed")
            self._notices.append((f"The local chat server could not be set up ({exc.__class__.__name__}: {exc}).",
                                  "error"))
        log.info("app: embedded server ready %.2f s after launch", self.elapsed())
        if self.bridge is None:
            self._start_bridge()
        assert self.bridge is not None
        for up in self.bridge.app.extensions["bridge"]["registry"].ordered():
            up.reconnect_now()  # skip the retry back-off of a connect that came before the server
        if self.first_run.account_pending:
            self.first_run.add_tab_in_background()
        elif not keyring_resolved() and keyring_lock_state() in ("locked", "missing"):
            self._notices.append(("Your system keyring is locked: unlock it in the window your desktop opened. "
                                  "Your servers connect once it is unlocked.", "info"))
        ext = self.bridge.app.extensions["bridge"]
        self.watcher = RequestWatcher(ext["relay"], ext["registry"], self.shell, self._notify_request,
                                      self._withdraw_request, lambda: self.settings.request_popup)
        self.watcher.start()
        if self.shell.wait_ui_ready():
            self.ui_ready.set()
            log.info("app: the UI is ready %.2f s after launch", self.elapsed())
            for message, level in self._notices:
                self.shell.hook("notice", message, level)
            self.first_run.push_status()
            self.first_run.ask_name_if_pending()
        else:
            log.warning("app: the UI did not report ready")

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at

    def _start_bridge(self) -> None:
        self.bridge = start_bridge(self.store, local_files=self.local_files)
        permit_pywebview(self.bridge.app)
        self.shell.load(self.bridge.url)
        log.info("app: loading the UI %.2f s after launch", self.elapsed())

    def _start_notifier(self) -> None:
        try:
            self.notifier = Notifier(APP_NAME, self._notification_clicked)
        finally:
            self._notifier_ready.set()

    def quit(self) -> None:
        self.shell.quit()

    def shutdown(self) -> None:
        """After the GUI loop ends: every step runs even when an earlier one fails."""
        geometry = self.shell.geometry()

        def save_geometry() -> None:
            if geometry:
                self.settings.update(window=geometry)

        steps: list[tuple[str, Callable[[], object]]] = [
            ("window geometry", save_geometry),
            ("request watcher", self.watcher.stop if self.watcher else _nothing),
            ("test control", self.control.stop if self.control else _nothing),
            ("bridge", self.bridge.stop if self.bridge else _nothing),
            ("embedded server", self.embedded.close),
            ("notifier", self._close_notifier)]
        for name, step in steps:
            try:
                step()
            except Exception:
                log.exception("shutdown: %s failed", name)
        log.info("app: stopped")

    def _close_notifier(self) -> None:
        self._notifier_ready.wait(6)
        if self.notifier is not None:
            self.notifier.close()

    # ---- the embedded server -------------------------------------------------------------------
    def _ensure_embedded(self) -> None:
        saved = self.settings.embedded
        if not saved:
            self.first_run.create_server()
            return
        try:
            self.embedded.wait_ready()
        except EmbeddedError as exc:
            if exc.final:
                raise  # its data is refused: the notice says why, and no other port would help
            log.warning("embedded: %s; starting it on another port", exc)
            self.embedded.stop()
            self.embedded.start_and_wait(None)
        if self.embedded.url != saved.get("url"):
            self._move_instance(saved)

    def _move_instance(self, saved: dict[str, Any]) -> None:
        """The server came up on a new port: point the saved tab at it."""
        iid, url = saved.get("instance_id"), self.embedded.url
        log.info("embedded: now on %s; moving the %r tab there", url, FIRST_TAB_NAME)
        if self.bridge is None:  # not loaded yet: the store is the truth
            instances = self.store.load()
            for inst in instances:
                if inst.get("id") == iid:
                    inst["url"] = url
            self.store.save(instances)
        else:
            # ServerRegistry has no "change URL"; its upstream's instance dict is what it persists, and
            # rename() (to the same name) saves it and tells the UI. Then log in again at the new address.
            registry = self.bridge.app.extensions["bridge"]["registry"]
            up = registry.upstreams.get(iid)
            if up is not None:
                up.instance["url"] = url
                registry.rename(up.id, up.instance["name"])
                up.session_id = None
                up.reconnect_now()
        self.settings.update(embedded={**saved, "url": url, "port": self.embedded.port})

    # ---- what NativeApi asks for ---------------------------------------------------------------
    def desktop_info(self) -> dict[str, Any]:
        self._notifier_ready.wait(6)
        n = self.notifier
        # Never wait here for a keyring that sits at its unlock prompt: the UI would wait with it.
        keyring_ok, keyring_reason = (keyring_status() if keyring_resolved()
                                      else (False, "The system keyring is waiting to be unlocked"))
        embedded = None
        if self.embedded.port is not None:
            embedded = {"url": self.embedded.url, "demo_url": self.embedded.url + "/demo"}
        return {"native": True, "platform": sys.platform,
                "notifications": {"available": bool(n and n.available),
                                  "reason": n.reason if n else "The notification service did not start"},
                "keyring": {"available": keyring_ok, "reason": keyring_reason, "pending": not keyring_resolved()},
                "settings": self.settings.ui_dict(), "embedded": embedded, "setup": self.first_run.status}

    def update_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        result = self.settings.update_from_ui(changes)
        self.store.allow_file_fallback = self.settings.password_file_fallback
        if self.settings.password_file_fallback and self.first_run.account_pending and self.bridge:
            self.first_run.add_tab_in_background()  # the keyring could not take it, or still asks the user
        return result

    def set_attention(self, requests: int, unread: int) -> None:
        total = requests + unread
        self.shell.set_title(f"({total}) {APP_TITLE}" if total else APP_TITLE)
        if requests > self._requests:
            self.shell.request_attention()
        self._requests = requests

    def notify(self, title: str, body: str, payload: dict[str, Any], tag: str | None = None) -> bool:
        if not self.settings.notifications:
            return False
        self._notifier_ready.wait(6)
        return bool(self.notifier and self.notifier.notify(title, body, payload, tag=tag))

    def _notify_request(self, title: str, body: str, payload: dict[str, Any]) -> bool:
        return self.notify(title, body, payload, tag=f"request:{payload['instance']}:{payload['cid']}")

    def _withdraw_request(self, instance: str, cid: int) -> None:
        """The request was answered (here or anywhere else): its notification leaves the screen."""
        if self.notifier is not None:
            self.notifier.withdraw(f"request:{instance}:{cid}")

    def _notification_clicked(self, payload: dict[str, Any]) -> None:
        def open_it() -> None:
            self.shell.focus_main()
            if payload.get("kind") == "staff":  # a colleague wrote: the Team page on their thread
                self.shell.hook("openStaff", payload["instance"], payload["agent"])
            elif payload.get("instance") and payload.get("cid") is not None:
                self.shell.hook("openChat", payload["instance"], payload["cid"])

        threading.Thread(target=open_it, name="notification-click", daemon=True).start()

    def save_text(self, name: str, content: str) -> str | None:
        """Ask where to save `name` (the native save dialog) and write `content` there as UTF-8; the name saved,
        or None when the user cancelled. OSError when the file cannot be written."""
        path = self.shell.save_file(name)
        if path is None:
            return None
        Path(path).write_text(content, encoding="utf-8")
        return Path(path).name

    def answer_request(self, instance: str, cid: int, accept: bool) -> dict[str, Any]:
        if self.watcher is None:
            return {"ok": False, "message": "Kayako Desktop is still starting"}
        return self.watcher.answer(instance, cid, accept)

    def open_demo(self) -> bool:
        if self.embedded.port is None:
            self.shell.hook("notice", "The local chat server is not running, so there is no demo website.", "error")
            return False
        return bool(webbrowser.open(self.embedded.url + "/demo"))

    def open_logs(self) -> None:
        path = self.paths.log_dir
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
        else:
            webbrowser.open(path.as_uri())

    def focus(self) -> None:
        """A second launch asked for us."""
        self.shell.focus_main()

    def describe(self) -> dict[str, Any]:
        """For the test control hook and the bench."""
        n = self.notifier
        return {"pid": os.getpid(), "server_pid": self.embedded.pid,
                "bridge_url": self.bridge.url if self.bridge else None,
                "embedded_url": self.embedded.url if self.embedded.port else None,
                "ui_ready": self.ui_ready.is_set(), "title": self.shell.title,
                "popup": self.shell.popup_visible and self.shell.popup_awake,  # shown, its page running
                "popup_page": "awake" if self.shell.popup_awake else "discarded",
                "faults": {"count": faults.FaultLog.count, "last": faults.FaultLog.last},
                "notifier": {"available": bool(n and n.available), "reason": n.reason if n else None},
                "settings": self.settings.as_dict()}


def run(paths: AppPaths, lock: SingleInstance, embedded: EmbeddedServer) -> int:
    """The app until its main window closes (launch.main has taken the lock and maybe started `embedded`)."""
    app = DesktopApp(paths, embedded)
    lock.listen(lambda command: app.focus())
    try:
        return app.run()
    finally:
        app.shutdown()
