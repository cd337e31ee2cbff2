"""`kayako-desktop server ...`: run a chat server, or administer its data directory."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.serving import make_server

from kayako_desktop.console import say
from kayako_desktop.protocol.models import AgentRole

if TYPE_CHECKING:
    from kayako_desktop.server.services import Services

DEMO_EMAIL = "demo@example.com"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = sub.add_parser("server", help="run the chat server (Werkzeug, for one machine)")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8080)
    server.add_argument("--data-dir", default="./data")
    server.add_argument("--demo", action="store_true", help="create a demo agent and print its login")
    server.add_argument("--migrate", action="store_true",
                        help="bring an older database schema up to date before serving (else it is refused)")
    actions = server.add_subparsers(dest="action")
    create = actions.add_parser("create-agent", help="create an agent account")
    create.add_argument("--data-dir", required=True, dest="agent_data_dir")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=["agent", "supervisor", "admin"], default=None,
                        help="agent (default); supervisor: also the dashboard and reports, and may end or transfer "
                             "any chat; admin: also manages agents, departments, skills, rules and bans")
    create.add_argument("--admin", action="store_true", help="the same as --role admin")
    create.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the password from standard input (never from the command line)")
    create.add_argument("--max-chats", type=int, default=None)
    check = actions.add_parser("check", help="check the database's integrity (SQLite integrity_check)")
    check.add_argument("--data-dir", dest="tool_data_dir", default=None)
    check.add_argument("--repair", action="store_true",
                       help="copy every readable row into a new database beside the damaged one (the original "
                            "is left as it is)")
    migrate = actions.add_parser("migrate", help="upgrade the database schema to this version's (back it up first)")
    migrate.add_argument("--data-dir", dest="tool_data_dir", default=None)
    migrate.add_argument("--database-url", default=os.environ.get("CHAT_DATABASE_URL"),
                         help="a PostgreSQL database (postgresql://user@host/db) instead of the data directory's "
                              "SQLite; default: $CHAT_DATABASE_URL")
    copy = actions.add_parser("backup", help="copy the database to DEST while the server runs (SQLite backup API)")
    copy.add_argument("dest", help="a new file, or a directory to put a dated copy in")
    copy.add_argument("--data-dir", dest="tool_data_dir", default=None)


def _services(data_dir: str, migrate: bool = False) -> Services:  # a short-lived app just for its services
    from kayako_desktop.server import create_app
    from kayako_desktop.server.services import services_of

    config = {"CHAT_DATA_DIR": data_dir, "CHAT_TICK_SECONDS": 0, "CHAT_MIGRATE_ON_START": migrate}
    return services_of(create_app(config))


ROLE_CHOICES: dict[str, AgentRole] = {"agent": "AGENT", "supervisor": "SUPERVISOR", "admin": "ADMIN"}


def create_agent(args: argparse.Namespace) -> int:
    from kayako_desktop.protocol.commands import AgentCreate
    from kayako_desktop.server.actions.agents import do_create_agent
    from kayako_desktop.server.errors import ApiError

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        inp = AgentCreate(email=args.email, full_name=args.name, password=password,
                          role=ROLE_CHOICES["admin" if args.admin else args.role or "agent"], max_chats=args.max_chats or 4)
    except ValueError as exc:
        say(f"error: {exc}", error=True)
        return 2
    svc = _services(args.agent_data_dir)
    try:
        with svc.db.write() as tx:
            agent_id = do_create_agent(svc, tx, inp.email, inp.full_name, inp.password, inp.role, args.max_chats)
    except ApiError as exc:
        say(f"error: {exc.message}", error=True)
        return 1
    finally:
        svc.close()
    role = {"ADMIN": " (admin)", "SUPERVISOR": " (supervisor)"}.get(inp.role, "")
    say(f"created agent {agent_id}: {inp.full_name} <{inp.email}>{role}")
    return 0


def ensure_demo_agent(data_dir: str, migrate: bool = False) -> str:
    """A demo admin with a random password kept beside the data, so the login survives restarts."""
    from kayako_desktop.server.actions.agents import do_create_agent, do_set_password
    from kayako_desktop.server.queries.agents import agent_exists

    secret = Path(data_dir) / "demo-password.txt"
    svc = _services(data_dir, migrate)
    try:
        with svc.db.read() as db:
            exists = agent_exists(db, DEMO_EMAIL)
        if exists and secret.exists():
            return secret.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(9)
        with svc.db.write() as tx:
            if exists:
                do_set_password(tx, DEMO_EMAIL, password)
            else:
                do_create_agent(svc, tx, DEMO_EMAIL, "Demo Agent", password, "ADMIN")
        secret.write_text(password + "\n", encoding="utf-8")
        secret.chmod(0o600)
        return password
    finally:
        svc.close()


# A refused start (unwritable or damaged data) exits with this code after one "error: ..." line that says
# what is wrong and how to fix it; the desktop app shows the embedded server's last error line.
EXIT_STORAGE = 3


def _database(args: argparse.Namespace, hint: str = "") -> Path | None:
    """The data directory's database for the check/backup/migrate tools; None (said) when there is none."""
    from kayako_desktop.server.backup import DB_NAME

    db = Path(args.tool_data_dir or args.data_dir) / DB_NAME
    if db.is_file():
        return db
    say(f"error: {db} does not exist{hint}", error=True)
    return None


