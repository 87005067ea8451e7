"""Committee: every cell's individual scores and spread; the consensus set in place with a reason.

In the meeting the grid is a worklist: a filter shows only the cells still to discuss, F8 (or N)
jumps to the next open cell, Enter opens it with every evaluator's score and comment, and the
counters follow each consensus set.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.ui.changes import Change
from vendor_eval.ui.commands import SetConsensusCommand
from vendor_eval.ui.models.consensus_grid import ConsensusModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import dress_grid, fit_header_to_names, guidance, hint
from vendor_eval.ui.wording import counted

LEGEND = ("Cells show the consensus (✓, bold) or the evaluators' mean. Amber: the evaluators' spread is worth "
          "discussing; red: it must be discussed. F8 or N: next open cell; Enter or double-click: set the "
          "consensus (a reason is required and recorded).")
# What the filter shows: (label, bands of the open cells it keeps); None = every cell.
FILTERS = (("All cells", None),
           ("Open: must or worth discussing", ("must_discuss", "discuss")),
           ("Open: must be discussed", ("must_discuss",)))
BOTH = ("must_discuss", "discuss")


class ConsensusDialog(QDialog):
    """One cell in the meeting: each evaluator's score and comment, then the agreed value and why."""

    def __init__(self, parent: QWidget | None, title: str, scores: list[tuple[str, float, str]], lo: float,
                 hi: float, value: float, reason: str) -> None:
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
        heading = QLabel(f"<b>{escape(title)}</b>")
        heading.setWordWrap(True)
        self.scores = QGridLayout()
        self.scores.setColumnStretch(2, 1)
        for col, text in enumerate(("Evaluator", "Score", "Comment")):
            self.scores.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        for row, (name, score, comment) in enumerate(scores, start=1):
            self.scores.addWidget(_plain(name), row, 0, Qt.AlignmentFlag.AlignTop)
            self.scores.addWidget(QLabel(f"{score:g}"), row, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            note = _plain(comment or "(no comment)")
            note.setWordWrap(True)
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.scores.addWidget(note, row, 2)
        if not scores:
            self.scores.addWidget(QLabel("No individual scores yet."), 1, 0, 1, 3)
        form = QFormLayout()
        form.addRow("Consensus", self.value)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addLayout(self.scores)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)  # the height the wrapped comments leave over goes above the buttons, not the title
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        # As tall as the wrapped comments need at that width (Qt sizes wrapped labels for a narrower one).
        self.resize(520, layout.totalHeightForWidth(520))
        self._check()

    def comments(self) -> list[str]:
        """The comment column as shown (tests and screen readers)."""
        out = []
        for row in range(1, self.scores.rowCount()):
            item = self.scores.itemAtPosition(row, 2)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                out.append(label.text())
        return out

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))


class ConsensusView(QTableView):
    def __init__(self, screen: CommitteeScreen) -> None:
        super().__init__()
        self.owner = screen
        self.doubleClicked.connect(screen.set_consensus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.owner.set_consensus(self.currentIndex())
            return
        if event.text().lower() == "n" and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.owner.next_open_cell()
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
        self.fit = dress_grid(self.view, self.model)
        self.filter = QComboBox()
        for text, bands in FILTERS:
            self.filter.addItem(text, bands)
        self.filter.activated.connect(lambda _i: self._apply_filter())
        self.next_button = QPushButton("Next open cell (F8)")
        self.next_button.clicked.connect(self.next_open_cell)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.next_open_cell,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.empty = guidance("The committee grid fills in as evaluators score. Score on the Scoring tab first.")
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Show"))
        tools.addWidget(self.filter)
        tools.addWidget(self.next_button)
        tools.addWidget(self.fit)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(LEGEND))
        layout.addLayout(tools)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)

    def _on_changed(self, change: Change) -> None:
        # A consensus set in the meeting: the cell and the counters follow, the grid is not rebuilt.
        if (change == Change.CONSENSUS and self.session is not None and self.sender() is self.session
                and self.isVisible() and not self._dirty and self.model.update_consensus(self.session.snapshot)):
            self._apply_filter()
            return
        super()._on_changed(change)

    def refresh(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        current = self.view.currentIndex()
        where = (current.row(), current.column()) if current.isValid() else None
        self.model.set_snapshot(snap)
        if where is not None and where[0] < self.model.rowCount() and where[1] < self.model.columnCount():
            self.view.setCurrentIndex(self.model.index(*where))
        self._apply_filter()
        empty = not snap.scores
        self.view.setVisible(not empty)
        self.empty.setVisible(empty)

    def counts(self) -> tuple[int, int, int]:
        """(open must-discuss cells, open worth-discussing cells, consensus scores set)."""
        must = len(self.model.open_cells(("must_discuss",)))
        return must, len(self.model.open_cells(BOTH)) - must, self.model.agreed_count()

    def _apply_filter(self) -> None:
        must, discuss, agreed = self.counts()
        parts = [counted("%n cell(s) must be discussed", must), counted("%n cell(s) worth discussing", discuss),
                 counted("%n consensus score(s) set", agreed)]
        if not must and not discuss and self.session is not None and self.session.snapshot.scores:
            parts.insert(0, "Nothing left to discuss")
        self.summary.setText(" · ".join(parts) + ".")
        bands = self.filter.currentData()
        rows = cols = None
        if bands is not None:
            cells = self.model.open_cells(bands)
            rows, cols = {r for r, _ in cells}, {c for _, c in cells}
        for r in range(self.model.rowCount()):
            self.view.setRowHidden(r, rows is not None and r not in rows)
        for c in range(self.model.columnCount()):
            self.view.setColumnHidden(c, cols is not None and c not in cols)
        self.view.verticalHeader().update_headings()  # type: ignore[attr-defined]  # GroupHeader
        self.next_button.setEnabled(bool(must or discuss))

    def next_open_cell(self) -> bool:
        """Select the next open cell after the current one (reading order, wrapping round) within the
        filter; False when none is left."""
        bands = self.filter.currentData() or BOTH
        cells = self.model.open_cells(bands)
        if not cells:
            if self.session is not None:
                self.session.failed.emit("No open cells left to discuss.")
            return False
        current = self.view.currentIndex()
        here = (current.row(), current.column()) if current.isValid() else (-1, -1)
        target = next((cell for cell in cells if cell > here), cells[0])
        index = self.model.index(*target)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        return True

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


def _plain(text: str) -> QLabel:
    """A label for people's text: shown as typed, never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
