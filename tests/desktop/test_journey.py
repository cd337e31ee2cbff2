"""An agent's first session in the real desktop window, driven only with real pointer and keyboard events
from outside the app (xdotool), three times in a row: first run → name → Visitors → a visitor (Chromium on
the demo shop) asks for a chat → Accept in the pop-up → reply → push an image through the native dialog →
push code from the Push menu, language chosen with the keyboard → e-mail the transcript → end the chat →
Settings → a skill from the Manage menu → History, the transcript saved through the native dialog → Quit
from the window's menu. The test control hook only reads state (where things are, what the page
shows) to aim and to assert; it never acts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.desktop.conftest import App, Desktop, wait_for
from tests.desktop.pointer import RealInput
from tests.e2e.agent.media import png_bytes
from tests.e2e.conftest import Widget, image_loaded
from tests.support import Mailbox

SHOTS = Path("test-results/screenshots")
CODE = "def bulb_for(lamp):\n    return lamp.socket + ' LED'"
CHAT_OPEN = ("(() => { const h = document.querySelector('chat-window .chat-title h2'); "
             "return h && !document.querySelector('[data-page=chats]').hidden ? h.firstChild.textContent : null; })()")


class Journey:
    def __init__(self, app: App, desktop: Desktop, run: int, tmp: Path) -> None:
        self.app, self.desktop, self.run, self.tmp = app, desktop, run, tmp
        self.ui = RealInput(app, desktop)
        self.step = 0

    def shot(self, name: str) -> None:
        """Every step on screen; the first run's set is kept in test-results/screenshots for review."""
        self.step += 1
        path = self.desktop.screenshot(self.tmp, f"desktop-journey-{self.step:02d}-{name}")
        if self.run == 1:
            SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, SHOTS / path.name)

    def js(self, expr: str, timeout: float = 10, what: str | None = None) -> object:
        return self.app.wait_js(expr, timeout=timeout, what=what)


