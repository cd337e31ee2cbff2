"""The data on disk: the write-ahead log stays bounded; a damaged, empty, foreign or unwritable database is
refused at start with a sentence naming the file and the fix (never served, never silently replaced);
`server check | check --repair | backup` round-trip; a full disk answers 507 STORAGE_FULL, logged once."""

from __future__ import annotations

import logging
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kayako_desktop.protocol.commands import PostInput
from kayako_desktop.server import create_app
from kayako_desktop.server import db as db_module
from kayako_desktop.server.actions.posts import do_create_post
from kayako_desktop.server.clock import FakeClock
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.storage import StorageError

from tests.support import answered_chat

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "kayako_desktop"]
WAL_BOUND = 64 * 1024 * 1024  # documented in the README (measured: at most ~17 MB over 10,000 messages)
CONFIG = {"CHAT_TICK_SECONDS": 0, "CHAT_PASSWORD_METHOD": "pbkdf2:sha256:1000"}


def post(svc: Any, cid: int, author: tuple[str, int], i: int) -> None:
    with svc.db.write() as tx:
        do_create_post(tx, access_conversation(tx, cid), author[0], author[1],
                       PostInput(client_id=f"m{i}", contents=f"Message {i}: the parcel left the depot " * 3))


def seed(data_dir: Path, posts: int = 200) -> int:
    """Alice (password correct-horse) answered Victor's chat, which has `posts` messages; returns its id."""
    svc = create_app({**CONFIG, "CHAT_DATA_DIR": str(data_dir)}, clock=FakeClock()).extensions["chat"]
    try:
        alice, victor, cid = answered_chat(svc, "Where is my parcel?")
        for i in range(posts):
            post(svc, cid, ("VISITOR", victor) if i % 2 else ("AGENT", alice), i)
    finally:
        svc.close()
    return cid


def post_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "chat.sqlite3") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0])


def damage(db: Path, size: int = 8192) -> None:
    """8 KiB of garbage in the middle of the file, on a page boundary, the same garbage every run."""
    offset = db.stat().st_size // 2 // 4096 * 4096
    with open(db, "r+b") as f:
        f.seek(offset)
        f.write(random.Random(9).randbytes(size))


