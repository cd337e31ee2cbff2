"""Fixtures for the desktop services: an isolated HOME, a private session bus, a display, dunst and
GNOME Keyring, all real processes (see tests/desktop_support.py)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import desktop_support

REQUIRED = ("dbus-daemon", "dbus-send", "Xvfb", "dunst", "dunstctl", "gnome-keyring-daemon")


@pytest.fixture(scope="session", autouse=True)
def required_programs() -> None:
    missing = [tool for tool in REQUIRED if shutil.which(tool) is None]
    assert not missing, f"desktop service tests need these programs installed: {', '.join(missing)}"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """A child environment with no session (no bus, no display) and HOME/XDG dirs under tmp."""
    return desktop_support.isolated_env(home)


@pytest.fixture
def session_env(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """env plus a private D-Bus session bus (no auto-started services)."""
    with desktop_support.dbus_session(env) as bus_env:
        yield bus_env


@pytest.fixture
def desktop_env(session_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """session_env plus an Xvfb display and dunst serving org.freedesktop.Notifications."""
    with desktop_support.xvfb() as display:
        with_display = {**session_env, "DISPLAY": display}
        with desktop_support.dunst(with_display):
            yield with_display


@pytest.fixture
def keyring_env(session_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """session_env plus an unlocked GNOME Keyring (its keyring files under the tmp HOME)."""
    with desktop_support.gnome_keyring(session_env):
        yield session_env


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo setup_logging's changes to the root logger after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
