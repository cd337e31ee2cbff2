"""Hostile text renders as inert text everywhere in the widget, and every widget state passes axe-core
with no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_messenger import push

XSS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    '"><svg onload=alert(\'x3\')>',
    "<a href=\"javascript:alert('x4')\">click</a>",
    "javascript:alert('x5')",
    "<iframe src=javascript:alert('x6')></iframe>",
    "<b onmouseover=alert('x7')>bold</b>",
]


def test_xss_corpus_is_inert_text(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    evil_name = "<img src=x onerror=alert('name')>Eve"
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat(evil_name, "<script>alert('subject')</script> help")
    offer = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]
    cid = offer["conversation"]["id"]
    assert offer["conversation"]["requester"]["name"] == evil_name  # stored as typed, shown as text
    with alice.live.svc.db.write() as tx:  # an agent whose name is hostile too
        tx.execute("UPDATE agents SET full_name = ? WHERE id = ?", ("<b onclick=alert('agent')>Al</b>", alice.id))
    alice.accept(cid)
    for text in XSS:
        push(alice, cid, contents=text)
        widget.send(text)
    push(alice, cid, kind="CODE", contents="</code></pre><script>alert('code')</script>", language="html")
    r = alice.post(f"/cases/{cid}/reply", {"client_id": "u1", "kind": "URL", "url": "javascript:alert('url')"})
    assert r.status_code == 400
    expect(widget.f.locator("li.post.mine")).to_have_count(len(XSS))
    expect(widget.f.locator("li.post.theirs")).to_have_count(len(XSS) + 1)

    frame = widget.frame
    assert frame.locator("li.post script, li.post img, li.post svg:not(.icon), li.post iframe, li.post b").count() == 0
    hrefs = frame.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript", "data", "vbscript"))]
    handlers = frame.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == []
    texts = frame.locator("li.post .text").all_inner_texts()
    for text in XSS:
        assert texts.count(text) == 2  # once from each side, character for character
    expect(widget.f.locator(".subject")).to_have_text("Your question: <script>alert('subject')</script> help")
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with <b onclick=alert('agent')>Al</b>")
    widget.f.locator("li.post .text").first.hover()
    widget.shot("messenger-xss")
    assert page.dialogs == []  # the page fixture also fails the test on any dialog or script error


def _serious(results) -> list[str]:
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe():
    return Axe()


def test_axe_every_widget_state(live, make_agent, widget, page, host_site, axe):
    alice = make_agent("alice")
    page.goto(host_site + "/")
    widget.f.get_by_role("button", name="Open chat").wait_for()
    states = {"closed": None}
    states["closed"] = _serious(axe.run(widget.frame))
    widget.open()
    states["prechat"] = _serious(axe.run(widget.frame))
    widget.start_chat("Victor", "Accessibility check")
    states["queue"] = _serious(axe.run(widget.frame))
    cid = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]["conversation"]["id"]
    alice.accept(cid)
    push(alice, cid, contents="Hello! See https://example.com")
    push(alice, cid, kind="CODE", contents="print('hi')", language="python")
    push(alice, cid, kind="URL", url="example.com")
    widget.send("Thanks")
    expect(widget.post("Thanks").locator(".ticks")).to_be_visible()
    states["chat"] = _serious(axe.run(widget.frame))
    widget.f.get_by_role("button", name="End chat").click()
    states["confirm-end"] = _serious(axe.run(widget.frame))
    widget.f.get_by_role("alertdialog").get_by_role("button", name="End chat").click()
    expect(widget.f.get_by_text("How was this chat?")).to_be_visible()
    states["rating"] = _serious(axe.run(widget.frame))
    widget.f.get_by_role("button", name="Start a new chat").click()
    visitor_id = alice.get("/visitors").json()["data"][0]["id"]
    alice.post(f"/visitors/{visitor_id}/invitations", {"message": "Can I help?"})
    expect(widget.f.get_by_role("alertdialog")).to_be_visible()
    states["invitation"] = _serious(axe.run(widget.frame))
    alice.sock.close()
    widget.f.get_by_role("button", name="No thanks").click()
    page.reload()
    widget.f.get_by_role("button", name="Close chat").wait_for()
    expect(widget.f.get_by_text("We are offline right now")).to_be_visible()
    states["offline"] = _serious(axe.run(widget.frame))
    assert states == {name: [] for name in states}


def test_no_credential_reaches_a_log_line(live, make_agent, widget, page, host_site, caplog):
    """A visitor token in a URL would land in access logs (and alone reads the whole chat). After a chat
    with an image and a file, seen and downloaded by the visitor, the server's log holds no token, no
    session id and no signed link's signature."""
    import io
    import logging
    import re

    from tests.e2e.agent.media import png_bytes
    from tests.e2e.test_messenger import accepted_chat

    caplog.set_level(logging.INFO, logger="werkzeug")
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    image = alice.post("/files", files={"file": ("lamp.png", io.BytesIO(png_bytes(80, 60)), "image/png")}).json()["data"]
    doc = alice.post("/files", files={"file": ("manual.pdf", io.BytesIO(b"%PDF-1.4 manual"), "application/pdf")}).json()["data"]
    push(alice, cid, kind="IMAGE", file_id=image["id"])
    push(alice, cid, kind="FILE", file_id=doc["id"])
    expect(widget.f.locator("li.post img.image")).to_be_visible()
    href = widget.f.get_by_role("link", name=re.compile("Download manual.pdf")).get_attribute("href") or ""
    assert widget.frame.evaluate("async (u) => (await fetch(u)).status", href) == 200
    token = page.evaluate("() => JSON.parse(localStorage.getItem('kayako.messenger.token'))")
    assert token
    logged = caplog.text
    assert "/files/" in logged and "sig=[redacted]" in logged  # the links were requested, and logged cut
    assert token not in logged and alice.session_id not in logged and alice.csrf not in logged
    assert not re.search(r"sig=[0-9a-f]{8}", logged)
