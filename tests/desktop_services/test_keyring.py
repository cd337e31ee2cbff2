"""KeyringStore against a real GNOME Keyring on a private session bus, and without any keyring."""

from __future__ import annotations

import json

import pytest

from tests.desktop_support import gnome_keyring, run_python

CHILD = "tests.desktop_services.keyring_child"


def test_passwords_round_trip_through_gnome_keyring(keyring_env, tmp_path):
    folder = tmp_path / "profile"

    stored = run_python(keyring_env, CHILD, "store", str(folder))
    assert stored["available"] is True, stored["reason"]
    assert "SecretService" in stored["reason"] and stored["same_process"] == "correct-horse"

    instances_json = (folder / "instances.json").read_text()
    assert "correct-horse" not in instances_json and "must-not-be-written" not in instances_json
    assert json.loads(instances_json)["instances"][0]["email"] == "alice@example.com"
    assert not (folder / "credentials.json").exists()
    keyrings = list((tmp_path / "home" / ".local" / "share" / "keyrings").iterdir())
    assert keyrings, "GNOME Keyring wrote no keyring file under the test HOME"

    seen = run_python(keyring_env, CHILD, "read_and_delete", str(folder))
    assert seen["password"] == "correct-horse"
    assert seen["direct"] == ["correct-horse"]  # really in the Secret Service, under our service name
    assert seen["after_delete"] is None and seen["missing"] is None
    assert [i["id"] for i in seen["instances"]] == ["acme"]


@pytest.mark.parametrize("backend", [None, "keyring.backends.fail.Keyring"])
def test_without_a_keyring_passwords_need_the_file_opt_in(env, tmp_path, backend):
    """No session bus at all, so keyring finds no Secret Service. The second case also forces keyring's
    "fail" backend through PYTHON_KEYRING_BACKEND: that simulates the OS having no keyring (a stand-in
    for the OS backend, not for our code)."""
    child_env = dict(env, **({"PYTHON_KEYRING_BACKEND": backend} if backend else {}))
    folder = tmp_path / "profile"

    seen = run_python(child_env, CHILD, "unavailable", str(folder))

    assert seen["available"] is False
    if backend:
        assert "PYTHON_KEYRING_BACKEND" in seen["reason"]
    else:
        assert seen["reason"] == "No system keyring: the Secret Service is not running (no D-Bus session)"
    assert seen["error"].startswith(seen["reason"])
    assert "enable 'Store passwords in a file' in Settings" in seen["error"]
    assert seen["stored"] == "correct-horse" and seen["mode"] == 0o600
    assert seen["strict_read"] is None  # without the opt-in the file is not consulted
    assert seen["after_delete"] is None


def test_a_locked_keyring_that_cannot_prompt_counts_as_unavailable(session_env, tmp_path):
    """A real GNOME Keyring whose login keyring exists but is locked: unlocking needs a system prompt,
    which cannot be shown on this bus, so the probe fails and the reason says why."""
    with gnome_keyring(session_env):
        run_python(session_env, CHILD, "store", str(tmp_path / "first"))  # creates the login keyring
    with gnome_keyring(session_env, password=None):
        seen = run_python(session_env, CHILD, "unavailable", str(tmp_path / "profile"))

    assert seen["available"] is False
    assert seen["reason"] == "The system keyring could not be opened: Failed to unlock the collection!"
    assert "enable 'Store passwords in a file' in Settings" in seen["error"]
    assert seen["stored"] == "correct-horse" and seen["mode"] == 0o600
