"""Take screenshots of every screen and dialog of the real app, with the demo evaluation.

    python docs/screenshots.py [--out docs/screenshots] [--sizes 1024x700,1600x1000]

Each size goes to its own folder (docs/screenshots/1024x700/...). Runs offscreen by default
(set QT_QPA_PLATFORM=xcb under Xvfb to use a real X server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--sizes", default="1024x700,1600x1000", help="window sizes, e.g. 1024x700,1600x1000")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_shots_"))
    os.environ["VENDOR_EVAL_DATA_DIR"] = str(tmp)

    from vendor_eval.app import make_application
    from vendor_eval.ui import tasks

    app = make_application([sys.argv[0]])
    tasks.set_inline(True)
    try:
        for size in args.sizes.split(","):
            width, height = (int(x) for x in size.split("x"))
            shoot(app, tmp / size, args.out / size, width, height)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def shoot(app: Any, tmp: Path, out: Path, width: int, height: int) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QWidget

    from vendor_eval.paths import sample_data_dir
    from vendor_eval.services import lifecycle
    from vendor_eval.services.demo import load_demo
    from vendor_eval.storage import open_database
    from vendor_eval.ui.ahp_dialog import AhpDialog
    from vendor_eval.ui.declaration_dialog import DeclarationDialog
    from vendor_eval.ui.dialogs.costs_dialog import CostsDialog
    from vendor_eval.ui.dialogs.criterion_form import CriterionForm
    from vendor_eval.ui.dialogs.finalise_dialog import FinaliseDialog, ReopenDialog
    from vendor_eval.ui.dialogs.settings_dialog import SettingsDialog
    from vendor_eval.ui.exporting import ExportDone
    from vendor_eval.ui.import_wizard import ImportWizard
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.new_evaluation_dialog import NewEvaluationDialog
    from vendor_eval.ui.screens.committee import CommitteeScreen, ConsensusDialog
    from vendor_eval.ui.screens.criteria import CriteriaScreen
    from vendor_eval.ui.screens.results import ResultsScreen
    from vendor_eval.ui.screens.scoring import ScoringScreen
    from vendor_eval.ui.settings import Settings
    from vendor_eval.ui.tasks import Task
    from vendor_eval.ui.widgets import TaskDialog

    tmp.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    db = open_database(tmp / "demo.db")
    eid = load_demo(db)
    window = MainWindow(db, Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(width, height)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
            # Charts delete replaced axes later; outside app.exec() only this runs those deletions.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    def dialog_shot(dialog: QWidget, name: str) -> None:
        """A dialog no larger than the window it belongs to, shown non-modally for the picture (at the
        size exec() would give it: wrapped labels at their height for the width)."""
        if not dialog.testAttribute(Qt.WidgetAttribute.WA_Resized):  # as show() does for a dialog not sized
            dialog.adjustSize()
        dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 40))
        dialog.show()
        shot(dialog, name)
        dialog.close()

    shot(window, "00_welcome")
    window.open_evaluation(eid)
    assert window.session is not None
    session = window.session
    criteria = window.screen_of(CriteriaScreen)
    scoring = window.screen_of(ScoringScreen)
    committee = window.screen_of(CommitteeScreen)
    results = window.screen_of(ResultsScreen)
    for i, screen in enumerate(window.screens):
        window.tabs.setCurrentIndex(i)
        settle()
        if screen is criteria:  # show a criterion's editor, not an empty form
            criteria.tree.setCurrentIndex(criteria.model.index(0, 0, criteria.model.index(0, 0)))
        if screen is scoring:
            scoring.view.setCurrentIndex(scoring.model.index(1, 2))
        shot(window, f"{i + 1:02d}_{screen.title.lower().replace(' & ', '_').replace(' ', '_')}")

    # Screens in their other states.
    window.tabs.setCurrentWidget(scoring)
    scoring.fit.setChecked(True)
    shot(window, "11_scoring_fit_all_vendors")
    scoring.fit.setChecked(False)
    window.tabs.setCurrentWidget(committee)
    committee.filter.setCurrentIndex(1)
    committee.filter.activated.emit(1)
    committee.next_open_cell()
    shot(window, "12_committee_open_cells")
    window.tabs.setCurrentWidget(results)
    if results.charts.currentWidget() is results.chart_tabs:
        results.chart_tabs.setCurrentWidget(results.radar_view)
        shot(window, "13_results_radar_tab")
        results.chart_tabs.setCurrentWidget(results.bar_view)
    results.method.setCurrentIndex(results.method.findData("topsis"))
    results.method.activated.emit(results.method.currentIndex())
    shot(window, "14_results_topsis")
    results.method.setCurrentIndex(results.method.findData("weighted"))
    results.method.activated.emit(results.method.currentIndex())

    # Dialogs.
    snap = session.snapshot
    ahp = AhpDialog(window, "AHP: criteria groups", [g.name for g in snap.groups], [g.weight for g in snap.groups])
    dialog_shot(ahp, "20_ahp_dialog")
    ahp = AhpDialog(window, "AHP: criteria groups", [g.name for g in snap.groups][:5])
    for (i, j), v in {(0, 1): 5, (0, 2): 3, (1, 2): 1 / 3, (2, 3): 7, (0, 3): 1 / 5}.items():
        ahp.model.set_judgement(i, j, v)
    dialog_shot(ahp, "20_ahp_dialog_inconsistent")
    window.tabs.setCurrentWidget(committee)
    index = committee.view.currentIndex()
    vendor, crit = committee.model.vendors[index.column()], committee.model.criteria[index.row()]
    consensus = ConsensusDialog(window, f"{vendor.name} – {crit.name}", committee.model.individual(index),
                                crit.scale_min, crit.scale_max, 3, "")
    dialog_shot(consensus, "23_consensus_dialog")
    dialog_shot(NewEvaluationDialog(window), "24_new_evaluation")
    dialog_shot(DeclarationDialog(window, snap, snap.evaluators[0].id), "25_declaration")
    done = ExportDone(window, "PDF report", Path.home() / "Documents" / "Teleradiology and AI reading services.pdf")
    dialog_shot(done, "26_export_done")
    task = Task(lambda _progress: None)  # never run: the dialog only needs its signals
    progress = TaskDialog(window, "Exporting the PDF report", task)
    progress._progress(420, 1000, "Drawing the ranking charts")
    task.done = True  # so closing the picture's dialog does not ask the task to cancel
    dialog_shot(progress, "27_progress")
    # The RFP steps edited in dialogs: a knock-out criterion with a rule and descriptors, the settings,
    # cost lines and scenarios (the demo's), finalise with its checks, reopen with its reason.
    knockout = next(c for c in snap.criteria if c.knockout and c.scoring_rule)
    for tab, name in enumerate(("28_criterion_form", "28_criterion_form_scale", "28_criterion_form_rule")):
        form = CriterionForm(window, snap, knockout)
        form.tabs.setCurrentIndex(tab)
        dialog_shot(form, name)
    dialog_shot(CriterionForm(window, snap, None, snap.groups[-1].id), "28_criterion_form_new")
    dialog_shot(SettingsDialog(window, snap.evaluation), "29_settings")
    dialog_shot(CostsDialog(window, session), "30_cost_lines_and_scenarios")
    dialog_shot(FinaliseDialog(window, snap.evaluation.name, lifecycle.finalise_checks(snap)), "31_finalise")
    reopen = ReopenDialog(window, snap.evaluation.name, "on 2026-05-12 16:40 UTC by Procurement officer")
    dialog_shot(reopen, "32_reopen")
    files = sorted((sample_data_dir() / "questionnaires").glob("*.xlsx"))[:3]
    wizard = ImportWizard(window, session, files)
    wizard.show()
    shot(wizard, "21_import_files")
    wizard.next()
    shot(wizard, "22_import_check")
    wizard.reject()
    QTimer.singleShot(0, window.close)
    window.close()
    db.dispose()


if __name__ == "__main__":
    sys.exit(main())
