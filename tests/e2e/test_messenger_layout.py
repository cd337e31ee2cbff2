"""The widget's layout as a visitor sees it, measured: long file names, the ended chat with its rating,
the header, and the chat on a phone and on a large screen. Each test saves a screenshot to look at."""

from __future__ import annotations

import io
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import SHOTS, WIDGET_FRAME, Widget
from tests.e2e.test_messenger import accepted_chat, push

LONG_FILE = "a-very-long-dimmer-installation-guide.pdf"
LONG_QUESTION = "My Harbor pendant flickers when dimmed below 30 percent with the old wall dimmer, is that normal?"


def upload(agent, name: str, size: int = 300_000) -> dict[str, Any]:
    body = io.BytesIO(b"%PDF-1.4 " + b"x" * size)
    r = agent.post("/files", files={"file": (name, body, "application/pdf")})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def box(locator) -> dict[str, float]:
    b = locator.bounding_box()
    assert b, f"{locator} has no box"
    return b


def panel_shot(widget: Widget, name: str) -> None:
    """The widget's iframe only: the host page around it says nothing."""
    widget.page.locator(WIDGET_FRAME).screenshot(path=f"{SHOTS}/{name}.png")


def talk(widget: Widget, agent, cid: int, rounds: int) -> None:
    for i in range(rounds):
        push(agent, cid, contents=f"Answer {i}: the Harbor pendant takes any E27 bulb up to 60 W, dimmable LED too.")
        widget.send(f"Question {i} from me")
        expect(widget.post(f"Question {i} from me").locator(".ticks")).to_have_count(1)
    expect(widget.post(f"Answer {rounds - 1}:")).to_be_visible()


def test_a_long_file_name_is_cut_in_the_middle_and_download_stays_on_one_line(live, make_agent, widget, page,
                                                                                   host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    push(alice, cid, kind="FILE", file_id=upload(alice, "Manual.pdf", 2000)["id"])
    push(alice, cid, kind="FILE", file_id=upload(alice, LONG_FILE)["id"])
    card = widget.f.locator(".file-card").filter(has_text=LONG_FILE)
    expect(card).to_be_visible()
    card.scroll_into_view_if_needed()

    name = card.locator(".file-name")
    expect(name).to_have_attribute("title", LONG_FILE)  # the tooltip has all of it
    expect(name).to_have_text(LONG_FILE)  # so do copying and screen readers
    head, tail = name.locator(".file-name-head"), name.locator(".file-name-tail")
    expect(tail).to_have_text("guide.pdf")
    # The head is cut with an ellipsis; the tail (extension included) is shown whole, on the same line.
    assert head.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).textOverflow === 'ellipsis'")
    assert tail.evaluate("e => e.scrollWidth <= e.clientWidth")
    h, t, n = box(head), box(tail), box(name)
    assert abs(h["y"] - t["y"]) < 1 and t["x"] >= h["x"] + h["width"] - 1
    assert n["height"] < 26, f"the name wraps: {n}"
    assert h["width"] >= 150, f"only {h['width']}px of the name's start shows"

    download = card.get_by_role("link", name=f"Download {LONG_FILE} (293 KB)")
    expect(download).to_have_text("Download")
    expect(download).to_have_attribute("title", f"Download {LONG_FILE}")
    d, bubble = box(download), box(card.locator("xpath=ancestor::div[contains(@class,'bubble')]"))
    assert d["height"] < 26, f"Download wraps: {d}"
    assert d["x"] + d["width"] <= bubble["x"] + bubble["width"]
    assert d["y"] >= n["y"] + n["height"] - 1  # below the name, beside the size

    # A short name is not cut at all.
    short = widget.f.locator(".file-card").filter(has_text="Manual.pdf").locator(".file-name-head")
    assert short.evaluate("e => e.scrollWidth <= e.clientWidth")
    with page.expect_download() as dl:
        download.click()
    assert dl.value.suggested_filename == LONG_FILE
    panel_shot(widget, "messenger-file-card")


