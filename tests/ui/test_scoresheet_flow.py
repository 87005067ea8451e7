"""File > Export > Evaluator scoresheets writes one workbook per chosen evaluator; a returned,
filled-in sheet dropped on the window goes through the import wizard into that evaluator's scores."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from tests.io.scoresheet_filling import build_committee, criterion_rows, fill
from tests.ui.helpers import drive_modal, open_eval
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.import_wizard import ImportWizard
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.scoresheet_dialog import ScoresheetDialog


def test_issue_scoresheets_then_drop_one_back(qtbot, window: MainWindow, db: Database, tmp_path: Path) -> None:
    eid = build_committee(db)
    open_eval(window, eid)
    seen: dict[str, object] = {}

    def issue(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoresheetDialog)
        dialog.evaluators.item(1).setCheckState(Qt.CheckState.Unchecked)  # not Tom Lind
        dialog.folder.setText(str(tmp_path))
        dialog.grab().save(str(tmp_path / "dialog.png"))
        dialog.write_button.click()
        seen["status"] = dialog.status.text()
        seen["written"] = list(dialog.written)
        dialog.accept()

    action = next(a for a in window.findChildren(type(window.import_action))
                  if a.text() == "Evaluator &scoresheets…")
    errors = drive_modal(ScoresheetDialog, issue)
    action.trigger()
    assert not errors, errors
    written = seen["written"]
    assert [p.name for p in written] == ["Scoresheet - Scoresheet RFP - Dr Ada Osei.xlsx",  # type: ignore[attr-defined]
                                         "Scoresheet - Scoresheet RFP - Mia Ferraz.xlsx"]
    assert "Wrote 2 scoresheet(s)" in str(seen["status"])

    snap = load_snapshot(db, eid)
    key = next(c.key for c in snap.criteria if c.scale_max == 5 and not c.is_cost)
    ws = openpyxl.load_workbook(written[0])["Scores"]  # type: ignore[index]
    assert key in criterion_rows(ws)
    back = fill(written[0], tmp_path / "returned.xlsx", {(key, "Bluefin Imaging"): 4},  # type: ignore[index]
                {(key, "Bluefin Imaging"): "strong references"}, name="Dr Ada Osei", submit="yes")

    def import_it(wizard: QDialog) -> None:
        assert isinstance(wizard, ImportWizard)
        wizard.next()  # check
        seen["check"] = [r.ok for r in wizard.check_page.results]
        seen["kind"] = wizard.check_page.model.rows()[0].vendor
        wizard.next()  # import
        seen["imported"] = wizard.import_page.status.text()
        wizard.accept()

    errors = drive_modal(ImportWizard, import_it)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(back))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: "imported" in seen, timeout=10_000)
    QApplication.processEvents()
    assert not errors, errors
    assert seen["check"] == [True] and seen["kind"] == "scoresheet of Dr Ada Osei"
    after = load_snapshot(db, eid)
    ada = next(e for e in after.evaluators if e.name == "Dr Ada Osei")
    assert [(x.value, x.comment) for x in after.scores if x.evaluator_id == ada.id] == [(4.0, "strong references")]
    assert ada.submitted_at is not None
