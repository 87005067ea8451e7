"""Conflict-of-interest declarations: append-only, timestamped, attributed.

A new declaration never edits or deletes an earlier one; the latest (by insertion
order) is the one in force, and services.scores refuses a conflicted evaluator's
score for the vendors it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from vendor_eval.errors import ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_evaluation, get_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import ConflictDeclaration, Evaluator, Vendor


@dataclass(frozen=True)
class Declaration:
    id: int
    evaluator: str
    declared_at: datetime
    declared_by: str
    conflict_vendors: tuple[str, ...]  # empty: no conflict declared
    statement: str
    in_force: bool  # the evaluator's latest declaration

    def describe(self) -> str:
        what = "a conflict with " + ", ".join(self.conflict_vendors) if self.conflict_vendors else "no conflict"
        return f"{self.evaluator} declared {what} ({self.declared_at:%Y-%m-%d %H:%M} UTC, recorded by {self.declared_by})"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "evaluator": self.evaluator, "declared_at": self.declared_at.isoformat(),
                "declared_by": self.declared_by, "conflict_vendors": list(self.conflict_vendors),
                "statement": self.statement, "in_force": self.in_force}


def declare(db: Database, ref: Ref, evaluator: Ref, conflict_vendors: Sequence[Ref], actor: str,
            statement: str = "") -> int:
    """Append a declaration (no vendors = no conflict); returns its id."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        e = get_member(s, Evaluator, evaluation.id, evaluator)
        named = [get_member(s, Vendor, evaluation.id, v) for v in conflict_vendors]
        if len({v.id for v in named}) != len(named):
            raise ValidationError(f"The declaration for {e.name} names the same vendor twice.")
        row = ConflictDeclaration(evaluation_id=evaluation.id, evaluator_id=e.id, declared_by=actor,
                                  vendor_ids=[v.id for v in named], statement=statement.strip())
        s.add(row)
        s.flush()
        audit.record(s, evaluation.id, actor, "declaration", row.id, "conflict_vendors", None,
                     {"evaluator": e.name, "vendors": [v.name for v in named], "statement": row.statement})
        return row.id


def list_declarations(db: Database, ref: Ref, evaluator: Ref | None = None) -> list[Declaration]:
    """Every declaration, oldest first, with the one in force for each evaluator marked."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        query = select(ConflictDeclaration).where(ConflictDeclaration.evaluation_id == evaluation.id)
        if evaluator is not None:
            query = query.where(ConflictDeclaration.evaluator_id == get_member(s, Evaluator, evaluation.id, evaluator).id)
        rows = list(s.scalars(query.order_by(ConflictDeclaration.id)))
        names = {e.id: e.name for e in evaluation.evaluators}
        vendor_names = {v.id: v.name for v in evaluation.vendors}
        latest = {row.evaluator_id: row.id for row in rows}  # ids ascend with insertion
        return [
            Declaration(row.id, names.get(row.evaluator_id, f"evaluator {row.evaluator_id}"), row.declared_at,
                        row.declared_by, tuple(vendor_names.get(int(i), f"removed vendor {i}") for i in row.vendor_ids),
                        row.statement, latest[row.evaluator_id] == row.id)
            for row in rows
        ]


def undeclared_evaluators(db: Database, ref: Ref) -> list[str]:
    """Evaluators who have not declared yet (the GUI asks them before their first score)."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        declared = set(s.scalars(select(ConflictDeclaration.evaluator_id)
                                 .where(ConflictDeclaration.evaluation_id == evaluation.id)))
        return [e.name for e in evaluation.evaluators if e.id not in declared]
