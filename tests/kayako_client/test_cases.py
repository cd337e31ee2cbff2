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
    victor = Visitor(live, "Victor")
    cid = victor.start_chat("Where is my order?", contents="It has been two weeks")["id"]
    client.call("POST", f"cases/{cid}/accept")
    for n in range(65):
        assert victor.say(cid, f"visitor line {n}").status_code == 201
        client.reply(cid, f"agent line {n}")
    posts, total, pages = client.walk(f"cases/{cid}/posts", limit=10)
    ids = [p["id"] for p in posts]
    assert len(ids) == len(set(ids)) == total >= 130  # every post once (plus the chat's system lines)
    assert ids == sorted(ids, reverse=True)  # "the timeline, newest first"
    assert pages == -(-total // 10)
    said = {p["contents"] for p in posts}
    assert {f"visitor line {n}" for n in range(65)} <= said and {f"agent line {n}" for n in range(65)} <= said
    # What an integration renders of each post: who wrote it, whether it was the customer, its status, its kind
    newest = posts[0]
    assert newest["contents"] == "agent line 64" and newest["creator"]["full_name"] == "Ada Lovelace"
    assert newest["is_requester"] is False and newest["post_status"] in ("SENT", "DELIVERED", "SEEN")
    assert newest["original"]["resource_type"] == "chat_message" and newest["subject"] == "Where is my order?"
    theirs = next(p for p in posts if p["contents"] == "visitor line 64")
    assert theirs["is_requester"] is True and theirs["creator"]["full_name"] == "Victor"
    original = posts[-1]  # the oldest post: where the case began
    assert original["id"] == min(ids) and original["is_requester"] is True
    assert original["contents"] == "It has been two weeks"
    # and back: previous_url from the last page leads to the page before it (newer), null on the first page
    last = client.call("GET", f"cases/{cid}/posts", args={"before_id": ids[-11], "limit": 10})
    assert last is not None and last["next_url"] is None and [p["id"] for p in last["data"]] == ids[-10:]
    back = requests.get(last["previous_url"], headers=client._headers(), timeout=30).json()
    assert [p["id"] for p in back["data"]] == ids[-20:-10]
    first = client.call("GET", f"cases/{cid}/posts", args={"limit": 10})
    assert first is not None and first["previous_url"] is None and [p["id"] for p in first["data"]] == ids[:10]
    third = client.call("GET", f"cases/{cid}/posts", args={"offset": 20, "limit": 10})
    assert third is not None and [p["id"] for p in third["data"]] == ids[20:30] and third["offset"] == 20


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
    assert post["contents"] == "Your parcel left this morning." and post["original"]["resource_type"] == "chat_message"
    note = client.reply(cid, "Customer sounds upset; offer a voucher", channel="NOTE")
    assert note["original"]["resource_type"] == "note"
    uploaded = client.upload("label.pdf", b"%PDF-1.4 shipping label", "application/pdf")
    assert uploaded["content_url"] and len(uploaded["hash"]) == 64
    with_file = client.reply(cid, "Here is the label", attachment_file_ids=[uploaded["id"]], client_id="r-1")
    again = client.reply(cid, "Here is the label", attachment_file_ids=[uploaded["id"]], client_id="r-1")
    assert again["id"] == with_file["id"]  # a retry with the same client_id makes nothing new
    timeline = victor.get(f"/conversations/{cid}/messages", limit=100).json()["data"]
    texts = [p["content_text"] for p in timeline]
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
    assert said["message_status"] != "SEEN"
    marked = client.mark_post(said["id"], "SEEN")
    assert marked["id"] == said["id"] and marked["post_status"] == "SEEN"
    seen = victor.get(f"/conversations/{cid}/messages", limit=100).json()["data"]
    assert next(p for p in seen if p["id"] == said["id"])["message_status"] == "SEEN"


def test_every_resource_names_its_type_and_an_address_that_answers_with_it(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    said = victor.say(cid, "Hello?").json()["data"]
    case = client.cases(status="open")["data"][0]
    post = client.call("GET", f"cases/{cid}/posts", args={"limit": 50})["data"][0]  # type: ignore[index]
    assert post["id"] == said["id"]
    # a case as Kayako describes one
    assert (case["source_channel"], case["state"], case["rating_status"]) == ("MESSENGER", "ACTIVE", "UNOFFERED")
    assert case["last_post_preview"] == "Hello?" and case["last_post_status"] == "SENT" and case["post_count"] >= 1
    # nested resources are references {id, resource_type} unless included
    for name in ("requester", "creator", "assigned_agent", "status"):
        assert {"id", "resource_type"} <= set(case[name]) <= {"id", "resource_type", "resource_url"}, case[name]
    assert case["requester"]["id"] == victor.id and case["status"]["resource_type"] == "case_status"
    found = []
    for resource in (case, case["requester"], case["assigned_agent"], case["status"], post, client.me()):
        assert resource["resource_type"], resource
        r = requests.get(resource["resource_url"], headers=client._headers(), timeout=10)
        assert r.status_code == 200, (resource["resource_url"], r.text)
        assert r.json()["data"]["id"] == resource["id"]
        assert r.json()["data"]["resource_type"] == resource["resource_type"]
        found.append(resource["resource_type"])
    assert sorted(found) == ["case", "case_status", "post", "user", "user", "visitor"]
    status = requests.get(case["status"]["resource_url"], headers=client._headers(), timeout=10).json()["data"]
    assert (status["label"], status["type"]) == ("Open", "OPEN")


def test_nested_resources_are_included_by_type_or_side_loaded_flat(live):
    client = agent(live)
    me = client.me()
    victor, cid = open_case(live, client)
    file = client.upload("label.pdf", b"%PDF-1.4 label", "application/pdf")
    client.reply(cid, "Your label", attachment_file_ids=[file["id"]])
    users = client.call("GET", f"cases/{cid}", args={"include": "user"})
    assert users is not None
    case = users["data"]
    assert case["assigned_agent"]["full_name"] == "Ada Lovelace"  # a user: included
    assert set(case["requester"]) <= {"id", "resource_type", "resource_url"}  # a visitor: still a reference
    whole = client.call("GET", f"cases/{cid}", args={"include": "*"})
    assert whole is not None
    assert whole["data"]["requester"]["name"] == "Victor" and whole["data"]["status"]["label"] == "Open"
    posts = client.call("GET", f"cases/{cid}/posts", args={"include": "file"})
    assert posts is not None and posts["data"][0]["attachments"][0]["name"] == "label.pdf"

    flat = client.call("GET", "cases", args={"_flat": "true"})
    assert flat is not None
    listed = flat["data"][0]
    assert set(listed["requester"]) <= {"id", "resource_type", "resource_url"}
    side = flat["resources"]  # every nested resource once, by type and id
    assert side["visitor"][str(victor.id)]["name"] == "Victor"
    assert side["case_status"]["2"]["type"] == "OPEN"
    assert side["user"][str(me["id"])]["full_name"] == "Ada Lovelace"
    by_header = client.call("GET", "cases", headers={"X-Options": "flat"})
    assert by_header is not None and by_header["resources"] == side
    only_users = client.call("GET", "cases", args={"_flat": "true", "include": "user"})
    assert only_users is not None and set(only_users["resources"]) == {"user"}


def test_partial_output_keeps_the_fields_asked_for(live):
    client = agent(live)
    victor, cid = open_case(live, client)
    page = client.cases(fields="id,subject,requester(name)")
    assert page["data"] == [{"id": cid, "subject": "Where is my order?", "resource_type": "case",
                             "requester": {"name": "Victor", "resource_type": "visitor"}}]
    assert page["total_count"] == 1  # the envelope is untouched
    plus = client.cases(fields="+tags")["data"][0]  # "+" adds to the defaults: everything is still there
    assert plus["subject"] and plus["requester"]["id"] == victor.id and plus["resource_url"]
    nested_plus = client.cases(fields="id,requester(+email)")["data"][0]
    assert set(nested_plus) == {"id", "requester", "resource_type"} and nested_plus["requester"]["name"] == "Victor"
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
    # newest first: past the newest end, the next page (older) is the newest posts; before the oldest, nothing
    past = client.call("GET", f"cases/{cid}/posts", args={"after_id": top, "limit": 10})
    assert past is not None and past["data"] == [] and past["previous_url"] is None and past["next_url"]
    back = requests.get(past["next_url"], headers=client._headers(), timeout=10).json()
    assert [p["contents"] for p in back["data"]][0] == "Hello?"
    before = client.call("GET", f"cases/{cid}/posts", args={"before_id": 1, "limit": 10})
    assert before is not None and before["data"] == [] and before["next_url"] is None and before["previous_url"]
    oldest = requests.get(before["previous_url"], headers=client._headers(), timeout=10).json()
    every = [p["id"] for p in client.walk(f"cases/{cid}/posts", limit=100)[0]]
    assert [p["id"] for p in oldest["data"]] == every[-10:]
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
    assert client.call("GET", f"cases/{cid}")["data"]["status"]["id"] == 2  # type: ignore[index]  # still Open

    moved = client.call("PUT", f"cases/{cid}", json={"assigned_agent_id": bob_id})
    assert moved is not None
    bob.call("POST", f"cases/{cid}/accept")
    owner = bob.call("GET", f"cases/{cid}")["data"]["assigned_agent"]  # type: ignore[index]  # a reference
    assert owner["id"] == bob_id

    ended = bob.call("PUT", f"cases/{cid}", json={"status_id": 4})
    assert ended is not None and ended["data"]["status"]["id"] == 4  # Completed
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "COMPLETED")
    again = bob.call("PUT", f"cases/{cid}", json={"status_id": 5})  # Closed: it stays Completed, nothing new
    assert again is not None and again["data"]["status"]["id"] == 4
