"""The visitor widget end to end in Chromium: a chat from request to rating, every post kind as the
visitor sees it, page tracking, reloads and reconnects."""

from __future__ import annotations

import io
import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import image_loaded

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def push(agent, cid, **body):
    r = agent.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), **body})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def accepted_chat(widget, page, host_site, agent, subject="Where is my order?"):
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Victor", subject)
    offer = agent.sock.wait("offer.created", timeout=10)["data"]["offer"]
    assert agent.accept(offer["conversation"]["id"]).status_code == 200
    expect(widget.f.locator(".chat-status")).to_contain_text(f"You are chatting with {agent.name}")
    return offer["conversation"]["id"]


def test_chat_from_request_to_rating(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    page.goto(host_site + "/")
    widget.open()
    widget.shot("messenger-prechat")
    widget.start_chat("Victor", "My parcel never arrived")
    expect(widget.f.locator(".chat-status")).to_contain_text("You are number 1 in the queue")
    expect(widget.f.locator(".subject")).to_have_text("Your question: My parcel never arrived")
    widget.shot("messenger-queue")
    offer = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]
    assert offer["conversation"]["requester"]["name"] == "Victor"
    cid = offer["conversation"]["id"]
    alice.accept(cid)
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    expect(widget.post("Alice joined the chat")).to_be_visible()

    widget.send("Hello, is anyone there?")
    got = alice.sock.wait("message.created", lambda d: d["post"]["creator"]["kind"] == "VISITOR", timeout=10)
    assert got["data"]["post"]["contents"] == "Hello, is anyone there?"
    mine = widget.post("Hello, is anyone there?")
    expect(mine.locator(".ticks")).to_have_attribute("aria-label", "Sent")
    alice.put(f"/cases/{cid}/seen", {"up_to_post_id": got["data"]["post"]["id"], "status": "SEEN"})
    expect(mine.locator(".ticks")).to_have_attribute("aria-label", "Seen")

    alice.sock.call("typing.start", {"conversation_id": cid})
    expect(widget.f.locator(".typing")).to_have_text("Alice is typing…")
    widget.f.get_by_label("Type your message").type("Still there?")
    alice.sock.wait("typing.changed", lambda d: d["author"]["kind"] == "VISITOR", timeout=10)
    push(alice, cid, contents="Yes! Let me check that for you.")
    expect(widget.post("Yes! Let me check that for you.")).to_be_visible()
    expect(widget.f.locator(".typing")).to_have_text("")
    # The visitor had the chat open: the agent sees the message marked seen.
    alice.sock.wait("messages.status_changed", lambda d: d["status"] == "SEEN", timeout=10)
    widget.shot("messenger-chat")

    widget.f.get_by_role("button", name="End chat").click()
    widget.f.get_by_role("alertdialog").get_by_role("button", name="End chat").click()
    expect(widget.f.locator(".chat-status")).to_have_text("This chat has ended.")
    alice.sock.wait("conversation.updated", lambda d: d["conversation"]["status"]["type"] == "COMPLETED", timeout=10)
    widget.f.get_by_label("Bad").check()
    widget.f.get_by_label("Comment (optional)").fill("Took a while")
    widget.shot("messenger-rating")
    widget.f.get_by_role("button", name="Send rating").click()
    expect(widget.f.get_by_role("status").filter(has_text="Thanks for your feedback")).to_be_visible()
    rated = alice.get(f"/cases/{cid}").json()["data"]
    assert rated["rating"] == "BAD" and rated["rating_comment"] == "Took a while"


def test_every_post_kind_renders_for_the_visitor(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    push(alice, cid, contents="Track it at https://carrier.example/track?id=42 please")
    image = alice.post("/files", files={"file": ("parcel.png", io.BytesIO(PNG), "image/png")}).json()["data"]
    push(alice, cid, kind="IMAGE", file_id=image["id"])
    pdf = alice.post("/files", files={"file": ("Invoice 1001.pdf", io.BytesIO(b"%PDF-1.4 " + b"x" * 3000),
                                                "application/pdf")}).json()["data"]
    push(alice, cid, kind="FILE", file_id=pdf["id"])
    code = "def refund(order):\n    return order.total  # </code><script>alert(1)</script>\n"
    push(alice, cid, kind="CODE", contents=code, language="python")
    push(alice, cid, kind="URL", url="example.com/returns")

    text = widget.post("Track it at")
    link = text.get_by_role("link", name="https://carrier.example/track?id=42")
    expect(link).to_have_attribute("href", "https://carrier.example/track?id=42")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")

    img = widget.f.get_by_role("img", name="Image: parcel.png")
    assert image_loaded(img)
    expect(img).to_be_visible()
    assert img.evaluate("i => i.naturalWidth") == 1
    opener = widget.f.locator("a.image-link")
    expect(opener).to_have_attribute("target", "_blank")
    assert "/api/v1/files/" in (opener.get_attribute("href") or "")

    card = widget.f.locator(".file-card")
    expect(card.locator(".file-name")).to_have_text("Invoice 1001.pdf")
    expect(card.locator(".file-size")).to_have_text("2.9 KB")
    download = card.get_by_role("link", name=re.compile("Download Invoice 1001.pdf"))
    href = download.get_attribute("href")
    status = widget.frame.evaluate("async (u) => (await fetch(u)).status", href)
    assert status == 200
    with page.expect_download() as dl:
        download.click()
    assert dl.value.suggested_filename == "Invoice 1001.pdf"

    block = widget.f.locator("figure.code-card")
    expect(block.locator(".language")).to_have_text("python")
    expect(block.locator(".highlight .k").first).to_have_text("def")
    assert block.locator("script").count() == 0
    block.get_by_role("button", name="Copy python code").click()
    expect(block.get_by_role("button", name="Copy python code")).to_have_text("Copied")
    page.bring_to_front()
    assert page.evaluate("() => navigator.clipboard.readText()") == code  # read back on the host page

    url = widget.f.get_by_role("link", name="https://example.com/returns")
    expect(url).to_have_attribute("target", "_blank")
    expect(url).to_have_attribute("rel", "noopener noreferrer")
    widget.shot("messenger-post-kinds")
