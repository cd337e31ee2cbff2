"""How the widget reaches a customer's site, as the site owner sees it in a browser and on the wire: the
launcher after four small requests, files named by their content and cached for a year, the loader cached
briefly, brotli or gzip as the browser accepts; and the unbundled source still works for development."""

from __future__ import annotations

import gzip
import importlib
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Widget

# The moment the first frame that shows the launcher is drawn (its animation-frame callback).
LAUNCHER_DRAWN = """(() => {
  if (window.top === window) return;
  const seen = () => document.querySelector('messenger-app > .launcher') &&
    (requestAnimationFrame(() => { window.__launcherAt = performance.timeOrigin + performance.now(); }), true);
  const watch = new MutationObserver(() => { if (seen()) watch.disconnect(); });
  watch.observe(document, { childList: true, subtree: true });
})();"""
HASHED = re.compile(r"^/messenger/dist/frame\.[0-9a-f]{8}\.(html|js|css)$")


@pytest.fixture
def server_config(request) -> dict[str, Any]:
    # The production build unless a test asks for the source (and whatever CHAT_WIDGET_SOURCE says outside).
    return getattr(request, "param", {"CHAT_WIDGET_SOURCE": False})


class Hits:
    """Every path the chat server is asked for, in order (WSGI middleware around the live app)."""

    def __init__(self, app: Any):
        self.paths: list[str] = []
        inner = app.wsgi_app

        def counting(environ: dict[str, Any], start_response: Any) -> Any:
            self.paths.append(environ["PATH_INFO"])
            return inner(environ, start_response)

        app.wsgi_app = counting


def fetch(url: str, accept_encoding: str | None) -> tuple[dict[str, str], bytes]:
    """Headers and the body exactly as sent (urllib never decodes)."""
    req = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding} if accept_encoding else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def widget_files(base: str) -> list[str]:
    loader = fetch(base + "/messenger.js", None)[1].decode()
    page = re.search(r'"(/messenger/dist/frame\.\w+\.html)"', loader).group(1)
    html = fetch(base + page, None)[1].decode()
    return ["/messenger.js", page, *re.findall(r'"(/messenger/dist/frame\.\w+\.(?:js|css))"', html)]


def test_the_launcher_shows_after_four_requests_all_compressed_and_small(live, page, host_site):
    requests: list[Any] = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.add_init_script(LAUNCHER_DRAWN)
    page.goto(host_site)
    widget = Widget(page)
    expect(widget.f.get_by_role("button", name="Open chat")).to_be_visible()
    frame = widget.frame
    frame.wait_for_function("() => window.__launcherAt !== undefined")
    drawn = frame.evaluate("() => window.__launcherAt")
    ours = [r for r in requests if r.url.startswith(live.url)]
    before = [r for r in ours if r.timing["startTime"] < drawn]
    paths = [r.url.removeprefix(live.url).split("#")[0] for r in before]
    assert len(before) <= 4, paths
    assert paths[0] == "/messenger.js" and all(HASHED.match(p) for p in paths[1:]), paths
    assert sorted(p.rsplit(".", 1)[-1] for p in paths[1:]) == ["css", "html", "js"]
    # A browser accepts brotli: every file comes compressed, together well under 40 KB.
    assert {r.response().header_value("content-encoding") for r in before} == {"br"}
    assert sum(r.sizes()["responseBodySize"] for r in before) < 40 * 1024
    # Nothing unbundled is fetched, and nothing from the API before the launcher is on screen.
    assert not [r.url for r in ours if "/shared/" in r.url or r.url.endswith("/main.js")]


