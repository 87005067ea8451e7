"""Take screenshots of every main screen of the real app, with the demo evaluation.

    python docs/screenshots.py [--out docs/screenshots] [--size 1366x768]

Runs offscreen by default (set QT_QPA_PLATFORM=xcb under Xvfb to use a real X server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--size", default="1366x768", help="window size, e.g. 1366x768")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="vendor_eval_shots_"))
    os.environ["VENDOR_EVAL_DATA_DIR"] = str(tmp)

    from PySide6.QtCore import QSettings, QTimer

    from vendor_eval.app import make_application
    from vendor_eval.services.demo import load_demo
    from vendor_eval.storage import open_database
    from vendor_eval.ui import tasks
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.screens.criteria import CriteriaScreen
    from vendor_eval.ui.screens.scoring import ScoringScreen
    from vendor_eval.ui.settings import Settings

    app = make_application([sys.argv[0]])
    tasks.set_inline(True)
    width, height = (int(x) for x in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    db = open_database(tmp / "demo.db")
    eid = load_demo(db)
    window = MainWindow(db, Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(width, height)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shot(widget: object, name: str) -> None:
        settle()
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print(path)

    shot(window, "00_welcome")
    window.open_evaluation(eid)
    criteria = window.screen_of(CriteriaScreen)
    scoring = window.screen_of(ScoringScreen)
    for i, screen in enumerate(window.screens):
        window.tabs.setCurrentIndex(i)
        settle()
        if screen is criteria:  # show a criterion's editor, not an empty form
            tree = criteria.tree
            tree.setCurrentIndex(criteria.model.index(0, 0, criteria.model.index(0, 0)))
        if screen is scoring:
            scoring.view.setCurrentIndex(scoring.model.index(1, 2))
        shot(window, f"{i + 1:02d}_{screen.title.lower().replace(' & ', '_').replace(' ', '_')}")

    # Dialogs: shown non-modally for the picture, then closed.
    from vendor_eval.paths import sample_data_dir
    from vendor_eval.ui.ahp_dialog import AhpDialog
    from vendor_eval.ui.import_wizard import ImportWizard

    assert window.session is not None
    groups = [g.name for g in window.session.snapshot.groups][:5]
    ahp = AhpDialog(window, "AHP: criteria groups", groups)
    ahp.model.setData(ahp.model.index(0, 1), "3")
    ahp.model.setData(ahp.model.index(0, 2), "5")
    ahp.model.setData(ahp.model.index(1, 2), "2")
    ahp.show()
    shot(ahp, "20_ahp_dialog")
    ahp.close()
    files = sorted((sample_data_dir() / "questionnaires").glob("*.xlsx"))[:3]
    wizard = ImportWizard(window, window.session, files)
    wizard.show()
    shot(wizard, "21_import_files")
    wizard.next()
    shot(wizard, "22_import_check")
    wizard.reject()
    QTimer.singleShot(0, window.close)
    window.close()
    db.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
