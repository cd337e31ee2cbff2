"""The Sequencer every cluster node runs between the event bus and its sockets (realtime/bus.py): events
reach sockets in `seq` order and once, whatever order pub/sub brings them in; a gap the bus never fills is
read from the event log; a seq no transaction committed does not hold everything behind it for ever."""

from __future__ import annotations

import time

from kayako_desktop.server.db import Pending
from kayako_desktop.server.realtime import bus
from kayako_desktop.server.realtime.hub import Hub


class Screen:
    """A socket that records what it was handed."""

    role, principal_id, session_id = "agent", 7, "s"

    def __init__(self) -> None:
        self.seqs: list[int | None] = []

    def deliver(self, seq: int | None, frame: str) -> None:
        self.seqs.append(seq)

    def revoke(self) -> None:
        pass


def event(seq: int | None) -> Pending:
    return Pending("agent.status_changed", {"n": seq}, seq, 0, [("agent", 7)])


def setup(log: dict[int, Pending] | None = None, start: int = 10) -> tuple[bus.Sequencer, Screen, list[tuple[int, int]]]:
    hub, screen, reads = Hub(), Screen(), []
    log = log or {}

    def read_log(after: int, upto: int) -> list[Pending]:
        reads.append((after, upto))
        return [log[s] for s in sorted(log) if after < s <= upto]

    seq = bus.Sequencer(hub, read_log, lambda: max(log, default=start), start_after=start)
    assert seq.attach(screen) == (1, start)  # type: ignore[arg-type]
    return seq, screen, reads


def test_out_of_order_arrivals_are_delivered_in_seq_order_once() -> None:
    seq, screen, reads = setup()
    for s in (13, 11, 11, 12, 10, 14, 13, None):
        seq.offer(event(s))
    assert [s for s in screen.seqs if s is not None] == [11, 12, 13, 14]
    assert screen.seqs.count(None) == 1 and reads == []  # ephemeral events go out at once; no log read needed


def test_a_gap_that_does_not_fill_is_read_from_the_log() -> None:
    log = {s: event(s) for s in range(11, 16)}
    seq, screen, reads = setup(log)
    seq.offer(event(13))
    seq.offer(event(15))
    seq.check()
    assert screen.seqs == [] and reads == []  # too early: pub/sub may still bring 11 and 12
    time.sleep(bus.GAP_WAIT + 0.05)
    seq.check()
    assert screen.seqs == [11, 12, 13, 14, 15] and seq.filled_from_log == 3


def test_a_lost_event_with_nothing_after_it_is_found_at_the_head_check() -> None:
    log = {11: event(11)}
    seq, screen, _ = setup(log)
    seq.check(force_head=True)
    assert screen.seqs == [11]


def test_a_seq_never_committed_is_skipped_after_the_hole_wait(monkeypatch) -> None:
    monkeypatch.setattr(bus, "HOLE_WAIT", 0.8)
    log = {12: event(12)}  # 11 was rolled back (a PostgreSQL sequence skips it)
    seq, screen, _ = setup(log)
    seq.offer(event(12))
    time.sleep(bus.GAP_WAIT + 0.05)
    seq.check()
    assert screen.seqs == []  # still waiting: 11 may be committing right now
    time.sleep(0.6)
    seq.check()
    assert screen.seqs == [12] and seq.skipped == 1
    seq.offer(event(11))  # arrives after all: too late, and never delivered out of order
    assert screen.seqs == [12]
