"""run_smoke from the source tree: the same check the bundle runs, and a readable reason when it fails."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest
from kayako_desktop.desktop import smoke


def test_smoke_passes_from_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke.run_smoke() == 0
    out = capsys.readouterr().out
    assert "smoke: chat server up at http://127.0.0.1:" in out
    assert "smoke: OK: chat server, bridge and web assets work" in out


def test_smoke_passes_when_a_script_starts_it_in_the_background(tmp_path) -> None:
    """`kayako-desktop --smoke &` in a shell script: the shell ignores Ctrl+C (SIGINT) for background jobs and
    children inherit that, so the chat server's clean stop on Ctrl+C must not depend on it."""
    script = f"{shlex.quote(sys.executable)} -m kayako_desktop --smoke & wait $!"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: OK" in done.stdout


def test_smoke_names_the_page_that_failed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(smoke, "BRIDGE_PAGES", ("/", "/agent/no-such-file.js"))
    assert smoke.run_smoke() == 1
    err = capsys.readouterr().err
    assert "smoke: FAILED: the bridge answered GET /agent/no-such-file.js with HTTP 404" in err


def test_smoke_quotes_the_server_output_when_it_cannot_start(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    real = smoke.own_command
    monkeypatch.setattr(smoke, "own_command", lambda *args: real(*args, "--no-such-option"))
    assert smoke.run_smoke(timeout=20) == 1
    err = capsys.readouterr().err
    assert "the chat server exited with code 2 before it was ready" in err
    assert "unrecognized arguments: --no-such-option" in err


def test_smoke_follows_the_widget_loader_to_its_frame_and_bundles(live) -> None:
    files = smoke.widget_files(live.url)
    assert files[0].startswith("/messenger/") and files[0].endswith(".html")
    assert any(f.endswith(".js") for f in files[1:]) and any(f.endswith(".css") for f in files[1:])
    smoke.expect_pages(live.url, files, "the chat server")
