"""After COMMIT, events travel on an event bus to every node's sockets.

The event log is the outbox: an event is written with its `seq` in the transaction that makes the change
(db.Tx.emit). After commit the writer publishes it:

- `LocalBus` (one server process; the default): straight to this process's hub, under the write lock, so
  live order is commit order is `seq` order.
- `RedisBus` (several nodes; `CHAT_REDIS_URL`): to Redis pub/sub *and* into this node's `Sequencer`; every
  node's subscriber feeds its own Sequencer with what the others published. The Sequencer hands events to
  the hub strictly in `seq` order, once each: it holds an event that arrives early, and when a gap does not
  fill within GAP_WAIT (a message lost by pub/sub: Redis restarted, a slow consumer cut off) it reads the
  missing events from the log. A periodic look at the log's head catches a loss with nothing after it.

Ephemeral events (typing, no `seq`) go out at once and are never replayed, as on one node.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kayako_desktop.server.db import Pending
    from kayako_desktop.server.realtime.hub import Deliverable, Hub

log = logging.getLogger(__name__)

CHANNEL = "kayako-desktop:events"
GAP_WAIT = 0.25  # seconds an out-of-order event waits for the ones before it before the log is read
HOLE_WAIT = 5.0  # seconds after which a seq still missing from the log is taken as never committed
HEAD_CHECK = 1.0  # seconds between looks at the log's head (a lost event with nothing after it)
PUBLISH_BATCH = 64  # committed transactions sent to Redis in one round trip, at most

# (after, upto) -> the logged events with after < seq <= upto, in seq order, recipients resolved
LogReader = Callable[[int, int], list["Pending"]]


class EventBus(Protocol):
    def publish(self, items: Sequence[Pending]) -> None:
        """Called by the writer right after COMMIT, under the write lock, in commit order (revoked sessions
        are among the items: see db.Tx.revoke_session)."""

    def attach(self, conn: Deliverable, head: Callable[[], int]) -> tuple[int, int]:
        """Register a socket with the hub; returns (its principal's socket count on this node, the seq
        through which live delivery has happened). Every event after that seq reaches the socket live."""

    def start(self) -> None: ...

    def close(self) -> None: ...


class LocalBus:
    """One process: publish is delivery."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def publish(self, items: Sequence[Pending]) -> None:
        for item in items:
            self.hub.dispatch(item)

    def attach(self, conn: Deliverable, head: Callable[[], int]) -> tuple[int, int]:
        # The caller holds the write lock: nothing commits (nor is delivered) between these two.
        return self.hub.register(conn), head()

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass


class Sequencer:
    """Hands events to the hub in `seq` order, each once, filling gaps from the log."""

    def __init__(self, hub: Hub, read_log: LogReader, head: Callable[[], int], start_after: int) -> None:
        self.hub = hub
        self.read_log = read_log
        self.head = head
        self.delivered = start_after  # every event with seq <= this has been handed to the hub (or skipped)
        self._held: dict[int, Pending] = {}
        self._gap_since: float | None = None
        self._lock = threading.RLock()
        self._behind = False  # the log's head was found behind `delivered` (said once)
        self.filled_from_log = 0  # events the log supplied because pub/sub did not (for tests and metrics)
        self.skipped = 0

    def offer(self, item: Pending) -> None:
        with self._lock:
            if item.seq is None:
                self.hub.dispatch(item)
                return
            if item.seq <= self.delivered or item.seq in self._held:
                return  # a duplicate (our own event coming back, or read from the log meanwhile)
            self._held[item.seq] = item
            self._drain()

    def _drain(self) -> None:
        while self.delivered + 1 in self._held:
            self.delivered += 1
            self.hub.dispatch(self._held.pop(self.delivered))
        self._gap_since = (self._gap_since or time.monotonic()) if self._held else None

    def attach(self, conn: Deliverable) -> tuple[int, int]:
        with self._lock:
            return self.hub.register(conn), self.delivered

    def check(self, force_head: bool = False) -> None:
        """Fill a gap that has waited GAP_WAIT from the log; with `force_head`, also whatever the log holds
        past what was delivered (events whose messages were lost with nothing after them)."""
        with self._lock:
            now = time.monotonic()
            waited = self._gap_since is not None and now - self._gap_since >= GAP_WAIT
            if not waited and not force_head:
                return
            upto = max(self._held) if self._held and not force_head else None  # every gap at once
        if upto is None:
            upto = self.head()
            if upto < self.delivered and not self._behind:
                self._behind = True  # once: every head check would say it again
                log.error("event bus: the event log ends at seq %d but this node already delivered %d: the "
                          "database lost committed transactions (a crash with synchronous_commit off, or a "
                          "failover to an asynchronous replica). Events numbered up to %d again are taken as "
                          "duplicates until the log passes it; restart the nodes to start over from the log.",
                          upto, self.delivered, self.delivered)
        if upto <= self.delivered:
            return
        found = self.read_log(self.delivered, upto)
        with self._lock:
            for item in found:
                if item.seq is not None and item.seq > self.delivered and item.seq not in self._held:
                    self._held[item.seq] = item
                    self.filled_from_log += 1
            self._drain()
            if self._gap_since is not None and now - self._gap_since >= HOLE_WAIT and self._held:
                # Still missing after HOLE_WAIT and not in the log: a seq no transaction committed (PostgreSQL
                # sequences skip numbers on rollback). Move past it rather than hold everything behind it.
                first = min(self._held)
                self.skipped += first - 1 - self.delivered
                log.warning("event bus: seq %d..%d never arrived and are not in the log; skipped",
                            self.delivered + 1, first - 1)
                self.delivered = first - 1
                self._gap_since = None
                self._drain()


