"""The desktop app in a real window: first run, the chat-request pop-up, OS notifications, the native
file dialog and native drag-and-drop. One app (one first run) serves the whole module, in order."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests import desktop_support
from tests.desktop.conftest import App, Desktop, visitor, wait_for
from tests.desktop.pointer import RealInput
from tests.support import Agent

HERE = Path(__file__).parent
CHAT_HEADING = ("(() => { const h = document.querySelector('chat-window .chat-title h2');"
                " return h && !document.querySelector('[data-page=chats]').hidden ? h.firstChild.textContent : null })()")
FILE_POSTS = "Array.from(document.querySelectorAll('chat-window li.post.kind-file'), (p) => p.textContent)"
TEAM_THREAD = ("(() => { const p = document.querySelector('team-page'), h = p.querySelector('.team-head h2');"
               " return !p.hidden && !p.querySelector('.team-thread').hidden && h ? h.textContent : null })()")
STAFF_LOG = "Array.from(document.querySelectorAll('team-page .team-log .text'), (p) => p.textContent)"


def colleague(app: App, name: str, email: str) -> Agent:
    """A second agent on the app's embedded server (made by the app's account, its administrator), signed in
    from elsewhere as tests/support.py's Agent."""
    iid = app.state()["settings"]["embedded"]["instance_id"]
    app.bridge("POST", f"/api/i/{iid}/rest/agents", {"email": email, "full_name": name, "password": "correct-horse"})
    url = app.state()["embedded_url"]
    live = SimpleNamespace(api=url + "/api/v1", ws_url=url.replace("http://", "ws://") + "/api/v1/realtime")
    return Agent(live, email)  # type: ignore[arg-type]


def staff_notifications(desktop: Desktop) -> list[tuple[str, str]]:
    """(summary, body) of every notification dunst showed, oldest first (closing the visible ones)."""
    desktop_support.dunstctl(desktop.env, "close-all")
    history = json.loads(desktop_support.dunstctl(desktop.env, "history"))["data"][0]
    return [(e["summary"]["data"], e["body"]["data"]) for e in reversed(history)]


def popup_shows(app: App, cid: int) -> Any:
    """Wait until the pop-up shows conversation `cid` and can answer; returns (visitor, subject)."""
    return app.wait_js(f"JSON.parse(document.getElementById('request').textContent).cid === {cid} && "
                       "window.pywebview && window.pywebview.api && window.pywebview.api.answer_request ? "
                       "[document.getElementById('visitor').textContent, document.getElementById('subject')"
                       ".textContent] : null", window="popup", what=f"the pop-up for chat {cid}")


def end_my_chats(app: App) -> None:
    """Earlier tests leave chats open and the app's account takes 4 at once: end them (setup, not under test)."""
    iid = app.state()["settings"]["embedded"]["instance_id"]
    for case in app.bridge("GET", f"/api/i/{iid}/rest/cases?status=OPEN&limit=50")["data"]:
        app.bridge("POST", f"/api/i/{iid}/rest/cases/{case['id']}/end")
    wait_for(lambda: not app.js("[...document.querySelectorAll('chat-list .chat-item')].length"), 10, "no open chats")


def accept_in_main(app: App, cid: int) -> None:
    iid = app.state()["settings"]["embedded"]["instance_id"]
    result = app.api("answer_request", iid, cid, True)
    assert result["ok"], result
    assert app.wait_js(CHAT_HEADING)


def test_first_run_reaches_a_logged_in_visitors_screen(app: App, desktop: Desktop, tmp_path: Path) -> None:
    state = app.state()
    embedded = state["settings"]["embedded"]
    assert state["settings"]["first_run_done"] and embedded["url"] == state["embedded_url"]
    tabs = app.js("Array.from(document.querySelectorAll('instance-tabs [role=tab]'), (t) => t.textContent.trim())")
    assert any("This computer" in t for t in tabs), tabs
    assert app.wait_js("!document.querySelector('visitors-page').hidden && "
                       "document.querySelector('visitors-page h1').textContent.includes('Visitors')")
    assert app.wait_js("document.querySelector('status-menu') && !document.querySelector('status-menu').hidden")
    # The password is in the keyring, never in the instances file.
    instances = json.loads((app.profile / "data" / "instances.json").read_text())["instances"]
    assert [i["name"] for i in instances] == ["This computer"] and "password" not in instances[0]
    kept = subprocess.run([sys.executable, "-c", "import keyring, sys; "
                           f"print(keyring.get_password('Kayako Desktop', {instances[0]['id']!r}) is not None)"],
                          env=desktop.env, capture_output=True, text=True, timeout=30)
    assert kept.stdout.strip() == "True", kept.stderr
    assert app.state()["title"] == "Kayako Desktop"
    desktop.screenshot(tmp_path, "desktop-first-run")


