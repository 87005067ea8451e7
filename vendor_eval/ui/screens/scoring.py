"""Scoring: the current evaluator's vendors x criteria grid, keyboard first.

Keys: a digit scores the cell and moves on; Enter/Tab move on; Delete clears; A accepts the
suggested score from the questionnaire; C edits the cell's comment. Every key is saved at once
and undoable (Ctrl+Z).

The conflict-of-interest declaration is asked when an evaluator is picked in "Scoring as", never
from a keystroke (the keys that follow would land in the dialog). A submitted evaluator is asked
to withdraw the submission before a score changes (blind mode showed them the others' scores).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.services import evaluators as evaluator_service
from vendor_eval.ui.changes import Change
from vendor_eval.ui.commands import SetScoreCommand
from vendor_eval.ui.declaration_dialog import ask_declaration, has_declared
from vendor_eval.ui.models.scoring_grid import ScoringModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import dress_grid, fit_header_to_names, guidance, hint

KEYS_HELP = ("Type a digit to score and move down · Enter: next criterion · Tab: next vendor · Delete: clear · "
             "A: accept the suggested score (shown as (4?)) · C: comment (* marks one) · ⚑ knock-out criterion")


class ScoringView(QTableView):
    def __init__(self, screen: ScoringScreen) -> None:
        super().__init__()
        self.owner = screen
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setMinimumSectionSize(40)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def move_next(self) -> None:
        """Down the criteria of the same vendor (one response read at a time), then the next vendor."""
        index = self.currentIndex()
        model = self.model()
        if not index.isValid():
            return
        row, col = index.row() + 1, index.column()
        if row >= model.rowCount():
            row, col = 0, col + 1
        if col < model.columnCount():
            self.setCurrentIndex(model.index(row, col))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        text = event.text()
        if index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if text.isdecimal() and len(text) == 1:
                if self.owner.score_current(int(text)):
                    self.move_next()
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_next()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.owner.score_current(None)
                return
            if text.lower() == "a" and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                if self.owner.accept_suggestion():
                    self.move_next()
                return
            if text.lower() == "c" and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.owner.edit_comment()
                return
        super().keyPressEvent(event)


class ScoringScreen(Screen):
    title = "Scoring"
    depends_on = (Change.SCORES | Change.CRITERIA | Change.VENDORS | Change.EVALUATORS | Change.DECLARATIONS
                  | Change.SETTINGS | Change.STATUS | Change.WEIGHTS | Change.QUESTIONNAIRES)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ScoringModel(self)
        self.model.score_handler = self._score
        self.view = ScoringView(self)
        self.view.setModel(self.model)
        fit_header_to_names(self.view)
        self.fit = dress_grid(self.view, self.model)  # group headings, fit all vendors
        self.evaluator = QComboBox()
        self.evaluator.setMinimumContentsLength(24)
        self.evaluator.activated.connect(self._evaluator_chosen)
        self.submit_button = QPushButton("Submit my scoring")
        self.submit_button.setToolTip("Marks this evaluator's scoring as submitted: lifts blind mode for them.")
        self.submit_button.clicked.connect(self.toggle_submitted)
        self.declare_button = QPushButton("Declare conflicts of interest…")
        self.declare_button.setToolTip("Each evaluator declares any conflict of interest (or none) before scoring.")
        self.declare_button.clicked.connect(self.declare)
        self.mode = QLabel()
        self.mode.setWordWrap(True)
        self.progress = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Scoring as"))
        top.addWidget(self.evaluator)
        top.addWidget(self.submit_button)
        top.addWidget(self.declare_button)
        top.addWidget(self.fit)
        top.addStretch(1)
        self.empty = guidance("")
        # What the current cell asks, so keyboard scoring needs no mouse hover.
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.info.setMinimumWidth(260)
        self.info.setMaximumWidth(320)
        self.view.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_info(cur))
        grid = QHBoxLayout()
        grid.addWidget(self.view, 1)
        grid.addWidget(self.empty, 1)
        grid.addWidget(self.info)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # The count beside the (wrapping) mode line, not in the top row: that row must fit a 1024 px window.
        status = QHBoxLayout()
        status.addWidget(self.mode, 1)
        status.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(status)
        layout.addWidget(hint(KEYS_HELP))
        layout.addLayout(grid, 1)

    # --- refresh ---
    def _on_changed(self, change: Change) -> None:
        session = self.session
        if (change == Change.SCORES and session is not None and self.sender() is session and session.last_score
                and self.isVisible() and not self._dirty and self.model.update_score(*session.last_score)):
            self._show_info(self.view.currentIndex())
            self._count_progress()
            return
        super()._on_changed(change)

    def refresh(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        current = self.view.currentIndex()
        where = (current.row(), current.column()) if current.isValid() else (0, 0)
        self.evaluator.blockSignals(True)
        self.evaluator.clear()
        for e in snap.evaluators:
            label = f"{e.name} ({e.role})" if e.role else e.name
            self.evaluator.addItem(label + (" ✓ submitted" if e.submitted_at else ""), e.id)
        if self.session.current_evaluator_id not in {e.id for e in snap.evaluators}:
            self.session.current_evaluator_id = snap.evaluators[0].id if snap.evaluators else None
        self.evaluator.setCurrentIndex(max(self.evaluator.findData(self.session.current_evaluator_id), 0))
        self.evaluator.blockSignals(False)
        self.model.set_snapshot(snap, self.session.current_evaluator_id)
        if self.model.rowCount() and self.model.columnCount():
            self.view.setCurrentIndex(self.model.index(min(where[0], self.model.rowCount() - 1),
                                                       min(where[1], self.model.columnCount() - 1)))
        self._describe_mode()

    def _show_info(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.info.setText("")
            return
        self.info.setText(self.model.data(index, Qt.ItemDataRole.ToolTipRole) or "")

    def _describe_mode(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        e = self.model.evaluator
        empty = not snap.vendors or not snap.criteria or e is None
        self.view.setVisible(not empty)
        self.info.setVisible(not empty)
        self.empty.setVisible(empty)
        if empty:
            self.empty.setText("Nothing to score yet: add vendors and evaluators on the Vendors tab "
                               "(or open the demo), then come back here.")
        notes = []
        if snap.evaluation.blind_mode:
            notes.append("Blind mode: you see only your own scores until you submit."
                         if e is None or e.submitted_at is None else
                         "Blind mode: submitted, so the other evaluators' scores show in the tooltips.")
        if snap.evaluation.two_envelope and e is not None and e.envelope == "technical" and e.submitted_at is None:
            notes.append("Two envelopes: price and cost criteria stay sealed until you submit your technical scoring.")
        if self.session.read_only:
            notes.append("This evaluation is finalised: scores are read-only.")
        undeclared = e is not None and not has_declared(snap, e.id) and not self.session.read_only
        if undeclared:
            assert e is not None
            notes.append(f"{e.name} has not declared conflicts of interest yet: declare them to start scoring.")
        self.declare_button.setVisible(undeclared)
        self.mode.setText(" ".join(notes))
        self.mode.setVisible(bool(notes))
        self.submit_button.setEnabled(e is not None and not self.session.read_only)
        self.submit_button.setText("Withdraw submission" if e is not None and e.submitted_at else "Submit my scoring")
        self._count_progress()

    def _count_progress(self) -> None:
        e = self.model.evaluator
        if e is not None:
            total = len(self.model.vendors) * len(self.model.criteria)
            self.progress.setText(f"{self.model.scored_count()} of {total} cells scored")

    def _evaluator_chosen(self, _index: int) -> None:
        assert self.session is not None
        chosen = self.evaluator.currentData()
        if chosen != self.session.current_evaluator_id:  # the same one again: the grid shows them already
            self.session.current_evaluator_id = chosen
            self.refresh()
        # Asked now, when the evaluator is picked: before their first keystroke, not on it.
        if self.model.evaluator is not None and not has_declared(self.session.snapshot, self.model.evaluator.id) \
                and not self.session.read_only:
            self.declare()

    def declare(self) -> None:
        assert self.session is not None
        e = self.model.evaluator
        if e is not None:
            ask_declaration(self, self.session, e.id)

    # --- edits ---
    def _score(self, vendor_id: int, criterion_id: int, value: Any, comment: str | None) -> bool:
        assert self.session is not None
        evaluator_id = self.session.current_evaluator_id
        if evaluator_id is None:
            return False
        snap = self.session.snapshot
        evaluator = snap.evaluators[snap.index_of("evaluator", evaluator_id)]
        if not has_declared(snap, evaluator_id):
            # Conflicts of interest are declared before a first score (DOMAIN.md); the dialog is not
            # opened from a keystroke, whose followers would land in it.
            self.session.failed.emit(f"{evaluator.name} has not declared conflicts of interest: press "
                                     "'Declare conflicts of interest…' above, then score.")
            return False
        if evaluator.submitted_at is not None and not self._withdraw(evaluator):
            return False
        return self.session.push(SetScoreCommand(self.session, evaluator_id, vendor_id, criterion_id, value, comment))

    def _withdraw(self, evaluator: Any) -> bool:
        """A submitted evaluator changes a score only after taking the submission back."""
        assert self.session is not None
        answer = QMessageBox.question(
            self, "Scoring submitted",
            f"{evaluator.name} has submitted their scoring. To change a score, withdraw the submission first; "
            "submit again when done.\n\nWithdraw the submission and make this change?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.session.failed.emit(f"{evaluator.name}'s scoring is submitted: withdraw it to change a score.")
            return False
        return self._set_submitted(evaluator, False)

    def score_current(self, value: float | None) -> bool:
        index = self.view.currentIndex()
        if not index.isValid() or not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        vendor_id, criterion_id = self.model.key(index)
        if value is None and self.model.score(vendor_id, criterion_id) is None:
            return False
        return self._score(vendor_id, criterion_id, value, None)

    def accept_suggestion(self) -> bool:
        index = self.view.currentIndex()
        if not index.isValid():
            return False
        suggestion = self.model.suggestion(index)
        if suggestion is None:
            assert self.session is not None
            self.session.failed.emit("This cell has no suggested score (none was derived from the questionnaire).")
            return False
        return self.score_current(suggestion.value)

    def edit_comment(self) -> None:
        assert self.session is not None
        index = self.view.currentIndex()
        if not index.isValid():
            return
        vendor_id, criterion_id = self.model.key(index)
        mine = self.model.score(vendor_id, criterion_id)
        if mine is None:
            self.session.failed.emit("Score the cell first, then add the comment that justifies it.")
            return
        text, ok = QInputDialog.getMultiLineText(self, "Comment",
                                                 f"Why {mine.value:g} for {self.model.vendors[index.column()].name}?",
                                                 mine.comment)
        if ok and text != mine.comment:
            self._score(vendor_id, criterion_id, mine.value, text)

    def toggle_submitted(self) -> None:
        e = self.model.evaluator
        if e is not None:
            self._set_submitted(e, e.submitted_at is None)

    def _set_submitted(self, evaluator: Any, submitted: bool) -> bool:
        assert self.session is not None
        when = datetime.now(UTC).replace(tzinfo=None) if submitted else None
        changed = dataclasses.replace(evaluator, submitted_at=when)
        # Patched at once (the next keystroke depends on it); the reload brings the stored time.
        self.session.call(evaluator_service.set_submitted, evaluator.id, submitted, self.session.actor,
                          kind=Change.EVALUATORS, preview=lambda snap: snap.with_evaluator(changed))
        current = self.session.snapshot.evaluators[self.session.snapshot.index_of("evaluator", evaluator.id)]
        return (current.submitted_at is not None) == submitted
