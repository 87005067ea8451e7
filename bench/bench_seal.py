"""What the seal of the decision state costs per edit (storage.audit seals every commit).

One score edit through the ordinary service, with the seal and with the digest replaced by a
constant (the floor: the same edit without the seal), on the sample RFP (1,428 scores) and
on the large benchmark evaluation (180,000 scores). Reported as milliseconds and a ratio.

    python bench/bench_seal.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.large_evaluation import build_large_evaluation  # noqa: E402
from vendor_eval.services import scores  # noqa: E402
from vendor_eval.services.demo import load_demo  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import audit, open_database  # noqa: E402
from vendor_eval.storage.decision_state import table_digests  # noqa: E402


def best_ms(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)  # the machine is shared: the least disturbed run


def measure(path: Path, ref: str | int, label: str) -> None:
    db = open_database(path, daily_backup=False)
    snap = load_snapshot(db, ref)
    evaluator, vendor, criterion = snap.evaluators[0].name, snap.vendors[0].name, snap.criteria[0].id
    values = iter([1.0, 2.0] * 100)

    def edit() -> None:
        scores.record_score(db, ref, evaluator, vendor, criterion, next(values), "bench")

    with db.read() as s:
        digest = best_ms(lambda: table_digests(s, snap.evaluation.id), 5)
    sealed = best_ms(edit, 7)
    real = audit.seal_value
    audit.seal_value = lambda _s, _e: {"sha256": "0" * 64}  # type: ignore[assignment]
    try:
        floor = best_ms(edit, 7)
    finally:
        audit.seal_value = real
    print(f"{label:38} {len(snap.scores):>7} scores  digest {digest:8.1f} ms  edit {sealed:8.1f} ms  "
          f"floor {floor:6.1f} ms  ratio {sealed / floor:5.1f}x")
    db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.db"
        db = open_database(sample)
        load_demo(db)
        db.dispose()
        measure(sample, 1, "sample RFP")
        large = Path(tmp) / "large.db"
        name = build_large_evaluation(large)
        measure(large, name, "large benchmark evaluation")


if __name__ == "__main__":
    main()
