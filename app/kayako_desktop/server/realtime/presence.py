"""Who is connected: counts of live sockets per agent and visitor, across every node.

Routing (which agents are online), a visitor's online state, invitations and the Visitors list read it.

- `LocalPresence` (one process): this process's hub is the whole truth.
- `RedisPresence` (`CHAT_REDIS_URL`): each node keeps its counts in its own Redis hash
  (`kayako-desktop:conns:<node>`, field "agent:7" -> sockets) and renews the hash's time-to-live every
  TTL/3 seconds. A node only ever writes what its hub holds (never increments), under one lock, so a beat
  and a socket joining at the same moment cannot leave a stale count behind. A node that dies (even `kill -9`) stops renewing: its hash expires within TTL and its
  sockets stop counting everywhere. Readers add up the hashes of the nodes listed in a set. If Redis cannot
  be reached, a node counts only its own sockets (and says so in the log) until it can again.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kayako_desktop.server.realtime.hub import Deliverable, Hub

log = logging.getLogger(__name__)

NODES = "kayako-desktop:nodes"
CONNS = "kayako-desktop:conns:"

# Forget a node only if its hash is gone, checked and removed in one step: a node adding its first socket
# (hash + membership in one MULTI) between a separate check and remove would otherwise vanish for a beat.
_FORGET = """
if redis.call('exists', KEYS[2]) == 0 then return redis.call('srem', KEYS[1], ARGV[1]) end
return 0
"""


class Presence(Protocol):
    def count(self, role: str, principal_id: int) -> int:
        """Live sockets of this principal on every node."""

    def online_agent_ids(self) -> set[int]: ...

    def joined(self, conn: Deliverable, local_count: int) -> int:
        """A socket the hub has just registered; returns its principal's sockets on every node."""

    def unregister(self, conn: Deliverable) -> int:
        """Remove a socket from the hub; returns its principal's sockets still open on every node."""

    def start(self) -> None: ...

    def close(self) -> None: ...


class LocalPresence:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def count(self, role: str, principal_id: int) -> int:
        return self.hub.count(role, principal_id)

    def online_agent_ids(self) -> set[int]:
        return self.hub.online_agent_ids()

    def joined(self, conn: Deliverable, local_count: int) -> int:
        return local_count

    def unregister(self, conn: Deliverable) -> int:
        return self.hub.unregister(conn)

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass


class RedisPresence:
    def __init__(self, hub: Hub, url: str, node: str, ttl: float) -> None:
        import redis

        self.hub = hub
        self.node = node
        self.ttl = max(3, int(ttl))
        self.key = CONNS + node
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, decode_responses=True)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._degraded = False
        self._write = threading.Lock()  # the hub is read and its counts written as one step
        self._forget = self._redis.register_script(_FORGET)

    # ---- writes: this node's hash ---------------------------------------------------------------
    def _change(self, conn: Deliverable) -> None:
        """Write this principal's socket count on this node, as the hub has it now."""
        field = f"{conn.role}:{conn.principal_id}"
        try:
            with self._write:
                here = self.hub.count(conn.role, conn.principal_id)
                pipe = self._redis.pipeline()  # MULTI … EXEC
                if here > 0:
                    pipe.hset(self.key, field, here)
                else:  # a field at 0 would linger: the hash holds live sockets only
                    pipe.hdel(self.key, field)
                pipe.expire(self.key, self.ttl)
                pipe.sadd(NODES, self.node)
                pipe.execute()
            self._ok()
        except Exception as exc:
            self._failed(exc)

    def _renew(self) -> None:
        """Rewrite this node's hash from the hub (the truth for its own sockets) and renew its TTL."""
        with self._write:
            counts = self.hub.counts()
            pipe = self._redis.pipeline()
            pipe.delete(self.key)
            if counts:
                pipe.hset(self.key, mapping={f"{role}:{pid}": n for (role, pid), n in counts.items()})
                pipe.expire(self.key, self.ttl)
            pipe.sadd(NODES, self.node)
            pipe.execute()
        for node in self._members():
            if node != self.node:  # gone (or idle: it adds itself back with its next socket or beat)
                self._forget(keys=[NODES, CONNS + node], args=[node])

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                self._renew()
                self._ok()
            except Exception as exc:
                self._failed(exc)

    def _ok(self) -> None:
        if self._degraded:
            self._degraded = False
            log.warning("presence: Redis is back; counting every node's sockets again")

    def _failed(self, exc: Exception) -> None:
        if not self._degraded:
            self._degraded = True
            log.error("presence: Redis unreachable (%s); counting only this node's sockets", exc)

    # ---- reads: every node ----------------------------------------------------------------------
    def _members(self) -> list[str]:
        members: Any = self._redis.smembers(NODES)  # redis-py types sync and async answers as one union
        return sorted(str(m) for m in members)

    def _hashes(self, field: str | None) -> list[object] | None:
        try:
            nodes = self._members()
            pipe = self._redis.pipeline()
            for node in nodes:
                if field is None:
                    pipe.hgetall(CONNS + node)
                else:
                    pipe.hget(CONNS + node, field)
            values: list[object] = pipe.execute()
            self._ok()
            return values
        except Exception as exc:
            self._failed(exc)
            return None

    def count(self, role: str, principal_id: int) -> int:
        values = self._hashes(f"{role}:{principal_id}")
        if values is None:
            return self.hub.count(role, principal_id)
        return sum(max(0, int(v)) for v in values if v is not None)  # type: ignore[call-overload]

    def online_agent_ids(self) -> set[int]:
        values = self._hashes(None)
        if values is None:
            return self.hub.online_agent_ids()
        online: set[int] = set()
        for mapping in values:
            for key, n in dict(mapping).items():  # type: ignore[call-overload]
                role, _, pid = str(key).partition(":")
                if role == "agent" and int(n) > 0:
                    online.add(int(pid))
        return online

    def joined(self, conn: Deliverable, local_count: int) -> int:
        self._change(conn)
        return self.count(conn.role, conn.principal_id)

    def unregister(self, conn: Deliverable) -> int:
        self.hub.unregister(conn)
        self._change(conn)
        return self.count(conn.role, conn.principal_id)

    def start(self) -> None:
        try:
            self._renew()
        except Exception as exc:
            self._failed(exc)
        self._thread = threading.Thread(target=self._beat, name="presence-beat", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        try:  # a clean stop takes our sockets out at once rather than after the TTL
            self._redis.delete(self.key)
            self._redis.srem(NODES, self.node)
        except Exception:
            pass
        self._redis.close()
