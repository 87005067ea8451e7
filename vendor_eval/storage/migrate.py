"""Open a database: check it, back it up when a migration is due, migrate it to head.

Alembic lives inside the package and its script location is set in code, so the
same path works from a checkout, an installed wheel and a frozen build.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from vendor_eval.errors import StorageError
from vendor_eval.storage.backup import create_backup, ensure_daily_backup, list_backups, quick_check
from vendor_eval.storage.database import (
    Database,
    is_postgresql,
    is_read_only,
    make_engine,
    sqlite_path,
    translated_errors,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
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
    engine = make_engine(target)
    path = sqlite_path(engine)
    read_only = is_read_only(engine)
    existed = path is not None and path.exists()
    if path is not None:
        _check_file(path, must_exist=read_only)
    db = Database(engine)
    if migrate:
        with translated_errors(db.where):
            revision = current_revision(engine)
            if revision != head_revision():
                _check_can_migrate(engine, revision, db.where, read_only)
                if path is not None and revision is not None:
                    create_backup(path, f"before-migration-{revision}")
                upgrade(engine)
    if daily_backup and existed and not read_only and path is not None:
        ensure_daily_backup(path)
    return db


def _check_can_migrate(engine: Engine, revision: str | None, where: str, read_only: bool) -> None:
    if revision is not None and revision not in known_revisions():
        raise StorageError(f"The database {where} was written by a newer vendor_eval (schema {revision}); "
                           "install the newer version to open it.")
    if read_only:
        raise StorageError(f"The database {where} is opened read-only and needs an upgrade; open it writable once.")
    if revision is not None and is_postgresql(engine) and not _owns_schema(engine):
        raise StorageError(f"The database {where} has schema {revision} and this vendor_eval needs {head_revision()}; "
                           "ask its owner to run: vendor-eval-cli server setup --db URL")


def _owns_schema(engine: Engine) -> bool:
    """Only the role that owns the tables migrates them (evaluators and the chair never do)."""
    query = text("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                 "WHERE tablename = 'alembic_version' AND schemaname = current_schema()")
    with engine.connect() as conn:
        return bool(conn.execute(query).scalar())


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
