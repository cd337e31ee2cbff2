"""The README's first command where no window can open (no DISPLAY / WAYLAND_DISPLAY, e.g. over SSH):
`scripts/run.sh` says so and runs the chat server with a demo agent whose printed login works."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import requests

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]



def test_run_sh_without_a_display_runs_the_server_with_a_working_demo_login(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["KAYAKO_DATA_DIR"] = str(tmp_path / "data")
    port = free_port()
    proc = subprocess.Popen([str(ROOT / "scripts" / "run.sh"), "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("Demo agent login" in line for line in lines):
            line = proc.stdout.readline()
            assert line, "run.sh ended early:\n" + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        assert "No graphical session here" in text
        email, password = re.search(r"Demo agent login: (\S+) / (\S+)", text).groups()  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                session = requests.get(f"{base}/api/v1/session", auth=(email, password), timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert session.status_code == 200, session.text
        assert requests.get(f"{base}/demo", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(20)
    assert (tmp_path / "data" / "chat.sqlite3").is_file()
