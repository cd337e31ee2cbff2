"""Full paths of files dropped on the main window from the OS (NativeApi.dropped_paths).

The page's drop event tells us the dropped files' names; the native side knows their full paths.
WebView2 and Cocoa: pywebview learns the paths natively and attaches them as `pywebviewFullPath` when the
drop event reaches its DOM event path. Qt: pywebview's QWebEngineView.dropEvent override is often bypassed
(Qt 6 delivers drops to the view's internal child widget), so an application-wide Qt event filter records
the URLs of every drop instead. pywebview's DOM API registers listeners with evaluate_js, which uses
eval() and so fails under the bridge's CSP; we add the listener with run_js and give pywebview a minimal
"element" to deliver the event to. That touches pywebview internals (`window.dom._elements`,
`_dnd_state`); tests/desktop cover it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any, cast

log = logging.getLogger(__name__)

SINK_ID = "kayako-drop-sink"
MAX_AGE = 5.0  # seconds a drop stays claimable (the contract's "< 5 s old")

# A capturing listener on document sees the drop before the UI's own handlers (which may stop it).
# Everywhere but WebView2 a small plain object is sent: pywebview would otherwise serialise the
# whole target element. Dragging files over the window outside a drop zone must not navigate to them.
_LISTENER_JS = """
(() => {
  if (window.__kayakoDropSink) return true;
  window.__kayakoDropSink = true;
  document.addEventListener('drop', (e) => {
    const pv = window.pywebview, files = e.dataTransfer && e.dataTransfer.files;
    if (!pv || !pv._jsApiCallback || !files || !files.length) return;
    const event = pv.platform === 'edgechromium' ? e : {type: 'drop', dataTransfer: {files:
      Array.from(files, (f) => ({name: f.name, size: f.size, type: f.type}))}};
    pv._jsApiCallback('pywebviewEventHandler', {event: event, nodeId: %s}, 'eventHandler');
  }, true);
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('drop', (e) => { if (hasFiles(e)) e.preventDefault(); });
  return true;
})()
""".replace("%s", json.dumps(SINK_ID))


class _Sink:
    """Quacks like the pywebview DOM element that util.js_bridge_call hands a drop event to."""

    def __init__(self, tracker: DropTracker) -> None:
        self._event_handlers: dict[str, list[Any]] = {"drop": [tracker.on_drop]}


class DropTracker:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._drops: list[tuple[float, list[str], list[str]]] = []  # (when, names, full paths)
        self._native: list[tuple[float, list[str]]] = []  # (when, full paths) seen by the Qt filter
        self._listening = False
        self._qt_filter: Any = None

    def watch_qt(self) -> None:
        """Qt only, on the GUI thread: record the local paths of every drop on any of our windows."""
        from qtpy.QtCore import QEvent, QObject
        from qtpy.QtWidgets import QApplication

        tracker = self

        class DropFilter(QObject):
            """At Drop time Qt asks the source for the data again, and under X11 that sometimes yields no
            URLs although the page gets the files: keep the URLs seen when the drag entered as well."""

            entered: list[str] = []

            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                kind = event.type()
                if kind in (QEvent.Type.DragEnter, QEvent.Type.Drop):
                    mime = event.mimeData()
                    urls = mime.urls() if mime is not None and mime.hasUrls() else []
                    paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
                    if kind == QEvent.Type.DragEnter:
                        self.entered = paths
                    else:
                        tracker.native_drop(paths or self.entered)
                return False

        qt_app = QApplication.instance()
        if qt_app is not None:
            self._qt_filter = DropFilter()
            qt_app.installEventFilter(self._qt_filter)

    def native_drop(self, paths: list[str]) -> None:
        if not paths:
            return
        with self._cond:
            now = time.monotonic()
            # Qt hands one drop to each widget up the parent chain until one takes it: keep it once.
            self._native = [d for d in self._native if now - d[0] < MAX_AGE and d[1] != paths] + [(now, paths)]

    def install(self, window: Any) -> None:
        """Watch `window` (call before it loads): the listener is added again after every page load."""
        window.events.loaded += lambda: self._attach(window)

    def _attach(self, window: Any) -> None:
        if not self._listening and self._qt_filter is None:
            from webview.dom import _dnd_state

            _dnd_state["num_listeners"] = cast(int, _dnd_state["num_listeners"]) + 1  # pywebview records paths natively only while someone listens
            self._listening = True
        window.dom._elements[SINK_ID] = _Sink(self)  # DOM resets this dict on every load
        try:
            window.run_js(_LISTENER_JS)
        except Exception:  # the window closed meanwhile
            log.exception("drops: could not add the drop listener")

    def on_drop(self, event: dict[str, Any]) -> None:
        files = (event.get("dataTransfer") or {}).get("files") or []
        names = [str(f.get("name", "")) for f in files]
        paths = [str(f["pywebviewFullPath"]) for f in files if f.get("pywebviewFullPath")]
        with self._cond:
            now = time.monotonic()
            if names and len(paths) != len(names):
                paths = self._from_native(names, now)
            log.info("drops: %d file(s) dropped, %d with a full path", len(names), len(paths))
            if not names or len(paths) != len(names):
                return
            self._drops = [d for d in self._drops if now - d[0] < MAX_AGE] + [(now, names, paths)]
            self._cond.notify_all()

    def _from_native(self, names: list[str], now: float) -> list[str]:
        for drop in reversed(self._native):
            if now - drop[0] < MAX_AGE and [os.path.basename(p) for p in drop[1]] == names:
                self._native.remove(drop)
                return list(drop[1])
        return []

    def claim(self, names: list[str], wait: float = 0.5) -> list[str] | None:
        """Full paths of the latest drop < 5 s old whose basenames equal `names` in order (each drop is
        claimed once); waits briefly, since the page's handler and ours run concurrently."""
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                now = time.monotonic()
                for drop in reversed(self._drops):
                    if now - drop[0] < MAX_AGE and drop[1] == names:
                        self._drops.remove(drop)
                        log.info("drops: the page claimed the paths of %d dropped file(s)", len(names))
                        return list(drop[2])
                if now >= deadline:
                    return None
                self._cond.wait(deadline - now)