def _encode(node: str, items: Sequence[Pending]) -> str:
    return json.dumps({"node": node, "events": [{"type": i.type, "data": i.data, "seq": i.seq, "ts": i.ts,
                                   "recipients": [list(r) for r in i.recipients]} for i in items]},
                      separators=(",", ":"))


class RedisBus:
    """Several nodes: Redis pub/sub between them, a Sequencer in each."""

    def __init__(self, hub: Hub, url: str, read_log: LogReader, head: Callable[[], int],
                 node: str) -> None:
        import redis

        self.hub = hub
        self.node = node
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.sequencer = Sequencer(hub, read_log, head, start_after=head())
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._publish_failing = False
        self._outbox: queue.Queue[list[Pending] | None] = queue.Queue()

    def publish(self, items: Sequence[Pending]) -> None:
        for item in items:
            self.sequencer.offer(item)
        if items:
            # Sent by the publisher thread, in this order: the write lock is not held over a Redis round trip.
            self._outbox.put(list(items))

    def _publisher(self) -> None:
        """Sends what was committed, in commit order, several transactions to a round trip under load."""
        while True:
            batch = [self._outbox.get()]
            while len(batch) < PUBLISH_BATCH:
                try:
                    batch.append(self._outbox.get_nowait())
                except queue.Empty:
                    break
            if any(entry is None for entry in batch):
                return  # close()
            try:
                pipe = self._redis.pipeline(transaction=False)
                for items in batch:
                    pipe.publish(CHANNEL, _encode(self.node, items))  # type: ignore[arg-type]
                pipe.execute()
                if self._publish_failing:
                    self._publish_failing = False
                    log.warning("event bus: publishing to Redis works again")
            except Exception as exc:  # the others read what they missed from the log
                if not self._publish_failing:  # once per outage, not per event
                    self._publish_failing = True
                    log.error("event bus: publish to Redis failed (%s); other nodes read the log until it is back",
                              exc)

    def attach(self, conn: Deliverable, head: Callable[[], int]) -> tuple[int, int]:
        return self.sequencer.attach(conn)

    def start(self) -> None:
        for target, name in ((self._listen, "bus-listen"), (self._watch, "bus-watch"), (self._publisher, "bus-publish")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _listen(self) -> None:
        lost = False
        while not self._stop.is_set():
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            try:
                pubsub.subscribe(CHANNEL)
                if lost:
                    log.warning("event bus: subscribed to Redis again")
                lost = False
                self.sequencer.check(force_head=True)  # whatever was published while we were not listening
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._receive(message["data"])
            except Exception as exc:
                if not self._stop.is_set():
                    if not lost:
                        log.error("event bus: Redis subscription lost (%s); retrying every second, reading the "
                                  "log meanwhile", exc)
                    lost = True
                    self._stop.wait(1.0)
            finally:
                try:
                    pubsub.close()
                except Exception:
                    pass

    def _receive(self, raw: bytes | str) -> None:
        from kayako_desktop.server.db import Pending

        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("event bus: ignored a malformed message")
            return
        if message.get("node") == self.node:
            return  # ours: already offered at publish
        for event in message.get("events", ()):
            recipients = [(str(k), int(i)) for k, i in event["recipients"]]
            self.sequencer.offer(Pending(event["type"], event["data"], event["seq"], event["ts"], recipients))

    def _watch(self) -> None:
        last_head_check = time.monotonic()
        while not self._stop.wait(0.05):
            try:
                now = time.monotonic()
                force = now - last_head_check >= HEAD_CHECK
                if force:
                    last_head_check = now
                self.sequencer.check(force_head=force)
            except Exception:
                log.exception("event bus: reading the log for missed events failed")

    def close(self) -> None:
        self._stop.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(timeout=3)
        self._redis.close()
