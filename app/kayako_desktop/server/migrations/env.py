"""Alembic's entry: runs on the connection kayako_desktop.server.migrations hands it (config attribute
"connection"), or on the URL in the config (the `alembic` command line, for writing new revisions)."""

from __future__ import annotations

from alembic import context
from kayako_desktop.server.tables import metadata
from sqlalchemy import create_engine

config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://").connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
