"""The bad input table: every refusal a client can provoke, over REST and over the realtime socket, answers
the documented status and Kayako error code (`{"status": N, "errors": [{"code", "message", "parameter"}]}`
or an `error` frame with `ref`), and leaves everything stored exactly as it was."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import websocket
from kayako_desktop.protocol import MAX_FRAME_BYTES

from tests.support import Agent, LiveServer, Socket, Visitor

UPLOAD_LIMIT = 1024 * 1024
HUGE = 2**64  # past SQLite's signed 64-bit integers


@pytest.fixture
def server_config() -> dict[str, Any]:
    return {"CHAT_MAX_UPLOAD_BYTES": UPLOAD_LIMIT}


# ---- what "nothing was stored or changed" means -----------------------------------------------------

def stored(live: LiveServer) -> dict[str, Any]:
    """Every row of every table, and every file on disk. Failed logins are recorded on purpose, so the
    login_attempts table is left out (test_login_throttle observes it through the API instead)."""
    postgres = live.svc.db.dialect == "postgresql"
    listing = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'" if postgres else
               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "AND name NOT LIKE 'search_fts_%'")
    with live.svc.db.read() as db:
        tables = [r[0] for r in db.execute(listing) if r[0] != "login_attempts"]
        state: dict[str, Any] = {t: sorted((tuple(r) for r in db.execute(f"SELECT * FROM {t}")), key=repr)
                                 for t in tables}
    state["files on disk"] = sorted(str(p) for p in live.svc.files_dir.rglob("*") if p.is_file())
    return state


@dataclass
class World:
    """Alice (agent, connected) is chatting with Victor (visitor, connected); Victor said one thing."""

    live: LiveServer
    alice: Agent
    victor: Visitor
    cid: int
    post: dict[str, Any]

    def observed(self) -> tuple[Any, ...]:
        """What the clients see of the chat over REST: it must not change after a refused request."""
        case = self.alice.get(f"/cases/{self.cid}").json()["data"]
        staff_view = self.alice.get(f"/cases/{self.cid}/posts").json()["data"]
        visitor_view = self.victor.get(f"/conversations/{self.cid}/messages").json()["data"]
        me = self.alice.get("/me").json()["data"]
        return (case["status"], case["updated_at"], staff_view, visitor_view, me["status"])


@pytest.fixture
def world(live, make_agent, make_visitor) -> World:
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Order 1234 never arrived")["id"]
    alice.sock.wait("offer.created")
    assert alice.accept(cid).status_code == 200
    r = victor.say(cid, "Hello, anyone there?", client_id="first")
    assert r.status_code == 201
    alice.sock.wait("message.created", lambda d: d["post"]["client_id"] == "first")
    return World(live, alice, victor, cid, r.json()["data"])


def assert_error(r: requests.Response, status: int, code: str, parameter: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"status", "errors"} and body["status"] == status, body
    [err] = body["errors"]
    assert err["code"] == code, body
    assert isinstance(err["message"], str) and err["message"].strip(), body
    assert err.get("parameter") == parameter, body
    return err


# ---- REST ------------------------------------------------------------------------------------------

_NO_BODY = object()


@dataclass
class Call:
    who: str  # "alice" (session + CSRF), "victor" (visitor token) or "nobody"
    method: str
    path: str  # "{cid}" is the open chat
    body: Any = _NO_BODY  # sent as JSON
    raw: str | bytes | None = None  # sent verbatim as application/json
    drop: tuple[str, ...] = ()  # credential headers to leave out
    headers: dict[str, str] | None = None  # headers to add or override
    auth: tuple[str, str] | None = None
    root: bool = False  # path is from the server root, not /api/v1

    def send(self, w: World) -> requests.Response:
        creds = {"alice": {"X-Session-ID": w.alice.session_id, "X-CSRF-Token": w.alice.csrf},
                 "victor": {"X-Visitor-Token": w.victor.token}, "nobody": {}}[self.who]
        headers = {k: v for k, v in creds.items() if k not in self.drop} | (self.headers or {})
        kw: dict[str, Any] = {}
        if self.raw is not None:
            kw["data"] = self.raw
            headers["Content-Type"] = "application/json"
        elif self.body is not _NO_BODY:
            kw["json"] = self.body
        base = w.live.url if self.root else w.live.api
        return requests.request(self.method, base + self.path.format(cid=w.cid), headers=headers, auth=self.auth,
                                timeout=10, **kw)


def row(id_: str, call: Call, status: int, code: str, parameter: str | None = None,
        expect_headers: dict[str, Callable[[str], bool]] | None = None) -> Any:
    return pytest.param(call, status, code, parameter, expect_headers or {}, id=id_)


def reply(body: Any = _NO_BODY, **kw: Any) -> Call:
    return Call("alice", "POST", "/cases/{cid}/reply", body, **kw)


def say(body: Any = _NO_BODY, **kw: Any) -> Call:
    return Call("victor", "POST", "/conversations/{cid}/messages", body, **kw)


OK_REPLY = {"client_id": "r-1", "contents": "We are on it"}
OK_SAY = {"client_id": "s-1", "contents": "Thanks"}

REST_ROWS = [
    # The body is not JSON, or not a JSON object.
    row("malformed-json-agent", reply(raw='{"client_id": "r-1", "contents": "hi"'), 400, "INVALID_JSON"),
    row("malformed-json-visitor", say(raw="{client_id: 's-1', contents: 'hi'}"), 400, "INVALID_JSON"),
    row("not-utf8-body", say(raw=b'{"client_id": "s-1", "contents": "\xff\xfe"}'), 400, "INVALID_JSON"),
    row("json-array-body", reply(raw=json.dumps([OK_REPLY])), 400, "INVALID_JSON"),
    row("json-string-body", say(raw='"hello"'), 400, "INVALID_JSON"),
    row("json-number-body", say(raw="42"), 400, "INVALID_JSON"),
    row("json-null-body", reply(raw="null"), 400, "INVALID_JSON"),
    # Nesting deep enough to exhaust the parser's recursion is refused before parsing, even anonymously.
    row("deep-json-anonymous", Call("nobody", "POST", "/messenger/visitors", raw="[" * 1000 + "]" * 1000), 400,
        "INVALID_JSON"),
    row("deep-json-in-a-field", Call("nobody", "POST", "/messenger/visitors",
                                     raw='{"name": ' + "[" * 5000 + "]" * 5000 + "}"), 400, "INVALID_JSON"),
    row("deep-json-just-past-the-limit", reply(raw='{"client_id": "r-1", "contents": ' + "[" * 33 + "]" * 33 + "}"),
        400, "INVALID_JSON"),
    row("deep-json-unclosed", say(raw="[" * 100_000), 400, "INVALID_JSON"),
    # Fields nobody asked for are refused, not ignored.
    row("unknown-field-agent", reply({**OK_REPLY, "colour": "red"}), 400, "FIELD_UNEXPECTED", "colour"),
    row("unknown-field-visitor-impersonation", say({**OK_SAY, "author_id": 1}), 400, "FIELD_UNEXPECTED",
        "author_id"),
    row("unknown-field-status", Call("alice", "PUT", "/me/status", {"status": "AWAY", "role": "ADMIN"}), 400,
        "FIELD_UNEXPECTED", "role"),
    row("unknown-field-chat-start", Call("victor", "POST", "/conversations",
                                         {"name": "V", "subject": "Hi", "priority": "URGENT"}),
        400, "FIELD_UNEXPECTED", "priority"),
    # Wrong types (strict: no coercion of strings to ints, ints to strings, bools to ints).
    row("kind-is-a-number", reply({**OK_REPLY, "kind": 5}), 400, "FIELD_INVALID", "kind"),
    row("kind-unknown", reply({**OK_REPLY, "kind": "SHOUT"}), 400, "FIELD_INVALID", "kind"),
    row("kind-system", reply({**OK_REPLY, "kind": "SYSTEM"}), 400, "FIELD_INVALID", "kind"),
    row("visibility-unknown", reply({**OK_REPLY, "visibility": "SECRET"}), 400, "FIELD_INVALID", "visibility"),
    row("client-id-is-a-number-agent", reply({"client_id": 123, "contents": "hi"}), 400, "FIELD_INVALID",
        "client_id"),
    row("client-id-is-a-number-visitor", say({"client_id": 123, "contents": "hi"}), 400, "FIELD_INVALID",
        "client_id"),
    row("contents-is-a-list", say({"client_id": "s-1", "contents": ["hi"]}), 400, "FIELD_INVALID", "contents"),
    row("int-sent-as-string", Call("alice", "PUT", "/cases/{cid}/seen", {"up_to_post_id": "1", "status": "SEEN"}),
        400, "FIELD_INVALID", "up_to_post_id"),
    row("int-sent-as-bool", Call("alice", "PUT", "/cases/{cid}/seen",
                                 {"up_to_post_id": True, "status": "SEEN"}), 400, "FIELD_INVALID", "up_to_post_id"),
    row("status-sent-as-bool", Call("victor", "PUT", "/conversations/{cid}/messages/1", {"message_status": True}),
        400, "FIELD_INVALID", "message_status"),
    row("chat-source-unknown", Call("victor", "POST", "/conversations", {"name": "V", "subject": "Hi",
                                                                          "source": "FAX"}),
        400, "FIELD_INVALID", "source"),
    row("agent-id-as-string", Call("alice", "POST", "/cases/{cid}/transfer", {"agent_id": "2"}), 400,
        "FIELD_INVALID", "agent_id"),
    row("int-past-64-bits", Call("alice", "PUT", "/cases/{cid}/seen", {"up_to_post_id": HUGE, "status": "SEEN"}),
        400, "FIELD_INVALID", "up_to_post_id"),
    row("text-too-long", say({"client_id": "s-1", "contents": "x" * 10_001}), 400, "FIELD_INVALID", "contents"),
    row("query-int-not-a-number", Call("alice", "GET", "/cases?limit=ten"), 400, "FIELD_INVALID", "limit"),
    row("query-int-out-of-range", Call("alice", "GET", "/cases?limit=0"), 400, "FIELD_INVALID", "limit"),
    row("query-enum-unknown", Call("alice", "GET", "/cases?status=LOST"), 400, "FIELD_INVALID", "status"),
    row("query-unknown-parameter", Call("alice", "GET", "/cases?sort=oldest"), 400, "FIELD_UNEXPECTED", "sort"),
    # Missing required fields.
    row("missing-client-id", say({"contents": "hi"}), 400, "FIELD_REQUIRED", "client_id"),  # agents: optional
    row("missing-contents-visitor", say({"client_id": "s-1"}), 400, "FIELD_REQUIRED", "contents"),
    row("missing-subject", Call("victor", "POST", "/conversations", {"name": "Victor"}), 400,
        "FIELD_REQUIRED", "subject"),
    row("missing-status", Call("alice", "PUT", "/cases/{cid}/seen", {"up_to_post_id": 1}), 400, "FIELD_REQUIRED",
        "status"),
    row("empty-body", reply(raw=""), 400, "FIELD_REQUIRED", None),
    # An empty text message is a missing one, whoever sends it and however blank it is.
    row("empty-text-agent", reply({"client_id": "r-1", "contents": ""}), 400, "FIELD_REQUIRED", "contents"),
    row("blank-text-agent", reply({"client_id": "r-1", "contents": " \n\t "}), 400, "FIELD_REQUIRED", "contents"),
    row("empty-text-visitor", say({"client_id": "s-1", "contents": ""}), 400, "FIELD_REQUIRED", "contents"),
    row("blank-text-visitor", say({"client_id": "s-1", "contents": "   "}), 400, "FIELD_REQUIRED", "contents"),
    row("empty-code", reply({"client_id": "r-1", "kind": "CODE", "contents": ""}), 400, "FIELD_REQUIRED",
        "contents"),
    # Links: http, https and mailto only; online images http(s) only.
    row("javascript-url", reply({"client_id": "r-1", "kind": "URL", "url": "javascript:alert(1)"}), 400,
        "FIELD_INVALID", "url"),
    row("javascript-url-mixed-case", reply({"client_id": "r-1", "kind": "URL", "url": " JaVaScRiPt:alert(1)"}),
        400, "FIELD_INVALID", "url"),
    row("javascript-url-in-contents", reply({"client_id": "r-1", "kind": "URL", "contents": "javascript:alert(1)"}),
        400, "FIELD_INVALID", "url"),
    row("data-url", reply({"client_id": "r-1", "kind": "URL", "url": "data:text/html,<script>alert(1)</script>"}),
        400, "FIELD_INVALID", "url"),
    row("javascript-image-url", reply({"client_id": "r-1", "kind": "IMAGE", "url": "javascript:alert(1)"}), 400,
        "FIELD_INVALID", "url"),
    row("mailto-image-url", reply({"client_id": "r-1", "kind": "IMAGE", "url": "mailto:a@example.com"}), 400,
        "FIELD_INVALID", "url"),
    # CSRF on agent writes.
    row("missing-csrf", reply(OK_REPLY, drop=("X-CSRF-Token",)), 403, "CSRF_FAILED"),
    row("wrong-csrf", reply(OK_REPLY, headers={"X-CSRF-Token": "not-the-token"}), 403, "CSRF_FAILED"),
    row("empty-csrf", reply(OK_REPLY, headers={"X-CSRF-Token": ""}), 403, "CSRF_FAILED"),
    row("missing-csrf-status", Call("alice", "PUT", "/me/status", {"status": "AWAY"}, drop=("X-CSRF-Token",)),
        403, "CSRF_FAILED"),
    row("missing-csrf-logout", Call("alice", "DELETE", "/session", drop=("X-CSRF-Token",)), 403, "CSRF_FAILED"),
    # Sessions.
    row("unknown-session", Call("alice", "GET", "/me", headers={"X-Session-ID": "no-such-session"}), 454,
        "SESSION_NOT_FOUND"),
    row("unknown-session-write", reply(OK_REPLY, headers={"X-Session-ID": "no-such-session"}), 454,
        "SESSION_NOT_FOUND"),
    row("no-session", Call("nobody", "GET", "/cases"), 401, "AUTHENTICATION_REQUIRED"),
    row("no-session-write", reply(OK_REPLY, drop=("X-Session-ID", "X-CSRF-Token")), 401,
        "AUTHENTICATION_REQUIRED"),
    row("csrf-without-session", reply(OK_REPLY, drop=("X-Session-ID",)), 401, "AUTHENTICATION_REQUIRED"),
    row("visitor-token-on-agent-route", Call("victor", "GET", "/cases"), 401, "AUTHENTICATION_REQUIRED"),
    # Logging in.
    row("bad-basic-password", Call("nobody", "GET", "/session", auth=("alice@example.com", "wrong-horse")), 401,
        "AUTHENTICATION_FAILED"),
    row("bad-basic-unknown-email", Call("nobody", "GET", "/session", auth=("nobody@example.com", "correct-horse")),
        401, "AUTHENTICATION_FAILED"),
    row("no-basic", Call("nobody", "GET", "/session"), 401, "AUTHENTICATION_REQUIRED",
        expect_headers={"WWW-Authenticate": lambda v: v.startswith("Basic")}),
    row("bearer-not-basic", Call("nobody", "GET", "/session", headers={"Authorization": "Bearer abc"}), 401,
        "AUTHENTICATION_REQUIRED"),
    # Visitor tokens.
    row("unknown-visitor-token", say(OK_SAY, headers={"X-Visitor-Token": "forged-token"}), 401,
        "AUTHENTICATION_FAILED"),
    row("unknown-visitor-token-read", Call("victor", "GET", "/conversations", headers={"X-Visitor-Token": "x"}),
        401, "AUTHENTICATION_FAILED"),
    row("no-visitor-token", say(OK_SAY, drop=("X-Visitor-Token",)), 401, "AUTHENTICATION_REQUIRED"),
    row("agent-session-on-visitor-route", Call("alice", "POST", "/conversations/{cid}/messages", OK_SAY), 401,
        "AUTHENTICATION_REQUIRED"),
    # Routes and methods.
    row("unknown-route", Call("alice", "GET", "/no-such-thing"), 404, "NOT_FOUND"),
    row("unknown-route-outside-api", Call("nobody", "GET", "/wp-login.php", root=True), 404, "NOT_FOUND"),
    row("unknown-case", Call("alice", "POST", "/cases/999999/reply", OK_REPLY), 404, "NOT_FOUND"),
    row("case-id-past-64-bits", Call("alice", "GET", f"/cases/{HUGE}"), 404, "NOT_FOUND", "case_id"),
    row("case-id-past-64-bits-write", Call("alice", "POST", f"/cases/{HUGE}/reply", OK_REPLY), 404, "NOT_FOUND",
        "case_id"),
    row("wrong-method", Call("alice", "DELETE", "/me"), 405, "METHOD_NOT_ALLOWED",
        expect_headers={"Allow": lambda v: "GET" in v}),
    row("wrong-method-on-reply", Call("alice", "PATCH", "/cases/{cid}/reply", OK_REPLY), 405, "METHOD_NOT_ALLOWED",
        expect_headers={"Allow": lambda v: "POST" in v}),
]


@pytest.mark.parametrize("call, status, code, parameter, expect_headers", REST_ROWS)
def test_rest_refuses_bad_input_and_changes_nothing(world, call, status, code, parameter, expect_headers):
    before, seen_before = stored(world.live), world.observed()
    r = call.send(world)
    assert_error(r, status, code, parameter)
    for name, ok in expect_headers.items():
        assert ok(r.headers.get(name, "")), (name, r.headers)
    assert stored(world.live) == before
    assert world.observed() == seen_before
    assert seen_before[2][0]["id"] == world.post["id"] and seen_before[2][0]["contents"] == world.post["content_text"]


def test_rest_retry_with_the_same_client_id_returns_the_original(world):
    first = world.victor.say(world.cid, "Is it shipped?", client_id="retry-1")
    assert first.status_code == 201
    before = stored(world.live)
    again = world.victor.say(world.cid, "Is it shipped? (edited)", client_id="retry-1")
    assert again.status_code == 200 and again.json()["data"] == first.json()["data"]
    assert stored(world.live) == before


# ---- uploads ---------------------------------------------------------------------------------------

def _upload(w: World, who: str, data: bytes, field: str = "file") -> requests.Response:
    http = w.alice.http if who == "alice" else w.victor.http
    return http.post(w.live.api + "/files", files={field: ("report.pdf", data, "application/pdf")}, timeout=30)


@pytest.mark.parametrize("who", ["alice", "victor"])
@pytest.mark.parametrize("size", [UPLOAD_LIMIT + 1, UPLOAD_LIMIT * 3 // 2, UPLOAD_LIMIT * 3],
                         ids=["one-byte-over", "1.5-MB", "3-MB-past-the-request-limit"])
def test_oversize_upload_is_refused_and_nothing_is_kept(world, who, size):
    before = stored(world.live)
    r = _upload(world, who, b"\x00" * size)
    err = assert_error(r, 413, "FILE_TOO_LARGE", "file")
    assert "1 MB" in err["message"]
    assert stored(world.live) == before


@pytest.mark.parametrize("who", ["alice", "victor"])
def test_upload_at_the_limit_is_accepted(world, who):
    r = _upload(world, who, b"%PDF" + b"\x00" * (UPLOAD_LIMIT - 4))
    assert r.status_code == 201, r.text
    assert r.json()["data"]["size"] == UPLOAD_LIMIT


@pytest.mark.parametrize("data, field, code", [
    pytest.param(b"hello", "attachment", "FIELD_REQUIRED", id="wrong-field-name"),
    pytest.param(b"", "file", "FIELD_INVALID", id="empty-file"),
])
def test_upload_without_a_usable_file_is_refused(world, data, field, code):
    before = stored(world.live)
    assert_error(_upload(world, "victor", data, field), 400, code, "file")
    assert stored(world.live) == before


# ---- realtime socket -------------------------------------------------------------------------------

def _open(w: World, who: str) -> Socket:
    sock = Socket(w.live.ws_url)
    hello = {"session_id": w.alice.session_id} if who == "alice" else {"visitor_token": w.victor.token}
    sock.call("hello", hello)
    return sock


def _frame(type_: str, data: Any = None, id_: str | None = "bad-1", **extra: Any) -> str:
    """A command frame laid out as clients write it: v, type, id first, then data."""
    env: dict[str, Any] = {"v": 1, "type": type_}
    if id_ is not None:
        env["id"] = id_
    return json.dumps({**env, "data": data or {}, **extra})


def send_msg(**data: Any) -> Callable[[World], str]:
    return lambda w: _frame("message.send", {"conversation_id": w.cid, **data})


def frame_row(id_: str, who: str, frame: Callable[[World], str | bytes] | str | bytes, code: str,
              ref: str | None = "bad-1", parameter: str | None = None) -> Any:
    return pytest.param(who, frame, code, ref, parameter, id=id_)


BIG = "x" * (MAX_FRAME_BYTES + 1)

SOCKET_ROWS = [
    frame_row("malformed-json", "victor", '{"v": 1, "type": "ping", "id": "bad-1"', "INVALID_JSON", None),
    frame_row("not-an-object", "victor", '["ping"]', "INVALID_JSON", None),
    frame_row("not-utf8-binary", "victor", b'{"v": 1, "type": "ping", "id": "\xff"}', "INVALID_JSON", None),
    frame_row("deeply-nested", "victor", '{"v": 1, "type": "message.send", "id": "bad-1", "data": {"contents": '
              + "[" * 990 + "]" * 990 + "}}", "INVALID_JSON"),
    frame_row("deeply-nested-hello-again", "alice", '{"v": 1, "type": "hello", "id": "bad-1", "data": '
              + '{"a": ' * 40 + "1" + "}" * 41, "INVALID_JSON"),
    frame_row("unknown-command", "victor", _frame("message.explode"), "UNKNOWN_COMMAND"),
    frame_row("unknown-command-agent", "alice", _frame("case.delete_everything", id_="c-77"), "UNKNOWN_COMMAND",
              "c-77"),
    frame_row("unknown-envelope-field", "victor", _frame("ping", extra="x"), "FIELD_UNEXPECTED", "bad-1", "extra"),
    frame_row("unknown-data-field", "victor", send_msg(client_id="m-1", contents="hi", colour="red"),
              "FIELD_UNEXPECTED", "bad-1", "colour"),
    frame_row("conversation-id-as-string", "victor", lambda w: _frame(
        "message.send", {"conversation_id": str(w.cid), "client_id": "m-1", "contents": "hi"}),
        "FIELD_INVALID", "bad-1", "conversation_id"),
    frame_row("client-id-is-a-number", "victor", send_msg(client_id=123, contents="hi"), "FIELD_INVALID", "bad-1",
              "client_id"),
    frame_row("kind-is-a-number", "alice", send_msg(client_id="m-1", contents="hi", kind=5), "FIELD_INVALID",
              "bad-1", "kind"),
    frame_row("data-not-an-object", "victor", json.dumps({"v": 1, "type": "ping", "id": "bad-1", "data": "hi"}),
              "FIELD_INVALID", "bad-1", "data"),
    frame_row("id-is-a-number", "victor", json.dumps({"v": 1, "type": "ping", "id": 7}), "FIELD_INVALID", None,
              "id"),
    frame_row("wrong-protocol-version", "victor", _frame("ping", v=2), "FIELD_INVALID", "bad-1", "v"),
    frame_row("conversation-id-past-64-bits", "victor", _frame(
        "message.send", {"conversation_id": HUGE, "client_id": "m-1", "contents": "hi"}),
        "FIELD_INVALID", "bad-1", "conversation_id"),
    frame_row("missing-id", "victor", _frame("ping", id_=None), "FIELD_REQUIRED", None, "id"),
    frame_row("missing-type", "victor", json.dumps({"v": 1, "id": "bad-1", "data": {}}), "FIELD_REQUIRED",
              "bad-1", "type"),
    frame_row("missing-client-id", "victor", send_msg(contents="hi"), "FIELD_REQUIRED", "bad-1", "client_id"),
    frame_row("missing-conversation-id", "victor", _frame("message.send", {"client_id": "m-1", "contents": "hi"}),
              "FIELD_REQUIRED", "bad-1", "conversation_id"),
    frame_row("empty-text-visitor", "victor", send_msg(client_id="m-1", contents=""), "FIELD_REQUIRED", "bad-1",
              "contents"),
    frame_row("blank-text-agent", "alice", send_msg(client_id="m-1", contents="  \n "), "FIELD_REQUIRED", "bad-1",
              "contents"),
    frame_row("javascript-url", "alice", send_msg(client_id="m-1", kind="URL", url="javascript:alert(1)"),
              "FIELD_INVALID", "bad-1", "url"),
    frame_row("visitor-sends-code", "victor", send_msg(client_id="m-1", kind="CODE", contents="rm -rf /"),
              "PERMISSION_DENIED", "bad-1", "kind"),
    frame_row("visitor-sends-staff-note", "victor", send_msg(client_id="m-1", contents="hi", visibility="STAFF"),
              "PERMISSION_DENIED", "bad-1", "kind"),
    frame_row("unknown-conversation", "victor", _frame(
        "message.send", {"conversation_id": 999999, "client_id": "m-1", "contents": "hi"}), "NOT_FOUND"),
    frame_row("oversize-frame", "victor", send_msg(client_id="m-1", contents=BIG), "FRAME_TOO_LARGE"),
    frame_row("oversize-frame-agent", "alice", send_msg(client_id="m-1", kind="CODE", contents=BIG),
              "FRAME_TOO_LARGE"),
    frame_row("hello-again", "victor", lambda w: _frame("hello", {"visitor_token": w.victor.token}),
              "INVALID_STATE"),
]


@pytest.mark.parametrize("who, frame, code, ref, parameter", SOCKET_ROWS)
def test_socket_refuses_bad_frames_and_changes_nothing(world, who, frame, code, ref, parameter):
    sock = _open(world, who)
    try:
        before, seen_before = stored(world.live), world.observed()
        raw = frame(world) if callable(frame) else frame
        if isinstance(raw, bytes):
            sock.ws.send_binary(raw)
        else:
            sock.send_raw(raw)
        err = sock.wait("error")
        assert err["ref"] == ref, err
        assert err["data"]["code"] == code, err
        assert isinstance(err["data"]["message"], str) and err["data"]["message"].strip()
        assert err["data"].get("parameter") == parameter, err
        assert stored(world.live) == before
        assert world.observed() == seen_before
        # One bad frame costs nothing more: the socket still answers.
        assert sock.call("ping") == {}
        assert not sock.closed.is_set()
    finally:
        sock.close()


FIRST_FRAMES = [
    pytest.param(lambda w: _frame("message.send", {"conversation_id": w.cid, "client_id": "m-1", "contents": "hi"}),
                 "AUTHENTICATION_REQUIRED", "bad-1", id="command-before-hello"),
    pytest.param(lambda w: _frame("ping"), "AUTHENTICATION_REQUIRED", "bad-1", id="ping-before-hello"),
    pytest.param(lambda w: '{"type": "hello"', "INVALID_JSON", None, id="malformed-hello"),
    pytest.param(lambda w: _frame("hello", {}), "AUTHENTICATION_REQUIRED", "bad-1", id="hello-without-credentials"),
    pytest.param(lambda w: _frame("hello", {"session_id": "no-such-session"}), "SESSION_NOT_FOUND", "bad-1",
                 id="hello-unknown-session"),
    pytest.param(lambda w: _frame("hello", {"visitor_token": "forged"}), "AUTHENTICATION_FAILED", "bad-1",
                 id="hello-unknown-visitor-token"),
    pytest.param(lambda w: _frame("hello", {"visitor_token": w.victor.token, "role": "agent"}), "FIELD_UNEXPECTED",
                 "bad-1", id="hello-unknown-field"),
]


@pytest.mark.parametrize("frame, code, ref", FIRST_FRAMES)
def test_socket_without_a_good_hello_gets_an_error_and_is_closed(world, frame, code, ref):
    before = stored(world.live)
    sock = Socket(world.live.ws_url)
    try:
        sock.send_raw(frame(world))
        err = sock.wait("error")
        assert err["ref"] == ref and err["data"]["code"] == code, err
        assert sock.closed.wait(5), "the server closes a socket that did not authenticate"
        assert [f["type"] for f in sock.drain(0.1)] == []
        assert stored(world.live) == before
    finally:
        sock.close()


def _close_code(ws: websocket.WebSocket) -> tuple[list[dict[str, Any]], int]:
    """Frames received until the server's close frame, and the close code in it."""
    frames = []
    while True:
        opcode, frame = ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return frames, struct.unpack("!H", frame.data[:2])[0]
        if opcode == websocket.ABNF.OPCODE_TEXT:
            frames.append(json.loads(frame.data))


