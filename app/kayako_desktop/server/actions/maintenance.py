"""The timer's work: ring timeouts, auto-transfer of unanswered chats, visitor presence, offering waiting chats
nobody is ringing for, pruning the event log past its retention, ending idle sessions, and Chat History's
index taking the newest posts (SQLite indexes them in batches: search_index.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.actions.agents import do_end_idle_sessions
from kayako_desktop.server.actions.conversations import do_release_abandoned
from kayako_desktop.server.actions.visitors import do_expire_visitors
from kayako_desktop.server.db import set_meta
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.routing.engine import do_auto_transfer, do_dispatch, do_expire_offers
from kayako_desktop.server.search_index import CATCH_UP_BATCH, active

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader, Tx
    from kayako_desktop.server.services import Services


def tick(svc: Services) -> None:
    with svc.db.write() as tx:
        do_expire_offers(svc, tx)
        do_release_abandoned(svc, tx)  # first: an owner who is gone hands on; nobody rings "from" them after
        do_auto_transfer(svc, tx)
        do_expire_visitors(svc, tx)
        # Every change that can free an agent dispatches at once; this catches what no change announced on
        # this node (an agent's socket counted on another node a moment after a chat arrived here).
        do_dispatch(svc, tx)
        prune_events(svc, tx)
        do_end_idle_sessions(svc, tx)
    with svc.db.write() as tx:  # its own transaction: an index in trouble never holds up the timers above
        index_new_posts(tx, batches=TICK_INDEX_BATCHES)


# At most this many batches of posts per tick (2,500 posts a second): a search catches up on anything more.
TICK_INDEX_BATCHES = 5


def index_new_posts(tx: Tx, batches: int | None = None) -> None:
    """Chat History's index takes the posts written since its last batch (all of them when `batches` is None)."""
    index, done = active(tx), 0
    while index.catch_up(tx) == CATCH_UP_BATCH:
        done += 1
        if batches is not None and done >= batches:
            return


def index_before_search(svc: Services) -> None:
    """A search finds every message written before it: index what the last batch has not taken yet. On a full
    disk the search still runs, over what is indexed (nothing indexed is lost: the next batch takes the rest)."""
    with svc.db.read() as db:
        if not active(db).behind(db):
            return
    try:
        with svc.db.write() as tx:
            index_new_posts(tx)
    except ApiError as exc:
        if exc.code != ErrorCode.STORAGE_FULL:
            raise


def prune_events(svc: Services, tx: Tx) -> None:
    """Drop events older than the retention; remember the highest pruned seq so a client resuming from
    before it is told `resync_required` instead of silently missing events."""
    cutoff_ms = int((tx.now - float(svc.config["CHAT_EVENT_RETENTION_SECONDS"])) * 1000)
    oldest = tx.one("SELECT ts FROM events ORDER BY seq LIMIT 1")
    if oldest is None or oldest["ts"] >= cutoff_ms:
        return
    # seq and ts grow together, so a bounded scan from the oldest end finds the cut (≤ 50k rows a tick).
    through = tx.value("SELECT MAX(seq) FROM (SELECT seq, ts FROM events ORDER BY seq LIMIT 50000) AS oldest WHERE ts < ?",
                       (cutoff_ms,))
    if through is None:
        return
    tx.execute("DELETE FROM events WHERE seq <= ?", (through,))
    set_meta(tx, "pruned_through", str(through))


def pruned_through(db: Reader) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'pruned_through'").fetchone()
    return int(row[0]) if row else 0
