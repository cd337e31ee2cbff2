"""The account the first run creates on the embedded server: named after the person at this computer."""

from __future__ import annotations

import getpass
import re
import sys


def os_user() -> tuple[str, str | None]:
    """(login, full name) of the person running the app; None when the account has no real name (system
    accounts such as root carry their login as the "name", which no visitor should be greeted with)."""
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
    return login, name if name and name.casefold() != login.casefold() else None


def suggested_name(login: str) -> str:
    """A first guess at a display name from a login, for the user to correct ("ada.l" → "Ada L")."""
    words = [w for w in re.split(r"[._\-\s]+", login) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)[:120] or "Agent"


def _windows_display_name() -> str:
    import ctypes

    size = ctypes.c_ulong(0)
    secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
    secur32.GetUserNameExW(3, None, ctypes.byref(size))  # 3 = NameDisplay
    buf = ctypes.create_unicode_buffer(size.value or 1)
    return str(buf.value) if secur32.GetUserNameExW(3, buf, ctypes.byref(size)) else ""


def local_email(login: str) -> str:
    return (re.sub(r"[^a-z0-9._-]", "", login.lower()).strip(".") or "agent") + "@localhost.localdomain"
