"""Conditions of award: what the winner must meet after signing and before go-live.

Some requirements cannot be met before award (a reader is credentialed at a hospital only
once a contract exists), so a knock-out passes on what a compliant vendor can show today
and the rest becomes a condition. The template's conditions are copied into a new
evaluation; the committee adds its own, for every vendor or for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from vendor_eval.errors import NotFound, ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_evaluation, get_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import AwardCondition, Criterion, Vendor

MAX_CONDITION_CHARS = 2_000


@dataclass(frozen=True)
class Condition:
    id: int
    text: str
    vendor: str  # "" when it binds whichever vendor wins
    criterion_key: str  # "" when it stems from no criterion

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_conditions(db: Database, ref: Ref) -> list[Condition]:
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        rows = s.execute(
            select(AwardCondition, Vendor.name, Criterion.key)
            .outerjoin(Vendor, AwardCondition.vendor_id == Vendor.id)
            .outerjoin(Criterion, AwardCondition.criterion_id == Criterion.id)
            .where(AwardCondition.evaluation_id == evaluation.id)
            .order_by(AwardCondition.position, AwardCondition.id)
        ).all()
        return [Condition(c.id, c.text, vendor or "", key or "") for c, vendor, key in rows]


def add_condition(db: Database, ref: Ref, text: str, actor: str, vendor: Ref | None = None,
                  criterion: Ref | None = None) -> int:
    """Add a condition (for one vendor, or for whichever wins when vendor is None); returns its id."""
    text = text.strip()
    if not text:
        raise ValidationError("A condition of award needs its text.")
    if len(text) > MAX_CONDITION_CHARS:
        raise ValidationError(f"A condition of award is at most {MAX_CONDITION_CHARS:,} characters, got {len(text):,}.")
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        v = get_member(s, Vendor, evaluation.id, vendor) if vendor is not None else None
        c = get_member(s, Criterion, evaluation.id, criterion) if criterion is not None else None
        last = s.scalar(select(func.max(AwardCondition.position)).where(AwardCondition.evaluation_id == evaluation.id))
        row = AwardCondition(evaluation_id=evaluation.id, vendor_id=v.id if v else None,
                             criterion_id=c.id if c else None, text=text, position=(last or 0) + 1)
        s.add(row)
        s.flush()
        audit.record(s, evaluation.id, actor, "award_condition", row.id, "added", None,
                     {"text": text, "vendor": v.name if v else "", "criterion": c.key if c else ""})
        return row.id


def remove_condition(db: Database, ref: Ref, condition_id: int, actor: str) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        row = s.get(AwardCondition, condition_id)
        if row is None or row.evaluation_id != evaluation.id:
            raise NotFound(f"The evaluation has no condition of award {condition_id}; 'conditions list' shows them.")
        audit.record(s, evaluation.id, actor, "award_condition", row.id, "removed", {"text": row.text}, None)
        s.delete(row)
