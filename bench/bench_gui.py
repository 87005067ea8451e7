"""GUI responsiveness on the large evaluation (60 vendors x 200 criteria x 15 evaluators).

Measures, on the real main window (offscreen unless QT_QPA_PLATFORM says otherwise) with the
real thread pool (not the inline test mode):

- open to interactive: from "open" until the evaluation's screen is shown and the event loop
  answers again (target <= 1.5 s), with the longest UI-thread block while opening;
- weight change to updated results: a weight typed on Criteria & weights until the ranking
  preview shows the new ranking, and the same with the Results tab and its charts on show
  (target <= 100 ms);
- the longest UI-thread block during a questionnaire import and during PDF and Excel exports,
  measured with a 5 ms QTimer heartbeat (target <= 100 ms).

    python bench/bench_gui.py [--db PATH]     # a benchmark, not a timed test
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = {"open": 1.5, "weight": 0.100, "block": 0.100}


class Heartbeat:
    """Longest gap between 5 ms timer ticks: how long the UI thread was unable to run."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest


def wait_until(app: Any, done: Callable[[], bool], timeout: float = 600.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the GUI did not finish in time")
        app.processEvents()
        time.sleep(0.001)


def run_in_pool(app: Any, fn: Callable[..., Any], args: tuple[Any, ...] | None = None) -> tuple[float, float, Any]:
    """Run fn the way the app does (thread pool; a child process when args are given, as for report
    exports); (seconds, longest UI block, result)."""
    from vendor_eval.ui.tasks import run_process_task, run_task

    box: dict[str, Any] = {}
    beat = Heartbeat()
    beat.start()
    t0 = time.perf_counter()
    done, failed = (lambda r: box.setdefault("result", r)), (lambda e: box.setdefault("error", e))
    if args is None:
        run_task(fn, done, failed)
    else:
        run_process_task(fn, args, done, failed)
    wait_until(app, lambda: bool(box))
    elapsed = time.perf_counter() - t0
    block = beat.stop()
    if "error" in box:
        raise box["error"]
    return elapsed, block, box["result"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="reuse this large-evaluation database (built if missing)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_bench_gui_"))
    os.environ["VENDOR_EVAL_DATA_DIR"] = str(tmp)

    from PySide6.QtCore import QSettings

    from bench.large_evaluation import build_large_evaluation
    from vendor_eval.app import make_application
    from vendor_eval.paths import sample_data_dir
    from vendor_eval.services import evaluations
    from vendor_eval.storage import open_database
    from vendor_eval.ui import tasks
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.screens.criteria import CriteriaScreen
    from vendor_eval.ui.screens.results import ResultsScreen
    from vendor_eval.ui.settings import Settings

    db_path = args.db or tmp / "large.db"
    if not db_path.exists():
        t = time.perf_counter()
        build_large_evaluation(db_path)
        print(f"built the large evaluation in {time.perf_counter() - t:.1f} s")
    app = make_application([sys.argv[0]])
    tasks.set_inline(False)
    db = open_database(db_path)
    eid = next(e.id for e in evaluations.list_evaluations(db) if e.vendors == 60)
    from vendor_eval.services import declarations

    for name in declarations.undeclared_evaluators(db, eid):  # the grid asks before a first score
        declarations.declare(db, eid, name, [], "bench", "No interest in any vendor")
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, settings)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    figures: dict[str, float] = {}
    # The machine's own noise: the longest heartbeat gap with nothing running (shared CPUs).
    beat = Heartbeat()
    beat.start()
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    figures["baseline: longest heartbeat gap while idle (s)"] = beat.stop()

    # 1. Open to interactive.
    opened: list[int] = []
    window.evaluationOpened.connect(opened.append)
    beat = Heartbeat()
    beat.start()
    t0 = time.perf_counter()
    window.open_evaluation(eid)
    wait_until(app, lambda: bool(opened))
    app.processEvents()  # the first event after the screens are built: the window answers
    figures["open to interactive (s)"] = time.perf_counter() - t0
    figures["longest UI block while opening (s)"] = beat.stop()

    # 2. Weight change to updated results.
    session = window.session
    assert session is not None
    criteria = window.screen_of(CriteriaScreen)
    window.tabs.setCurrentWidget(criteria)
    app.processEvents()
    target = session.snapshot.criteria[0]
    timings = []
    for i in range(10):
        before = [v.name for v in criteria.preview_model.rows()]
        t0 = time.perf_counter()
        criteria.set_weight(target.id, 5.0 + 10 * (i % 2) + 100 * (i == 9))
        timings.append(time.perf_counter() - t0)
        _ = before
    figures["weight change -> ranking preview, median (s)"] = statistics.median(timings)
    figures["weight change -> ranking preview, max (s)"] = max(timings)
    results = window.screen_of(ResultsScreen)
    window.tabs.setCurrentWidget(results)
    app.processEvents()
    timings = []
    for i in range(6):
        t0 = time.perf_counter()
        criteria.set_weight(target.id, 5.0 + 10 * (i % 2))
        app.processEvents()
        timings.append(time.perf_counter() - t0)
    figures["weight change -> Results table and charts, median (s)"] = statistics.median(timings)
    figures["weight change -> Results table and charts, max (s)"] = max(timings)

    # 2b. A score typed in the grid: saved, grid and caches updated.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from vendor_eval.ui.screens.scoring import ScoringScreen

    scoring = window.screen_of(ScoringScreen)
    window.tabs.setCurrentWidget(scoring)
    app.processEvents()
    timings = []
    for i in range(6):
        scoring.view.setCurrentIndex(scoring.model.index(i, 0))
        t0 = time.perf_counter()
        QTest.keyClick(scoring.view, Qt.Key.Key_1 if i % 2 else Qt.Key.Key_2)
        app.processEvents()
        timings.append(time.perf_counter() - t0)
    figures["keyboard score -> saved and shown, median (s)"] = statistics.median(timings)
    figures["keyboard score -> saved and shown, max (s)"] = max(timings)

    # 3. Export (large evaluation) and import (sample questionnaires), off the UI thread.
    from vendor_eval.ui.exporting import write_report

    for fmt in ("pdf", "xlsx"):
        out = tmp / f"large.{fmt}"
        elapsed, block, _ = run_in_pool(app, write_report, (str(db_path), eid, fmt, str(out)))
        figures[f"{fmt} export of the large evaluation (s)"] = elapsed
        figures[f"longest UI block during {fmt} export (s)"] = block

    from vendor_eval.services import questionnaires

    small = open_database(tmp / "import.db")
    target_eval = evaluations.create_from_template(small, "Medical imaging outsourcing and teleradiology",
                                                   "Import bench", "bench")
    files = sorted((sample_data_dir() / "questionnaires").glob("*.xlsx"))
    elapsed, block, results_ = run_in_pool(app, lambda p: questionnaires.import_questionnaires(
        small, target_eval, files, "bench", progress=p))
    figures[f"import of {len(files)} questionnaires (s)"] = elapsed
    figures["longest UI block during import (s)"] = block

    window.close()
    tasks.wait_for_all()
    db.dispose()
    small.dispose()

    shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        kind = "open" if key.startswith("open") else "weight" if key.startswith(("weight", "keyboard")) else \
            "block" if "block" in key else ""
        verdict = "" if not kind else ("  ok" if value <= TARGETS[kind] else f"  OVER target {TARGETS[kind]:g} s")
        print(f"{key.ljust(width)}  {value:8.3f}{verdict}")
    _ = results_
    return 0


if __name__ == "__main__":
    sys.exit(main())
