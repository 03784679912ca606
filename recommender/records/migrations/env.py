"""Alembic's entry point for facesym's record tables.

`recommender.records.schema.migrate` hands in an open connection; nothing here reads a
config file or sets up logging, so migrating never logs connection details or data.
"""

from __future__ import annotations

from alembic import context

from recommender.records.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `facesym records migrate`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
