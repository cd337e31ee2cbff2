"""The README's first command on a machine with a display: `scripts/run.sh` sets up (a no-op once done) and
opens the desktop app itself, whose window reaches a live Visitors screen."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests import desktop_support
from tests.desktop.conftest import QT_ENV, App, Desktop, answer_name_prompt, wait_for


class RunScript(App):
    """The app as `scripts/run.sh --profile DIR` starts it (exec's .venv/bin/kayako-desktop)."""

    def start(self) -> App:
        env = {**self.desktop.env, **QT_ENV, "KAYAKO_DESKTOP_TEST_CONTROL": str(self.port)}
        with open(self.output, "ab") as out:
            self.proc = subprocess.Popen([str(desktop_support.REPO / "scripts" / "run.sh"), "--profile",
                                          str(self.profile)], cwd="/", env=env, stdout=out,
                                         stderr=subprocess.STDOUT)
        return self


def test_run_sh_with_a_display_opens_the_desktop_app(desktop: Desktop, tmp_path: Path) -> None:
    app = RunScript(desktop, tmp_path / "profile").start()
    try:
        state = app.wait_ready(timeout=120)
        assert state["ui_ready"]
        windows = wait_for(lambda: desktop.x("search", "--onlyvisible", "--name", "Kayako Desktop", check=False)
                           .split(), 15, "the app's window")
        assert windows
        answer_name_prompt(app)  # root on CI has no real name: the first run asks once
        assert app.wait_js("document.querySelector('visitors-page h1')?.checkVisibility() && "
                           "document.querySelector('visitors-page h1').textContent.includes('Visitors')",
                           timeout=30, what="the Visitors screen")
        desktop.screenshot(tmp_path, "quick-start-run-sh")
        assert app.quit() == 0
    except BaseException:
        app.kill()
        raise
    out = app.output.read_text()
    assert "No graphical session" not in out

