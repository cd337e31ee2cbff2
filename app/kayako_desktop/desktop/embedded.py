"""The embedded chat server: this same program's `server` subcommand as a child process on 127.0.0.1,
its data in the profile, its output in the log folder. Started with the app, stopped when it quits."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
LOG_NAME = "embedded-server.log"
LOG_LIMIT = 5 * 1024 * 1024  # start a fresh log file past this size (one old copy is kept)


class EmbeddedError(Exception):
    """The embedded server could not be set up; str() is a sentence for the user."""

    def __init__(self, message: str, final: bool = False) -> None:
        super().__init__(message)
        self.final = final  # another port would not help (its data refused to open)


EXIT_STORAGE = 3  # `server` refused its data (damaged, unwritable, not ours): app/kayako_desktop/server/cli.py


def own_command(*args: str) -> list[str]:
    """This same program with other arguments: the bundle's executable when frozen, else `python -m kayako_desktop`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "kayako_desktop", *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):  # `-m kayako_desktop` must find this checkout even when not installed
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("KAYAKO_DESKTOP_TEST_CONTROL", None)
    return env


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sys.platform != "win32":  # as the server will bind: old TIME_WAIT sockets do not block it
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _popen_options() -> dict[str, Any]:
    """No console window on Windows; on Linux the child gets SIGTERM if this process dies unexpectedly."""
    if sys.platform == "win32":
        return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    if sys.platform.startswith("linux") and _PRCTL is not None:
        return {"preexec_fn": _die_with_parent, "start_new_session": True}
    return {"start_new_session": True}


def _bind_prctl() -> Any:
    try:
        import ctypes

        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_PRCTL: Any = _bind_prctl() if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1
_SIGTERM = int(signal.SIGTERM)


def _die_with_parent() -> None:
    """Runs in the child between fork and exec, so it must not import or take locks (other threads may
    have held them at fork time): only a call bound in the parent. Linux sends the signal when the
    *thread* that forked the child ends, so children are spawned on EmbeddedServer's long-lived thread."""
    _PRCTL(_PR_SET_PDEATHSIG, _SIGTERM)


class EmbeddedServer:
    def __init__(self, data_dir: Path, log_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.log_dir = Path(log_dir)
        self.proc: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self._log: IO[bytes] | None = None
        # Lives as long as the app (see _die_with_parent); shut down after the server has stopped.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedded-spawn")

    @property
    def url(self) -> str:
        if self.port is None:
            raise EmbeddedError("The local chat server is not running")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def _open_log(self) -> IO[bytes]:
        if self._log is None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path = self.log_dir / LOG_NAME
            if path.exists() and path.stat().st_size > LOG_LIMIT:
                path.replace(path.with_suffix(".log.1"))
            self._log = open(path, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        return self._log

    def create_agent(self, email: str, name: str, password: str) -> None:
        """`server create-agent --admin --password-stdin` on our data dir (the server need not run)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = own_command("server", "create-agent", "--data-dir", str(self.data_dir), "--email", email,
                          "--name", name, "--admin", "--password-stdin")
        def run() -> subprocess.CompletedProcess[bytes]:
            return subprocess.run(cmd, input=(password + "\n").encode(), capture_output=True, env=child_env(),
                                  timeout=120, **_popen_options())

        done = self._spawner.submit(run).result()
        out = (done.stdout + done.stderr).decode(errors="replace").strip()
        if done.returncode != 0:
            raise EmbeddedError(f"Could not create your account on the local chat server: {out or done.returncode}")
        log.info("embedded: %s", out)

    def start(self, preferred_port: int | None = None) -> int:
        """Spawn the server on `preferred_port` when it is free, else on a new free port; returns the port.
        Does not wait: call wait_ready()."""
        port = preferred_port if preferred_port and port_is_free(preferred_port) else free_port()
        if preferred_port and port != preferred_port:
            log.info("embedded: port %d is taken; using %d", preferred_port, port)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = own_command("server", "--host", HOST, "--port", str(port), "--data-dir", str(self.data_dir),
                          "--migrate")  # the app upgrades its own data: there is no operator to ask
        out = self._open_log()
        def spawn() -> subprocess.Popen[bytes]:
            return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    env=child_env(), **_popen_options())

        proc = self._spawner.submit(spawn).result()
        self.proc, self.port = proc, port
        log.info("embedded: started pid %d on %s (data %s)", proc.pid, self.url, self.data_dir)
        return port

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until the server accepts connections; EmbeddedError if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = self.proc.returncode if self.proc is not None else None
                said = self._last_error()
                if code == EXIT_STORAGE and said:
                    raise EmbeddedError(f"The chat server on this computer could not open its data: {said}", final=True)
                raise EmbeddedError(f"The local chat server stopped at start-up (exit code {code}"
                                    f"{': ' + said if said else ''}); see {self.log_dir / LOG_NAME}")
            try:
                with socket.create_connection((HOST, self.port or 0), timeout=0.5):
                    pass
            except OSError:
                time.sleep(0.03)
                continue
            if self.proc.poll() is None:  # connected to our child, not to whoever else took the port
                return
        raise EmbeddedError(f"The local chat server did not start within {timeout:.0f} s")

    def _last_error(self) -> str:
        """The server's own last `error: ...` sentence from its log (what it says when it refuses to start)."""
        try:
            lines = (self.log_dir / LOG_NAME).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        for line in reversed(lines[-200:]):
            if line.startswith("error: "):
                return line[len("error: "):].strip()
        return ""

    def start_and_wait(self, preferred_port: int | None = None, attempts: int = 3) -> int:
        """start() + wait_ready(), retrying on a new port when another program grabs ours meanwhile."""
        for attempt in range(1, attempts + 1):
            port = self.start(preferred_port if attempt == 1 else None)
            try:
                self.wait_ready()
                return port
            except EmbeddedError as exc:
                self.stop()
                if attempt == attempts or exc.final:
                    raise
                log.warning("embedded: start on port %d failed; trying another port", port)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """stop() and end the spawning thread (at app exit)."""
        self.stop()
        self._spawner.shutdown(wait=False)

    def stop(self, timeout: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("embedded: pid %d did not stop in %.0f s; killing it", proc.pid, timeout)
                proc.kill()
                proc.wait(timeout)
            log.info("embedded: stopped pid %d (exit code %s)", proc.pid, proc.returncode)
        if self._log is not None:
            self._log.close()
            self._log = None
