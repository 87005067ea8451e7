"""Record a conflict-of-interest declaration: appended, never replacing an earlier one."""

from __future__ import annotations

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


class DeclarationDialog(QDialog):
    def __init__(self, parent: QWidget | None, snap: domain.Snapshot) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflict-of-interest declaration")
        self.evaluator = QComboBox()
        for e in snap.evaluators:
            self.evaluator.addItem(f"{e.name} ({e.role})" if e.role else e.name, e.id)
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
