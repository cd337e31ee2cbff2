"""Lighter commits for every message (issue 14's CPU per message): on SQLite, posts reach Chat History's FTS5
index in batches rather than one by one (an FTS5 insert wrote 7 of the 17 pages a message's commit wrote), so
the index remembers the last post it holds (`meta.search_indexed_through`); and the index of posts' files
leaves out the posts without a file (every text message wrote a page of it).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MARK = "search_indexed_through"
HAS_FILE = sa.text("file_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("posts_file", "posts")
    op.create_index("posts_file", "posts", ["file_id"], sqlite_where=HAS_FILE, postgresql_where=HAS_FILE)
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's index still takes each post as it is written
        # Every post so far was indexed as it was written: batches start after the last one.
        op.execute(f"INSERT INTO meta (key, value) SELECT '{MARK}', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM posts")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # the older code indexes as it writes: index what is pending first
        op.execute("INSERT INTO search_fts (text, conversation_id) SELECT contents, conversation_id FROM posts "
                   f"WHERE id > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = '{MARK}') "
                   "AND kind != 'SYSTEM' AND trim(contents) != ''")
        op.execute(f"DELETE FROM meta WHERE key = '{MARK}'")
    op.drop_index("posts_file", "posts")
    op.create_index("posts_file", "posts", ["file_id"])
