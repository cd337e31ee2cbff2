"""One realtime socket: authenticate with `hello`, replay missed events by seq, then live delivery.

A dedicated sender thread writes every outgoing frame (acks, events, heartbeats) in order; the handler
thread reads commands. Frames for this socket are queued; a client too far behind is dropped and resumes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import TYPE_CHECKING, Any

from simple_websocket import ConnectionClosed

from kayako_desktop.protocol.commands import Hello
from kayako_desktop.protocol.envelope import Envelope, FrameError, decode, encode
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.names import Command, Event
from kayako_desktop.server.actions.maintenance import pruned_through
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.bans import NOT_AVAILABLE
from kayako_desktop.server.queries.events import replay_events
from kayako_desktop.server.rows import EventRow

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services

log = logging.getLogger(__name__)
MAX_BAD_FRAMES = 5
HELLO_TIMEOUT = 10.0
FLUSH_TIMEOUT = 5.0
_CLOSE = (1000, "")
# Close codes a client acts on (README, realtime): 4401 = this session was revoked (logged out): log in
# again, do not reconnect with it; 1008 = refused (bad frames, too many sockets); 1013 = too far behind.
REVOKED = (4401, "session revoked")
# 4403 = this visitor may not chat from where they are: show "chat is not available", do not reconnect.
BLOCKED = (4403, "chat not available")


class Connection:
    def __init__(self, svc: Services, ws: Any):
        self.svc = svc
        self.ws = ws
        self.role = ""
        self.principal_id = 0
        self.session_id: str | None = None
        self.principal: Principal | None = None
        self.revoked = False
        self._out: queue.Queue[Any] = queue.Queue()
        self._lock = threading.Lock()
        self._replaying = True
        self._backlog: list[str] = []
        self._limit = int(svc.config["CHAT_SOCKET_QUEUE_LIMIT"])
        self.closed = threading.Event()

    # ---- outgoing -------------------------------------------------------------------------------
    def deliver(self, seq: int | None, frame: str) -> None:
        """Called by the hub (under the write lock): never blocks."""
        with self._lock:
            if self._replaying:
                self._backlog.append(frame)
                return
        self._put(frame)

    def _put(self, frame: Any) -> None:
        if self._out.qsize() >= self._limit:
            log.warning("dropping slow %s socket %s", self.role, self.principal_id)
            self.closed.set()
            self._out.put((1013, "too far behind: reconnect and resume"))
            return
        self._out.put(frame)

    def revoke(self) -> None:
        """The session was revoked (logout): say so, close with 4401, take no more commands. Called by the
        hub under the write lock, so no command of this socket commits after the revocation."""
        self._shut(ErrorCode.SESSION_NOT_FOUND, "This session was logged out; log in again", REVOKED)

    def block(self) -> None:
        """The visitor may no longer chat (a ban): as `revoke`, with 4403 and a neutral message."""
        self._shut(ErrorCode.CHAT_NOT_AVAILABLE, NOT_AVAILABLE, BLOCKED)

    def _shut(self, code: ErrorCode, message: str, close: tuple[int, str]) -> None:
        self.revoked = True
        self.closed.set()
        self._out.put(encode(Event.ERROR, {"code": str(code), "message": message}, ts=int(time.time() * 1000)))
        self._out.put(close)

    def send(self, type_: str, data: dict[str, Any], ref: str | None = None) -> None:
        self._put(encode(type_, data, ref=ref, ts=int(time.time() * 1000)))

    def _sender(self) -> None:
        while True:
            frame = self._out.get()
            if isinstance(frame, tuple):  # a close request: (code, reason)
                code, reason = frame
                break
            try:
                self.ws.send(frame)
            except Exception:  # the peer is gone; the reader notices and cleans up
                self.closed.set()
                break
        else:
            code, reason = 1000, ""
        try:
            self.ws.close(reason=code, message=reason)
        except Exception:  # already closed
            pass

    # ---- lifecycle ------------------------------------------------------------------------------
    def run(self) -> None:
        sender = threading.Thread(target=self._sender, name="ws-sender", daemon=True)
        sender.start()
        registered = False
        try:
            env = self._hello()
            if env is None:
                return
            registered = True
            self._read_loop()
        finally:
            if registered:
                self._disconnect()
            self._out.put(_CLOSE)
            # flask-sock closes the socket as soon as this returns: let the sender flush what is queued
            # first (the error that explains a refusal, a 1008 close code).
            sender.join(timeout=FLUSH_TIMEOUT)

    def _hello(self) -> Envelope | None:
        raw = self.ws.receive(timeout=HELLO_TIMEOUT)
        try:
            if raw is None:
                raise FrameError(ErrorCode.AUTHENTICATION_REQUIRED, "Send hello first")
            env = decode(raw)
            if env.type != Command.HELLO:
                raise FrameError(ErrorCode.AUTHENTICATION_REQUIRED, "The first command must be hello", ref=env.id)
            from kayako_desktop.server.realtime.commands import authenticate_hello, parse

            hello = parse(env)
            assert isinstance(hello, Hello)  # env.type is hello: COMMAND_MODELS maps it to Hello
            self.principal = authenticate_hello(self.svc, hello)
        except (FrameError, ApiError) as exc:
            ref = getattr(exc, "ref", None) or (env.id if "env" in locals() else None)
            self.send(Event.ERROR, {"code": str(exc.code), "message": exc.message}, ref=ref)
            if exc.code == ErrorCode.CHAT_NOT_AVAILABLE:  # a visitor from a banned address: do not come back
                self._out.put(BLOCKED)
            return None
        self.role, self.principal_id = self.principal.kind, self.principal.id
        self.session_id = self.principal.session_id
        if not self._register_and_replay(env.id, hello.last_seq):
            return None
        return env

    def _refusal(self) -> tuple[ErrorCode, str, tuple[int, str]] | None:
        """Why this socket may not join now (checked under the write lock), or None."""
        svc = self.svc
        if self.role == "agent" and not svc.db.session_exists(self.session_id):  # logged out meanwhile
            return ErrorCode.SESSION_NOT_FOUND, "Your session has expired; log in again", REVOKED
        cap = int(svc.config["CHAT_VISITOR_SOCKETS"])
        if self.role == "visitor" and svc.presence.count("visitor", self.principal_id) >= cap:
            return (ErrorCode.RATE_LIMIT_REACHED, f"This visitor already has {cap} open connections; close one",
                    (1008, "too many sockets for this visitor"))
        return None

    def _register_and_replay(self, ref: str | None, last_seq: int | None) -> bool:
        svc = self.svc
        with svc.db.lock:  # no event can commit between "registered" and "head"
            refusal = self._refusal()
            if refusal is None:  # registered live from `head` on: every later event reaches this socket live
                local, head = svc.bus.attach(self, svc.db.head_seq)
                first = svc.presence.joined(self, local)
        if refusal is not None:
            code, message, close = refusal
            self.send(Event.ERROR, {"code": str(code), "message": message}, ref=ref)
            self._out.put(close)
            return False
        resync = last_seq is not None and (last_seq > head or last_seq < pruned_through_safe(svc))
        events: list[Any] = []
        if last_seq is not None and not resync:
            with svc.db.read() as db:
                events = replay_events(db, self.role, self.principal_id, last_seq, head)
        self.send(Event.ACK, {"role": self.role, "principal_id": self.principal_id, "head_seq": head,
                              "replayed": len(events)}, ref=ref)
        if resync:
            self.send(Event.RESYNC_REQUIRED, {"reason": "The server no longer has the events after your last seq; "
                                              "reload state over REST", "head_seq": head})
        for row in events:
            self._put(_raw_frame(row))
        with self._lock:
            for frame in self._backlog:
                self._put(frame)
            self._backlog.clear()
            self._replaying = False
        if self.role == "agent" and first == 1:
            from kayako_desktop.server.actions.agents import do_agent_connected

            with svc.db.write() as tx:
                do_agent_connected(svc, tx, self.principal_id)
        return True

    def _disconnect(self) -> None:
        remaining = self.svc.presence.unregister(self)
        if self.role == "agent" and remaining == 0:
            from kayako_desktop.server.actions.agents import do_agent_disconnected
            from kayako_desktop.server.db import ShuttingDown

            try:
                with self.svc.db.write() as tx:
                    if not self.svc.presence.count("agent", self.principal_id):
                        do_agent_disconnected(self.svc, tx, self.principal_id)
            except ShuttingDown:  # sockets close as the server stops: no one is left to tell
                pass

    def _read_loop(self) -> None:
        from kayako_desktop.server.realtime.commands import handle

        heartbeat = float(self.svc.config["CHAT_HEARTBEAT_SECONDS"])
        idle_limit = float(self.svc.config["CHAT_SOCKET_IDLE_SECONDS"])
        last_heard = last_beat = time.monotonic()
        bad = 0
        while not self.closed.is_set():
            env = None
            try:
                raw = self.ws.receive(timeout=min(heartbeat, 5.0))
            except ConnectionClosed:
                return
            now = time.monotonic()
            if raw is None:
                if not self.ws.connected or now - last_heard > idle_limit:
                    return
                if now - last_beat >= heartbeat:
                    self.send(Event.HEARTBEAT, {})
                    last_beat = now
                continue
            last_heard = now
            try:
                env = decode(raw)
                with self.svc.db.lock:  # a revocation commits under it: nothing of this socket follows it
                    if self.revoked:
                        return
                    if self.role == "agent" and not self.svc.db.session_exists(self.session_id):
                        # Revoked on another node whose notice has not come (Redis down), or expired: the
                        # session's end reaches this socket at its next command at the latest.
                        self.revoke()
                        return
                    assert self.principal is not None  # hello came first
                    result = handle(self.svc, self.principal, env)
                self.send(Event.ACK, result, ref=env.id)
                bad = 0
            except (FrameError, ApiError) as exc:
                ref = exc.ref if isinstance(exc, FrameError) else (env.id if env else None)
                err = {"code": str(exc.code), "message": exc.message}
                if exc.parameter:
                    err["parameter"] = exc.parameter
                self.send(Event.ERROR, err, ref=ref)
                bad += 1
                if bad >= MAX_BAD_FRAMES:
                    self._out.put((1008, "too many bad frames"))
                    return
            except Exception:  # a server bug must not kill the socket silently: answer, log, go on
                log.exception("command %s failed", env.type if env else "?")
                self.send(Event.ERROR, {"code": "INTERNAL_ERROR", "message": "Something went wrong on the server"},
                          ref=env.id if env else None)


def _raw_frame(row: EventRow) -> str:
    # Logged data is already JSON; splice it in rather than parse and re-serialise every replayed event.
    return (f'{{"v":1,"type":"{row["type"]}","id":"e{row["seq"]}","ref":null,"seq":{row["seq"]},'
            f'"ts":{row["ts"]},"data":{row["data"]}}}')


def pruned_through_safe(svc: Services) -> int:
    with svc.db.read() as db:
        return pruned_through(db)

