"""ServerRegistry: the single source of truth for instances (ids, names, order) and their upstreams."""

from __future__ import annotations

import threading
import uuid
from typing import Any
from urllib.parse import urlsplit

from kayako_desktop.bridge.relay import Relay
from kayako_desktop.bridge.store import InstanceStore
from kayako_desktop.bridge.upstream import Upstream
from kayako_desktop.protocol.names import BridgeEvent


class InstanceError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def normalise_server_url(raw: str) -> str:
    value = (raw or "").strip().rstrip("/")
    if value and "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InstanceError("FIELD_INVALID", "Enter the chat server's address, e.g. https://chat.example.com")
    return value


class ServerRegistry:
    def __init__(self, store: InstanceStore, relay: Relay):
        self.store = store
        self.relay = relay
        self._lock = threading.Lock()
        self.upstreams: dict[str, Upstream] = {}
        for inst in sorted(store.load(), key=lambda i: i.get("order", 0)):
            self._spawn(inst)

    def _spawn(self, inst: dict[str, Any]) -> Upstream:
        iid = str(inst["id"])
        up = Upstream(inst, lambda: self.store.get_password(iid), self.relay.publish, lambda: self._changed(iid))
        self.upstreams[iid] = up
        up.start()
        return up

    def _changed(self, iid: str) -> None:
        up = self.upstreams.get(iid)
        if up is not None:
            self.relay.publish(iid, BridgeEvent.INSTANCE_UPDATED, up.describe())

    def _persist(self) -> None:
        self.store.save([up.instance for up in self.ordered()])

    def ordered(self) -> list[Upstream]:
        return sorted(self.upstreams.values(), key=lambda u: u.instance["order"])

    def get(self, iid: str) -> Upstream:
        up = self.upstreams.get(iid)
        if up is None:
            raise InstanceError("NOT_FOUND", "No such server in this app", 404)
        return up

    def add(self, url: str, email: str, password: str, name: str | None = None) -> Upstream:
        url = normalise_server_url(url)
        if not email.strip() or not password:
            raise InstanceError("FIELD_REQUIRED", "Enter your email and password")
        with self._lock:
            if any(u.instance["url"] == url and u.instance["email"] == email.strip() for u in self.upstreams.values()):
                raise InstanceError("DUPLICATE", "This account on this server is already added", 409)
            iid = uuid.uuid4().hex[:12]
            order = max((u.instance["order"] for u in self.upstreams.values()), default=-1) + 1
            inst = {"id": iid, "name": (name or "").strip() or urlsplit(url).hostname, "url": url,
                    "email": email.strip(), "order": order}
            self.store.set_password(iid, password)
            up = self._spawn(inst)
            self._persist()
        self.relay.publish(iid, BridgeEvent.INSTANCE_ADDED, up.describe())
        return up

    def rename(self, iid: str, name: str) -> Upstream:
        up = self.get(iid)
        if not name.strip():
            raise InstanceError("FIELD_REQUIRED", "A tab needs a name")
        up.instance["name"] = name.strip()[:60]
        self._persist()
        self._changed(iid)
        return up

    def set_password(self, iid: str, password: str) -> Upstream:
        up = self.get(iid)
        if not password:
            raise InstanceError("FIELD_REQUIRED", "Enter the password")
        self.store.set_password(iid, password)
        up.session_id = None
        up.reconnect_now()
        return up

    def reorder(self, ids: list[str]) -> None:
        if sorted(ids) != sorted(self.upstreams):
            raise InstanceError("FIELD_INVALID", "Send every instance id exactly once")
        for order, iid in enumerate(ids):
            self.upstreams[iid].instance["order"] = order
            self._changed(iid)
        self._persist()

    def remove(self, iid: str) -> None:
        up = self.get(iid)
        with self._lock:
            up.stop()
            del self.upstreams[iid]
            self.store.delete_password(iid)
            self._persist()
        self.relay.publish(iid, BridgeEvent.INSTANCE_REMOVED, {"id": iid})

    def stop(self) -> None:
        for up in list(self.upstreams.values()):
            up.stop()
