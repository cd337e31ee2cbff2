"""The served OpenAPI document describes every route the server has, and schemathesis, fuzzing every
documented operation against a real server with real credentials, never gets a server error (5xx) nor an
answer the document does not describe."""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from app.server import create_app
from app.server.clock import FakeClock
from app.server.openapi import build_openapi
from app.server.views import api
from tests.support import Agent, LiveServer, Visitor

MAX_EXAMPLES = 10  # per operation and generation mode: under 1,000 requests in all, ~15 s
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
# No 5xx; and every answer is one the document lists, with the documented content type and shape.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


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
    assert doc["components"]["securitySchemes"] == {
        "basic": {"type": "http", "scheme": "basic"},
        "sessionId": {"type": "apiKey", "in": "header", "name": "X-Session-ID"},
        "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
        "visitorToken": {"type": "apiKey", "in": "header", "name": "X-Visitor-Token"},
    }


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
            return {**self.spare_sessions.pop(), "X-Visitor-Token": self.visitor.token}
        return {"X-Session-ID": self.agent.session_id, "X-CSRF-Token": self.agent.csrf,
                "X-Visitor-Token": self.visitor.token}


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """One real server for the whole run (as the `live` fixture builds it), seeded with a chat, a post, a
    file and a macro so that small generated ids hit real rows."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"CHAT_DATA_DIR": data_dir, "CHAT_TICK_SECONDS": 0,
                          "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000"}, clock=FakeClock())
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
