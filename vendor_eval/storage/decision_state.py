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

from sqlalchemy import Table
from sqlalchemy.orm import Session

from vendor_eval.storage.models import AuditEvent, Base, Evaluation

_SKIPPED = {AuditEvent.__tablename__}


def _belongs(table: Table, evaluation_id: int) -> str:
    """SQL condition for the rows of one evaluation in a table (the id is an int, inlined)."""
    eid = int(evaluation_id)
    if table.name == Evaluation.__tablename__:
        return f"id = {eid}"
    if "evaluation_id" in table.c:
        return f"evaluation_id = {eid}"
    links = [f"{fk.parent.name} IN (SELECT id FROM {fk.column.table.name} WHERE evaluation_id = {eid})"
             for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
             if "evaluation_id" in fk.column.table.c]
    return " OR ".join(links) if links else "0 = 1"


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in _SKIPPED]


def state_digest(session: Session, evaluation_id: int) -> str:
    """SHA-256 over the evaluation's rows as stored. Read through the driver's own cursor on the
    session's connection (same transaction, no type conversion): what was sealed and what
    verify recomputes are the same bytes, and it costs about a microsecond per row."""
    digest = hashlib.sha256()
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for table in _tables():
            query = (f"SELECT {', '.join(table.c.keys())} FROM {table.name} WHERE {_belongs(table, evaluation_id)} "
                     f"ORDER BY {', '.join(c.name for c in table.primary_key.columns)}")
            cursor.execute(query)
            digest.update(f"\x1e{table.name}:{', '.join(table.c.keys())}\n".encode())
            digest.update("\n".join(map(repr, cursor.fetchall())).encode("utf-8", "surrogatepass"))
    finally:
        cursor.close()
    return digest.hexdigest()
