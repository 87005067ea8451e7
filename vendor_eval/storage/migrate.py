"""Open a database: check it, back it up when a migration is due, migrate it to head.

Alembic lives inside the package and its script location is set in code, so the
same path works from a checkout, an installed wheel and a frozen build.

Alembic is imported only when a file is not at head: its import (with Mako and Pygments)
costs more than the rest of a CLI command, and a file already at head is the common case.
"""

from __future__ import annotations

import ast
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from vendor_eval import __version__
from vendor_eval.errors import StorageError
from vendor_eval.storage.backup import create_backup, ensure_daily_backup, list_backups, quick_check
from vendor_eval.storage.database import (
    Database,
    describe_operational_error,
    is_postgresql,
    is_read_only,
    make_engine,
    sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    if is_postgresql(engine):
        # Real ALTER TABLE and transactional DDL: the whole upgrade commits or none of it.
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        # Batch migrations recreate tables; foreign keys must be off while they do, and
        # the pragma only takes effect outside a transaction, so it goes to the driver.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    if problems:
        raise StorageError(f"Migration left {len(problems)} broken references; the backup taken before it is intact.")


def open_database(target: str | Path, *, migrate: bool = True, daily_backup: bool = True) -> Database:
    """Open (creating if needed) the database at a path or URL, migrated to head.

    An existing file gets its scheduled backup (one a day, see ensure_daily_backup);
    a file opened read-only (sqlite:///file:PATH?mode=ro&uri=true) is never written.
    """
    engine = _engine(target)
    path = sqlite_path(engine)
    read_only = is_read_only(engine)
    existed = path is not None and path.exists()
    if path is not None:
        _check_file(path, must_exist=read_only)
    db = Database(engine)
    if migrate:
        with migration_lock(path if not read_only else None):
            try:
                _migrate(engine, path, read_only)
            except DBAPIError as exc:
                engine.dispose()
                if path is not None and not existed:
                    _remove_half_created(path)
                message = describe_operational_error(exc, db.where)
                raise StorageError(message or f"The database {db.where} cannot be opened: {_first_line(exc)}.") from exc
    if daily_backup and existed and not read_only and path is not None:
        ensure_daily_backup(path)
    return db


def _owns_schema(engine: Engine) -> bool:
    """Only the role that owns the tables migrates them (evaluators and the chair never do)."""
    query = text("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                 "WHERE tablename = 'alembic_version' AND schemaname = current_schema()")
    with engine.connect() as conn:
        return bool(conn.execute(query).scalar())


def _engine(target: str | Path) -> Engine:
    """The engine for a path or URL, or one sentence on why there cannot be one."""
    try:
        return make_engine(target)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StorageError(f"{target} is neither a database file nor a database URL vendor_eval can use "
                           f"({_first_line(exc)}).") from None
    except ImportError as exc:
        raise StorageError(f"The driver for {str(target).split('://')[0]}:// is not installed ({exc.name}); "
                           "install it or use a database file.") from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _remove_half_created(path: Path) -> None:
    """A new file whose creation failed (a full disk) must not stay behind as an empty 'database'."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _foreign(where: object) -> StorageError:
    return StorageError(f"{where} is a database, but not one of vendor_eval's (it has tables and no schema "
                        "revision); nothing was changed.")


def _is_foreign(path: Path) -> bool:
    """Tables but no alembic_version: checked read-only, before the engine's first connection
    (which would switch the file to WAL)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(tables) and "alembic_version" not in tables


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.+)$", re.MULTILINE)


def _listed_head() -> str | None:
    """The head as the migration files spell it, without importing Alembic: the one revision
    that no file names as its down_revision; None when the files give no single plain answer
    (Alembic then decides)."""
    revisions: set[object] = set()
    parents: set[object] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("[!_]*.py"):  # not __init__.py, as Alembic
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        try:
            revisions.add(ast.literal_eval(found["revision"].strip()))
            down = ast.literal_eval(found.get("down_revision", "None").strip())
        except (KeyError, ValueError, SyntaxError):
            return None
        parents.update(down if isinstance(down, tuple) else (down,))
    heads = revisions - parents
    head = heads.pop() if len(heads) == 1 else None
    return head if isinstance(head, str) else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision the file records, read with plain SQL (None when it records none)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        return None  # no version table (a new file), or unreadable: Alembic's path looks closer
    return str(rows[0]) if len(rows) == 1 else None


def _migrate(engine: Engine, path: Path | None, read_only: bool) -> None:
    """Read the revision under the lock: another process may have migrated the file meanwhile."""
    stored = _stored_revision(engine)
    if stored is not None and stored == _listed_head():
        return  # at head: the common case, decided without Alembic
    revision = current_revision(engine)
    if revision == head_revision():
        return
    where = path or engine.url.render_as_string(hide_password=True)
    if revision is None and inspect(engine).get_table_names():
        raise _foreign(where)
    if revision is not None and revision not in known_revisions():
        # Refused before any backup: retrying must not rotate the genuine before-migration backups away.
        raise StorageError(f"The database {where} has schema revision {revision!r}, which this version of vendor_eval "
                           f"({__version__}) does not know: it was written by a newer vendor_eval; open it with that "
                           "newer version.")
    if read_only:
        raise StorageError(f"The database {where} is opened read-only and needs an upgrade; open it writable once.")
    if revision is not None and is_postgresql(engine) and not _owns_schema(engine):
        raise StorageError(f"The database {where} has schema {revision} and this vendor_eval needs {head_revision()}; "
                           "ask its owner to run: vendor-eval-cli server setup --db URL")
    if path is not None and revision is not None:
        create_backup(path, f"before-migration-{revision}")
    upgrade(engine)


@contextmanager
def migration_lock(path: Path | None) -> Iterator[None]:
    """One process at a time checks and migrates a file (a lock file beside it): a second one
    waits, then finds the file at head. SQLite's own lock cannot cover a whole migration."""
    if path is None:
        yield
        return
    lock = path.with_name(path.name + ".migrate-lock")
    try:
        handle = lock.open("a+b")
    except OSError:
        yield  # a read-only folder: nothing can be migrated there anyway, and upgrade says so
        return
    with handle:
        _lock(handle)
        yield


def _lock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                return
            except OSError:
                continue
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the handle closes


def _check_file(path: Path, must_exist: bool = False) -> None:
    if path.exists():
        if path.is_dir():
            raise StorageError(f"{path} is a folder, not a database file.")
        result = quick_check(path)
        if result != "ok" and _cannot_read(result):
            # Not damage: a full disk (no room for the -shm file) or permissions. Restoring would lose work.
            raise StorageError(
                f"The database {path} could not be read ({result}): check that its disk has free space "
                "and the file is readable; nothing was changed."
            )
        if result == "ok" and _is_foreign(path):
            raise _foreign(path)
        if result != "ok":
            backups = list_backups(path)
            latest = f"the latest backup ({backups[0].name})" if backups else "a backup"
            raise StorageError(
                f"The database {path} failed its integrity check ({result}); "
                f"restore {latest} with: vendor-eval-cli restore --db {path}"
            )
        return
    if must_exist:
        raise StorageError(f"There is no database at {path} to open read-only.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the folder for the database {path}: {exc.strerror}.") from exc


def _cannot_read(check_result: str) -> bool:
    text = check_result.lower()
    return any(sign in text for sign in ("disk i/o error", "unable to open", "disk is full", "readonly", "locked"))


def integrity_check(db: Database) -> str:
    if is_postgresql(db.engine):
        return "ok"  # the server checks its own pages (data checksums, amcheck); nothing to ask here
    with db.engine.connect() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar())