def test_chat_request_pops_up_and_accept_opens_the_chat(app: App, desktop: Desktop, tmp_path: Path) -> None:
    victor = visitor(app, "Victor")
    conv = victor.start_chat("Where is my order?")
    wait_for(lambda: app.state()["popup"], 10, "the pop-up window")
    assert popup_shows(app, conv["id"]) == ["Victor", "Where is my order?"]
    window = wait_for(lambda: desktop.x("search", "--name", "^Chat request from Victor$", check=False).split(), 5,
                      "the pop-up's X window")
    props = subprocess.run(["xprop", "-id", window[0], "_NET_WM_STATE"], env=desktop.env, capture_output=True,
                           text=True, timeout=10).stdout
    assert "_NET_WM_STATE_ABOVE" in props, props  # always on top
    desktop.screenshot(tmp_path, "desktop-request-popup")
    assert wait_for(lambda: "Chat request from Victor" in desktop.notifications(), 10, "the OS notification")
    app.js("document.getElementById('accept').click()", window="popup")
    assert app.wait_js(CHAT_HEADING, what="the chat in the main window") == "Victor"
    wait_for(lambda: not app.state()["popup"], 10, "the pop-up to close")
    status = victor.get(f"/conversations/{conv['id']}").json()["data"]["status"]["type"]
    assert status == "OPEN"
    desktop.screenshot(tmp_path, "desktop-chat-accepted")


def test_accepting_in_the_main_window_closes_the_pop_up(app: App, desktop: Desktop) -> None:
    def shown() -> int:
        return int(desktop_support.dunstctl(desktop.env, "count", "displayed").strip())

    desktop_support.dunstctl(desktop.env, "close-all")
    ann = visitor(app, "Ann")
    ann.start_chat("Refund please")
    wait_for(lambda: app.state()["popup"], 10, "the pop-up window")
    wait_for(lambda: shown() == 1, 10, "the request's notification on screen")
    app.wait_js("document.querySelector('request-popup .request-card') !== null")
    app.js("[...document.querySelectorAll('request-popup button')].find((b) => b.textContent.startsWith('Accept')).click()")
    wait_for(lambda: not app.state()["popup"], 10, "the pop-up to close after Accept in the main window")
    wait_for(lambda: shown() == 0, 10, "the answered request's notification to leave the screen")


def test_decline_in_the_pop_up_closes_it(app: App) -> None:
    bea = visitor(app, "Bea")
    conv = bea.start_chat("Do you ship to Norway?")
    wait_for(lambda: app.state()["popup"], 10, "the pop-up window")
    assert popup_shows(app, conv["id"]) == ["Bea", "Do you ship to Norway?"]
    app.js("document.getElementById('decline').click()", window="popup")
    wait_for(lambda: not app.state()["popup"], 10, "the pop-up to close after Decline")
    assert bea.get(f"/conversations/{conv['id']}").json()["data"]["status"]["type"] == "NEW"  # back in the queue
    assert app.state()["popup_page"] == "awake"  # kept for a while: the next request shows at once
    # then its page is discarded (its renderer, ~40 MB, ends) while nothing rings
    wait_for(lambda: app.state()["popup_page"] == "discarded", 20, "the hidden pop-up's page to be discarded")


def test_pick_files_opens_the_native_dialog(app: App, desktop: Desktop, tmp_path: Path) -> None:
    doc = tmp_path / "price list.pdf"
    doc.write_bytes(b"%PDF-1.4\n" * 64)
    result: dict[str, Any] = {}
    call = threading.Thread(target=lambda: result.update(files=app.api("pick_files", "file", False, timeout=60)))
    call.start()
    desktop.choose_file(doc)
    call.join(20)
    # The page learns the name and size, and a single-use reference instead of the path.
    [picked] = result["files"]
    assert picked["name"] == "price list.pdf" and picked["size"] == doc.stat().st_size and "path" not in picked
    assert str(doc) not in json.dumps(result) and len(picked["ref"]) >= 20


