"""Record a conflict-of-interest declaration: appended, never replacing an earlier one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from vendor_eval import domain
from vendor_eval.services import declarations
from vendor_eval.ui.changes import Change
from vendor_eval.ui.session import EvaluationSession


class DeclarationDialog(QDialog):
    def __init__(self, parent: QWidget | None, snap: domain.Snapshot, evaluator_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflict-of-interest declaration")
        self.evaluator = QComboBox()
        for e in snap.evaluators:
            self.evaluator.addItem(f"{e.name} ({e.role})" if e.role else e.name, e.id)
        if evaluator_id is not None:  # asked on behalf of one evaluator: theirs, and only theirs
            self.evaluator.setCurrentIndex(self.evaluator.findData(evaluator_id))
            self.evaluator.setEnabled(False)
        # A short fixed list of names: a list widget is fine here (no table data).
        self.vendors = QListWidget()
        for v in snap.vendors:
            item = QListWidgetItem(v.name)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.vendors.addItem(item)
        self.statement = QLineEdit()
        self.statement.setPlaceholderText("e.g. No financial or personal interest in any vendor")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Evaluator", self.evaluator)
        form.addRow("Conflicted with (tick none for no conflict)", self.vendors)
        form.addRow("Statement", self.statement)
        form.addRow(buttons)

    def result_values(self) -> tuple[int, list[int], str]:
        ids = [self.vendors.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.vendors.count())
               if self.vendors.item(i).checkState() == Qt.CheckState.Checked]
        return int(self.evaluator.currentData()), ids, self.statement.text()


def ask_declaration(parent: QWidget | None, session: EvaluationSession, evaluator_id: int | None = None) -> bool:
    """Show the dialog and record the declaration (append-only); True when one was recorded."""
    dialog = DeclarationDialog(parent, session.snapshot, evaluator_id)
    if not dialog.exec():
        return False
    chosen, vendor_ids, statement = dialog.result_values()

    def recorded(declaration_id: int) -> Callable[[domain.Snapshot], domain.Snapshot]:
        # In the snapshot at once: the evaluator's next keystroke is a score.
        entry = domain.DeclarationEntry(declaration_id, chosen, datetime.now(UTC).replace(tzinfo=None),
                                        session.actor, tuple(vendor_ids), statement)
        return lambda snap: snap.with_declaration(entry)

    return session.call(declarations.declare, chosen, vendor_ids, session.actor, statement=statement,
                        kind=Change.DECLARATIONS, edit=recorded, wait=True) is not None


def has_declared(snap: domain.Snapshot, evaluator_id: int) -> bool:
    return any(d.evaluator_id == evaluator_id for d in snap.declarations)
