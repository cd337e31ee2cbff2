"""The served OpenAPI document describes every route the server has, and schemathesis, fuzzing every
documented operation against a real server with real credentials, never gets a server error (5xx) nor an
answer the document does not describe."""

from __future__ import annotations

import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Flaky
from hypothesis.internal.reflection import get_pretty_function_description
from kayako_desktop.server import create_app
from kayako_desktop.server.clock import FakeClock
from kayako_desktop.server.openapi import build_openapi
from kayako_desktop.server.views import api
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.jsonschema import strategy as schemathesis_strategies
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from tests.support import Agent, LiveServer, Visitor

MAX_EXAMPLES = 10  # per operation and generation mode: ~2,400 requests in all (explicit examples too), ~95 s
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
# No 5xx; and every answer is one the document lists, with the documented content type and shape.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Hypothesis names a strategy's lambdas by parsing their module's source (once: it keeps the trees). CPython 3.11
# counts an AST's depth in one struct per interpreter, so a parse racing another thread's (a server thread formatting a
# traceback: 3.11 parses the failing line for its ^^^ marks) can fail with "SystemError: AST constructor recursion depth
# mismatch" (gh-106905; reproduced here with a second thread and finalizers). It did, twice, in the middle of a
# negative case, where schemathesis' 1,900-line strategy module is parsed for the first time. Parse it now, while
# collecting, before any server thread runs.
get_pretty_function_description(schemathesis_strategies._TYPE_CHECKS["null"])


def doc_path(flask_path: str) -> str:
    return api.prefix + _PARAM.sub(r"{\1}", flask_path)


# ---- (a) the document covers the route table ---------------------------------------------------------

