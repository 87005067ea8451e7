"""A new officer's first evaluation, step by step, in the real app at 1024x700, with a screenshot of
each step: new evaluation from the imaging template, vendors, evaluators (with their declarations),
keyboard scoring, the committee grid, Results blocked by missing scores and the policy changed from
there, and the PDF report.

    python docs/walkthrough.py [--out docs/screenshots/walkthrough-1024x700]

Runs offscreen; every dialog is the app's own, answered as a user would (the names are fictional).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

VENDORS = ("Northwind Teleradiology", "Harbourlight Imaging", "Quillon Reads")
EVALUATORS = ("Dr. Lena Ostrova", "Sam Okoro")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "screenshots" / "walkthrough-1024x700")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_walk_"))
    os.environ["VENDOR_EVAL_DATA_DIR"] = str(tmp)
    try:
        walk(tmp, args.out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def walk(tmp: Path, out: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QWidget

    from vendor_eval.app import make_application
    from vendor_eval.storage import open_database
    from vendor_eval.ui import tasks
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.screens.committee import CommitteeScreen
    from vendor_eval.ui.screens.criteria import CriteriaScreen
    from vendor_eval.ui.screens.results import ResultsScreen
    from vendor_eval.ui.screens.scoring import ScoringScreen
    from vendor_eval.ui.screens.vendors import VendorsScreen
    from vendor_eval.ui.settings import Settings

    app = make_application([sys.argv[0]])
    tasks.set_inline(True)
    out.mkdir(parents=True, exist_ok=True)
    db = open_database(tmp / "mine.db")
    window = MainWindow(db, Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(1024, 700)
    window.show()
    count = [0]

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(5):
            app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        count[0] += 1
        path = out / f"{count[0]:02d}_{name}.png"
        widget.grab().save(str(path))
        print(path)

    def answer(steps: Callable[[Any], None]) -> None:
        """Answer the next modal dialog the app opens."""
        def attempt() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, attempt)
                return
            steps(dialog)
        QTimer.singleShot(0, attempt)

    def type_scores(screen: Any, row: int, column: int, digits: str) -> None:
        screen.view.setFocus()
        screen.view.setCurrentIndex(screen.model.index(row, column))
        for key in digits:
            QTest.keyClick(screen.view, key)

    shot(window, "welcome")

    def new_evaluation(dialog: Any) -> None:
        shot(dialog, "new_evaluation")
        QTest.keyClicks(dialog.name, "CT and MR overflow reading 2027")
        QTest.keyClicks(dialog.organisation, "Lakeside Regional Health")
        dialog.accept()

    answer(new_evaluation)
    window.new_action.trigger()
    shot(window, "overview")
    window.tabs.setCurrentWidget(window.screen_of(CriteriaScreen))
    shot(window, "criteria_from_the_template")

    vendors = window.screen_of(VendorsScreen)
    window.tabs.setCurrentWidget(vendors)
    shot(window, "vendors_empty")
    names = iter((*VENDORS, *EVALUATORS))
    QInputDialog.getText = staticmethod(lambda *_a, **_k: (next(names), True))  # type: ignore[method-assign]
    for _ in VENDORS:
        vendors.add_vendor()
    for _ in EVALUATORS:
        vendors.add_evaluator()
    shot(window, "vendors_and_committee")

    scoring = window.screen_of(ScoringScreen)
    window.tabs.setCurrentWidget(scoring)
    shot(window, "scoring_before_picking")
    for i, name in enumerate(EVALUATORS):
        def declare(dialog: Any, first: bool = i == 0) -> None:
            if first:
                shot(dialog, "declaration_when_picked")
            QTest.keyClicks(dialog.statement, "No financial or personal interest in any vendor")
            dialog.accept()

        answer(declare)
        scoring.evaluator.setCurrentIndex(i)
        scoring.evaluator.activated.emit(i)
        for column, digits in enumerate(("4352453", "33444", "52345") if i == 0 else ("2555123",)):
            type_scores(scoring, 1 if column == 0 else 2, column, digits)
        shot(window, f"scoring_{name.split()[-1].lower()}")

    window.tabs.setCurrentWidget(window.screen_of(CommitteeScreen))
    shot(window, "committee")
    results = window.screen_of(ResultsScreen)
    window.tabs.setCurrentWidget(results)
    shot(window, "results_blocked_by_missing_scores")

    def renormalise(dialog: Any) -> None:
        shot(dialog, "settings_opened_from_results")
        dialog.missing_policy.setCurrentIndex(dialog.missing_policy.findData("renormalise"))
        dialog.accept()

    answer(renormalise)
    results.policy_button.click()
    shot(window, "results_renormalised")

    report = tmp / "report.pdf"
    QFileDialog.getSaveFileName = staticmethod(lambda *_a, **_k: (str(report), ""))  # type: ignore[method-assign]
    window.export_pdf_action.trigger()
    shot(window, "pdf_report_written")
    print(f"PDF report: {report.stat().st_size:,} bytes" if report.exists() else "no PDF report written")
    window.close()
    db.dispose()


if __name__ == "__main__":
    sys.exit(main())
