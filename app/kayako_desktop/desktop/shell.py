"""The windows: the main window on the bridge and the chat-request pop-up, plus what only the window
toolkit can do (focus, attention, title, file dialog, menu). Linux uses Qt; Windows and macOS pywebview's
default (WebView2, WKWebView).

pywebview's evaluate_js wraps scripts in eval(), which the bridge's CSP forbids, so every script here
runs through run_js with its own JSON wrapper (`Shell.js`)."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import webview
from flask import Flask
from webview.menu import Menu, MenuAction, MenuSeparator

from kayako_desktop.desktop import permissions
from kayako_desktop.desktop.drops import DropTracker
from kayako_desktop.desktop.settings import Settings

log = logging.getLogger(__name__)

APP_TITLE = "Kayako Desktop"
POPUP_SIZE = (380, 188)
# A hidden pop-up's page is discarded this long after it was hidden, if it has not shown again meanwhile:
# requests that come back to back reuse the live page instead of waking a discarded one each time.
POPUP_DISCARD_AFTER = 2.0
IMAGE_FILTER = "Images (*.png;*.jpg;*.jpeg;*.gif;*.webp)"
STARTING_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kayako Desktop</title>
<style>html,body{height:100%;margin:0}body{display:grid;place-items:center;background:#f4f5f8;color:#5b6275;
font:15px system-ui,sans-serif}@media (prefers-color-scheme:dark){body{background:#0f1117;color:#a4abbb}}</style>
</head><body><p role="status">Starting Kayako Desktop…</p></body></html>"""


def gui_name() -> Literal["qt"] | None:
    """Qt on Linux (the backend the tests drive); the platform default elsewhere."""
    return "qt" if sys.platform.startswith("linux") else None


def permit_pywebview(bridge_app: Flask) -> None:
    """pywebview's js_api and its return values go through eval()/new Function(), so the page served to
    the desktop window must allow 'unsafe-eval'; the rest of the bridge's CSP stays as it is."""

    @bridge_app.after_request
    def _allow_eval(resp: Any) -> Any:
        csp = resp.headers.get("Content-Security-Policy")
        if csp and "'unsafe-eval'" not in csp:
            resp.headers["Content-Security-Policy"] = csp.replace("script-src 'self'",
                                                                  "script-src 'self' 'unsafe-eval'")
        return resp


def js_call(name: str, *args: Any) -> str:
    """`window.kayakoDesktop.<name>(args...)` as a script, the arguments JSON-encoded (never pasted)."""
    encoded = ", ".join(json.dumps(a) for a in args)
    return f"(window.kayakoDesktop && window.kayakoDesktop.{name}) ? (window.kayakoDesktop.{name}({encoded}), true) : false"


