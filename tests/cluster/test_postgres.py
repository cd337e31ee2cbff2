"""PostgreSQL as an operator meets it today: `kayako-desktop server migrate --database-url` creates the chat
schema in a real PostgreSQL (Alembic, revision 0001's PostgreSQL script), exactly the tables server/tables.py
defines, with Chat History's full-text index; a second run changes nothing; a database that is not ours or
that a newer server upgraded is refused and left as it was; the password in a URL is never printed; a server
pointed at a PostgreSQL without the chat schema, or one it cannot reach, refuses with one clear line; and a
migrated one serves chats from it (the CLI makes the agent, the server finds it there). When PostgreSQL
goes down under a serving node, requests answer 503 DATABASE_UNAVAILABLE (nothing half-saved, the node
stays up, one ERROR line), and when it is back the same node serves again without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from kayako_desktop.server import schema
from kayako_desktop.server.tables import metadata
from sqlalchemy import create_engine

from tests.cluster.conftest import PASSWORD, ROOT, Cluster
from tests.support import Agent, Postgres, Visitor, free_port

CLI = [sys.executable, "-m", "kayako_desktop", "server"]


def kayako(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={**os.environ, **(env or {})})


# Made by the migration, not in tables.py (which says so): the full-text index and case-insensitive emails.
MIGRATION_ONLY = {"search_index", "search_index_document", "search_index_conversation", "agents_email_lower"}


def differences(url: str) -> list[object]:
    """Alembic's autogenerate diff (types and server defaults included) between the database and tables.py."""
    engine = create_engine(schema.database_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            found = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    flat = [d for diff in found for d in (diff if isinstance(diff, list) else [diff])]
    return [d for d in flat if not (d[0] in ("remove_table", "remove_index") and d[1].name in MIGRATION_ONLY)]


def test_migrate_creates_the_chat_schema_in_postgresql_and_a_second_run_changes_nothing(postgres: Postgres) -> None:
    url = postgres.fresh("chat_new")
    done = kayako("migrate", "--database-url", url)
    assert done.returncode == 0, done.stderr
    assert f"now at schema revision {schema.head()} (created)" in done.stdout
    assert differences(url) == []  # exactly the tables, columns, types and indexes tables.py defines
    assert postgres.sql("SELECT version_num FROM alembic_version", "chat_new").strip() == schema.head()
    # The things tables.py leaves to migrations: case-insensitive emails, full-text search.
    postgres.sql("INSERT INTO agents (email, full_name, password_hash, created_at) VALUES "
                 "('Ada@Example.com', 'Ada', 'x', 0)", "chat_new")
    dup = subprocess.run(postgres._as_owner(str(postgres.bin / "psql"), "-h", "127.0.0.1", "-p", str(postgres.port),
                                            "-U", "chat", "-d", "chat_new", "-X", "-v", "ON_ERROR_STOP=1", "-c",
                                            "INSERT INTO agents (email, full_name, password_hash, created_at) "
                                            "VALUES ('ada@example.com', 'Ada again', 'x', 0)"),
                         capture_output=True, text=True, timeout=60)
    assert dup.returncode != 0 and "agents_email_lower" in dup.stderr
    postgres.sql("INSERT INTO search_index (conversation_id, text) VALUES (7, 'Refund for the Harbor pendant')",
                 "chat_new")
    assert postgres.sql("SELECT conversation_id FROM search_index WHERE document @@ "
                        "to_tsquery('simple', 'harbor & pend:*')", "chat_new").strip() == "7"

    again = kayako("migrate", "--database-url", url)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert differences(url) == []


def test_a_database_that_is_not_ours_or_is_newer_is_refused_and_left_as_it_was(postgres: Postgres) -> None:
    theirs = postgres.fresh("someone_elses")
    postgres.sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY)", "someone_elses")
    refused = kayako("migrate", "--database-url", theirs)
    assert refused.returncode == 3 and "is not a Kayako Desktop database" in refused.stderr, refused.stderr
    assert postgres.sql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'",
                        "someone_elses").strip() == "invoices"

    newer = postgres.fresh("from_the_future")
    assert kayako("migrate", "--database-url", newer).returncode == 0
    postgres.sql("UPDATE alembic_version SET version_num = '9999'", "from_the_future")
    refused = kayako("migrate", "--database-url", newer)
    assert refused.returncode == 3 and "newer than this server knows" in refused.stderr, refused.stderr
    assert postgres.sql("SELECT version_num FROM alembic_version", "from_the_future").strip() == "9999"


