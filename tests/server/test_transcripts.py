"""Chat transcripts by e-mail through a real SMTP server (aiosmtpd on a free port), and as downloads: what the
mailbox receives (a plain-text and an HTML part, images and files as links that open, code kept as written,
never a staff note), who may ask for one, and the clear refusals (no e-mail set up, a mail server that fails,
no address to send to, too many asks)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from typing import Any

import pytest
import requests

CODE = "def greet(name):\n    return f'<b>Hello</b> {name}'\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


@pytest.fixture
def public_url() -> str | None:
    return None


@pytest.fixture
def server_config(mailbox, public_url) -> dict[str, Any]:
    return {"CHAT_SMTP_URL": mailbox.url, "CHAT_PUBLIC_URL": public_url, "CHAT_SMTP_FROM": "Acme Support <help@acme.test>",
            "CHAT_TRANSCRIPT_LIMIT": 2}


def send(agent, cid, **body):
    return agent.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), **body})


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None, "a plain-text and an HTML part"
    return text.get_content().replace("\r\n", "\n"), page.get_content().replace("\r\n", "\n")  # (CRLF on the wire)


@pytest.fixture
def chat_with_everything(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Broken lamp", email="victor@example.com")["id"]
    alice.sock.wait("offer.created")
    assert alice.accept(cid).status_code == 200
    assert victor.say(cid, "My lamp flickers <script>alert(1)</script>").status_code == 201
    assert send(alice, cid, kind="CODE", contents=CODE, language="python").status_code == 201
    up = alice.post("/files", files={"file": ("wiring.png", PNG, "image/png")})
    assert up.status_code == 201, up.text
    assert send(alice, cid, kind="IMAGE", contents="", file_id=up.json()["data"]["id"]).status_code == 201
    assert send(alice, cid, contents="VIP: refund without asking", visibility="STAFF").status_code == 201
    return alice, victor, cid


def test_an_agent_emails_the_transcript_to_the_visitor_and_a_colleague(live, mailbox, chat_with_everything):
    alice, victor, cid = chat_with_everything
    r = alice.post(f"/cases/{cid}/transcript", {"to_visitor": True, "emails": ["boss@acme.test"]})
    assert r.status_code == 200, r.text
    sent = r.json()["data"]
    assert sent["recipients"] == ["victor@example.com", "boss@acme.test"] and sent["messages"] >= 4

    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert set(mailbox.envelopes[0].rcpt_tos) == {"victor@example.com", "boss@acme.test"}
    assert message["Subject"] == "Chat transcript: Broken lamp"
    assert message["From"] == "Acme Support <help@acme.test>"
    assert message["Date"] and message["Message-ID"].endswith("@acme.test>")  # what mail filters look for
    text, page = parts(message)
    assert "Victor: My lamp flickers <script>alert(1)</script>" in text  # plain text is plain
    assert "    def greet(name):\n        return f'<b>Hello</b> {name}'" in text  # code keeps its lines
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page  # HTML escapes it
    assert "def greet(name):\n    return f&#x27;&lt;b&gt;Hello&lt;/b&gt; {name}&#x27;" in page  # inside <pre>
    assert "VIP" not in text and "VIP" not in page  # a staff note never leaves the team
    # the image is a link that opens for anyone holding the e-mail (signed, no login)
    link = next(word for word in text.split() if "/files/" in word)
    got = requests.get(link, timeout=10)
    assert got.status_code == 200 and got.content == PNG
    assert f'href="{link.replace("&", "&amp;")}"' in page
    # the chat remembers who sent it where, for staff only
    staff = [p["contents"] for p in alice.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert "Alice e-mailed the transcript to victor@example.com, boss@acme.test" in staff
    mine = [m["content_text"] for m in victor.get(f"/conversations/{cid}/messages", limit=50).json()["data"]]
    assert not [m for m in mine if "e-mailed" in m]


def test_the_visitor_emails_themselves_the_transcript_when_the_chat_ends(live, mailbox, make_agent, make_visitor):
    alice = make_agent("alice")
    wendy = make_visitor("Wendy")  # no e-mail given when she started
    cid = wendy.start_chat("Sizes")["id"]
    alice.sock.wait("offer.created")
    assert alice.accept(cid).status_code == 200
    assert send(alice, cid, contents="The M fits 38-40.").status_code == 201
    assert alice.post(f"/cases/{cid}/end").status_code == 200

    r = wendy.post(f"/conversations/{cid}/transcript", {})
    assert r.status_code == 400 and r.json()["errors"][0]["parameter"] == "email"  # no address: she is asked
    r = wendy.post(f"/conversations/{cid}/transcript", {"email": "wendy@example.com"})
    assert r.status_code == 200, r.text
    assert mailbox.messages[-1]["To"] == "wendy@example.com"
    assert "Alice: The M fits 38-40." in parts(mailbox.messages[-1])[0]
    assert wendy.get(f"/conversations/{cid}").status_code == 200
    assert alice.get(f"/visitors/{wendy.id}").json()["data"]["email"] == "wendy@example.com"  # now on record
    # only ever to her own address: the widget is no relay to someone else's mailbox
    other = wendy.post(f"/conversations/{cid}/transcript", {"email": "someone@else.test"})
    assert other.status_code == 400 and other.json()["errors"][0]["parameter"] == "email"
    # a stranger's chat is not hers to send; and asks are limited (2 per hour here)
    assert make_visitor("Mallory").post(f"/conversations/{cid}/transcript", {"email": "m@x.test"}).status_code == 404
    assert wendy.post(f"/conversations/{cid}/transcript", {}).status_code == 200
    limited = wendy.post(f"/conversations/{cid}/transcript", {})
    assert limited.status_code == 429 and limited.json()["errors"][0]["code"] == "RATE_LIMIT_REACHED"
    assert len(mailbox.messages) == 2


def test_a_failing_mail_server_and_missing_addresses_are_said_plainly(live, mailbox, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("No email here")["id"]
    alice.sock.wait("offer.created")
    r = alice.post(f"/cases/{cid}/transcript", {"to_visitor": True})
    assert r.status_code == 400 and r.json()["errors"][0]["parameter"] == "emails"
    assert "left no e-mail address" in r.json()["errors"][0]["message"]
    bad = alice.post(f"/cases/{cid}/transcript", {"emails": ["not an address"]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "FIELD_INVALID"
    mailbox.fail = True
    r = alice.post(f"/cases/{cid}/transcript", {"to_visitor": False, "emails": ["boss@acme.test"]})
    assert r.status_code == 502, r.text
    error = r.json()["errors"][0]
    assert error["code"] == "EMAIL_FAILED" and "554" in error["message"] and "Nothing was sent" in error["message"]
    staff = [p["contents"] for p in alice.get(f"/cases/{cid}/posts", limit=50).json()["data"]]
    assert not [p for p in staff if "e-mailed" in p]  # nothing claims it went


@pytest.mark.parametrize("server_config", [{}])
def test_without_an_smtp_server_nothing_is_queued_and_the_answer_says_so(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Hello", email="victor@example.com")["id"]
    alice.sock.wait("offer.created")
    r = alice.post(f"/cases/{cid}/transcript", {})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "EMAIL_NOT_CONFIGURED"
    assert "CHAT_SMTP_URL" in r.json()["errors"][0]["message"]
    r = victor.post(f"/conversations/{cid}/transcript", {})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "EMAIL_NOT_CONFIGURED"


def test_a_transcript_downloads_as_html_or_text(live, chat_with_everything):
    alice, victor, cid = chat_with_everything
    page = alice.get(f"/cases/{cid}/transcript")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Disposition"].startswith(f'attachment; filename="chat-{cid}-')
    assert page.headers["Content-Disposition"].endswith('.html"')
    assert "&lt;script&gt;" in page.text and "VIP" not in page.text
    text = alice.get(f"/cases/{cid}/transcript", format="text")
    assert text.headers["Content-Type"].startswith("text/plain") and "Victor: My lamp flickers" in text.text
    assert alice.get(f"/cases/{cid}/transcript", format="pdf").status_code == 400
    assert victor.get(f"/cases/{cid}/transcript").status_code in (401, 403)  # an agent's download


def test_a_visitor_naming_another_host_gets_no_link_to_it(live, mailbox, chat_with_everything):
    """Links in a visitor's own transcript use CHAT_PUBLIC_URL only: the Host header is the client's to choose."""
    alice, victor, cid = chat_with_everything
    r = victor.post(f"/conversations/{cid}/transcript", {}, headers={"Host": "evil.example"})
    assert r.status_code == 200, r.text
    text, page = parts(mailbox.messages[-1])
    assert "evil.example" not in text + page
    assert "Image: wiring.png (" in text and "/files/" not in text  # named, not linked, without a public URL


@pytest.mark.parametrize("public_url", ["https://chat.acme.test"])
def test_links_use_the_configured_public_address(live, mailbox, chat_with_everything):
    alice, victor, cid = chat_with_everything
    assert victor.post(f"/conversations/{cid}/transcript", {}, headers={"Host": "evil.example"}).status_code == 200
    assert alice.post(f"/cases/{cid}/transcript", {"emails": ["boss@acme.test"]}).status_code == 200
    for message in mailbox.wait(2):
        text = parts(message)[0]
        assert "https://chat.acme.test/api/v1/files/" in text and "evil.example" not in text
