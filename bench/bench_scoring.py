"""Benchmark of the decision engine on the generated large evaluation (not a timed test).

60 vendors x 200 criteria x 15 evaluators = 180,000 scores. Prints medians of several runs:
full ranking (aggregation, price formulas, knock-outs, weighted sum) from arrays and with
load_snapshot, SMAA with 10,000 samples, and pymcdm's weighted sum and TOPSIS on the same
matrix as a ratio to ours.

    python bench/bench_scoring.py [PATH.db]      # default: a fresh file in a temp directory
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_evaluation import build_large_evaluation  # noqa: E402

from vendor_eval.scoring import engine, sensitivity  # noqa: E402
from vendor_eval.scoring.normalise import linear_minmax  # noqa: E402
from vendor_eval.scoring.topsis import topsis  # noqa: E402
from vendor_eval.scoring.weighted import weighted_sum  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import open_database  # noqa: E402


def median_ms(func: Callable[[], Any], runs: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        func()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(db_path: Path) -> None:
    t = time.perf_counter()
    name = build_large_evaluation(db_path)
    print(f"generated {name!r} in {time.perf_counter() - t:.1f} s")
    db = open_database(db_path)
    snap = load_snapshot(db, name)
    cube = snap.score_cube()
    print(f"{len(snap.vendors)} vendors x {len(snap.criteria)} criteria x {len(snap.evaluators)} evaluators "
          f"= {len(snap.scores)} scores")

    rows: list[tuple[str, float, str]] = []
    rows.append(("load_snapshot", median_ms(lambda: load_snapshot(db, name), 3), ""))
    rows.append(("Snapshot.score_cube (180k entries to array)", median_ms(snap.score_cube, 5), ""))
    rows.append(("ranking from arrays: aggregate + knock-outs + weighted sum",
                 median_ms(lambda: engine.rank_snapshot(snap, cube=cube), 21), "target <= 20 ms"))
    rows.append(("ranking from arrays, TOPSIS", median_ms(lambda: engine.rank_snapshot(snap, "topsis", cube=cube), 21), ""))
    rows.append(("ranking incl. load_snapshot + score_cube",
                 median_ms(lambda: engine.rank_snapshot(load_snapshot(db, name)), 3), ""))

    p = engine.prepare(snap, cube=cube)
    qualified = [i for i, r in enumerate(p.reasons) if not r]
    n = p.normalised[qualified]
    rows.append(("SMAA 10,000 samples (simplex)", median_ms(lambda: sensitivity.smaa(n, p.weights, 10_000, 1), 7),
                 "target <= 300 ms"))
    rows.append(("SMAA 10,000 samples (local +/-25 %)",
                 median_ms(lambda: sensitivity.smaa(n, p.weights, 10_000, 1, "local"), 7), ""))
    rows.append(("critical weight changes, all 200 criteria",
                 median_ms(lambda: sensitivity.critical_changes(n, p.weights), 7), ""))
    rows.append(("full sensitivity (critical + sweep + SMAA) from snapshot",
                 median_ms(lambda: engine.sensitivity_snapshot(snap, samples=10_000), 3), ""))

    # Same matrix through the independent library (pymcdm), validation off as ours is already checked.
    from pymcdm import methods
    from pymcdm.normalizations import minmax_normalization, vector_normalization

    raw = p.raw
    crit = snap.criteria
    lo = np.array([c.scale_min for c in crit])
    hi = np.array([c.scale_max for c in crit])
    dirs = [c.direction for c in crit]
    keys = [c.key for c in crit]
    types = np.where(np.array(dirs) == "min", -1, 1)
    wsm = methods.WSM(minmax_normalization)
    tops = methods.TOPSIS(vector_normalization)
    ours_wsm = median_ms(lambda: weighted_sum(linear_minmax(raw, lo, hi, dirs, keys), p.weights), 21)
    their_wsm = median_ms(lambda: wsm(raw, p.weights, types, validation=False), 21)
    ours_top = median_ms(lambda: topsis(raw, p.weights, types < 0), 21)
    their_top = median_ms(lambda: tops(raw, p.weights, types, validation=False), 21)
    rows.append(("weighted sum core, ours", ours_wsm, ""))
    rows.append(("weighted sum, pymcdm WSM", their_wsm, f"pymcdm / ours = {their_wsm / ours_wsm:.1f}x"))
    rows.append(("TOPSIS core, ours", ours_top, ""))
    rows.append(("TOPSIS, pymcdm", their_top, f"pymcdm / ours = {their_top / ours_top:.1f}x"))

    width = max(len(r[0]) for r in rows)
    print()
    for label, ms, note in rows:
        print(f"{label.ljust(width)}  {ms:9.2f} ms  {note}")
    db.dispose()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp) / "bench.db")
