"""Rate limits for anonymous traffic (new visitors, offline messages): sliding-window counts per key, in
memory. One server process holds every socket and request (DESIGN: one gunicorn worker), so this is
the whole picture; a restart forgets the counts, which only ever errs on the side of the visitor."""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.errors import ApiError

if TYPE_CHECKING:
    from kayako_desktop.server.clock import Clock

_PRUNE_AT = 10_000  # keys; past this, keys with no hit inside their window are dropped


class RateLimiter:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, tuple[float, deque[float]]] = {}  # key → (window, hit times)

    def hit(self, key: str, limit: int, window: float, what: str) -> None:
        """Count one event for `key`, or raise RATE_LIMIT_REACHED (429 + Retry-After) when `limit` events
        happened in the last `window` seconds. A refused attempt is not counted."""
        now = self.clock.now()
        with self._lock:
            _, hits = self._hits.setdefault(key, (window, deque()))
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                wait = max(1, math.ceil(hits[0] + window - now))
                raise ApiError(ErrorCode.RATE_LIMIT_REACHED, f"Too many {what} from your address; try again in "
                               f"{wait} seconds", headers={"Retry-After": str(wait)})
            hits.append(now)
            if len(self._hits) > _PRUNE_AT:
                self._prune(now)

    def _prune(self, now: float) -> None:
        for key in [k for k, (w, h) in self._hits.items() if not h or h[-1] <= now - w]:
            del self._hits[key]
