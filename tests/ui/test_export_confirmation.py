"""After an export the window says where the file went and offers to open it or its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.helpers import open_eval
from vendor_eval.ui.exporting import ExportDone
from vendor_eval.ui.main_window import MainWindow


def _confirmation() -> ExportDone:
    [box] = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDone) and w.isVisible()]
    return box


def test_questionnaire_export_confirms_with_the_path_and_opens_it(monkeypatch, window: MainWindow, scored_eval: int,
                                                                  tmp_path: Path) -> None:
    target = tmp_path / "for vendors"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel workbooks (*.xlsx)"))
    opened: list[QUrl] = []
    # The desktop's file opener is the one thing not run here: record what would be opened.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    open_eval(window, scored_eval)
    window.export_q_action.trigger()
    written = target.with_suffix(".xlsx")
    assert written.read_bytes()[:2] == b"PK"
    box = _confirmation()
    assert box.informativeText() == str(written) and box.windowTitle() == "Questionnaire exported"
    assert not box.isModal()
    box.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(written)]
    assert not box.isVisible()


def test_pdf_export_confirmation_shows_the_folder(monkeypatch, window: MainWindow, scored_eval: int,
                                                  tmp_path: Path) -> None:
    target = tmp_path / "committee report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF documents (*.pdf)"))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    open_eval(window, scored_eval)
    window.export_pdf_action.trigger()
    box = _confirmation()
    assert box.informativeText() == str(target) and target.read_bytes()[:5] == b"%PDF-"
    box.folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path)]