class Shell:
    def __init__(self, api: object, settings: Settings, menu: list[tuple[str, Callable[[], object]] | None]) -> None:
        self.api = api
        self.settings = settings
        self.drops = DropTracker()
        self.main: webview.Window | None = None
        self.popup: webview.Window | None = None
        self.popup_visible = False
        self.popup_awake = False  # its page is Active (not Discarded): scripts run in it
        self._on_dismissed: Callable[[], None] | None = None
        self._quitting = False
        self._menu = menu
        self._popup_lock = threading.Lock()
        self._popup_shows = 0  # how many times the pop-up was shown: a discard planned before a show is void
        self._invoke: Callable[[Callable[[], None]], None] | None = None  # Qt: run on the GUI thread
        self._geometry: dict[str, Any] = {}
        self._minimized = False
        self._title = APP_TITLE
        self._own_origins: frozenset[str] = frozenset()  # the bridge's origin, once it is loaded

    # ---- main window ---------------------------------------------------------------------------
    def create_main(self) -> webview.Window:
        geo = self.settings.window
        window = webview.create_window(
            APP_TITLE, html=STARTING_HTML, js_api=self.api, width=geo["width"], height=geo["height"],
            x=geo.get("x"), y=geo.get("y"), maximized=bool(geo.get("maximized")), min_size=(720, 480),
            text_select=True, background_color="#F4F5F8", menu=self._build_menu())
        assert window is not None
        window.events.before_show += self._on_before_show
        window.events.resized += lambda w, h: self._geometry.update(width=w, height=h)
        window.events.moved += lambda x, y: self._geometry.update(x=x, y=y)
        window.events.maximized += lambda: self._geometry.update(maximized=True)
        window.events.minimized += lambda: setattr(self, "_minimized", True)
        window.events.restored += self._on_restored
        window.events.closing += self._on_main_closing
        window.events.closed += self._on_main_closed
        self.drops.install(window)
        self.main = window
        return window

    def _build_menu(self) -> list[Menu]:
        items: list[Any] = [MenuSeparator() if entry is None else MenuAction(entry[0], entry[1])
                            for entry in self._menu]
        return [Menu(APP_TITLE, items)] if items else []

    def _on_before_show(self) -> None:
        """Runs on the GUI thread as the main window is built: make a way to call Qt from other threads."""
        if webview.renderer not in ("qtwebengine", "qtwebkit"):
            return
        from qtpy.QtCore import QObject, Signal  # type: ignore[attr-defined]

        class Invoker(QObject):
            call = Signal(object)

        invoker = Invoker()
        invoker.call.connect(lambda fn: fn())  # queued onto the GUI thread when emitted elsewhere
        self._keep_invoker = invoker
        self._invoke = invoker.call.emit
        self.drops.watch_qt()
        if self.main is not None:
            self._fit_on_screen(self.main.native)

    def _fit_on_screen(self, native: Any) -> None:
        """A saved size larger than this screen, or a position on a screen no longer attached, would
        leave the window (and its menu) partly out of sight: shrink it and centre it instead."""
        from qtpy.QtCore import QPoint
        from qtpy.QtWidgets import QApplication

        screen = QApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        width, height = min(native.width(), avail.width()), min(native.height(), avail.height())
        saved = self.settings.window
        placed = saved.get("x") is not None and saved.get("y") is not None
        if placed and QApplication.screenAt(QPoint(int(saved["x"]) + 40, int(saved["y"]) + 20)) is not None:
            if (width, height) != (native.width(), native.height()):
                native.resize(width, height)
            return
        native.resize(width, height)
        native.move(avail.x() + (avail.width() - width) // 2, avail.y() + (avail.height() - height) // 2)

    def _on_restored(self) -> None:
        self._minimized = False
        self._geometry.update(maximized=False)

    def _on_main_closing(self) -> None:
        self._quitting = True  # from now on the pop-up may really close

    def _on_main_closed(self) -> None:
        popup = self.popup
        if popup is not None:  # the app ends with its main window
            popup.destroy()

    def run(self, on_started: Callable[[], None]) -> None:
        """Show the windows and run the GUI loop on this (main) thread until the main window closes."""
        if gui_name() == "qt":
            permissions.install_qt_policy(lambda: self._own_origins)
        webview.start(on_started, gui=gui_name(), private_mode=True)

    def load(self, url: str) -> None:
        assert self.main is not None
        parts = urlsplit(url)
        self._own_origins = frozenset({f"{parts.scheme}://{parts.netloc}"})
        self.main.load_url(url)

    @property
    def title(self) -> str:
        return self._title

    def geometry(self) -> dict[str, Any]:
        return {k: v for k, v in self._geometry.items() if k in ("width", "height", "x", "y", "maximized")}

    def quit(self) -> None:
        if self.main is not None:
            self.main.destroy()

    # ---- scripts -------------------------------------------------------------------------------
    @staticmethod
    def js(window: webview.Window, expr: str) -> Any:
        """Evaluate a JS expression in `window` and return its JSON value (CSP-safe: no eval)."""
        script = ("JSON.stringify((() => { try { return {ok: true, value: (" + expr + ")}; } catch (e) { "
                  "return {ok: false, error: String(e && e.stack || e)}; } })())")
        raw = window.run_js(script)
        result = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(result, dict):
            return None
        if not result.get("ok"):
            raise RuntimeError(f"JavaScript failed: {result.get('error')}")
        return result.get("value")

    def hook(self, name: str, *args: Any) -> bool:
        """Call a window.kayakoDesktop hook of the main window's UI; False when the UI lacks it."""
        if self.main is None:
            return False
        try:
            return bool(self.js(self.main, js_call(name, *args)))
        except Exception:
            log.exception("shell: kayakoDesktop.%s failed", name)
            return False

    def wait_ui_ready(self, timeout: float = 30.0) -> bool:
        """Until the UI says window.kayakoDesktop.ready (it has loaded its snapshot)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.main is not None:
            try:
                if self.js(self.main, "!!(window.kayakoDesktop && window.kayakoDesktop.ready)"):
                    return True
            except Exception:  # between page loads
                pass
            time.sleep(0.05)
        return False

    # ---- window manager ------------------------------------------------------------------------
    def geometry_on_screen(self, timeout: float = 5.0) -> dict[str, dict[str, int]]:
        """Where each window's web view (and the main window's menu bar) is on the screen, in pixels, for
        tests that click with a real pointer. Qt only; read on the GUI thread."""
        result: dict[str, dict[str, int]] = {}
        done = threading.Event()

        def rect(widget: Any) -> dict[str, int]:
            from qtpy.QtCore import QPoint

            origin = widget.mapToGlobal(QPoint(0, 0))
            return {"x": origin.x(), "y": origin.y(), "width": widget.width(), "height": widget.height(),
                    "visible": int(widget.isVisible())}

        def read() -> None:
            try:
                for name, window in (("main", self.main), ("popup", self.popup)):
                    if window is not None and window.native is not None:
                        result[name] = rect(window.native.webview)
                        if name == "main" and window.native.menuBar() is not None:
                            result["menubar"] = rect(window.native.menuBar())
            finally:
                done.set()

        if self._gui(read):
            done.wait(timeout)
        return result

    def on_gui(self, fn: Callable[[], None]) -> bool:
        """Run `fn` on the GUI thread (Qt: queued through a signal to a slot); False when not on Qt."""
        return self._gui(fn)

    def _gui(self, fn: Callable[[], None]) -> bool:
        if self._invoke is None:
            return False
        self._invoke(fn)
        return True

    def focus_main(self) -> None:
        main = self.main
        if main is None:
            return

        def raise_qt() -> None:
            native: Any = main.native
            if native.isMinimized():
                native.showNormal()
            native.show()
            native.raise_()
            native.activateWindow()

        if not self._gui(raise_qt):
            main.show()
            if self._minimized:
                main.restore()

    def set_title(self, title: str) -> None:
        if self.main is not None and title != self._title:
            self._title = title
            self.main.set_title(title)

    def request_attention(self) -> None:
        """Flash the taskbar entry / bounce the dock icon until the window is focused (Qt)."""
        main = self.main
        if main is None:
            return

        def alert() -> None:
            from qtpy.QtWidgets import QApplication

            QApplication.alert(main.native, 0)

        self._gui(alert)

    def pick_files(self, kind: str, multiple: bool) -> list[str]:
        """The native open-file dialog on the main window; [] when cancelled."""
        assert self.main is not None
        types = (IMAGE_FILTER, "All files (*.*)") if kind == "image" else ()
        chosen = self.main.create_file_dialog(webview.FileDialog.OPEN, allow_multiple=multiple, file_types=types)
        return [str(p) for p in (chosen or ()) if p]

    def save_file(self, name: str) -> str | None:
        """The native save dialog on the main window, in the Downloads folder (else home), suggesting
        `name`; the path chosen, or None when cancelled."""
        assert self.main is not None
        downloads = Path.home() / "Downloads"
        folder = downloads if downloads.is_dir() else Path.home()
        chosen = self.main.create_file_dialog(webview.FileDialog.SAVE, directory=str(folder), save_filename=name)
        if isinstance(chosen, list | tuple):
            chosen = chosen[0] if chosen else None
        return str(chosen) if chosen else None

    # ---- the chat-request pop-up ---------------------------------------------------------------
    # One pop-up window, created at the first request and then hidden and shown again, never destroyed
    # while the app runs: closing a pywebview Qt window releases its private web profile before its page
    # ("Release of profile requested but WebEnginePage still not deleted"), which now and then crashes.
    def show_popup(self, html: str, title: str, on_dismissed: Callable[[], None] | None = None) -> None:
        """Show `html` in the small always-on-top pop-up (replacing what it showed). `on_dismissed` runs
        when the user closes the window without answering."""
        with self._popup_lock:
            if self.main is None or self._quitting:
                return
            self._on_dismissed = on_dismissed
            self._popup_shows += 1
            popup = self.popup
            if popup is None:
                width, height = POPUP_SIZE
                x, y = self._popup_position(width, height)
                popup = webview.create_window(title, html=html, js_api=self.api, width=width, height=height, x=x,
                                              y=y, resizable=False, on_top=True, focus=True,
                                              min_size=(width, height), background_color="#FFFFFF")
                if popup is None:
                    return
                popup.events.closing += self._popup_closing
                self.popup = popup
                self.popup_awake = True
            else:
                self._popup_lifecycle(popup, active=True)  # queued before the load: the page wakes first
                popup.load_html(html)
                popup.set_title(title)
                popup.show()
                shown = popup

                def activate() -> None:
                    native: Any = shown.native
                    native.raise_()
                    native.activateWindow()  # Enter / Escape answer it (popup.html ignores the first 0.7 s)

                self._gui(activate)
            self.popup_visible = True

    def _popup_closing(self) -> bool:
        """The user closed the pop-up (GUI thread): hide it instead, unless the app is quitting."""
        if self._quitting:
            return True
        popup, dismissed = self.popup, self._on_dismissed
        if popup is not None:
            def hide() -> None:
                popup.hide()
                self._discard_later(popup)

            threading.Thread(target=hide, daemon=True).start()
        self.popup_visible = False
        if dismissed is not None:
            threading.Thread(target=dismissed, daemon=True).start()
        return False  # cancels the close

    @staticmethod
    def _popup_position(width: int, height: int) -> tuple[int | None, int | None]:
        """Bottom-right corner of the primary screen, above where a taskbar usually is."""
        try:
            screen = webview.screens[0]
            return (int(screen.x + screen.width - width - 24), int(screen.y + screen.height - height - 64))
        except Exception:
            return None, None

    def close_popup(self) -> None:
        with self._popup_lock:
            popup = self.popup
            if popup is not None and self.popup_visible:
                self.popup_visible = False
                popup.hide()
                self._discard_later(popup)

    def _discard_later(self, popup: webview.Window) -> None:
        """Discard the hidden pop-up's page POPUP_DISCARD_AFTER seconds from now, unless it shows again first."""
        shows = self._popup_shows

        def discard() -> None:
            with self._popup_lock:
                if self._popup_shows == shows and not self.popup_visible and not self._quitting:
                    self._popup_lifecycle(popup, active=False)

        timer = threading.Timer(POPUP_DISCARD_AFTER, discard)
        timer.daemon = True
        timer.start()

    def _popup_lifecycle(self, popup: webview.Window, active: bool) -> None:
        """A hidden pop-up's page is discarded, which ends its renderer process (about 40 MB), and woken
        before it shows again. Qt ≥ 5.14 only; the window itself is never destroyed (see above)."""
        def apply() -> None:
            try:
                from qtpy.QtWebEngineWidgets import QWebEnginePage  # type: ignore[attr-defined]

                native: Any = popup.native
                page = native.webview.page()
                states = QWebEnginePage.LifecycleState
                if active:
                    page.setLifecycleState(states.Active)
                elif not native.isVisible() and page.lifecycleState() == states.Active:
                    page.setLifecycleState(states.Discarded)
                self.popup_awake = page.lifecycleState() == states.Active
            except (AttributeError, ImportError, RuntimeError) as exc:
                log.debug("shell: pop-up lifecycle not changed (%r)", exc)
                self.popup_awake = True

        self._gui(apply)
