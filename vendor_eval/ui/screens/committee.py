"""Committee: every cell's individual scores and spread; the consensus set in place with a reason."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.ui.changes import Change
from vendor_eval.ui.commands import SetConsensusCommand
from vendor_eval.ui.models.consensus_grid import ConsensusModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_header_to_names, guidance, hint

LEGEND = ("Cells show the consensus (✓, bold) or the evaluators' mean. Amber: the evaluators' spread is worth "
          "discussing; red: it must be discussed. Double-click or press Enter on a cell to set the consensus; "
          "a reason is required and recorded.")


class ConsensusDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, scores: list[tuple[str, float]], lo: float, hi: float,
                 value: float, reason: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set consensus")
        self.value = QDoubleSpinBox()
        self.value.setRange(lo, hi)
        self.value.setDecimals(1)
        self.value.setSingleStep(0.5)
        self.value.setValue(value)
        self.reason = QLineEdit(reason)
        self.reason.setPlaceholderText("What the committee agreed and why")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{title}</b>"))
        form.addRow("Individual scores", QLabel(", ".join(f"{n}: {v:g}" for n, v in scores) or "none yet"))
        form.addRow("Consensus", self.value)
        form.addRow("Reason", self.reason)
        form.addRow(self.buttons)
        self.setMinimumWidth(460)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))


class ConsensusView(QTableView):
    def __init__(self, screen: CommitteeScreen) -> None:
        super().__init__()
        self.owner = screen
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.doubleClicked.connect(screen.set_consensus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.owner.set_consensus(self.currentIndex())
            return
        super().keyPressEvent(event)


class CommitteeScreen(Screen):
    title = "Committee"
    depends_on = (Change.SCORES | Change.CONSENSUS | Change.CRITERIA | Change.VENDORS | Change.EVALUATORS
                  | Change.SETTINGS | Change.STATUS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConsensusModel(self)
        self.view = ConsensusView(self)
        self.view.setModel(self.model)
        fit_header_to_names(self.view)
        self.summary = QLabel()
        self.empty = guidance("The committee grid fills in as evaluators score. Score on the Scoring tab first.")
        layout = QVBoxLayout(self)
        layout.addWidget(hint(LEGEND))
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)

    def refresh(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        self.model.set_snapshot(snap)
        bands = [self.model.band(r, c) for r in range(self.model.rowCount()) for c in range(self.model.columnCount())]
        must, discuss = bands.count("must_discuss"), bands.count("discuss")
        self.summary.setText(f"<b>{must}</b> cells must be discussed, <b>{discuss}</b> worth discussing; "
                             f"<b>{len(snap.consensus)}</b> consensus scores set.")
        empty = not snap.scores
        self.view.setVisible(not empty)
        self.empty.setVisible(empty)

    def set_consensus(self, index: QModelIndex) -> None:
        assert self.session is not None
        if not index.isValid() or self.session.read_only:
            return
        crit = self.model.criteria[index.row()]
        vendor = self.model.vendors[index.column()]
        agreed = self.model.consensus(index)
        mean = self.model.mean[index.column(), index.row()]
        start = agreed.value if agreed else (round(float(mean) * 2) / 2 if mean == mean else crit.scale_min)
        dialog = ConsensusDialog(self, f"{vendor.name} – {crit.name}", self.model.individual(index),
                                 crit.scale_min, crit.scale_max, start, agreed.reason if agreed else "")
        if dialog.exec():
            self.session.push(SetConsensusCommand(self.session, vendor.id, crit.id, dialog.value.value(),
                                                  dialog.reason.text().strip()))
