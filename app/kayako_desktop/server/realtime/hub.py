"""Live sockets by principal, and fan-out of committed events (each frame encoded once)."""

from __future__ import annotations

import threading
from typing import Any, Protocol

from kayako_desktop.protocol.envelope import encode
from kayako_desktop.server.realtime.audience import SESSION_REVOKED, VISITOR_BLOCKED, session_hash


class Deliverable(Protocol):
    role: str
    principal_id: int
    session_id: str | None

    def deliver(self, seq: int | None, frame: str) -> None: ...

    def revoke(self) -> None: ...

    def block(self) -> None: ...


class Hub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, int], set[Deliverable]] = {}
        self._agents: set[Deliverable] = set()

    def register(self, conn: Deliverable) -> int:
        """Add a socket; returns how many sockets its principal now has."""
        key = (conn.role, conn.principal_id)
        with self._lock:
            conns = self._by_key.setdefault(key, set())
            conns.add(conn)
            if conn.role == "agent":
                self._agents.add(conn)
            return len(conns)

    def unregister(self, conn: Deliverable) -> int:
        """Remove a socket; returns how many sockets its principal still has."""
        key = (conn.role, conn.principal_id)
        with self._lock:
            conns = self._by_key.get(key, set())
            conns.discard(conn)
            self._agents.discard(conn)
            if not conns:
                self._by_key.pop(key, None)
            return len(conns)

    def count(self, role: str, principal_id: int) -> int:
        with self._lock:
            return len(self._by_key.get((role, principal_id), ()))

    def counts(self) -> dict[tuple[str, int], int]:
        """Sockets per (role, principal) on this node."""
        with self._lock:
            return {key: len(conns) for key, conns in self._by_key.items() if conns}

    def online_agent_ids(self) -> set[int]:
        with self._lock:
            return {c.principal_id for c in self._agents}

    def connection_count(self) -> int:
        with self._lock:
            return sum(len(v) for v in self._by_key.values())

    def session_ids(self) -> set[str]:
        """The agent sessions with a socket on this node (they are in use, whatever REST says)."""
        with self._lock:
            return {c.session_id for c in self._agents if c.session_id}

    def revoke_session(self, digest: str) -> int:
        """Close every socket of a revoked agent session, by the session's hash (after COMMIT)."""
        with self._lock:
            targets = [c for c in self._agents if c.session_id and session_hash(c.session_id) == digest]
        for conn in targets:
            conn.revoke()
        return len(targets)

    def dispatch(self, item: Any) -> None:
        """Deliver one committed event to its resolved recipients (called under the write lock)."""
        if item.type == SESSION_REVOKED:
            self.revoke_session(str(item.data["session"]))
            return
        if item.type == VISITOR_BLOCKED:
            with self._lock:
                blocked = list(self._by_key.get(("visitor", int(item.data["visitor"])), ()))
            for conn in blocked:
                conn.block()
            return
        with self._lock:
            targets: set[Deliverable] = set()
            for kind, pid in item.recipients:
                if kind == "agents":
                    targets.update(self._agents)
                else:
                    targets.update(self._by_key.get((kind, pid), ()))
        if not targets:
            return  # no socket of this node is in the audience: nothing to encode (most events, on N nodes)
        frame = encode(item.type, item.data, id=f"e{item.seq}" if item.seq else None, seq=item.seq, ts=item.ts)
        for conn in targets:
            conn.deliver(item.seq, frame)
