"""One app per profile: the first launch holds a lock file and listens on a loopback socket; a second
launch finds the lock taken, sends "focus" (with the secret from the first one's instance file) and exits."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

LOCK_NAME = "instance.lock"
INFO_NAME = "instance.json"
COMMANDS = frozenset({"focus"})


def _try_lock(fh: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SingleInstance:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock_file: IO[bytes] | None = None
        self._server: socket.socket | None = None
        self._secret = secrets.token_urlsafe(24)

    def acquire(self) -> bool:
        """True when this process is now the one instance of this profile (the lock is held until exit)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self.folder / LOCK_NAME, "a+b")  # noqa: SIM115 - held open for the process's lifetime
        if not _try_lock(fh):
            fh.close()
            return False
        self._lock_file = fh
        return True

    def listen(self, on_command: Callable[[str], None]) -> None:
        """Serve "focus" requests from later launches (call after acquire())."""
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        self._server = server
        info = {"port": server.getsockname()[1], "secret": self._secret, "pid": os.getpid()}
        # Written and renamed over: a second launch never reads half a file. (No kayako_desktop.bridge import here:
        # this module runs before the heavy imports, see launch.py.)
        tmp = self.folder / f".{INFO_NAME}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(info))
        os.replace(tmp, self.folder / INFO_NAME)
        threading.Thread(target=self._serve, args=(server, on_command), name="single-instance",
                         daemon=True).start()

    def _serve(self, server: socket.socket, on_command: Callable[[str], None]) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed by release()
            with conn:
                conn.settimeout(2)
                try:
                    request = json.loads(conn.makefile("rb").readline() or b"{}")
                except (OSError, ValueError):
                    continue
                command = request.get("command") if isinstance(request, dict) else None
                if request.get("secret") != self._secret or command not in COMMANDS:
                    log.warning("single instance: refused a request")
                    continue
                log.info("single instance: another launch asked to %s", command)
                try:
                    conn.sendall(b"ok\n")
                except OSError:
                    pass
                on_command(str(command))

    def signal_running(self, command: str = "focus", timeout: float = 5.0) -> bool:
        """From a second launch: ask the running instance to `command`. False if it did not answer."""
        try:
            info = json.loads((self.folder / INFO_NAME).read_text(encoding="utf-8"))
            with socket.create_connection(("127.0.0.1", int(info["port"])), timeout=timeout) as conn:
                conn.sendall(json.dumps({"secret": info["secret"], "command": command}).encode() + b"\n")
                return conn.makefile("rb").readline().strip() == b"ok"
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("single instance: the running app did not answer: %r", exc)
            return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock_file is not None:
            (self.folder / INFO_NAME).unlink(missing_ok=True)
            self._lock_file.close()
            self._lock_file = None
