"""The desktop app's log file: a frozen windowed app has no console, so everything goes to a rotating
file in the user log folder (1 MB x 3 backups)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "kayako-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def setup_logging(log_dir: Path | str, level: int = logging.INFO) -> Path:
    """Send the root logger to log_dir/kayako-desktop.log and return that path. Calling it again with
    the same folder changes nothing; with another folder the old file handler is replaced."""
    folder = Path(log_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = (folder / LOG_NAME).resolve()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _AppLogHandler):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = _AppLogHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    logging.getLogger(__name__).info("logging to %s", path)
    return path


class _AppLogHandler(RotatingFileHandler):
    """Our own handler type, so setup_logging can find the one it added (and only that one)."""
