"""What verify costs (services.integrity.verify: the GUI's and the CLI's check of the record), beside a floor.

On the sample RFP (3,958 audit events, 1,932 scores) and on the large benchmark evaluation (180,000
scores, written in bulk: few events). Verify reads and hashes every audit event (the chain) and every
row of the evaluation (the seal's digest). The floor is the same reading and hashing done by the bare
libraries: sqlite3 fetching the same rows, hashlib hashing the same bytes (each event's JSON payload,
each row's canonical text, made beforehand off the clock). Only the serialisation, the checks and
SQLAlchemy are ours. Reported in CPU milliseconds (the least disturbed of several runs) and as ratios.

    python bench/bench_verify.py
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.large_evaluation import sample_and_large  # noqa: E402
from vendor_eval.services.integrity import verify  # noqa: E402
from vendor_eval.services.lookup import get_evaluation  # noqa: E402
from vendor_eval.storage import Database, open_database  # noqa: E402
from vendor_eval.storage.audit import _PAYLOAD, EventRow, chain_events, verify_chain  # noqa: E402
from vendor_eval.storage.decision_state import (  # noqa: E402
    SUM_BITS,
    _belongs,
    _columns,
    _header,
    _Reader,
    state_tables,
)

RUNS = 7


def cpu_ms(func: Callable[[], object], runs: int = RUNS) -> float:
    """The least CPU time of `runs` calls, after one to warm up (caches, compiled statements)."""
    func()
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best * 1000


def floor_inputs(db: Database, evaluation_id: int) -> tuple[str, list[bytes], list[tuple[str, list[bytes]]]]:
    """What the floor reads and hashes, made off the clock: the events' query and JSON payloads,
    and for each table its query and its rows' bytes as the seal hashes them."""
    columns = ", ".join(EventRow._fields)
    events_sql = f"SELECT {columns} FROM audit_event WHERE evaluation_id = {evaluation_id} ORDER BY seq"
    with db.read() as s:
        payloads = [_PAYLOAD.encode(list(e[1:12])).encode() for e in chain_events(s, evaluation_id)]
        reader = _Reader(s)
        tables = []
        for table in state_tables():
            sql = f"SELECT {_columns(table)} FROM {table.name} WHERE {_belongs(table, evaluation_id, scan=True)}"
            header = _header(table)
            tables.append((sql, [header + text.encode("utf-8", "surrogatepass") for _, text in reader.rows(table, sql)]))
    return events_sql, payloads, tables


def measure(path: Path, ref: str | int, label: str) -> None:
    db = open_database(path, daily_backup=False)
    with db.read() as s:
        evaluation_id = get_evaluation(s, ref).id
    events_sql, payloads, tables = floor_inputs(db, evaluation_id)

    def chain() -> None:
        with db.read() as s:
            assert verify_chain(chain_events(s, evaluation_id)) is None

    def chain_floor() -> None:
        with closing(sqlite3.connect(path)) as conn:
            conn.execute(events_sql).fetchall()
            for payload in payloads:
                hashlib.sha256(payload).hexdigest()

    def floor() -> None:
        chain_floor()
        with closing(sqlite3.connect(path)) as conn:
            for sql, rows in tables:
                conn.execute(sql).fetchall()
                for row in rows:
                    int.from_bytes(hashlib.shake_256(row).digest(SUM_BITS // 8))

    report = verify(db, ref)
    assert report.intact, report.problem
    ours, ours_chain = cpu_ms(lambda: verify(db, ref)), cpu_ms(chain)
    bare, bare_chain = cpu_ms(floor), cpu_ms(chain_floor)
    rows = sum(len(r) for _, r in tables)
    print(f"{label}: {len(payloads):,} audit events, {rows:,} rows of the decision state")
    print(f"  verify end to end    {ours:7.1f} ms cpu; floor (sqlite3 reads, hashlib) {bare:7.1f} ms; ratio {ours / bare:4.2f}x")
    print(f"  the chain only       {ours_chain:7.1f} ms cpu; floor {bare_chain:7.1f} ms; ratio {ours_chain / bare_chain:4.2f}x")
    db.dispose()


def main() -> None:
    for path, evaluation, label in sample_and_large():
        measure(path, evaluation, label)


if __name__ == "__main__":
    main()
