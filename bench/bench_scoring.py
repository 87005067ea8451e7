"""Benchmark of loading and ranking large evaluations (not a timed test).

Part 1, loading: for 180k, 720k and 1.44M scores (60 x 15, 120 x 30 and 240 x 30 vendors x
evaluators, 200 criteria) prints load_snapshot's median time, the first ranking of a freshly
loaded snapshot (score cube included), the memory a held snapshot adds per score and the
process's peak, each in a fresh process, beside the floor: the bare sqlite3 driver reading the
same score columns into numpy arrays (and, for comparison, pandas' read_sql_query). Targets
(issue 17): 180k loaded in <= 150 ms, <= 150 bytes per score, growth linear, load within 1.5x the
floor. (load_snapshot reads each score as two numbers, its id, cell and flags packed into one
integer beside its value: that is how it can come in under this six-column floor.) Beside the
wall-clock times, the process's CPU time for the same loads: on a shared machine the wall clock
mostly measures the other processes, the CPU time what the load itself costs.

Part 1b, the same on PostgreSQL when its binaries are installed: a throwaway server
(tests/postgres_server.py), each evaluation copied onto it, load_snapshot against the floor of
psycopg's cursor read into numpy arrays (CPU time is the client's: the server's work is not in it).
Copying onto the server takes about 30 s per 180k scores: `--sizes 180k,720k` keeps it short.

Part 2, the decision engine on the 180k evaluation: full ranking (aggregation, price
formulas, knock-outs, weighted sum) from arrays and with load_snapshot, SMAA with 10,000
samples, and pymcdm's weighted sum and TOPSIS on the same matrix as a ratio to ours.

    python bench/bench_scoring.py [--sizes 180k,720k,1.44M] [--keep DIR] [--no-engine] [--no-postgres]
    (DIR keeps the generated files between runs; by default they go to a temp directory)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # tests.postgres_server
from large_evaluation import CRITERIA, build_large_evaluation  # noqa: E402

from vendor_eval.scoring import engine, sensitivity  # noqa: E402
from vendor_eval.scoring.normalise import linear_minmax  # noqa: E402
from vendor_eval.scoring.topsis import topsis  # noqa: E402
from vendor_eval.scoring.weighted import weighted_sum  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import open_database  # noqa: E402

SIZES = {"180k": (60, 15), "720k": (120, 30), "1.44M": (240, 30)}  # vendors, evaluators
FLOOR_SQL = ("SELECT s.id, s.evaluator_id, s.vendor_id, s.criterion_id, s.value, s.version "
             "FROM score s JOIN evaluator e ON s.evaluator_id = e.id WHERE e.evaluation_id = ?")
FLOOR_ROW = np.dtype([("id", np.int64), ("evaluator_id", np.int64), ("vendor_id", np.int64),
                      ("criterion_id", np.int64), ("value", float), ("version", np.int64)])


def median_ms(func: Callable[[], Any], runs: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        func()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def rss() -> int:
    """Resident memory of this process, bytes."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that started it)."""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def measure(kind: str, target: str, name: str) -> dict[str, float]:
    """Run in a fresh process: median load time (wall and CPU), first rank, bytes a held load
    adds, peak. target is a SQLite file, or a PostgreSQL URL for the kinds pg-ours and pg-floor."""
    if kind == "pg-floor":
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(target)
        pg = psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                             dbname=url.database)
        eid = pg.execute("SELECT id FROM evaluation WHERE name = %s", (name,)).fetchone()[0]  # type: ignore[index]

        def load() -> Any:
            return np.fromiter(pg.execute(FLOOR_SQL.replace("?", "%s"), (eid,)), FLOOR_ROW)
    elif kind in ("floor", "pandas"):
        con = sqlite3.connect(target)
        eid = con.execute("SELECT id FROM evaluation WHERE name = ?", (name,)).fetchone()[0]

        def load() -> Any:
            if kind == "pandas":  # the other way the issue names: pandas' SQL reader, then its columns
                import pandas as pd

                frame = pd.read_sql_query(FLOOR_SQL, con, params=(eid,))
                return [frame[c].to_numpy() for c in frame.columns]
            return np.fromiter(con.execute(FLOOR_SQL, (eid,)), FLOOR_ROW)
    else:
        db = open_database(target, daily_backup=False, migrate=False)

        def load() -> Any:
            return load_snapshot(db, name)
    load()  # warm-up: imports, statement caches, the file in the page cache
    gc.collect()
    before = rss()
    held = load()
    added = rss() - before
    ours = kind.endswith("ours")
    n = len(held.scores) if ours else len(held[0]) if kind == "pandas" else len(held)
    times, cpu, ranks = [], [], []
    for _ in range(5):
        del held
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        held = load()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if ours:
            t = time.perf_counter()
            engine.rank_snapshot(held)
            ranks.append(time.perf_counter() - t)
    return {"n": n, "load_ms": statistics.median(times) * 1000, "cpu_ms": statistics.median(cpu) * 1000,
            "rank_ms": statistics.median(ranks) * 1000 if ranks else float("nan"),
            "bytes_per_score": added / n, "peak_mb": peak_mb()}


