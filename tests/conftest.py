"""Shared fixtures: a real chat server on a free port per test, with a fresh data dir and fake clock."""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kayako_desktop.server import create_app
from kayako_desktop.server.clock import FakeClock
from werkzeug.serving import make_server

from tests.support import Agent, LiveServer, Mailbox, Visitor

# Test tiers, by folder: `scripts/test.sh -m unit` (seconds), `-m "not desktop and not packaging"`, ...
TIERS = {"protocol": "unit", "web": "unit", "desktop_services": "unit", "server": "server", "bridge": "server",
         "kayako_client": "server",
         "e2e": "e2e", "desktop": "desktop", "packaging": "packaging", "cluster": "cluster"}


# What only a SQLite data directory has (its file, WAL, backups, repair, pre-Alembic versions): these modules
# stay out of a --database=postgresql run.
SQLITE_ONLY = {"test_storage.py", "test_migrations.py", "test_cli.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database") == "postgresql":
        _keep(config, items, lambda i, item: item.path.name not in SQLITE_ONLY)
    part = config.getoption("--part")
    if part:
        k, n = _part(part)
        share = _share(items, k, n)
        _keep(config, items, lambda i, item: i in share)
    for item in items:
        parts = item.path.relative_to(item.config.rootpath).parts
        tier = TIERS.get(parts[1]) if len(parts) > 2 and parts[0] == "tests" else None
        if tier:
            item.add_marker(getattr(pytest.mark, tier))
        if tier == "desktop" and parts[-1] == "test_shell_parts.py":
            item.add_marker(pytest.mark.unit)  # no window: the shell's parts alone
    # scripts/test.sh runs the suite tier by tier: a test in no tier would never run there.
    untiered = [item.nodeid for item in items if not any(item.get_closest_marker(t) for t in set(TIERS.values()))]
    if untiered:
        raise pytest.UsageError(f"tests outside every tier (add their folder to TIERS): {untiered[:5]}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per session, for tests/e2e and tests/desktop's visitors (one
    Playwright sync driver per process: two would fight over the event loop)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server_config() -> dict[str, Any]:
    """Override in a test module to change settings."""
    return {}


def _keep(config: pytest.Config, items: list[pytest.Item], keep: Callable[[int, pytest.Item], bool]) -> None:
    kept = [item for i, item in enumerate(items) if keep(i, item)]
    if len(kept) < len(items):
        ids = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in ids])
        items[:] = kept


def _share(items: list[pytest.Item], k: int, n: int) -> set[int]:
    """The indexes of part k of n: each test, in order, goes to the part with the fewest seconds so far (a test
    counts as 1 unless it is marked `seconds(n)`); every run computes the same split."""
    load = [0.0] * n
    mine: set[int] = set()
    for i, item in enumerate(items):
        mark = item.get_closest_marker("seconds")
        j = load.index(min(load))
        load[j] += float(mark.args[0]) if mark else 1.0
        if j == k - 1:
            mine.add(i)
    return mine


def _part(value: str) -> tuple[int, int]:
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise pytest.UsageError(f"--part takes K/N with 1 <= K <= N, e.g. 2/3 (got {value!r})")
    return int(k), int(n)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--part", default=None,
                     help="run part K of N of the selected tests (every Nth, from the Kth), for runs side by side: "
                          "scripts/test.sh runs the PostgreSQL pass as three parts")
    parser.addoption("--database", choices=("sqlite", "postgresql"), default="sqlite",
                     help="where the test servers (the live/live2 fixtures) keep chats: SQLite files (default), or a "
                          "real PostgreSQL this session starts (a fresh database per server)")


@pytest.fixture(scope="session")
def fresh_database(request: pytest.FixtureRequest) -> Iterator[DatabasePool | None]:
    """With --database=postgresql, the pool the test servers take their databases from (a PostgreSQL this
    session starts); else None (SQLite in the server's data dir)."""
    if request.config.getoption("--database") != "postgresql":
        yield None
        return
    from tests.support import Postgres

    server = Postgres().start()
    pool = request.config.stash[_POOL] = DatabasePool(server)
    yield pool
    server.stop()


