"""The shell's parts that need no window: the pop-up page, NativeApi's argument checks, single instance,
the embedded server's port choice and the CSP change for pywebview."""

from __future__ import annotations

import json
import re
import socket
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from kayako_desktop.desktop.account import local_email, os_user, suggested_name
from kayako_desktop.desktop.embedded import port_is_free
from kayako_desktop.desktop.launch import saved_port
from kayako_desktop.desktop.native_api import ApiError, NativeApi
from kayako_desktop.desktop.paths import AppPaths
from kayako_desktop.desktop.permissions import decide
from kayako_desktop.desktop.popup import render
from kayako_desktop.desktop.shell import js_call, permit_pywebview
from kayako_desktop.desktop.single_instance import SingleInstance


def offer(name: str, subject: str, transfer: str | None = None) -> dict[str, Any]:
    return {"id": 7, "conversation": {"id": 42, "subject": subject, "requester": {"id": 1, "name": name}},
            "transfer_from": {"id": 2, "full_name": transfer} if transfer else None}


def test_the_pop_up_page_carries_visitor_text_as_data_never_as_markup() -> None:
    page = render(offer("Mallory</script><img src=x onerror=alert(1)>", "<b>hi</b> & bye"), "abc", None)
    blob = re.search(r'<script type="application/json" id="request">(.*?)</script>', page, re.S)
    assert blob is not None
    data = json.loads(blob.group(1))
    assert data["visitor"] == "Mallory</script><img src=x onerror=alert(1)>"
    assert data["subject"] == "<b>hi</b> & bye" and data == {**data, "instance": "abc", "cid": 42}
    assert "<img" not in page.split('id="request">', 1)[1].split("</script>", 1)[0]
    assert "textContent" in page and "innerHTML" not in page


def test_the_pop_up_names_a_transfer_and_the_server_when_there_are_several() -> None:
    page = render(offer("Ann", "Refund", transfer="Bob"), "abc", "Acme support")
    assert "Transfer from Bob \\u00b7 Acme support" in page or "Transfer from Bob · Acme support" in page


def test_the_pop_up_names_the_department_a_chat_was_asked_of() -> None:
    with_team = offer("Ann", "Quote for 40 lamps")
    with_team["conversation"]["assigned_team"] = {"id": 3, "title": "Sales"}
    blob = re.search(r'id="request">(.*?)</script>', render(with_team, "abc", None), re.S)
    assert blob is not None and json.loads(blob.group(1))["subject"] == "Sales · Quote for 40 lamps"


class FakeApp:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def answer_request(self, instance: str, cid: int, accept: bool) -> dict[str, Any]:
        self.calls.append(("answer", (instance, cid, accept)))
        return {"ok": True, "message": ""}

    def set_attention(self, requests: int, unread: int) -> None:
        self.calls.append(("attention", (requests, unread)))

    def notify(self, title: str, body: str, payload: dict[str, Any], tag: str | None = None) -> bool:
        self.calls.append(("notify", (title, body, payload, tag)))
        return True


def test_native_api_checks_what_the_page_sends() -> None:
    fake = FakeApp()
    api = NativeApi(fake)  # type: ignore[arg-type]
    assert api.open_external("javascript:alert(1)") is False
    assert api.open_external("file:///etc/passwd") is False
    with pytest.raises(ApiError):
        api.answer_request("abc", "42", True)
    with pytest.raises(ApiError):
        api.answer_request("abc", 42, "yes")
    with pytest.raises(ApiError):
        api.pick_files("../../etc", False)
    with pytest.raises(ApiError):
        api.dropped_files("a.txt")
    with pytest.raises(ApiError):
        api.set_attention({"requests": True})
    for bad_name in ("../../.bashrc", "/etc/passwd", ".profile", "", "a\\b.txt", 42):
        with pytest.raises(ApiError):  # a file name only: the user picks the folder in the save dialog
            api.save_file(bad_name, "text")
    with pytest.raises(ApiError):
        api.save_file("t.txt", {"not": "text"})
    api.answer_request("abc", 42, True)
    api.set_attention({"requests": 2, "unread": -1})
    assert fake.calls == [("answer", ("abc", 42, True)), ("attention", (2, 0))]
    # pywebview exposes every public attribute to the page, recursively: only the contract's methods.
    public = sorted(n for n in dir(api) if not n.startswith("_"))
    assert public == ["answer_request", "desktop_info", "dropped_files", "notify", "open_demo", "open_external",
                      "pick_files", "retry_setup", "save_file", "set_attention", "update_settings"]


