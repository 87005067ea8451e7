"""The committee's evaluators: add, edit, remove, and mark their scoring as submitted."""

from __future__ import annotations

from sqlalchemy import func, select

from vendor_eval.errors import ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member, remove_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Evaluator, utcnow
from vendor_eval.validation import MAX_NAME, check_name, check_text, same_name
from vendor_eval.vocabulary import ENVELOPES


def add_evaluator(db: Database, ref: Ref, name: str, actor: str, role: str = "", envelope: str = "all") -> int:
    name = check_name(name, "The evaluator's name")
    role = check_text(role, "The evaluator's role", max_len=MAX_NAME)
    if envelope not in ENVELOPES:
        raise ValidationError(f"Envelope must be one of {', '.join(ENVELOPES)}, got {envelope!r}.")
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        clash = same_name(name, list(s.scalars(select(Evaluator.name).where(Evaluator.evaluation_id == evaluation.id))))
        if clash is not None:
            what = "is already on this committee" if clash == name else f"is the same name as evaluator {clash!r}"
            raise ValidationError(f"Evaluator {name!r} {what}.")
        position = s.scalar(select(func.count()).where(Evaluator.evaluation_id == evaluation.id)) or 0
        e = Evaluator(evaluation_id=evaluation.id, name=name, role=role, envelope=envelope, position=position)
        s.add(e)
        s.flush()
        audit.record(s, evaluation.id, actor, "evaluator", e.id, "created", None, {"name": name, "role": role})
        return e.id


def update_evaluator(db: Database, ref: Ref, evaluator: Ref, actor: str, *, name: str | None = None,
                     role: str | None = None, envelope: str | None = None) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        e = get_member(s, Evaluator, evaluation.id, evaluator)
        if envelope is not None and envelope not in ENVELOPES:
            raise ValidationError(f"Envelope must be one of {', '.join(ENVELOPES)}, got {envelope!r}.")
        if name is not None and not name.strip():
            raise ValidationError("An evaluator needs a name.")
        for field, value in (("name", name), ("role", role), ("envelope", envelope)):
            if value is not None:
                audit.set_field(s, evaluation.id, actor, "evaluator", e, field, value)


def remove_evaluator(db: Database, ref: Ref, evaluator: Ref, actor: str) -> int:
    """Remove an evaluator and their scores; returns how many scores went (also on record)."""
    return remove_member(db, ref, Evaluator, evaluator, actor)


def set_submitted(db: Database, ref: Ref, evaluator: Ref, submitted: bool, actor: str) -> None:
    """Mark an evaluator's scoring as submitted (lifts blind mode for them) or take it back."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        e = get_member(s, Evaluator, evaluation.id, evaluator)
        new = utcnow() if submitted else None
        if (e.submitted_at is None) == (new is None):
            return
        audit.record(s, evaluation.id, actor, "evaluator", e.id, "submitted_at", e.submitted_at, new)
        e.submitted_at = new
