"""Schema revisions (Alembic, server/schema.py): a version-1 database made before revisions were recorded is
adopted with nothing lost; an older revision is refused unless the server migrates; one made by a newer server
is refused; the newest revision gives exactly the tables in server/tables.py."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from kayako_desktop.server import create_app, schema
from kayako_desktop.server.tables import metadata
from werkzeug.serving import make_server

from tests.support import Agent, LiveServer, answered_chat

ROOT = Path(__file__).resolve().parents[2]
V1 = Path(__file__).with_name("data") / "v1"
THIS_CODE = schema.MIGRATIONS
CLI = [sys.executable, "-m", "kayako_desktop", "server"]

HEAD = schema.head()  # this code's newest revision
NEXT = f"{int(HEAD) + 1:04d}"  # the one a next release would add
NEXT_REVISION = f'''"""A later revision, for the test: agents get a nickname.

Revision ID: {NEXT}
Revises: {HEAD}
"""
import sqlalchemy as sa
from alembic import op

revision = "{NEXT}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agents", sa.Column("nickname", sa.Text))


def downgrade() -> None:
    op.drop_column("agents", "nickname")
'''


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def revision_of(db: Path) -> tuple[str | None, int]:
    with closing(sqlite3.connect(db)) as conn:
        return schema.current(conn), conn.execute("PRAGMA user_version").fetchone()[0]


@pytest.fixture
def v1_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(V1 / "data", data)
    return data


@pytest.fixture
def next_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This code plus one more revision (NEXT), as the next release of the server would have it."""
    migrations = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / f"{NEXT}_nickname.py").write_text(NEXT_REVISION)
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    return migrations


def serve(data: Path, **config: object) -> Iterator[LiveServer]:
    app = create_app({"CHAT_DATA_DIR": str(data), "CHAT_TICK_SECONDS": 0, **config})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield LiveServer(app, server)
    finally:
        server.shutdown()
        app.extensions["chat"].close()


def test_the_revisions_are_one_line_named_after_their_ids() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain == schema.revisions() and script.get_heads() == [schema.head()]


def test_the_newest_revision_gives_exactly_the_tables_in_tables_py(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    db = tmp_path / "chat.sqlite3"
    schema.upgrade(str(db))
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    flat = [d for diff in differences for d in (diff if isinstance(diff, list) else [diff])]
    # FTS5's virtual table and its shadow tables are SQLite's own, made by the migration, not in tables.py.
    flat = [d for d in flat if not (d[0] == "remove_table" and d[1].name.startswith("search_fts"))]
    # SQLite reports a PRIMARY KEY column declared without NOT NULL as nullable; the tables say "not null".
    flat = [d for d in flat if not (d[0] == "modify_nullable" and metadata.tables[d[2]].c[d[3]].primary_key)]
    # Its foreign-key reflection drops ON DELETE: compare those below with SQLite's own PRAGMA instead.
    fk_changes = {(d[0], d[1].parent.name, tuple(d[1].column_keys)) for d in flat if d[0] in ("add_fk", "remove_fk")}
    flat = [d for d in flat if d[0] not in ("add_fk", "remove_fk")]
    assert flat == []
    on_delete = {("sessions", "agent_id"): "CASCADE", ("page_views", "visitor_id"): "CASCADE",
                 ("visitor_notes", "visitor_id"): "CASCADE", ("visitor_notes", "conversation_id"): "SET NULL"}
    # (Only 0001's, written as SQL text, reflect without their ON DELETE; later ones, made by Alembic, keep it.)
    assert fk_changes == {(kind, table, (column,)) for kind in ("add_fk", "remove_fk")
                          for table, column in (("sessions", "agent_id"), ("page_views", "visitor_id"))}
    with closing(sqlite3.connect(db)) as conn:
        for (table, column), action in on_delete.items():
            [fk] = [r for r in conn.execute(f"PRAGMA foreign_key_list({table})") if r[3] == column]
            assert fk[6] == action
            assert next(iter(metadata.tables[table].c[column].foreign_keys)).ondelete == action
    assert revision_of(db) == (schema.head(), len(schema.revisions()))


def test_a_version_1_database_is_adopted_and_nothing_in_it_is_lost(v1_data: Path) -> None:
    facts = json.loads((V1 / "facts.json").read_text())
    assert revision_of(v1_data / "chat.sqlite3") == (None, 1)  # as version 1 left it
    for live in serve(v1_data, CHAT_MIGRATE_ON_START=True):  # as the desktop app's embedded server starts
        assert live.svc.db.schema_state == ("adopted" if HEAD == "0001" else "upgraded from 0001")
        ada = Agent(live, "ada@example.com", "v1-password-ok")  # the old password hash still logs in
        for chat in facts["chats"]:
            case = ada.get(f"/cases/{chat['id']}").json()["data"]
            assert case["subject"] == chat["subject"]
            posts = ada.get(f"/cases/{chat['id']}/posts").json()["data"]
            assert len(posts) == chat["posts"]
        with live.svc.db.read() as conn:  # v1 indexed its posts as it wrote them: none is indexed twice
            assert conn.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_through'"
                                ).fetchone()[0] == conn.execute("SELECT MAX(id) FROM posts").fetchone()[0]
        found = ada.get("/cases/search", q="zurich").json()["data"]  # the v1 search index still answers
        assert [hit["conversation"]["id"] for hit in found] == [facts["chats"][0]["id"]]
        content = ada.get(f"/files/{facts['file']['id']}/content")
        assert content.status_code == 200 and content.text == facts["file"]["content"]
        assert live.svc.db.head_seq() == facts["head_seq"]  # the event log keeps its seq: clients resume
        cid = facts["chats"][1]["id"]
        assert ada.reply(cid, "Still here after the upgrade").status_code == 201
        assert live.svc.db.head_seq() > facts["head_seq"]
    assert revision_of(v1_data / "chat.sqlite3") == (schema.head(), len(schema.revisions()))


