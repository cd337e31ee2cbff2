"""Version 1 of the schema, exactly as databases made before Alembic have it (0001_v1.sql, frozen), and the
same schema for PostgreSQL (0001_v1.postgresql.sql, frozen).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


SCRIPTS = {"sqlite": "0001_v1.sql", "postgresql": "0001_v1.postgresql.sql"}


def statements(dialect: str = "sqlite") -> list[str]:
    if dialect not in SCRIPTS:
        raise NotImplementedError(f"the chat server's schema is made for SQLite and PostgreSQL, not {dialect}")
    sql = Path(__file__).with_name(SCRIPTS[dialect]).read_text(encoding="utf-8")
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in body.split(";") if part.strip()]


def upgrade() -> None:
    for statement in statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("version 1 is the first schema: restore a backup instead")
