"""The one engine factory and the unit of work every service uses; the only place that
knows which engine it talks to (SQLite for one officer, PostgreSQL for a committee).

SQLite on Python 3.11: pysqlite's own transaction handling is switched off
(isolation_level=None) and SQLAlchemy emits BEGIN itself, as the SQLAlchemy
SQLite dialect documentation describes; writers use BEGIN IMMEDIATE so two
processes on one file queue on the busy timeout instead of failing mid-way.

PostgreSQL (psycopg 3): READ COMMITTED transactions with a lock timeout; writers of one
evaluation's audit chain take turns through an advisory lock (storage/audit.py) instead of
SQLite's whole-file write lock. Server errors a user can act on
(wrong password, server down, no permission, lock timeout) become one sentence.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from vendor_eval.errors import StorageError
from vendor_eval.storage.audit import seal_pending

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10
_IMMEDIATE = "vendor_eval_immediate"


def database_url(target: str | Path) -> str:
    """Accept a file path or a full SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(target: str | Path) -> Engine:
    url = make_url(database_url(target))
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url)
        _install_sqlite_listeners(engine)
        return engine
    if backend == "postgresql":
        if url.get_driver_name() != "psycopg":
            url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the one driver installed
        return create_engine(url, pool_pre_ping=True, connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "vendor_eval",
            # A writer waits this long for a row another user holds, then gets one sentence.
            "options": f"-c lock_timeout={BUSY_TIMEOUT_MS} -c idle_in_transaction_session_timeout=600000",
        })
    raise StorageError(f"{url.render_as_string(hide_password=True)} is neither a SQLite file nor a PostgreSQL "
                       "database (postgresql://user@host/database); vendor_eval works with those two.")


def is_postgresql(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "postgresql"


CHANGES_CHANNEL = "vendor_eval_changes"


def _announce(session: Session) -> None:
    """Tell every listening window which evaluations this transaction changed (storage/changes.py).

    Every change is audited, so the evaluations whose chain grew (audit.record keeps their
    heads in session.info) are exactly the ones changed. The server delivers the notices at
    commit and drops them on rollback.
    """
    for evaluation_id, (seq, _hash) in session.info.get("audit_heads", {}).items():  # see audit.record
        session.execute(text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": CHANGES_CHANNEL, "payload": f"{evaluation_id}:{seq}"})


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


def describe_operational_error(exc: DBAPIError, where: str) -> str | None:
    """One sentence for the errors a user can fix (busy, read-only, full, damaged, missing
    folder, and on a server: login, reachability, permission); None for the rest, which are
    bugs and keep their traceback."""
    code = getattr(exc.orig, "sqlstate", None)
    if code is not None or "psycopg" in type(exc.orig).__module__:
        return _describe_server_error(exc, code, where)
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


def _describe_server_error(exc: DBAPIError, code: str | None, where: str) -> str | None:
    """PostgreSQL's SQLSTATE classes (Appendix A of its manual) turned into what the user can do."""
    message = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
    lower = message.lower()
    if "pg_hba.conf" in lower:
        return (f"The server at {where} does not accept this login from this computer (its pg_hba.conf); "
                "ask its administrator, or add ?sslmode=require if it only takes encrypted connections.")
    if "ssl" in lower and ("not support" in lower or "certificate" in lower):
        return (f"The server at {where} cannot make the encrypted connection that sslmode asks for "
                f"({message.strip()}); ask its administrator which sslmode and certificate to use.")
    if "no password supplied" in lower:
        return (f"The server at {where} wants a password for this login: set PGPASSWORD or add the "
                "database to ~/.pgpass (vendor_eval never stores passwords).")
    if code in ("28P01", "28000") or "password authentication failed" in lower:
        return (f"The server refused the login for {where}: wrong user name or password "
                "(check PGPASSWORD or ~/.pgpass, or ask the database's owner).")
    if code == "3D000" or ("database" in lower and "does not exist" in lower):
        return f"The server has no database named in {where}: check the name, or create it first."
    if code == "42501":
        thing = _table_in(message) or "this"
        if "row-level security" in lower:
            return (f"Refused by the server at {where}: your login may not write {thing} "
                    "(only your own scores, while the evaluation is open); nothing was changed.")
        return (f"Refused by the server at {where}: your login has no permission to change {thing} "
                "(ask the chair or the officer); nothing was changed.")
    if code in ("55P03", "57014", "40001", "40P01"):
        return f"The database {where} is busy: another user is changing the same records; nothing was saved, try again."
    if code == "53100":
        return f"The database server for {where} is out of disk space: the last change was not saved; tell its administrator."
    if (code is None and isinstance(exc, OperationalError)) or (code or "").startswith(("08", "57P")):
        return (f"The database server for {where} cannot be reached or closed the connection: check that it "
                "is running and the host and port are right, then retry; nothing was saved.")
    return None


# What each table holds, as the refusal names it.
_RECORDS = {
    "score": "these scores", "consensus_score": "these consensus scores", "criterion": "these criteria and weights",
    "criterion_group": "these criteria groups and weights",
    "evaluation": "these evaluation settings (finalise, reopen, modes)", "audit_event": "the audit trail",
    "evaluator": "these evaluators", "vendor": "these vendors", "conflict_declaration": "these conflict declarations",
}


def _table_in(message: str) -> str:
    for marker in ("for table ", "policy for table "):
        if marker in message:
            table = message.split(marker, 1)[1].split()[0].strip('"')
            return _RECORDS.get(table, f"the {table} records")
    return ""


@contextmanager
def translated_errors(where: str) -> Iterator[None]:
    """Raise a StorageError with one sentence for a database error the user can act on."""
    try:
        yield
    except DBAPIError as exc:
        message = describe_operational_error(exc, where)
        if message is None:
            raise
        raise StorageError(message) from exc


class Database:
    """An open database: read() and write() give a session for one user action."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._writer = engine.execution_options(**{_IMMEDIATE: True})
        # evaluation id -> audit seq of this handle's own last commit, so a ChangeWatcher can
        # tell this window's changes from other people's.
        self.own_heads: dict[int, int] = {}

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
            seal_pending(session)  # the seal is the last event: its seq is the head to announce
            heads = {e: seq for e, (seq, _hash) in session.info.get("audit_heads", {}).items()}
            if is_postgresql(self.engine):
                _announce(session)
            before = dict(self.own_heads)
            self.own_heads.update(heads)  # before the commit: its notice may overtake the return
            try:
                session.commit()
            except BaseException:
                self.own_heads = before
                raise

    @contextmanager
    def _session(self, bind: Engine) -> Iterator[Session]:
        session = Session(bind=bind, expire_on_commit=False)
        try:
            yield session
        except DBAPIError as exc:
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
