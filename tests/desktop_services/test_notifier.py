"""Notifier against a real dunst (on Xvfb and a private session bus), and with no notification service."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator
from typing import Any

import pytest
from kayako_desktop.desktop.notifier import NO_BUS, Notifier

from tests.desktop_support import dunst, dunstctl, xvfb


@pytest.fixture
def make_notifier(monkeypatch) -> Iterator[Any]:
    """make_notifier(env) -> (Notifier on env's session bus, queue of clicked payloads)."""
    made: list[Notifier] = []

    def make(env: dict[str, str]) -> tuple[Notifier, queue.Queue[dict[str, Any]]]:
        for name in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY"):
            if name in env:
                monkeypatch.setenv(name, env[name])
            else:
                monkeypatch.delenv(name, raising=False)
        clicks: queue.Queue[dict[str, Any]] = queue.Queue()
        made.append(Notifier("Kayako Desktop", clicks.put))
        return made[-1], clicks

    yield make
    for notifier in made:
        notifier.close()


def closed_notifications(env: dict[str, str]) -> list[tuple[str, str, str]]:
    """(app name, title, body) of each notification dunst has closed into its history."""
    history = json.loads(dunstctl(env, "history"))["data"][0]
    return [(entry["appname"]["data"], entry["summary"]["data"], entry["body"]["data"]) for entry in history]


def test_a_notification_reaches_dunst_and_its_click_comes_back(desktop_env, make_notifier):
    notifier, clicks = make_notifier(desktop_env)
    assert notifier.available is True
    assert notifier.reason.startswith("Notifications are shown by dunst")

    payload = {"kind": "request", "instance": "acme", "cid": 7}
    assert notifier.notify("New chat from Victor", "Refund please", payload) is True
    assert dunstctl(desktop_env, "count", "displayed").strip() == "1"

    dunstctl(desktop_env, "action", "0")  # invokes the default action, as a click on the bubble does
    assert clicks.get(timeout=5) == payload

    dunstctl(desktop_env, "close-all")  # into dunst's history, where its content can be read back
    assert closed_notifications(desktop_env) == [("Kayako Desktop", "New chat from Victor", "Refund please")]


def test_without_a_session_bus_notifications_are_reported_unavailable(env, make_notifier):
    notifier, _ = make_notifier(env)
    assert notifier.available is False and notifier.reason == NO_BUS
    started = time.monotonic()
    assert notifier.notify("New chat from Victor", "Refund please", {"cid": 7}) is False
    assert time.monotonic() - started < 0.1


def test_with_a_bus_but_no_notification_server_the_reason_says_so(session_env, make_notifier):
    notifier, _ = make_notifier(session_env)
    assert notifier.available is False
    assert notifier.reason.startswith("No notification service is running on the D-Bus session bus (")
    assert notifier.notify("New chat from Victor", "Refund please", {"cid": 7}) is False


def test_when_the_server_goes_away_notify_says_it_was_not_shown(session_env, make_notifier):
    with xvfb() as display:
        with_display = {**session_env, "DISPLAY": display}
        with dunst(with_display):
            notifier, _ = make_notifier(with_display)
            assert notifier.notify("First", "shown", {}) is True
        assert notifier.notify("Second", "dunst has quit", {}) is False


def test_close_stops_the_thread_and_is_idempotent(desktop_env, make_notifier):
    notifier, _ = make_notifier(desktop_env)
    notifier.close()
    notifier.close()
    assert not notifier._thread.is_alive()
    assert notifier.notify("After close", "", {}) is False
