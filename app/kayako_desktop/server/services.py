"""The server's long-lived parts, created once by create_app and shared by views, actions and sockets."""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.clock import Clock
from kayako_desktop.server.db import Database, Pending
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.geoip import GeoIP
from kayako_desktop.server.limits import RateLimiter
from kayako_desktop.server.mail import SmtpSettings, parse_smtp_url
from kayako_desktop.server.realtime.bus import EventBus, LocalBus, RedisBus
from kayako_desktop.server.realtime.hub import Hub
from kayako_desktop.server.realtime.presence import LocalPresence, Presence, RedisPresence
from kayako_desktop.server.storage import StorageError, check_writable

if TYPE_CHECKING:
    from flask import Flask

    from kayako_desktop.server.pg import PostgresDatabase

log = logging.getLogger(__name__)


def services_of(app: Flask) -> Services:
    """The services create_app put on the app (typed: Flask keeps its extensions untyped)."""
    svc: Services = app.extensions["chat"]
    return svc


class Services:
    def __init__(self, config: dict[str, Any], clock: Clock):
        self.config = config
        self.clock = clock
        self.started_at = clock.now()  # timers that judge absence wait this long after a start (agents reconnect)
        self.data_dir = Path(config["CHAT_DATA_DIR"]).resolve()
        self.files_dir = Path(config.get("CHAT_FILES_DIR") or self.data_dir / "files").resolve()
        for folder in (self.data_dir, self.files_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"The data directory {folder} cannot be created ({exc.strerror}): choose "
                                   "another --data-dir / CHAT_DATA_DIR (CHAT_FILES_DIR for uploads), or give the "
                                   "server's user access.") from exc
            check_writable(folder)
        self.hub = Hub()
        self.db: Database | PostgresDatabase
        if config.get("CHAT_DATABASE_URL"):  # a team server: chats in PostgreSQL, shared by every node
            from kayako_desktop.server.pg import PostgresDatabase  # psycopg: only a team server loads it

            self.db = PostgresDatabase(str(config["CHAT_DATABASE_URL"]), self.hub, clock,
                                       pool=int(config["CHAT_DATABASE_POOL"]))
        else:
            self.db = Database(str(self.data_dir / "chat.sqlite3"), self.hub, clock,
                               wal_limit=int(config["CHAT_WAL_CHECKPOINT_BYTES"]),
                               migrate=bool(config.get("CHAT_MIGRATE_ON_START")))
        redis_url = config.get("CHAT_REDIS_URL") or None
        self.bus: EventBus
        self.presence: Presence
        if redis_url:  # one node of several: events and presence go through Redis, named by this node's id
            node = uuid.uuid4().hex[:12]
            self.bus = RedisBus(self.hub, redis_url, self._read_log, self.db.committed_head, node)
            self.presence = RedisPresence(self.hub, redis_url, node, float(config["CHAT_PRESENCE_TTL_SECONDS"]))
        else:
            self.bus, self.presence = LocalBus(self.hub), LocalPresence(self.hub)
        self.db.bus = self.bus
        self.bus.start()
        self.presence.start()
        self.geoip = GeoIP(config.get("CHAT_GEOIP_DB"))
        self.smtp: SmtpSettings | None = None  # no e-mail (transcripts say so) unless CHAT_SMTP_URL names a server
        if config.get("CHAT_SMTP_URL"):
            try:
                self.smtp = parse_smtp_url(str(config["CHAT_SMTP_URL"]), config.get("CHAT_SMTP_FROM") or None)
            except ValueError as exc:
                raise StorageError(f"{exc}: fix it, or unset CHAT_SMTP_URL to send no e-mail") from exc
        self.limits = RateLimiter(clock)
        self.file_link_key: bytes | None = None  # file_links.signing_key, read from the database once
        self.sessions_touched_at = 0.0  # when the sessions of this node's sockets were last marked in use
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    def _read_log(self, after: int, upto: int) -> list[Pending]:
        from kayako_desktop.server.queries.events import logged_events

        with self.db.read() as conn:
            return logged_events(conn, after, upto)

    def start_ticker(self) -> None:
        """Run routing timeouts, visitor presence and event pruning on a timer (once per process)."""
        period = float(self.config["CHAT_TICK_SECONDS"])
        if period <= 0 or self._ticker is not None:
            return
        self.db.start_checkpointer()
        self._ticker = threading.Thread(target=self._tick_loop, args=(period,), name="chat-ticker", daemon=True)
        self._ticker.start()

    def _tick_loop(self, period: float) -> None:
        from kayako_desktop.server.actions.maintenance import tick

        while not self._stop.wait(period):
            try:
                tick(self)
            except ApiError as exc:  # the database is unreachable: said once per outage by the database layer
                if exc.code != ErrorCode.DATABASE_UNAVAILABLE:
                    log.exception("tick failed")
            except Exception:  # the timer must survive any one bad tick; the error is logged
                log.exception("tick failed")

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join(timeout=5)  # a tick in progress finishes before the database closes
        self.presence.close()
        self.bus.close()
        self.db.close()
