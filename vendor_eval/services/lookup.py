"""Finding rows by id or exact name, the guards every change passes through, and removing a
vendor, evaluator or criterion with its scores."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.domain import EvaluationInfo
from vendor_eval.errors import NotFound, ReadOnlyError
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    Criterion,
    CriterionGroup,
    Evaluation,
    Evaluator,
    Score,
    Vendor,
)
from vendor_eval.validation import parse_id

Ref = int | str
T = TypeVar("T", Vendor, Evaluator, Criterion, CriterionGroup)
Scored = TypeVar("Scored", Vendor, Evaluator, Criterion)  # the members a score hangs on


def _as_id(ref: Ref) -> int | None:
    if isinstance(ref, int):
        return ref if 0 < ref < 2**63 else None
    return parse_id(ref)


def get_evaluation(session: Session, ref: Ref) -> Evaluation:
    """An evaluation by numeric id or exact name."""
    evaluation = None
    as_id = _as_id(ref)
    if as_id is not None:
        evaluation = session.get(Evaluation, as_id)
    if evaluation is None and isinstance(ref, str):
        evaluation = session.scalar(select(Evaluation).where(Evaluation.name == ref))
    if evaluation is None:
        raise NotFound(f"There is no evaluation {ref!r}; 'vendor-eval-cli evaluations' lists them.")
    return evaluation


def get_member(session: Session, model: type[T], evaluation_id: int, ref: Ref) -> T:
    """A vendor, evaluator, criterion or group of one evaluation, by id or exact name
    (a criterion also by its key)."""
    kind = {Vendor: "vendor", Evaluator: "evaluator", Criterion: "criterion", CriterionGroup: "criteria group"}[model]
    found = None
    as_id = _as_id(ref)
    if as_id is not None:
        row = session.get(model, as_id)
        found = row if row is not None and row.evaluation_id == evaluation_id else None
    if found is None and isinstance(ref, str):
        query = select(model).where(model.evaluation_id == evaluation_id, model.name == ref)
        found = session.scalar(query)
        if found is None and model is Criterion:
            by_key = select(model).where(model.evaluation_id == evaluation_id, Criterion.key == ref)
            found = session.scalar(by_key)
    if found is None:
        raise NotFound(f"The evaluation has no {kind} {ref!r}.")
    return found


def editable_evaluation(session: Session, ref: Ref) -> Evaluation:
    """The evaluation a change is about to touch: found, and refused when finalised."""
    evaluation = get_evaluation(session, ref)
    ensure_editable(evaluation)
    return evaluation


def ensure_editable(evaluation: Evaluation | EvaluationInfo) -> None:
    """Every service that changes an evaluation calls this first."""
    if evaluation.status == "finalised":
        raise ReadOnlyError(
            f"Evaluation {evaluation.name!r} was finalised by {evaluation.finalised_by} and is read-only; "
            "duplicate it or reopen it with a reason."
        )
    frozen = getattr(evaluation, "frozen_result", None) or {}
    if "finalised_by" in frozen and "reopened_by" not in frozen:
        # Only reopen() leaves finalised, and it records who reopened: a status reset in the file is not a reopening.
        raise ReadOnlyError(
            f"Evaluation {evaluation.name!r} was finalised by {frozen.get('finalised_by')}, but its status was "
            "changed outside vendor_eval; nothing was changed (run 'vendor-eval-cli verify')."
        )


def remove_member(db: Database, ref: Ref, model: type[Scored], member: Ref, actor: str) -> int:
    """Delete a vendor, evaluator or criterion with everything that hangs on it (its scores, and
    a vendor's answers and cost lines: the foreign keys cascade) in one transaction, on record
    with how many scores went; returns that number."""
    entity = model.__tablename__
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        row = get_member(s, model, evaluation.id, member)
        dropped = s.scalar(select(func.count()).where(getattr(Score, f"{entity}_id") == row.id)) or 0
        audit.record(s, evaluation.id, actor, entity, row.id, "deleted", row.name, None, f"{dropped} scores removed")
        s.delete(row)
        return dropped
