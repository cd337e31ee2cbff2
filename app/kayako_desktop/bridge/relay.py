"""The bridge's one event stream to the UI: every frame gets a bridge seq and is kept in a ring buffer,
so a reloaded or reconnected UI resumes from its last seq (or is told to resync)."""

from __future__ import annotations

import itertools
import json
import queue
import threading
from collections import deque
from typing import Any

from kayako_desktop.protocol.names import BridgeEvent

BUFFER = 10_000


class Relay:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self.head = 0
        self._buffer: deque[tuple[int, str]] = deque(maxlen=BUFFER)
        self._clients: set[queue.Queue[str | None]] = set()

    def publish(self, instance: str | None, type_: str, data: Any) -> None:
        with self._lock:
            seq = next(self._seq)
            self.head = seq
            frame = json.dumps({"seq": seq, "instance": instance, "type": type_, "data": data},
                               separators=(",", ":"), ensure_ascii=False)
            self._buffer.append((seq, frame))
            for client in self._clients:
                client.put(frame)

    def subscribe(self, last: int | None) -> tuple[queue.Queue[str | None], list[str]]:
        """A queue of live frames plus the frames after `last` (or a resync frame if they are gone)."""
        q: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._clients.add(q)
            ready = json.dumps({"type": BridgeEvent.READY, "seq": self.head})
            if last is None or last >= self.head:
                return q, [ready]
            oldest = self._buffer[0][0] if self._buffer else self.head + 1
            if last + 1 < oldest:
                return q, [ready, json.dumps({"type": BridgeEvent.RESYNC, "seq": self.head})]
            return q, [ready, *[frame for seq, frame in self._buffer if seq > last]]

    def unsubscribe(self, q: queue.Queue[str | None]) -> None:
        with self._lock:
            self._clients.discard(q)
        q.put(None)
