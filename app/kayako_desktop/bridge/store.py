"""Where instances and their passwords are kept. The bridge takes a store; the desktop app passes one
backed by platformdirs + the OS keyring, tests and `--browser` a file store."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Protocol


class InstanceStore(Protocol):
    def load(self) -> list[dict[str, Any]]: ...
    def save(self, instances: list[dict[str, Any]]) -> None: ...
    def get_password(self, instance_id: str) -> str | None: ...
    def set_password(self, instance_id: str, password: str) -> None: ...
    def delete_password(self, instance_id: str) -> None: ...


def atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write to a temp file beside the target and rename it over: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileStore:
    """instances.json (no secrets) and credentials.json (mode 0600) in one folder."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self._lock = threading.Lock()

    def _read(self, name: str, default: Any) -> Any:
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return default

    def load(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._read("instances.json", {"instances": []}).get("instances", []))

    def save(self, instances: list[dict[str, Any]]) -> None:
        with self._lock:
            atomic_write(self.folder / "instances.json", json.dumps({"version": 1, "instances": instances}, indent=2))

    def get_password(self, instance_id: str) -> str | None:
        with self._lock:
            value = self._read("credentials.json", {}).get(instance_id)
            return str(value) if value is not None else None

    def set_password(self, instance_id: str, password: str) -> None:
        with self._lock:
            creds = self._read("credentials.json", {})
            creds[instance_id] = password
            atomic_write(self.folder / "credentials.json", json.dumps(creds))

    def delete_password(self, instance_id: str) -> None:
        with self._lock:
            creds = self._read("credentials.json", {})
            if creds.pop(instance_id, None) is not None:
                atomic_write(self.folder / "credentials.json", json.dumps(creds))