def test_notify_takes_a_colleagues_message_checked_like_the_other_kinds() -> None:
    fake = FakeApp()
    api = NativeApi(fake)  # type: ignore[arg-type]
    grace = {"kind": "staff", "instance": "abc", "agent": 7, "title": "Grace Hopper", "body": "Can you take the refunds?"}
    assert api.notify(grace) is True
    assert api.notify({"kind": "message", "instance": "abc", "cid": 42, "title": "Cleo", "body": "Hi"}) is True
    assert api.notify({"kind": "alert", "instance": "abc", "visitor": 9, "title": "Big cart", "body": "Vic is on Checkout"})
    # Each names what a click opens; one notification per colleague (per chat, per visitor) on screen at a time.
    assert fake.calls == [
        ("notify", ("Grace Hopper", "Can you take the refunds?", {"kind": "staff", "instance": "abc", "agent": 7}, "staff:abc:7")),
        ("notify", ("Cleo", "Hi", {"kind": "message", "instance": "abc", "cid": 42}, "message:abc:42")),
        ("notify", ("Big cart", "Vic is on Checkout", {"kind": "alert", "instance": "abc", "visitor": 9}, "alert:abc:9"))]
    without_agent = {k: v for k, v in grace.items() if k != "agent"}
    bad: list[Any] = [None, [grace], {**grace, "kind": "Staff"}, {**grace, "kind": ["staff"]}, {**grace, "kind": None},
                      without_agent, {**without_agent, "cid": 42},  # a colleague's message names the colleague
                      {**grace, "agent": "7"}, {**grace, "agent": True}, {**grace, "agent": 7.5}, {**grace, "agent": None},
                      {**grace, "instance": 5}, {**grace, "instance": "x" * 101}, {**grace, "title": None},
                      {**grace, "title": "x" * 301}, {**grace, "body": 3}, {**grace, "body": "x" * 2001},
                      {"kind": "message", "instance": "abc", "agent": 7, "title": "Cleo", "body": "Hi"}]
    for n in bad:
        with pytest.raises(ApiError):
            api.notify(n)
    assert len(fake.calls) == 3  # nothing more was shown


def test_a_click_on_a_notification_brings_the_window_forward_and_opens_what_it_was_about() -> None:
    from kayako_desktop.desktop.app import DesktopApp

    calls: list[tuple[Any, ...]] = []
    shell = SimpleNamespace(focus_main=lambda: calls.append(("focus",)), hook=lambda *args: calls.append(("hook", *args)))
    for payload in ({"kind": "staff", "instance": "abc", "agent": 7}, {"kind": "message", "instance": "abc", "cid": 42},
                    {"kind": "alert", "instance": "abc", "visitor": 9}):
        DesktopApp._notification_clicked(SimpleNamespace(shell=shell), payload)  # type: ignore[arg-type]
        for thread in threading.enumerate():
            if thread.name == "notification-click":
                thread.join(5)
    assert calls == [("focus",), ("hook", "openStaff", "abc", 7), ("focus",), ("hook", "openChat", "abc", 42), ("focus",)]


def test_hook_arguments_are_json_encoded() -> None:
    script = js_call("notice", "it's </script> \"quoted\"", "error")
    assert script.endswith('? (window.kayakoDesktop.notice("it\'s </script> \\"quoted\\"", "error"), true) : false')


def test_one_instance_per_profile_and_a_second_launch_asks_for_focus(tmp_path: Path) -> None:
    first, second = SingleInstance(tmp_path), SingleInstance(tmp_path)
    asked = threading.Event()
    assert first.acquire()
    first.listen(lambda command: asked.set() if command == "focus" else None)
    try:
        assert not second.acquire()
        assert second.signal_running("focus")
        assert asked.wait(5)
        info = json.loads((tmp_path / "instance.json").read_text())
        info["secret"] = "guessed"
        (tmp_path / "instance.json").write_text(json.dumps(info))
        asked.clear()
        assert not second.signal_running("focus")  # a wrong secret is refused
    finally:
        first.release()
    assert second.acquire()  # the lock is free once the first app has gone
    second.release()


