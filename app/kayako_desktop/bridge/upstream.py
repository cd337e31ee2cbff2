"""One chat server as the bridge sees it: a REST session (logs in again on 454) and a realtime socket
that resumes by seq, reconnecting with exponential backoff plus jitter. Its status and every event go
to the relay, stamped with the instance id."""

from __future__ import annotations

import itertools
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import websocket

from kayako_desktop.protocol.names import BridgeEvent, Event

log = logging.getLogger(__name__)
CONNECTING, ONLINE, OFFLINE, AUTH_FAILED = "connecting", "online", "offline", "auth_failed"
PING_SECONDS = 20.0
SILENCE_SECONDS = 60.0


class AuthFailed(Exception):
    pass


class Upstream:
    def __init__(self, instance: dict[str, Any], password: Callable[[], str | None],
                 publish: Callable[[str | None, str, Any], None], on_change: Callable[[], None]):
        self.instance = instance
        self._password = password
        self._publish = publish
        self._on_change = on_change
        self.http = requests.Session()
        self.session_id: str | None = None
        self.csrf: str | None = None
        self.agent: dict[str, Any] | None = None
        self.status = CONNECTING
        self.error: str | None = None
        self.last_seq: int | None = None
        self._ws: websocket.WebSocket | None = None
        self._send_lock = threading.Lock()
        self._pending: dict[str, tuple[threading.Event, list[Any]]] = {}
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"upstream-{instance['id']}", daemon=True)

    @property
    def id(self) -> str:
        return str(self.instance["id"])

    @property
    def api(self) -> str:
        return str(self.instance["url"]).rstrip("/") + "/api/v1"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        ws = self._ws
        if ws is not None:
            try:
                ws.close()
            except Exception:  # already closed
                pass

    def reconnect_now(self) -> None:
        """Skip the backoff wait (new credentials, or the OS says the network is back)."""
        self._wake.set()

    # ---- REST ---------------------------------------------------------------------------------
    def login(self) -> None:
        password = self._password()
        if password is None:
            raise AuthFailed("No password saved for this server")
        try:
            r = self.http.get(self.api + "/session", params={"include": "user"},
                              auth=(self.instance["email"], password), timeout=15)
        except requests.RequestException as exc:
            raise ConnectionError(f"Cannot reach {self.instance['url']}: {exc.__class__.__name__}") from exc
        if r.status_code in (401, 429):
            raise AuthFailed(_message(r, "The email or password is incorrect"))
        if r.status_code != 200:
            raise ConnectionError(_message(r, f"The server answered {r.status_code}"))
        data = r.json()["data"]
        self.session_id, self.csrf, self.agent = data["id"], r.headers.get("X-CSRF-Token"), data["agent"]

    def ensure_session(self) -> None:
        if self.session_id is None:
            self.login()

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        """A REST call with this instance's session; a 454 (session gone) logs in again once."""
        for attempt in (1, 2):
            if self.session_id is None:
                self.login()
            headers = dict(kw.pop("headers", None) or {})
            headers.update({"X-Session-ID": self.session_id or "", "X-CSRF-Token": self.csrf or ""})
            r = self.http.request(method, self.api + "/" + path.lstrip("/"), headers=headers,
                                  timeout=kw.pop("timeout", 60), **kw)
            if r.status_code != 454 or attempt == 2:
                return r
            self.session_id = None
            if hasattr(kw.get("data"), "seek"):
                kw["data"].seek(0)
        return r

    # ---- realtime -----------------------------------------------------------------------------
    def _set_status(self, status: str, error: str | None = None) -> None:
        if (status, error) != (self.status, self.error):
            self.status, self.error = status, error
            self._on_change()

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                if self.status not in (OFFLINE, AUTH_FAILED):  # retries keep showing why it is down
                    self._set_status(CONNECTING, self.error)
                self._connect_and_listen()
                attempt = 0
            except AuthFailed as exc:
                self._set_status(AUTH_FAILED, str(exc))
                self.session_id = None
                attempt = max(attempt, 4)  # retry slowly: the password may be changed in the meantime
            except Exception as exc:  # network errors of every kind end here and are retried
                log.info("upstream %s: %s", self.id, exc)
                self._set_status(OFFLINE, str(exc) or exc.__class__.__name__)
            if self._stop.is_set():
                break
            delay = min(30.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.5)
            attempt += 1
            self._wake.wait(delay)
            self._wake.clear()

    def _connect_and_listen(self) -> None:
        if self.session_id is None:
            self.login()
        url = self.api.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/realtime"
        ws = websocket.create_connection(url, timeout=15)
        self._ws = ws
        try:
            ws.send(json.dumps({"v": 1, "type": "hello", "id": "hello",
                                "data": {"session_id": self.session_id, "last_seq": self.last_seq}}))
            first = json.loads(ws.recv())
            if first.get("type") == Event.ERROR:
                self.session_id = None
                if first["data"].get("code") in ("SESSION_NOT_FOUND", "AUTHENTICATION_REQUIRED"):
                    raise ConnectionError("session expired; logging in again")
                raise AuthFailed(first["data"].get("message", "Refused"))
            if self.last_seq is None:
                self.last_seq = first["data"]["head_seq"]
            self._set_status(ONLINE, None)
            self._listen(ws)
        finally:
            self._ws = None
            for done, box in list(self._pending.values()):
                box.append({"type": "error", "data": {"code": "DISCONNECTED", "message": "Connection lost"}})
                done.set()
            try:
                ws.close()
            except Exception:  # already closed
                pass

    def _listen(self, ws: websocket.WebSocket) -> None:
        ws.settimeout(5)
        last_heard = last_ping = time.monotonic()
        while not self._stop.is_set():
            try:
                raw = ws.recv()
            except websocket.WebSocketTimeoutException:
                raw = None
            now = time.monotonic()
            if raw is None:
                if now - last_heard > SILENCE_SECONDS:
                    raise ConnectionError("the server went silent")
                if now - last_ping > PING_SECONDS:
                    self._raw_send({"v": 1, "type": "ping", "id": f"p{next(self._ids)}", "data": {}})
                    last_ping = now
                continue
            if raw == "":
                raise ConnectionError("the server closed the connection")
            last_heard = now
            self._handle(json.loads(raw))

    def _handle(self, frame: dict[str, Any]) -> None:
        ref = frame.get("ref")
        if ref and ref in self._pending:
            done, box = self._pending[ref]
            box.append(frame)
            done.set()
            return
        if frame["type"] in (Event.HEARTBEAT, Event.ACK):
            return
        if frame["type"] == Event.RESYNC_REQUIRED:
            self.last_seq = frame["data"]["head_seq"]
            self._publish(self.id, BridgeEvent.RESYNC, {"instance": self.id})
            return
        seq = frame.get("seq")
        if seq is not None and self.last_seq is not None and seq <= self.last_seq:
            return
        self._publish(self.id, frame["type"], frame["data"])
        if seq is not None:
            self.last_seq = seq

    def _raw_send(self, frame: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            raise ConnectionError("not connected")
        with self._send_lock:
            ws.send(json.dumps(frame))

    def command(self, type_: str, data: dict[str, Any], timeout: float = 15.0) -> dict[str, Any]:
        """Send a realtime command upstream and wait for its ack or error frame."""
        if self.status != ONLINE:
            return {"type": "error", "data": {"code": "DISCONNECTED", "message": "This server is not connected"}}
        cid = f"b{next(self._ids)}"
        done, box = threading.Event(), list[dict[str, Any]]()
        self._pending[cid] = (done, box)
        try:
            self._raw_send({"v": 1, "type": type_, "id": cid, "data": data})
            if not done.wait(timeout):
                return {"type": "error", "data": {"code": "TIMEOUT", "message": "The server did not answer"}}
            return box[0]
        except ConnectionError as exc:
            return {"type": "error", "data": {"code": "DISCONNECTED", "message": str(exc)}}
        finally:
            self._pending.pop(cid, None)

    def describe(self) -> dict[str, Any]:
        return {**{k: self.instance[k] for k in ("id", "name", "url", "email", "order")},
                "status": self.status, "error": self.error, "agent": self.agent}


def _message(r: requests.Response, default: str) -> str:
    try:
        return str(r.json()["errors"][0]["message"])
    except (ValueError, KeyError, IndexError, TypeError):
        return default
