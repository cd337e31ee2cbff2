"""Web permission requests from our pages (notifications, clipboard, camera, location…), decided by us.

pywebview's Qt backend answers them itself, and on PyQt6 it passes a bare int where the binding wants a
`PermissionPolicy` enum: the TypeError is raised inside a Qt slot and PyQt aborts the process — the first
click in the window (the UI asks for notification permission on a click) killed the app. We replace that
page class's handler with ours: a written policy, answered through Qt ≥ 6.8's `QWebEnginePermission`
(`permissionRequested`) when the binding has it, else through `setFeaturePermission` with the binding's
real enum. Both work on PyQt6 and PySide6 (the bindings qtpy picks for pywebview on Linux)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# What a page of ours may use. Everything else (and anything a later Qt adds) is refused.
# - Notifications: the desktop app raises OS notifications itself (NativeApi.notify), never the page.
# - Clipboard: the Copy buttons on code posts write to it; only our own bridge pages may.
# - Camera, microphone, screen capture, location, pointer lock, local fonts: a chat app needs none.
GRANTED_TO_OWN_PAGES = frozenset({"ClipboardReadWrite", "ClipboardSanitizedWrite"})


def decide(feature: str, origin: str, own_origins: frozenset[str]) -> bool:
    """True to grant `feature` (a Qt enum member name) to a page at `origin` (scheme://host:port)."""
    return feature in GRANTED_TO_OWN_PAGES and origin.rstrip("/") in own_origins


def _name(value: Any) -> str:
    """The member name of a Qt enum value (PyQt6 and PySide6 enums are Python enums)."""
    return str(getattr(value, "name", value)).rsplit(".", 1)[-1]


def _origin(url: Any) -> str:
    """scheme://host:port of a QUrl (the form decide() compares)."""
    text = str(url.toString()) if hasattr(url, "toString") else str(url)
    return text.rstrip("/")


def install_qt_policy(own_origins: Callable[[], frozenset[str]]) -> None:
    """From now on every pywebview Qt page (main window and pop-up) asks `decide`. Call before the first
    window is created; `own_origins` is read at each request (the bridge's port is known later)."""
    from qtpy.QtWebEngineWidgets import QWebEnginePage  # type: ignore[attr-defined]
    from webview.platforms import qt as pywebview_qt

    base: Any = pywebview_qt.BrowserView.WebPage
    if getattr(base, "_kayako_policy", False):
        return
    policies = QWebEnginePage.PermissionPolicy  # PyQt6 and PySide6 both scope it on the class
    granted, denied = policies.PermissionGrantedByUser, policies.PermissionDeniedByUser

    original_init = base.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)  # connects featurePermissionRequested to ours (below)
        self._kayako_new_api = hasattr(self, "permissionRequested")
        if self._kayako_new_api:
            self.permissionRequested.connect(lambda permission: answer_permission(permission))

    def on_feature(self: Any, url: Any, feature: Any) -> None:
        # Qt ≥ 6.8 emits permissionRequested first for the same request: answered there.
        if getattr(self, "_kayako_new_api", False):
            return
        allow = _decide_logged(_name(feature), _origin(url))
        self.setFeaturePermission(url, feature, granted if allow else denied)

    def answer_permission(permission: Any) -> None:
        if _decide_logged(_name(permission.permissionType()), _origin(permission.origin())):
            permission.grant()
        else:
            permission.deny()

    def _decide_logged(feature: str, origin: str) -> bool:
        allow = decide(feature, origin, own_origins())
        log.info("permissions: %s for %s → %s", feature, origin, "granted" if allow else "denied")
        return allow

    # Patched in place, not subclassed: pywebview's __init__ names its own class in super(), which a
    # subclass swapped in under that name would send in a circle.
    base.__init__ = init
    base.onFeaturePermissionRequested = on_feature
    base._kayako_policy = True
