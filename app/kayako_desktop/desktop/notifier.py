"""OS notifications through desktop-notifier, run on a dedicated asyncio thread. Whether a notification
service exists is checked up front, so a missing one is reported (.available/.reason), never ignored."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from desktop_notifier import DesktopNotifier, Icon

log = logging.getLogger(__name__)

T = TypeVar("T")
BUS_NAME = "org.freedesktop.Notifications"
BUS_PATH = "/org/freedesktop/Notifications"
NO_BUS = "No notification service is running (no D-Bus session bus)"


class Notifier:
    """notify() from any thread; on_click(payload) runs on the notifier thread when a user clicks."""

    def __init__(self, app_name: str, on_click: Callable[[dict[str, Any]], None], *,
                 icon: Path | None = None, probe_timeout: float = 5.0, send_timeout: float = 3.0) -> None:
        self.available = False
        self.reason = ""
        self.send_timeout = send_timeout
        self._on_click = on_click
        self._notifier: DesktopNotifier | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._shown: dict[str, str] = {}  # tag → the service's notification id, for withdraw()
        self._tag_locks: dict[str, asyncio.Lock] = {}  # one send per tag at a time (on the loop)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        self._thread.start()
        try:
            self.available, self.reason = self._call(self._start(app_name, icon), probe_timeout)
        except Exception as exc:  # a hung or broken service must not stop the app from starting
            self.reason = f"The notification service did not answer ({exc or type(exc).__name__})"
        log.info("notifier: available=%s (%s)", self.available, self.reason)

    def notify(self, title: str, body: str, payload: dict[str, Any], tag: str | None = None) -> bool:
        """Show a notification; True once the notification service has accepted it. A `tag` lets
        `withdraw(tag)` take it off the screen later (a chat request that was answered)."""
        if not self.available or self._closed:
            return False
        try:
            return self._call(self._send(title, body, dict(payload), tag), self.send_timeout)
        except Exception as exc:  # timeout, closed loop, bus error: report "not shown", never raise
            log.warning("notifier: sending %r failed: %r", title, exc)
            return False

    def withdraw(self, tag: str) -> None:
        """Remove the notification sent with `tag`, if it is still showing. Never blocks for long."""
        identifier = self._shown.pop(tag, None)
        if identifier is None or not self.available or self._closed:
            return
        try:
            self._call(self._clear(identifier), self.send_timeout)
        except Exception as exc:
            log.debug("notifier: withdrawing %s failed: %r", tag, exc)

    async def _clear(self, identifier: str) -> None:
        assert self._notifier is not None
        await self._notifier.clear(identifier)

    def close(self) -> None:
        """Disconnect from the service and stop the thread. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._call(self._shutdown(), 2.0)
        except Exception as exc:
            log.warning("notifier: shutdown was not clean: %r", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    async def _start(self, app_name: str, icon: Path | None) -> tuple[bool, str]:
        if sys.platform.startswith("linux"):
            available, reason = await _probe_linux()
        else:
            available, reason = _probe_other()
        if available:
            self._notifier = DesktopNotifier(app_name=app_name, app_icon=Icon(path=icon) if icon else None)
            await self._notifier.get_capabilities()  # connects now: the first notification is not slowed
        return available, reason

    async def _send(self, title: str, body: str, payload: dict[str, Any], tag: str | None) -> bool:
        assert self._notifier is not None
        if tag is None:
            return await self._send_now(title, body, payload, None)
        async with self._tag_locks.setdefault(tag, asyncio.Lock()):
            return await self._send_now(title, body, payload, tag)

    async def _send_now(self, title: str, body: str, payload: dict[str, Any], tag: str | None) -> bool:
        assert self._notifier is not None
        dispatched = False
        previous = self._shown.pop(tag, None) if tag is not None else None
        if previous is not None:
            # One notification per tag (per chat): a busy chat in the background replaces its notification
            # instead of stacking dozens on the screen.
            try:
                await self._notifier.clear(previous)
            except Exception as exc:
                log.debug("notifier: replacing %s failed: %r", tag, exc)

        def mark_dispatched() -> None:
            nonlocal dispatched
            dispatched = True

        # desktop-notifier logs and swallows send errors; on_dispatched runs only on success.
        identifier = await self._notifier.send(title, body, on_dispatched=mark_dispatched,
                                               on_clicked=lambda: self._clicked(payload))
        if dispatched and tag is not None:
            self._shown[tag] = identifier
        return dispatched

    def _clicked(self, payload: dict[str, Any]) -> None:
        try:
            self._on_click(payload)
        except Exception:
            log.exception("notifier: the click handler failed")

    async def _shutdown(self) -> None:
        # desktop-notifier has no close(); its Linux backend keeps the bus it opened as `.bus`.
        backend = getattr(self._notifier, "_backend", None)
        bus = getattr(backend, "bus", None)
        if bus is not None:
            bus.disconnect()
            try:
                await asyncio.wait_for(bus.wait_for_disconnect(), 1.0)
            except Exception as exc:
                log.debug("notifier: bus disconnect: %r", exc)
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()


async def _probe_linux() -> tuple[bool, str]:
    """Ask the notification service who it is: proves a session bus and a running (or startable) server."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False, NO_BUS
    from dbus_fast import Message, MessageType
    from dbus_fast.aio import MessageBus

    try:
        bus = await MessageBus().connect()
    except Exception as exc:  # bad address, refused socket, auth failure
        return False, f"No notification service is running (cannot reach the D-Bus session bus: {exc})"
    try:
        reply = await bus.call(Message(destination=BUS_NAME, path=BUS_PATH, interface=BUS_NAME,
                                       member="GetServerInformation"))
    finally:
        bus.disconnect()
        try:
            await asyncio.wait_for(bus.wait_for_disconnect(), 1.0)  # type: ignore[no-untyped-call]
        except Exception as exc:
            log.debug("notifier: probe bus disconnect: %r", exc)
    if reply.message_type == MessageType.ERROR:
        detail = reply.body[0] if reply.body else reply.error_name
        return False, f"No notification service is running on the D-Bus session bus ({detail})"
    name, _vendor, version, _spec = reply.body
    return True, f"Notifications are shown by {name} {version}"


def _probe_other() -> tuple[bool, str]:
    from desktop_notifier.backends.dummy import DummyNotificationCenter
    from desktop_notifier.main import get_backend_class

    if get_backend_class() is DummyNotificationCenter:
        if sys.platform == "darwin":
            return False, "Notifications need the installed Kayako Desktop app (an app bundle) on macOS"
        return False, "Notifications are not supported on this version of the operating system"
    return True, "Notifications are shown by the system notification center"
