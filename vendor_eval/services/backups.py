"""Backups of a database file: take one now, list them, restore one, recover a damaged file;
and of a shared PostgreSQL database, with pg_dump/pg_restore (server_backup, server_restore).

These work on the file, not on an open Database: restoring must be possible when the
file is too damaged to open, and a backup must not migrate the file it copies.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vendor_eval.errors import UserError
from vendor_eval.paths import server_backup_dir
from vendor_eval.storage import Database, open_database
from vendor_eval.storage import backup as storage
from vendor_eval.storage import server_backup as pg_tools
from vendor_eval.storage.audit import verify_chain
from vendor_eval.storage.database import database_url, make_engine, sqlite_path
from vendor_eval.storage.migrate import known_revisions
from vendor_eval.storage.models import AuditEvent
from vendor_eval.storage.server_backup import ServerURL


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC
    reason: str  # manual, daily, before-migration-0002, before-restore
    size: int  # bytes

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(), "reason": self.reason, "size": self.size}


def database_file(target: str | Path) -> Path:
    """The file behind a path or a sqlite URL; other databases have no file to back up."""
    engine = make_engine(database_url(target))
    try:
        path = sqlite_path(engine)
    finally:
        engine.dispose()
    if path is None:
        raise UserError(f"{target} is not a database file; back it up with that database's own tools.")
    return path


def backup_now(db_path: Path, reason: str = "manual") -> BackupInfo:
    if not db_path.is_file():
        raise UserError(f"There is no database at {db_path} to back up.")
    return _info(db_path, storage.create_backup(db_path, reason))


def chain_heads(backup: Path) -> list[tuple[str, int, str]]:
    """(evaluation, seq, hash) of each audit chain's head in a backup: printed when the backup
    is taken, so a later `verify --head` or `--against` the backup catches a cut tail."""
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT e.name, a.seq, a.hash FROM evaluation e JOIN audit_event a ON a.evaluation_id = e.id "
            "WHERE a.seq = (SELECT max(seq) FROM audit_event WHERE evaluation_id = e.id) ORDER BY e.id").fetchall()
    return [(str(name), int(seq), str(hash_)) for name, seq, hash_ in rows]


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Newest first."""
    return [_info(db_path, p) for p in storage.list_backups(db_path)]


def latest_backup(db_path: Path) -> BackupInfo | None:
    found = list_backups(db_path)
    return found[0] if found else None


def backup_to_offer(db_path: Path) -> BackupInfo | None:
    """The newest backup when db_path exists but fails its integrity check: what the GUI
    offers to restore when the file will not open."""
    if not db_path.is_file() or storage.quick_check(db_path) == "ok":
        return None
    return latest_backup(db_path)


def restore_damaged(db_path: Path, backup: BackupInfo) -> Database:
    """Keep the damaged file beside it (NAME.damaged), put the backup in its place and open it."""
    damaged = db_path.with_name(db_path.name + ".damaged")
    damaged.write_bytes(db_path.read_bytes())
    restore(db_path, backup.path)
    return open_database(db_path)


def open_file(db_path: Path) -> Database:
    """Open the app's database: created and migrated as needed, its daily backup taken."""
    return open_database(db_path)


@dataclass(frozen=True)
class RestoreInfo:
    used: BackupInfo
    kept: Path | None  # the replaced file, kept aside
    kept_as: str  # "a before-restore backup" | "a copy of the damaged file" | "" (there was no file)

    def describe(self, db_path: Path) -> str:
        kept = f"the replaced file was kept as {self.kept_as}: {self.kept}" if self.kept else "there was no file to replace"
        return (f"Restored {db_path} from {self.used.path} (taken {self.used.taken_at:%Y-%m-%d %H:%M:%S} UTC); "
                f"{kept}.")


