"""Consistent copies of a database file through SQLite's online backup API.

Never copy the .db file while a -wal file may hold committed pages: the
backup API reads through SQLite and sees exactly what a reader would.
A backup is written under a temporary name and renamed when complete, so a
crash or a full disk never leaves a half-written file that looks like a backup.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vendor_eval.errors import StorageError, UserError
from vendor_eval.paths import backup_dir_for

KEEP_BACKUPS = 10  # per kind (manual, before-migration, before-restore)
KEEP_DAILY = 7
DAILY_INTERVAL = timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S-%f"

log = logging.getLogger(__name__)


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}}-\d{{6}})-([A-Za-z0-9._-]+)\.db$")


def backup_time(db_path: Path, backup: Path) -> datetime | None:
    """When a backup was taken (UTC, from its name), or None for a file that is not one of db_path's."""
    match = _name_pattern(db_path).match(backup.name)
    return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC) if match else None


def backup_reason(db_path: Path, backup: Path) -> str:
    match = _name_pattern(db_path).match(backup.name)
    return match.group(2) if match else ""


def _kind(reason: str) -> str:
    """Rotation groups: before-migration-0001 and -0002 share one quota."""
    return "before-migration" if reason.startswith("before-migration") else reason


def create_backup(db_path: Path, reason: str, keep: int = KEEP_BACKUPS, now: datetime | None = None) -> Path:
    """Copy db_path into its backups/ folder, then keep only the newest `keep` copies of that kind."""
    folder = backup_dir_for(db_path)
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(db_path, partial)
        with closing(sqlite3.connect(partial)) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Could not back up {db_path} to {folder}: {_why(exc)}.") from exc
    _rotate(db_path, _kind(reason), keep)
    return target


def _why(exc: Exception) -> str:
    text = str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)
    return "the disk is full" if "full" in text.lower() or "no space" in text.lower() else text


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(db_path)
    return sorted((p for p in folder.iterdir() if pattern.match(p.name)), key=lambda p: p.name, reverse=True)


def _rotate(db_path: Path, kind: str, keep: int) -> None:
    """Keep the newest `keep` of a kind; the oldest before-migration backup is kept as well: it is
    the last copy written by the older version, the one to go back to if a migration went wrong."""
    same_kind = [p for p in list_backups(db_path) if _kind(backup_reason(db_path, p)) == kind]
    doomed = same_kind[keep:]
    if kind == "before-migration" and doomed:
        doomed = doomed[:-1]
    for old in doomed:
        old.unlink(missing_ok=True)


def ensure_daily_backup(db_path: Path, keep: int = KEEP_DAILY, now: datetime | None = None) -> Path | None:
    """The scheduled backup: one on the first open after 24 hours without any backup.

    A failure is logged, not raised: the officer must still be able to open the file
    (e.g. a read-only share, or a full disk, where their work is safe but unbackupable).
    """
    now = now or datetime.now(UTC)
    newest = next(iter(list_backups(db_path)), None)
    taken = backup_time(db_path, newest) if newest else None
    if taken is not None and now - taken < DAILY_INTERVAL:
        return None
    try:
        return create_backup(db_path, "daily", keep, now)
    except StorageError as exc:
        log.warning("Scheduled backup skipped: %s", exc)
        return None


@dataclass(frozen=True)
class Restored:
    source: Path
    kept: Path | None  # where the replaced file was kept (a before-restore backup or a damaged copy)
    kept_as: str  # "a before-restore backup", "a copy of the damaged file", "" when there was no file


def restore_backup(db_path: Path, source: Path) -> Restored:
    """Replace db_path's content with a checked backup. The current file is always kept first:
    as a "before-restore" backup when it reads, or copied whole beside it when it is damaged."""
    if not source.is_file():
        raise UserError(f"The backup {source} does not exist.")
    if quick_check(source) != "ok":
        raise UserError(f"The backup {source} is itself damaged; choose another one.")
    kept: Path | None = None
    kept_as = ""
    if db_path.exists():
        if quick_check(db_path) == "ok":
            kept, kept_as = create_backup(db_path, "before-restore"), "a before-restore backup"
        else:
            kept, kept_as = _keep_damaged(db_path), "a copy of the damaged file"
    try:
        _copy(source, db_path)
    except sqlite3.DatabaseError:
        # The damaged file cannot even be opened as a database: replace it whole.
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        db_path.write_bytes(source.read_bytes())
    return Restored(source, kept, kept_as)


def _keep_damaged(db_path: Path) -> Path:
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    try:
        for suffix in ("", "-wal"):
            part = Path(str(db_path) + suffix)
            if part.exists():
                shutil.copyfile(part, Path(str(target) + suffix))
    except OSError as exc:
        raise StorageError(f"The damaged {db_path} could not be kept aside ({_why(exc)}); nothing was restored.") from exc
    return target


def quick_check(db_path: Path) -> str:
    """'ok', or SQLite's first complaint about the file."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(row[0]) if row else "no answer"
