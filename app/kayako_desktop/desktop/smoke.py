"""`kayako-desktop --smoke`: a headless check that a build works end to end. It runs the embedded chat
server as a child of this same executable, creates an agent, connects an in-process bridge to it and
fetches the agent UI and the visitor widget through them. No window, no network beyond 127.0.0.1."""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from kayako_desktop.console import say
from kayako_desktop.desktop.embedded import child_env, own_command

SMOKE_EMAIL = "smoke@example.com"
OK_LINE = "smoke: OK"
# The UI pages the bridge must serve and the visitor pages the chat server must serve.
BRIDGE_PAGES = ("/", "/agent/main.js", "/shared/protocol.js")
SERVER_PAGES = ("/demo", "/messenger.js")
# Never send loopback requests through a proxy from the environment (CI runners often set one).
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SmokeFailure(Exception):
    """One step failed; the message says which and why, in words a release engineer can act on."""


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())


def http(url: str, *, token: str | None = None, method: str = "GET", body: Any = None,
         timeout: float = 5) -> tuple[int, bytes]:
    """(status, body) for any answer; raises OSError only when nothing answered at all."""
    req = urllib.request.Request(url, method=method,
                                 data=None if body is None else json.dumps(body).encode("utf-8"))
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Bridge-Token", token)
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return int(resp.status), bytes(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            return int(exc.code), bytes(exc.read())
        finally:
            exc.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _default_sigint() -> None:
    """In the server's child process before it runs: Ctrl+C (SIGINT) stops it, whatever we inherited."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class ChatServer:
    """The embedded chat server as a child process, its output in a log file we can quote on failure."""

    def __init__(self, data_dir: Path, log_path: Path):
        self.data_dir, self.log_path = data_dir, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log: IO[bytes] = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        cmd = own_command("server", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(data_dir))
        try:
            # stop() checks the server's clean stop on Ctrl+C (SIGINT). A process started in the background by
            # a shell (`cmd &` in a script) has SIGINT ignored, and its children inherit that: give the server
            # the default disposition, or the check would test the shell, not the server.
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT, env=child_env(),
                                         preexec_fn=None if sys.platform == "win32" else _default_sigint)
        except OSError as exc:
            self._log.close()
            raise SmokeFailure(f"could not start the chat server ({cmd[0]}): {exc}") from exc

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join("    " + line for line in text.splitlines()[-lines:]) or "    (empty log)"

    def wait_ready(self, deadline: Deadline) -> None:
        last = "no answer yet"
        while deadline.left() > 0:
            code = self.proc.poll()
            if code is not None:
                raise SmokeFailure(f"the chat server exited with code {code} before it was ready; its output:\n"
                                   + self.log_tail())
            try:
                status, _ = http(self.url + "/", timeout=min(2.0, deadline.left() + 0.1))
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise SmokeFailure(f"the chat server did not answer on {self.url}/ in time ({last}); its output:\n"
                           + self.log_tail())

    def stop(self) -> int | None:
        """Ctrl+C where that is a clean stop (POSIX), else terminate; the exit code, None if it hung."""
        try:
            if self.proc.poll() is None:
                if sys.platform == "win32":
                    self.proc.terminate()
                else:
                    self.proc.send_signal(signal.SIGINT)
                try:
                    return self.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=15)
                    return None
            return self.proc.returncode
        finally:
            self._log.close()


def create_agent(data_dir: Path, password: str, deadline: Deadline) -> None:
    cmd = own_command("server", "create-agent", "--data-dir", str(data_dir), "--email", SMOKE_EMAIL,
                      "--name", "Smoke Test", "--admin", "--password-stdin")
    try:
        done = subprocess.run(cmd, input=password + "\n", capture_output=True, text=True, env=child_env(),
                              timeout=max(1.0, deadline.left()))
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure("`server create-agent` did not finish in time") from exc
    if done.returncode != 0:
        raise SmokeFailure(f"`server create-agent` exited with code {done.returncode}: "
                           f"{(done.stderr or done.stdout).strip() or '(no output)'}")


def add_instance(bridge_url: str, token: str, server_url: str, password: str, deadline: Deadline) -> str:
    """Add the server through the bridge's HTTP API, as the UI does, and wait until it is online."""
    status, body = http(bridge_url + "/api/instances", token=token, method="POST",
                        body={"url": server_url, "email": SMOKE_EMAIL, "password": password, "name": "Smoke"})
    if status != 201:
        raise SmokeFailure(f"the bridge refused to add the server: HTTP {status} {body[:300]!r}")
    iid = str(json.loads(body)["instance"]["id"])
    seen: dict[str, Any] = {}
    while deadline.left() > 0:
        status, body = http(bridge_url + "/api/instances", token=token)
        if status != 200:
            raise SmokeFailure(f"the bridge's instance list answered HTTP {status}")
        seen = next((i for i in json.loads(body)["instances"] if i.get("id") == iid), {})
        if seen.get("status") == "online":
            return iid
        if seen.get("status") == "auth_failed":
            raise SmokeFailure(f"the bridge could not sign in to the server: {seen.get('error')}")
        time.sleep(0.2)
    raise SmokeFailure(f"the server never came online in the bridge (status {seen.get('status')!r}, "
                       f"error {seen.get('error')!r})")


def expect_pages(base: str, paths: tuple[str, ...], what: str, token: str | None = None) -> None:
    for path in paths:
        try:
            status, body = http(base + path, token=token)
        except OSError as exc:
            raise SmokeFailure(f"{what} did not answer GET {path}: {exc}") from exc
        if status != 200 or not body.strip():
            raise SmokeFailure(f"{what} answered GET {path} with HTTP {status} and {len(body)} bytes")


def widget_files(base: str) -> tuple[str, ...]:
    """The widget's frame page the loader names, and the script and stylesheet that page names: what a
    visitor's browser fetches next (content-named files of the production build)."""
    import re

    loader = http(base + "/messenger.js")[1].decode("utf-8", "replace")
    frame = re.search(r"/messenger/[\w./-]*frame[\w.-]*\.html", loader)
    if not frame:
        raise SmokeFailure("the chat server's /messenger.js names no widget frame page")
    page = http(base + frame.group(0))[1].decode("utf-8", "replace")
    assets = re.findall(r'(?:src|href)="(/messenger/[^"]+\.(?:js|css))"', page)
    if not assets:
        raise SmokeFailure(f"the widget frame page {frame.group(0)} names no script or stylesheet")
    return (frame.group(0), *assets)


def _check(root: Path, deadline: Deadline) -> None:
    import secrets

    from kayako_desktop.bridge import start_bridge
    from kayako_desktop.bridge.store import FileStore

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the bridge's request lines are noise here
    server = ChatServer(root / "server", root / "server.log")
    try:
        server.wait_ready(deadline)
        say(f"smoke: chat server up at {server.url}")
        password = secrets.token_urlsafe(18)
        create_agent(server.data_dir, password, deadline)
        bridge = start_bridge(FileStore(root / "bridge"))
        try:
            base = f"http://127.0.0.1:{bridge.port}"
            add_instance(base, bridge.token, server.url, password, deadline)
            say(f"smoke: bridge at {base} signed in to the chat server")
            expect_pages(base, BRIDGE_PAGES, "the bridge", bridge.token)
            expect_pages(server.url, SERVER_PAGES, "the chat server")
            expect_pages(server.url, widget_files(server.url), "the chat server")
        finally:
            bridge.stop()
    finally:
        code = server.stop()
    if sys.platform != "win32" and code != 0:  # Windows has no Ctrl+C for a child: terminate() is code 1
        raise SmokeFailure(f"the chat server did not stop cleanly (exit code {code}); its output:\n"
                           + server.log_tail())


def run_smoke(timeout: float = 60) -> int:
    """0 when the chat server, the bridge and the web assets all work in this build; 1 with a reason."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kayako-smoke-", ignore_cleanup_errors=True) as tmp:
        try:
            _check(Path(tmp), Deadline(timeout))
        except SmokeFailure as exc:
            say(f"smoke: FAILED: {exc}", error=True)
            return 1
        except Exception as exc:  # a bug or a missing module in the build: say so rather than a traceback
            say(f"smoke: FAILED: unexpected {exc.__class__.__name__}: {exc}", error=True)
            say(traceback.format_exc().rstrip(), error=True)
            return 1
    say(f"{OK_LINE}: chat server, bridge and web assets work ({time.monotonic() - started:.1f} s)")
    return 0
