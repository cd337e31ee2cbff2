"""Where the desktop app keeps its files: per-user platform folders, or everything under one
profile folder (`--profile`, tests, portable use)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Kayako Desktop"


class AppPaths:
    """The app's folders. Nothing is created until `ensure()` is called."""

    def __init__(self, profile: Path | str | None = None) -> None:
        if profile is not None:
            root = Path(profile).expanduser().resolve()
            dirs = (root / "data", root / "config", root / "logs")
        else:
            dirs = (
                Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
                Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
                Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            )
        self.profile = Path(profile) if profile is not None else None
        self.data_dir: Path = dirs[0]
        self.config_dir: Path = dirs[1]
        self.log_dir: Path = dirs[2]
        self.server_dir: Path = dirs[0] / "server"

    def __repr__(self) -> str:
        return f"AppPaths(data_dir={self.data_dir!s}, config_dir={self.config_dir!s}, log_dir={self.log_dir!s})"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def instances_dir(self) -> Path:
        """The folder for instances.json (and credentials.json when the file fallback is on)."""
        return self.data_dir

    def ensure(self) -> AppPaths:
        """Create every folder (private to the user) and return self."""
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.server_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self
