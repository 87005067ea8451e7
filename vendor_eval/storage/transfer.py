"""Copy one evaluation, row for row, between two databases (a file and a server, either way).

Every row keeps its id: the audit chain hashes the evaluation's id and each event's
entity id, so only an exact copy still verifies on the target. The copy is therefore
refused when the target already uses any of those ids (e.g. a target holding other
evaluations created there); copy into a new database, or one that was itself filled by copy.
Logins (server_user) belong to a server and are not copied.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from vendor_eval.errors import UserError
from vendor_eval.storage.models import Base

NOT_COPIED = {"server_user", "alembic_version"}


def _rows(source: Session, table: Table, evaluation_id: int, parents: dict[str, set[int]]) -> list[dict[str, Any]]:
    """The rows of `table` that belong to the evaluation, through the first link it has to it."""
    c = table.c
    if table.name == "evaluation":
        query = select(table).where(c.id == evaluation_id)
    elif "evaluation_id" in c:
        query = select(table).where(c.evaluation_id == evaluation_id)
    elif "evaluator_id" in c:
        query = select(table).where(c.evaluator_id.in_(parents["evaluator"] or {-1}))
    elif "vendor_id" in c:
        query = select(table).where(c.vendor_id.in_(parents["vendor"] or {-1}))
    else:
        raise AssertionError(f"table {table.name} has no link to an evaluation; teach transfer.py about it")
    return [dict(row._mapping) for row in source.execute(query.order_by(c.id))]


def copy_evaluation(source: Session, target: Session, evaluation_id: int) -> int:
    """Insert every row of the evaluation into the target (the callers' transactions); returns rows copied."""
    parents: dict[str, set[int]] = {}
    plan: list[tuple[Table, list[dict[str, Any]]]] = []
    for table in Base.metadata.sorted_tables:  # parents before children
        if table.name in NOT_COPIED:
            continue
        rows = _rows(source, table, evaluation_id, parents)
        parents[table.name] = {r["id"] for r in rows}
        plan.append((table, rows))
    for table, rows in plan:
        ids = [r["id"] for r in rows]
        taken = set()
        for start in range(0, len(ids), 10_000):
            taken |= set(target.scalars(select(table.c.id).where(table.c.id.in_(ids[start:start + 10_000]))))
        if taken:
            raise UserError(f"The target already has {table.name} rows with the ids this evaluation uses "
                            f"({len(taken)} of {len(ids)}): copy into a new database.")
    copied = 0
    for table, rows in plan:
        if rows:
            target.execute(table.insert(), rows)
            copied += len(rows)
    if target.get_bind().dialect.name == "postgresql":
        for table, _ in plan:  # explicit ids leave the sequences behind: move them past the copy
            top = target.scalar(select(func.max(table.c.id)))
            if top is not None:
                target.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": table.name, "v": top})
    return copied
