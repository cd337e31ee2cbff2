"""The app's lifecycle on a real display: one instance per profile, a clean shutdown that stops the
embedded server, and later runs that bring the embedded server back on its port (or a new one)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests import desktop_support
from tests.desktop.conftest import QT_ENV, App, Desktop, wait_for
from tests.desktop.pointer import RealInput

TAB_TITLE = "document.querySelector('instance-tabs [role=tab]').title"


def running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def test_a_second_launch_focuses_the_first_and_exits(desktop: Desktop, tmp_path: Path) -> None:
    first = App(desktop, tmp_path / "profile").start()
    try:
        first.wait_ready()
        second = subprocess.run([sys.executable, "-m", "kayako_desktop", "--profile", str(first.profile)],
                                cwd=desktop_support.REPO, env={**desktop.env, **QT_ENV}, capture_output=True,
                                timeout=60)
        assert second.returncode == 0, second.stderr
        wait_for(lambda: "another launch asked to focus" in first.log(), 10, "the focus request")
        assert first.state()["ui_ready"]  # the first one carries on
    finally:
        first.kill()


def test_quit_stops_the_embedded_server_and_a_restart_reuses_its_port(desktop: Desktop, tmp_path: Path) -> None:
    app = App(desktop, tmp_path / "profile").start()
    try:
        state = app.wait_ready()
        url, server_pid = state["embedded_url"], state["server_pid"]
        assert app.quit() == 0
        assert not running(server_pid)
        assert "app: stopped" in app.log()

        again = App(desktop, app.profile, name="again").start()
        try:
            state = again.wait_ready()
            assert state["embedded_url"] == url
            assert again.wait_js(f"{TAB_TITLE} === {json.dumps(url)}")  # the tab is connected (no error)
        finally:
            again.kill()
    finally:
        app.kill()


def test_a_restart_moves_to_a_new_port_when_the_old_one_is_taken(desktop: Desktop, tmp_path: Path) -> None:
    app = App(desktop, tmp_path / "profile").start()
    try:
        state = app.wait_ready()
        old_url, server_pid = state["embedded_url"], state["server_pid"]
        assert app.proc is not None
        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(30) == 0
        assert not running(server_pid)
    finally:
        app.kill()

    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the old server's TIME_WAIT sockets
    squatter.bind(("127.0.0.1", int(old_url.rsplit(":", 1)[1])))
    squatter.listen(1)
    again = App(desktop, app.profile, name="again").start()
    try:
        new_url = again.wait_ready()["embedded_url"]
        assert new_url != old_url
        instances = json.loads((app.profile / "data" / "instances.json").read_text())["instances"]
        assert [i["url"] for i in instances] == [new_url]
        assert again.state()["settings"]["embedded"]["url"] == new_url
        assert again.wait_js(f"{TAB_TITLE} === {json.dumps(new_url)}")
    finally:
        again.kill()
        squatter.close()


def test_without_a_keyring_the_first_run_asks_and_keeps_the_account_once_allowed(desktop: Desktop,
                                                                                 tmp_path: Path) -> None:
    app = App(desktop, tmp_path / "profile", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    app.start()
    try:
        app.wait_ready()
        info = app.api("desktop_info")
        assert info["keyring"]["available"] is False
        text = app.wait_js("(() => { const s = document.querySelector('setup-status'); "
                           "return s && !s.hidden && s.textContent.includes('could not keep') ? s.textContent : null; })()",
                           what="the Welcome screen to explain")
        assert "No system keyring" in text and "Keep the password in a file instead" in text
        assert not app.state()["settings"]["embedded"]  # nothing half-done is remembered
        RealInput(app, desktop).click("setup-status button", "Keep the password in a file instead")
        wait_for(lambda: app.state()["settings"]["password_file_fallback"], 10, "the file to be allowed")
        assert app.wait_js("[...document.querySelectorAll('instance-tabs [role=tab]')]"
                           ".some((t) => t.textContent.includes('This computer'))", what="the tab")
        credentials = app.profile / "data" / "credentials.json"
        assert credentials.stat().st_mode & 0o777 == 0o600
        assert app.state()["settings"]["embedded"]["email"].endswith("@localhost.localdomain")
    finally:
        app.kill()


def test_a_damaged_local_database_is_refused_with_a_readable_notice(desktop: Desktop, tmp_path: Path) -> None:
    app = App(desktop, tmp_path / "profile").start()
    try:
        app.wait_ready()
        assert app.quit() == 0
    finally:
        app.kill()
    database = next((tmp_path / "profile").rglob("chat.sqlite3"))
    with open(database, "r+b") as fh:  # 8 KiB of garbage in the middle, as a bad disk would leave it
        fh.seek(8192)
        fh.write(b"\xde\xad\xbe\xef" * 2048)
    again = App(desktop, app.profile, name="damaged").start()
    try:
        again.wait_ready()
        text = again.wait_js("[...document.querySelectorAll('toast-stack .toast.error')].map((t) => t.textContent)"
                             ".find((t) => t.includes('could not open its data')) || null", timeout=30,
                             what="the notice naming the problem")
        assert str(database) in text and "backup" in text and "--repair" in text, text
        assert again.log().count("starting it on another port") == 0  # no pointless port hopping
        desktop.screenshot(tmp_path, "desktop-damaged-database")
        time.sleep(11)  # longer than an ordinary error toast lives: this one stays until closed
        assert again.js("[...document.querySelectorAll('toast-stack .toast.error')].some((t) => "
                        "t.textContent.includes('could not open its data'))")
    finally:
        again.kill()
