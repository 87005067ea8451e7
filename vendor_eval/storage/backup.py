"""Consistent copies of a database file through SQLite's online backup API.

Never copy the .db file while a -wal file may hold committed pages: the
backup API reads through SQLite and sees exactly what a reader would.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from vendor_eval.errors import StorageError, UserError
from vendor_eval.paths import backup_dir_for

KEEP_BACKUPS = 10


def create_backup(db_path: Path, reason: str, keep: int = KEEP_BACKUPS) -> Path:
    """Copy db_path into its backups/ folder, then keep only the newest `keep` copies."""
    folder = backup_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    try:
        _copy(db_path, target)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise StorageError(f"Could not back up {db_path} to {folder}: {exc}.") from exc
    _rotate(db_path, keep)
    return target


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.db"), key=lambda p: p.name, reverse=True)


def _rotate(db_path: Path, keep: int) -> None:
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)


def restore_backup(db_path: Path, backup: Path | None = None) -> Path:
    """Replace db_path's content with a backup (the newest when none is named).

    The current file is itself backed up first (reason "before-restore") when it is
    readable, so a restore can be undone.
    """
    candidates = list_backups(db_path)
    source = backup or (candidates[0] if candidates else None)
    if source is None:
        raise UserError(f"There is no backup of {db_path} to restore.")
    if not source.is_file():
        raise UserError(f"The backup {source} does not exist.")
    if quick_check(source) != "ok":
        raise UserError(f"The backup {source} is itself damaged; choose another one.")
    if db_path.exists() and quick_check(db_path) == "ok":
        create_backup(db_path, "before-restore")
    try:
        _copy(source, db_path)
    except sqlite3.DatabaseError:
        # The damaged file cannot even be opened as a database: replace it whole.
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        db_path.write_bytes(source.read_bytes())
    return source


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