def check(args: argparse.Namespace) -> int:
    from kayako_desktop.server.backup import DB_NAME, integrity_problems, repair

    if (db := _database(args)) is None:
        return 2
    data_dir = db.parent
    problems = integrity_problems(db)
    if not problems:
        say(f"{db}: ok (integrity_check found no problem)")
    else:
        say(f"{db} is damaged (integrity_check):", error=True)
        for line in problems:
            say(f"  {line}", error=True)
    if not args.repair:
        if problems:
            say(f"Restore a backup, or run `kayako-desktop server check --repair --data-dir {data_dir}`.", error=True)
        return 1 if problems else 0
    result = repair(data_dir)
    copied = ", ".join(f"{t} {n}" for t, n in result.copied.items() if n)
    say(f"Copied what was readable into {result.path} ({copied}).")
    if result.lost:
        say("Unreadable parts skipped: " + ", ".join(f"{t} ({n})" for t, n in result.lost.items()))
    say(f"To use it: stop the server, move {db} (and any {DB_NAME}-wal / -shm) aside, rename {result.path.name} "
        f"to {DB_NAME}, start the server. Sessions are not copied: everyone logs in again.")
    return 0


def migrate(args: argparse.Namespace) -> int:
    """Upgrade the database's schema revision in place (server/schema.py); refuses one made by a newer server."""
    from kayako_desktop.server import schema

    if args.database_url:
        before, done = schema.migrate_url(args.database_url)
        where = schema.shown(args.database_url)
        if done == "current":
            say(f"{where}: already at schema revision {schema.head()}, the newest this server knows; nothing to do")
        else:
            say(f"{where}: now at schema revision {schema.head()} "
                f"({'created' if before is None else f'upgraded from {before}'})")
        return 0
    if (db := _database(args, " (a new database is made at the newest revision when the server starts)")) is None:
        return 2
    with closing(sqlite3.connect(db)) as conn:
        before = schema.current(conn)
        done = schema.ensure(conn, str(db), migrate=True)
    if done == "current":
        say(f"{db}: already at schema revision {schema.head()}, the newest this server knows; nothing to do")
    else:
        say(f"{db}: now at schema revision {schema.head()} ({done}"
            f"{'' if before else '; made by version 1 before revisions were recorded'})")
    return 0


def backup(args: argparse.Namespace) -> int:
    from kayako_desktop.server.backup import backup as copy_database

    if (db := _database(args)) is None:
        return 2
    try:
        dest = copy_database(db, Path(args.dest))
    except (OSError, RuntimeError, sqlite3.Error) as exc:
        say(f"error: backup failed: {exc}", error=True)
        return 1
    say(f"Backed up {db} to {dest} ({dest.stat().st_size:,} bytes). Uploaded files are not in it: copy "
        f"{db.parent / 'files'} too.")
    return 0


def run(args: argparse.Namespace) -> int:
    from kayako_desktop.server.storage import StorageError

    try:
        return _run(args)
    except StorageError as exc:
        say(f"error: {exc}", error=True)
        return EXIT_STORAGE


def _run(args: argparse.Namespace) -> int:
    if args.action == "create-agent":
        return create_agent(args)
    if args.action == "check":
        return check(args)
    if args.action == "backup":
        return backup(args)
    if args.action == "migrate":
        return migrate(args)
    from kayako_desktop.server import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    password = ensure_demo_agent(args.data_dir, args.migrate) if args.demo else None
    app = create_app({"CHAT_DATA_DIR": args.data_dir, "CHAT_MIGRATE_ON_START": args.migrate})
    server = make_server(args.host, args.port, app, threaded=True)
    url = f"http://{args.host}:{server.server_port}"
    say(f"Kayako chat server on {url}  (API {url}/api/v1, data in {Path(args.data_dir).resolve()})")
    if password:
        say(f"Demo agent login: {DEMO_EMAIL} / {password}")
        say(f"Demo website with the chat widget: {url}/demo")
    say(f'Embed the widget on any site: <script src="{url}/messenger.js" async></script>')
    say("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["chat"].close()
    return 0
