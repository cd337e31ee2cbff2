"""A Kayako integration's day with the doc-written client (client.py): the case statuses, open cases by
status name in lower case, every page of a 130-post case by following `next_url` until it is null (and back by
`previous_url`), a reply in Kayako's body (`contents`, `channel`, `channel_id`), a note (`channel: NOTE`) the
visitor never sees, a file uploaded as Kayako's agent app does and attached by id, a post marked SEEN.
The visitor side is driven by the test support (as the widget would), not by the client."""

from __future__ import annotations

import requests

from tests.kayako_client.client import Kayako, KayakoError
from tests.support import Agent, Visitor

EMAIL, PASSWORD = "ada@example.com", "correct-horse"


def agent(live) -> Kayako:
    live.create_agent(EMAIL, "Ada Lovelace", PASSWORD, max_chats=10)
    client = Kayako(live.url, EMAIL, PASSWORD)
    client.me()
    return client


def open_case(live, client: Kayako, name: str = "Victor") -> tuple[Visitor, int]:
    victor = Visitor(live, name)
    cid = victor.start_chat("Where is my order?")["id"]
    client.call("POST", f"cases/{cid}/accept")
    return victor, cid


def test_statuses_and_filtering_cases_by_a_status_name_in_any_case(live):
    client = agent(live)
    statuses = client.case_statuses()
    assert [s["type"] for s in statuses] == ["NEW", "OPEN", "PENDING", "COMPLETED", "CLOSED"]
    victor, cid = open_case(live, client)
    waiting = Visitor(live, "Wendy").start_chat("Hello?")["id"]
    page = client.cases(status="open", limit=10)
    assert [c["id"] for c in page["data"]] == [cid] and page["total_count"] == 1 and page["limit"] == 10
    assert [c["id"] for c in client.cases(status="New")["data"]] == [waiting]
    assert client.cases(status="pending")["data"] == [] and client.cases(status="CLOSED")["total_count"] == 0
    err = None
    try:
        client.cases(status="archived")
    except KayakoError as e:
        err = e
    assert err is not None and (err.status, err.parameter) == (400, "status")


