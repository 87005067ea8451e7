"""Persistence: the schema, the engine factory, migrations and backups."""

from vendor_eval.storage.database import Database
from vendor_eval.storage.migrate import open_database

__all__ = ["Database", "open_database"]
