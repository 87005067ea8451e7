"""Scores: an evaluator's score for a vendor on a criterion, and the committee's consensus.

A refused score changes nothing (the transaction rolls back whole); every accepted
change is audited with its old and new value. Writers may state the version they
read: if someone else saved the cell since, the write is refused as a conflict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval.errors import ConflictError, ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    ConflictDeclaration,
    ConsensusScore,
    Criterion,
    Evaluator,
    Score,
    Vendor,
    utcnow,
)


@dataclass(frozen=True)
class SavedScore:
    id: int
    value: float
    comment: str
    version: int


def parse_score(raw: Any, criterion: Criterion) -> float:
    """A number on the criterion's scale, or a ValidationError naming the criterion and range."""
    where = f"criterion {criterion.name!r}"
    if isinstance(raw, bool):
        raise ValidationError(f"A score for {where} must be a number, got {raw!r}.")
    if isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(f"A score for {where} must be a number, got {raw!r}.") from None
    elif isinstance(raw, (int, float)):
        value = float(raw)
    else:
        raise ValidationError(f"A score for {where} must be a number, got {raw!r}.")
    if not math.isfinite(value):
        raise ValidationError(f"A score for {where} must be a finite number, got {raw!r}.")
    if not criterion.scale_min <= value <= criterion.scale_max:
        raise ValidationError(
            f"A score for {where} must lie between {criterion.scale_min:g} and {criterion.scale_max:g}, got {value:g}."
        )
    return value


def _check_version(row: Score | ConsensusScore | None, expected: int | None, what: str) -> None:
    """expected None: last writer wins (CLI); 0: the writer saw an empty cell; n: it saw version n."""
    if expected is None:
        return
    current = row.version if row is not None else 0
    if current != expected:
        raise ConflictError(
            f"Someone else changed {what} since you loaded it (now {row.value if row else 'empty'}); "
            "reload to see their value before saving yours."
        )


def _conflicted_vendor_ids(s: Session, evaluator_id: int) -> set[int]:
    """The vendors named in the evaluator's latest conflict-of-interest declaration.

    Latest by insertion (id), not by declared_at: declarations are append-only, and a
    clock set back must not let an older declaration override a newer one.
    """
    latest = s.scalar(
        select(ConflictDeclaration)
        .where(ConflictDeclaration.evaluator_id == evaluator_id)
        .order_by(ConflictDeclaration.id.desc())
        .limit(1)
    )
    return set(latest.vendor_ids) if latest is not None else set()


@dataclass(frozen=True)
class ScoreInput:
    """One cell of a batch: evaluator, vendor and criterion by id, name (or criterion key)."""

    evaluator: Ref
    vendor: Ref
    criterion: Ref
    value: Any
    comment: str | None = None


def record_score(
    db: Database, ref: Ref, evaluator: Ref, vendor: Ref, criterion: Ref, value: Any, actor: str,
    comment: str | None = None, expected_version: int | None = None,
) -> SavedScore:
    """Create or change one score (and optionally its comment) in one audited transaction."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        batch = _Batch(s, evaluation.id, actor, prefetch=False)
        row = batch.write(ScoreInput(evaluator, vendor, criterion, value, comment), expected_version)
        batch.finish()
        return SavedScore(row.id, row.value, row.comment, row.version)


def record_scores(db: Database, ref: Ref, cells: Iterable[ScoreInput], actor: str) -> int:
    """Many scores as one user action (a pasted block, a loaded sample): all saved, or none
    when any cell is refused. Each cell is validated and audited as record_score does it."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        return write_scores_in(s, evaluation.id, cells, actor)


def write_scores_in(s: Session, evaluation_id: int, cells: Iterable[ScoreInput], actor: str, reason: str = "") -> int:
    """record_scores inside the caller's transaction (an import that also writes other rows);
    reason goes on every audit event (e.g. the file and its SHA-256)."""
    batch = _Batch(s, evaluation_id, actor, reason)
    saved = 0
    for cell in cells:
        batch.write(cell, None)
        saved += 1
    batch.finish()
    return saved