@pytest.mark.parametrize("run", [1, 2, 3])
def test_a_first_session_with_mouse_and_keyboard_only(run: int, desktop: Desktop, browser: Browser,
                                                      tmp_path: Path, mailbox: Mailbox) -> None:
    # A login with no real name (as root is on CI): the first run asks what visitors should call the agent.
    # The embedded server sends transcripts through a real local SMTP server.
    app = App(desktop, tmp_path / "profile",
              env={"USER": "ada.l", "LOGNAME": "ada.l", "CHAT_SMTP_URL": mailbox.url}).start()
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    try:
        app.wait_ready()
        j = Journey(app, desktop, run, tmp_path)
        ui = j.ui

        # First run: the name question, prefilled from the login.
        j.js("document.querySelector('prompt-dialog dialog[open] #prompt-input')?.value", what="the name question")
        assert app.js("document.querySelector('#prompt-input').value") == "Ada L"
        j.shot("name-question")
        ui.click("#prompt-input")
        ui.key("ctrl+a")
        ui.type("Ada Lovelace")
        ui.key("Return")
        j.js("document.querySelector('status-menu')?.textContent.includes('Ada Lovelace')", what="the new name")
        j.js("document.querySelector('visitors-page h1')?.textContent.includes('Visitors')")
        j.shot("visitors")

        # A visitor on the demo shop asks for a chat; the always-on-top pop-up rings.
        page.goto(app.state()["embedded_url"] + "/demo")
        widget = Widget(page)
        widget.open()
        widget.start_chat("Victor", "Which bulb fits my lamp?")
        wait_for(lambda: app.state()["popup"], 15, "the request pop-up")
        assert app.wait_js("document.getElementById('visitor')?.textContent", window="popup") == "Victor"
        j.shot("request-pop-up")
        ui.click("#accept", window="popup")
        assert j.js(CHAT_OPEN, what="the chat in the main window") == "Victor"
        wait_for(lambda: not app.state()["popup"], 10, "the pop-up to close")
        expect(widget.f.get_by_text("You are chatting with Ada Lovelace")).to_be_visible()

        # Reply with the keyboard.
        ui.click("chat-window textarea.reply")
        ui.type("Hello Victor! The E27 one fits.")
        ui.key("Return")
        expect(widget.post("Hello Victor! The E27 one fits.")).to_be_visible()
        j.shot("replied")

        # Send an image: the Push image window, Browse, the native file dialog, OK.
        picture = tmp_path / "lamp-socket.png"
        picture.write_bytes(png_bytes(160, 100))
        ui.click("push-bar button", "Send an image")
        ui.click("push-image-dialog dialog[open] button", "Browse")
        wait_for(desktop.open_dialogs, 10, "the native open dialog")
        j.shot("native-file-dialog")
        desktop.choose_file(picture)
        j.js("document.querySelector('push-image-dialog .chosen')?.textContent.includes('lamp-socket.png')",
             what="the chosen image named in the Push image window")
        j.shot("push-image")
        ui.click("push-image-dialog dialog[open] button[type=submit]", "OK")
        img = widget.f.locator("li.post img").last
        expect(img).to_be_visible(timeout=15000)
        assert image_loaded(img)

        # Push code from the toolbar's Push menu; the language is chosen with the keyboard.
        ui.click("push-menu button", "Push")
        ui.click("[role=menu] [role=menuitem]", "Push code")
        ui.click("#push-code-text")
        ui.type(CODE)
        ui.click("#push-code-language")
        ui.type("Pyth")
        ui.key("Down", "Up")  # the first match stays marked after a round trip
        ui.key("Return")
        j.js("document.querySelector('#push-code-language').value.startsWith('Python')", what="Python chosen")
        j.shot("push-code")
        ui.click("push-code-dialog dialog[open] button[type=submit]", "OK")
        code = widget.f.locator("li.post pre").last
        expect(code).to_contain_text("bulb_for")
        expect(widget.f.locator("li.post .language").last).to_have_text("python")
        j.shot("pushed")

        # E-mail the transcript to a colleague: the header's Transcript button, an address typed, Enter.
        ui.click("chat-window .chat-actions button", "Transcript")
        j.js("document.querySelector('transcript-dialog dialog[open]') !== null", what="the transcript dialog")
        ui.click("#tx-others")
        ui.type("boss@acme.test")
        j.shot("transcript")
        ui.key("Return")
        j.js("document.querySelector('toast-stack')?.textContent.includes('Transcript sent to boss@acme.test')",
             what="the transcript sent")
        sent = mailbox.wait(1)[0]
        assert sent["To"] == "boss@acme.test"
        assert "Ada Lovelace: Hello Victor! The E27 one fits." in sent.get_body(("plain",)).get_content()

        # End the chat, confirming in the dialog.
        ui.click("chat-window button", "End chat")
        ui.click("prompt-dialog dialog[open] button", "End chat")
        expect(widget.f.get_by_text("This chat has ended")).to_be_visible(timeout=10000)
        j.shot("ended")

        # Settings with the mouse: the chime no longer repeats; saved to the settings file.
        ui.click("app-nav button", "Settings")
        ui.click("#set-repeat")
        ui.click("#set-seconds")
        ui.key("ctrl+a")
        ui.type("25")
        j.shot("settings")
        ui.click("settings-dialog dialog[open] button[type=submit]", "Save")
        wait_for(lambda: app.state()["settings"]["sound_repeat"] is False, 5, "the setting saved")
        assert app.state()["settings"]["sound_repeat_seconds"] == 25

        # Manage → Skills… (the app's own account is the server's administrator): the menu opened with the
        # mouse, a skill named with the keyboard, the agent who has it ticked, saved with Return.
        ui.click("app-nav button", "Visitors")
        ui.click("visitors-page button", "Manage")
        ui.click("[role=menu] [role=menuitem]", "Skills…")
        j.js("document.querySelector('skills-dialog dialog[open] #skill-title') === document.activeElement",
             what="the Skills dialog, its name field focused")
        ui.click("skills-dialog .member input")
        ui.click("#skill-title")
        ui.type("German\n")
        j.js("document.querySelector('skills-dialog .department-item.current')?.textContent.startsWith('German1 agent')",
             what="the skill saved, with its agent")
        j.shot("skills")
        ui.key("Escape")
        j.js("document.querySelector('skills-dialog dialog[open]') === null", what="the dialog closed")

        # History: search, open the transcript at the hit.
        ui.click("app-nav button", "History")
        ui.click("history-page input[type=search]")
        ui.type("E27")
        ui.key("Return")
        ui.click("history-page ul.results li")
        j.js("document.querySelector('history-page .transcript-pane mark')?.textContent === 'E27'",
             what="the hit marked in the transcript")
        j.shot("history")

        # Download the transcript as text: the native save dialog, a path typed, Return.
        ui.click("history-page .transcript-actions button", "Download text")
        wait_for(desktop.save_dialogs, 10, "the native save dialog")
        j.shot("save-dialog")
        saved = tmp_path / "victor-transcript.txt"
        desktop.save_as(saved)
        wait_for(saved.exists, 10, "the transcript saved")
        assert "Ada Lovelace: Hello Victor! The E27 one fits." in saved.read_text(encoding="utf-8")
        j.js("document.querySelector('toast-stack')?.textContent.includes('Transcript saved as victor-transcript.txt')",
             what="the saved transcript named")

        # Quit from the window's menu: open it with the mouse, pick Quit with the keyboard.
        server_pid = app.state()["server_pid"]
        bar = app.ctl("/geometry")["value"]["menubar"]
        ui.click_at(bar["x"] + 45, bar["y"] + bar["height"] // 2)
        wait_for(lambda: desktop.x("search", "--name", "^Kayako Desktop$", check=False).split(), 5, "the menu")
        j.shot("menu")
        ui.key("Up", "Return")  # the last item: Quit Kayako Desktop
        assert app.proc is not None and app.proc.wait(30) == 0
        assert "app: stopped" in app.log()
        wait_for(lambda: not Path(f"/proc/{server_pid}").exists(), 10, "the embedded server to stop with the app")
        assert app.log().count("fault:") == 0  # nothing escaped a callback on the way
    finally:
        page.close()
        app.kill()
