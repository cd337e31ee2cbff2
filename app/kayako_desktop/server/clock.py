"""Time source for the server: real in production, a FakeClock in routing tests (no sleeps)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import overload


class Clock:
    def now(self) -> float:
        return time.time()


class FakeClock(Clock):
    """A clock that only moves when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0):
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@overload
def iso(ts: float) -> str: ...
@overload
def iso(ts: None) -> None: ...
def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> float:
    """ISO 8601 date or datetime → UNIX seconds (naive values are taken as UTC)."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()
