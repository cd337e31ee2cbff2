"""Operator tools for the database file (`kayako-desktop server check | backup`): a full integrity check, an
online backup (SQLite's backup API: consistent while the server runs), and a best-effort repair that
copies every readable row into a new database beside the damaged one, never touching the original."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kayako_desktop.server import schema
from kayako_desktop.server.search_index import INDEXED_POSTS, MARK
from kayako_desktop.server.storage import APPLICATION_ID

DB_NAME = "chat.sqlite3"
# Copied in this order, so rows that others point at come first. Not copied: sessions and failed logins
# (everyone logs in again) and the search index (rebuilt from what was copied).
TABLES = ["agents", "visitors", "page_views", "conversations", "participants", "files", "posts", "offers",
          "invitations", "macros", "events", "meta"]


def integrity_problems(path: Path, full: bool = True) -> list[str]:
    """[] when SQLite's integrity_check (or quick_check) finds nothing; else its findings."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(50)" if full else "PRAGMA quick_check(50)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def backup(source: Path, dest: Path) -> Path:
    """Copy the live database to `dest` (a file, or a directory to put a dated file in) and verify it."""
    if dest.is_dir():
        dest = dest / f"chat-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.sqlite3"
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; choose a new name")
    partial = dest.with_name(dest.name + ".partial")
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, closing(sqlite3.connect(partial)) as out:
        src.backup(out)  # one step: a consistent snapshot even while the server writes
        out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    problems = integrity_problems(partial)
    if problems:
        partial.unlink()
        raise RuntimeError(f"the copy failed its integrity check: {'; '.join(problems)}")
    partial.replace(dest)
    return dest


@dataclass
class Repair:
    path: Path
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)  # read errors: rows (or runs of rows) skipped


def _rows(conn: sqlite3.Connection, table: str, lost: dict[str, int]) -> Iterator[sqlite3.Row]:
    """Every readable row by rowid; past a damaged page, jump ahead (1, 2, 4 ... rowids) until reading
    works again, so one bad page costs the rows on it, not the rest of the table."""
    last, step = -(2**63), 1
    while True:
        try:
            cur = conn.execute(f"SELECT rowid AS _rowid, * FROM {table} WHERE rowid > ? ORDER BY rowid", (last,))  # noqa: S608
            for row in cur:
                last, step = row["_rowid"], 1
                yield row
            return
        except sqlite3.DatabaseError:
            lost[table] = lost.get(table, 0) + 1
            if step > 2**40:
                return
            last, step = last + step, step * 2


def repair(data_dir: Path) -> Repair:
    """Copy what is readable from data_dir/chat.sqlite3 into a new, healthy database beside it."""
    source = data_dir / DB_NAME
    target = data_dir / f"chat-repaired-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.sqlite3"
    result = Repair(target)
    schema.upgrade(str(target))  # a new database at this code's newest revision
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, closing(sqlite3.connect(target)) as out:
        src.row_factory = sqlite3.Row
        out.execute(f"PRAGMA application_id={APPLICATION_ID}")
        out.execute("BEGIN")
        for table in TABLES:
            columns = [r[1] for r in out.execute(f"PRAGMA table_info({table})")]
            sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            count = 0
            try:
                for row in _rows(src, table, result.lost):
                    out.execute(sql, [row[c] if c in row.keys() else None for c in columns])
                    count += 1
            except sqlite3.DatabaseError:  # the table itself is unreadable (its schema page is damaged)
                result.lost[table] = result.lost.get(table, 0) + 1
            result.copied[table] = count
        _fill_orphans(out)
        _rebuild_search(out)
        out.execute("COMMIT")
        out.execute("PRAGMA journal_mode=DELETE")
    return result


def _fill_orphans(out: sqlite3.Connection) -> None:
    """Rows whose parent was lost get a stand-in parent, so every screen still works: a "(restored)"
    conversation, visitor or agent (who can never log in). A lost file is dropped from its post."""
    out.execute(
        "INSERT INTO conversations (id, subject, status, visitor_id, created_at, updated_at, completed_at) "
        "SELECT x.cid, '(restored conversation)', 'COMPLETED', COALESCE((SELECT author_id FROM posts WHERE "
        "conversation_id = x.cid AND author_kind = 'VISITOR' LIMIT 1), 0), 0, 0, 0 FROM (SELECT conversation_id AS "
        "cid FROM posts UNION SELECT conversation_id FROM participants UNION SELECT conversation_id FROM offers "
        "UNION SELECT conversation_id FROM invitations) x WHERE x.cid IS NOT NULL "
        "AND x.cid NOT IN (SELECT id FROM conversations)")
    out.execute(
        "INSERT INTO visitors (id, token_hash, name, first_seen, session_started_at, last_seen) "
        "SELECT x.vid, 'restored-' || x.vid, 'Visitor (restored)', 0, 0, 0 FROM (SELECT visitor_id AS vid FROM "
        "conversations UNION SELECT visitor_id FROM page_views UNION SELECT visitor_id FROM invitations UNION "
        "SELECT author_id FROM posts WHERE author_kind = 'VISITOR') x WHERE x.vid IS NOT NULL "
        "AND x.vid NOT IN (SELECT id FROM visitors)")
    out.execute(
        "INSERT INTO agents (id, email, full_name, password_hash, created_at) "
        "SELECT x.aid, 'restored-agent-' || x.aid || '@invalid', 'Agent ' || x.aid || ' (restored)', '!', 0 FROM "
        "(SELECT agent_id AS aid FROM participants UNION SELECT agent_id FROM offers UNION SELECT transfer_from "
        "FROM offers UNION SELECT agent_id FROM invitations UNION SELECT owner_id FROM conversations UNION "
        "SELECT created_by FROM macros UNION SELECT author_id FROM posts WHERE author_kind = 'AGENT') x "
        "WHERE x.aid IS NOT NULL AND x.aid NOT IN (SELECT id FROM agents)")
    out.execute("UPDATE posts SET file_id = NULL WHERE file_id IS NOT NULL AND file_id NOT IN (SELECT id FROM files)")


def _rebuild_search(out: sqlite3.Connection) -> None:
    out.execute(
        "INSERT INTO search_fts (text, conversation_id) SELECT c.subject || ' ' || COALESCE(v.name, '') || ' ' || "
        "COALESCE(v.email, ''), c.id FROM conversations c LEFT JOIN visitors v ON v.id = c.visitor_id")
    out.execute(f"INSERT INTO search_fts (text, conversation_id) SELECT contents, conversation_id FROM posts "
                f"WHERE {INDEXED_POSTS}")
    out.execute("INSERT INTO meta (key, value) SELECT ?, CAST(COALESCE(MAX(id), 0) AS TEXT) FROM posts "
                "WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value", (MARK,))  # every post is in the index