def test_five_bad_frames_in_a_row_close_the_socket_with_1008(world):
    ws = websocket.create_connection(world.live.ws_url, timeout=10)
    try:
        ws.send(_frame("hello", {"visitor_token": world.victor.token}, id_="h"))
        assert json.loads(ws.recv())["type"] == "ack"
        before = stored(world.live)
        bad = ["{nope", _frame("explode", id_="b2"), send_msg(client_id=1)(world), '"hi"', _frame("ping", v=9)]
        for raw in bad:
            ws.send(raw)
        frames, code = _close_code(ws)
        assert [f["type"] for f in frames] == ["error"] * 5
        assert frames[1]["ref"] == "b2" and frames[1]["data"]["code"] == "UNKNOWN_COMMAND"
        assert code == 1008
        assert stored(world.live) == before
    finally:
        ws.close()


def test_a_good_frame_resets_the_bad_frame_count(world):
    sock = _open(world, "victor")
    try:
        for _ in range(2):
            for i in range(4):
                sock.send_raw(f"not json {i}")
            sock.call("ping")
        assert len(sock.events("error")) == 8
        assert not sock.closed.is_set() and sock.call("ping") == {}
    finally:
        sock.close()


def test_socket_retry_with_the_same_client_id_is_idempotent(world):
    sock = _open(world, "victor")
    try:
        cmd = {"conversation_id": world.cid, "client_id": "retry-7", "contents": "Order 1234, any news?"}
        first = sock.call("message.send", cmd)
        assert first["created"] is True
        before = stored(world.live)
        again = sock.call("message.send", {**cmd, "contents": "a different text"})
        assert again["created"] is False and again["post"] == first["post"]
        # The same client_id over REST is the same message too.
        r = world.victor.say(world.cid, "yet another text", client_id="retry-7")
        over_rest = r.json()["data"]
        assert r.status_code == 200 and over_rest.pop("resource_type") == "case_message"
        assert over_rest == first["post"]  # REST adds Kayako's resource fields; the post is the same
        assert stored(world.live) == before
        world.alice.sock.wait("message.created", lambda d: d["post"]["client_id"] == "retry-7")
        world.alice.sock.drain(0.3)
        copies = [f for f in world.alice.sock.events("message.created") if f["data"]["post"]["client_id"] == "retry-7"]
        assert len(copies) == 1, "a retry publishes nothing new"
        visible = world.victor.get(f"/conversations/{world.cid}/messages").json()["data"]
        assert [p["content_text"] for p in visible if p["client_id"] == "retry-7"] == ["Order 1234, any news?"]
    finally:
        sock.close()
