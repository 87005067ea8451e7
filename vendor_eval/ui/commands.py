"""Undoable edits. Each command calls a service in redo() and the inverse service in undo().

QUndoStack.push() runs redo() at once. The service call itself runs off the UI thread, in the
order of the edits (EvaluationSession.save); a command that knows how its save will leave the
snapshot shows that at once (preview), so keyboard scoring never waits for a commit. A UserError
marks the command obsolete so Qt drops it, and the session reports the message. Scores carry the
version they saw so a concurrent edit by someone else is refused rather than overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from vendor_eval import domain
from vendor_eval.errors import UserError
from vendor_eval.services import criteria, removal, scores
from vendor_eval.services.lookup import Ref
from vendor_eval.ui.changes import Change

if TYPE_CHECKING:
    from vendor_eval.ui.session import EvaluationSession

Edit = Callable[[domain.Snapshot], domain.Snapshot]


class ServiceCommand(QUndoCommand):
    kind = Change.ALL
    # False: saved on the UI thread before push() returns (the caller reads what do() set).
    background = True

    def __init__(self, session: EvaluationSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.error = ""
        self._first = True
        self._pushing = False

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def preview(self, forward: bool) -> Edit | None:
        """Show the snapshot as do() (forward) or revert() will leave it, before the save is done;
        returns the edit patched in (None: nothing shown until the save and its refresh)."""
        return None

    def refresh(self) -> None:
        self.session.reload(self.kind)

    def redo(self) -> None:
        first, self._first = self._first, False
        self.error = ""
        self._pushing = first
        try:
            self._run(self.do, True, first)
        finally:
            self._pushing = False

    def undo(self) -> None:
        if self.error:
            return  # its save was refused: nothing to take back (Qt drops it, being obsolete)
        self._run(self.revert, False, False)

    def _run(self, work: Callable[[], None], forward: bool, first: bool) -> None:
        def refused(message: str) -> None:
            if not forward:
                self.session.failed.emit(f"Could not undo: {message}")
                return
            self.error = message
            if self._pushing:  # still inside push(): Qt drops it, push() reports the message
                self.setObsolete(True)
                return
            self.session.failed.emit(message)
            self._drop_refused(first)

        if not self.background:
            try:
                work()
            except UserError as exc:
                refused(str(exc))
                return
            self.refresh()
            return
        self.session.save(work, lambda _r: self.refresh(), refused, lambda: self.preview(forward))

    def _drop_refused(self, first: bool) -> None:
        """A first save refused after push() returned: off the undo stack if it is on top (undo()
        does nothing for it, then Qt deletes the obsolete command)."""
        if not first:
            return
        self.setObsolete(True)
        stack = self.session.undo_stack
        if stack.index() == stack.count() and stack.count() and stack.command(stack.count() - 1) is self:
            stack.undo()


class SetScoreCommand(ServiceCommand):
    kind = Change.SCORES

    def __init__(self, session: EvaluationSession, evaluator_id: int, vendor_id: int, criterion_id: int,
                 value: Any, comment: str | None = None) -> None:
        super().__init__(session, "Score")
        self.cell = (evaluator_id, vendor_id, criterion_id)
        old = session.snapshot.scores.get(*self.cell)
        self.old_value = old.value if old else None
        self.old_comment = old.comment if old else None
        self.version = old.version if old else 0
        self.value, self.comment = value, comment
        self._saved: scores.SavedScore | None = None
        self._shown: tuple[scores.SavedScore | None] | None = None  # what the last preview showed
        self.setText("Clear score" if value is None else f"Score {value}")

    def _set(self, value: Any, comment: str | None) -> None:
        e, v, c = self.cell
        s = self.session
        if value is None:
            scores.clear_score(s.db, s.evaluation_id, e, v, c, s.actor, expected_version=self.version)
            self.version, self._saved = 0, None
        else:
            self._saved = scores.record_score(s.db, s.evaluation_id, e, v, c, value, s.actor,
                                              comment=comment, expected_version=self.version)
            self.version = self._saved.version

    def do(self) -> None:
        self._set(self.value, self.comment)

    def revert(self) -> None:
        self._set(self.old_value, self.old_comment or "")

    def preview(self, forward: bool) -> Edit | None:
        value, comment = (self.value, self.comment) if forward else (self.old_value, self.old_comment or "")
        self._shown = None
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return None  # text for the service to parse: shown once it is saved
        old = self.session.snapshot.scores.get(*self.cell)
        # As the service will save it: a new score is version 1, a change adds one (the next edit
        # of this cell states that version). A new score's id is known after the save (-1 until then).
        expected = None if value is None else scores.SavedScore(
            old.id if old else -1, float(value), comment if comment is not None else (old.comment if old else ""),
            old.version + 1 if old else 1)
        self._shown = (expected,)
        return self.session.patch_score(*self.cell, expected)

    def refresh(self) -> None:
        current = _as_saved(self.session.snapshot.scores.get(*self.cell))
        if current == self._saved:
            return  # the preview already shows what was saved
        if self._shown is not None and current != self._shown[0]:
            return  # a later edit of this cell shows now (a reload after this save, or a preview before its own)
        self.session.patch_score(*self.cell, self._saved)


def _as_saved(entry: domain.ScoreEntry | None) -> scores.SavedScore | None:
    return None if entry is None else scores.SavedScore(entry.id, entry.value, entry.comment, entry.version)


class SetConsensusCommand(ServiceCommand):
    kind = Change.CONSENSUS

    def __init__(self, session: EvaluationSession, vendor_id: int, criterion_id: int, value: Any, reason: str) -> None:
        super().__init__(session, "Consensus score")
        self.cell = (vendor_id, criterion_id)
        old = session.snapshot.consensus.get(vendor_id, criterion_id)
        self.old = (old.value, old.reason) if old else None
        self.value, self.reason = value, reason
        self._saved: scores.SavedScore | None = None
        self._shown: tuple[scores.SavedScore | None] | None = None  # what the last preview showed

    def do(self) -> None:
        s = self.session
        self._saved = scores.set_consensus(s.db, s.evaluation_id, *self.cell, self.value, self.reason, s.actor)

    def revert(self) -> None:
        s = self.session
        if self.old is None:
            scores.clear_consensus(s.db, s.evaluation_id, *self.cell, s.actor, reason="undo")
            self._saved = None
        else:
            self._saved = scores.set_consensus(s.db, s.evaluation_id, *self.cell, self.old[0], self.old[1], s.actor)

    def preview(self, forward: bool) -> Edit | None:
        value, reason = (self.value, self.reason) if forward else self.old or (None, "")
        self._shown = None
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or not reason.strip()):
            return None  # for the service to parse or refuse: shown once it is saved
        old = next((c for c in self.session.snapshot.consensus if (c.vendor_id, c.criterion_id) == self.cell), None)
        expected = None if value is None else scores.SavedScore(old.id if old else -1, float(value), reason,
                                                                old.version + 1 if old else 1)
        self._shown = (expected,)
        return self.session.patch_consensus(*self.cell, expected)

    def refresh(self) -> None:
        # No re-read of every score; nothing at all when the preview already shows what was saved.
        if self._shown is not None and self._shown[0] == self._saved:
            return
        self.session.patch_consensus(*self.cell, self._saved)


class SetWeightsCommand(ServiceCommand):
    """Criterion and group weights (percent) in one step: a single edit, an AHP result, a normalise."""

    kind = Change.WEIGHTS

    def __init__(self, session: EvaluationSession, text: str, criterion_weights: dict[int, float],
                 group_weights: dict[int, float] | None = None) -> None:
        super().__init__(session, text)
        snap = session.snapshot
        self.new_c, self.new_g = dict(criterion_weights), dict(group_weights or {})
        self.old_c = {c.id: c.weight for c in snap.criteria if c.id in self.new_c}
        self.old_g = {g.id: g.weight for g in snap.groups if g.id in self.new_g}

    def _apply(self, cw: dict[int, float], gw: dict[int, float]) -> None:
        s = self.session
        if cw:
            weights: dict[Ref, Any] = {cid: w for cid, w in cw.items()}
            criteria.set_weights(s.db, s.evaluation_id, weights, s.actor)
        for gid, w in gw.items():
            criteria.set_group_weight(s.db, s.evaluation_id, gid, w, s.actor)
        self._applied = (cw, gw)

    def do(self) -> None:
        self._apply(self.new_c, self.new_g)

    def revert(self) -> None:
        self._apply(self.old_c, self.old_g)

    def preview(self, forward: bool) -> Edit | None:
        # Weights only: patch the snapshot in memory instead of re-reading every score; the
        # service saves them as given, so nothing is left to show when the save is done.
        return self.session.patch_weights(*((self.new_c, self.new_g) if forward else (self.old_c, self.old_g)))

    def refresh(self) -> None:
        pass


class EditCriterionCommand(ServiceCommand):
    kind = Change.CRITERIA

    def __init__(self, session: EvaluationSession, criterion_id: int, **changes: Any) -> None:
        super().__init__(session, "Edit criterion")
        crit = session.snapshot.criteria[session.snapshot.index_of("criterion", criterion_id)]
        self.criterion_id = criterion_id
        self.new = changes
        self.old = {k: _as_service_value(k, getattr(crit, "is_cost" if k == "is_cost" else k)) for k in changes}
        self.setText(f"Edit {', '.join(changes)} of {crit.name}")

    def do(self) -> None:
        s = self.session
        criteria.update_criterion(s.db, s.evaluation_id, self.criterion_id, s.actor, **self.new)

    def revert(self) -> None:
        s = self.session
        criteria.update_criterion(s.db, s.evaluation_id, self.criterion_id, s.actor, **self.old)


def _as_service_value(field: str, value: Any) -> Any:
    if field == "choices":
        return list(value)
    if field == "descriptors":
        return dict(value)
    return value


class MoveCriterionCommand(ServiceCommand):
    kind = Change.CRITERIA

    def __init__(self, session: EvaluationSession, criterion_id: int, position: int, group_id: int) -> None:
        super().__init__(session, "Move criterion")
        crit = session.snapshot.criteria[session.snapshot.index_of("criterion", criterion_id)]
        self.criterion_id = criterion_id
        self.old = (crit.position, crit.group_id)
        self.new = (position, group_id)

    def do(self) -> None:
        s = self.session
        criteria.move_criterion(s.db, s.evaluation_id, self.criterion_id, self.new[0], s.actor, group=self.new[1])

    def revert(self) -> None:
        s = self.session
        criteria.move_criterion(s.db, s.evaluation_id, self.criterion_id, self.old[0], s.actor, group=self.old[1])


class NormaliseCommand(SetWeightsCommand):
    """Normalise through the service (its audit entries say "normalised to 100 %"); undo restores."""

    def __init__(self, session: EvaluationSession, criterion_weights: dict[int, float],
                 group_weights: dict[int, float]) -> None:
        super().__init__(session, "Normalise weights", criterion_weights, group_weights)

    def do(self) -> None:
        s = self.session
        criteria.normalise_weights(s.db, s.evaluation_id, s.actor)
        self._applied = (self.new_c, self.new_g)


# --- building the criteria tree (groups and criteria added, renamed, moved) ---

class AddGroupCommand(ServiceCommand):
    kind = Change.CRITERIA | Change.WEIGHTS
    background = False  # the criteria screen selects the new group by the id do() sets

    def __init__(self, session: EvaluationSession, name: str, weight: float = 0.0, description: str = "") -> None:
        super().__init__(session, f"Add group {name}")
        self.name, self.weight, self.description = name, weight, description
        self.group_id: int | None = None

    def do(self) -> None:
        s = self.session
        self.group_id = criteria.add_group(s.db, s.evaluation_id, self.name, s.actor, self.weight, self.description)

    def revert(self) -> None:
        s = self.session
        assert self.group_id is not None
        criteria.remove_group(s.db, s.evaluation_id, self.group_id, s.actor)


class AddCriterionCommand(ServiceCommand):
    """Add a criterion with every field of the form in one transaction; undo removes it again."""

    kind = Change.CRITERIA | Change.WEIGHTS
    background = False  # the criteria screen selects the new criterion by the id do() sets

    def __init__(self, session: EvaluationSession, group_id: int, name: str, **fields: Any) -> None:
        super().__init__(session, f"Add criterion {name}")
        self.group_id, self.name, self.fields = group_id, name, fields
        self.criterion_id: int | None = None

    def do(self) -> None:
        s = self.session
        self.criterion_id = criteria.add_criterion(s.db, s.evaluation_id, self.group_id, self.name, s.actor,
                                                   **self.fields)

    def revert(self) -> None:
        s = self.session
        assert self.criterion_id is not None
        criteria.remove_criterion(s.db, s.evaluation_id, self.criterion_id, s.actor)


class RenameGroupCommand(ServiceCommand):
    kind = Change.CRITERIA

    def __init__(self, session: EvaluationSession, group_id: int, name: str) -> None:
        group = session.snapshot.groups[session.snapshot.index_of("group", group_id)]
        super().__init__(session, f"Rename group {group.name}")
        self.group_id, self.old, self.new = group_id, group.name, name

    def do(self) -> None:
        s = self.session
        criteria.update_group(s.db, s.evaluation_id, self.group_id, s.actor, name=self.new)

    def revert(self) -> None:
        s = self.session
        criteria.update_group(s.db, s.evaluation_id, self.group_id, s.actor, name=self.old)


class MoveGroupCommand(ServiceCommand):
    kind = Change.CRITERIA

    def __init__(self, session: EvaluationSession, group_id: int, position: int) -> None:
        super().__init__(session, "Move group")
        self.group_id = group_id
        self.old, self.new = session.snapshot.index_of("group", group_id), position

    def do(self) -> None:
        s = self.session
        criteria.move_group(s.db, s.evaluation_id, self.group_id, self.new, s.actor)

    def revert(self) -> None:
        s = self.session
        criteria.move_group(s.db, s.evaluation_id, self.group_id, self.old, s.actor)


class DeleteCommand(ServiceCommand):
    """Delete a criterion or a whole group with their scores; undo puts back exactly what went
    (services.removal), and the audit trail records both."""

    kind = Change.CRITERIA | Change.WEIGHTS | Change.SCORES | Change.CONSENSUS | Change.QUESTIONNAIRES

    def __init__(self, session: EvaluationSession, entity: str, entity_id: int, name: str) -> None:
        super().__init__(session, f"Delete {'group' if entity == 'group' else 'criterion'} {name}")
        self.entity, self.entity_id = entity, entity_id
        self.removed: removal.Removed | None = None

    def do(self) -> None:
        s = self.session
        delete = removal.delete_group if self.entity == "group" else removal.delete_criterion
        self.removed = delete(s.db, s.evaluation_id, self.entity_id, s.actor)

    def revert(self) -> None:
        s = self.session
        assert self.removed is not None
        self.removed = removal.restore(s.db, s.evaluation_id, self.removed, s.actor)
        row = self.removed.group if self.entity == "group" else self.removed.criteria[0]
        assert row is not None
        self.entity_id = row["id"]  # the id it has now (a new one if the old was taken meanwhile)
