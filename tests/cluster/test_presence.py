"""Presence over a real Redis, at the moments that race: a node's beat while a socket joins on it, and another
node forgetting idle nodes while a socket joins there. Whoever returns from `joined` must be counted by every
node at once — a chat arriving that instant is routed by what presence says (a CI run lost an offer to this).

Two `RedisPresence` objects stand for two nodes (each with its own real hub); the beat is called in a loop
instead of every TTL/3 seconds so the races come thousands of times, not once a day."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from kayako_desktop.server.realtime.hub import Hub
from kayako_desktop.server.realtime.presence import RedisPresence

from tests.cluster.conftest import RedisServer

ROUNDS = 400


@dataclass(eq=False)
class Conn:
    role: str
    principal_id: int
    session_id: str | None = None
    frames: list[str] = field(default_factory=list)

    def deliver(self, seq: int | None, frame: str) -> None:
        self.frames.append(frame)

    def revoke(self) -> None:
        pass


@pytest.fixture
def nodes(redis_server: RedisServer) -> Iterator[tuple[RedisPresence, RedisPresence]]:
    redis_server.flush()
    one = RedisPresence(Hub(), redis_server.url, "one", ttl=30)
    two = RedisPresence(Hub(), redis_server.url, "two", ttl=30)
    yield one, two
    one.close()
    two.close()


def beating(presence: RedisPresence, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            presence._renew()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def join(presence: RedisPresence, conn: Conn) -> int:
    presence.hub.register(conn)
    return presence.joined(conn, presence.hub.count(conn.role, conn.principal_id))


def test_an_agent_who_joined_on_an_idle_node_is_online_everywhere_while_other_nodes_beat(
        nodes: tuple[RedisPresence, RedisPresence]) -> None:
    one, two = nodes
    stop = threading.Event()
    thread = beating(one, stop)  # node one keeps forgetting nodes whose hash is gone: two, between sockets
    missed = 0
    try:
        for _ in range(ROUNDS):
            alice = Conn("agent", 7)
            join(two, alice)
            if 7 not in one.online_agent_ids():
                missed += 1
            two.unregister(alice)
            assert 7 not in one.online_agent_ids()
    finally:
        stop.set()
        thread.join(5)
    assert missed == 0, f"node one missed an agent connected on node two {missed} times in {ROUNDS}"


def test_a_nodes_own_beat_never_writes_over_a_socket_that_joined_meanwhile(
        nodes: tuple[RedisPresence, RedisPresence]) -> None:
    one, two = nodes
    stop = threading.Event()
    thread = beating(two, stop)  # node two rewrites its hash from its hub while sockets come and go on it
    wrong: list[tuple[int, int]] = []
    try:
        for _ in range(ROUNDS):
            tab = Conn("visitor", 3)
            counted = join(two, tab)
            seen = one.count("visitor", 3)
            if (counted, seen) != (1, 1):
                wrong.append((counted, seen))
            two.unregister(tab)
            assert one.count("visitor", 3) == 0
    finally:
        stop.set()
        thread.join(5)
    assert wrong == [], f"counts (on joining, read from node one) other than (1, 1): {wrong[:10]}"
