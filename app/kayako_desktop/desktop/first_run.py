"""The first run: a chat server of this profile's own with an account for the person at the computer,
added as the first tab. Its progress shows on the Welcome screen (never a silent window): the system
keyring may first ask the user to unlock it or to create one, and an account without a real name (root,
service accounts) is asked once what visitors should call it."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kayako_desktop.desktop.account import local_email, os_user, suggested_name
from kayako_desktop.desktop.secrets import (
    KeyringUnavailable,
    keyring_lock_state,
    keyring_resolved,
    keyring_status,
)

if TYPE_CHECKING:
    from kayako_desktop.desktop.app import DesktopApp

log = logging.getLogger(__name__)

FIRST_TAB_NAME = "This computer"
SETTING_UP = "Setting up your account on this computer…"
KEYRING_MESSAGES = {
    "missing": ("Your desktop is asking you to choose a password for a new keyring, where Kayako Desktop keeps "
                "your account's password. Answer it in the window it opened to finish setting up, or cancel it "
                "to keep the password in a file instead."),
    "locked": ("Your system keyring is locked. Your desktop is asking for its password in the window it opened: "
               "unlock it to finish setting up, or cancel it to keep the password in a file instead."),
}


class FirstRun:
    def __init__(self, app: DesktopApp) -> None:
        self.app = app
        self._account: tuple[str, str] | None = None  # (email, password) not yet added as a tab
        self._lock = threading.Lock()
        self._status: dict[str, Any] | None = None
        self._status_lock = threading.Lock()

    @property
    def account_pending(self) -> bool:
        return self._account is not None

    @property
    def status(self) -> dict[str, Any] | None:
        """{"phase": "account"|"keyring"|"failed", "message", "action"?: "file"|"retry", "keyring"?} or None."""
        with self._status_lock:
            return dict(self._status) if self._status else None

    def create_server(self) -> None:
        """A fresh server for this profile and an admin account for this user (random password)."""
        app = self.app
        server_dir = app.paths.server_dir
        if server_dir.exists() and any(server_dir.iterdir()):  # an earlier first run that did not finish
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            server_dir.rename(server_dir.with_name(f"{server_dir.name}.unfinished-{stamp}"))
        login, name = os_user()
        email, password = local_email(login), secrets.token_urlsafe(18)
        app.embedded.create_agent(email, name or suggested_name(login), password)
        if name is None:  # visitors would be greeted by a login ("You are chatting with root"): ask once
            app.settings.update(name_prompt_pending=True)
        app.embedded.start_and_wait(None)
        self._account = (email, password)

    def add_tab_in_background(self) -> None:
        self.set_status("account", SETTING_UP)
        threading.Thread(target=self.add_tab, name="first-account", daemon=True).start()

    def add_tab(self) -> None:
        """Add the account as the first tab; its password goes to the keyring, which may first prompt."""
        app = self.app
        assert app.bridge is not None
        with self._lock:
            if self._account is None:
                return
            email, password = self._account
            self._wait_for_keyring()
            registry = app.bridge.app.extensions["bridge"]["registry"]
            try:
                up = registry.add(app.embedded.url, email, password, name=FIRST_TAB_NAME)
            except KeyringUnavailable:
                reason = keyring_status()[1].rstrip(".")
                self.set_status("failed", "Kayako Desktop could not keep your account's password in the system "
                                          f"keyring ({reason}). Keep it in a file instead (readable only by your "
                                          "user account), or ask the keyring again.", action="file")
                return
            except Exception as exc:
                log.exception("app: adding the first tab failed")
                self.set_status("failed", "Your account on this computer's chat server could not be added "
                                          f"({exc.__class__.__name__}: {exc}).", action="retry")
                return
            self._account = None
            app.settings.update(first_run_done=True, embedded={
                "url": app.embedded.url, "port": app.embedded.port, "data_dir": str(app.paths.server_dir),
                "email": email, "instance_id": up.id})
            log.info("app: first run done; %s is the %r tab", email, FIRST_TAB_NAME)
        self.set_status(None)
        self.ask_name_if_pending()

    def retry(self) -> bool:
        """The keyring failed (a cancelled prompt): ask it again, then add the tab."""
        if self._account is None or self.app.bridge is None:
            return False
        state = keyring_lock_state()
        self.set_status("keyring", KEYRING_MESSAGES.get(state, "Waiting for your system keyring to answer…"),
                        keyring=state)

        def again() -> None:
            keyring_status(refresh=True)  # shows the keyring's prompt again
            self.add_tab()

        threading.Thread(target=again, name="first-account-retry", daemon=True).start()
        return True

    def _wait_for_keyring(self) -> None:
        """Until the keyring answers (the user may be at its prompt) or they choose the file instead."""
        if keyring_resolved(1.0):
            return
        state = keyring_lock_state()
        self.set_status("keyring", KEYRING_MESSAGES.get(state, "Waiting for your system keyring to answer…"),
                        action="file", keyring=state)
        log.info("app: the first run waits for the keyring (%s)", state)
        while not keyring_resolved(0.25):
            if self.app.store.allow_file_fallback:
                break
        self.set_status("account", SETTING_UP)

    def set_status(self, phase: str | None, message: str = "", **extra: Any) -> None:
        with self._status_lock:
            self._status = None if phase is None else {"phase": phase, "message": message, **extra}
        self.push_status()

    def push_status(self) -> None:
        """Show the status on the Welcome screen (the UI also reads it from desktop_info when it loads)."""
        if not self.app.ui_ready.is_set():
            return
        with self._status_lock:  # pushes never overtake each other: the last one shown is the latest
            self.app.shell.hook("setupStatus", self._status)

    def ask_name_if_pending(self) -> None:
        """Ask, once, what visitors should call an agent whose account has no real name."""
        app = self.app
        embedded = app.settings.embedded
        if not (app.settings.name_prompt_pending and embedded and app.ui_ready.is_set() and self._account is None):
            return
        up = app.bridge.app.extensions["bridge"]["registry"].upstreams.get(embedded["instance_id"]) if app.bridge else None
        deadline = time.monotonic() + 10  # saving the name needs the server: when it is down, a later run asks
        while up is not None and up.status != "online" and time.monotonic() < deadline:
            time.sleep(0.1)
        if up is not None and up.status == "online":
            login, _name = os_user()
            app.shell.hook("askName", embedded["instance_id"], suggested_name(login))