def restore(db_path: Path, source: Path | None = None) -> RestoreInfo:
    """Put a backup (the newest when none is named) in place of db_path, once it is shown to be
    a vendor_eval database of a known schema revision whose audit chains are intact; the current
    file is kept aside first (storage.backup.restore_backup). Close the database before."""
    if source is None:
        found = storage.list_backups(db_path)
        if not found:
            raise UserError(f"There is no backup of {db_path} to restore.")
        source = found[0]
    if source.is_file() and storage.quick_check(source) == "ok":
        _check_restorable(source)
    done = storage.restore_backup(db_path, source)
    taken = storage.backup_time(db_path, source) or datetime.fromtimestamp(source.stat().st_mtime, UTC)
    used = BackupInfo(source, taken, storage.backup_reason(db_path, source), source.stat().st_size)
    return RestoreInfo(used, done.kept, done.kept_as)


def _check_restorable(source: Path) -> None:
    """A vendor_eval database this version knows, with every evaluation's audit chain intact."""
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "evaluation", "audit_event"} <= tables:
                raise UserError(f"{source} is an SQLite file but not a vendor_eval database; nothing was restored.")
            revision = next(iter(conn.execute("SELECT version_num FROM alembic_version")), (None,))[0]
            if revision not in known_revisions():
                raise UserError(f"{source} is a vendor_eval database of schema revision {revision!r}, which this "
                                "version does not know (a newer vendor_eval wrote it); nothing was restored.")
            columns = [c.key for c in AuditEvent.__table__.columns]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM audit_event ORDER BY evaluation_id, seq").fetchall()
    except sqlite3.Error as exc:
        raise UserError(f"{source} cannot be read as a vendor_eval database ({exc}); nothing was restored.") from None
    by_evaluation: dict[int, list[AuditEvent]] = {}
    for row in rows:
        event = AuditEvent(**dict(zip(columns, row, strict=True)))
        by_evaluation.setdefault(event.evaluation_id, []).append(event)
    for evaluation_id, events in by_evaluation.items():
        broken = verify_chain(events)
        if broken is not None:
            raise UserError(f"{source} has a broken audit trail (evaluation {evaluation_id}: {broken.describe()}); "
                            "nothing was restored.")


def _info(db_path: Path, path: Path) -> BackupInfo:
    taken = storage.backup_time(db_path, path)
    assert taken is not None, path
    return BackupInfo(path, taken, storage.backup_reason(db_path, path), path.stat().st_size)


# --- a shared PostgreSQL database ------------------------------------------------------


def server_url(target: str | Path) -> ServerURL | None:
    """The URL of a PostgreSQL database, or None for a file."""
    return pg_tools.server_url(database_url(target))


def _server_prefix(url: ServerURL) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", f"{url.host or 'local'}-{url.port or 5432}-{url.database}")


def server_backups(url: ServerURL) -> list[BackupInfo]:
    """This machine's dumps of that database, newest first."""
    folder = server_backup_dir()
    pattern = re.compile(rf"^{re.escape(_server_prefix(url))}-(\d{{8}}-\d{{6}})-([A-Za-z0-9.-]+)\.dump$")
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = pattern.match(path.name)
        if match:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def server_backup(url: ServerURL, reason: str = "manual") -> BackupInfo:
    """pg_dump of the whole database into this machine's server-backups folder."""
    now = datetime.now(UTC)
    target = server_backup_dir() / f"{_server_prefix(url)}-{now:%Y%m%d-%H%M%S}-{reason}.dump"
    pg_tools.dump(url, target)
    return BackupInfo(target, now.replace(microsecond=0), reason, target.stat().st_size)


def server_restore(url: ServerURL, source: Path | None = None) -> BackupInfo:
    """Replace the database's content with a dump (the newest when none is named), taking a
    before-restore dump first so the restore can be undone. Everyone should close the app."""
    candidates = server_backups(url)
    chosen = source or (candidates[0].path if candidates else None)
    if chosen is None:
        raise UserError(f"There is no backup of {url.database} on this machine to restore; name one with --from.")
    server_backup(url, "before-restore")
    pg_tools.restore(url, chosen)
    return next((b for b in candidates if b.path == chosen),
                BackupInfo(chosen, datetime.fromtimestamp(chosen.stat().st_mtime, UTC), "", chosen.stat().st_size))
