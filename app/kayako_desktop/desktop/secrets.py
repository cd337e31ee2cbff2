"""Instance passwords in the OS keyring (service "Kayako Desktop", username = instance id), with an
opt-in 0600 file fallback for systems without one. instances.json never holds a password."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any, Literal

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError

from kayako_desktop.bridge.store import FileStore

log = logging.getLogger(__name__)

SERVICE = "Kayako Desktop"
FILE_FALLBACK_HINT = "To keep passwords anyway, enable 'Store passwords in a file' in Settings."
_PROBE_USER = "kayako-desktop-probe"

_status_lock = threading.Lock()
_status: tuple[bool, str] | None = None
_resolved = threading.Event()  # set once the first probe has an answer (it may wait on an unlock prompt)

LockState = Literal["unlocked", "locked", "missing", "unknown"]


class KeyringUnavailable(RuntimeError):
    """No system keyring and the file fallback is off; str() is a message for the user."""


def keyring_status(refresh: bool = False) -> tuple[bool, str]:
    """(available, reason): is there a usable system keyring, and a sentence saying which or why not.

    The first call probes the backend with a lookup; on a desktop with a locked keyring that lookup
    may show the system's unlock prompt, so call it from a worker thread, not the GUI thread.
    """
    global _status
    with _status_lock:
        if _status is None or refresh:
            _status = _probe(keyring.get_keyring())
            log.info("keyring: available=%s (%s)", *_status)
            _resolved.set()
        return _status


def keyring_resolved(timeout: float | None = 0) -> bool:
    """Whether the first probe has answered (waiting up to `timeout` seconds for it)."""
    return _resolved.wait(timeout)


def keyring_lock_state() -> LockState:
    """Without prompting: is the Secret Service's default keyring there and unlocked? "missing" means the
    first use will ask the user to choose a password for a new keyring, "locked" that it will ask for the
    keyring's password; "unknown" off Linux or without a Secret Service."""
    if not sys.platform.startswith("linux") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "unknown"
    try:
        import secretstorage
        from secretstorage.collection import get_collection_by_alias
        from secretstorage.exceptions import ItemNotFoundException
    except ImportError:
        return "unknown"
    try:
        connection = secretstorage.dbus_init()
    except Exception as exc:  # no bus, no service: the keyring backend reports it in its own words
        log.info("keyring: no Secret Service to inspect (%r)", exc)
        return "unknown"
    try:
        try:
            collection = get_collection_by_alias(connection, "default")
        except ItemNotFoundException:
            return "missing"
        return "locked" if collection.is_locked() else "unlocked"
    except Exception as exc:  # the service answered something unexpected
        log.info("keyring: could not inspect the default keyring (%r)", exc)
        return "unknown"
    finally:
        connection.close()


def _probe(backend: KeyringBackend) -> tuple[bool, str]:
    if isinstance(backend, null.Keyring):
        return False, "The system keyring is turned off (null keyring backend)"
    if isinstance(backend, fail.Keyring):
        return False, _missing_reason()
    try:
        backend.get_password(SERVICE, _PROBE_USER)
    except Exception as exc:  # backends raise their own types (secretstorage, jeepney, dbus, OSError)
        log.warning("keyring: probe of %s failed: %r", backend.name, exc)
        return False, f"The system keyring could not be opened: {exc}"
    return True, f"Passwords are stored in the system keyring ({backend.name})"


def _missing_reason() -> str:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return "No system keyring: PYTHON_KEYRING_BACKEND selects a backend that cannot store passwords"
    if sys.platform.startswith("linux"):
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return "No system keyring: the Secret Service is not running (no D-Bus session)"
        return ("No system keyring: no Secret Service (GNOME Keyring or KWallet) is running "
                "in this desktop session")
    return "No system keyring is available on this system"


class KeyringStore:
    """kayako_desktop.bridge.store.InstanceStore for the desktop app: instances.json in `folder`, passwords in
    the keyring, or in credentials.json (0600, same folder) when allow_file_fallback is set and the
    keyring is unavailable. The shell may flip allow_file_fallback when the setting changes."""

    def __init__(self, folder: Path | str, allow_file_fallback: bool = False) -> None:
        self.folder = Path(folder)
        self.allow_file_fallback = allow_file_fallback
        self._files = FileStore(self.folder)

    @property
    def status(self) -> tuple[bool, str]:
        return keyring_status()

    def load(self) -> list[dict[str, Any]]:
        return self._files.load()

    def save(self, instances: list[dict[str, Any]]) -> None:
        clean = []
        for instance in instances:
            if "password" in instance:
                log.warning("keyring store: dropped a password field from instance %r", instance.get("id"))
            clean.append({key: value for key, value in instance.items() if key != "password"})
        self._files.save(clean)

    def _keyring(self) -> tuple[bool, str]:
        """keyring_status(), except that while the keyring waits at an unlock prompt and the user has chosen
        the file, nothing waits for it."""
        if self.allow_file_fallback and not keyring_resolved():
            return False, "The system keyring is waiting to be unlocked"
        return keyring_status()

    def get_password(self, instance_id: str) -> str | None:
        if self._keyring()[0]:
            try:
                password = keyring.get_password(SERVICE, instance_id)
            except Exception as exc:  # see _probe: any backend error means "not from the keyring"
                log.warning("keyring: reading the password for %s failed: %r", instance_id, exc)
                password = None
            if password is not None:
                return password
        return self._files.get_password(instance_id) if self.allow_file_fallback else None

    def set_password(self, instance_id: str, password: str) -> None:
        available, reason = self._keyring()
        if available:
            try:
                keyring.set_password(SERVICE, instance_id, password)
            except Exception as exc:  # see _probe
                log.warning("keyring: storing the password for %s failed: %r", instance_id, exc)
                reason = f"The system keyring refused the password: {exc}"
            else:
                self._files.delete_password(instance_id)  # no stale copy left in the file
                return
        if not self.allow_file_fallback:
            raise KeyringUnavailable(f"{reason}. {FILE_FALLBACK_HINT}")
        log.info("keyring: storing the password for %s in the credentials file (opt-in)", instance_id)
        self._files.set_password(instance_id, password)

    def delete_password(self, instance_id: str) -> None:
        if self._keyring()[0]:
            try:
                keyring.delete_password(SERVICE, instance_id)
            except PasswordDeleteError:
                pass  # nothing stored: already the state we want
            except Exception as exc:  # see _probe
                log.warning("keyring: deleting the password for %s failed: %r", instance_id, exc)
        self._files.delete_password(instance_id)