def test_an_ended_chat_keeps_the_transcript_readable_and_the_rating_compact(live, make_agent, widget, page,
                                                                              host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    talk(widget, alice, cid, 5)
    widget.f.get_by_role("button", name="End chat").click()
    widget.f.get_by_role("alertdialog").get_by_role("button", name="End chat").click()
    expect(widget.f.locator(".chat-status")).to_have_text("This chat has ended.")
    good, bad = widget.f.get_by_label("Good"), widget.f.get_by_label("Bad")
    expect(good).to_be_visible()
    comment = widget.f.get_by_label("Comment (optional)")
    expect(comment).to_be_hidden()  # only once the visitor has chosen
    expect(widget.f.get_by_role("button", name="Send rating")).to_be_hidden()

    panel, log = box(widget.f.get_by_role("dialog")), widget.f.get_by_role("log", name="Conversation")
    timeline, rating = box(log), box(widget.f.locator(".rating"))
    assert timeline["height"] >= 0.55 * panel["height"], f"transcript {timeline['height']} of {panel['height']}"
    assert rating["height"] <= 100, f"rating form {rating}"
    g, b = box(widget.f.locator(".choice").filter(has_text="Good")), box(widget.f.locator(".choice").filter(has_text="Bad"))
    assert abs(g["y"] - b["y"]) < 1 and b["x"] > g["x"] + g["width"]  # one row
    assert_no_bubble_cut(widget, timeline)
    expect(widget.post("Question 4 from me")).to_be_in_viewport()
    panel_shot(widget, "messenger-ended-chat")

    good.focus()  # real radios under the buttons: the arrow keys choose, as in any radio group
    page.keyboard.press("ArrowRight")
    expect(bad).to_be_checked()
    expect(comment).to_be_visible()
    comment.fill("Took a while")
    page.wait_for_timeout(100)  # let the log follow its shrinking box
    timeline = box(log)
    assert timeline["height"] >= 0.45 * panel["height"]
    assert_no_bubble_cut(widget, timeline)
    panel_shot(widget, "messenger-ended-chat-comment")
    widget.f.get_by_role("button", name="Send rating").click()
    expect(widget.f.get_by_role("status").filter(has_text="Thanks for your feedback")).to_be_visible()
    rated = alice.get(f"/cases/{cid}").json()["data"]
    assert rated["rating"] == "BAD" and rated["rating_comment"] == "Took a while"
    widget.f.get_by_role("button", name="Start a new chat").click()
    expect(widget.f.get_by_label("Your question")).to_be_visible()


def assert_no_bubble_cut(widget: Widget, timeline: dict[str, float]) -> None:
    """No post straddles the bottom edge of the transcript (where the rating form starts)."""
    edge = timeline["y"] + timeline["height"]
    for post in widget.f.locator("li.post").all():
        p = post.bounding_box()
        if p and p["height"]:
            assert not (p["y"] < edge - 1 and p["y"] + p["height"] > edge + 1), f"a post is cut at the edge: {p}"


def test_header_agent_line_and_question_take_at_most_96px(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice, subject=LONG_QUESTION)
    talk(widget, alice, cid, 3)
    header = widget.f.get_by_role("dialog").locator("header")
    expect(header.get_by_role("heading", name="Chat with Acme")).to_be_visible()
    question = header.locator(".subject")
    expect(question).to_have_text(f"Your question: {LONG_QUESTION}")  # read out with its label
    expect(question).to_have_attribute("title", LONG_QUESTION)  # the tooltip has all of it
    assert question.evaluate("e => e.scrollWidth > e.clientWidth")  # ellipsized on one line
    assert box(question)["height"] <= 20
    status = widget.f.locator(".chat-status")
    expect(status).to_contain_text("You are chatting with Alice")
    top = box(header)["height"] + box(status)["height"]
    assert top <= 96, f"header + agent line + question = {top}px"
    log = box(widget.f.get_by_role("log", name="Conversation"))
    assert log["y"] <= box(header)["y"] + 96
    panel_shot(widget, "messenger-header")


def test_the_chat_fits_a_phone_and_a_large_screen(live, make_agent, browser, host_site):
    alice = make_agent("alice")
    for size, name in [({"width": 360, "height": 640}, "messenger-phone-chat"),
                       ({"width": 1920, "height": 1080}, "messenger-1920-chat")]:
        phone = size["width"] < 480
        context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        page = context.new_page()
        widget = Widget(page)
        cid = accepted_chat(widget, page, host_site, alice, subject=LONG_QUESTION)
        push(alice, cid, contents=f"Hello from Alice ({uuid.uuid4().hex[:6]})")
        push(alice, cid, kind="FILE", file_id=upload(alice, LONG_FILE)["id"])
        card = widget.f.locator(".file-card").filter(has_text=LONG_FILE)
        expect(card).to_be_visible()
        frame = box(page.locator(WIDGET_FRAME))
        panel = box(widget.f.get_by_role("dialog"))
        if phone:  # full screen, nothing sticking out sideways
            assert (frame["width"], frame["height"]) == (360, 640) and panel["width"] == 360
        else:  # the usual corner widget, not stretched
            assert (frame["width"], frame["height"]) == (400, 680)
        assert widget.frame.evaluate("() => document.documentElement.scrollWidth") <= frame["width"]
        c = box(card)
        assert c["x"] >= panel["x"] and c["x"] + c["width"] <= panel["x"] + panel["width"]
        assert box(card.get_by_role("link", name=f"Download {LONG_FILE} (293 KB)"))["height"] < 26
        header = box(widget.f.get_by_role("dialog").locator("header"))
        assert header["height"] + box(widget.f.locator(".chat-status"))["height"] <= 96
        page.screenshot(path=f"{SHOTS}/{name}.png")
        context.close()


def test_a_long_link_keeps_one_line_with_the_address_in_a_tooltip(live, make_agent, widget, page, host_site):
    alice = make_agent("alice")
    cid = accepted_chat(widget, page, host_site, alice)
    url = "https://help.northwind.example/articles/dimmers/which-wall-dimmer-works-with-the-harbor-pendant"
    push(alice, cid, kind="URL", url=url, contents=url)
    push(alice, cid, kind="URL", url="mailto:help@northwind.example", contents="mailto:help@northwind.example")
    for text, shown in ((url, url), ("mailto:help@northwind.example", "help@northwind.example")):
        link = widget.f.locator(".link-card a").filter(has_text=shown)
        expect(link).to_have_text(shown)
        expect(link).to_have_attribute("title", text)
        expect(link).to_have_attribute("href", text)
        height = link.evaluate("(a) => a.getBoundingClientRect().height")
        line = link.evaluate("(a) => parseFloat(getComputedStyle(a).lineHeight) || 20")
        assert height <= line * 1.3, f"{text} wraps ({height}px for a {line}px line)"
        assert box(link.locator("xpath=ancestor::li[1]"))["width"] <= box(widget.f.locator("ol, ul").first)["width"]
    panel_shot(widget, "messenger-long-links")
