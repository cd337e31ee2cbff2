"""Sessions nobody uses for CHAT_SESSION_IDLE_SECONDS end at the next tick, like a logout: a script that sends
Basic credentials with every request (as Kayako allows) leaves one session per request, and those must not
pile up; a session in use (by REST, or only by a socket: a connected session is never idle) stays."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support import Agent

IDLE = 3600


@pytest.fixture
def server_config() -> dict[str, Any]:
    return {"CHAT_SESSION_IDLE_SECONDS": IDLE}


def sessions(live) -> int:
    with live.svc.db.read() as db:
        return int(db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])


def test_sessions_left_idle_end_and_sessions_in_use_stay(live):
    live.create_agent("script@example.com", "Report script")
    live.create_agent("bob@example.com", "Bob")
    opened = []
    for _ in range(5):  # a report script polling with Basic each time
        r = requests.get(f"{live.api}/me.json", auth=("script@example.com", "correct-horse"), timeout=10)
        assert r.status_code == 200
        opened.append(r.json()["session_id"])
    bob = Agent(live, "bob@example.com")
    desk = Agent(live, "bob@example.com")  # Bob's other session: only its socket is used, never REST
    desk.connect()
    assert sessions(live) == 7
    for _ in range(4):  # Bob keeps working; the script's sessions are never used again
        live.advance(IDLE / 3)
        assert bob.get("/me").status_code == 200
    assert sessions(live) == 2
    assert desk.get("/me").status_code == 200 and desk.sock is not None and not desk.sock.closed.is_set()
    for sid in opened:
        r = requests.get(f"{live.api}/me", headers={"X-Session-ID": sid}, timeout=10)
        assert r.status_code == 454
    assert bob.get("/me").status_code == 200


def test_the_sessions_of_open_sockets_are_marked_in_use_once_a_minute_not_every_tick(live):
    """Every tick runs the idle check; the UPDATE marking connected sessions runs once a minute."""
    live.create_agent("bob@example.com", "Bob")
    Agent(live, "bob@example.com").connect()
    statements: list[str] = []
    live.svc.db.tracer = statements.append
    try:
        for _ in range(120):  # two minutes of one-second ticks
            live.advance(1)
    finally:
        live.svc.db.tracer = None
    touches = [s for s in statements if s.startswith("UPDATE sessions SET last_active_at")]
    assert 2 <= len(touches) <= 3, len(touches)
