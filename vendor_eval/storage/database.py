"""The one engine factory and the unit of work every service uses.

SQLite on Python 3.11: pysqlite's own transaction handling is switched off
(isolation_level=None) and SQLAlchemy emits BEGIN itself, as the SQLAlchemy
SQLite dialect documentation describes; writers use BEGIN IMMEDIATE so two
processes on one file queue on the busy timeout instead of failing mid-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from vendor_eval.errors import StorageError

BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "vendor_eval_immediate"


def database_url(target: str | Path) -> str:
    """Accept a file path or a full SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(target: str | Path) -> Engine:
    url = make_url(database_url(target))
    engine = create_engine(url)
    if url.get_backend_name() == "sqlite":
        _install_sqlite_listeners(engine)
    return engine


def _install_sqlite_listeners(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL, not NORMAL: in WAL mode NORMAL can lose the last acknowledged edits on a power
        # cut; a procurement record must keep every saved score (about 0.4 ms more per edit).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_path(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = url.database
    # A URI filename (sqlite:///file:PATH?mode=ro&uri=true) names the file after "file:".
    if url.query.get("uri") == "true" and database.startswith("file:"):
        database = database.removeprefix("file:")
    return Path(database)


def is_read_only(engine: Engine) -> bool:
    """Opened with mode=ro: nothing may be written, not even a backup or a migration."""
    return engine.url.query.get("mode") == "ro"


def describe_operational_error(exc: OperationalError, where: str) -> str | None:
    """One sentence for the errors a user can fix (busy, read-only, full, damaged, missing
    folder); None for the rest, which are bugs and keep their traceback."""
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return f"The database {where} is busy: another vendor_eval window or command is writing to it; try again."
    if "readonly" in text or "read-only" in text:
        return f"The database {where} is read-only: nothing was changed; check the file's permissions."
    if "disk is full" in text or "database or disk is full" in text:
        return f"The disk holding {where} is full: the last change was not saved; free some space and retry."
    if "malformed" in text or "not a database" in text:
        return f"The database {where} is damaged; restore it from a backup (vendor-eval-cli restore)."
    if "unable to open" in text:
        return f"The database {where} cannot be opened: check that its folder exists and is writable."
    return None


class Database:
    """An open database: read() and write() give a session for one user action."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._writer = engine.execution_options(**{_IMMEDIATE: True})

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.engine)

    @property
    def target(self) -> str:
        """What open_database takes to open this database again (from a worker process)."""
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=False)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error."""
        with self._session(self._writer) as session:
            yield session
            session.commit()

    @contextmanager
    def _session(self, bind: Engine) -> Iterator[Session]:
        session = Session(bind=bind, expire_on_commit=False)
        try:
            yield session
        except OperationalError as exc:
            session.rollback()
            message = describe_operational_error(exc, self.where)
            if message is None:
                raise
            raise StorageError(message) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
