"""Widget flows beyond the happy path: page tracking, reloads, invitations, offline form, network drops."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import WIDGET_FRAME
from tests.e2e.test_messenger import accepted_chat, push


def test_page_changes_reach_the_agent_and_a_reload_keeps_the_chat(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    page.goto(host_site + "/")
    seen = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"] == host_site + "/", timeout=10)
    assert seen["data"]["visitor"]["current_title"] == "Acme home"
    page.get_by_role("link", name="Pricing").click()
    moved = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"] == host_site + "/pricing",
                            timeout=10)["data"]["visitor"]
    assert moved["current_title"] == "Acme pricing" and moved["page_views"] == 2
    page.evaluate("() => { history.pushState({}, '', '/pricing?billing=yearly'); document.title = 'Yearly'; }")
    spa = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"].endswith("billing=yearly"),
                          timeout=10)["data"]["visitor"]
    assert spa["current_title"] == "Yearly" and spa["id"] == moved["id"]  # same visitor across pages
    trail = [p["url"] for p in alice.get(f"/visitors/{spa['id']}/footprints").json()["data"]]
    assert trail == [host_site + "/pricing?billing=yearly", host_site + "/pricing", host_site + "/"]

    widget.open()
    widget.start_chat("Victor", "Do you ship to Norway?")
    cid = alice.sock.wait("offer.created", timeout=10)["data"]["offer"]["conversation"]["id"]
    alice.accept(cid)
    push(alice, cid, contents="We do, in 3 days.")
    expect(widget.post("We do, in 3 days.")).to_be_visible()
    page.reload()
    widget.f.get_by_role("button", name="Close chat").wait_for()  # it stays open across reloads
    expect(widget.post("We do, in 3 days.")).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    page.get_by_role("link", name="Home").click()
    expect(widget.post("We do, in 3 days.")).to_have_count(1)
    widget.send("Great, thanks")
    got = alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "Great, thanks", timeout=10)
    assert got["data"]["post"]["conversation_id"] == cid and got["data"]["post"]["creator"]["id"] == spa["id"]


def test_messages_survive_a_dropped_connection_both_ways(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    page.context.set_offline(True)
    _drop_visitor_sockets(live)
    expect(widget.f.get_by_role("status").filter(has_text="Reconnecting")).to_be_visible()
    widget.send("typed while offline")
    expect(widget.f.locator("li.pending")).to_have_text("You said:typed while offlineSending…")
    push(alice, cid, contents="sent while you were away 1")
    push(alice, cid, contents="sent while you were away 2")
    page.context.set_offline(False)
    got = alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "typed while offline", timeout=20)
    assert got["data"]["post"]["creator"]["kind"] == "VISITOR"
    expect(widget.post("sent while you were away 2")).to_be_visible(timeout=20000)
    texts = widget.f.locator("li.post .text").all_inner_texts()
    ours = [t for t in texts if "while" in t]
    assert ours == ["typed while offline", "sent while you were away 1", "sent while you were away 2"] or \
        ours == ["sent while you were away 1", "sent while you were away 2", "typed while offline"]
    expect(widget.f.locator("li.pending")).to_have_count(0)
    posts = [p["contents"] for p in alice.get(f"/cases/{cid}/posts").json()["data"]]
    assert posts.count("typed while offline") == 1


def _drop_visitor_sockets(live):
    """Cut the server side of every visitor socket, as a network drop would."""
    hub = live.svc.hub
    with hub._lock:
        conns = [c for (role, _), cs in hub._by_key.items() if role == "visitor" for c in cs]
    for conn in conns:
        conn.ws.close()


def test_proactive_invitation_accepted(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    page.goto(host_site + "/pricing")
    visitor = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["online"], timeout=10)["data"]["visitor"]
    r = alice.post(f"/visitors/{visitor['id']}/invitations", {"message": "Hi! Questions about our plans?"})
    assert r.status_code == 201
    card = widget.f.get_by_role("alertdialog", name="Alice invites you to chat")
    expect(card).to_contain_text("Hi! Questions about our plans?")
    widget.shot("messenger-invitation")
    card.get_by_role("button", name="Chat now").click()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    expect(widget.post("Hi! Questions about our plans?")).to_be_visible()
    accepted = alice.sock.wait("invitation.updated", lambda d: d["invitation"]["state"] == "ACCEPTED", timeout=10)
    # The visitor asked nothing: no "Your question" line with an invented subject, only the title.
    panel = widget.f.get_by_role("dialog")
    expect(panel.locator("header .subject")).to_be_hidden()
    expect(panel.get_by_text("Your question")).to_have_count(0)
    expect(panel).not_to_contain_text("Chat with Alice")
    cid = accepted["data"]["invitation"]["conversation_id"]
    assert alice.get(f"/cases/{cid}").json()["data"]["subject"] == "Proactive chat"  # what agents list it as
    widget.shot("messenger-proactive-chat")
    widget.send("Yes, is there a yearly discount?")
    alice.sock.wait("message.created", lambda d: d["post"]["contents"].startswith("Yes, is there"), timeout=10)


def test_proactive_invitation_declined(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    page.goto(host_site + "/")
    visitor = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["online"], timeout=10)["data"]["visitor"]
    alice.post(f"/visitors/{visitor['id']}/invitations", {"message": "Need a hand?"})
    widget.f.get_by_role("button", name="No thanks").click()
    declined = alice.sock.wait("invitation.updated", lambda d: d["invitation"]["state"] == "DECLINED", timeout=10)
    assert declined["data"]["invitation"]["visitor_id"] == visitor["id"]
    expect(widget.f.get_by_role("alertdialog")).to_have_count(0)
    expect(widget.f.get_by_label("Your name")).to_be_visible()  # back to the normal pre-chat form


def test_offline_form_when_nobody_is_online(live, make_agent, widget, page, host_site):
    alice = make_agent("alice", connect=False)
    page.goto(host_site + "/")
    widget.open()
    expect(widget.f.get_by_text("We are offline right now")).to_be_visible()
    widget.shot("messenger-offline")
    widget.f.get_by_label("Your name").fill("Olga")
    widget.f.get_by_label("Email").fill("olga@example.com")
    widget.f.get_by_label("Subject").fill("Bulk order")
    widget.f.get_by_label("Message").fill("Can I order 40 lamps?")
    widget.f.get_by_role("button", name="Send message").click()
    expect(widget.f.get_by_role("status").filter(has_text="Your message is with our team")).to_be_visible()
    cases = alice.get("/cases").json()["data"]
    assert len(cases) == 1 and cases[0]["is_offline_message"] and cases[0]["subject"] == "Bulk order"
    visitor = cases[0]["requester"]
    assert (visitor["name"], visitor["email"], visitor["resource_type"]) == ("Olga", "olga@example.com", "visitor")


def test_mobile_width_opens_full_screen(live, make_agent, browser, host_site):
    make_agent("alice")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(host_site + "/")
    frame = page.locator(WIDGET_FRAME)
    page.frame_locator(WIDGET_FRAME).get_by_role("button", name="Open chat").click()
    expect(page.frame_locator(WIDGET_FRAME).get_by_label("Your name")).to_be_visible()
    box = frame.bounding_box()
    assert box and box["width"] == 390 and box["height"] == 844
    page.screenshot(path="test-results/screenshots/messenger-mobile.png")
    context.close()
