"""The audit trail as people read it: the Audit log tab and the reports list these rows.

The tab reads it a page at a time (newest first, keyset on ``seq``) with filters, so a trail of
100,000 changes opens as fast as one of 100.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from vendor_eval.domain import AuditRow
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent, ConsensusScore, Criterion, Score, Vendor


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields do not filter. Dates are ISO days (YYYY-MM-DD), both ends included."""

    actor: str = ""
    entity: str = ""  # the kind of record: score, consensus, criterion, vendor, evaluation...
    vendor_id: int | None = None
    criterion_id: int | None = None
    since: str = ""
    until: str = ""


@dataclass(frozen=True)
class AuditFacets:
    """What the filters can offer: who changed things, which kinds of record, and the date span."""

    actors: tuple[str, ...]
    entities: tuple[str, ...]
    first_at: str
    last_at: str
    total: int


def list_audit_events(db: Database, ref: Ref, limit: int = 5000) -> list[AuditRow]:
    """The evaluation's audit trail, newest first (values as their stored JSON text)."""
    return audit_page(db, ref, AuditFilter(), limit=limit)


def audit_page(db: Database, ref: Ref, where: AuditFilter, before_seq: int | None = None,
               limit: int = 500) -> list[AuditRow]:
    """One page of matching events, newest first, older than before_seq (None: from the newest)."""
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        conditions = _conditions(s, evaluation.id, where)
        if before_seq is not None:
            conditions.append(AuditEvent.seq < before_seq)
        rows = s.scalars(select(AuditEvent).where(*conditions).order_by(AuditEvent.seq.desc()).limit(limit)).all()
        return [audit_row(e) for e in rows]


def count_audit_events(db: Database, ref: Ref, where: AuditFilter = AuditFilter()) -> int:  # noqa: B008
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        return int(s.scalar(select(func.count()).select_from(AuditEvent)
                            .where(*_conditions(s, evaluation.id, where))) or 0)


def audit_facets(db: Database, ref: Ref) -> AuditFacets:
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        mine = AuditEvent.evaluation_id == evaluation.id
        actors = tuple(s.scalars(select(AuditEvent.actor).where(mine).distinct().order_by(AuditEvent.actor)))
        entities = tuple(s.scalars(select(AuditEvent.entity).where(mine).distinct().order_by(AuditEvent.entity)))
        first, last, total = s.execute(select(func.min(AuditEvent.at), func.max(AuditEvent.at),
                                              func.count()).where(mine)).one()
        return AuditFacets(actors, entities, first or "", last or "", int(total or 0))


def audit_row(e: AuditEvent) -> AuditRow:
    return AuditRow(e.seq, e.at, e.actor, e.entity, e.entity_id, e.field, e.old_value or "", e.new_value or "",
                    e.reason)


def default_actor() -> str:
    """Who the audit trail names when nobody said: the login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _conditions(s: Session, evaluation_id: int, where: AuditFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = [AuditEvent.evaluation_id == evaluation_id]
    if where.actor:
        out.append(AuditEvent.actor == where.actor)
    if where.entity:
        out.append(AuditEvent.entity == where.entity)
    if where.since:
        out.append(AuditEvent.at >= where.since)
    if where.until:
        out.append(AuditEvent.at < where.until + "\uffff")  # the whole last day
    if where.vendor_id is not None:
        vendor = s.get(Vendor, where.vendor_id)
        out.append(false() if vendor is None or vendor.evaluation_id != evaluation_id else _about(
            "vendor", vendor.id, vendor.name, Score.vendor_id, ConsensusScore.vendor_id, ("vendor", "cost_lines")))
    if where.criterion_id is not None:
        crit = s.get(Criterion, where.criterion_id)
        out.append(false() if crit is None or crit.evaluation_id != evaluation_id else _about(
            "criterion", crit.id, crit.key, Score.criterion_id, ConsensusScore.criterion_id, ("criterion",)))
    return out


def _about(kind: str, member_id: int, label: str, score_column: InstrumentedAttribute[int],
           consensus_column: InstrumentedAttribute[int], own: tuple[str, ...]) -> ColumnElement[bool]:
    """Events about one vendor or criterion: records keyed by its own id (itself; a vendor's cost
    lines), its scores and consensus (by id, so score comments count too), and any event whose
    values name it as they store it (a vendor by name, a criterion by key)."""
    named = f'%"{kind}": {_like(json.dumps(label))}%'
    return or_(
        and_(AuditEvent.entity.in_(own), AuditEvent.entity_id == member_id),
        and_(AuditEvent.entity == "score", AuditEvent.entity_id.in_(select(Score.id).where(score_column == member_id))),
        and_(AuditEvent.entity == "consensus",
             AuditEvent.entity_id.in_(select(ConsensusScore.id).where(consensus_column == member_id))),
        AuditEvent.new_value.like(named, escape="\\"),
        AuditEvent.old_value.like(named, escape="\\"),
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
