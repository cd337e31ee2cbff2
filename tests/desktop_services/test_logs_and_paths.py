"""Log file setup and the app's folders."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from kayako_desktop.desktop.logs import setup_logging
from kayako_desktop.desktop.paths import AppPaths


def test_logging_goes_to_one_rotating_file(tmp_path, restore_logging):
    path = setup_logging(tmp_path / "logs")
    assert setup_logging(tmp_path / "logs") == path  # idempotent: still one handler
    ours = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert len(ours) == 1 and ours[0].maxBytes == 1_000_000 and ours[0].backupCount == 3

    logging.getLogger("kayako_desktop.desktop.test").warning("bob's chat was dropped")
    ours[0].flush()
    line = path.read_text().splitlines()[-1]
    assert " WARNING kayako_desktop.desktop.test " in line and line.endswith("bob's chat was dropped")
    assert line[:4].isdigit()  # starts with the time

    moved = setup_logging(tmp_path / "other")
    assert moved != path
    assert [h.baseFilename for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)] == [
        str(moved)]


def test_a_profile_holds_every_folder(tmp_path):
    paths = AppPaths(tmp_path / "profile").ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.server_dir):
        assert folder.is_dir() and folder.is_relative_to(tmp_path / "profile")
        assert folder.stat().st_mode & 0o777 == 0o700
    assert paths.settings_file.parent == paths.config_dir


def test_without_a_profile_the_platform_folders_are_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    paths = AppPaths()
    assert paths.data_dir == tmp_path / "data" / "Kayako Desktop"
    assert paths.config_dir == tmp_path / "config" / "Kayako Desktop"
    assert paths.log_dir.is_relative_to(tmp_path / "state")
    assert paths.server_dir == paths.data_dir / "server"
    assert not paths.data_dir.exists()  # nothing is created until ensure()