def test_every_route_is_in_the_served_document(live):
    r = requests.get(live.api + "/openapi.json", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(doc).validate()  # a valid OpenAPI document, not just JSON

    documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    registered = {(route.method, doc_path(route.path)) for route in api.routes}
    assert registered == documented
    # Nothing is served under /api/v1 behind the route table's back (the socket aside).
    served = {(method, _PARAM.sub(r"{\1}", rule.rule)) for rule in live.app.url_map.iter_rules()
              if rule.rule.startswith(api.prefix + "/") and rule.rule != "/api/v1/realtime"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented

    op_ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert len(op_ids) == len(set(op_ids)), "operationIds are unique"
    for route in api.routes:
        op = doc["paths"][doc_path(route.path)][route.method.lower()]
        assert op["summary"] and op["tags"] == [route.tag]
        path_params = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert path_params == set(_PARAM.findall(route.path)), route.path
        assert ("requestBody" in op) == (route.body is not None or route.multipart), route.path
        ok = [code for code in op["responses"] if code.startswith("2")]
        assert ok, route.path
        assert "400" in op["responses"] and "404" in op["responses"]
        if route.auth == "public":
            assert op["security"] == []
        else:
            assert op["security"] and {"401", "403", "454"} <= set(op["responses"]), route.path

    # The realtime socket is not a REST operation; the document points to it.
    assert "/api/v1/realtime" in doc["info"]["description"]
    assert requests.get(live.url + "/", timeout=10).json()["realtime"] == "/api/v1/realtime"
    schemes = {name: {k: v for k, v in scheme.items() if k != "description"}
               for name, scheme in doc["components"]["securitySchemes"].items()}
    assert schemes == {
        "basic": {"type": "http", "scheme": "basic"},
        "sessionId": {"type": "apiKey", "in": "header", "name": "X-Session-ID"},
        "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
        "visitorToken": {"type": "apiKey", "in": "header", "name": "X-Visitor-Token"},
    }
    # An unknown session answers Kayako's 454, not 401: the document says so where it describes the header.
    assert "454" in doc["components"]["securitySchemes"]["sessionId"]["description"]


# ---- (b) schemathesis over the served document ------------------------------------------------------

@dataclass
class Target:
    live: LiveServer
    schema: Any
    agent: Agent
    visitor: Visitor
    spare_sessions: list[dict[str, str]] = field(default_factory=list)

    def headers(self, label: str) -> dict[str, str]:
        if label == "DELETE /api/v1/session":  # logging out must not end the session every other call uses
            if not self.spare_sessions:
                extra = Agent(self.live, "admin@example.com")
                self.spare_sessions.append({"X-Session-ID": extra.session_id, "X-CSRF-Token": extra.csrf})
            return {**self.spare_sessions.pop(), "X-Visitor-Token": self.visitor.token}
        return {"X-Session-ID": self.agent.session_id, "X-CSRF-Token": self.agent.csrf,
                "X-Visitor-Token": self.visitor.token}


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """One real server for the whole run (as the `live` fixture builds it), seeded with a chat, a post, a
    file and a macro so that small generated ids hit real rows."""
    with tempfile.TemporaryDirectory() as data_dir:
        # The fake clock never moves, so per-address limits would never reset: lift them for the fuzzer.
        app = create_app({"CHAT_DATA_DIR": data_dir, "CHAT_TICK_SECONDS": 0,
                          "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000", "CHAT_VISITOR_CREATE_LIMIT": 10**6,
                          "CHAT_OFFLINE_MESSAGE_LIMIT": 10**6}, clock=FakeClock())
        srv = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            live = LiveServer(app, srv)
            live.create_agent("admin@example.com", "Admin", admin=True)
            agent = Agent(live, "admin@example.com")
            visitor = Visitor(live)
            cid = visitor.start_chat("Seeded chat")["id"]
            assert agent.accept(cid).status_code == 200
            assert visitor.say(cid, "seeded message").status_code == 201
            assert agent.post("/cases/macros", {"title": "Hi", "contents": "Hello!"}).status_code == 201
            assert visitor.post("/files", files={"file": ("a.txt", b"hello", "text/plain")}).status_code == 201
            spare = []
            for _ in range(MAX_EXAMPLES * 2 + 4):  # every generated logout gets a session of its own
                extra = Agent(live, "admin@example.com")
                spare.append({"X-Session-ID": extra.session_id, "X-CSRF-Token": extra.csrf})
            schema = schemathesis.openapi.from_url(live.api + "/openapi.json")
            yield Target(live, schema, agent, visitor, spare)
        finally:
            srv.shutdown()
            app.extensions["chat"].close()


def _operations() -> list[Any]:
    """Operation labels from the document the server builds (test (a) checks it is the one it serves)."""
    params = []
    for path, ops in build_openapi(api)["paths"].items():
        for method, op in ops.items():
            label = f"{method.upper()} {path}"
            params.append(pytest.param(label, GenerationMode.POSITIVE, id=f"{label} positive"))
            # Negative cases need something to break: parameters or a body (credentials are ours).
            if op.get("parameters") or op.get("requestBody"):
                params.append(pytest.param(label, GenerationMode.NEGATIVE, id=f"{label} negative"))
    return params


@pytest.mark.parametrize("label, mode", _operations())
def test_schemathesis_finds_no_server_error(target, label, mode):
    method, path = label.split(" ", 1)
    operation = target.schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, phases=[Phase.explicit, Phase.generate], deadline=None,
              derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    def check(case: Any) -> None:
        response = case.call(base_url=target.live.url, headers=target.headers(label), timeout=30)
        case.validate_response(response, checks=CHECKS)

    check()


# ---- (c) the document says what the server does -------------------------------------------------------------

def test_reads_need_the_session_only_and_writes_its_csrf_token_too(live, make_agent):
    doc = build_openapi(api)
    for route in api.routes:
        security = doc["paths"][doc_path(route.path)][route.method.lower()]["security"]
        schemes = {name for alternative in security for name in alternative}
        if route.auth in ("agent", "agent_or_visitor"):
            assert ("csrfToken" in schemes) == (route.method != "GET"), (route.method, route.path, security)
    alice = make_agent("alice", connect=False)
    r = requests.get(live.api + "/agents", headers={"X-Session-ID": alice.session_id}, timeout=10)
    assert r.status_code == 200  # no CSRF header on a read


def test_a_missing_body_is_refused_exactly_where_the_document_requires_one(live, make_agent, open_chat):
    alice, victor, cid = open_chat
    boss = make_agent("boss", admin=True)
    macro = boss.post("/cases/macros", {"title": "Hi", "contents": "Hello!"}).json()["data"]["id"]
    team = boss.post("/teams", {"title": "Sales"}).json()["data"]["id"]
    skill = boss.post("/skills", {"title": "German"}).json()["data"]["id"]
    rule = boss.post("/visitors/rules", {"title": "R", "alert": True, "conditions": [
        {"field": "visits", "op": "at_least", "value": "2"}]}).json()["data"]["id"]
    ids = {"case_id": cid, "conversation_id": cid, "macro_id": macro, "agent_id": alice.id, "visitor_id": victor.id,
           "invitation_id": 1, "post_id": 1, "message_id": 1, "team_id": team, "rule_id": rule,
           "skill_id": skill}
    creds = {"X-Session-ID": boss.session_id, "X-CSRF-Token": boss.csrf, "X-Visitor-Token": victor.token}
    doc = build_openapi(api)
    optional = []
    for route in api.routes:
        if route.body is None:
            continue
        required = doc["paths"][doc_path(route.path)][route.method.lower()]["requestBody"]["required"]
        r = requests.request(route.method, live.url + doc_path(route.path).format(**ids), headers=creds, timeout=30)
        if required:
            assert r.status_code == 400 and r.json()["errors"][0]["code"] == "FIELD_REQUIRED", (route.path, r.text)
        else:
            optional.append(f"{route.method} {route.path}")
            assert r.status_code != 400, (route.path, r.text)
    assert sorted(optional) == ["POST /cases/<int:case_id>/accept", "POST /cases/<int:case_id>/join",
                                "POST /messenger/visitors"]


def test_integer_valued_numbers_are_integers(open_chat):
    alice, victor, cid = open_chat
    last = victor.say(cid, "Hello").json()["data"]["id"]
    for value, status in ((last + 0.5, 400), (str(last), 400), (True, 400), (float(last), 200)):
        r = alice.put(f"/cases/{cid}/seen", {"up_to_post_id": value, "status": "DELIVERED"})
        assert r.status_code == status, (value, r.text)
    assert alice.get("/cases", limit="5.0").status_code == 200  # query strings too
    ack = victor.sock.call("message.send", {"conversation_id": float(cid), "client_id": "f", "contents": "hi"})
    assert ack["post"]["conversation_id"] == cid  # and socket commands


def test_replying_to_an_ended_chat_is_a_documented_409(open_chat):
    alice, victor, cid = open_chat
    doc = build_openapi(api)
    assert "409" in doc["paths"]["/api/v1/cases/{case_id}/reply"]["post"]["responses"]
    assert alice.post(f"/cases/{cid}/end").status_code == 200
    r = alice.reply(cid, "one more thing")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "CONVERSATION_CLOSED"


# ---- (d) stateful: sequences of calls that follow the document's links -------------------------------------------

STATEFUL_CALLS = 2000  # linked calls in all, in scenarios of up to 8: 45-70 s


@pytest.mark.seconds(60)
def test_stateful_sequences_find_no_server_error_nor_undocumented_answer(target):
    """Chains of calls along the document's links (a chat started, then accepted, answered, ended, rated...).
    The server's state moves on between scenarios, so Hypothesis may find a rule it remembers as enabled
    is not (Flaky): as schemathesis' own runner does, that only starts a new round."""
    schema = schemathesis.openapi.from_url(target.live.api + "/openapi.json")
    calls: list[str] = []
    failures: list[tuple[str, int, str, str]] = []

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            calls.append(case.operation.label)
            return {"base_url": target.live.url, "headers": target.headers(case.operation.label), "timeout": 30}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:
                failures.append((case.operation.label, response.status_code, response.text[:300], str(exc)[:800]))
                raise

    for round_no in range(40):  # each round starts its scenarios from the operations in another order
        if len(calls) >= STATEFUL_CALLS or failures:
            break
        Machine.rule_order_seed = round_no
        try:
            Machine.run(settings=settings(max_examples=12, stateful_step_count=8, deadline=None, derandomize=True,
                                          database=None, phases=[Phase.generate],
                                          suppress_health_check=list(HealthCheck)))
        except Flaky:
            continue
        except Exception:
            if not failures:
                raise
    assert failures == []
    reached = {label.split(" ", 1)[1].split("/")[3] for label in calls}
    assert {"cases", "conversations", "messenger", "visitors"} <= reached, Counter(calls)