class _Batch:
    """The cells of one transaction, written as record_score writes each one, but in bulk: the
    members, declarations and each (evaluator, vendor)'s scores are looked up once, the new
    rows are inserted by one flush, and the audit events follow in the cells' order as one
    chained write (audit.record_many). Same rows, events and seal as one cell at a time."""

    def __init__(self, s: Session, evaluation_id: int, actor: str, reason: str = "", prefetch: bool = True) -> None:
        self.s, self.evaluation_id, self.actor, self.reason = s, evaluation_id, actor, reason
        self.prefetch = prefetch  # one cell (an edit in the grid): look up its row alone
        self.members: dict[tuple[type, Ref], Any] = {}
        self.conflicts: dict[int, set[int]] = {}
        self.scores: dict[tuple[int, int], dict[int, Score]] = {}  # (evaluator, vendor) -> criterion -> row
        self.unflushed: set[int] = set()  # id() of the rows added since the last flush
        self.events: list[tuple[Score, str, Any, Any]] = []  # (row, field, old, new), in order
        s.flush()  # the caller's changes so far; the look-ups below then leave the batch's rows pending

    def member(self, model: Any, ref: Ref) -> Any:
        if (model, ref) not in self.members:
            self.members[model, ref] = get_member(self.s, model, self.evaluation_id, ref)
        return self.members[model, ref]

    def existing(self, e: Evaluator, v: Vendor, c: Criterion) -> Score | None:
        if not self.prefetch:
            return self.s.scalar(select(Score).where(
                Score.evaluator_id == e.id, Score.vendor_id == v.id, Score.criterion_id == c.id))
        if (e.id, v.id) not in self.scores:  # (the pair's rows this batch adds go in the dict)
            self.scores[e.id, v.id] = {x.criterion_id: x for x in self.s.scalars(
                select(Score).where(Score.evaluator_id == e.id, Score.vendor_id == v.id))}
        return self.scores[e.id, v.id].get(c.id)

    def write(self, cell: ScoreInput, expected_version: int | None) -> Score:
        with self.s.no_autoflush:  # the batch's new rows go in together, at finish
            return self._write(cell, expected_version)

    def _write(self, cell: ScoreInput, expected_version: int | None) -> Score:
        e = self.member(Evaluator, cell.evaluator)
        v = self.member(Vendor, cell.vendor)
        c = self.member(Criterion, cell.criterion)
        number = parse_score(cell.value, c)
        comment = cell.comment
        if e.id not in self.conflicts:
            self.conflicts[e.id] = _conflicted_vendor_ids(self.s, e.id)
        if v.id in self.conflicts[e.id]:
            raise ValidationError(f"{e.name} declared a conflict of interest with {v.name} and cannot score it.")
        _refuse_if_submitted(e)
        row = self.existing(e, v, c)
        if row is not None and id(row) in self.unflushed:
            self.finish()  # the same cell twice in one batch: the second changes the saved first
        _check_version(row, expected_version, f"{e.name}'s score for {v.name} on {c.name!r}")
        where = {"evaluator": e.name, "vendor": v.name, "criterion": c.key}
        if row is None:
            row = Score(evaluator_id=e.id, vendor_id=v.id, criterion_id=c.id, value=number, comment=comment or "")
            self.s.add(row)
            self.unflushed.add(id(row))
            if self.prefetch:
                self.scores[e.id, v.id][c.id] = row
            self.events.append((row, "value", None, {**where, "value": number}))
            if comment:
                self.events.append((row, "comment", None, comment))
        else:
            if row.value != number:
                self.events.append((row, "value", {**where, "value": row.value}, {**where, "value": number}))
                row.value = number
            if comment is not None and comment != row.comment:
                self.events.append((row, "comment", row.comment, comment))
                row.comment = comment
            row.version += 1
            row.updated_at = utcnow()
        return row

    def finish(self) -> None:
        """Insert the new rows (their ids), then append the events so far to the chain."""
        self.s.flush()
        self.unflushed.clear()
        audit.record_many(self.s, self.evaluation_id, self.actor,
                          [("score", row.id, field, old, new, self.reason) for row, field, old, new in self.events])
        self.events.clear()