def test_a_second_page_fetches_no_widget_file_again(live, page, host_site):
    hits = Hits(live.app)
    widget = Widget(page)
    page.goto(host_site)
    expect(widget.f.get_by_role("button", name="Open chat")).to_be_visible()
    first = [p for p in hits.paths if not p.startswith("/api/")]
    assert first[0] == "/messenger.js" and len(first) == 4, first
    del hits.paths[:]
    page.get_by_role("link", name="Pricing").click()
    expect(page).to_have_title("Acme pricing")
    expect(widget.f.get_by_role("button", name="Open chat")).to_be_visible()
    # The loader is still fresh (5 minutes) and what it names never changes: all from the browser's cache.
    assert [p for p in hits.paths if not p.startswith("/api/")] == []


def test_named_files_are_immutable_and_the_loader_is_cached_briefly(live):
    files = widget_files(live.url)
    for path in files:
        headers, _ = fetch(live.url + path, "br")
        if path == "/messenger.js":
            assert headers["cache-control"] == "public, max-age=300"
            assert headers["etag"] and headers["last-modified"] and headers["access-control-allow-origin"] == "*"
        else:
            assert headers["cache-control"] == "public, max-age=31536000, immutable", path
        assert headers["x-content-type-options"] == "nosniff"
    headers, _ = fetch(live.url + files[1], None)
    assert "frame-ancestors *" in headers["content-security-policy"]
    assert "script-src 'self';" in headers["content-security-policy"]  # nothing inline allowed
    # Revalidating the loader costs a 304 and no body.
    req = urllib.request.Request(live.url + "/messenger.js", headers={
        "Accept-Encoding": "br", "If-None-Match": fetch(live.url + "/messenger.js", "br")[0]["etag"]})
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(req, timeout=10)
    assert not_modified.value.code == 304
    # A loader cached before an upgrade names the previous frame page: it gets the current one, briefly.
    headers, old = fetch(live.url + "/messenger/dist/frame.00000000.html", None)
    assert old == fetch(live.url + files[1], None)[1] and headers["cache-control"] == "public, max-age=300"


@pytest.mark.parametrize("accept, encoding", [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"),
                                              (None, None), ("br;q=0, gzip;q=0.5", "gzip"), ("identity", None)])
def test_brotli_when_accepted_else_gzip_else_plain(live, accept, encoding):
    for path in widget_files(live.url):
        plain_headers, plain = fetch(live.url + path, None)
        headers, body = fetch(live.url + path, accept)
        assert headers.get("content-encoding") == encoding, (path, accept)
        assert headers["vary"] == "Accept-Encoding" and int(headers["content-length"]) == len(body)
        assert headers["content-type"] == plain_headers["content-type"]
        assert headers["content-type"].split(";")[0] in {"text/javascript", "text/css", "text/html"}
        if encoding == "gzip":
            assert gzip.decompress(body) == plain
        elif encoding == "br":
            assert len(body) < len(plain) and headers["etag"] != plain_headers["etag"]
        else:
            assert body == plain


@pytest.mark.parametrize("server_config", [{"CHAT_WIDGET_SOURCE": True}], indirect=True)
def test_the_unbundled_source_is_served_for_development(live, page, host_site):
    hits = Hits(live.app)
    widget = Widget(page)
    page.goto(host_site)
    widget.open()
    expect(widget.f.get_by_label("Your name")).to_be_visible()
    assert "/messenger/frame.html" in hits.paths and "/messenger/main.js" in hits.paths
    assert "/shared/protocol.js" in hits.paths and not [p for p in hits.paths if p.startswith("/messenger/dist/")]


def test_without_its_build_the_server_serves_the_source_and_says_why(live, tmp_path, monkeypatch, caplog):
    site = importlib.import_module("kayako_desktop.server.site")  # the package's `site` is the blueprint
    monkeypatch.setattr(site, "WIDGET_BUILD", tmp_path / "dist")
    site._build.cache_clear()
    headers, loader = fetch(live.url + "/messenger.js", "br")
    assert "'/messenger/frame.html'" in loader.decode() and "content-encoding" not in headers
    assert "run: node scripts/build-widget.mjs" in caplog.text
    site._build.cache_clear()
