"""Audit log: every change, newest first, as recorded (hash-chained) in the database."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vendor_eval.services.audit_log import list_audit_events
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.tables import AuditModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, hint, table_view


class AuditScreen(Screen):
    title = "Audit log"
    depends_on = Change.STORED

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditModel(self)
        self.view = table_view(self.model)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(hint("Every change is recorded here with who, when, the old and the new value; "
                              "records cannot be edited (each is chained to the one before)."))
        layout.addWidget(self.count)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        assert self.session is not None
        rows = list_audit_events(self.session.db, self.session.evaluation_id, limit=2000)
        self.model.set_rows(rows)
        self.count.setText(f"Showing the latest {len(rows)} changes." if len(rows) == 2000
                           else f"{len(rows)} changes recorded.")
        fit_columns(self.view)
        for col in (5, 6):
            self.view.setColumnWidth(col, min(self.view.columnWidth(col), 260))