def test_passwords_in_database_urls_are_never_printed(postgres: Postgres) -> None:
    url = f"postgresql://chat:s3cret-Pa55@127.0.0.1:{postgres.port}/no_such_database"
    failed = kayako("migrate", "--database-url", url)
    assert failed.returncode == 3 and "cannot reach the database" in failed.stderr, failed.stderr
    assert "s3cret" not in failed.stdout + failed.stderr and "***" in failed.stderr


def test_a_server_refuses_a_postgresql_without_the_schema_and_serves_from_a_migrated_one(
        postgres: Postgres, tmp_path: Path) -> None:
    url = postgres.fresh("chat_served")
    secret = url.replace("chat@", "chat:hunter2@")
    started = kayako("--data-dir", str(tmp_path / "data"), "--port", "0", env={"CHAT_DATABASE_URL": secret})
    assert started.returncode == 3
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1 and "holds no chat schema" in lines[0] and "server migrate --database-url" in lines[0]
    assert "hunter2" not in started.stderr

    gone = f"postgresql://chat:hunter2@127.0.0.1:{free_port()}/chat"
    started = kayako("--data-dir", str(tmp_path / "data"), "--port", "0", env={"CHAT_DATABASE_URL": gone})
    assert started.returncode == 3 and "cannot reach the database" in started.stderr, started.stderr
    assert "hunter2" not in started.stderr

    assert kayako("migrate", "--database-url", url).returncode == 0
    made = subprocess.run([*CLI, "create-agent", "--data-dir", str(tmp_path / "data"), "--email", "ada@example.com",
                           "--name", "Ada", "--password-stdin"], input="correct-horse\n", capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, "CHAT_DATABASE_URL": url})
    assert made.returncode == 0, made.stderr
    assert postgres.sql("SELECT full_name FROM agents WHERE email = 'ada@example.com'", "chat_served").strip() == "Ada"
    assert not (tmp_path / "data" / "chat.sqlite3").exists()  # nothing went to SQLite


@pytest.mark.parametrize("cluster", ["postgresql"], indirect=True)
def test_a_node_rides_out_a_postgresql_crash_and_serves_again_when_it_is_back(cluster: Cluster,
                                                                             postgres: Postgres) -> None:
    # The test cluster runs without fsync and with asynchronous commits (speed): a crash would lose the last
    # commits, as no production PostgreSQL may. This database commits synchronously, as the default does.
    assert cluster.database_url is not None
    postgres.sql(f"ALTER DATABASE {cluster.database_url.rsplit('/', 1)[1]} SET synchronous_commit = on")
    cluster.create_agent("alice@example.com", "Alice")
    node = cluster.node("one")
    alice = Agent(node, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    alice.connect()
    victor = Visitor(node, "Victor")  # type: ignore[arg-type]
    cid = victor.start_chat("Where is my parcel?")["id"]
    assert alice.sock is not None
    alice.sock.wait("offer.created", lambda d: d["offer"]["conversation"]["id"] == cid, timeout=10)
    assert alice.accept(cid).status_code == 200
    assert victor.say(cid, "before the crash").status_code == 201

    postgres.halt()
    try:
        for _ in range(3):
            r = victor.say(cid, "during the crash")
            assert r.status_code == 503, r.text
            error = r.json()["errors"][0]
            assert error["code"] == "DATABASE_UNAVAILABLE" and "Try again" in error["message"]
        assert alice.get(f"/cases/{cid}").status_code == 503
        assert node.proc is not None and node.proc.poll() is None  # the node is still up
    finally:
        postgres.resume()

    deadline = time.monotonic() + 15
    while (r := victor.say(cid, "after the crash")).status_code != 201:
        assert r.status_code == 503 and time.monotonic() < deadline, r.text
        time.sleep(0.2)
    assert alice.sock is not None
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "after the crash", timeout=10)
    posts = alice.get(f"/cases/{cid}/posts", limit=100).json()["data"][::-1]  # (newest first: oldest first here)
    said = [p["contents"] for p in posts if p["creator"]["kind"] == "VISITOR"]
    assert said == ["before the crash", "after the crash"]  # nothing of the failed sends was half-saved
    text = node.log.read_text()
    assert text.count("database unreachable") == 1 and text.count("database reachable again") == 1, text[-3000:]


