"""Alembic environment: run from code (vendor_eval.storage.migrate), never from an ini file."""

from alembic import context

from vendor_eval.storage.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
