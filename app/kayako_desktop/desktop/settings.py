"""Desktop settings: one versioned JSON file (schema_version + MIGRATIONS), validated on load and on
every change, saved atomically. A file that cannot be read is moved aside and defaults are used."""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kayako_desktop.bridge.store import atomic_write

log = logging.getLogger(__name__)

Migration = Callable[[dict[str, Any]], dict[str, Any]]
Validator = Callable[[Any, Any], Any]  # (new value, current value) -> value to store; ValueError if bad


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 (the first previews) named two settings differently from the UI and NativeApi."""
    renames = {"desktop_notifications": "notifications", "repeat_sound_every": "sound_repeat_seconds"}
    return {renames.get(key, key): value for key, value in data.items()}


# MIGRATIONS[n - 1] turns a version-n dict into version n + 1. Append; never edit a shipped one.
MIGRATIONS: list[Migration] = [_v1_to_v2]
SCHEMA_VERSION = len(MIGRATIONS) + 1

# The settings the agent UI may read and change (desktop_info / update_settings).
UI_FIELDS = ("notifications", "request_popup", "sound_repeat", "sound_repeat_seconds", "password_file_fallback",
             "name_prompt_pending")

DEFAULT_WINDOW: dict[str, Any] = {"width": 1200, "height": 800, "x": None, "y": None, "maximized": False}
EMBEDDED_KEYS = {"url": str, "port": int, "data_dir": str, "email": str, "instance_id": str}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _boolean(label: str) -> Validator:
    def check(value: Any, current: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{label} must be on or off (true or false).")
        return value
    return check


def _integer(label: str, low: int, high: int, unit: str) -> Validator:
    def check(value: Any, current: Any) -> int:
        if not _is_int(value) or not low <= value <= high:
            raise ValueError(f"{label} must be a whole number of {unit} from {low} to {high}.")
        return int(value)
    return check


def _window(value: Any, current: Any) -> dict[str, Any]:
    """A partial dict is merged onto the current geometry, so the shell can send only what changed."""
    if not isinstance(value, dict):
        raise ValueError("Window position must be an object with width, height, x, y and maximized.")
    unknown = set(value) - set(DEFAULT_WINDOW)
    if unknown:
        raise ValueError(f"Window position has unknown field(s): {', '.join(sorted(unknown))}.")
    merged = {**DEFAULT_WINDOW, **(current or {}), **value}
    for key in ("width", "height"):
        if not _is_int(merged[key]) or not 200 <= merged[key] <= 20000:
            raise ValueError(f"Window {key} must be a whole number of pixels from 200 to 20000.")
    for key in ("x", "y"):
        if merged[key] is not None and (not _is_int(merged[key]) or abs(merged[key]) > 100000):
            raise ValueError(f"Window {key} must be a whole number of pixels or empty.")
    if not isinstance(merged["maximized"], bool):
        raise ValueError("Window maximized must be true or false.")
    return merged


def _embedded(value: Any, current: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("Embedded server settings must be an object or empty.")
    unknown = set(value) - set(EMBEDDED_KEYS)
    if unknown:
        raise ValueError(f"Embedded server settings have unknown field(s): {', '.join(sorted(unknown))}.")
    for key, kind in EMBEDDED_KEYS.items():
        if key in value and not (isinstance(value[key], kind) and not isinstance(value[key], bool)):
            raise ValueError(f"Embedded server {key} must be a {kind.__name__}.")
    if "port" in value and not 1 <= value["port"] <= 65535:
        raise ValueError("Embedded server port must be from 1 to 65535.")
    if "url" in value and not value["url"].startswith(("http://", "https://")):
        raise ValueError("Embedded server url must start with http:// or https://.")
    return dict(value)


VALIDATORS: dict[str, Validator] = {
    "first_run_done": _boolean("First run done"),
    "embedded": _embedded,
    "notifications": _boolean("Notifications"),
    "request_popup": _boolean("Show chat requests in a window on top"),
    "sound_repeat": _boolean("Repeat the chat request sound"),
    "sound_repeat_seconds": _integer("The sound repeat interval", 3, 600, "seconds"),
    "password_file_fallback": _boolean("Store passwords in a file"),
    "name_prompt_pending": _boolean("Ask for your name"),
    "window": _window,
}


def default_values() -> dict[str, Any]:
    return {"first_run_done": False, "embedded": None, "notifications": True, "request_popup": True, "sound_repeat": True,
            "sound_repeat_seconds": 10, "password_file_fallback": False, "name_prompt_pending": False,
            "window": dict(DEFAULT_WINDOW)}


class Settings:
    """The settings of one profile. Read attributes freely; change them only through update()."""

    first_run_done: bool
    embedded: dict[str, Any] | None
    notifications: bool
    request_popup: bool  # the always-on-top request window (requests always show in the main window too)
    sound_repeat: bool
    sound_repeat_seconds: int
    password_file_fallback: bool
    name_prompt_pending: bool  # the first run found no real name: ask the agent for one
    window: dict[str, Any]

    def __init__(self, path: Path | str, values: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self.problems: list[str] = []  # readable messages for the UI (a notice at start-up)
        self.read_only = False  # True when the file belongs to a newer version of the app
        self._lock = threading.RLock()
        for name, value in {**default_values(), **(values or {})}.items():
            setattr(self, name, value)

    @classmethod
    def load(cls, path: Path | str) -> Settings:
        """Read, migrate and validate the file; never raises for a bad file (see .problems)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            settings = cls(path)
            settings.problems.append(f"Your settings could not be read ({exc}); default settings are in use.")
            return settings
        try:
            data, version = _parse(text)
            data = migrate(data, version)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return cls._from_corrupt(path, exc)
        values, problems = _validated(data)
        settings = cls(path, values)
        settings.problems.extend(problems)
        if version > SCHEMA_VERSION:
            settings.read_only = True
            settings.problems.append("Your settings were saved by a newer version of Kayako Desktop; "
                                     "changes made in this version will not be saved.")
        elif version < SCHEMA_VERSION or problems:
            log.info("settings: rewriting %s (version %d -> %d, %d reset)", path, version, SCHEMA_VERSION,
                     len(problems))
            settings._save_quietly()
        return settings

    @classmethod
    def _from_corrupt(cls, path: Path, exc: Exception) -> Settings:
        settings = cls(path)
        try:
            aside = _move_aside(path)
        except OSError as move_error:
            log.warning("settings: %s is unreadable (%s) and could not be moved: %s", path, exc, move_error)
            settings.problems.append(f"Your settings file could not be read ({exc}); default settings are in use.")
            return settings
        log.warning("settings: %s is unreadable (%s); moved to %s", path, exc, aside)
        settings.problems.append(f"Your settings file could not be read ({exc}). It was moved to "
                                 f"{aside.name} and default settings are in use.")
        return settings

    def _save_quietly(self) -> None:
        try:
            self.save()
        except OSError as exc:
            log.warning("settings: could not save %s: %s", self.path, exc)
            self.problems.append(f"Your settings could not be saved ({exc}).")

    def as_dict(self) -> dict[str, Any]:
        """A deep copy of every setting (safe to hand to other threads)."""
        with self._lock:
            return copy.deepcopy({name: getattr(self, name) for name in VALIDATORS})

    def ui_dict(self) -> dict[str, Any]:
        """The settings the agent UI sees (desktop_info()["settings"])."""
        values = self.as_dict()
        return {name: values[name] for name in UI_FIELDS}

    def save(self) -> None:
        with self._lock:
            self._write(self.as_dict())

    def update(self, **changes: Any) -> dict[str, Any]:
        """Validate every change (ValueError with a readable message), save, then apply. All or nothing."""
        with self._lock:
            values = self.as_dict()
            for name, value in changes.items():
                validator = VALIDATORS.get(name)
                if validator is None:
                    raise ValueError(f"Unknown setting '{name}'.")
                values[name] = validator(value, values[name])
            if values != self.as_dict():
                self._write(values)
                for name, value in values.items():
                    setattr(self, name, value)
            return self.as_dict()

    def update_from_ui(self, changes: Any) -> dict[str, Any]:
        """update() for js_api input: only UI_FIELDS may change. Returns ui_dict()."""
        if not isinstance(changes, dict):
            raise ValueError("Settings changes must be an object.")
        refused = [str(name) for name in changes if name not in UI_FIELDS]
        if refused:
            raise ValueError(f"These settings cannot be changed here: {', '.join(refused)}.")
        self.update(**changes)
        return self.ui_dict()

    def _write(self, values: dict[str, Any]) -> None:
        if self.read_only:
            log.warning("settings: not saving %s (it belongs to a newer version)", self.path)
            return
        document = {"schema_version": SCHEMA_VERSION, **values}
        atomic_write(self.path, json.dumps(document, indent=2, sort_keys=True) + "\n")


def _parse(text: str) -> tuple[dict[str, Any], int]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("it does not hold a JSON object")
    version = data.pop("schema_version", 1)  # v1 files predate the field
    if not _is_int(version) or version < 1:
        raise ValueError(f"unknown schema_version {version!r}")
    return data, version


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Run every migration from `version` up to SCHEMA_VERSION (none for a newer file)."""
    for step in MIGRATIONS[version - 1:]:
        data = step(data)
    return data


def _validated(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Keep each valid value; reset an invalid one to its default with a message for the user."""
    values = default_values()
    problems: list[str] = []
    for name, value in data.items():
        validator = VALIDATORS.get(name)
        if validator is None:
            log.info("settings: ignoring unknown key %r", name)
            continue
        try:
            values[name] = validator(value, values[name])
        except ValueError as exc:
            problems.append(f"A saved setting was invalid and has been reset: {exc}")
    return values, problems


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    path.replace(aside)
    return aside
