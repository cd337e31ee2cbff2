"""A full disk on the chat server: the agent and the visitor read why their message did not go ("…can't be
saved right now"), nothing they typed is lost, and it goes out once the server can save again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.agent.test_push import open_chat
from tests.server.test_storage import fill_the_disk

LONG = "This answer is long enough to need new pages in the database. " * 120


def test_the_agent_and_the_visitor_are_told_and_lose_nothing(live, agent_app, widget, page, host_site):
    page.context.clock.install()  # the widget's 15 s wait before it tries again passes at once (run_for)
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Victor")
    fill_the_disk(live, True)
    alice.say(LONG)
    failed = alice.timeline.locator("li.post").filter(has_text="can't be saved right now")
    expect(failed).to_contain_text("The chat server's disk is full")
    expect(failed.get_by_role("button", name=re.compile("Retry"))).to_be_visible()
    widget.send("Visitor text that the server cannot store yet: " + "lamp " * 300)
    expect(widget.f.get_by_text(re.compile("disk is full; messages can't be saved right now"))).to_be_visible()
    expect(widget.f.locator("li.post.pending")).to_have_count(1)  # kept, not dropped
    alice.shot("storage-full")
    widget.shot("messenger-storage-full")

    fill_the_disk(live, False)  # space is back
    failed.get_by_role("button", name=re.compile("Retry")).click()
    expect(widget.post("This answer is long enough")).to_be_visible()
    # The widget tries again by itself 15 s after the refusal.
    expect(widget.f.locator("li.post.pending")).to_have_count(1)
    page.clock.run_for(15_000)
    expect(alice.post("Visitor text that the server cannot store yet")).to_be_visible()
    expect(widget.f.locator("li.post.pending")).to_have_count(0)