def test_every_page_of_a_130_post_case_by_following_next_url_until_null(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    for n in range(65):
        assert victor.say(cid, f"visitor line {n}").status_code == 201
        client.reply(cid, f"agent line {n}")
    posts, total, pages = client.walk(f"cases/{cid}/posts", limit=10)
    ids = [p["id"] for p in posts]
    assert len(ids) == len(set(ids)) == total >= 130  # every post once (plus the chat's system lines)
    assert pages == -(-total // 10)
    said = {p["contents"] for p in posts}
    assert {f"visitor line {n}" for n in range(65)} <= said and {f"agent line {n}" for n in range(65)} <= said
    # and back: previous_url from the last page leads to the page before it, null on the first page
    last = client.call("GET", f"cases/{cid}/posts", args={"after_id": ids[-11], "limit": 10})
    assert last is not None and last["next_url"] is None and [p["id"] for p in last["data"]] == ids[-10:]
    back = requests.get(last["previous_url"], headers=client._headers(), timeout=30).json()
    assert [p["id"] for p in back["data"]] == ids[-20:-10]
    first = client.call("GET", f"cases/{cid}/posts", args={"limit": 10})
    assert first is not None and first["previous_url"] is None


def test_a_client_that_names_no_page_size_gets_kayakos_ten_and_a_next_url(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    for n in range(12):
        assert victor.say(cid, f"line {n}").status_code == 201
    posts = client.call("GET", f"cases/{cid}/posts")
    assert posts is not None and posts["limit"] == 10 and len(posts["data"]) == 10 and posts["next_url"]
    rest = requests.get(posts["next_url"], headers=client._headers(), timeout=30).json()
    assert len(rest["data"]) == posts["total_count"] - 10 and rest["next_url"] is None
    for n in range(11):
        Visitor(live, f"Visitor {n}").start_chat("Hello?")
    cases = client.call("GET", "cases")
    assert cases is not None and cases["limit"] == 10 and len(cases["data"]) == 10 and cases["total_count"] == 12


def test_a_reply_and_a_note_in_kayakos_body_and_an_attachment_by_id(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    victor.connect()
    post = client.reply(cid, "Your parcel left this morning.", channel="MESSENGER", channel_id=cid)
    assert post["contents"] == "Your parcel left this morning." and post["visibility"] == "PUBLIC"
    note = client.reply(cid, "Customer sounds upset; offer a voucher", channel="NOTE")
    assert note["visibility"] == "STAFF"
    uploaded = client.upload("label.pdf", b"%PDF-1.4 shipping label", "application/pdf")
    assert uploaded["content_url"] and len(uploaded["hash"]) == 64
    with_file = client.reply(cid, "Here is the label", attachment_file_ids=[uploaded["id"]], client_id="r-1")
    again = client.reply(cid, "Here is the label", attachment_file_ids=[uploaded["id"]], client_id="r-1")
    assert again["id"] == with_file["id"]  # a retry with the same client_id makes nothing new
    timeline = victor.get(f"/conversations/{cid}/messages", limit=100).json()["data"]
    texts = [p["contents"] for p in timeline]
    assert "Your parcel left this morning." in texts and "Here is the label" in texts
    assert "Customer sounds upset; offer a voucher" not in str(timeline)  # a note never reaches the visitor
    files = [p["attachments"][0]["name"] for p in timeline if p["kind"] == "FILE"]
    assert files == ["label.pdf"]
    staff = client.walk(f"cases/{cid}/posts", limit=100)[0]
    assert [p["contents"] for p in staff].count("Here is the label") == 1


def test_marking_a_visitors_post_seen(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    said = victor.say(cid, "Are you there?").json()["data"]
    assert said["status"] != "SEEN"
    marked = client.mark_post(said["id"], "SEEN")
    assert marked["id"] == said["id"] and marked["status"] == "SEEN"
    seen = victor.get(f"/conversations/{cid}/messages", limit=100).json()["data"]
    assert next(p for p in seen if p["id"] == said["id"])["status"] == "SEEN"


def test_every_resource_names_its_type_and_an_address_that_answers_with_it(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    said = victor.say(cid, "Hello?").json()["data"]
    case = client.cases(status="open")["data"][0]
    post = client.call("GET", f"cases/{cid}/posts", args={"limit": 50})["data"][-1]  # type: ignore[index]
    assert post["id"] == said["id"]
    found = []
    for resource in (case, case["visitor"], case["owner"], post, post["author"] if "resource_type" in post["author"]
                     else None, client.me()):
        if resource is None:
            continue
        assert resource["resource_type"], resource
        if "resource_url" in resource:
            r = requests.get(resource["resource_url"], headers=client._headers(), timeout=10)
            assert r.status_code == 200, (resource["resource_url"], r.text)
            assert r.json()["data"]["id"] == resource["id"]
            assert r.json()["data"]["resource_type"] == resource["resource_type"]
            found.append(resource["resource_type"])
    assert sorted(found) == ["case", "post", "user", "user", "visitor"]


def test_partial_output_keeps_the_fields_asked_for(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    page = client.cases(fields="id,subject,visitor(name)")
    assert page["data"] == [{"id": cid, "subject": "Where is my order?", "resource_type": "case",
                             "visitor": {"name": "Victor", "resource_type": "visitor"}}]
    assert page["total_count"] == 1  # the envelope is untouched
    plus = client.cases(fields="+tags")["data"][0]  # "+" adds to the defaults: everything is still there
    assert plus["subject"] and plus["visitor"]["name"] == "Victor" and plus["resource_url"]
    nested_plus = client.cases(fields="id,visitor(+email)")["data"][0]
    assert set(nested_plus) == {"id", "visitor", "resource_type"} and nested_plus["visitor"]["name"] == "Victor"
    for bad in ("id,visitor(name", "id)", "(name)"):
        try:
            client.cases(fields=bad)
        except KayakoError as err:
            assert (err.status, err.parameter) == (400, "fields")
        else:
            raise AssertionError(bad)


def test_pages_past_either_end_are_empty_and_link_back(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    assert victor.say(cid, "Hello?").status_code == 201
    top = 2**63 - 1  # the largest id there can be
    past = client.call("GET", f"cases/{cid}/posts", args={"after_id": top, "limit": 10})
    assert past is not None and past["data"] == [] and past["next_url"] is None and past["previous_url"]
    back = requests.get(past["previous_url"], headers=client._headers(), timeout=10).json()
    assert [p["contents"] for p in back["data"]][-1] == "Hello?"
    before = client.call("GET", f"cases/{cid}/posts", args={"before_id": 1, "limit": 10})
    assert before is not None and before["data"] == [] and before["previous_url"] is None and before["next_url"]
    mine = victor.get(f"/conversations/{cid}/messages", after_id=top)
    assert mine.status_code == 200 and mine.json()["data"] == []


def test_a_case_update_renames_transfers_and_ends_a_chat(live):
    client = agent(live)
    bob_id = live.create_agent("bob@example.com", "Bob", PASSWORD)
    Agent(live, "bob@example.com", PASSWORD).connect()  # Bob's desktop app is open: he can take a transfer
    bob = Kayako(live.url, "bob@example.com", PASSWORD)
    victor, cid = open_case(live, client)
    victor.connect()
    case = client.call("PUT", f"cases/{cid}", json={"subject": "Order 1001 arrived crushed"})
    assert case is not None and case["data"]["subject"] == "Order 1001 arrived crushed"
    assert victor.sock is not None
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["subject"] == "Order 1001 arrived crushed")
    hits = client.call("GET", "cases/search", args={"q": "crushed"})
    assert hits is not None and [h["conversation"]["id"] for h in hits["data"]] == [cid]

    for body, code, parameter in (({"status_id": 3}, "INVALID_STATE", "status_id"),  # Pending: not a chat's
                                  ({"status_id": 9}, "FIELD_INVALID", "status_id"),
                                  ({"tags": ["vip"]}, "FIELD_UNEXPECTED", "tags"),
                                  ({}, "FIELD_REQUIRED", None)):
        try:
            client.call("PUT", f"cases/{cid}", json=body)
            raise AssertionError(f"{body} was taken")
        except KayakoError as err:
            assert (err.code, err.parameter) == (code, parameter), (body, err)
    assert client.call("GET", f"cases/{cid}")["data"]["status"] == "OPEN"  # type: ignore[index]

    moved = client.call("PUT", f"cases/{cid}", json={"assigned_agent_id": bob_id})
    assert moved is not None
    bob.call("POST", f"cases/{cid}/accept")
    owner = bob.call("GET", f"cases/{cid}")["data"]["owner"]  # type: ignore[index]
    assert owner["id"] == bob_id

    ended = bob.call("PUT", f"cases/{cid}", json={"status_id": 4})
    assert ended is not None and ended["data"]["status"] == "COMPLETED"
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"] == "COMPLETED")
    again = bob.call("PUT", f"cases/{cid}", json={"status_id": 5})  # Closed: it stays Completed, nothing new
    assert again is not None and again["data"]["status"] == "COMPLETED"
