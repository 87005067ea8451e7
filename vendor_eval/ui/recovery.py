"""Opening the database at start-up, with the offer to restore the latest backup when the
file fails its integrity check (the user decides; nothing is replaced silently)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from vendor_eval.errors import UserError
from vendor_eval.services import backups
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.backup import quick_check
from vendor_eval.ui.widgets import show_error


def open_with_recovery(db_path: Path) -> Database | None:
    """The open database, or None after telling the user why it cannot be opened."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return open_database(db_path)
    except (UserError, OSError) as exc:
        problem = str(exc)
    latest = backups.latest_backup(db_path) if db_path.is_file() and quick_check(db_path) != "ok" else None
    if latest is None:
        show_error(None, problem, "Cannot open the database")
        return None
    answer = QMessageBox.question(
        None, "Restore from backup?",
        f"{problem}\n\nRestore the latest backup, taken {latest.taken_at:%Y-%m-%d %H:%M} UTC ({latest.reason})? "
        "Changes made after it are lost; the damaged file is kept beside it.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        damaged = db_path.with_name(db_path.name + ".damaged")
        damaged.write_bytes(db_path.read_bytes())
        backups.restore(db_path, latest.path)
        return open_database(db_path)
    except (UserError, OSError) as exc:
        show_error(None, str(exc), "Restore failed")
        return None