@pytest.mark.parametrize("cluster", ["postgresql"], indirect=True)
def test_a_node_keeps_to_its_connection_pool_under_concurrent_requests(cluster: Cluster, postgres: Postgres) -> None:
    """CHAT_DATABASE_POOL=2: forty agents' reads at once all succeed (they queue for a connection) and the
    node never holds more than the pool and its writer."""
    assert cluster.database_url is not None
    name = cluster.database_url.rsplit("/", 1)[1]
    cluster.create_agent("alice@example.com", "Alice")
    node = cluster.node("one", CHAT_DATABASE_POOL="2")
    alice = Agent(node, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    seen: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(int(postgres.sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'")))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=40) as pool:
            codes = list(pool.map(lambda _: alice.get("/cases", limit=50).status_code, range(200)))
    finally:
        stop.set()
        watcher.join()
    assert codes == [200] * 200
    assert seen and max(seen) <= 3, seen  # two readers and the writer


# Run under gevent in its own process, as a gunicorn gevent worker runs: what psycopg's waits do there.
GEVENT_WAITS = r'''
import json, sys, time
from gevent import monkey; monkey.patch_all()
import gevent, psycopg
from psycopg import waiting
from kayako_desktop.server import pg

url = sys.argv[1]
database = pg.PostgresDatabase(url, hub=None, clock=None)  # as a node's app makes it: it chooses the wait
out = {"installed": waiting.wait is pg.wait_cooperatively}
database.close()
conn = psycopg.connect(url, autocommit=True)
ticks = []


def tick():
    while True:
        gevent.sleep(0.01)
        ticks.append(1)


ticker = gevent.spawn(tick)
t0 = time.monotonic()
conn.execute("SELECT pg_sleep(0.5)").fetchone()
out["sleep_s"], out["ticks_while_waiting"] = time.monotonic() - t0, len(ticks)
ticker.kill()
conn.execute("CREATE TEMP TABLE counter (n INT)")
conn.execute("INSERT INTO counter VALUES (0)")
with conn.transaction(), conn.pipeline():
    for _ in range(300):
        conn.execute("UPDATE counter SET n = n + 1")
    out["pipelined"] = conn.execute("SELECT n FROM counter").fetchone()[0]
conn.execute("SET statement_timeout = 100")
try:
    conn.execute("SELECT pg_sleep(3)")
except psycopg.errors.QueryCanceled as exc:
    out["timeout"] = type(exc).__name__
conn.execute("SET statement_timeout = 0")
t0 = time.monotonic()
list(conn.notifies(timeout=0.3))
out["notifies_s"] = time.monotonic() - t0
pid = conn.info.backend_pid
killer = gevent.spawn_later(0.3, lambda: psycopg.connect(url, autocommit=True).execute(
    "SELECT pg_terminate_backend(%s)", (pid,)))
t0 = time.monotonic()
try:
    conn.execute("SELECT pg_sleep(10)")
except psycopg.OperationalError as exc:
    out["cut"] = type(exc).__name__
out["cut_s"] = time.monotonic() - t0
killer.join()
print(json.dumps(out))
'''


def test_under_gevent_psycopg_waits_let_other_greenlets_run_and_fail_cleanly(postgres: Postgres) -> None:
    """A node's database, made under gevent, has psycopg wait with `pg.wait_cooperatively` (a non-blocking poll first,
    gevent's hub only when PostgreSQL has not answered yet): a slow query lets the other greenlets run, a
    pipeline's statements all arrive, a statement timeout, a timed wait and a connection cut by PostgreSQL
    all end as psycopg says they do, without hanging."""
    url = postgres.migrated("gevent_waits")
    done = subprocess.run([sys.executable, "-c", GEVENT_WAITS, url], capture_output=True, text=True, timeout=30,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["installed"] is True
    assert 0.5 <= out["sleep_s"] < 1.5
    assert out["ticks_while_waiting"] >= 20  # ~50 at 10 ms: the hub ran the ticker while the query waited
    assert out["pipelined"] == 300
    assert out["timeout"] == "QueryCanceled"
    assert 0.3 <= out["notifies_s"] < 1.0
    assert out["cut"] in {"OperationalError", "AdminShutdown"} and out["cut_s"] < 3
