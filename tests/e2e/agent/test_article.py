"""The seed article end to end, in four browsers: a visitor (Adam) on a customer's website, and three agents
(Alice, Bob, Carol), each in the agent app on their own bridge, all on one real chat server."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_request_declined_accepted_observed_joined_ended_and_found_in_history(live, agent_app, widget, page,
                                                                             host_site):
    # Created in this order, so the request rings Alice first, then Bob (least recently offered, then id).
    for email, name in [("alice@example.com", "Alice"), ("bob@example.com", "Bob"), ("carol@example.com", "Carol")]:
        live.create_agent(email, name)
    alice = agent_app("alice@example.com", live)
    bob = agent_app("bob@example.com", live)
    carol = agent_app("carol@example.com", live)

    page.goto(host_site + "/")
    expect(alice.visitor_row("Visitor")).to_contain_text("Acme home")
    alice.shot("visitors")
    widget.open()
    widget.start_chat("Adam", "Where is my parcel?")

    # Accepting or rejecting a chat request: Alice gets the pop-up and declines; it moves on to Bob.
    card = alice.request("Adam")
    expect(card).to_contain_text("Where is my parcel?")
    expect(card.get_by_role("button", name="Accept")).to_be_visible()
    alice.shot("request-popup")
    card.get_by_role("button", name="Decline").click()
    expect(alice.requests.get_by_role("article")).to_have_count(0)
    expect(bob.request("Adam")).to_contain_text("Where is my parcel?")
    expect(carol.requests.get_by_role("article")).to_have_count(0)  # one agent at a time
    bob.request("Adam").get_by_role("button", name="Accept").click()

    # Bob's chat window opens; messages both ways.
    expect(bob.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    expect(bob.chat).to_contain_text("Where is my parcel?")
    expect(bob.post("Bob joined the chat")).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Bob")
    expect(bob.composer).to_be_focused()
    bob.say("Hi Adam, let me look up your parcel.")
    expect(widget.post("Hi Adam, let me look up your parcel.")).to_be_visible()
    widget.send("Thanks! It was sent to Norway.")
    expect(bob.post("Thanks! It was sent to Norway.")).to_be_visible()
    expect(bob.timeline.locator("li.post.visitor")).to_have_count(1)
    bob.shot("chat-window")

    # Joining an ongoing chat, as an observer: only staff know Alice is there.
    widget_posts = widget.f.locator("li.post").count()
    alice.go("Visitors")
    expect(alice.visitor_row("Adam")).to_contain_text("Chatting with Bob")
    alice.row_action("Adam", "Join Chat as Observer")
    expect(alice.chat.get_by_role("status").filter(has_text="You are observing")).to_be_visible()
    expect(alice.post("Thanks! It was sent to Norway.")).to_be_visible()
    expect(alice.composer).to_be_hidden()  # an observer cannot take part
    alice.shot("observer")
    expect(bob.chat.get_by_label("In this chat")).to_contain_text("Alice · observing")
    expect(bob.post("Alice is observing this chat (only staff can see this)")).to_be_visible()
    bob.say("Found it: it is at the depot in Oslo.")
    expect(widget.post("Found it: it is at the depot in Oslo.")).to_be_visible()
    expect(alice.post("Found it: it is at the depot in Oslo.")).to_be_visible()
    expect(widget.f.locator("li.post")).to_have_count(widget_posts + 1)  # Bob's message, nothing about Alice
    widget_text = widget.frame.locator("body").inner_text()
    assert "Alice" not in widget_text and "observing" not in widget_text
    expect(widget.f.locator(".chat-status")).to_have_text(re.compile(r"You are chatting with Bob$"))

    # Joining as a participant: the visitor sees Carol join.
    carol.row_action("Adam", "Join Chat")
    expect(carol.chat.get_by_role("heading", name=re.compile("^Adam"))).to_be_visible()
    expect(carol.composer).to_be_visible()
    expect(widget.post("Carol joined the chat")).to_be_visible()
    expect(bob.chat.get_by_label("In this chat")).to_contain_text("Carol")
    carol.say("Hi Adam, Carol from shipping here.")
    expect(widget.post("Hi Adam, Carol from shipping here.")).to_be_visible()

    # Bob ends the chat: it is complete for everybody.
    bob.chat.get_by_role("button", name="End chat").click()
    bob.dialog.get_by_role("button", name="End chat").click()
    expect(bob.chat.get_by_role("heading", name=re.compile("^Adam"))).to_contain_text("Completed")
    expect(bob.chat).to_contain_text("This chat ended.")
    expect(bob.composer).to_be_hidden()
    expect(widget.post("The chat was ended by Bob")).to_be_visible()
    expect(carol.chat.get_by_role("heading", name=re.compile("^Adam"))).to_contain_text("Completed")

    # Chat History: found by a word from it, with its transcript.
    carol.go("History")
    history = carol.page.get_by_role("search")
    history.get_by_role("searchbox", name="Search chat history").fill("depot")
    history.get_by_role("button", name="Search").click()
    expect(carol.page.get_by_role("status").filter(has_text="chat found")).to_have_text("1 chat found")
    hit = carol.page.get_by_role("list", name="Chats found").get_by_role("button")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("Adam")
    expect(hit).to_contain_text("Completed")
    expect(hit.locator("mark")).to_have_text("depot")
    hit.click()
    transcript = carol.page.get_by_role("region", name="Transcript")
    expect(transcript.get_by_role("heading", name="Adam — Where is my parcel?")).to_be_visible()
    for line in ["Hi Adam, let me look up your parcel.", "Thanks! It was sent to Norway.",
                 "Found it: it is at the depot in Oslo.", "Carol joined the chat", "The chat was ended by Bob"]:
        expect(transcript.get_by_role("log").locator("li.post").filter(has_text=line)).to_have_count(1)
    carol.shot("history")
