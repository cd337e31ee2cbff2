"""Test-only remote control: with KAYAKO_DESKTOP_TEST_CONTROL=<port> the app answers JSON requests on
127.0.0.1:<port> so tests/desktop and bench/desktop.py can drive a real window from another process.
Off (not even imported) unless that variable is set. Endpoints, all POST with a JSON body:
  /state                 {} -> pids, bridge and embedded URLs, notifier status, windows
  /js                    {"window": "main"|"popup", "expr": "..."} -> {"value": <JSON result>}
  /api                   {"method": "pick_files", "args": [...]} -> {"value": <NativeApi result>}
  /quit                  {} -> closes the main window (the app then shuts down as usual)
  /geometry              {} -> where each window's web view is on the screen (for real pointer clicks)
  /memory                {} -> Python-side figures: threads, allocated blocks, top allocations when the
                         app runs with PYTHONTRACEMALLOC (bench/desktop_soak.py --trace)
  /fault                 {"where": "qt-slot"|"thread"} -> raises an exception there (the app must survive it)
"""

from __future__ import annotations

import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kayako_desktop.desktop.app import DesktopApp

log = logging.getLogger(__name__)
ENV = "KAYAKO_DESKTOP_TEST_CONTROL"


def port_from_env() -> int | None:
    raw = os.environ.get(ENV, "").strip()
    return int(raw) if raw.isdigit() else None


class _Handler(BaseHTTPRequestHandler):
    app: DesktopApp

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("control: " + format, *args)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            out = self._dispatch(self.path, body)
            status = 200
        except Exception as exc:  # report to the test, which shows it in the failure
            out, status = {"error": f"{exc.__class__.__name__}: {exc}"}, 500
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        app = self.app
        if path == "/state":
            return app.describe()
        if path == "/js":
            window = app.shell.popup if body.get("window") == "popup" else app.shell.main
            if window is None:
                raise LookupError(f"no {body.get('window', 'main')} window")
            return {"value": app.shell.js(window, str(body["expr"]))}
        if path == "/api":
            method = str(body["method"])
            if method.startswith("_"):
                raise PermissionError(method)
            return {"value": getattr(app.api, method)(*body.get("args", []))}
        if path == "/memory":
            return {"value": python_memory()}
        if path == "/geometry":
            return {"value": app.shell.geometry_on_screen()}
        if path == "/fault":
            def boom() -> None:
                raise RuntimeError("injected by the test control hook")

            if body.get("where") == "thread":
                threading.Thread(target=boom, name="injected-fault", daemon=True).start()
                return {"value": True}
            return {"value": app.shell.on_gui(boom)}
        if path == "/quit":
            threading.Thread(target=app.shell.quit, daemon=True).start()
            return {"value": True}
        raise LookupError(path)


def python_memory() -> dict[str, Any]:
    import sys
    import tracemalloc

    out: dict[str, Any] = {"threads": [t.name for t in threading.enumerate()], "blocks": sys.getallocatedblocks(),
                           "modules": len(sys.modules)}
    if tracemalloc.is_tracing():
        stats = tracemalloc.take_snapshot().statistics("filename")
        out["traced_mb"] = sum(st.size for st in stats) / 1048576
        out["top"] = [(str(st.traceback[0].filename), round(st.size / 1048576, 2)) for st in stats[:25]]
    return out


class Control:
    def __init__(self, app: DesktopApp, port: int) -> None:
        handler = type("Handler", (_Handler,), {"app": app})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="test-control", daemon=True).start()
        log.warning("control: TEST CONTROL is listening on 127.0.0.1:%d (%s is set)", port, ENV)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
