"""Runs KeyringStore scenarios in a fresh process (keyring caches its backend per process) and prints
one JSON line with what it saw. Usage: python -m tests.desktop_services.keyring_child SCENARIO FOLDER"""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from kayako_desktop.desktop.secrets import SERVICE, KeyringStore, KeyringUnavailable, keyring_status

INSTANCE = "acme"
PASSWORD = "correct-horse"


def store(folder: Path) -> dict[str, Any]:
    """Keyring available: save an instance (with a stray password field) and its password."""
    available, reason = keyring_status()
    keyring_store = KeyringStore(folder, allow_file_fallback=False)
    keyring_store.save([{"id": INSTANCE, "url": "https://chat.acme.test", "email": "alice@example.com",
                         "password": "must-not-be-written"}])
    keyring_store.set_password(INSTANCE, PASSWORD)
    return {"available": available, "reason": reason, "same_process": keyring_store.get_password(INSTANCE)}


def read_and_delete(folder: Path) -> dict[str, Any]:
    """A new process (as after a restart) reads the password, then deletes it twice."""
    import secretstorage

    keyring_store = KeyringStore(folder, allow_file_fallback=False)
    password = keyring_store.get_password(INSTANCE)
    with closing(secretstorage.dbus_init()) as bus:  # straight from the Secret Service, not through our code
        items = secretstorage.get_default_collection(bus).search_items(
            {"service": SERVICE, "username": INSTANCE})
        direct = [item.get_secret().decode() for item in items]
    keyring_store.delete_password(INSTANCE)
    after_delete = keyring_store.get_password(INSTANCE)
    keyring_store.delete_password(INSTANCE)  # nothing left: must not raise
    return {"password": password, "direct": direct, "after_delete": after_delete,
            "missing": keyring_store.get_password("never-stored"), "instances": keyring_store.load()}


def unavailable(folder: Path) -> dict[str, Any]:
    """No keyring: refused without the opt-in, kept in the 0600 file with it."""
    available, reason = keyring_status()
    strict = KeyringStore(folder, allow_file_fallback=False)
    try:
        strict.set_password(INSTANCE, PASSWORD)
        error = None
    except KeyringUnavailable as exc:
        error = str(exc)
    fallback = KeyringStore(folder, allow_file_fallback=True)
    fallback.set_password(INSTANCE, PASSWORD)
    stored = fallback.get_password(INSTANCE)
    mode = (folder / "credentials.json").stat().st_mode & 0o777
    strict_read = strict.get_password(INSTANCE)
    fallback.delete_password(INSTANCE)
    fallback.delete_password(INSTANCE)
    return {"available": available, "reason": reason, "error": error, "stored": stored, "mode": mode,
            "strict_read": strict_read, "after_delete": fallback.get_password(INSTANCE)}


SCENARIOS = {"store": store, "read_and_delete": read_and_delete, "unavailable": unavailable}

if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(SCENARIOS[scenario](folder)))
