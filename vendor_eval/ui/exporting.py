"""Export dialogs: the questionnaire workbook for vendors, and the PDF / Excel committee reports.

Each asks for a file name, then runs the service off the UI thread with progress and Cancel, and
confirms where the file went with buttons to open it or its folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from vendor_eval.errors import UserError
from vendor_eval.services import questionnaires
from vendor_eval.ui.process_runner import run_process_task
from vendor_eval.ui.session import EvaluationSession
from vendor_eval.ui.tasks import run_task
from vendor_eval.ui.widgets import TaskDialog, is_cancel, show_error
from vendor_eval.vocabulary import REPORT_FORMATS


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in text).strip() or "evaluation"


def _ask_path(parent: QWidget | None, title: str, suggested: str, filter_: str, suffix: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)


def write_report(progress: Any, db_target: str, evaluation_id: int, fmt: str, path: str,
                 choices: tuple[str, str | None, str | None] = ("weighted", None, None)) -> str:
    """Runs in a child process (report rendering holds the GIL too long for a thread): its own
    database connection, the service's (fraction, message) progress turned into thousandths.
    choices: the Results screen's method, aggregation and tariff scenario, so the report ranks as shown."""
    from vendor_eval.services import reports

    return str(reports.export_report_from(db_target, evaluation_id, fmt, path,
                                          progress=lambda f, m: progress(int(f * 1000), 1000, m),
                                          method=choices[0], aggregation=choices[1], scenario=choices[2]))


def _run(parent: QWidget | None, title: str, work: Callable[..., Any], args: tuple[Any, ...],
         on_done: Callable[[Any], None], in_process: bool = False) -> None:
    def failed(exc: BaseException) -> None:
        if is_cancel(exc):
            return
        if isinstance(exc, UserError):
            show_error(parent, str(exc), f"{title} failed")
            return
        raise exc

    if in_process:
        task = run_process_task(work, args, on_done, failed)
    else:
        task = run_task(lambda progress: work(progress, *args), on_done, failed)
    if not task.done:  # inline (tests) finishes before a dialog could be shown
        TaskDialog(parent, title, task).exec()


class ExportDone(QMessageBox):
    """"Written to <path>", with Open and Show folder. Not modal: the user carries on working."""

    def __init__(self, parent: QWidget | None, what: str, path: Path) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(f"{what} exported")
        self.setIcon(QMessageBox.Icon.Information)
        self.setText(f"{what} written to:")
        self.setInformativeText(str(path))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        self.open_button = self._button("Open", self.open_file)
        self.folder_button = self._button("Show folder", self.open_folder)
        self.addButton(QMessageBox.StandardButton.Close)
        self.setModal(False)

    def _button(self, text: str, action: Callable[[], bool]) -> QPushButton:
        button = self.addButton(text, QMessageBox.ButtonRole.ActionRole)
        button.clicked.connect(action)  # then the box closes, as after any of its buttons
        return button

    def open_file(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def open_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))


def confirm_export(parent: QWidget | None, what: str, path: Path, notify: Callable[[str], None]) -> None:
    """The status bar line, and the box with Open / Show folder (its parent keeps it alive)."""
    notify(f"{what} written to {path}")
    ExportDone(parent, what, path).show()


def export_report(parent: QWidget | None, session: EvaluationSession, fmt: str,
                  notify: Callable[[str], None], path: Path | None = None) -> None:
    title, suffix = REPORT_FORMATS[fmt], f".{fmt}"
    filter_ = f"{title} (*{suffix})"
    path = path or _ask_path(parent, f"Export {title}", _safe_name(session.snapshot.evaluation.name) + suffix,
                             filter_, suffix)
    if path is None:
        return
    choices = (session.method, session.aggregation or None, session.tariff_scenario)
    _run(parent, f"Exporting the {title}", write_report,
         (session.db.target, session.evaluation_id, fmt, str(path), choices),
         lambda _r: confirm_export(parent, title, path, notify), in_process=True)


def export_questionnaire(parent: QWidget | None, session: EvaluationSession, notify: Callable[[str], None],
                         vendor_id: int | None = None) -> None:
    path = _ask_path(parent, "Questionnaire for vendors",
                     _safe_name(session.snapshot.evaluation.name) + " questionnaire.xlsx",
                     "Excel workbooks (*.xlsx)", ".xlsx")
    if path is None:
        return

    def work(progress: Any) -> Any:
        progress(0, 1, "Writing the questionnaire workbook")
        return questionnaires.generate_questionnaire(session.db, session.evaluation_id, path, vendor=vendor_id)

    _run(parent, "Writing the questionnaire", work, (), lambda _r: confirm_export(parent, "Questionnaire", path, notify))
