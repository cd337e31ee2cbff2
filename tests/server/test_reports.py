"""Historic chat figures as a supervisor reads them: a day of chats played out on the real server with a clock
the test moves — answered quickly, answered after a decline and transferred, abandoned in the queue, and an
offline message — then the day's volume, misses, waits (average and p90), first response, duration, ratings,
transfers and declines, over JSON and CSV, for everyone, one agent or one department."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.server.test_routing import offered
from tests.support import Visitor


@pytest.fixture
def server_config() -> dict[str, int]:
    return {"CHAT_RING_TIMEOUT": 120}  # the waits below are agents taking their time, not rings running out


def test_a_days_chats_add_up_to_the_figures_a_supervisor_reads(live, make_agent):
    ada = make_agent("ada", admin=True, connect=False)  # the supervisor: never rings
    alice, bob = make_agent("alice"), make_agent("bob")
    day = datetime.fromtimestamp(live.clock.now(), UTC).date().isoformat()

    v1 = Visitor(live, "One")
    one = v1.start_chat("Quick one")["id"]
    offered(alice, one)
    live.advance(30)
    assert alice.accept(one).status_code == 200
    live.advance(10)
    assert alice.reply(one, "Here you go").status_code == 201
    live.advance(60)
    assert alice.post(f"/cases/{one}/end").status_code == 200
    assert v1.post(f"/conversations/{one}/ratings", {"score": "GOOD"}).status_code == 200

    v2 = Visitor(live, "Two")
    two = v2.start_chat("Slow one")["id"]
    offered(bob, two)
    assert bob.decline(two).status_code == 200
    offered(alice, two)
    live.advance(20)
    assert alice.accept(two).status_code == 200
    assert alice.post(f"/cases/{two}/transfer", {"agent_id": bob.id}).status_code == 200
    offered(bob, two)
    assert bob.accept(two).status_code == 200
    assert bob.post(f"/cases/{two}/end").status_code == 200
    assert v2.post(f"/conversations/{two}/ratings", {"score": "BAD"}).status_code == 200

    v3 = Visitor(live, "Three")
    three = v3.start_chat("Gave up")["id"]
    assert v3.put(f"/conversations/{three}/end").status_code == 200
    v4 = Visitor(live, "Four")
    assert v4.post("/messenger/offline_messages", {"name": "Four", "email": "four@example.com", "subject": "Later",
                                                   "message": "Call me"}).status_code == 201

    r = ada.get("/reports/chats", **{"from": day, "to": day})
    assert r.status_code == 200, r.text
    report = r.json()["data"]
    assert (report["start"], report["end"], [d["day"] for d in report["days"]]) == (day, day, [day])
    total = report["total"]
    assert {k: total[k] for k in ("chats", "offline_messages", "missed", "wait_avg", "wait_p90", "first_response_avg",
                                  "duration_avg", "rated_good", "rated_bad", "csat", "transfers", "declines")} == {
        "chats": 3, "offline_messages": 1, "missed": 1, "wait_avg": 25.0, "wait_p90": 30.0, "first_response_avg": 10.0,
        "duration_avg": 60.0, "rated_good": 1, "rated_bad": 1, "csat": 50.0, "transfers": 1, "declines": 1}
    assert report["days"][0] == {**total, "day": day}

    bobs = ada.get("/reports/chats", **{"from": day, "to": day, "agent_id": bob.id}).json()["data"]["total"]
    assert (bobs["chats"], bobs["transfers"], bobs["rated_bad"]) == (1, 1, 1)  # the chat he ended up with
    none = ada.get("/reports/chats", **{"from": day, "to": day, "team_id": 1}).json()["data"]["total"]
    assert none["chats"] == 0 and none["wait_avg"] is None and none["csat"] is None

    exported = ada.get("/reports/chats.csv", **{"from": day, "to": day})
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    assert exported.headers["Content-Disposition"] == f'attachment; filename="chats-{day}-{day}.csv"'
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["day"] for r in rows] == [day, "total"]
    assert (rows[1]["chats"], rows[1]["wait_p90"], rows[1]["csat"], rows[1]["declines"]) == ("3", "30.0", "50.0", "1")


def test_reports_are_for_administrators_and_bad_ranges_are_refused(live, make_agent):
    ada = make_agent("ada", admin=True)
    sam = make_agent("sam")
    assert sam.get("/reports/chats", **{"from": "2027-01-01", "to": "2027-01-02"}).status_code == 403
    cases = [
        ({"from": "2027-01-05", "to": "2027-01-01"}, "to"),
        ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
        ({"from": "2027-13-01", "to": "2027-12-31"}, "from"),
        ({"from": "yesterday", "to": "2027-01-01"}, "from"),
        ({"to": "2027-01-01"}, "from"),
    ]
    for params, parameter in cases:
        r = ada.get("/reports/chats", **params)
        assert r.status_code == 400, (params, r.text)
        assert r.json()["errors"][0]["parameter"] == parameter, (params, r.json())
    week = ada.get("/reports/chats", **{"from": "2027-01-01", "to": "2027-01-07"}).json()["data"]
    assert len(week["days"]) == 7 and week["total"]["chats"] == 0
