"""Where the web assets (web/) live: beside app/ in a checkout, inside the bundle when frozen by
PyInstaller. Its own module so the bridge can find them without importing the chat server."""

from __future__ import annotations

import sys
from pathlib import Path


def web_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "web"
    return Path(__file__).resolve().parents[1] / "web"
