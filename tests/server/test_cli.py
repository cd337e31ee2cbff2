"""The commands an operator runs: `kayako-desktop server ...` (Werkzeug) and gunicorn + gevent."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
import websocket

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "kayako_desktop"]



def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "server exited"
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:  # not listening yet, or still importing under load
            time.sleep(0.1)
    raise TimeoutError(url)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout:
        proc.stdout.close()


def check_server(base: str, email: str, password: str) -> None:
    """Log in over REST, then authenticate a realtime socket: the whole stack answers."""
    r = requests.get(f"{base}/api/v1/session", auth=(email, password), timeout=10)
    assert r.status_code == 200, r.text
    ws = websocket.create_connection(base.replace("http", "ws") + "/api/v1/realtime", timeout=10)
    ws.send(json.dumps({"v": 1, "type": "hello", "id": "h1", "data": {"session_id": r.json()["data"]["id"]}}))
    ack = json.loads(ws.recv())
    assert ack["type"] == "ack" and ack["ref"] == "h1" and ack["data"]["role"] == "agent"
    ws.close()


def check_widget_files(base: str) -> None:
    """The widget's loader and content-named files, precompressed as the client accepts."""
    loader = requests.get(f"{base}/messenger.js", headers={"Accept-Encoding": "br"}, timeout=10, stream=True)
    body = loader.raw.read(decode_content=False)
    assert loader.headers["Content-Encoding"] == "br" and int(loader.headers["Content-Length"]) == len(body)
    assert loader.headers["Cache-Control"] == "public, max-age=300"
    page = re.search(r'"(/messenger/dist/frame\.\w+\.html)"', requests.get(f"{base}/messenger.js", timeout=10).text)
    assert page, "the loader names its frame page"
    frame = requests.get(base + page.group(1), headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert frame.headers["Content-Encoding"] == "gzip" and "<messenger-app>" in frame.text
    assert frame.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_create_agent_then_serve(tmp_path):
    data = tmp_path / "data"
    made = subprocess.run([*CLI, "server", "create-agent", "--data-dir", str(data), "--email", "ops@example.com",
                           "--name", "Ops Person", "--admin", "--password-stdin"],
                          input="a-long-password\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "created agent 1: Ops Person <ops@example.com> (admin)" in made.stdout
    again = subprocess.run([*CLI, "server", "create-agent", "--data-dir", str(data), "--email", "ops@example.com",
                            "--name", "Ops", "--password-stdin"], input="another-password\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr
    short = subprocess.run([*CLI, "server", "create-agent", "--data-dir", str(data), "--email", "x@example.com",
                            "--name", "X", "--password-stdin"], input="short\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert short.returncode == 2 and "password" in short.stderr
    lead = subprocess.run([*CLI, "server", "create-agent", "--data-dir", str(data), "--email", "lead@example.com",
                           "--name", "Team Lead", "--role", "supervisor", "--password-stdin"],
                          input="a-long-password\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert lead.returncode == 0 and "created agent 2: Team Lead <lead@example.com> (supervisor)" in lead.stdout

    port = free_port()
    proc = subprocess.Popen([*CLI, "server", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc)
        check_server(f"http://127.0.0.1:{port}", "ops@example.com", "a-long-password")
        check_widget_files(f"http://127.0.0.1:{port}")
    finally:
        stop(proc)
    assert proc.returncode == 0


def test_demo_mode_prints_url_and_a_working_login(tmp_path):
    proc = subprocess.Popen([*CLI, "server", "--demo", "--port", "0", "--data-dir", str(tmp_path / "d")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = re.search(r"on (http://\S+)", proc.stdout.readline()).group(1)
        email, password = re.search(r"login: (\S+) / (\S+)", proc.stdout.readline()).groups()
        check_server(url, email, password)
    finally:
        stop(proc)


def test_production_command_gunicorn_gevent(tmp_path):
    data = tmp_path / "data"
    subprocess.run([*CLI, "server", "create-agent", "--data-dir", str(data), "--email", "ops@example.com",
                    "--name", "Ops", "--password-stdin"], input="a-long-password\n", check=True, cwd=ROOT,
                   capture_output=True, text=True, timeout=60)
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "CHAT_DATA_DIR": str(data)}
    proc = subprocess.Popen([gunicorn, "-k", "gevent", "-w", "1", "--worker-connections", "2000",
                             "-b", f"127.0.0.1:{port}", "kayako_desktop.server.wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc)
        check_server(f"http://127.0.0.1:{port}", "ops@example.com", "a-long-password")
        check_widget_files(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
