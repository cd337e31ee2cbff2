"""NativeApi: the only js_api (docs: app/kayako_desktop/desktop/CONTRACT.md). pywebview exposes every public method and
walks every public attribute, so state lives in `_private` attributes. Each method checks its arguments
(they come from a web page) and hands the work to the app; no logic of its own."""

from __future__ import annotations

import logging
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kayako_desktop.desktop.local_files import LocalFiles

if TYPE_CHECKING:
    from kayako_desktop.desktop.app import DesktopApp

log = logging.getLogger(__name__)

EXTERNAL_SCHEMES = ("http", "https", "mailto")
# A transcript of the longest chat (10,000 messages) as HTML stays well under this.
MAX_SAVE_CHARS = 32 * 1024 * 1024
# notify(): each kind and the id it is about — a background chat, a visitor (a rule's alert), a colleague.
NOTIFY_TARGETS = {"message": "cid", "alert": "visitor", "staff": "agent"}


class ApiError(ValueError):
    """A js_api call with bad arguments; pywebview rejects the JS promise with this message."""


def _text(value: Any, label: str, limit: int = 1000) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(f"{label} must be text")
    return value


def _int(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise ApiError(f"{label} must be a whole number")
    return int(value)


def _file_entry(path: str, local_files: LocalFiles) -> dict[str, Any]:
    """What the page may know of a file the user chose: its name, size and a single-use reference to it
    (app/kayako_desktop/desktop/local_files.py) — never its path."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        size = None
    return {"ref": local_files.mint(str(p)), "name": p.name, "size": size}


class NativeApi:
    def __init__(self, app: DesktopApp) -> None:
        self._app = app

    def desktop_info(self) -> dict[str, Any]:
        return self._app.desktop_info()

    def update_settings(self, changes: Any) -> dict[str, Any]:
        if not isinstance(changes, dict):
            raise ApiError("changes must be an object")
        return self._app.update_settings(changes)

    def retry_setup(self) -> bool:
        return self._app.first_run.retry()

    def pick_files(self, kind: Any, multiple: Any = False) -> list[dict[str, Any]]:
        if kind not in ("image", "file"):
            raise ApiError("kind must be 'image' or 'file'")
        return [_file_entry(p, self._app.local_files) for p in self._app.shell.pick_files(kind, bool(multiple))]

    def save_file(self, name: Any, content: Any) -> dict[str, Any] | None:
        """Save text the page made (a transcript) where the user chooses in the native save dialog; None when
        they cancel. The page suggests a file name only (no folder); it learns the name saved, never the path."""
        name = _text(name, "name", 200).strip()
        if not name or name.startswith(".") or any(c in name for c in ("/", "\\", "\0")):
            raise ApiError("name must be a plain file name")
        content = _text(content, "content", MAX_SAVE_CHARS)
        try:
            saved = self._app.save_text(name, content)
        except OSError as exc:
            raise ApiError(f"Could not save {name}: {exc.strerror or exc}") from None
        return None if saved is None else {"name": saved}

    def dropped_files(self, names: Any) -> list[dict[str, Any]] | None:
        if not isinstance(names, list) or not names or len(names) > 100:
            raise ApiError("names must be a list of file names")
        paths = self._app.shell.drops.claim([_text(n, "a file name", 4096) for n in names])
        return None if paths is None else [_file_entry(p, self._app.local_files) for p in paths]

    def open_external(self, url: Any) -> bool:
        url = _text(url, "url", 8192).strip()
        if urlsplit(url).scheme.lower() not in EXTERNAL_SCHEMES:
            log.warning("native api: refused to open %r", url[:200])
            return False
        return bool(webbrowser.open(url))

    def set_attention(self, counts: Any) -> None:
        if not isinstance(counts, dict):
            raise ApiError("counts must be an object")
        requests = max(0, _int(counts.get("requests", 0), "requests"))
        unread = max(0, _int(counts.get("unread", 0), "unread"))
        self._app.set_attention(requests, unread)

    def notify(self, n: Any) -> bool:
        """An OS notification the page decided on; a click brings the window forward and opens the chat (message)
        or the thread with the colleague (staff). One per chat, visitor or colleague on screen at a time."""
        kind = n.get("kind") if isinstance(n, dict) else None
        if not isinstance(kind, str) or kind not in NOTIFY_TARGETS:
            raise ApiError("n must be a message, alert or staff notification")
        instance = _text(n.get("instance"), "instance", 100)
        target = NOTIFY_TARGETS[kind]
        payload: dict[str, Any] = {"kind": kind, "instance": instance, target: _int(n.get(target), target)}
        return self._app.notify(_text(n.get("title"), "title", 300), _text(n.get("body", ""), "body", 2000),
                                payload, tag=f"{kind}:{instance}:{payload[target]}")

    def answer_request(self, instance: Any, cid: Any, accept: Any) -> dict[str, Any]:
        if not isinstance(accept, bool):
            raise ApiError("accept must be true or false")
        return self._app.answer_request(_text(instance, "instance", 100), _int(cid, "cid"), accept)

    def open_demo(self) -> bool:
        return self._app.open_demo()