def test_native_drop_pushes_the_file_with_its_full_path(app: App, desktop: Desktop, tmp_path: Path) -> None:
    victor = visitor(app, "Victor")
    accept_in_main(app, victor.start_chat("Can you send the invoice?")["id"])
    invoice = tmp_path / "invoice 42.pdf"
    invoice.write_bytes(b"%PDF-1.4\n" * 200)
    with drag(desktop, invoice, to=(700, 420)):
        posts = app.wait_js(f"{FILE_POSTS}.filter((t) => t.includes('invoice 42.pdf'))", what="the file in the chat")
    assert posts
    desktop.screenshot(tmp_path, "desktop-file-dropped")
    assert "drops: the page claimed the paths of 1 dropped file(s)" in app.log()  # uploaded by path, natively
    assert app.api("dropped_files", ["invoice 42.pdf"]) is None  # each drop is claimed once



def test_a_message_in_a_background_chat_notifies_and_a_click_opens_that_chat(app: App, desktop: Desktop) -> None:
    end_my_chats(app)
    cleo, dan = visitor(app, "Cleo"), visitor(app, "Dan")
    cleo_chat = cleo.start_chat("Is the lamp dimmable?")
    accept_in_main(app, cleo_chat["id"])
    accept_in_main(app, dan.start_chat("Where is my parcel?")["id"])
    assert app.wait_js(CHAT_HEADING) == "Dan"  # Cleo's chat is now in the background
    desktop_support.dunstctl(desktop.env, "close-all")  # the next notification on screen is the one clicked
    assert cleo.say(cleo_chat["id"], "Also: does it need a special bulb?").status_code == 201
    wait_for(lambda: desktop_support.dunstctl(desktop.env, "count", "displayed").strip() == "1", 10,
             "the message notification on screen")
    # More messages in the same background chat replace its notification: one on screen, never a pile.
    for extra in ("And is it dimmable?", "Sorry, one more: E27?"):
        assert cleo.say(cleo_chat["id"], extra).status_code == 201
    time.sleep(2)
    assert desktop_support.dunstctl(desktop.env, "count", "displayed").strip() == "1"
    desktop_support.dunstctl(desktop.env, "action", "0")  # the user clicks it
    assert app.wait_js(f"{CHAT_HEADING} === 'Cleo' ? 'Cleo' : null", what="Cleo's chat in front") == "Cleo"
    assert "Cleo" in desktop.notifications()  # it was the message from Cleo



def test_a_colleagues_message_notifies_while_the_window_is_in_the_back_and_a_click_opens_their_thread(
        app: App, desktop: Desktop) -> None:
    iid = app.state()["settings"]["embedded"]["instance_id"]
    me = app.bridge("GET", f"/api/i/{iid}/rest/me")["data"]["id"]
    grace = colleague(app, "Grace Hopper", "grace@example.com")

    def write(text: str) -> None:  # Grace writes to me from her own session, over the server's REST API
        r = grace.post("/staff/messages", {"to_agent_id": me, "contents": text, "client_id": str(uuid.uuid4())})
        assert r.status_code == 201, r.text

    def shown() -> int:
        return int(desktop_support.dunstctl(desktop.env, "count", "displayed").strip())

    desktop_support.dunstctl(desktop.env, "close-all")  # the next notification on screen is the one clicked
    root = desktop.x("search", "--maxdepth", "0", "").split()[0]
    desktop.x("windowfocus", root)  # the user is in another window (the focus leaves the app's)
    wait_for(lambda: app.js("!document.hasFocus()"), 10, "the app's window to lose the focus")
    write("Can you take the refund chats today?")
    wait_for(lambda: shown() == 1, 10, "the staff message's notification on screen")
    write("They are in the queue.")  # her next message replaces it: one on screen per colleague
    app.bridge("POST", f"/api/i/{iid}/rest/staff/messages",  # and my own answer (sent from the app) raises none
               {"to_agent_id": grace.id, "contents": "Looking now", "client_id": str(uuid.uuid4())})
    time.sleep(2)
    assert shown() == 1
    desktop_support.dunstctl(desktop.env, "action", "0")  # the user clicks it
    assert app.wait_js(TEAM_THREAD, what="Grace's thread on the Team page") == "Grace Hopper"
    app.wait_js(f"{STAFF_LOG}.includes('They are in the queue.')", what="her messages in the thread")
    # The click asked for the window to be activated; Xvfb has no window manager to grant that (Qt's own
    # SetInputFocus carries an older time than the test's focus change, so X ignores it): do what a WM would.
    main = desktop.x("search", "--onlyvisible", "--name", "Kayako Desktop$").split()[0]
    desktop.x("windowfocus", "--sync", main)
    app.wait_js("document.hasFocus()", what="the window in front")
    assert staff_notifications(desktop)[-1] == ("Grace Hopper", "They are in the queue.")
    # Her thread is on screen and the window in front: her next message shows there, with no notification.
    seen = len(staff_notifications(desktop))
    write("Thanks!")
    app.wait_js(f"{STAFF_LOG}.includes('Thanks!')", what="her new message in the open thread")
    time.sleep(1.5)
    assert shown() == 0 and len(staff_notifications(desktop)) == seen
    # The same thread on screen while the user is in another window: it notifies.
    desktop.x("windowfocus", root)
    wait_for(lambda: app.js("!document.hasFocus()"), 10, "the app's window to lose the focus again")
    write("Are you there?")
    wait_for(lambda: shown() == 1, 10, "the notification with her thread open behind another window")
    assert staff_notifications(desktop)[-1] == ("Grace Hopper", "Are you there?")
    desktop.x("windowfocus", "--sync", main)  # back as the next tests expect it


