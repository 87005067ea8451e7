"""Benchmark: a bulk score write (services.scores.record_scores, the path of a pasted block, a
scoresheet import and the sample's load) and the sample RFP's whole load (services.demo).

The floor is the same rows written by the bare sqlite3 module: the score rows and audit events
the service wrote are read back, deleted from a copy of the database, and inserted again by
executemany in one transaction (no validation, no hashing, no seal). Reported as wall and CPU
seconds and the service's CPU ratio to the floor, best of --repeat interleaved runs.

    python bench/bench_bulk_scores.py [--vendors 12] [--evaluators 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vendor_eval.services import evaluations, evaluators, scores, vendors  # noqa: E402
from vendor_eval.services.demo import load_demo  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import open_database  # noqa: E402

IMAGING = "Medical imaging outsourcing and teleradiology"
Timing = tuple[float, float]  # wall, CPU seconds


def timed(action: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def prepare(path: Path, n_vendors: int, n_evaluators: int) -> tuple[int, list[scores.ScoreInput]]:
    """An evaluation with vendors and evaluators and no score, and the cells to write: every
    evaluator scores every vendor on every criterion, a comment on every third cell."""
    db = open_database(path, daily_backup=False)
    eid = evaluations.create_from_template(db, IMAGING, "Bulk score benchmark", "bench")
    vendor_ids = [vendors.add_vendor(db, eid, f"Vendor {v:02d} Imaging", "bench") for v in range(n_vendors)]
    evaluator_ids = [evaluators.add_evaluator(db, eid, f"Evaluator {e:02d}", "bench") for e in range(n_evaluators)]
    evaluations.set_status(db, eid, "scoring", "bench")
    criteria = load_snapshot(db, eid).criteria
    db.dispose()
    cells = []
    for e in evaluator_ids:
        for v in vendor_ids:
            for i, c in enumerate(criteria):
                value = c.scale_min + (c.scale_max - c.scale_min) * ((e + v + i) % 5) / 4
                cells.append(scores.ScoreInput(e, v, c.id, value, f"note {i}" if i % 3 == 0 else None))
    return eid, cells


def floor(empty: Path, written: Path, work: Path) -> Timing:
    """The rows the service wrote (scores, their events and the seal), inserted again by bare
    sqlite3 executemany into a copy without them."""
    with sqlite3.connect(empty) as before:
        start = before.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    with sqlite3.connect(written) as source:
        score_rows = source.execute("SELECT * FROM score").fetchall()
        event_rows = source.execute("SELECT * FROM audit_event WHERE id > ?", (start,)).fetchall()
    target = work / "floor.db"
    shutil.copy(written, target)
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("DELETE FROM score")
    con.execute("DELETE FROM audit_event WHERE id > ?", (start,))
    score_sql = f"INSERT INTO score VALUES ({', '.join('?' * len(score_rows[0]))})"
    event_sql = f"INSERT INTO audit_event VALUES ({', '.join('?' * len(event_rows[0]))})"

    def insert() -> None:
        con.execute("BEGIN")
        con.executemany(score_sql, score_rows)
        con.executemany(event_sql, event_rows)
        con.execute("COMMIT")

    result = timed(insert)
    con.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=12)
    parser.add_argument("--evaluators", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_bulk_scores_"))
    try:
        empty = work / "empty.db"
        eid, cells = prepare(empty, args.vendors, args.evaluators)
        bulk: list[Timing] = []
        bare: list[Timing] = []
        demo: list[Timing] = []
        for run in range(args.repeat):
            path = work / f"run{run}.db"
            shutil.copy(empty, path)
            db = open_database(path, daily_backup=False)
            bulk.append(timed(lambda db=db: scores.record_scores(db, eid, cells, "bench")))
            db.dispose()
            bare.append(floor(empty, path, work))
            demo_db = open_database(work / f"demo{run}.db", daily_backup=False)
            demo.append(timed(lambda demo_db=demo_db: load_demo(demo_db)))
            demo_db.dispose()
        with sqlite3.connect(work / "run0.db") as con:
            events = con.execute("SELECT count(*) FROM audit_event WHERE entity = 'score'").fetchone()[0]
        best = [tuple(min(x[i] for x in runs) for i in (0, 1)) for runs in (bulk, bare, demo)]
        print(f"best of {args.repeat} interleaved runs; wall s / CPU s")
        print(f"record_scores, {len(cells)} cells, {events} audit events, one transaction: "
              f"{best[0][0]:.2f} / {best[0][1]:.2f}")
        print(f"floor, the same rows by sqlite3 executemany: {best[1][0]:.3f} / {best[1][1]:.3f}")
        print(f"ratio (CPU): {best[0][1] / best[1][1]:.1f}")
        print(f"load_demo (the whole sample RFP): {best[2][0]:.2f} / {best[2][1]:.2f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
