"""Bridge fixtures: the real bridge on a free port with a file store, talking to real chat servers."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import websocket
from kayako_desktop.bridge import RunningBridge, start_bridge
from kayako_desktop.bridge.store import FileStore


class UiSocket:
    """The agent UI's one socket to the bridge; records frames; bounded waits."""

    def __init__(self, bridge: RunningBridge, last: int | None = None):
        url = f"ws://127.0.0.1:{bridge.port}/api/events" + (f"?last={last}" if last is not None else "")
        self.ws = websocket.create_connection(url, timeout=10, origin=f"http://127.0.0.1:{bridge.port}",
                                              subprotocols=["kd.bridge", f"kd-token.{bridge.token}"])
        self.frames: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            while raw := self.ws.recv():
                self.frames.put(json.loads(raw))
        except Exception:
            pass

    def wait(self, type_: str, pred: Any = None, timeout: float = 10.0) -> dict[str, Any]:
        for f in self.seen:
            if not f.get("_taken") and f["type"] == type_ and (pred is None or pred(f)):
                f["_taken"] = True
                return f
        deadline = time.monotonic() + timeout
        while True:
            f = self.frames.get(timeout=max(0.01, deadline - time.monotonic()))
            self.seen.append(f)
            if f["type"] == type_ and (pred is None or pred(f)):
                f["_taken"] = True
                return f

    def call(self, instance: str, type_: str, data: dict[str, Any], cid: str = "u1") -> dict[str, Any]:
        """Send a command through the bridge; returns its ack or error frame."""
        self.ws.send(json.dumps({"id": cid, "instance": instance, "type": type_, "data": data}))
        return self.reply(cid)

    def reply(self, cid: str) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while True:
            for f in self.seen:
                if f.get("ref") == cid:
                    return f
            self.seen.append(self.frames.get(timeout=max(0.01, deadline - time.monotonic())))

    def drain(self, quiet: float = 0.3) -> None:
        while True:
            try:
                self.seen.append(self.frames.get(timeout=quiet))
            except queue.Empty:
                return

    def close(self) -> None:
        self.ws.close()


class BridgeClient:
    def __init__(self, bridge: RunningBridge):
        self.bridge = bridge
        self.base = f"http://127.0.0.1:{bridge.port}"
        self.http = requests.Session()
        self.http.headers["X-Bridge-Token"] = bridge.token  # as the UI sends it (never a cookie)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> requests.Response:
        return self.http.post(self.base + path, json=json_body, timeout=30, **kw)

    def add(self, live: Any, email: str, password: str = "correct-horse", name: str | None = None) -> dict[str, Any]:
        r = self.post("/api/instances", {"url": live.url, "email": email, "password": password, "name": name})
        assert r.status_code == 201, r.text
        return r.json()["instance"]

    def wait_status(self, iid: str, status: str, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            inst = next(i for i in self.get("/api/instances").json()["instances"] if i["id"] == iid)
            if inst["status"] == status:
                return inst
            time.sleep(0.05)
        raise AssertionError(f"{iid} never became {status}: {inst}")


@pytest.fixture
def bridge(tmp_path) -> Iterator[RunningBridge]:
    running = start_bridge(FileStore(tmp_path / "bridge"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def ui(bridge) -> BridgeClient:
    return BridgeClient(bridge)
