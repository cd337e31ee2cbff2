"""The account the first run creates on the embedded server: named after the person at this computer."""

from __future__ import annotations

import getpass
import re
import sys


def os_user() -> tuple[str, str]:
    """(login, display name) of the person running the app."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = "agent"
    name = ""
    try:
        import pwd

        name = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        if sys.platform == "win32":
            name = _windows_display_name()
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()[:120]
    return login, name or login


def _windows_display_name() -> str:
    import ctypes

    size = ctypes.c_ulong(0)
    secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
    secur32.GetUserNameExW(3, None, ctypes.byref(size))  # 3 = NameDisplay
    buf = ctypes.create_unicode_buffer(size.value or 1)
    return str(buf.value) if secur32.GetUserNameExW(3, buf, ctypes.byref(size)) else ""


def local_email(login: str) -> str:
    return (re.sub(r"[^a-z0-9._-]", "", login.lower()).strip(".") or "agent") + "@localhost.localdomain"
