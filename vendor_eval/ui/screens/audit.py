"""Audit log: every change, newest first, as recorded (hash-chained) in the database.

Read a page at a time as the table scrolls, filtered by who, what kind of record, vendor,
criterion and dates; values are shown with names, not the keys they are stored with.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.services.audit_log import AuditFilter, audit_facets, audit_page, count_audit_events
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.tables import ENTITY_LABELS, AuditModel, AuditNames, humanise
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, hint, table_view
from vendor_eval.ui.wording import counted

ANY = "Any"


def _combo(tip: str) -> QComboBox:
    box = QComboBox()
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(9)
    return box


class AuditScreen(Screen):
    title = "Audit log"
    depends_on = Change.STORED

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AuditModel(self)
        self.view = table_view(self.model)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.actor = _combo("Who made the change")
        self.kind = _combo("What kind of record changed")
        self.vendor = _combo("Changes about this vendor: its record, scores, consensus, cost lines, imports")
        self.criterion = _combo("Changes about this criterion: its definition, weight, scores and consensus")
        self.dated = QCheckBox("From")
        self.since, self.until = QDateEdit(), QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self._reload())
        self.dated.toggled.connect(self._dates_toggled)
        for box in (self.actor, self.kind, self.vendor, self.criterion):
            box.activated.connect(lambda _i: self._reload())
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for label, widget in (("Who", self.actor), ("Kind", self.kind), ("Vendor", self.vendor),
                              ("Criterion", self.criterion)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget, 1)
        when = QHBoxLayout()
        when.addWidget(self.dated)
        when.addWidget(self.since)
        when.addWidget(QLabel("to"))
        when.addWidget(self.until)
        when.addWidget(self.clear_button)
        when.addSpacing(12)
        when.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint("Every change is recorded here with who, when, the old and the new value; "
                              "records cannot be edited (each is chained to the one before)."))
        layout.addLayout(filters)
        layout.addLayout(when)
        layout.addWidget(self.view, 1)
        self._total = 0

    def refresh(self) -> None:
        assert self.session is not None
        session = self.session
        facets = audit_facets(session.db, session.evaluation_id)
        self._total = facets.total
        snap = session.snapshot
        self.model.names = AuditNames.of(snap)
        _fill(self.actor, [(a, a) for a in facets.actors])
        _fill(self.kind, [(ENTITY_LABELS.get(e, humanise(e).capitalize()), e) for e in facets.entities])
        _fill(self.vendor, [(v.name, v.id) for v in snap.vendors])
        _fill(self.criterion, [(c.name, c.id) for c in snap.criteria])
        if not self.dated.isChecked() and facets.first_at:
            for edit, at in ((self.since, facets.first_at), (self.until, facets.last_at)):
                edit.blockSignals(True)
                edit.setDate(QDate.fromString(at[:10], "yyyy-MM-dd"))
                edit.blockSignals(False)
        self._reload()

    def filter(self) -> AuditFilter:
        dated = self.dated.isChecked()
        return AuditFilter(actor=self.actor.currentData() or "", entity=self.kind.currentData() or "",
                           vendor_id=self.vendor.currentData(), criterion_id=self.criterion.currentData(),
                           since=self.since.date().toString("yyyy-MM-dd") if dated else "",
                           until=self.until.date().toString("yyyy-MM-dd") if dated else "")

    def _reload(self) -> None:
        if self.session is None:
            return
        db, eid, where, page = self.session.db, self.session.evaluation_id, self.filter(), self.model.page

        def load(before: int | None) -> list[Any]:
            return audit_page(db, eid, where, before, page)

        self.model.start(load)
        matching = self._total if where == AuditFilter() else count_audit_events(db, eid, where)
        shown = self.model.rowCount()
        text = (counted("%n change(s)", self._total) + " recorded" if where == AuditFilter()
                else f"{matching:,} of {counted('%n change(s)', self._total)} match the filters")
        if shown < matching:
            text += f"; the newest {shown:,} are shown, more load as you scroll"
        self.count.setText(text + ".")
        fit_columns(self.view)
        for col in (5, 6):
            self.view.setColumnWidth(col, min(self.view.columnWidth(col), 260))
        self.clear_button.setEnabled(where != AuditFilter())

    def _dates_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self._reload()

    def clear_filters(self) -> None:
        for box in (self.actor, self.kind, self.vendor, self.criterion):
            box.setCurrentIndex(0)
        self.dated.blockSignals(True)
        self.dated.setChecked(False)
        self.dated.blockSignals(False)
        self._dates_toggled(False)


def _fill(box: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Offer "Any" and the items, keeping the user's choice when it is still offered."""
    chosen = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(ANY, None)
    for text, data in items:
        box.addItem(text, data)
        box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
    box.setCurrentIndex(max(box.findData(chosen), 0) if chosen is not None else 0)
    box.blockSignals(False)
