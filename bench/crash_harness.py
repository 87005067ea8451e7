"""Crash harness: SIGKILL a writer at random moments and prove no acknowledged edit is lost.

A writer process makes a stream of score edits through services.scores.record_score and
prints "ACK n ..." to stdout after each commit. The parent kills it with SIGKILL after a
random delay, reopens the database and checks: PRAGMA integrity_check is ok, every edit
the writer acknowledged is in the audit trail, each score row holds its newest edit, and
the audit chain verifies. Then it starts the next writer where the last one stopped.

    python bench/crash_harness.py --kills 200            # the full run (a few minutes)
    python bench/crash_harness.py --kills 5 --json       # what tests/integrity runs
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

# Only what a writer needs at the top: every kill starts a new writer process. The parent's
# set-up and checks import the rest of the services inside set_up() and check().
from vendor_eval.services.scores import record_score
from vendor_eval.storage import open_database
from vendor_eval.storage.models import AuditEvent, Criterion, Evaluator, Score, Vendor

EVALUATION = "Crash harness RFP"
TEMPLATE = "Generic services RFP"
ACTOR = "crash-writer"


@dataclass
class Summary:
    kills: int = 0
    edits_acknowledged: int = 0
    edits_found: int = 0  # acknowledged edits present after the kills
    committed_unacknowledged: int = 0  # killed between commit and print: present, never reported
    integrity_ok: int = 0
    chain_intact: int = 0
    rows_consistent: int = 0
    lost: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        checks = self.kills
        return (not self.lost and not self.problems and self.edits_found == self.edits_acknowledged
                and self.integrity_ok == checks and self.chain_intact == checks and self.rows_consistent == checks)


# --- the writer (a separate process) ---------------------------------------------------------


def run_writer(db_path: Path, start: int, seed: int) -> None:
    db = open_database(db_path)
    with db.read() as s:
        cells = _cells(s)
    rng = random.Random(seed)
    print("READY", flush=True)
    n = start
    while True:
        evaluator_id, vendor_id, criterion_id = rng.choice(cells)
        value = rng.randint(0, 5)
        record_score(db, EVALUATION, evaluator_id, vendor_id, criterion_id, value, ACTOR, comment=f"edit {n}")
        # Printed only after record_score returned, i.e. after COMMIT: an acknowledged edit.
        print(f"ACK {n} {evaluator_id} {vendor_id} {criterion_id} {value}", flush=True)
        n += 1


def _cells(s: Session) -> list[tuple[int, int, int]]:
    es = list(s.scalars(select(Evaluator.id).order_by(Evaluator.id)))
    vs = list(s.scalars(select(Vendor.id).order_by(Vendor.id)))
    cs = list(s.scalars(select(Criterion.id).order_by(Criterion.id).limit(8)))
    return [(e, v, c) for e in es for v in vs for c in cs]


# --- the parent ------------------------------------------------------------------------------


def set_up(db_path: Path) -> None:
    from vendor_eval.services import evaluations, evaluators, vendors

    db = open_database(db_path)
    try:
        evaluations.create_from_template(db, TEMPLATE, EVALUATION, "officer")
        for name in ("Aurora Imaging Partners", "Borealis Reading Group", "Cedar Teleradiology"):
            vendors.add_vendor(db, EVALUATION, name, "officer")
        for name in ("Dr Ames", "Dr Bello", "Dr Chen"):
            evaluators.add_evaluator(db, EVALUATION, name, "officer")
    finally:
        db.dispose()


def one_kill(db_path: Path, start: int, seed: int, max_delay: float,
             after_first_ack: bool = False) -> tuple[dict[int, str], float]:
    """Run a writer, SIGKILL it after a random delay (from its first acknowledged edit when
    after_first_ack); returns its acknowledged edits (n -> line)."""
    proc = subprocess.Popen([sys.executable, __file__, "--writer", str(db_path), "--start", str(start),
                             "--seed", str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    if ready.strip() != "READY":
        proc.kill()
        _, err = proc.communicate()
        raise RuntimeError(f"writer failed to start: {ready!r} {err[-2000:]}")
    first = proc.stdout.readline() if after_first_ack else ""
    delay = random.Random(seed).uniform(0.0, max_delay)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, err = proc.communicate()
    if proc.returncode != -signal.SIGKILL:
        raise RuntimeError(f"writer ended on its own (exit {proc.returncode}): {err[-2000:]}")
    acked = {}
    for line in (first + rest).splitlines(keepends=True):
        if line.startswith("ACK ") and line.endswith("\n"):  # a torn last line is not an acknowledgement
            acked[int(line.split()[1])] = line.strip()
    return acked, delay


def check(db_path: Path, acked: dict[int, str], all_acked: set[int], summary: Summary) -> int:
    """Verify the file after a kill; returns the next edit number to use."""
    from vendor_eval.services import integrity
    from vendor_eval.storage.migrate import integrity_check

    db = open_database(db_path, daily_backup=False)
    try:
        if integrity_check(db) == "ok":
            summary.integrity_ok += 1
        else:
            summary.problems.append(f"integrity_check failed after kill {summary.kills}")
        report = integrity.verify(db, EVALUATION)
        if report.intact:
            summary.chain_intact += 1
        else:
            summary.problems.append(f"kill {summary.kills}: {report.describe()}")
        with db.read() as s:
            found: dict[int, int] = {}  # edit n -> score id
            for entity_id, new_value in s.execute(select(AuditEvent.entity_id, AuditEvent.new_value).where(
                    AuditEvent.entity == "score", AuditEvent.field == "comment")):
                text = json.loads(new_value or "null")
                if isinstance(text, str) and text.startswith("edit ") and entity_id is not None:
                    found[int(text.split()[1])] = entity_id
            newest: dict[int, int] = {}
            for n, score_id in found.items():
                newest[score_id] = max(n, newest.get(score_id, -1))
            rows: dict[int, str] = {i: c for i, c in s.execute(select(Score.id, Score.comment))}
    finally:
        db.dispose()
    if all(rows.get(score_id) == f"edit {n}" for score_id, n in newest.items()):
        summary.rows_consistent += 1
    else:
        summary.problems.append(f"kill {summary.kills}: a score row does not hold its newest edit")
    # Cumulative: a later crash must not take back an edit acknowledged earlier.
    summary.lost = sorted(all_acked - set(found))
    summary.edits_acknowledged += len(acked)
    summary.edits_found += len(set(acked) & set(found))
    return max(found, default=-1) + 1


def run(kills: int, db_path: Path, seed: int, max_delay: float) -> Summary:
    summary = Summary()
    started = time.perf_counter()
    set_up(db_path)
    rng = random.Random(seed)
    all_acked: set[int] = set()
    next_edit = 0
    for i in range(kills):
        # A busy machine may not get a first edit committed before every random kill; the last
        # kill then waits for one, so a run never passes without an acknowledged edit to check.
        last_chance = i == kills - 1 and not all_acked
        acked, _delay = one_kill(db_path, next_edit, rng.randrange(2**31), max_delay, after_first_ack=last_chance)
        summary.kills += 1
        all_acked |= set(acked)
        next_edit = check(db_path, acked, all_acked, summary)
    summary.committed_unacknowledged = next_edit - len(all_acked)
    summary.seconds = round(time.perf_counter() - started, 1)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--max-delay", type=float, default=0.5, help="longest run before a kill, seconds")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--writer", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        run_writer(args.writer, args.start, args.seed)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "crash.db"
        summary = run(args.kills, db_path, args.seed, args.max_delay)
    if args.json:
        print(json.dumps({**asdict(summary), "passed": summary.passed}))
    else:
        for key, value in asdict(summary).items():
            print(f"{key:>26}: {value}")
        print(f"{'result':>26}: {'PASSED' if summary.passed else 'FAILED'}")
    return 0 if summary.passed else 1


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
