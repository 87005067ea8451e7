"""Is an evaluation's record intact? Re-walk its audit chain and cross-check what it anchors.

The hash chain alone shows an altered, inserted or deleted past event, but not the newest
events cut off the end. Three anchors catch that where they exist:
- the audit anchor written by finalise/reopen (services.lifecycle) must still be in the chain;
- every score and consensus value must equal the value its newest audit event recorded
  (also catches a value changed in the file without the application);
- a chain head printed earlier, e.g. in a report's fingerprint, must still be in the chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval.services.lifecycle import ranking_digest
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.audit import GENESIS, verify_chain
from vendor_eval.storage.models import (
    AuditEvent,
    ConsensusScore,
    Evaluation,
    Evaluator,
    Score,
    Vendor,
)


@dataclass(frozen=True)
class IntegrityReport:
    evaluation: str
    events: int
    head: str
    problem: str | None  # the first thing found wrong, as one sentence; None when intact
    broken_seq: int | None = None  # the first broken event, when the problem is one event

    @property
    def intact(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.problem is None:
            return f"Audit trail of {self.evaluation!r} is intact: {self.events} events, head {self.head}."
        return f"Audit trail of {self.evaluation!r} is broken: {self.problem}"

    def as_json(self) -> dict[str, Any]:
        return {"evaluation": self.evaluation, "intact": self.intact, "events": self.events, "head": self.head,
                "problem": self.problem, "broken_seq": self.broken_seq}


def verify(db: Database, ref: Ref, known_head: str | None = None) -> IntegrityReport:
    """Intact, or the first problem: a broken chain event, a missing anchor, data off the record."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        events = list(s.scalars(
            select(AuditEvent).where(AuditEvent.evaluation_id == evaluation.id).order_by(AuditEvent.seq)))
        head = events[-1].hash if events else GENESIS

        def report(problem: str | None, seq: int | None = None) -> IntegrityReport:
            return IntegrityReport(evaluation.name, len(events), head, problem, seq)

        broken = verify_chain(events)
        if broken is not None:
            return report(broken.describe() + ".", broken.seq)
        by_seq = {e.seq: e for e in events}
        problem = _anchor_problem(evaluation, by_seq) or _data_problem(s, evaluation.id, events)
        if problem is None and known_head and known_head.strip().lower() not in {e.hash for e in events}:
            problem = f"the chain head {known_head.strip()} is no longer in the trail: events after it were deleted."
        return report(problem)


def _anchor_problem(evaluation: Evaluation, by_seq: dict[int, AuditEvent]) -> str | None:
    frozen = evaluation.frozen_result or {}
    anchor = frozen.get("audit_anchor")
    if not isinstance(anchor, dict):
        if evaluation.status == "finalised":
            return "the evaluation is finalised but its frozen result has no audit anchor: it was altered."
        return None
    seq, expected = anchor.get("seq"), anchor.get("hash")
    event = by_seq.get(seq) if isinstance(seq, int) else None
    if event is None:
        return f"audit event #{seq}, written when the evaluation was finalised or reopened, is missing: the newest events were deleted."
    if event.hash != expected:
        return f"audit event #{seq} is not the event recorded when the evaluation was finalised or reopened."
    if evaluation.status == "finalised" and event.field == "frozen_result":
        recorded = json.loads(event.new_value or "{}").get("sha256")
        if recorded != ranking_digest(frozen.get("ranking")):
            return f"the frozen ranking no longer matches the SHA-256 that audit event #{seq} recorded at finalisation."
    return None


def _data_problem(s: Session, evaluation_id: int, events: list[AuditEvent]) -> str | None:
    """Each score and consensus row must hold the value of its newest audited change."""
    last: dict[tuple[str, int], AuditEvent] = {}
    for e in events:  # in seq order, so the newest wins
        if e.entity in ("score", "consensus") and e.field == "value" and e.entity_id is not None:
            last[(e.entity, e.entity_id)] = e
    rows: list[tuple[str, int, float]] = [
        ("score", i, v) for i, v in s.execute(
            select(Score.id, Score.value).join(Evaluator, Score.evaluator_id == Evaluator.id)
            .where(Evaluator.evaluation_id == evaluation_id).order_by(Score.id))
    ] + [
        ("consensus", i, v) for i, v in s.execute(
            select(ConsensusScore.id, ConsensusScore.value).join(Vendor, ConsensusScore.vendor_id == Vendor.id)
            .where(Vendor.evaluation_id == evaluation_id).order_by(ConsensusScore.id))
    ]
    for entity, row_id, value in rows:
        newest = last.get((entity, row_id))
        if newest is None:
            continue  # written in bulk without a trail (benchmarks); nothing to compare with
        recorded = json.loads(newest.new_value) if newest.new_value is not None else None
        recorded_value = recorded.get("value") if isinstance(recorded, dict) else None
        if recorded_value != value:
            return (f"{entity} id {row_id} holds {value:g} but its newest audit event #{newest.seq} recorded "
                    f"{'a removal' if recorded_value is None else f'{recorded_value:g}'}: newer events were deleted "
                    "or the value was changed outside vendor_eval.")
    return None
