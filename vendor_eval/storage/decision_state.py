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
from collections.abc import Sequence
from datetime import datetime
from operator import methodcaller
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Table
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


def _canonical(value: Any, kind: object, json_as_text: bool) -> str:
    """One text per value, the same on SQLite and PostgreSQL for the same stored value.

    The drivers return different Python values for one column (SQLite: text for datetimes and
    JSON, 0/1 for booleans; psycopg: datetime, parsed JSON, bool), and a copy between the
    engines (storage/transfer.py) may rewrite a SQL NULL in a JSON column as JSON null or
    re-serialise JSON. Each value is rendered by its column's type; a value that does not fit
    its type (written behind the app's back) keeps its repr, so it still changes the digest.
    """
    if value is None:
        return "null"
    if isinstance(kind, JSON):
        if json_as_text:  # SQLite keeps the JSON text; psycopg hands it over parsed
            try:
                value = json.loads(value)
            except (TypeError, ValueError):
                return repr(value)
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(kind, Boolean) and value in (0, 1):  # True == 1 and False == 0 too
        return "true" if value else "false"
    if isinstance(kind, Float) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    if isinstance(kind, DateTime):
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return repr(value)
        return moment.isoformat(sep=" ", timespec="microseconds")
    return repr(value)


_ISO = methodcaller("isoformat", sep=" ", timespec="microseconds")


def column_texts(values: Sequence[Any], kind: object, json_as_text: bool) -> list[str]:
    """_canonical of each value of one column. The common cases (every value of the column's own
    type, no NULL) go through C-level map, which gives the same texts 180,000 scores ten times
    faster; any other column, or a value that does not parse, takes _canonical value by value."""
    types = set(map(type, values))
    try:
        if isinstance(kind, JSON | Boolean):
            pass
        elif isinstance(kind, DateTime):
            if types <= {str}:
                return list(map(_ISO, map(datetime.fromisoformat, values)))
            if types <= {datetime}:
                return list(map(_ISO, values))
        elif isinstance(kind, Float):
            if types <= {float}:
                return list(map(repr, values))
        elif type(None) not in types:
            return list(map(repr, values))
    except (TypeError, ValueError):
        pass
    return [_canonical(v, kind, json_as_text) for v in values]


def table_digests(session: Session, evaluation_id: int) -> dict[str, str]:
    """SHA-256 of the evaluation's rows in each table, as stored. Read through the driver's own
    cursor on the session's connection (same transaction, no type conversion: a stored value
    the ORM would refuse to read still counts), each value in its engine-neutral text
    (_canonical): the same rows give the same digest in a file and on a server."""
    digests: dict[str, str] = {}
    json_as_text = session.get_bind().dialect.name == "sqlite"
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for table in _tables():
            columns = ", ".join(table.c.keys())
            cursor.execute(f"SELECT {columns} FROM {table.name} WHERE {_belongs(table, evaluation_id)} "
                           f"ORDER BY {', '.join(c.name for c in table.primary_key.columns)}")
            digest = hashlib.sha256(f"{table.name}:{columns}\n".encode())
            kinds = [c.type for c in table.c]
            rows = cursor.fetchall()
            by_column = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
            texts = [column_texts(col, k, json_as_text) for col, k in zip(by_column, kinds, strict=True)]
            digest.update("\n".join(map("\t".join, zip(*texts, strict=True))).encode("utf-8", "surrogatepass"))
            digests[table.name] = digest.hexdigest()
    finally:
        cursor.close()
    return digests


def combined(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(digests.items())).encode()).hexdigest()


def seal_value(session: Session, evaluation_id: int) -> dict[str, object]:
    """What a seal records: the digest of the whole state, and each table's (so verify can
    name the tables that changed)."""
    digests = table_digests(session, evaluation_id)
    return {"sha256": combined(digests), "tables": digests}


def changed_tables(session: Session, evaluation_id: int, sealed: object) -> list[str] | None:
    """None when the state still has the sealed digest; otherwise the tables whose rows differ
    (empty when the seal does not say per table)."""
    now = table_digests(session, evaluation_id)
    if isinstance(sealed, dict) and sealed.get("sha256") == combined(now):
        return None
    tables = sealed.get("tables") if isinstance(sealed, dict) else None
    if not isinstance(tables, dict):
        return []
    return [t for t in now if tables.get(t) != now[t]] + [t for t in tables if t not in now]
