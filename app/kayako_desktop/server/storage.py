"""The data directory at start-up: writable, and the database a healthy one of ours, or the server refuses
to start with a sentence that names the file and the fix (DESIGN §7). A new database is only ever made
where no file exists, under a temporary name moved into place once complete, so a damaged or empty file
is never mistaken for a fresh start."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x4B444331  # "KDC1" in the database header: this file is a Kayako Desktop chat database
OUR_TABLES = frozenset({"agents", "sessions", "visitors", "conversations", "participants", "posts", "events",
                        "meta"})


class StorageError(RuntimeError):
    """The data cannot be used safely; str() is the whole explanation for the operator."""


def _fixes(db: Path, repair: bool = True) -> str:
    restore = f"Restore it from a backup (stop the server, copy the backup to {db}, start again)"
    if not repair:
        return restore + "."
    return (f"{restore}, or run `kayako-desktop server check --repair --data-dir {db.parent}` to copy what is "
            "still readable into a new file beside it.")


def check_writable(directory: Path) -> None:
    """Create and remove a file: the only test that holds for every user, root included (os.access lies)."""
    probe = directory / f".write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StorageError(
            f"The data directory {directory} is not writable ({exc.strerror}). The chat server must create and "
            f"change files there: give the user running it write access (e.g. `chown -R <user> {directory}`), "
            "or choose another directory with --data-dir / CHAT_DATA_DIR.") from exc


def inspect_file(db: Path) -> bool:
    """Before SQLite opens it: True when there is no database yet (make one). Refuses a file that is empty,
    not SQLite, or a write-ahead log left without its database."""
    wal = db.with_name(db.name + "-wal")
    if not db.exists():
        if wal.exists() and wal.stat().st_size > 0:
            raise StorageError(
                f"{wal} exists but its database {db} does not: the database file was removed or moved. Put it "
                f"back (or restore it from a backup); to really start with no data, delete {wal} and "
                f"{db.name}-shm as well.")
        return True
    size = db.stat().st_size
    if size == 0:
        raise StorageError(
            f"{db} is empty (0 bytes). This server never leaves an empty database behind (a new one is made "
            "complete under another name first), so it was truncated or replaced: every agent and chat in it is "
            f"gone. {_fixes(db, repair=False)} To start a new, empty server instead, delete the empty file.")
    with open(db, "rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        raise StorageError(f"{db} is not a SQLite database (it does not start with the SQLite header). "
                           f"{_fixes(db)}")
    return False


def check_ours(conn: sqlite3.Connection, db: Path) -> bool:
    """True when the open database is empty and may be initialised; refuses a database that is not ours."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and app_id == 0 and not tables:
        return True
    if app_id not in (0, APPLICATION_ID) or version == 0 or not OUR_TABLES <= tables:
        raise StorageError(
            f"{db} is a SQLite database, but not a Kayako Desktop chat database (application id {app_id:#x}, "
            f"schema version {version}). Point --data-dir / CHAT_DATA_DIR at the chat server's own data "
            "directory, or move this file away.")
    return False


def check_health(conn: sqlite3.Connection, db: Path) -> None:
    """PRAGMA quick_check (seconds on a large database, no index cross-check), then prove the file takes
    a write: a read-only file opens fine and would only fail on the first chat."""
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise StorageError(f"{db} is damaged (SQLite quick_check: {'; '.join(problems)}). {_fixes(db)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(version)}")  # a real write to page 1, rolled back
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StorageError(
            f"{db} cannot be written ({exc}). Give the user running the server write access to the file and "
            f"its directory {db.parent} (the -wal and -shm files beside it too).") from exc


def explain(exc: sqlite3.DatabaseError, db: Path) -> StorageError:
    """SQLite refused to open or read the file at all."""
    return StorageError(f"{db} cannot be opened as a database ({exc}). {_fixes(db)}")
