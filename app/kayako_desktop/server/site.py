"""Web assets the chat server serves besides the API: the widget loader (/messenger.js), the widget
itself (/messenger/…), the shared ES modules (/shared/…) and the demo website (/demo)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

from kayako_desktop.webroot import web_root

WEB = web_root()
site = Blueprint("site", __name__)

# The widget runs inside an iframe on any website (frame-ancestors *), but may only load its own code.
# Online images pushed by agents are plain http(s) URLs, hence img-src https: http:.
WIDGET_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; "
              "connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'; object-src 'none'")
DEMO_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-src 'self'; base-uri 'none'; object-src 'none'")


def _send(folder: Path, name: str, *, csp: str | None = None, max_age: int = 300) -> Response:
    resp = send_from_directory(folder, name, max_age=max_age)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        resp.headers["Content-Security-Policy"] = csp
    return resp


@site.get("/messenger.js")
def loader() -> Response:
    resp = _send(WEB / "messenger", "loader.js")
    resp.headers["Content-Type"] = "text/javascript; charset=utf-8"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@site.get("/messenger/<path:name>")
def messenger(name: str) -> Response:
    if name == "loader.js":
        abort(404)
    return _send(WEB / "messenger", name, csp=WIDGET_CSP if name.endswith(".html") else None)


@site.get("/shared/<path:name>")
def shared(name: str) -> Response:
    return _send(WEB / "shared", name)


@site.get("/demo")
@site.get("/demo/")
@site.get("/demo/<path:name>")
def demo(name: str = "index") -> Response:
    folder = WEB / "demo"
    page = name.rstrip("/") or "index"
    if os.path.isfile(folder / f"{page}.html") and ".." not in page:
        return _send(folder, f"{page}.html", csp=DEMO_CSP, max_age=0)
    return _send(folder, name, csp=DEMO_CSP)
