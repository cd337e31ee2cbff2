"""Chat History as an agent reads it: a post's time reads the same in the chat, in History and in the
visitor's widget (one formatter, the browser's locale); a long transcript opens at the first post that
matched, with the search words marked."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from tests.support import Visitor


def box(locator: Locator) -> dict[str, float]:
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def search(app, words: str) -> Locator:
    """Search History for `words`; returns the (one) hit's button."""
    app.go("History")
    form = app.page.get_by_role("search")
    form.get_by_role("searchbox", name="Search chat history").fill(words)
    form.get_by_role("button", name="Search").click()
    hit = app.page.get_by_role("list", name="Chats found").get_by_role("button")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_have_text(re.compile(words.split()[0], re.I))
    return hit


def test_a_post_time_reads_the_same_in_the_chat_in_history_and_in_the_widget(live, agent_app, widget, page, host_site):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Adam", "Where is my parcel?")
    alice.request("Adam").get_by_role("button", name="Accept").click()
    widget.send("It was sent to the depot in Oslo.")
    in_chat = alice.post("It was sent to the depot in Oslo.").locator("time")
    expect(in_chat).to_have_text(re.compile(r"\d"))
    chat_time = in_chat.inner_text()
    expected = alice.page.evaluate(
        "(iso) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric' }).format(new Date(iso))",
        in_chat.get_attribute("datetime"))
    assert chat_time == expected  # the browser's own format: "4:05 PM" in en-US, not "04:05 PM"
    expect(widget.post("It was sent to the depot in Oslo.").locator("time")).to_have_text(chat_time)

    hit = search(alice, "depot")
    expect(hit.locator("small")).to_contain_text(f", {chat_time} ·")  # "Nov 30, 2026, 4:05 PM · Alice · …"
    hit.click()
    transcript = alice.page.get_by_role("region", name="Transcript")
    expect(transcript.locator("header")).to_contain_text(chat_time)
    posted = transcript.get_by_role("log").locator("li.post").filter(has_text="It was sent to the depot in Oslo.")
    expect(posted.locator("time")).to_have_text(chat_time)
    alice.shot("history-times")


def test_a_long_transcript_opens_at_the_first_hit_with_the_words_marked(live, agent_app, make_agent):
    live.create_agent("alice@example.com", "Alice")
    bob = make_agent("bob")
    adam = Visitor(live, "Adam")
    cid = adam.start_chat("Where is my parcel?")["id"]
    bob.sock.wait("offer.created")
    assert bob.accept(cid).status_code == 200
    adam.say(cid, "Hello, it left the warehouse on Monday.")
    adam.say(cid, "Tracking says it is stuck at the Depot in Oslo since Tuesday.")
    for i in range(60):
        (bob.reply if i % 2 else adam.say)(cid, f"Line {i}: still looking at the tracking records together.")
    bob.reply(cid, "Found it, it is on the van today.")
    alice = agent_app("alice@example.com", live)

    search(alice, "depot").click()
    log = alice.page.get_by_role("region", name="Transcript").get_by_role("log")
    hit = log.locator("li.post.search-hit")
    expect(hit).to_contain_text("stuck at the Depot in Oslo")
    expect(hit.locator("mark")).to_have_text("Depot")  # the word as written, marked
    view = box(log)
    found = box(hit)
    assert view["y"] <= found["y"] and found["y"] + found["height"] <= view["y"] + view["height"]  # in view, not at the end
    last = log.locator("li.post").filter(has_text="Found it, it is on the van today.")
    assert last.count() == 0 or box(last)["y"] > view["y"] + view["height"]
    # Only the matched words are marked; the text around them stays text.
    assert log.locator("mark").all_inner_texts() == ["Depot"]
    assert hit.locator(".bubble").inner_text() == "Tracking says it is stuck at the Depot in Oslo since Tuesday."
    alice.shot("history-hit")

    # Scrolling on reaches the end of the chat as usual.
    log.hover()
    for _ in range(12):
        alice.page.mouse.wheel(0, 2000)
    expect(log.locator("li.post").filter(has_text="Found it, it is on the van today.")).to_be_visible()


def test_the_agent_downloads_a_transcript_from_history_as_html_and_as_text(live, agent_app, make_agent, tmp_path):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    victor = Visitor(live, "Victor")
    victor.connect()
    cid = victor.start_chat("Which bulb?")["id"]
    alice.request("Victor").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Victor"))).to_be_visible()
    victor.say(cid, "My lamp is the <Fjord> model")
    alice.say("The E27 one fits.")
    alice.composer.fill("Check stock first")
    alice.chat.get_by_role("button", name="Whisper").click()  # a staff note: never in a transcript
    alice.composer.press("Enter")
    expect(alice.post("Check stock first")).to_be_visible()

    search(alice, "Fjord").click()
    transcript = alice.page.get_by_role("region", name="Transcript")
    got: dict[str, str] = {}
    for label, suffix in (("Download text", "txt"), ("Download HTML", "html")):
        with alice.page.expect_download() as info:
            transcript.get_by_role("button", name=label).click()
        download = info.value
        assert download.suggested_filename == f"chat-{cid}-transcript.{suffix}"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        got[suffix] = target.read_text(encoding="utf-8")
        expect(alice.toast(f"Transcript saved as chat-{cid}-transcript.{suffix}")).to_be_visible()
    assert "Victor: My lamp is the <Fjord> model" in got["txt"] and "Alice: The E27 one fits." in got["txt"]
    assert "&lt;Fjord&gt;" in got["html"] and "<Fjord>" not in got["html"]  # the visitor's words as text, not markup
    assert "Check stock first" not in got["txt"] and "Check stock first" not in got["html"]
