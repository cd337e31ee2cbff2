"""Kayako v1 conventions as a Kayako client meets them, driven over HTTP against the real server by a client
written from Kayako's documentation (client.py): Basic on any request opens a session, `.json` is optional,
X-CSRF, the heartbeat, Accept and 406, the error envelope and its `more_info`, ETag / If-None-Match /
If-Match, form bodies, 454 after logout."""

from __future__ import annotations

import pytest
import requests

from tests.kayako_client.client import Kayako, KayakoError

EMAIL, PASSWORD = "ada@example.com", "correct-horse"


def kayako(live, **kw) -> Kayako:
    live.create_agent(EMAIL, "Ada Lovelace", PASSWORD)
    return Kayako(live.url, EMAIL, PASSWORD, **kw)


def fails(call, *args, **kw) -> KayakoError:
    try:
        call(*args, **kw)
    except KayakoError as err:
        return err
    raise AssertionError("expected a Kayako error")


def test_basic_auth_on_me_json_opens_a_session_used_from_then_on(live):
    client = kayako(live)
    me = client.me()  # GET /api/v1/me.json with Basic: Kayako's login as integrations do it
    assert me["full_name"] == "Ada Lovelace"
    first = client.last
    assert first is not None and client.session_id and client.csrf_token
    assert first.headers["X-API-Version"] == "1"
    assert client.me()["id"] == me["id"]  # the session, no Basic any more
    assert client.last is not None and "Authorization" not in client.last.request.headers
    assert client.heartbeat() == 200  # PUT /session/ack.json, a write: the CSRF token went with it
    client.suffix = ""
    assert client.me()["id"] == me["id"]  # the suffix is optional
    client.logout()
    client.session_id = "gone"
    err = fails(client.me)
    assert (err.status, err.code) == (454, "SESSION_NOT_FOUND")


def test_a_wrong_password_is_refused_on_any_request_and_throttled(live):
    live.create_agent(EMAIL, "Ada Lovelace", PASSWORD)
    client = Kayako(live.url, EMAIL, "not-it")
    err = fails(client.me)
    assert (err.status, err.code) == (401, "AUTHENTICATION_FAILED") and client.session_id is None
    statuses = []
    for _ in range(6):  # the first five failures are free, then the address waits
        try:
            client.me()
        except KayakoError as e:
            statuses.append(e.code)
    assert "RATE_LIMIT_REACHED" in statuses  # the same back-off as GET /session


def test_writes_need_the_csrf_token_unless_the_login_turned_it_off(live):
    client = kayako(live)
    client.me()
    token, client.csrf_token = client.csrf_token, None
    err = fails(client.heartbeat)
    assert (err.status, err.code) == (403, "CSRF_FAILED")
    client.csrf_token = token
    assert client.heartbeat() == 200

    relaxed = Kayako(live.url, EMAIL, PASSWORD, csrf=False)  # X-CSRF: false on the authenticating request
    relaxed.me()
    assert relaxed.csrf_token is None and relaxed.last is not None and "X-CSRF-Token" not in relaxed.last.headers
    assert relaxed.heartbeat() == 200


def test_accept_must_allow_json(live):
    client = kayako(live)
    err = fails(client.call, "GET", "me", headers={"Accept": "text/html"})
    assert (err.status, err.code, err.parameter) == (406, "NOT_ACCEPTABLE", "Accept")
    assert client.call("GET", "me", headers={"Accept": "*/*"}) is not None
    assert client.call("GET", "me", headers={"Accept": "application/*;q=0.5, text/html"}) is not None


def test_errors_carry_more_info_that_explains_the_code(live):
    client = kayako(live)
    client.me()
    err = fails(client.call, "GET", "cases/999999")
    assert (err.status, err.code) == (404, "NOT_FOUND") and err.more_info
    explained = requests.get(err.more_info, headers={"Accept": "application/json"}, timeout=10).json()["data"]
    assert explained["code"] == "NOT_FOUND" and explained["status"] == 404 and explained["description"]
    err = fails(client.call, "PUT", "me", json={"full_name": ""})
    assert err.code == "FIELD_REQUIRED" and err.parameter == "full_name" and err.more_info.endswith("FIELD_REQUIRED")


def test_etags_make_reads_conditional_and_writes_safe(live):
    client = kayako(live)
    client.me()
    client.me()
    read = client.last
    assert read is not None and read.headers["ETag"]
    assert client.call("GET", "me", headers={"If-None-Match": read.headers["ETag"]}) is None  # 304, no body
    assert client.last is not None and client.last.status_code == 304 and client.last.content == b""
    # a write naming what it read goes through; one naming an older version is refused and changes nothing
    renamed = client.call("PUT", "me", json={"full_name": "Ada King"}, headers={"If-Match": read.headers["ETag"]})
    assert renamed is not None and renamed["data"]["full_name"] == "Ada King"
    err = fails(client.call, "PUT", "me", json={"full_name": "Ada Byron"}, headers={"If-Match": read.headers["ETag"]})
    assert (err.status, err.code) == (412, "PRECONDITION_FAILED")
    assert client.me()["full_name"] == "Ada King"
    fresh = client.last
    assert fresh is not None and fresh.headers["ETag"] != read.headers["ETag"]
    assert client.call("GET", "me", headers={"If-None-Match": read.headers["ETag"]}) is not None  # changed: 200
    assert client.call("PUT", "me", json={"full_name": "Ada"}, headers={"If-Match": "*"}) is not None


