"""The audit trail as people read it: the Audit log tab and the reports list these rows."""

from __future__ import annotations

from sqlalchemy import select

from vendor_eval.domain import AuditRow
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.audit import SEAL_ENTITY, SEAL_FIELD
from vendor_eval.storage.models import AuditEvent


def list_audit_events(db: Database, ref: Ref, limit: int = 5000) -> list[AuditRow]:
    """The evaluation's audit trail, newest first (values as their stored JSON text), without
    the seals of the decision state: those are for verify, not for people reading changes."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.evaluation_id == evaluation.id,
                                     ~((AuditEvent.entity == SEAL_ENTITY) & (AuditEvent.field == SEAL_FIELD)))
            .order_by(AuditEvent.seq.desc()).limit(limit)
        ).all()
        return [audit_row(e) for e in rows]


def audit_row(e: AuditEvent) -> AuditRow:
    return AuditRow(e.seq, e.at, e.actor, e.entity, e.entity_id, e.field, e.old_value or "", e.new_value or "",
                    e.reason)
