"""The first run when the system keyring is not unlocked: GNOME Keyring (on its own D-Bus session, with
service activation, so its real prompter gcr-prompter opens a window on the Xvfb screen) asks the user to
choose a password for a new keyring. Our window must say what it waits for, and go on as soon as the user
answers the prompt — or, when the user cancels it, explain and offer to keep the password in a file. The
prompt grabs the keyboard and the pointer (as on a GNOME desktop), so the user answers it before anything
else. All input is real X input."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import desktop_support
from tests.desktop.conftest import App, Desktop, answer_name_prompt, wait_for
from tests.desktop.pointer import RealInput

SETUP_TEXT = "(() => { const s = document.querySelector('setup-status'); return s && !s.hidden ? s.textContent : null; })()"
ASKS = f"(() => {{ const t = {SETUP_TEXT}; return t && t.includes('choose a password for a new keyring') ? t : null; }})()"
CONNECTED_TAB = ("[...document.querySelectorAll('instance-tabs [role=tab]')].some((t) => "
                 "t.textContent.includes('This computer') && (t.getAttribute('aria-label') || '').includes('Connected'))")


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Desktop]:
    """A desktop session whose keyring has no default keyring yet and can prompt (gcr-prompter)."""
    env = desktop_support.isolated_env(tmp_path / "home")
    with desktop_support.dbus_session(env, activation=True) as bus_env, desktop_support.xvfb() as display:
        full = {**bus_env, "DISPLAY": display}
        subprocess.run(["dbus-update-activation-environment", f"DISPLAY={display}"], env=full, check=True, timeout=10)
        with desktop_support.dunst(full), desktop_support.gnome_keyring(full, password=None):
            yield Desktop(full, tmp_path)


def prompt_window(desktop: Desktop) -> str:
    """GNOME's prompt, on screen and holding the keyboard (it grabs it a moment after it maps)."""
    found = wait_for(lambda: desktop.x("search", "--name", "^gcr-prompter$", check=False).split(), 20,
                     "GNOME's keyring prompt")
    time.sleep(1.0)  # it maps first, then grabs the keyboard; X tells no one when the grab is in place
    return str(found[0])


def start(desktop: Desktop, tmp_path: Path) -> App:
    app = App(desktop, tmp_path / "profile").start()
    app.wait_ready()
    return app


def keyring_password(desktop: Desktop, instance_id: str) -> str | None:
    out = subprocess.run([sys.executable, "-c", "import keyring; "
                          f"print(repr(keyring.get_password('Kayako Desktop', {instance_id!r})))"],
                         env=desktop.env, capture_output=True, text=True, timeout=30)
    return eval(out.stdout.strip()) if out.stdout.strip() else None  # noqa: S307 - our own repr() output


def test_the_window_says_the_keyring_asks_and_goes_on_once_answered(locked: Desktop, tmp_path: Path) -> None:
    app = start(locked, tmp_path)
    try:
        window = prompt_window(locked)
        text = app.wait_js(ASKS, timeout=10, what="the Welcome screen to say what it waits for")
        assert "Keep the password in a file instead" in text
        assert not app.js("document.getElementById('welcome-add').offsetParent")  # no "Add a chat server" now
        locked.screenshot(tmp_path, "desktop-first-run-keyring-prompt")
        # The user answers GNOME's prompt: its Password field has the focus; Confirm is one Tab away.
        # (gcr-prompter grabs the keyboard while it asks, as on a real desktop.)
        del window
        ui = RealInput(app, locked)
        ui.type("keyring-pass-1")
        ui.key("Tab")
        ui.type("keyring-pass-1")
        ui.key("Return")
        app.wait_js(CONNECTED_TAB, timeout=20, what="the This computer tab, connected")
        assert app.js(SETUP_TEXT) is None
        answer_name_prompt(app)
        iid = app.state()["settings"]["embedded"]["instance_id"]
        assert keyring_password(locked, iid)  # in the keyring now, not in a file
        assert not (app.profile / "data" / "credentials.json").exists()
        locked.screenshot(tmp_path, "desktop-first-run-after-keyring")
    finally:
        app.kill()


def cancel_the_prompt(app: App, desktop: Desktop) -> str:
    """The user cancels GNOME's prompt (Escape); our window explains and offers a way on."""
    prompt_window(desktop)
    app.wait_js(ASKS, timeout=10, what="the keyring message")
    RealInput(app, desktop).key("Escape")
    return app.wait_js(f"(() => {{ const t = {SETUP_TEXT}; return t && t.includes('could not keep') ? t : null; }})()",  # type: ignore[no-any-return]
                       timeout=15, what="the failure, explained")


def test_a_cancelled_prompt_is_explained_and_the_file_offered(locked: Desktop, tmp_path: Path) -> None:
    app = start(locked, tmp_path)
    try:
        text = cancel_the_prompt(app, locked)
        assert "Keep the password in a file instead" in text and "Ask the keyring again" in text
        locked.screenshot(tmp_path, "desktop-first-run-keyring-cancelled")
        RealInput(app, locked).click("setup-status button", "Keep the password in a file instead")
        app.wait_js(CONNECTED_TAB, timeout=20, what="the tab once the file is allowed")
        settings = app.state()["settings"]
        assert settings["password_file_fallback"] is True
        assert settings["embedded"]["instance_id"] in (app.profile / "data" / "credentials.json").read_text()
        answer_name_prompt(app)
    finally:
        app.kill()


def test_after_a_cancelled_prompt_the_keyring_can_be_asked_again(locked: Desktop, tmp_path: Path) -> None:
    app = start(locked, tmp_path)
    try:
        cancel_the_prompt(app, locked)
        ui = RealInput(app, locked)
        ui.click("setup-status button", "Ask the keyring again")
        prompt_window(locked)
        app.wait_js(ASKS, timeout=10, what="the keyring message again")
        ui.type("keyring-pass-2")
        ui.key("Tab")
        ui.type("keyring-pass-2")
        ui.key("Return")
        app.wait_js(CONNECTED_TAB, timeout=20, what="the tab, connected")
        answer_name_prompt(app)
        assert keyring_password(locked, app.state()["settings"]["embedded"]["instance_id"])
    finally:
        app.kill()