def test_form_bodies_are_taken_wherever_json_is(live):
    client = kayako(live)
    client.me()
    assert client.call("PUT", "me", form={"full_name": "Ada (form)"})["data"]["full_name"] == "Ada (form)"
    multipart = client.http.put(client.url("me"), files={"full_name": (None, "Ada (multipart)")},
                                headers={"X-Session-ID": client.session_id, "X-CSRF-Token": client.csrf_token},
                                timeout=10)
    assert multipart.status_code == 200 and multipart.json()["data"]["full_name"] == "Ada (multipart)"
    err = fails(client.call, "PUT", "me", form={"full_name": "x", "role": "ADMIN"})
    assert (err.code, err.parameter) == ("FIELD_UNEXPECTED", "role")


def test_basic_credentials_a_browser_remembers_cannot_write_from_another_site(live):
    """The attacker's page posts to the server with the agent's remembered Basic credentials: refused."""
    live.create_agent(EMAIL, "Ada Lovelace", PASSWORD)
    r = requests.put(f"{live.api}/me", data={"full_name": "Pwned"}, auth=(EMAIL, PASSWORD), timeout=10,
                     headers={"Origin": "https://evil.example", "Accept": "*/*"})
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "CSRF_FAILED"
    client = Kayako(live.url, EMAIL, PASSWORD)
    assert client.me()["full_name"] == "Ada Lovelace"


@pytest.mark.parametrize("server_config", [{"CHAT_TRUST_PROXY": True}])
def test_behind_a_tls_proxy_the_servers_own_https_pages_may_write_and_other_sites_may_not(live):
    """TLS ends at the reverse proxy, which tells the server the page's scheme (X-Forwarded-Proto): a write
    from the server's own https page is same-site; an attacker's page, or the http twin of the site, is not."""
    live.create_agent(EMAIL, "Ada Lovelace", PASSWORD)
    host = live.url.split("://", 1)[1]

    def put(origin: str, proto: str) -> requests.Response:
        return requests.put(f"{live.api}/me", data={"full_name": f"From {origin}"}, auth=(EMAIL, PASSWORD),
                            timeout=10, headers={"Origin": origin, "X-Forwarded-Proto": proto, "Accept": "*/*"})

    assert put(f"https://{host}", "https").status_code == 200
    assert put("https://evil.example", "https").json()["errors"][0]["code"] == "CSRF_FAILED"
    assert put(f"http://{host}", "https").json()["errors"][0]["code"] == "CSRF_FAILED"
    assert Kayako(live.url, EMAIL, PASSWORD).me()["full_name"] == f"From https://{host}"


def test_output_options_drop_empty_fields_and_change_the_case_of_keys(live):
    client = kayako(live)
    me = client.me()
    assert "avatar_url" in me and me["avatar_url"] is None
    lean = client.call("GET", "me", args={"_empty": "false"})
    assert lean is not None and "avatar_url" not in lean["data"] and lean["data"]["full_name"] == "Ada Lovelace"
    flat_header = client.call("GET", "me", headers={"X-Options": "no_empty"})
    assert flat_header is not None and "avatar_url" not in flat_header["data"]
    camel = client.call("GET", "agents", args={"_case": "camel", "limit": 1})
    assert camel is not None and camel["data"][0]["fullName"] == "Ada Lovelace"
    assert camel["totalCount"] == 1 and "nextUrl" in camel and "resourceType" in camel["data"][0]
    pascal = client.call("GET", "me", args={"_case": "pascal"})
    assert pascal is not None and pascal["Data"]["FullName"] == "Ada Lovelace"
    err = fails(client.call, "GET", "me", args={"_case": "kebab"})
    assert (err.code, err.parameter) == ("FIELD_INVALID", "_case")


def test_users_are_the_agents_with_kayakos_user_fields(live):
    client = kayako(live)
    me = client.me()
    assert me["emails"][0]["email"] == EMAIL and me["emails"][0]["is_primary"] is True
    assert me["is_enabled"] is True and "avatar" in me and me["role"]["resource_type"] == "role"
    role = requests.get(me["role"]["resource_url"], headers=client._headers(), timeout=10).json()["data"]
    assert (role["id"], role["type"], role["title"]) == (me["role"]["id"], "AGENT", "Agent")
    users = client.call("GET", "users")
    assert users is not None and [u["id"] for u in users["data"]] == [me["id"]] and users["total_count"] == 1
    one = client.call("GET", f"users/{me['id']}")
    assert one is not None and one["data"]["full_name"] == "Ada Lovelace" and one["resource"] == "user"
    err = fails(client.call, "GET", "users/999999")
    assert (err.status, err.code) == (404, "NOT_FOUND")
