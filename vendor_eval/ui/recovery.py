"""Opening the database at start-up, with the offer to restore the latest backup when the
file fails its integrity check (the user decides; nothing is replaced silently)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from vendor_eval.errors import UserError
from vendor_eval.services import backups
from vendor_eval.storage import Database
from vendor_eval.ui.widgets import show_error


def open_with_recovery(db_path: Path) -> Database | None:
    """The open database, or None after telling the user why it cannot be opened."""
    try:
        return backups.open_file(db_path)
    except (UserError, OSError) as exc:
        problem = str(exc)
    latest = backups.backup_to_offer(db_path)
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
        return backups.restore_damaged(db_path, latest)
    except (UserError, OSError) as exc:
        show_error(None, str(exc), "Restore failed")
        return None