def _refuse_if_submitted(e: Evaluator) -> None:
    """Blind mode shows a submitted evaluator everyone's scores: their own change only after they
    withdraw the submission (recorded in the audit trail), never silently."""
    if e.submitted_at is not None:
        raise ValidationError(f"{e.name} has submitted their scoring: withdraw the submission before changing "
                              "a score.")


def clear_score(db: Database, ref: Ref, evaluator: Ref, vendor: Ref, criterion: Ref, actor: str,
                expected_version: int | None = None) -> None:
    """Remove a score (undo of a first entry); a no-op when the cell is already empty."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        e = get_member(s, Evaluator, evaluation.id, evaluator)
        v = get_member(s, Vendor, evaluation.id, vendor)
        c = get_member(s, Criterion, evaluation.id, criterion)
        row = s.scalar(select(Score).where(
            Score.evaluator_id == e.id, Score.vendor_id == v.id, Score.criterion_id == c.id))
        _check_version(row, expected_version, f"{e.name}'s score for {v.name} on {c.name!r}")
        if row is not None:
            _refuse_if_submitted(e)
            cell = {"evaluator": e.name, "vendor": v.name, "criterion": c.key}
            audit.record(s, evaluation.id, actor, "score", row.id, "value", {**cell, "value": row.value}, None)
            s.delete(row)


def set_consensus(
    db: Database, ref: Ref, vendor: Ref, criterion: Ref, value: Any, reason: str, actor: str,
    expected_version: int | None = None,
) -> SavedScore:
    """The committee's agreed score for a cell; a reason is required so the record explains it."""
    if not reason or not reason.strip():
        raise ValidationError("A consensus score needs a reason (what the committee agreed and why).")
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        v = get_member(s, Vendor, evaluation.id, vendor)
        c = get_member(s, Criterion, evaluation.id, criterion)
        number = parse_score(value, c)
        row = s.scalar(select(ConsensusScore).where(
            ConsensusScore.vendor_id == v.id, ConsensusScore.criterion_id == c.id))
        _check_version(row, expected_version, f"the consensus for {v.name} on {c.name!r}")
        cell = {"vendor": v.name, "criterion": c.key}
        if row is None:
            row = ConsensusScore(vendor_id=v.id, criterion_id=c.id, value=number, reason=reason, set_by=actor)
            s.add(row)
            s.flush()
            audit.record(s, evaluation.id, actor, "consensus", row.id, "value", None, {**cell, "value": number}, reason)
        else:
            audit.record(s, evaluation.id, actor, "consensus", row.id, "value",
                         {**cell, "value": row.value}, {**cell, "value": number}, reason)
            row.value, row.reason, row.set_by = number, reason, actor
            row.version += 1
            row.updated_at = utcnow()
        return SavedScore(row.id, row.value, row.reason, row.version)


def clear_consensus(db: Database, ref: Ref, vendor: Ref, criterion: Ref, actor: str, reason: str = "") -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        v = get_member(s, Vendor, evaluation.id, vendor)
        c = get_member(s, Criterion, evaluation.id, criterion)
        row = s.scalar(select(ConsensusScore).where(
            ConsensusScore.vendor_id == v.id, ConsensusScore.criterion_id == c.id))
        if row is not None:
            audit.record(s, evaluation.id, actor, "consensus", row.id, "value",
                         {"vendor": v.name, "criterion": c.key, "value": row.value}, None, reason)
            s.delete(row)
