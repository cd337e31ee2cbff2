"""Real OS services for desktop tests, each started by the test and stopped after it: an isolated
environment (HOME/XDG under tmp), a private D-Bus session bus, Xvfb on a free display, dunst (the
notification server) and GNOME Keyring (the Secret Service). Linux only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# Variables that would connect a child to the developer's real session or force a keyring backend.
_SESSION_VARS = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "PYTHON_KEYRING_BACKEND",
                 "GNOME_KEYRING_CONTROL", "XAUTHORITY")

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  {servicedirs}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def isolated_env(home: Path) -> dict[str, str]:
    """os.environ without any session variables, with HOME and the XDG folders inside `home`."""
    env = {key: value for key, value in os.environ.items() if key not in _SESSION_VARS}
    runtime = home / "run"
    for folder in (home, home / ".local" / "share", home / ".config", home / ".cache", runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_RUNTIME_DIR=str(runtime), PYTHONPATH=str(REPO / "app"))
    return env


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream:
            stream.close()


@contextmanager
def dbus_session(env: dict[str, str], *, activation: bool = False) -> Iterator[dict[str, str]]:
    """A private session bus; yields a copy of env with DBUS_SESSION_BUS_ADDRESS set. Without
    `activation` no service can be auto-started, so only what the test starts is on the bus."""
    config = Path(env["HOME"]) / "session-bus.conf"
    config.write_text(_BUS_CONFIG.format(
        tmp=env["XDG_RUNTIME_DIR"],
        servicedirs="<standard_session_servicedirs/>" if activation else ""))
    proc = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile",
                             "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True)
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        assert address, "dbus-daemon did not print its address"
        yield {**env, "DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        _stop(proc)


@contextmanager
def xvfb() -> Iterator[str]:
    """Xvfb on a display number it picks itself (-displayfd): yields ":N" once the server is ready."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp",
                             "-screen", "0", "1280x800x24"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not report a display number"
        yield f":{number}"
    finally:
        _stop(proc)


def bus_name_has_owner(env: dict[str, str], name: str) -> bool:
    result = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                            env=env, capture_output=True, text=True, timeout=5, check=True)
    return "boolean true" in result.stdout


def wait_for_bus_name(env: dict[str, str], name: str, proc: subprocess.Popen[Any],
                      timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not bus_name_has_owner(env, name):
        assert proc.poll() is None, f"{proc.args[0]} exited with {proc.returncode}"
        assert time.monotonic() < deadline, f"{name} did not appear on the bus"
        time.sleep(0.02)


@contextmanager
def dunst(env: dict[str, str]) -> Iterator[None]:
    """dunst on env's bus and DISPLAY, with its packaged default config; returns once it owns
    org.freedesktop.Notifications."""
    assert "DISPLAY" in env and "DBUS_SESSION_BUS_ADDRESS" in env
    with open(Path(env["HOME"]) / "dunst.log", "wb") as log:
        proc = subprocess.Popen(["dunst"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_bus_name(env, "org.freedesktop.Notifications", proc)
        yield
    finally:
        _stop(proc)


def dunstctl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True,
                          timeout=5, check=True).stdout


@contextmanager
def gnome_keyring(env: dict[str, str], password: str | None = "kayako-test") -> Iterator[None]:
    """gnome-keyring-daemon (secrets only) on env's bus, returning once it owns org.freedesktop.secrets.
    With a password the login keyring is unlocked (and created in env's XDG_DATA_HOME on first use);
    with None it stays locked, and unlocking needs a prompt that cannot be shown here."""
    unlock = ["--unlock"] if password is not None else []
    proc = subprocess.Popen(["gnome-keyring-daemon", "--foreground", *unlock, "--components=secrets"],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdin is not None
        proc.stdin.write(password or "")  # --unlock reads the password from stdin until EOF
        proc.stdin.close()
        wait_for_bus_name(env, "org.freedesktop.secrets", proc)
        yield
    finally:
        _stop(proc)


def run_python(env: dict[str, str], module: str, *args: str, timeout: float = 30) -> Any:
    """Run `python -m module args...` from the repository root; return the JSON on its last stdout line."""
    result = subprocess.run([sys.executable, "-m", module, *args], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{module} failed ({result.returncode}):\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])
