"""The open evaluation: database, current snapshot, undo stack and change notifications.

Screens read ``session.snapshot`` (plain data) and listen to ``changed`` (a ui.changes.Change);
edits go through ``session.push`` (an undo command that calls a service) or ``session.call``, so
every edit is saved at once. Then the snapshot follows the file in one of two ways, and the UI
thread never re-reads a large evaluation:

- patch: the frequent edits (a score, a consensus, weights, a declaration, a submission) apply
  the value the service saved to the in-memory snapshot (``Snapshot.with_*``) and announce it;
- reload: any other edit re-reads the evaluation in the background task helper; the new snapshot
  (with its score cube and ranking already computed) is installed when it arrives, and only then
  are the screens told. Patches made while a reload runs are applied again to what it read.

The saves themselves run off the UI thread too (``save``; a commit seals the evaluation, which
may take a while), one at a time in the order of the edits, and the reloads queue behind them, so
a reload always sees the saves before it. An edit whose outcome is known shows at once (a
preview patch); a save the service refuses is reported and the truth re-read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vendor_eval import domain
from vendor_eval.errors import UserError
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui import loading, tasks
from vendor_eval.ui.changes import Change, as_change

Edit = Callable[[domain.Snapshot], domain.Snapshot]


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
        self.cache: dict[str, Any] = {}  # derived results keyed by snapshot identity (see ui.engine, ui.loading)
        self.last_score: tuple[int, int, int, domain.ScoreEntry | None] | None = None
        self._reloading = False
        self._pending = Change(0)  # what the reloads under way were asked for
        self._stale = False
        self._replay: list[Edit] = []
        self._closed = False
        self.current_evaluator_id: int | None = (
            self.snapshot.evaluators[0].id if self.snapshot.evaluators else None
        )

    @property
    def read_only(self) -> bool:
        return self.snapshot.evaluation.status == "finalised"

    def reload(self, change: Change | str = Change.STORED) -> None:
        """Re-read the evaluation off the UI thread; the screens hear ``change`` once it is installed."""
        self._pending |= as_change(change)
        if self._reloading:
            self._stale = True  # the read under way may predate this change: read again when it ends
            return
        self._start_reload()

    @property
    def reloading(self) -> bool:
        """A background reload is under way: the snapshot may not show the last edits yet."""
        return self._reloading

    def _start_reload(self) -> None:
        db, evaluation_id = self.db, self.evaluation_id
        view = (self.method, self.aggregation, self.tariff_scenario)
        self._stale, self._replay = False, []

        def work(_progress: Any) -> tuple[domain.Snapshot, dict[str, Any]]:
            return loading.load(db, evaluation_id, *view)

        self._reloading = True  # before run_task: in inline mode (tests) it reports before returning
        tasks.run_task(work, self._reloaded, self._reload_failed, serial=True)  # after the saves queued

    def _reloaded(self, loaded: tuple[domain.Snapshot, dict[str, Any]]) -> None:
        self._reloading = False
        if self._closed:
            return
        if self._stale:
            self._start_reload()
            return
        snapshot, cache = loaded
        for edit in self._replay:  # edits saved after the read began
            snapshot = edit(snapshot)
        change, self._pending, self._replay = self._pending, Change(0), []
        self.snapshot = snapshot
        self.cache.update(cache)
        self.changed.emit(change)

    def _reload_failed(self, exc: BaseException) -> None:
        self._reloading = False
        if self._closed:
            return
        if isinstance(exc, UserError):  # e.g. the database went away: say so, keep what is shown
            self._pending = Change(0)
            self.failed.emit(str(exc))
            return
        raise exc

    def close(self) -> None:
        """The window let go of this session: a reload still running is dropped when it ends."""
        self._closed = True

    def patch(self, change: Change, edit: Edit, replay: bool = True) -> Edit:
        """Apply a saved (or queued) edit to the in-memory snapshot and announce it. replay: the edit
        was saved after a reload under way may have read the file, so apply it to that reload's
        result too. Returns edit (save() withdraws a refused preview from the replay)."""
        self.snapshot = edit(self.snapshot)
        if replay and self._reloading:
            self._replay.append(edit)
        self.changed.emit(change)
        return edit

    def save(self, work: Callable[[], Any], saved: Callable[[Any], None], refused: Callable[[str], None],
             preview: Callable[[], Edit | None] | None = None) -> None:
        """Run work (a service call that commits) off the UI thread, after the saves queued before
        it; saved(result) or refused(message) then run on the UI thread. preview: shows the edit
        as the save will leave it, at once (patch_*); if the service refuses, it is taken back by
        re-reading the evaluation. In inline mode (tests) it all happens before save returns."""
        shown = preview() if preview is not None else None

        def done(result: Any) -> None:
            if not self._closed:
                saved(result)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserError):
                raise exc
            if self._closed:
                return
            if shown is not None:
                if shown in self._replay:
                    self._replay.remove(shown)
                self.reload(Change.STORED)
            refused(str(exc))

        tasks.run_task(lambda _progress: work(), done, failed, serial=True)

    def patch_weights(self, criterion_weights: dict[int, float], group_weights: dict[int, float]) -> Edit:
        """Weights saved by the service; the scores, and so the score cube, are untouched."""
        return self.patch(Change.WEIGHTS, lambda snap: snap.with_weights(criterion_weights, group_weights))

    def patch_score(self, evaluator_id: int, vendor_id: int, criterion_id: int, saved: Any | None) -> Edit:
        """One saved (or cleared) score: re-reading a large evaluation after every keystroke would
        make keyboard scoring sluggish."""
        # No timestamp, as a fresh load_snapshot has none: the patched snapshot equals a fresh one.
        entry = None if saved is None else domain.ScoreEntry(
            saved.id, evaluator_id, vendor_id, criterion_id, saved.value, saved.comment, None, saved.version)
        # Lets the scoring grid repaint one cell instead of rebuilding 12,000 (see ScoringScreen).
        self.last_score = (evaluator_id, vendor_id, criterion_id, entry)
        try:
            return self.patch(Change.SCORES, lambda snap: snap.with_score(evaluator_id, vendor_id, criterion_id, entry))
        finally:
            self.last_score = None

    def patch_consensus(self, vendor_id: int, criterion_id: int, saved: Any | None) -> Edit:
        """Like patch_score, for the committee's consensus (set in the meeting, one cell at a time)."""
        entry = None if saved is None else domain.ConsensusEntry(  # no timestamp, as a fresh load
            saved.id, vendor_id, criterion_id, saved.value, saved.comment, self.actor, None, saved.version)
        return self.patch(Change.CONSENSUS, lambda snap: snap.with_consensus(vendor_id, criterion_id, entry))

    def push(self, command: QUndoCommand) -> bool:
        """Run an edit as an undoable command. A refused edit (UserError) is reported, not pushed."""
        self.undo_stack.push(command)
        # A refused redo marks the command obsolete, so Qt drops it instead of stacking it.
        error = getattr(command, "error", None)
        if error:
            self.failed.emit(error)
            return False
        return True

    def call(self, fn: Callable[..., Any], *args: Any, kind: Change | str = Change.STORED,
             edit: Callable[[Any], Edit] | None = None, preview: Edit | None = None, wait: bool = False,
             **kwargs: Any) -> Any:
        """A one-off service call that is not undoable (e.g. add a vendor): ``fn(db, evaluation_id,
        *args, **kwargs)`` saves off the UI thread (see save); the snapshot is then re-read in the
        background (reload) and the screens that depend on ``kind`` follow. preview: the change to
        show at once, for edits the next keystroke depends on (a submission); edit: given fn's
        result, the change to patch in when the save is done, before the reload brings the stored
        truth. A refusal goes to ``failed``. wait: save on the calling thread and return fn's result
        (None when refused), for a caller that needs it (a dialog that stays open on a refusal)."""
        change = as_change(kind)

        def saved(result: Any) -> None:
            if edit is not None:
                self.patch(change, edit(result), replay=False)
            self.reload(change)

        if wait:
            try:
                result = fn(self.db, self.evaluation_id, *args, **kwargs)
            except UserError as exc:
                self.failed.emit(str(exc))
                return None
            saved(result)
            return result
        self.save(lambda: fn(self.db, self.evaluation_id, *args, **kwargs), saved, self.failed.emit,
                  None if preview is None else lambda: self.patch(change, preview))
        return None