def test_an_older_revision_is_refused_with_the_command_unless_the_server_migrates(v1_data: Path,
                                                                                  next_code: Path) -> None:
    from kayako_desktop.server.schema import SchemaError

    db = v1_data / "chat.sqlite3"
    with pytest.raises(SchemaError) as refused:
        create_app({"CHAT_DATA_DIR": str(v1_data), "CHAT_TICK_SECONDS": 0})
    message = str(refused.value)
    assert f"revision 0001; this server needs {NEXT}" in message
    assert f"kayako-desktop server migrate --data-dir {v1_data}" in message
    assert revision_of(db) == ("0001", 1)  # adopted (nothing changed), not upgraded

    for live in serve(v1_data, CHAT_MIGRATE_ON_START=True):
        assert live.svc.db.schema_state == "upgraded from 0001"
        ada = Agent(live, "ada@example.com", "v1-password-ok")
        assert ada.get("/cases/1").status_code == 200
    assert revision_of(db) == (NEXT, int(NEXT))
    with closing(sqlite3.connect(db)) as conn:
        assert "nickname" in [r[1] for r in conn.execute("PRAGMA table_info(agents)")]


def test_a_database_from_a_newer_server_is_refused_and_left_untouched(v1_data: Path, next_code: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kayako_desktop.server.schema import SchemaError

    db = v1_data / "chat.sqlite3"
    for _ in serve(v1_data, CHAT_MIGRATE_ON_START=True):  # the next release upgrades it to NEXT
        pass
    before = db.read_bytes()
    monkeypatch.setattr(schema, "MIGRATIONS", THIS_CODE)
    for migrate in (False, True):
        with pytest.raises(SchemaError) as refused:
            create_app({"CHAT_DATA_DIR": str(v1_data), "CHAT_TICK_SECONDS": 0, "CHAT_MIGRATE_ON_START": migrate})
        assert f"revision {NEXT}, newer than this server knows (newest: {HEAD})" in str(refused.value)
    assert db.read_bytes() == before


def test_the_migrate_command_and_the_servers_refusal_as_an_operator_sees_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(V1 / "data", data)
    first = cli("migrate", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    assert f"now at schema revision {schema.head()}" in first.stdout and "version 1" in first.stdout
    again = cli("migrate", "--data-dir", str(data))
    assert again.returncode == 0 and "nothing to do" in again.stdout
    with closing(sqlite3.connect(data / "chat.sqlite3")) as conn:  # as if a newer server had upgraded it
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    for args in (("migrate", "--data-dir", str(data)), ("--port", "0", "--data-dir", str(data))):
        refused = cli(*args)
        assert refused.returncode == 3, refused.stdout + refused.stderr
        assert "error: " in refused.stderr and "revision 0099, newer than this server knows" in refused.stderr
    missing = cli("migrate", "--data-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_going_back_from_0003_leaves_every_post_in_the_search_index(tmp_path: Path) -> None:
    """0003 indexes posts in batches: a post written since the last batch is indexed by the downgrade, since the
    code of 0002 indexes as it writes and would never take it."""
    from kayako_desktop.protocol.commands import PostInput
    from kayako_desktop.server.actions.posts import do_create_post
    from kayako_desktop.server.queries.conversations import access_conversation

    svc = create_app({"CHAT_DATA_DIR": str(tmp_path), "CHAT_TICK_SECONDS": 0}).extensions["chat"]
    try:
        _, victor, cid = answered_chat(svc, "Going back")
        with svc.db.write() as tx:
            do_create_post(tx, access_conversation(tx, cid), "VISITOR", victor, PostInput(client_id="p", contents="platypus"))
    finally:
        svc.close()
    db = tmp_path / "chat.sqlite3"
    schema._alembic(str(db), "downgrade", "0002")
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT conversation_id FROM search_fts WHERE search_fts MATCH 'platypus'").fetchall() == [(cid,)]
        assert conn.execute("SELECT * FROM meta WHERE key = 'search_indexed_through'").fetchall() == []
        assert "WHERE" not in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_file'").fetchone()[0]
    schema.upgrade(str(db))  # and forward again: nothing is indexed twice
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'search_indexed_through'").fetchone()[0] == str(
            conn.execute("SELECT MAX(id) FROM posts").fetchone()[0])
        assert "WHERE file_id IS NOT NULL" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_file'").fetchone()[0]
