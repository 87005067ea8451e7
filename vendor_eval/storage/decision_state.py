"""The decision state of one evaluation as one SHA-256.

Every row of every table except the audit trail itself: weights, scales, pass marks,
policies, vendors, evaluators, scores, consensus, answers, cost lines, tariff scenarios,
declarations, the status and the frozen result. The tables are found from the schema
(a new table is covered without a change here): a table belongs to the evaluation
through its evaluation_id column, or through any foreign key to a table that has one,
so a row moved to another evaluation's vendor still counts here and shows.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import ColumnElement, Table, false, or_, select
from sqlalchemy.orm import Session

from vendor_eval.storage.models import AuditEvent, Base, Evaluation

_SKIPPED = {AuditEvent.__tablename__}


def _belongs(table: Table, evaluation_id: int) -> ColumnElement[bool]:
    if table.name == Evaluation.__tablename__:
        return table.c.id == evaluation_id
    if "evaluation_id" in table.c:
        return table.c.evaluation_id == evaluation_id
    links = [fk.parent.in_(select(fk.column.table.c.id).where(fk.column.table.c.evaluation_id == evaluation_id))
             for fk in table.foreign_keys if "evaluation_id" in fk.column.table.c]
    return or_(*links) if links else false()


def state_digest(session: Session, evaluation_id: int) -> str:
    """SHA-256 over the evaluation's rows as stored (read back through the session, so what was
    sealed and what verify recomputes come through the same types)."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name in _SKIPPED:
            continue
        digest.update(f"\x1e{table.name}\x1f{','.join(table.c.keys())}\n".encode())
        query = select(table).where(_belongs(table, evaluation_id)).order_by(*table.primary_key.columns)
        for row in session.execute(query):
            line = json.dumps(list(row), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
            digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()