class DatabasePool:
    """Databases for the test servers, used again once emptied. A copy of the template is ~10 MB of catalogs written
    twice (data and WAL): a pass over the server tier made ~600 of them, 6 GB, and deleting them held up the end of
    each run by 10-20 s. A database given back is emptied instead (TRUNCATE every table but alembic_version, RESTART
    IDENTITY: the template's tables are all empty, every sequence belongs to a column), and used again only when its
    schema is still the template's (`_SHAPE`: tables, columns, indexes, constraints, triggers, functions) and its
    migration is the same; otherwise, or when a connection still holds a table after 5 s, it is dropped."""

    _SHAPE = """SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
        SELECT format('c %s %s', relname, relkind) FROM pg_class WHERE relnamespace = 'public'::regnamespace
        UNION ALL SELECT format('a %s.%s %s %s', attrelid::regclass, attname, format_type(atttypid, atttypmod),
            attnotnull) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'public'::regnamespace AND attnum > 0 AND NOT attisdropped
        UNION ALL SELECT format('k %s %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT format('i %s', pg_get_indexdef(indexrelid)) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace
        UNION ALL SELECT format('t %s %s', tgrelid::regclass, tgname) FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace
        UNION ALL SELECT format('f %s', oid::regprocedure) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL SELECT format('n %s', nspname) FROM pg_namespace
        UNION ALL SELECT format('v %s', version_num) FROM alembic_version) s(x)"""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.names = itertools.count(1)
        self.free: list[str] = []
        self.shape: str | None = None  # the template's
        self.made = self.reused = self.dropped = 0

    def take(self) -> str:
        if self.free:
            self.reused += 1
            return self.free.pop()
        self.made += 1
        url = self.server.migrated(f"chat_{next(self.names)}")
        if self.shape is None:
            import psycopg

            with psycopg.connect(url) as conn:
                self.shape = self._shape(conn)
        return url

    def give_back(self, url: str) -> None:
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SET lock_timeout = '5s'")
                if self._shape(conn) == self.shape:
                    tables = conn.execute("SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
                                          "WHERE schemaname = 'public' AND tablename <> 'alembic_version'").fetchone()
                    conn.execute(f"TRUNCATE {tables[0]} RESTART IDENTITY")  # type: ignore[index]
                    self.free.append(url)
                    return
        except psycopg.errors.LockNotAvailable:
            pass
        self.dropped += 1
        self.server.drop(url.rsplit("/", 1)[1])

    def _shape(self, conn: Any) -> str:
        return str(conn.execute(self._SHAPE).fetchone()[0])


_POOL = pytest.StashKey[DatabasePool]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    pool = config.stash.get(_POOL, None)
    if pool is not None:
        terminalreporter.write_line(f"PostgreSQL test databases: {pool.made} made, {pool.reused} used again "
                                    f"(emptied), {pool.dropped} dropped (changed or still held)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated by the server itself, copied into each test server's data directory: the
    migrations run once a session instead of once a test (a fifth of a second each; tests/server/
    test_migrations.py runs them for real)."""
    data = tmp_path_factory.mktemp("template")
    create_app({"CHAT_DATA_DIR": str(data), "CHAT_TICK_SECONDS": 0}).extensions["chat"].close()
    return data / "chat.sqlite3"


def _serve(data_dir, server_config, database_url: str | None = None,
           template: Path | None = None) -> Iterator[LiveServer]:
    # A cheap password hash keeps logins fast in tests; production uses scrypt.
    config = {"CHAT_DATA_DIR": str(data_dir), "CHAT_TICK_SECONDS": 0,
              "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000", **server_config}
    if database_url:
        config["CHAT_DATABASE_URL"] = database_url
    elif template is not None and not Path(data_dir).exists() and "CHAT_DATABASE_URL" not in server_config:
        Path(data_dir).mkdir(parents=True)
        shutil.copyfile(template, Path(data_dir) / template.name)
    app = create_app(config, clock=FakeClock())
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, srv)
    finally:
        srv.shutdown()
        app.extensions["chat"].close()


@pytest.fixture
def live(tmp_path, server_config, fresh_database, sqlite_template) -> Iterator[LiveServer]:
    yield from _serve_fresh(tmp_path / "data", server_config, fresh_database, sqlite_template)


@pytest.fixture
def live2(tmp_path, server_config, fresh_database, sqlite_template) -> Iterator[LiveServer]:
    """A second, independent chat server (another instance tab)."""
    yield from _serve_fresh(tmp_path / "data2", server_config, fresh_database, sqlite_template)


def _serve_fresh(data_dir, server_config, pool: DatabasePool | None, template) -> Iterator[LiveServer]:
    """A server on a database of its own; on PostgreSQL the database goes back to the pool once it has closed."""
    url = pool.take() if pool else None
    yield from _serve(data_dir, server_config, url, template)
    if pool and url:
        pool.give_back(url)


@pytest.fixture
def make_agent(live):
    """make_agent("alice") → a logged-in, connected agent named Alice."""
    agents: list[Agent] = []

    def make(name: str, *, connect: bool = True, admin: bool = False, max_chats: int | None = None,
             role: str | None = None) -> Agent:
        email = f"{name}@example.com"
        live.create_agent(email, name.capitalize(), admin=admin, max_chats=max_chats, role=role)
        agent = Agent(live, email)
        if connect:
            agent.connect()
        agents.append(agent)
        return agent

    yield make
    for a in agents:
        if a.sock:
            a.sock.close()


@pytest.fixture
def make_visitor(live):
    visitors: list[Visitor] = []

    def make(name: str = "Victor", *, connect: bool = True) -> Visitor:
        v = Visitor(live, name)
        if connect:
            v.connect()
        visitors.append(v)
        return v

    yield make
    for v in visitors:
        if v.sock:
            v.sock.close()


@pytest.fixture
def open_chat(live, make_agent, make_visitor):
    """Alice (connected) has accepted a chat from Victor (connected): (alice, victor, conversation id)."""
    alice = make_agent("alice")
    victor = make_visitor("Victor")
    cid = victor.start_chat("Refund please")["id"]
    alice.sock.wait("offer.created")
    assert alice.accept(cid).status_code == 200
    victor.sock.wait("chat.updated", lambda d: d["conversation"]["status"]["type"] == "OPEN")
    return alice, victor, cid


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free port for the test (transcript e-mails); the server_config of a test that
    sends mail points CHAT_SMTP_URL at `mailbox.url`."""
    box = Mailbox()
    box.controller.start()
    try:
        yield box
    finally:
        box.controller.stop()
