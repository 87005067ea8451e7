"""Small read-only queries the desktop app needs that no other service offers yet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    entity: str
    entity_id: int | None
    field: str
    old_value: str
    new_value: str
    reason: str


def list_audit_events(db: Database, ref: Ref, limit: int = 5000) -> list[AuditRow]:
    """The evaluation's audit trail, newest first (values as their stored JSON text)."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.evaluation_id == evaluation.id)
            .order_by(AuditEvent.seq.desc()).limit(limit)
        ).all()
        return [AuditRow(e.seq, e.at, e.actor, e.entity, e.entity_id, e.field, e.old_value or "",
                         e.new_value or "", e.reason) for e in rows]
