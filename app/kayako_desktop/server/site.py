"""Web assets the chat server serves besides the API: the widget loader (/messenger.js), the widget
itself (/messenger/…: its production build in /messenger/dist/, or the unbundled ES modules with
CHAT_WIDGET_SOURCE), the shared ES modules (/shared/…) and the demo website (/demo)."""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from kayako_desktop.webroot import web_root

log = logging.getLogger(__name__)

WEB = web_root()
# `node scripts/build-widget.mjs` writes it (committed): loader.js and content-hashed frame.<hash>.html,
# .js, .css, each with a precompressed .br and .gz beside it.
WIDGET_BUILD = WEB / "messenger" / "dist"
site = Blueprint("site", __name__)

# The widget runs inside an iframe on any website (frame-ancestors *), but may only load its own code.
# Online images pushed by agents are plain http(s) URLs, hence img-src https: http:.
# A hashed frame page is cached for a year together with this header: a change to the policy alone reaches
# browsers that cached the page only once the frame's content (and so its name) changes too.
WIDGET_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; "
              "connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'; object-src 'none'")
DEMO_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-src 'self'; base-uri 'none'; object-src 'none'")
# The loader's URL is the one in every site's tag, so it can only be cached briefly; what it names carries
# its content's hash and never changes.
SHORT_CACHE = "public, max-age=300"
IMMUTABLE = "public, max-age=31536000, immutable"
# Explicit, not mimetypes: that reads the Windows registry, where .js is often text/plain.
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8"}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # precompressed siblings, preferred in this order on a tie


def _send(folder: Path, name: str, *, csp: str | None = None, max_age: int = 300) -> Response:
    resp = send_from_directory(folder, name, max_age=max_age)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        resp.headers["Content-Security-Policy"] = csp
    return resp


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int, size: int) -> tuple[bytes, str]:
    """A file's bytes and digest, read once per version (keyed by its modification time and size)."""
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:24]


def _load(path: Path) -> tuple[bytes, str, float]:
    st = path.stat()
    data, digest = _read(str(path), st.st_mtime_ns, st.st_size)
    return data, digest, st.st_mtime


def _negotiate(path: Path) -> tuple[str, Path]:
    """The encoding the request accepts best among the files present: br, gzip, else identity."""
    best, best_q, chosen = "identity", 0.0, path
    for encoding, suffix in ENCODINGS:
        quality = request.accept_encodings[encoding]  # counts "*" too; 0 when absent or q=0
        sibling = path.with_name(path.name + suffix)
        if quality > best_q and sibling.is_file():
            best, best_q, chosen = encoding, quality, sibling
    return best, chosen


def _asset(path: Path, *, cache_control: str, csp: str | None = None) -> Response:
    """One text file as the request accepts it (precompressed when a sibling exists), with a strong ETag
    per representation, Last-Modified and the given caching; answers conditional requests with 304."""
    if path.suffix not in TYPES or not path.is_file():
        abort(404)
    data, digest, mtime = _load(path)
    encoding, source = _negotiate(path)
    body = data if source == path else _load(source)[0]
    resp = Response(body, content_type=TYPES[path.suffix])
    if encoding != "identity":
        resp.headers["Content-Encoding"] = encoding
    resp.vary.add("Accept-Encoding")
    resp.set_etag(digest if encoding == "identity" else f"{digest}-{encoding}")
    resp.last_modified = datetime.fromtimestamp(int(mtime), UTC)
    resp.headers["Cache-Control"] = cache_control
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if csp:
        resp.headers["Content-Security-Policy"] = csp
    resp.make_conditional(request.environ)
    return resp


def _source() -> bool:
    """Serve the unbundled widget? When configured, or when there is no usable build."""
    return bool(current_app.config["CHAT_WIDGET_SOURCE"]) or _build(WIDGET_BUILD) is None


@cache
def _build(folder: Path) -> Path | None:
    """The build's frame page, looked up once per build folder (it is package data: it changes only with the
    installation, and a request must not list a directory). None, said once in the log, when the folder has
    no loader or not exactly one frame page: the unbundled source is served instead."""
    pages = sorted(folder.glob("frame.*.html"))
    if (folder / "loader.js").is_file() and len(pages) == 1:
        return pages[0]
    log.error("The widget's production build in %s is missing or incomplete (loader.js and one frame page; "
              "found %d; run: node scripts/build-widget.mjs). Serving its unbundled source instead",
              folder, len(pages))
    return None


def _built_frame() -> Path:
    page = _build(WIDGET_BUILD)
    if page is None:
        abort(404)
    return page


@site.get("/messenger.js")
def loader() -> Response:
    path = WEB / "messenger" / "loader.js" if _source() else WIDGET_BUILD / "loader.js"
    resp = _asset(path, cache_control=SHORT_CACHE)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@site.get("/messenger/frame.html")
def frame() -> Response:
    # The source's page; with the build, its page under the stable name (loaders cached before an upgrade).
    page = WEB / "messenger" / "frame.html" if _source() else _built_frame()
    return _asset(page, cache_control=SHORT_CACHE, csp=WIDGET_CSP)


@site.get("/messenger/dist/<name>")
def widget_build(name: str) -> Response:
    found = safe_join(str(WIDGET_BUILD), name)
    if found is None or name == "loader.js":  # the loader is /messenger.js, short-cached
        abort(404)
    path = Path(found)
    csp = WIDGET_CSP if path.suffix == ".html" else None
    if not path.is_file() and name.startswith("frame.") and path.suffix == ".html":
        # A loader cached before the last upgrade names the previous frame page: the current one, briefly.
        return _asset(_built_frame(), cache_control=SHORT_CACHE, csp=csp)
    return _asset(path, cache_control=IMMUTABLE, csp=csp)


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
