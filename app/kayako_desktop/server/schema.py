"""The database's schema revision: made and upgraded by the Alembic migrations in server/migrations,
checked at every start.

Revisions are files `migrations/versions/NNNN_name.py`, one after another (NNNN is the revision id and
each revises the one before; tests/server/test_migrations.py checks the chain). A database records its
revision in Alembic's `alembic_version` table and, for servers older than Alembic, as SQLite's
`user_version` (the revision's ordinal: those servers refuse anything above the 1 they know). Starting
against a database:
- at this code's newest revision: used as it is (nothing imported, nothing written);
- made by version 1 before Alembic (user_version 1, no `alembic_version`): adopted as revision 0001, which
  is exactly its schema;
- at an older revision: upgraded when the server runs with `--migrate` (the desktop app's embedded server
  always does), else refused with the command to run (`kayako-desktop server migrate`) — a team server's
  operator upgrades on purpose, after a backup;
- at a revision this code doesn't know (made by a newer server): refused, never used.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from kayako_desktop.server.storage import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaError(StorageError):
    """The database's revision is not one this server can use as it is; str() says what to do."""


def revisions() -> list[str]:
    """Every revision id, oldest first, from the file names."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head() -> str:
    return revisions()[-1]


def current(conn: sqlite3.Connection) -> str | None:
    """The revision a database records, or None when it has no alembic_version table."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone():
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _config(connection: object) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _alembic(path: str, command_name: str, revision: str) -> None:
    """Run one Alembic command (upgrade/stamp) on the SQLite file at `path`, in one transaction."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin chatter; ensure() says what it did
    from alembic import command
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        dbapi_conn.execute("PRAGMA busy_timeout=30000")

    try:
        with engine.begin() as connection:
            getattr(command, command_name)(_config(connection), revision)
    finally:
        engine.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA user_version={revisions().index(revision) + 1}")
    finally:
        conn.close()


def upgrade(path: str) -> None:
    """Bring the database at `path` (new and empty, or older) to this code's newest revision."""
    _alembic(path, "upgrade", head())


def ensure(conn: sqlite3.Connection, path: str, *, migrate: bool) -> str:
    """Check (and, if allowed, upgrade) the revision of the open database at `path`; returns what happened:
    "current", "adopted" or "upgraded from NNNN". Raises SchemaError when it can't be used as it is."""
    db = Path(path)
    known = revisions()
    recorded = current(conn)
    if recorded is None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != 1:
            raise SchemaError(
                f"{db} says it is schema version {version}, which this server ({head()}) does not know: it was made "
                "by a newer Kayako Desktop. Run that version, or restore a backup made by this one.")
        _alembic(path, "stamp", "0001")  # version 1 before Alembic: exactly revision 0001
        if head() == "0001":
            return "adopted"
        recorded = "0001"
    if recorded == head():
        return "current"
    if recorded not in known:
        raise SchemaError(
            f"{db} is at schema revision {recorded}, newer than this server knows (newest: {head()}): it was "
            "upgraded by a newer Kayako Desktop. Run that version, or restore a backup made by this one.")
    if not migrate:
        raise SchemaError(
            f"{db} is at schema revision {recorded}; this server needs {head()}. Back it up "
            f"(`kayako-desktop server backup DEST --data-dir {db.parent}`), then run "
            f"`kayako-desktop server migrate --data-dir {db.parent}` (or start with --migrate).")
    upgrade(path)
    logging.getLogger(__name__).warning("%s: schema upgraded from revision %s to %s", db, recorded, head())
    return f"upgraded from {recorded}"


def database_url(url: str) -> str:
    """A PostgreSQL URL as SQLAlchemy needs it: `postgresql://…` means the psycopg (3) driver we ship."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername != "postgresql+psycopg":
        raise SchemaError(f"{shown(url)}: give a PostgreSQL URL (postgresql://user@host:port/database); "
                          "a SQLite database is chosen with --data-dir")
    return parsed.render_as_string(hide_password=False)


def shown(url: str) -> str:
    """The URL as it may be printed: never with its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the database URL"


def migrate_url(url: str) -> tuple[str | None, str]:
    """Create or upgrade the chat schema in the PostgreSQL database at `url`, in one transaction (PostgreSQL
    changes its schema transactionally: a failure leaves it as it was). Returns (the revision it had, what
    happened: "created", "current" or "upgraded"). Refuses a database holding other tables, or one at a
    revision this code doesn't know."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import OperationalError

    engine = create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            recorded = MigrationContext.configure(conn).get_current_revision()
            if recorded is None and inspect(conn).get_table_names():
                raise SchemaError(
                    f"{shown(url)} already holds tables but no chat schema revision: it is not a Kayako Desktop "
                    "database. Give the chat server a database of its own (createdb), then migrate that.")
            if recorded is not None and recorded not in revisions():
                raise SchemaError(
                    f"{shown(url)} is at schema revision {recorded}, newer than this server knows (newest: "
                    f"{head()}): it was upgraded by a newer Kayako Desktop. Run that version.")
            if recorded == head():
                return recorded, "current"
            command.upgrade(_config(conn), head())
        return recorded, "created" if recorded is None else "upgraded"
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SchemaError(f"cannot reach the database at {shown(url)}: {reason}") from None
    finally:
        engine.dispose()
