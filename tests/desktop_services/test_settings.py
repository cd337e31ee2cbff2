"""Settings: defaults, round trip, migration from v1, a corrupt file moved aside, validation, atomic saves."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from kayako_desktop.desktop.settings import MIGRATIONS, SCHEMA_VERSION, UI_FIELDS, Settings, default_values


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def on_disk(path: Path) -> dict:
    return json.loads(path.read_text())


def test_a_new_profile_has_the_defaults_and_writes_nothing(path):
    settings = Settings.load(path)
    assert settings.as_dict() == default_values()
    assert settings.notifications is True and settings.sound_repeat_seconds == 10
    assert settings.embedded is None and settings.window["maximized"] is False
    assert settings.problems == [] and not path.exists()


def test_changes_are_saved_and_read_back(path):
    settings = Settings.load(path)
    embedded = {"url": "http://127.0.0.1:8765", "port": 8765, "data_dir": "/tmp/server",
                "email": "alice@example.com", "instance_id": "local"}
    settings.update(first_run_done=True, notifications=False, sound_repeat_seconds=30, embedded=embedded)
    settings.update(window={"width": 1400, "maximized": True})  # partial: merged onto the current one

    again = Settings.load(path)
    assert again.as_dict() == settings.as_dict()
    assert again.first_run_done is True and again.notifications is False
    assert again.sound_repeat_seconds == 30 and again.embedded == embedded
    assert again.window == {"width": 1400, "height": 800, "x": None, "y": None, "maximized": True}
    assert on_disk(path)["schema_version"] == SCHEMA_VERSION
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_v1_file_is_migrated_and_rewritten(path):
    assert len(MIGRATIONS) == SCHEMA_VERSION - 1
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"desktop_notifications": False, "repeat_sound_every": 25,
                                "first_run_done": True}))  # v1 had no schema_version field

    settings = Settings.load(path)

    assert settings.notifications is False and settings.sound_repeat_seconds == 25
    assert settings.first_run_done is True and settings.problems == []
    saved = on_disk(path)
    assert saved["schema_version"] == SCHEMA_VERSION
    assert saved["notifications"] is False and "desktop_notifications" not in saved


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"schema_version": "two"}', ""])
def test_a_corrupt_file_is_moved_aside_and_defaults_are_used(path, content):
    path.parent.mkdir(parents=True)
    path.write_text(content)

    settings = Settings.load(path)

    assert settings.as_dict() == default_values()
    aside = list(path.parent.glob("settings.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == content and not path.exists()
    assert len(settings.problems) == 1
    assert "could not be read" in settings.problems[0] and aside[0].name in settings.problems[0]
    settings.update(notifications=False)  # still usable, and saves a fresh file
    assert on_disk(path)["notifications"] is False


def test_an_invalid_saved_value_is_reset_with_a_message(path):
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "sound_repeat_seconds": -4,
                                "notifications": False}))
    settings = Settings.load(path)
    assert settings.sound_repeat_seconds == 10 and settings.notifications is False
    assert settings.problems == ["A saved setting was invalid and has been reset: The sound repeat interval "
                                 "must be a whole number of seconds from 3 to 600."]


@pytest.mark.parametrize(("changes", "message"), [
    ({"sound_repeat_seconds": 1}, "whole number of seconds from 3 to 600"),
    ({"sound_repeat_seconds": "10"}, "whole number of seconds"),
    ({"sound_repeat_seconds": True}, "whole number of seconds"),
    ({"notifications": "yes"}, "Notifications must be on or off"),
    ({"window": {"width": 50}}, "Window width must be"),
    ({"window": {"depth": 3}}, "unknown field(s): depth"),
    ({"embedded": {"port": 70000}}, "port must be from 1 to 65535"),
    ({"embedded": {"url": "ftp://x"}}, "must start with http:// or https://"),
    ({"colour": "blue"}, "Unknown setting 'colour'"),
])
def test_bad_changes_raise_a_readable_error_and_change_nothing(path, changes, message):
    settings = Settings.load(path)
    settings.update(notifications=False)
    before = path.read_text()
    with pytest.raises(ValueError, match="^[A-Z].*\\.$") as error:  # a sentence a UI can show
        settings.update(sound_repeat=False, **changes)
    assert message in str(error.value)
    assert settings.sound_repeat is True and path.read_text() == before


def test_the_ui_may_change_only_its_own_settings(path):
    settings = Settings.load(path)
    assert settings.update_from_ui({"sound_repeat": False}) == {
        "notifications": True, "sound_repeat": False, "sound_repeat_seconds": 10, "password_file_fallback": False,
        "name_prompt_pending": False, "request_popup": True}
    assert set(settings.ui_dict()) == set(UI_FIELDS)
    with pytest.raises(ValueError, match="cannot be changed here: embedded"):
        settings.update_from_ui({"embedded": None})
    with pytest.raises(ValueError, match="must be an object"):
        settings.update_from_ui(["notifications"])


def test_a_file_from_a_newer_version_is_used_but_not_overwritten(path):
    path.parent.mkdir(parents=True)
    newer = {"schema_version": SCHEMA_VERSION + 1, "notifications": False, "future_option": 1}
    path.write_text(json.dumps(newer))
    settings = Settings.load(path)
    assert settings.notifications is False and settings.read_only
    assert "newer version" in settings.problems[0]
    settings.update(sound_repeat=False)
    assert settings.sound_repeat is False and on_disk(path) == newer


def test_saves_are_atomic_and_thread_safe(path):
    settings = Settings.load(path)

    def change(seconds: int) -> None:
        for _ in range(20):
            settings.update(sound_repeat_seconds=seconds)

    threads = [threading.Thread(target=change, args=(seconds,)) for seconds in (5, 50, 500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert on_disk(path)["sound_repeat_seconds"] == settings.sound_repeat_seconds
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp files left behind