def run(kind: str, target: str, name: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, target, name],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]


HEADER = (f"{'scores':>7} {'load ms':>8} {'floor ms':>9} {'ratio':>6} {'load cpu':>9} {'floor cpu':>10} "
          f"{'ratio':>6} {'pandas ms':>10} {'1st rank ms':>12} {'B/score':>8} {'floor B/score':>14} {'peak MB':>8} "
          f"{'floor peak MB':>14}")


def line(o: dict[str, float], f: dict[str, float], pandas_ms: float) -> str:
    return (f"{o['n']:>7} {o['load_ms']:>8.0f} {f['load_ms']:>9.0f} {o['load_ms'] / f['load_ms']:>5.2f}x "
            f"{o['cpu_ms']:>9.0f} {f['cpu_ms']:>10.0f} {o['cpu_ms'] / f['cpu_ms']:>5.2f}x {pandas_ms:>10.0f} "
            f"{o['rank_ms']:>12.0f} {o['bytes_per_score']:>8.0f} {f['bytes_per_score']:>14.0f} "
            f"{o['peak_mb']:>8.0f} {f['peak_mb']:>14.0f}")


def generated(folder: Path, label: str) -> tuple[Path, str]:
    vendors, evaluators = SIZES[label]
    db_path = folder / f"scores-{label}.db"
    name = f"Large benchmark RFP {label}"
    if not db_path.exists():
        t = time.perf_counter()
        build_large_evaluation(db_path, name=name, vendors=vendors, evaluators=evaluators)
        print(f"(generated {vendors} x {CRITERIA} x {evaluators} in {time.perf_counter() - t:.0f} s)")
    return db_path, name


def load_table(folder: Path, sizes: list[str]) -> None:
    print(f"SQLite (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(HEADER)
    for label in sizes:
        db_path, name = generated(folder, label)
        got = {kind: run(kind, str(db_path), name) for kind in ("ours", "floor", "pandas")}
        o, f = got["ours"], got["floor"]
        vendors, evaluators = SIZES[label]
        assert o["n"] == f["n"] == vendors * evaluators * CRITERIA
        print(line(o, f, got["pandas"]["load_ms"]), flush=True)


def postgres_table(folder: Path, sizes: list[str]) -> None:
    """The same loads from a throwaway PostgreSQL server, one database per size."""
    from sqlalchemy import create_engine, text

    from tests import postgres_server
    from vendor_eval.services.server_access import copy_evaluation

    if postgres_server.binaries() is None:
        print("PostgreSQL: no server binaries on this machine, skipped")
        return
    server = postgres_server.start()
    try:
        print(f"\nPostgreSQL {server.bin.parent.name} on 127.0.0.1 (load average {os.getloadavg()[0]:.1f}; "
              "CPU is the client's; no pandas column)")
        print(HEADER)
        for label in sizes:
            db_path, name = generated(folder, label)
            database = "scores_" + label.replace(".", "_").lower()
            with create_engine(server.url(), isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f"CREATE DATABASE {database}"))
            t = time.perf_counter()
            copy_evaluation(name, db_path, server.url(database))
            with create_engine(server.url(database), isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text("VACUUM ANALYZE"))
            print(f"(copied onto the server in {time.perf_counter() - t:.0f} s)", flush=True)
            o, f = run("pg-ours", server.url(database), name), run("pg-floor", server.url(database), name)
            assert o["n"] == f["n"]
            print(line(o, f, float("nan")), flush=True)
    finally:
        server.stop()


def engine_table(db_path: Path) -> None:
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
    rows.append(("Snapshot.score_cube, built (180k scores from columns)",
                 median_ms(lambda: replace(snap).score_cube(), 5), ""))  # a copy starts without the cache
    rows.append(("Snapshot.score_cube, cached (a copy)", median_ms(snap.score_cube, 5), ""))

    def edit() -> None:  # what the GUI does per keystroke: look the cell up, patch a copy, read its cube
        nonlocal edited
        old = edited.scores.get(*cell)
        assert old is not None
        edited = edited.with_score(*cell, old._replace(value=5.0 - old.value))
        edited.score_cube()

    edited, middle = snap, snap.scores[len(snap.scores) // 2]
    cell = (middle.evaluator_id, middle.vendor_id, middle.criterion_id)
    rows.append(("one score edit: lookup + Snapshot.with_score + its cube", median_ms(edit, 21), ""))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated, of " + ", ".join(SIZES))
    parser.add_argument("--keep", type=Path, help="folder for the generated databases, kept between runs")
    parser.add_argument("--no-engine", action="store_true", help="only the loading tables")
    parser.add_argument("--no-postgres", action="store_true", help="no PostgreSQL loading table")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "DB", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, db_path, name = args.measure
        print(json.dumps(measure(kind, db_path, name)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = [x.strip() for x in args.sizes.split(",")]
        load_table(folder, sizes)
        if not args.no_postgres:
            postgres_table(folder, sizes)
        if not args.no_engine:
            print()
            engine_table(Path(tmp) / "engine.db")


if __name__ == "__main__":
    main()
