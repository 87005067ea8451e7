"""Two users, one file: real processes writing to the same SQLite database."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import time
from pathlib import Path
from typing import Any

from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

A = "Aurora Imaging Partners"
KEY = "capability.key_staff"
SPAWN = mp.get_context("spawn")  # a fresh interpreter, like a second app instance


def _hold_write_lock(db_path: str, locked: Any, writing: Any, seconds: float) -> None:
    """Another instance in the middle of a long write transaction, still busy when the writer starts."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    locked.set()
    writing.wait(timeout=30)
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def _write_score(db_path: str, value: int, expected_version: int | None, go: Any, results: Any,
                 writing: Any = None, ready: Any = None) -> None:
    from vendor_eval.errors import UserError
    from vendor_eval.services import scores
    from vendor_eval.storage import open_database

    db = open_database(db_path, daily_backup=False)
    if ready is not None:
        ready.release()
    if go is not None:
        go.wait(timeout=30)
    if writing is not None:
        writing.set()
    started = time.perf_counter()
    try:
        saved = scores.record_score(db, "Service desk RFP", "Dr Ames", A, KEY, value, f"user {value}",
                                    expected_version=expected_version)
        results.put(("saved", value, saved.version, time.perf_counter() - started))
    except UserError as exc:
        results.put((type(exc).__name__, value, str(exc), time.perf_counter() - started))
    finally:
        db.dispose()


def _cell(db: Database, ref: int) -> tuple[float, int]:
    snap = load_snapshot(db, ref)
    ames = next(e.id for e in snap.evaluators if e.name == "Dr Ames")
    aurora = next(v.id for v in snap.vendors if v.name == A)
    key = next(c.id for c in snap.criteria if c.key == KEY)
    score = next(x for x in snap.scores if (x.evaluator_id, x.vendor_id, x.criterion_id) == (ames, aurora, key))
    return score.value, score.version


def test_a_writer_waits_for_the_other_instance_instead_of_failing(db: Database, scored: int, db_path: Path) -> None:
    locked, writing, results = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
    holder = SPAWN.Process(target=_hold_write_lock, args=(str(db_path), locked, writing, 1.0))
    holder.start()
    assert locked.wait(timeout=30)
    writer = SPAWN.Process(target=_write_score, args=(str(db_path), 1, None, None, results, writing))
    writer.start()
    outcome = results.get(timeout=60)
    writer.join(timeout=30)
    holder.join(timeout=30)

    assert outcome[0] == "saved", outcome  # not "The database ... is busy"
    assert outcome[3] > 0.8  # it waited for the other transaction rather than failing at once
    assert _cell(db, scored)[0] == 1


def test_two_users_editing_the_same_cell_one_gets_a_conflict(db: Database, scored: int, db_path: Path) -> None:
    _, version = _cell(db, scored)  # both users loaded the same version of the cell
    go, ready, results = SPAWN.Event(), SPAWN.Semaphore(0), SPAWN.Queue()
    writers = [SPAWN.Process(target=_write_score, args=(str(db_path), value, version, go, results, None, ready))
               for value in (1, 5)]
    for w in writers:
        w.start()
    assert all(ready.acquire(timeout=60) for _ in writers)  # both interpreters started and opened the file
    go.set()
    outcomes = sorted([results.get(timeout=60), results.get(timeout=60)])
    for w in writers:
        w.join(timeout=30)

    kinds = [o[0] for o in outcomes]
    assert kinds == ["ConflictError", "saved"], outcomes
    conflict, saved = outcomes
    assert conflict[2].startswith("Someone else changed Dr Ames's score for Aurora Imaging Partners")
    assert _cell(db, scored) == (saved[1], version + 1)  # the winner's value, not silently overwritten
