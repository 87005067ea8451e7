"""A committee at their own desks on one PostgreSQL server (not a timed test).

Starts a throwaway PostgreSQL server (tests/postgres_server.py), loads the large evaluation
(60 vendors x 200 criteria x 15 evaluators), sets up the roles and gives each evaluator a
login with a scram-sha-256 password. Then 15 processes, one per evaluator, each save 200
scores through record_score at the same time. Checks: every acknowledged score is in the
database with the acknowledged value, no process raised, the audit chain verifies; prints
the p50/p95 save latency. Last, load_snapshot and rank on PostgreSQL against the same
evaluation in a SQLite file (target: within 2x).

    python bench/bench_committee.py [--evaluators 15] [--scores 200]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT)]
from bench_scoring import median_ms  # noqa: E402
from large_evaluation import build_large_evaluation  # noqa: E402

from tests import postgres_server  # noqa: E402
from vendor_eval.services import integrity, ranking, scores, server_access  # noqa: E402
from vendor_eval.services.snapshot import load_snapshot  # noqa: E402
from vendor_eval.storage import open_database  # noqa: E402


def desk(url: str, evaluation: str, evaluator: str, count: int, seed: int, out: Any) -> None:
    """One evaluator's process: `count` saves of random cells; reports (cell, value, ms) or a traceback."""
    try:
        db = open_database(url, migrate=False)
        snap = load_snapshot(db, evaluation)
        rng = random.Random(seed)
        saved = []
        for _ in range(count):
            vendor, criterion = rng.choice(snap.vendors).id, rng.choice(snap.criteria).id
            value = rng.choice([0.0, 1.0, 2.5, 3.0, 4.5, 5.0])
            t = time.perf_counter()
            scores.record_score(db, evaluation, evaluator, vendor, criterion, value, evaluator)
            saved.append(((vendor, criterion), value, (time.perf_counter() - t) * 1000))
        db.dispose()
        out.put((evaluator, saved, None))
    except BaseException:
        out.put((evaluator, [], traceback.format_exc()))


def main(evaluators: int, per_desk: int) -> int:
    if postgres_server.binaries() is None:
        print("bench_committee: skipped, no PostgreSQL server binaries (Debian: apt-get install postgresql)")
        return 0
    server = postgres_server.start()
    try:
        from sqlalchemy import create_engine, text
        with create_engine(server.url(), isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("CREATE DATABASE ve_bench"))
        url = server.url("ve_bench")
        t = time.perf_counter()
        name = build_large_evaluation(url)
        print(f"large evaluation loaded into PostgreSQL in {time.perf_counter() - t:.1f} s")
        owner = server_access.setup(url)
        with owner.engine.connect() as conn:  # a bulk load leaves no planner statistics until autovacuum runs
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        members = [e.name for e in load_snapshot(owner, name).evaluators][:evaluators]
        urls = {}
        for n, member in enumerate(members):
            login, password = f"desk_{n:02d}", f"secret-{n:02d}"
            server_access.add_evaluator(owner, name, member, login, password, "officer")
            urls[member] = server.url("ve_bench", user=login, password=password)

        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        procs = [ctx.Process(target=desk, args=(urls[m], name, m, per_desk, n, out)) for n, m in enumerate(members)]
        t = time.perf_counter()
        for p in procs:
            p.start()
        results = [out.get(timeout=1800) for _ in procs]
        for p in procs:
            p.join()
        wall = time.perf_counter() - t

        failures = [(who, tb) for who, _, tb in results if tb]
        for who, tb in failures:
            print(f"{who} failed:\n{tb}")
        snap = load_snapshot(owner, name)
        by_name = {e.name: e.id for e in snap.evaluators}
        stored = {(s.evaluator_id, s.vendor_id, s.criterion_id): s.value for s in snap.scores}
        last: dict[tuple[int, int, int], float] = {}
        latencies = []
        for who, saved, _ in results:
            for (vendor, criterion), value, ms in saved:
                last[by_name[who], vendor, criterion] = value
                latencies.append(ms)
        missing = sum(1 for cell, value in last.items() if stored.get(cell) != value)
        report = integrity.verify(owner, name)
        latencies.sort()
        p50 = latencies[len(latencies) // 2] if latencies else float("nan")
        p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
        print(f"{len(members)} evaluator processes x {per_desk} saves: {len(latencies)} acknowledged in {wall:.1f} s; "
              f"{missing} acknowledged scores missing or different; {len(failures)} tracebacks; "
              f"verify: {'intact' if report.problem is None else report.problem} ({report.events} events)")
        print(f"save latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1] if latencies else 0:.1f} ms")

        with tempfile.TemporaryDirectory() as folder:
            file_db = Path(folder) / "large.db"
            build_large_evaluation(file_db)
            lite = open_database(file_db)
            rows = []
            for label, func in (("load_snapshot", load_snapshot), ("rank_evaluation", ranking.rank_evaluation)):
                on_pg = median_ms(lambda f=func: f(owner, name), 3)  # type: ignore[misc]
                on_lite = median_ms(lambda f=func: f(lite, name), 3)  # type: ignore[misc]
                rows.append((label, on_lite, on_pg))
            lite.dispose()
        print(f"{'large evaluation (180,000 scores)':36} {'SQLite':>10} {'PostgreSQL':>11} {'ratio':>7}  target <= 2x")
        for label, lite_ms, pg_ms in rows:
            print(f"{label:36} {lite_ms:8.0f} ms {pg_ms:8.0f} ms {pg_ms / lite_ms:6.2f}x")
        owner.dispose()
        return 0 if not failures and missing == 0 and report.problem is None else 1
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluators", type=int, default=15)
    parser.add_argument("--scores", type=int, default=200)
    options = parser.parse_args()
    sys.exit(main(options.evaluators, options.scores))
