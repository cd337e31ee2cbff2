"""Transcripts as people ask for them, through a real SMTP server: the agent e-mails one from the chat's
header (a bad address is caught in the dialog, the visitor's address is offered when there is one), from
History, and the visitor asks for their own under the ended chat in the widget."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def server_config(mailbox) -> dict[str, Any]:
    return {"CHAT_SMTP_URL": mailbox.url, "CHAT_SMTP_FROM": "Acme Support <help@acme.test>"}


def body(message: Any) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_the_agent_and_the_visitor_email_the_transcript(live, mailbox, agent_app, widget, page, host_site):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Adam", "Lamp warranty")  # no e-mail given
    alice.request("Adam").get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    alice.say("Your warranty runs two years.")
    expect(widget.post("Your warranty runs two years.")).to_be_visible()

    alice.chat.get_by_role("button", name="Transcript").click()
    dialog = alice.page.get_by_role("dialog", name="E-mail transcript")
    expect(dialog.get_by_label("Adam left no e-mail address")).to_be_disabled()
    field = dialog.get_by_label("Also send to")
    expect(field).to_be_focused()
    field.fill("boss@acme")
    dialog.get_by_role("button", name="Send transcript").click()
    expect(dialog.get_by_role("alert")).to_have_text("“boss@acme” is not an e-mail address")
    field.fill("boss@acme.test, me@acme.test")
    alice.shot("transcript-dialog")
    field.press("Enter")
    expect(alice.toast("Transcript sent to boss@acme.test, me@acme.test")).to_be_visible()
    expect(dialog).to_be_hidden()
    sent = mailbox.wait(1)[0]
    assert sent["To"] == "boss@acme.test, me@acme.test" and "Alice: Your warranty runs two years." in body(sent)
    expect(alice.post("Alice e-mailed the transcript to boss@acme.test, me@acme.test")).to_be_visible()  # staff line

    # The visitor ends the chat and asks for it under the rating.
    widget.f.get_by_role("button", name="End chat").click()
    widget.f.get_by_role("alertdialog").get_by_role("button", name="End chat").click()
    widget.f.get_by_role("button", name="E-mail me the transcript").click()
    mine = widget.f.get_by_label("Your e-mail")
    expect(mine).to_be_focused()
    mine.fill("adam@example.com")
    widget.f.get_by_role("button", name="Send", exact=True).click()
    expect(widget.f.get_by_role("status").filter(has_text="Transcript sent to adam@example.com.")).to_be_visible()
    widget.shot("messenger-transcript-sent")
    theirs = mailbox.wait(2)[1]
    assert theirs["To"] == "adam@example.com" and "Your warranty runs two years." in body(theirs)
    assert "e-mailed the transcript" not in body(theirs)  # the staff line stays with staff

    # From History: the visitor's address is now on record and offered first.
    alice.go("History")
    alice.page.get_by_role("button", name=re.compile("Adam")).first.click()
    alice.page.get_by_role("button", name="E-mail transcript").click()
    offered = dialog.get_by_label("Send to Adam (adam@example.com)")
    expect(offered).to_be_checked()
    dialog.get_by_role("button", name="Send transcript").click()
    expect(alice.toast("Transcript sent to adam@example.com")).to_be_visible()
    assert mailbox.wait(3)[2]["To"] == "adam@example.com"


@pytest.mark.parametrize("server_config", [{}])
def test_without_email_the_agent_is_told_and_the_widget_does_not_offer_it(live, agent_app, widget, page,
                                                                          host_site):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat("Adam", "Lamp warranty", email="adam@example.com")
    alice.request("Adam").get_by_role("button", name="Accept").click()
    alice.chat.get_by_role("button", name="Transcript").click()
    dialog = alice.page.get_by_role("dialog", name="E-mail transcript")
    expect(dialog.get_by_label("Send to Adam (adam@example.com)")).to_be_checked()
    dialog.get_by_role("button", name="Send transcript").click()
    expect(dialog.get_by_role("alert")).to_contain_text("does not send e-mail")
    expect(dialog.get_by_role("button", name="Send transcript")).to_be_enabled()  # stays open, can cancel
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    alice.chat.get_by_role("button", name=re.compile("End chat")).click()
    alice.page.get_by_role("dialog").get_by_role("button", name="End chat").click()
    expect(widget.f.get_by_text("How was this chat?")).to_be_visible()
    expect(widget.f.get_by_role("button", name="E-mail me the transcript")).to_have_count(0)
