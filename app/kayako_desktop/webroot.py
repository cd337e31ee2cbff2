"""Where the web assets live: the package data `kayako_desktop.web` (web/ in a checkout, mapped by
pyproject.toml; inside the wheel; inside the PyInstaller bundle), found the one way importlib.resources
finds package data. Its own module so the bridge can find them without importing the chat server."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def web_root() -> Path:
    root = files("kayako_desktop.web")
    path = Path(str(root))
    if not (path / "agent" / "index.html").is_file():  # a zip import or a broken install: say so plainly
        raise RuntimeError(f"The web assets are missing from this installation (looked in {path})")
    return path
