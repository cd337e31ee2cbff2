"""Download links for visitors: signed per file and per visitor, and expiring. An <img src> or a download
link cannot send the visitor's token in a header, and a token in a URL lands in access logs and browser
history, where it alone would read the whole conversation. A signed link opens one file, for its visitor,
for a short while (LINK_LIFETIME)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from kayako_desktop.server.services import Services

LINK_LIFETIME = 3600  # seconds
_KEY = "file_link_key"
_lock = threading.Lock()


def signing_key(svc: Services) -> bytes:
    """The server's key for links, made once and kept in the database (every node of a cluster signs alike)."""
    if svc.file_link_key is not None:
        return svc.file_link_key
    with _lock:
        with svc.db.read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
        if row is None:
            with svc.db.write() as tx:
                tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (_KEY, secrets.token_hex(32)))
            with svc.db.read() as db:
                row = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
        key = bytes.fromhex(row["value"])
        svc.file_link_key = key
        return key


def _signature(key: bytes, file_id: str, visitor_id: int, expires: int, download: bool) -> str:
    message = f"{file_id}|{visitor_id}|{expires}|{int(download)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def make_link(svc: Services, file_id: str, visitor_id: int, now: float, download: bool = False,
              lifetime: int = LINK_LIFETIME) -> tuple[str, int]:
    """(path with query, expiry as a unix time) of a link to the file's content for this visitor (a
    transcript's links last longer: they sit in a mailbox)."""
    expires = int(now) + lifetime
    params = {"v": visitor_id, "exp": expires, "sig": _signature(signing_key(svc), file_id, visitor_id, expires, download)}
    if download:
        params["download"] = 1
    return f"/api/v1/files/{file_id}/content?{urlencode(params)}", expires


def check_link(svc: Services, file_id: str, args: Any, now: float) -> int | None:
    """The visitor id a signed link was made for, or None when it is not a valid, unexpired link."""
    try:
        visitor_id, expires, sig = int(args.get("v", "")), int(args.get("exp", "")), str(args.get("sig", ""))
    except ValueError:
        return None
    if expires < now:
        return None
    wanted = _signature(signing_key(svc), file_id, visitor_id, expires, args.get("download") is not None)
    return visitor_id if hmac.compare_digest(sig, wanted) else None
