"""Visitor monitoring: tokens, page views live in the agents' list, presence with a grace period,
footprints, browser/OS, location unknown without a GeoIP database."""

from __future__ import annotations

import pytest
import requests


def test_page_views_move_the_visitors_row_live(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor", connect=False)
    victor.view("https://shop.example/", "Home", referrer="https://www.google.com/")
    row = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["id"] == victor.id)["data"]["visitor"]
    assert row["online"] and row["current_url"] == "https://shop.example/" and row["current_title"] == "Home"
    assert row["referrer"] == "https://www.google.com/" and row["page_views"] == 1
    assert row["browser"] == "Chrome 126" and row["os"] == "Linux" and row["ip"] == "127.0.0.1"
    assert row["location"] is None  # no GeoIP database configured: unknown, never an error

    victor.view("https://shop.example/pricing", "Pricing", referrer="https://shop.example/")
    moved = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"].endswith("/pricing"))
    assert moved["data"]["visitor"]["page_views"] == 2
    assert moved["data"]["visitor"]["referrer"] == "https://www.google.com/"  # how they came to the site

    listed = alice.get("/visitors").json()
    assert listed["total_count"] == 1 and listed["data"][0]["current_title"] == "Pricing"
    trail = alice.get(f"/visitors/{victor.id}/footprints").json()["data"]
    assert [p["url"] for p in trail] == ["https://shop.example/pricing", "https://shop.example/"]


def test_visitor_goes_offline_after_the_grace_period_without_heartbeat(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor", connect=False)
    victor.view("https://shop.example/", "Home")
    live.advance(20)
    assert victor.post("/messenger/heartbeat").status_code == 200
    live.advance(25)  # 25 s since the heartbeat: still within the ~30 s grace
    assert alice.get("/visitors").json()["total_count"] == 1
    live.advance(10)
    assert alice.sock.wait("visitor.left")["data"] == {"visitor_id": victor.id}
    assert alice.get("/visitors").json()["total_count"] == 0
    assert alice.get("/visitors", online="false").json()["total_count"] == 1
    victor.view("https://shop.example/again", "Back")
    back = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["current_url"].endswith("/again"))
    assert back["data"]["visitor"]["online"] is True


def test_an_open_widget_socket_keeps_the_visitor_online(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")  # socket connected
    victor.view("https://shop.example/", "Home")
    live.advance(120)
    assert alice.get(f"/visitors/{victor.id}").json()["data"]["online"] is True


def test_chat_state_shows_in_the_visitor_list(live, make_agent, make_visitor):
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    victor.view("https://shop.example/contact", "Contact")
    cid = victor.start_chat("Question")["id"]
    alice.accept(cid)
    row = alice.sock.wait("visitor.updated", lambda d: d["visitor"]["chat_status"] == "OPEN")["data"]["visitor"]
    assert row["conversation_id"] == cid and row["chat_agent"]["full_name"] == "Alice"


def test_visitor_token_identifies_one_visitor(live, make_visitor):
    victor = make_visitor("Victor", connect=False)
    me = victor.get("/messenger/visitor").json()["data"]
    assert me["id"] == victor.id and me["name"] == "Victor"
    renamed = victor.put("/messenger/visitor", {"name": "Victor Hugo", "email": "victor@example.com"}).json()["data"]
    assert renamed["name"] == "Victor Hugo" and renamed["email"] == "victor@example.com"
    bad = victor.put("/messenger/visitor", {"email": "not-an-email"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["parameter"] == "email"
    assert victor.get("/messenger/visitor").json()["data"]["email"] == "victor@example.com"


@pytest.mark.parametrize("server_config", [{"CHAT_GEOIP_DB": "/nonexistent/GeoLite2-City.mmdb"}])
def test_a_broken_geoip_setting_means_unknown_location_not_errors(live, make_visitor, make_agent):
    alice = make_agent("alice")
    victor = make_visitor("Victor", connect=False)
    assert victor.view("https://shop.example/", "Home").status_code == 200
    assert alice.get(f"/visitors/{victor.id}").json()["data"]["location"] is None


class TestWithGeoIPDatabase:
    @pytest.fixture
    def server_config(self, tmp_path_factory):
        """A real MaxMind-format database (written with mmdb-writer) and a reverse proxy in front."""
        from mmdb_writer import MMDBWriter
        from netaddr import IPSet

        path = tmp_path_factory.mktemp("geo") / "city.mmdb"
        writer = MMDBWriter(ip_version=4, database_type="GeoLite2-City")
        writer.insert_network(IPSet(["81.2.69.0/24"]), {
            "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}}, "city": {"names": {"en": "London"}}})
        writer.to_db_file(str(path))
        return {"CHAT_GEOIP_DB": str(path), "CHAT_TRUST_PROXY": True}

    def test_location_comes_from_the_database(self, live, make_agent):
        alice = make_agent("alice")
        r = requests.post(live.api + "/messenger/visitors", json={}, headers={"X-Forwarded-For": "81.2.69.160"},
                          params={"include": "visitor"}, timeout=10)
        visitor = r.json()["data"]["visitor"]
        assert visitor["ip"] == "81.2.69.160"
        assert visitor["location"] == {"country": "United Kingdom", "country_code": "GB", "city": "London"}
        token = r.json()["data"]["token"]
        requests.post(live.api + "/messenger/pageviews", json={"url": "https://shop.example/"},
                      headers={"X-Visitor-Token": token, "X-Forwarded-For": "10.1.2.3"}, timeout=10)
        row = alice.get(f"/visitors/{visitor['id']}").json()["data"]
        assert row["ip"] == "10.1.2.3" and row["location"] is None  # private address: unknown
