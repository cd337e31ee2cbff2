"""Files the user picked in a native dialog or dropped from the file manager, as capabilities: the page gets
an opaque reference for each (never the path) and the bridge redeems it once to upload the file. A page,
or anyone who stole the bridge's token, cannot name any other file on this computer."""

from __future__ import annotations

import secrets
import threading
import time

LIFETIME = 15 * 60.0  # seconds: long enough to look at a preview and press OK, short enough to be useless later


class LocalFiles:
    def __init__(self, lifetime: float = LIFETIME) -> None:
        self._lock = threading.Lock()
        self._refs: dict[str, tuple[str, float]] = {}  # ref -> (path, expires at)
        self.lifetime = lifetime

    def mint(self, path: str) -> str:
        """A single-use reference to `path`, which the shell itself got from a dialog or a drop."""
        ref = secrets.token_urlsafe(18)
        now = time.monotonic()
        with self._lock:
            self._refs = {r: v for r, v in self._refs.items() if v[1] > now}  # forget the expired
            self._refs[ref] = (path, now + self.lifetime)
        return ref

    def redeem(self, ref: str) -> str | None:
        """The path for `ref`, once; None when it was never minted, was used already or has expired."""
        with self._lock:
            found = self._refs.pop(ref, None)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]
