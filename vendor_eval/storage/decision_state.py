"""The decision state of one evaluation, as a digest a seal records.

Every row of every table except the audit trail itself: weights, scales, pass marks,
policies, vendors, evaluators, scores, consensus, answers, cost lines, tariff scenarios,
declarations, the status and the frozen result. The tables are found from the schema
(a new table is covered without a change here): a table belongs to the evaluation
through its evaluation_id column, or through any foreign key to a table that has one,
so a row moved to another evaluation's vendor still counts here and shows.

Version 2 (what seals record now) is a multiset hash: each row's SHAKE-256 as a 2048-bit
number, summed modulo 2**2048. An edit changes the sum by the hashes of the rows it changed
(storage.state_changes), so a commit seals in time proportional to its own rows, not to the
evaluation. Why 2048 bits: rows with chosen text (comments) summing to a given value are
found by Wagner's generalised birthday attack in about k * 2**(n / (1 + log2 k)) hashes for
k rows; at n = 2048 that is above 2**89 for every k (at 256 bits, 256 rows would do in about
2**36). Each table's sum is also kept modulo 2**256 (its low bits), so that verify can name
the tables that changed; the full sum decides. Version 1 (seals written before) is SHA-256
over each table's sorted rows; verify still checks those.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from operator import methodcaller
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Table
from sqlalchemy.orm import Session

from vendor_eval.storage.models import AuditEvent, Base, Evaluation

_SKIPPED = {AuditEvent.__tablename__}
VERSION = 2
SUM_BITS = 2048
MODULUS = 1 << SUM_BITS
TABLE_MODULUS = 1 << 256
_CHUNK = 500  # ids per IN list
_BATCH = 10_000  # rows fetched and rendered at a time


def _belongs(table: Table, evaluation_id: int, scan: bool = False) -> str:
    """SQL condition for the rows of one evaluation in a table (the id is an int, inlined).

    scan (for SQLite): '+column' keeps SQLite from answering the OR of the links with one index
    per link (MULTI-INDEX OR), whose rows come in the first index's order and read the table's
    pages scattered; a scan in rowid order testing the IN lists read the large evaluation's
    180,000 scores in 0.24 s instead of 0.54 s. Other evaluations' rows in the file then cost
    the scan about 0.06 us each (counted, not fetched). PostgreSQL plans these with bitmaps,
    in table order, and keeps its indexes."""
    eid = int(evaluation_id)
    if table.name == Evaluation.__tablename__:
        return f"id = {eid}"
    if "evaluation_id" in table.c:
        return f"evaluation_id = {eid}"
    plus = "+" if scan else ""
    links = [f"{plus}{fk.parent.name} IN (SELECT id FROM {fk.column.table.name} WHERE evaluation_id = {eid})"
             for fk in _links(table)]
    return " OR ".join(links) if links else "0 = 1"


def _links(table: Table) -> list[Any]:
    """The foreign keys through which a table without evaluation_id belongs to evaluations."""
    return [fk for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
            if "evaluation_id" in fk.column.table.c]


@cache
def state_tables() -> tuple[Table, ...]:
    return tuple(t for t in Base.metadata.sorted_tables if t.name not in _SKIPPED)


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
    type, no NULL) go through C-level map, which gives the same texts for 180,000 scores ten times
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


class _Reader:
    """Rows as stored, read as the driver returns them on the session's connection (same
    transaction, no type conversion: a stored value the ORM would refuse to read still
    counts), each value in its engine-neutral text (_canonical): the same rows give the same
    digest in a file and on a server."""

    def __init__(self, session: Session):
        self.connection = session.connection()
        self.sqlite = self.connection.dialect.name == "sqlite"  # else PostgreSQL (psycopg)

    def rows(self, table: Table, sql: str, lead: int = 0) -> Iterable[tuple[tuple[Any, ...], str]]:
        """(the first `lead` selected values, the row's canonical text) for each row of a query
        that selects those values and then all of the table's columns."""
        kinds = [c.type for c in table.c]
        result = self.connection.exec_driver_sql(sql)
        try:
            cursor = result.cursor  # the driver's own tuples: SQLAlchemy's Row objects add nothing here
            while rows := cursor.fetchmany(_BATCH):  # in batches: the same memory reused, no page faults
                columns = list(zip(*rows, strict=True))  # rendered a column at a time (column_texts)
                texts = [column_texts(col, k, json_as_text=self.sqlite)
                         for col, k in zip(columns[lead:], kinds, strict=True)]
                yield from zip(zip(*columns[:lead], strict=True) if lead else (() for _ in rows),
                               map("\t".join, zip(*texts, strict=True)), strict=True)
        finally:
            result.close()


def _columns(table: Table, alias: str = "") -> str:
    return ", ".join(f"{alias}{c}" for c in table.c.keys())


def _header(table: Table) -> bytes:
    return f"{table.name}:{_columns(table)}\n".encode()


def _hash(header: bytes, text: str) -> int:
    return int.from_bytes(hashlib.shake_256(header + text.encode("utf-8", "surrogatepass")).digest(SUM_BITS // 8))


def row_hash(table: Table, text: str) -> int:
    """A row as a 2048-bit number: SHAKE-256 over its table, columns and canonical text."""
    return _hash(_header(table), text)


# --- version 2: sums of row hashes ------------------------------------------------------------


def table_sums(session: Session, evaluation_id: int) -> dict[str, int]:
    """Each table's sum of the evaluation's row hashes (modulo 2**2048), from every row."""
    reader = _Reader(session)
    sums: dict[str, int] = {}
    for table in state_tables():
        sql = f"SELECT {_columns(table)} FROM {table.name} WHERE {_belongs(table, evaluation_id, reader.sqlite)}"
        header = _header(table)
        sums[table.name] = sum(_hash(header, text) for _, text in reader.rows(table, sql)) % MODULUS
    return sums


def row_hashes(session: Session, table: Table, ids: Iterable[int], lock: bool = False) -> list[tuple[int, int, int]]:
    """(evaluation id, row id, row hash) for each stored row among ids, once for each evaluation
    the row belongs to (as _belongs counts it). With lock, on PostgreSQL the rows are locked
    first (FOR UPDATE), so the hash is of the version this transaction will change."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return []
    reader = _Reader(session)
    found: dict[tuple[int, int], int] = {}
    pk = _primary_key(table)
    for start in range(0, len(wanted), _CHUNK):
        listed = ", ".join(str(i) for i in wanted[start:start + _CHUNK])
        suffix = " FOR UPDATE OF t" if lock and not reader.sqlite else ""
        selected = f"t.{pk}, {_columns(table, 't.')}"
        if table.name == Evaluation.__tablename__ or "evaluation_id" in table.c:
            owner = "t.id" if table.name == Evaluation.__tablename__ else "t.evaluation_id"
            queries = [f"SELECT {owner}, {selected} FROM {table.name} t WHERE t.{pk} IN ({listed})"]
        else:
            queries = [f"SELECT p.evaluation_id, {selected} FROM {table.name} t "
                       f"JOIN {fk.column.table.name} p ON p.id = t.{fk.parent.name} WHERE t.{pk} IN ({listed})"
                       for fk in _links(table)]
        if not suffix:  # one round trip (FOR UPDATE does not go with UNION)
            queries = [" UNION ALL ".join(queries)]
        header = _header(table)
        for sql in queries:
            for (evaluation_id, row_id), text in reader.rows(table, sql + suffix, lead=2):
                found[(int(evaluation_id), int(row_id))] = _hash(header, text)
    return [(e, i, h) for (e, i), h in found.items()]


def _primary_key(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name


def seal_value_from(sums: dict[str, int]) -> dict[str, object]:
    """What a version-2 seal records: the total (decides) and each table's low 256 bits (names)."""
    total = sum(sums.values()) % MODULUS
    return {"v": VERSION, "sum": f"{total:0{SUM_BITS // 4}x}",
            "tables": {t: f"{s % TABLE_MODULUS:064x}" for t, s in sorted(sums.items())}}


def seal_value(session: Session, evaluation_id: int) -> dict[str, object]:
    """The seal of the evaluation's state, computed from every row (the incremental seal at
    commit starts from the previous seal instead: storage.audit)."""
    return seal_value_from(table_sums(session, evaluation_id))


def advanced(sealed: object, deltas: dict[str, int]) -> dict[str, object] | None:
    """A version-2 seal value moved on by per-table deltas (sums of new minus old row hashes);
    None when `sealed` is not a well-formed version-2 seal (start over from every row)."""
    if not isinstance(sealed, dict) or sealed.get("v") != VERSION or "delta" in sealed:
        return None
    try:
        total = int(str(sealed["sum"]), 16)
        tables = {str(t): int(str(v), 16) for t, v in dict(sealed["tables"]).items()}
    except (KeyError, TypeError, ValueError):
        return None
    if set(tables) != {t.name for t in state_tables()} or not set(deltas) <= set(tables):
        return None  # the schema has another set of tables now
    for table, delta in deltas.items():
        total += delta
        tables[table] = tables[table] + delta
    return {"v": VERSION, "sum": f"{total % MODULUS:0{SUM_BITS // 4}x}",
            "tables": {t: f"{s % TABLE_MODULUS:064x}" for t, s in sorted(tables.items())}}


def delta_value(deltas: dict[str, int], first_seq: int) -> dict[str, object]:
    """What a commit that cannot seal records instead (an evaluator login on a server, which
    sees only its own rows): its change to the sums, and the first event of its transaction,
    so that whoever seals next can tell that the deltas cover every event since the seal."""
    return {"v": VERSION, "from": first_seq,
            "delta": {t: f"{d % MODULUS:0{SUM_BITS // 4}x}" for t, d in sorted(deltas.items()) if d % MODULUS}}


def delta_of(value: object) -> tuple[int, dict[str, int]] | None:
    """(first seq, per-table deltas) of a delta_value; None for anything else."""
    if not isinstance(value, dict) or value.get("v") != VERSION or not isinstance(value.get("delta"), dict):
        return None
    try:
        return int(value["from"]), {str(t): int(str(d), 16) for t, d in value["delta"].items()}
    except (KeyError, TypeError, ValueError):
        return None


def moved_by_deltas(sealed: object, sealed_seq: int, deltas: list[tuple[int, object]],
                    last_seq: int) -> dict[str, object] | None:
    """The version-2 seal `sealed` (event #sealed_seq) moved on by the delta values after it
    ((seq, value) in order), as the state stands at event #last_seq. None unless the deltas
    cover every event from the seal to last_seq, each starting where the one before ended."""
    covered = sealed_seq
    total: dict[str, int] = {}
    for seq, value in deltas:
        delta = delta_of(value)
        if delta is None or delta[0] != covered + 1:
            return None
        covered = seq
        for table, d in delta[1].items():
            total[table] = total.get(table, 0) + d
    return advanced(sealed, total) if covered == last_seq else None


# --- version 1: SHA-256 over the sorted rows (seals written before version 2) -------------------


def table_digests(session: Session, evaluation_id: int) -> dict[str, str]:
    """SHA-256 of the evaluation's rows in each table, in primary-key order (version 1)."""
    digests: dict[str, str] = {}
    reader = _Reader(session)
    for table in state_tables():
        columns = _columns(table)
        sql = (f"SELECT {columns} FROM {table.name} WHERE {_belongs(table, evaluation_id, reader.sqlite)} "
               f"ORDER BY {', '.join(c.name for c in table.primary_key.columns)}")
        digest = hashlib.sha256(f"{table.name}:{columns}\n".encode())
        digest.update("\n".join(text for _, text in reader.rows(table, sql)).encode("utf-8", "surrogatepass"))
        digests[table.name] = digest.hexdigest()
    return digests


def combined(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(digests.items())).encode()).hexdigest()


def changed_tables(session: Session, evaluation_id: int, sealed: object) -> list[str] | None:
    """None when the state still has the sealed digest (either version); otherwise the tables
    whose rows differ (empty when the seal does not say which)."""
    if isinstance(sealed, dict) and sealed.get("v") == VERSION:
        now = seal_value(session, evaluation_id)
        if sealed.get("sum") == now["sum"]:
            return None
        current = now["tables"]
    else:
        digests = table_digests(session, evaluation_id)
        if isinstance(sealed, dict) and sealed.get("sha256") == combined(digests):
            return None
        current = digests
    assert isinstance(current, dict)
    tables = sealed.get("tables") if isinstance(sealed, dict) else None
    if not isinstance(tables, dict):
        return []
    return [t for t in current if tables.get(t) != current[t]] + [t for t in tables if t not in current]