def cli(*args: str, wrap: list[str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(wrap or []), *CLI, "server", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def serve(data_dir: Path, wrap: list[str] | None = None) -> tuple[int | None, str]:
    """Start `kayako-desktop server`: (exit code, output) when it refuses; (None, banner) when it serves."""
    proc = subprocess.Popen([*(wrap or []), *CLI, "server", "--port", "0", "--data-dir", str(data_dir)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if "Kayako chat server on" in first:
            return None, first
        return proc.wait(timeout=30), first + proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def refused(data_dir: Path, *words: str, wrap: list[str] | None = None) -> str:
    """The server refuses to start: exit code 3, one `error:` sentence containing every word."""
    code, output = serve(data_dir, wrap)
    assert code == 3, f"the server started on {data_dir}: {output}"
    assert output.startswith("error: ") and "Traceback" not in output, output
    for word in words:
        assert word in output, (word, output)
    return output


# ---- the write-ahead log -------------------------------------------------------------------------------------

def test_the_wal_stays_bounded_over_10000_messages(live):
    svc = live.svc
    alice, victor, cid = answered_chat(svc, "Bulk")
    svc.db.start_checkpointer()  # as start_ticker does in production (the tests' ticker is off)
    largest = 0
    started = time.monotonic()
    for i in range(10_000):
        post(svc, cid, ("VISITOR", victor) if i % 2 else ("AGENT", alice), i)
        if i % 25 == 0:
            largest = max(largest, svc.db.wal_size())
            assert largest < WAL_BOUND, f"WAL {largest / 2**20:.1f} MB after {i} messages"
    database = os.path.getsize(svc.db.path)
    print(f"\n10,000 messages in {time.monotonic() - started:.1f} s: WAL at most {largest / 2**20:.1f} MB, "
          f"now {svc.db.wal_size() / 2**20:.1f} MB; database {database / 2**20:.1f} MB")


def test_a_message_commits_at_most_10_pages(live):
    """What a message costs the disk: its commit appends every page it changed to the WAL, and the checkpoint
    copies them again. 17 pages (70 KB) before posts reached the search index in batches and the file index
    skipped posts without a file; 9 now (the post, its 3 index entries, the chat's row, 2 events, their index
    entries and the event counter), a few more when a b-tree page splits."""
    svc = live.svc
    alice, victor, cid = answered_chat(svc, "Pages")
    writer = svc.db._writer
    frames = []
    for i in range(40):
        with svc.db.lock:
            writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        post(svc, cid, ("VISITOR", victor) if i % 2 else ("AGENT", alice), i)
        with svc.db.lock:
            frames.append(writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])  # pages in the log
    frames.sort()
    print(f"\npages a message's commit writes: median {frames[len(frames) // 2]}, most {frames[-1]}")
    assert frames[len(frames) // 2] <= 10, frames


# ---- refusing bad data at start --------------------------------------------------------------------------------

@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[list[str]]:
    """A prefix that runs a command without the power to ignore file permissions, even as root."""
    yield ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    for path in tmp_path.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root without setpriv")
def test_a_read_only_data_directory_is_refused(tmp_path, read_only):
    data = tmp_path / "data"
    seed(data, posts=2)
    for path in [*data.rglob("*"), data]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    refused(data, str(data), "not writable", wrap=read_only)


def test_a_read_only_database_file_is_refused(tmp_path, read_only):
    data = tmp_path / "data"
    seed(data, posts=2)
    (data / "chat.sqlite3").chmod(0o444)
    refused(data, str(data / "chat.sqlite3"), "cannot be written", wrap=read_only)


def test_garbage_inside_the_database_is_refused_not_served(tmp_path):
    data = tmp_path / "data"
    seed(data)
    damage(data / "chat.sqlite3")
    with pytest.raises(StorageError) as err:
        create_app({**CONFIG, "CHAT_DATA_DIR": str(data)}, clock=FakeClock())
    assert "is damaged" in str(err.value) and "check --repair" in str(err.value)
    refused(data, str(data / "chat.sqlite3"), "is damaged", "Restore it from a backup", "check --repair")


def test_an_empty_database_file_is_refused_not_replaced(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "chat.sqlite3").write_bytes(b"")
    refused(data, str(data / "chat.sqlite3"), "is empty (0 bytes)", "delete the empty file")
    assert (data / "chat.sqlite3").stat().st_size == 0, "left exactly as found"


def test_a_database_that_is_not_ours_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "chat.sqlite3") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    refused(data, "not a Kayako Desktop chat database")
    (data / "chat.sqlite3").write_bytes(b"PK\x03\x04 a zip file, not a database" * 100)
    refused(data, "not a SQLite database")


def test_a_log_without_its_database_is_refused(tmp_path):
    data = tmp_path / "data"
    seed(data, posts=2)
    shutil.copy(data / "chat.sqlite3", tmp_path / "kept.sqlite3")
    (data / "chat.sqlite3").unlink()
    (data / "chat.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    refused(data, "chat.sqlite3-wal exists but its database")


def test_a_new_database_is_made_only_where_none_exists(tmp_path):
    data = tmp_path / "fresh"
    code, banner = serve(data)
    assert code is None and "Kayako chat server on" in banner
    assert (data / "chat.sqlite3").stat().st_size > 0 and not (data / "chat.sqlite3.new").exists()


# ---- check, repair, backup -------------------------------------------------------------------------------------

def test_check_backup_damage_repair_and_restore_round_trip(tmp_path):
    data, backups = tmp_path / "data", tmp_path / "backups"
    backups.mkdir()
    seed(data)
    ok = cli("check", "--data-dir", str(data))
    assert ok.returncode == 0 and "ok" in ok.stdout, ok.stderr

    proc = subprocess.Popen([*CLI, "server", "--port", "0", "--data-dir", str(data)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:  # the backup is taken while the server runs
        assert proc.stdout is not None and "Kayako chat server on" in proc.stdout.readline()
        made = cli("backup", str(backups), "--data-dir", str(data))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    assert made.returncode == 0, made.stderr
    [copy] = list(backups.glob("chat-*.sqlite3"))
    assert str(copy) in made.stdout and "files" in made.stdout
    assert cli("backup", str(copy), "--data-dir", str(data)).returncode == 1  # never overwrites

    damage(data / "chat.sqlite3")
    bad = cli("check", "--data-dir", str(data))
    assert bad.returncode == 1 and "is damaged" in bad.stderr and "--repair" in bad.stderr
    fixed = cli("check", "--repair", "--data-dir", str(data))
    assert fixed.returncode == 0, fixed.stderr
    [repaired] = list(data.glob("chat-repaired-*.sqlite3"))
    assert str(repaired) in fixed.stdout and "rename" in fixed.stdout

    # The repaired file, put in place, serves: Alice logs in and her chat is there.
    moved = tmp_path / "repaired"
    moved.mkdir()
    repaired.rename(moved / "chat.sqlite3")
    assert cli("check", "--data-dir", str(moved)).returncode == 0
    app = create_app({**CONFIG, "CHAT_DATA_DIR": str(moved)}, clock=FakeClock())
    try:
        client = app.test_client()
        r = client.get("/api/v1/session", auth=("alice@example.com", "correct-horse"))
        assert r.status_code == 200
        cases = client.get("/api/v1/cases", headers={"X-Session-ID": r.json["data"]["id"]}).json["data"]
        assert [c["subject"] for c in cases] == ["Where is my parcel?"]
        print(f"\nrepaired: {cases[0]['post_count']} of 201 posts readable; {fixed.stdout.strip()}")
    finally:
        app.extensions["chat"].close()

    # The backup, restored, has everything.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(copy, restored / "chat.sqlite3")
    code, _ = serve(restored)
    assert code is None
    assert post_count(restored) == 201


# ---- a full disk -----------------------------------------------------------------------------------------------

def fill_the_disk(live: Any, full: bool) -> None:
    """SQLite's own "database or disk is full" (SQLITE_FULL), as a full disk gives it: the writer may not
    grow the file past its current size."""
    with live.svc.db.lock:
        writer = live.svc.db._writer  # the server's one write connection: max_page_count is per connection
        pages = writer.execute("PRAGMA page_count").fetchone()[0]
        writer.execute(f"PRAGMA max_page_count = {pages if full else 2**30}")


def test_a_full_disk_answers_507_storage_full_and_is_logged_once(live, open_chat, caplog, monkeypatch):
    alice, victor, cid = open_chat
    caplog.set_level(logging.WARNING, logger="kayako_desktop.server.db")
    monkeypatch.setattr(db_module, "FULL_QUIET_SECONDS", 0)  # the episode ends at the first write that succeeds
    fill_the_disk(live, True)
    big = "A long answer that needs new pages. " * 250
    r = alice.reply(cid, big)
    assert r.status_code == 507, r.text
    assert r.json() == {"status": 507, "errors": [{
        "code": "STORAGE_FULL", "message": "The chat server's disk is full; messages can't be saved right now",
        "more_info": f"{live.url}/api/v1/errors/STORAGE_FULL"}]}
    r = victor.say(cid, big)
    assert r.status_code == 507 and r.json()["errors"][0]["code"] == "STORAGE_FULL"
    ref = victor.sock.command("message.send", {"conversation_id": cid, "client_id": "full-1", "contents": big})
    frame = victor.sock.reply(ref)
    assert frame["type"] == "error" and frame["data"] == {
        "code": "STORAGE_FULL", "message": "The chat server's disk is full; messages can't be saved right now"}
    assert alice.get(f"/cases/{cid}/posts").status_code == 200  # reading still works
    assert big not in str(alice.get(f"/cases/{cid}/posts").json())

    errors = [r for r in caplog.records if r.levelno == logging.ERROR and "disk full" in r.getMessage()]
    assert len(errors) == 1, "logged once, not per request"
    fill_the_disk(live, False)
    assert alice.reply(cid, big).status_code == 201
    assert any("writes to" in r.getMessage() and "succeed again" in r.getMessage() for r in caplog.records)
    fill_the_disk(live, True)
    assert alice.reply(cid, big + "again").status_code == 507
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and "disk full" in r.getMessage()]
    assert len(errors) == 2, "a new episode is logged again"
    fill_the_disk(live, False)