def test_settings_in_the_window_are_the_apps_own(app: App, desktop: Desktop, tmp_path: Path) -> None:
    app.js("document.querySelector('app-nav button[aria-label=Settings]').click()")
    text = app.wait_js("(() => { const d = document.querySelector('settings-dialog dialog');"
                       " return d.open && !d.querySelector('.settings-group:nth-of-type(2)').hidden ? d.textContent : null })()",
                       what="the Settings dialog with its desktop options")
    assert "Notifications are shown by dunst" in text and "Open demo website" in text
    desktop.screenshot(tmp_path, "desktop-settings")
    app.js("(() => { const s = document.getElementById('set-seconds'); s.value = '15';"
           " document.querySelector('settings-dialog form').requestSubmit(); })()")
    wait_for(lambda: app.api("desktop_info")["settings"]["sound_repeat_seconds"] == 15, 10, "the setting saved")
    assert json.loads((app.profile / "config" / "settings.json").read_text())["sound_repeat_seconds"] == 15


def test_requests_can_stay_in_the_main_window(app: App, desktop: Desktop, tmp_path: Path) -> None:
    ui = RealInput(app, desktop)
    ui.click("app-nav button", "Settings")
    ui.click("#set-popup")  # off: no window on top for requests
    ui.click("settings-dialog dialog[open] button[type=submit]", "Save")
    wait_for(lambda: app.state()["settings"]["request_popup"] is False, 10, "the setting saved")
    gil = visitor(app, "Gil")
    gil.start_chat("Do you sell bulbs?")
    app.wait_js("[...document.querySelectorAll('request-popup article')].some((c) => c.textContent.includes('Gil'))",
                what="the request card in the main window")
    time.sleep(1.5)
    assert app.state()["popup"] is False  # and no window on top
    desktop.screenshot(tmp_path, "desktop-request-in-window-only")
    ui.click("request-popup button", "Decline")
    ui.click("app-nav button", "Settings")
    ui.click("#set-popup")
    ui.click("settings-dialog dialog[open] button[type=submit]", "Save")
    wait_for(lambda: app.state()["settings"]["request_popup"] is True, 10, "the setting back on")


@contextmanager
def drag(desktop: Desktop, path: Path, to: tuple[int, int]) -> Iterator[None]:
    """Drag `path` from a helper window (a native XDND source) onto the screen point `to`. The source
    stays alive until the block ends: the web view fetches the dropped data after the drop itself."""
    source = subprocess.Popen([sys.executable, str(HERE / "drag_source.py"), str(path), "1080", "300"],
                              env=desktop.env, stdout=subprocess.PIPE, text=True)
    try:
        assert source.stdout is not None and source.stdout.readline().strip() == "ready"
        desktop.x("mousemove", "--sync", 1150, 330)
        desktop.x("mousedown", 1)
        # Several moves, then a pause on the target: the page answers each dragover asynchronously and
        # Qt drops with the last answer it has.
        tx, ty = to
        for x, y in [(1100, 340), (1000, 360), (900, 380), (800, 400), (tx + 6, ty), to, (tx, ty + 4), to]:
            desktop.x("mousemove", "--sync", x, y)
            desktop.x("sleep", "0.1")
        desktop.x("sleep", "0.3")
        desktop.x("mouseup", 1)
        assert "CopyAction" in source.stdout.readline(), "the drop was refused"
        yield
        time.sleep(1.0)  # the target ends the XDND exchange a moment later; a source gone by then breaks the next drag
    finally:
        source.terminate()
        source.wait(10)
        if source.stdout is not None:
            source.stdout.close()
