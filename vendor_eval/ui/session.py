"""The open evaluation: database, current snapshot, undo stack and change notifications.

Screens read ``session.snapshot`` (plain data) and listen to ``changed``; edits go through
``session.push`` (an undo command that calls a service), so every edit is saved at once
and can be undone. After a change the snapshot is re-read so all screens agree with the database;
the frequent, large-evaluation-sensitive edits (a score, a weight, a consensus) patch the
in-memory snapshot instead, with the value the service returned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vendor_eval import domain
from vendor_eval.errors import UserError
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.changes import Change


class EvaluationSession(QObject):
    changed = Signal(Change)  # what an edit changed (ui.changes); screens refresh on what they show
    failed = Signal(str)  # a UserError's message, for the status bar / a dialog

    def __init__(self, db: Database, evaluation_id: int, actor: str, parent: QObject | None = None,
                 snapshot: domain.Snapshot | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.evaluation_id = evaluation_id
        self.actor = actor
        self.undo_stack = QUndoStack(self)
        # The snapshot may come from a background load (opening a large evaluation off the UI thread).
        self.snapshot: domain.Snapshot = snapshot if snapshot is not None else load_snapshot(db, evaluation_id)
        self.method = "weighted"
        self.aggregation = ""  # "" = the evaluation's own setting
        self.tariff_scenario: str | None = None  # rank with prices under this scenario; None = as quoted
        self.cache: dict[str, Any] = {}  # derived results keyed by snapshot identity (see ui.engine)
        self.last_score: tuple[int, int, int, domain.ScoreEntry | None] | None = None
        self.current_evaluator_id: int | None = (
            self.snapshot.evaluators[0].id if self.snapshot.evaluators else None
        )

    @property
    def read_only(self) -> bool:
        return self.snapshot.evaluation.status == "finalised"

    def reload(self, change: Change = Change.STORED) -> None:
        self.snapshot = load_snapshot(self.db, self.evaluation_id)
        self.changed.emit(change)

    def patch_weights(self, criterion_weights: dict[int, float], group_weights: dict[int, float]) -> None:
        """Apply a weight change to the in-memory snapshot without re-reading 180,000 scores:
        the service already saved it; this keeps a weight edit within the 100 ms budget."""
        snap = self.snapshot
        criteria = tuple(dataclasses.replace(c, weight=criterion_weights[c.id]) if c.id in criterion_weights else c
                         for c in snap.criteria)
        groups = tuple(dataclasses.replace(g, weight=group_weights[g.id]) if g.id in group_weights else g
                       for g in snap.groups)
        self.snapshot = dataclasses.replace(snap, criteria=criteria, groups=groups)
        self.changed.emit(Change.WEIGHTS)

    def patch_score(self, evaluator_id: int, vendor_id: int, criterion_id: int, saved: Any | None) -> None:
        """Apply one saved (or cleared) score to the in-memory snapshot: re-reading a large
        evaluation after every keystroke would make keyboard scoring sluggish."""
        # No timestamp, as a fresh load_snapshot has none: the patched snapshot equals a fresh one.
        entry = None if saved is None else domain.ScoreEntry(
            saved.id, evaluator_id, vendor_id, criterion_id, saved.value, saved.comment, None, saved.version)
        self.snapshot = self.snapshot.with_score(evaluator_id, vendor_id, criterion_id, entry)
        # Lets the scoring grid repaint one cell instead of rebuilding 12,000 (see ScoringScreen).
        self.last_score = (evaluator_id, vendor_id, criterion_id, entry)
        self.changed.emit(Change.SCORES)
        self.last_score = None

    def patch_consensus(self, vendor_id: int, criterion_id: int, saved: Any | None) -> None:
        """Like patch_score, for the committee's consensus (set in the meeting, one cell at a time)."""
        snap = self.snapshot
        kept = tuple(x for x in snap.consensus if (x.vendor_id, x.criterion_id) != (vendor_id, criterion_id))
        if saved is not None:
            kept += (domain.ConsensusEntry(saved.id, vendor_id, criterion_id, saved.value, saved.comment, self.actor,
                                           datetime.now(UTC).replace(tzinfo=None), saved.version),)
        self.snapshot = dataclasses.replace(snap, consensus=kept)
        self.changed.emit(Change.CONSENSUS)

    def push(self, command: QUndoCommand) -> bool:
        """Run an edit as an undoable command. A refused edit (UserError) is reported, not pushed."""
        self.undo_stack.push(command)
        # A refused redo marks the command obsolete, so Qt drops it instead of stacking it.
        error = getattr(command, "error", None)
        if error:
            self.failed.emit(error)
            return False
        return True

    def call(self, fn: Callable[..., Any], *args: Any, kind: Change = Change.STORED, **kwargs: Any) -> Any:
        """A one-off service call that is not undoable (e.g. submit scoring); reloads afterwards."""
        try:
            result = fn(self.db, self.evaluation_id, *args, **kwargs)
        except UserError as exc:
            self.failed.emit(str(exc))
            return None
        self.reload(kind)
        return result