def test_a_taken_port_is_not_reused(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        assert not port_is_free(squatter.getsockname()[1])
    paths = AppPaths(tmp_path)
    paths.ensure()
    assert saved_port(paths) is None
    paths.settings_file.write_text(json.dumps({"schema_version": 2, "embedded": {"port": 4711}}))
    assert saved_port(paths) == 4711
    paths.settings_file.write_text("{not json")
    assert saved_port(paths) is None


def test_the_desktop_page_may_eval_for_pywebview_and_nothing_else_changes() -> None:
    app = Flask(__name__)
    csp = "default-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'"

    @app.get("/")
    def index() -> Any:
        return "ok", 200, {"Content-Security-Policy": csp}

    permit_pywebview(app)
    got = app.test_client().get("/").headers["Content-Security-Policy"]
    assert got == csp.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")


def test_the_first_run_account_is_named_after_this_user(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass
    import pwd

    accounts = {"ada": "Ada Lovelace,Room 1,,", "root": "root", "svc": ""}
    monkeypatch.setattr(pwd, "getpwnam", lambda login: SimpleNamespace(pw_gecos=accounts[login]))
    for login, expected in (("ada", "Ada Lovelace"), ("root", None), ("svc", None), ("ghost", None)):
        monkeypatch.setattr(getpass, "getuser", lambda login=login: login)
        assert os_user() == (login, expected)
    # No real name: visitors are not greeted by a login; the first run asks, with a readable suggestion.
    assert suggested_name("root") == "Root" and suggested_name("ada.l") == "Ada L" and suggested_name("__") == "Agent"
    assert local_email("Ada.Lovelace") == "ada.lovelace@localhost.localdomain"
    assert local_email("Zoë O'Brien") == "zoobrien@localhost.localdomain"
    assert local_email("...") == "agent@localhost.localdomain"


def test_web_permissions_are_ours_to_decide() -> None:
    own = frozenset({"http://127.0.0.1:5123"})
    assert decide("ClipboardReadWrite", "http://127.0.0.1:5123", own)  # the Copy buttons on code posts
    assert decide("ClipboardSanitizedWrite", "http://127.0.0.1:5123/", own)
    assert not decide("ClipboardReadWrite", "http://127.0.0.1:9999", own)  # another local service
    assert not decide("ClipboardReadWrite", "https://evil.example", own)
    for feature in ("Notifications", "Geolocation", "MediaAudioCapture", "MediaVideoCapture", "MediaAudioVideoCapture",
                    "DesktopVideoCapture", "DesktopAudioVideoCapture", "MouseLock", "LocalFontsAccess", "Unsupported",
                    "SomethingQtAddsLater"):
        assert not decide(feature, "http://127.0.0.1:5123", own), feature


def test_the_web_engine_starts_with_collection_on_and_audio_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from kayako_desktop.desktop import launch

    monkeypatch.setattr(launch.sys, "platform", "linux")
    monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-features=Foo")
    launch.light_webview_defaults()
    flags = launch.os.environ["QTWEBENGINE_CHROMIUM_FLAGS"].split()
    assert "--js-flags=--expose-gc" in flags and "--disable-gpu" in flags
    assert "--disable-features=Foo,AudioServiceOutOfProcess" in flags  # one list: Chromium reads one switch
    # The user's own V8 flags win (Qt splits the variable at spaces, so two could not both be passed).
    monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--js-flags=--max-old-space-size=512")
    launch.light_webview_defaults()
    flags = launch.os.environ["QTWEBENGINE_CHROMIUM_FLAGS"].split()
    assert [f for f in flags if f.startswith("--js-flags")] == ["--js-flags=--max-old-space-size=512"]


def test_the_desktop_command_does_not_load_the_chat_server() -> None:
    import subprocess
    import sys

    code = ("import sys, kayako_desktop.cli; kayako_desktop.cli.build_parser(with_server=False).parse_args(['--profile', 'x']); "
            "print(sorted(m for m in ('kayako_desktop.server', 'pydantic', 'pygments', 'flask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    assert out.stdout.strip() == "[]"
