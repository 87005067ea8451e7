"""Vendors invited (profile edited in place) and the committee's evaluators."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain
from vendor_eval.services import evaluators, vendors
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.models.tables import VendorsModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, hint, table_view


class EvaluatorsModel(RowsModel[domain.Evaluator]):
    columns = (
        Column("Evaluator", lambda r: r.name, edit_field="name"),
        Column("Role", lambda r: r.role, edit_field="role"),
        Column("Envelope", lambda r: r.envelope, edit_field="envelope",
               header_tip="all, technical or commercial (two-envelope mode)"),
        Column("Submitted", lambda r: r.submitted_at.strftime("%Y-%m-%d %H:%M") if r.submitted_at else "not yet"),
    )


class VendorsScreen(Screen):
    title = "Vendors"
    depends_on = Change.VENDORS | Change.EVALUATORS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = VendorsModel(self)
        self.model.edit_handler = self._edit_vendor
        self.view = table_view(self.model)
        self.add_button = QPushButton("Add vendor…")
        self.add_button.clicked.connect(self.add_vendor)
        self.remove_button = QPushButton("Remove vendor…")
        self.remove_button.clicked.connect(self.remove_vendor)
        self.empty = hint("No vendors yet: add the vendors invited to the RFP, or import their completed "
                          "questionnaires (File ▸ Import questionnaires).")
        vbox = QGroupBox("Vendors invited")
        v = QVBoxLayout(vbox)
        v.addWidget(hint("Double-click a cell to edit it; changes are saved at once."))
        v.addWidget(self.view)
        v.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        v.addLayout(row)

        self.evaluators_model = EvaluatorsModel(self)
        self.evaluators_model.edit_handler = self._edit_evaluator
        self.evaluators_view = table_view(self.evaluators_model)
        self.add_evaluator_button = QPushButton("Add evaluator…")
        self.add_evaluator_button.clicked.connect(self.add_evaluator)
        self.remove_evaluator_button = QPushButton("Remove evaluator…")
        self.remove_evaluator_button.clicked.connect(self.remove_evaluator)
        ebox = QGroupBox("Committee (evaluators)")
        e = QVBoxLayout(ebox)
        e.addWidget(self.evaluators_view)
        row = QHBoxLayout()
        row.addWidget(self.add_evaluator_button)
        row.addWidget(self.remove_evaluator_button)
        row.addStretch(1)
        e.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(vbox)
        splitter.addWidget(ebox)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        self.model.set_rows(snap.vendors)
        self.evaluators_model.set_rows(snap.evaluators)
        fit_columns(self.view)
        fit_columns(self.evaluators_view)
        self.empty.setVisible(not snap.vendors)
        ro = self.session.read_only
        # A finalised evaluation: cells are not editable at all (rather than refused after typing).
        self.model.edit_handler = None if ro else self._edit_vendor
        self.evaluators_model.edit_handler = None if ro else self._edit_evaluator
        for b in (self.add_button, self.remove_button, self.add_evaluator_button, self.remove_evaluator_button):
            b.setEnabled(not ro)

    def _edit_vendor(self, row: domain.Vendor, field: str, value: Any) -> bool:
        assert self.session is not None
        self.session.call(vendors.update_vendor, row.id, self.session.actor, kind=Change.VENDORS, **{field: value})
        return True  # reloaded (or the refusal reported): the table shows what is stored

    def _edit_evaluator(self, row: domain.Evaluator, field: str, value: Any) -> bool:
        assert self.session is not None
        self.session.call(evaluators.update_evaluator, row.id, self.session.actor, kind=Change.EVALUATORS,
                          **{field: str(value)})
        return True

    def add_vendor(self) -> None:
        assert self.session is not None
        name, ok = QInputDialog.getText(self, "Add vendor", "Vendor name (fictional in demos):")
        if ok and name.strip():
            self.session.call(vendors.add_vendor, name.strip(), self.session.actor, kind=Change.VENDORS)

    def remove_vendor(self) -> None:
        assert self.session is not None
        index = self.view.currentIndex()
        if not index.isValid():
            self.session.failed.emit("Select the vendor to remove first.")
            return
        vendor = self.model.row(index.row())
        answer = QMessageBox.question(self, "Remove vendor",
                                      f"Remove {vendor.name} with all its scores, answers and cost lines?")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.call(vendors.remove_vendor, vendor.id, self.session.actor, kind=Change.VENDORS)

    def add_evaluator(self) -> None:
        assert self.session is not None
        name, ok = QInputDialog.getText(self, "Add evaluator", "Evaluator name:")
        if ok and name.strip():
            self.session.call(evaluators.add_evaluator, name.strip(), self.session.actor, kind=Change.EVALUATORS)

    def remove_evaluator(self) -> None:
        assert self.session is not None
        index = self.evaluators_view.currentIndex()
        if not index.isValid():
            self.session.failed.emit("Select the evaluator to remove first.")
            return
        person = self.evaluators_model.row(index.row())
        answer = QMessageBox.question(self, "Remove evaluator", f"Remove {person.name} and all their scores?")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.call(evaluators.remove_evaluator, person.id, self.session.actor, kind=Change.EVALUATORS)
