"""Monkeypatches used by the variants. They reach into app internals, so they may need updating as app/ changes."""

from __future__ import annotations

import collections
import gc
import json
import sqlite3
import sys
import time
from contextlib import contextmanager
from typing import Any


def checkpoint_in_thread(period: float = 0.2) -> None:
    """Run WAL checkpoints in a real OS thread instead of inside the writer's COMMIT.

    SQLite's auto-checkpoint (every ~1000 WAL pages) copies pages and fsyncs inside whichever COMMIT crosses
    the threshold; under gevent that blocks every socket in the worker for milliseconds (much longer when
    the disk is busy). Here the writer never checkpoints and a native thread runs PASSIVE checkpoints.
    """
    import kayako_desktop.server.db as dbmod
    from gevent import monkey

    start_thread = monkey.get_original("_thread", "start_new_thread")
    real_sleep = monkey.get_original("time", "sleep")
    original_init = dbmod.Database.__init__

    def init(self: Any, path: str, hub: Any, clock: Any) -> None:
        original_init(self, path, hub, clock)
        self._writer.execute("PRAGMA wal_autocheckpoint=0")

        def loop() -> None:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            while True:
                real_sleep(period)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass

        start_thread(loop, ())

    dbmod.Database.__init__ = init


def probe(out_path: str, skip_seconds: float = 4.0) -> None:
    """Measure inside the worker, during the message load only: gevent loop lag (a 0.5 ms sleeper's
    overshoot), write-transaction durations, GC pauses by generation; plus, once, the number of GC-tracked
    objects and the time of one full collection. Written to out_path as JSON every 2 s."""
    import gevent
    import kayako_desktop.server.db as dbmod
    import kayako_desktop.server.realtime.commands as cmds

    lags: list[tuple[float, float]] = []
    writes: list[tuple[float, float]] = []
    gcs: list[tuple[float, float, int]] = []
    window: list[float | None] = [None, None]
    info: dict[str, Any] = {}
    original_write = dbmod.Database.write
    original_send = cmds.HANDLERS[cmds.Command.MESSAGE_SEND]

    @contextmanager
    def write(self: Any) -> Any:
        t = time.perf_counter()
        with original_write(self) as tx:
            yield tx
        writes.append((t, time.perf_counter() - t))

    def send(svc: Any, principal: Any, cmd: Any) -> Any:
        now = time.perf_counter()
        window[0] = window[0] or now
        window[1] = now
        return original_send(svc, principal, cmd)

    dbmod.Database.write = write
    cmds.HANDLERS[cmds.Command.MESSAGE_SEND] = send
    gc_started = [0.0]

    def on_gc(phase: str, gc_info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gcs.append((gc_started[0], time.perf_counter() - gc_started[0], gc_info["generation"]))

    gc.callbacks.append(on_gc)

    def sleeper() -> None:
        while True:
            t = time.perf_counter()
            gevent.sleep(0.0005)
            lags.append((t, time.perf_counter() - t - 0.0005))

    def stats(values: list[float]) -> dict[str, Any]:
        v = sorted(values)
        if not v:
            return {"n": 0}
        return {"n": len(v), "p50_ms": round(v[len(v) // 2] * 1000, 3),
                "p99_ms": round(v[int(len(v) * 0.99)] * 1000, 3), "max_ms": round(v[-1] * 1000, 3),
                "over_2ms": sum(x > 0.002 for x in v), "total_ms": round(sum(v) * 1000)}

    def dump() -> None:
        while True:
            gevent.sleep(2)
            if window[0] is None or window[1] is None:
                continue
            a, b = window[0] + skip_seconds, window[1]
            if "tracked_objects" not in info and time.perf_counter() > a:
                objects = gc.get_objects()
                info["tracked_objects"] = len(objects)
                info["top_types"] = collections.Counter(type(o).__name__ for o in objects).most_common(12)
                del objects
                t = time.perf_counter()
                gc.collect()
                info["one_full_gc_ms"] = round((time.perf_counter() - t) * 1000, 1)
                t = time.perf_counter()  # the manual collection is not one of the load's pauses
                gcs.append((t, 0.0, -1))

            def inside(rows: list[Any], a: float = a, b: float = b) -> list[Any]:
                return [r for r in rows if a <= r[0] <= b]

            in_gc = inside(gcs)
            out = {"window_s": round(b - a, 1), **info, "loop_lag": stats([x[1] for x in inside(lags)]),
                   "write_tx": stats([x[1] for x in inside(writes)]),
                   "gc_pauses": {str(g): stats([x[1] for x in in_gc if x[2] == g]) for g in (0, 1, 2)}}
            with open(out_path, "w", encoding="utf-8") as f:
                json.dump(out, f, indent=1)

    gevent.spawn(sleeper)
    gevent.spawn(dump)
    print(f"probe writing to {out_path}", file=sys.stderr)
