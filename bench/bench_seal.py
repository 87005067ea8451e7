"""What the seal of the decision state costs per edit (storage.audit seals every commit).

One score edit through the ordinary service: with the incremental seal (the previous seal moved
by the rows the edit changed, storage.state_changes), and with no seal at all (the floor: the
same edit with the seal and the capture of changed rows switched off). On the sample RFP
(1,428 scores) and on the large benchmark evaluation (180,000 scores). Also the full
computation from every row, which verify does and which every edit paid before version 2.
Reported as milliseconds and ratios.

    python bench/bench_seal.py
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.large_evaluation import sample_and_large  # noqa: E402
from vendor_eval.services import evaluators, scores  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import Database, audit, database, open_database, state_changes  # noqa: E402
from vendor_eval.storage.decision_state import seal_value  # noqa: E402
from vendor_eval.storage.models import AuditEvent, Base  # noqa: E402

CAPTURE = [
    (Session, "before_flush", state_changes._before_flush), (Session, "after_flush", state_changes._after_flush),
    (Session, "do_orm_execute", state_changes._core_write), (Base, "before_update", state_changes._before_update),
    (Base, "before_delete", state_changes._before_delete), (Base, "after_insert", state_changes._after_insert),
]


def ms(func: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call (CPU time is what another process's load
    on a shared machine disturbs least)."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


@contextmanager
def no_seal() -> Iterator[None]:
    """The floor: commits write no seal and capture no changed rows."""
    def flush_only(session: Session) -> None:
        session.flush()
        session.info.pop("audit_unsealed", None)

    real = audit.seal_pending
    audit.seal_pending = database.seal_pending = flush_only  # type: ignore[attr-defined]
    for target, name, fn in CAPTURE:
        event.remove(target, name, fn)
    try:
        yield
    finally:
        audit.seal_pending = database.seal_pending = real  # type: ignore[attr-defined]
        for target, name, fn in CAPTURE:
            event.listen(target, name, fn, **({"propagate": True} if target is Base else {}))


def measure(path: Path, ref: str | int, label: str, runs: int = 15) -> None:
    """Edits with the seal on `path` and without it on a copy, taken in turns so that the load
    of a shared machine falls on both alike; the least disturbed of each is reported."""
    db = open_database(path, daily_backup=False)
    snap = load_snapshot(db, ref)
    evaluator = snap.evaluators[0].name
    if snap.evaluators[0].submitted_at is not None:
        evaluators.set_submitted(db, ref, evaluator, False, "bench")  # a submitted evaluator withdraws first
    vendor = snap.vendors[0].name
    criterion = next(c for c in snap.criteria if c.scale_max - c.scale_min >= 2)
    low, high = criterion.scale_min + 1, criterion.scale_min + 2

    def edit(target: Database, values: Iterator[float]) -> Callable[[], object]:
        return lambda: scores.record_score(target, ref, evaluator, vendor, criterion.id, next(values), "bench")

    edit(db, iter([low]))()  # the first edit after a bulk load computes the seal from every row; every later one is incremental
    with db.read() as s:
        full = min(ms(lambda: seal_value(s, snap.evaluation.id))[0] for _ in range(3))
    db.dispose()
    copy = path.with_name(path.stem + "-floor.db")
    shutil.copyfile(path, copy)
    db, floor_db = open_database(path, daily_backup=False), open_database(copy, daily_backup=False)
    sealed_ms, floor_ms = [], []
    sealed_values, floor_values = itertools.cycle([high, low]), itertools.cycle([high, low])  # every edit changes the cell
    for _ in range(runs):
        sealed_ms.append(ms(edit(db, sealed_values)))
        with no_seal():
            floor_ms.append(ms(edit(floor_db, floor_values)))
    print(f"{label} ({len(snap.scores):,} scores): the digest of every row (verify) {full:.1f} ms")
    for kind, n in (("wall", 0), ("CPU", 1)):
        sealed, floor = min(t[n] for t in sealed_ms), min(t[n] for t in floor_ms)
        print(f"  one score edit, {kind:4} time: with the incremental seal {sealed:6.1f} ms, without a seal "
              f"{floor:6.1f} ms; the seal adds {sealed - floor:5.1f} ms, ratio {sealed / floor:4.2f}x")
    with db.read() as s:  # the incremental seals kept up with every edit
        newest = s.scalar(select(AuditEvent.new_value).where(AuditEvent.evaluation_id == snap.evaluation.id)
                          .order_by(AuditEvent.seq.desc()).limit(1))
        assert json.loads(newest or "null") == seal_value(s, snap.evaluation.id)
    db.dispose()
    floor_db.dispose()


def main() -> None:
    for path, evaluation, label in sample_and_large():
        measure(path, evaluation, label)


if __name__ == "__main__":
    main()
