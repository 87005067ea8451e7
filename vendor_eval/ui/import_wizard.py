"""Import completed questionnaires: choose files (or a folder, or drop them), validate each file
(dry run, with its cell-level errors), then commit only the valid files. Work runs off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from vendor_eval.errors import UserError
from vendor_eval.services import questionnaires
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.session import EvaluationSession
from vendor_eval.ui.tasks import Task, run_task
from vendor_eval.ui.widgets import fit_columns, is_cancel, table_view
from vendor_eval.ui.wording import counted


class FilesModel(RowsModel[Path]):
    columns = (
        Column("File", lambda p: p.name, tooltip=lambda p: str(p)),
        Column("Folder", lambda p: str(p.parent)),
    )


class ResultsModel(RowsModel[Any]):
    """Rows are services.questionnaires.ImportResult."""

    columns = (
        Column("File", lambda r: r.file_name),
        Column("Check", lambda r: "valid" if r.ok else counted("%n problem(s)", len(r.errors))),
        Column("Vendor", lambda r: r.vendor + (" (new)" if r.vendor_created else "")),
        Column("What it holds", lambda r: r.summary(), tooltip=lambda r: r.summary()),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        from PySide6.QtGui import QBrush, QColor

        if column == 1 and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#2e7d32") if row.ok else QColor("#c62828"))
        return None


def xlsx_in(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the .xlsx files in them (Excel's lock files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.glob("*.xlsx") if not x.name.startswith("~$"))
        elif p.suffix.lower() == ".xlsx":
            out.append(p)
    return out


class FilesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle("Choose the completed questionnaires")
        self.setSubTitle("Add .xlsx files or a folder of them, or drop them here. Nothing is imported yet.")
        self.model = FilesModel(self)
        self.view = table_view(self.model)
        add_files = QPushButton("Add files…")
        add_files.clicked.connect(self.add_files)
        add_folder = QPushButton("Add folder…")
        add_folder.clicked.connect(self.add_folder)
        clear = QPushButton("Clear")
        clear.clicked.connect(lambda: self.set_files([]))
        row = QHBoxLayout()
        for b in (add_files, add_folder, clear):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view)
        self.setAcceptDrops(True)

    def files(self) -> list[Path]:
        return self.model.rows()

    def set_files(self, paths: list[Path]) -> None:
        self.model.set_rows(list(dict.fromkeys(paths)))
        fit_columns(self.view)
        self.completeChanged.emit()

    def add(self, paths: list[Path]) -> None:
        self.set_files(self.files() + xlsx_in(paths))

    def add_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Completed questionnaires", "", "Excel workbooks (*.xlsx)")
        self.add([Path(n) for n in names])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of completed questionnaires")
        if folder:
            self.add([Path(folder)])

    def isComplete(self) -> bool:
        return bool(self.files())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()


class RunPage(QWizardPage):
    """Runs the service off the UI thread with a progress bar and Cancel; shows per-file results."""

    def __init__(self, wizard: ImportWizard, dry_run: bool) -> None:
        super().__init__()
        self.wiz, self.dry_run = wizard, dry_run
        self.setTitle("Check each file" if dry_run else "Import")
        self.setSubTitle("Each file is validated on its own; only valid files will be imported." if dry_run
                         else "Valid files are imported, each in its own transaction.")
        self.bar = QProgressBar()
        self.status = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.model = ResultsModel(self)
        self.view = table_view(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_details(cur.row()))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select a file to see its problems, cell by cell.")
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.details, 1)
        self.task: Task | None = None
        self.results: list[Any] = []
        self.finished = False

    def initializePage(self) -> None:
        self.finished = False
        self.results = []
        self.model.set_rows([])
        self.details.clear()
        paths = self.wiz.files_page.files() if self.dry_run else [
            Path(p) for p in self.wiz.valid_paths()]
        session, dry = self.wiz.session, self.dry_run
        self.bar.setRange(0, max(len(paths), 1))
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText("Checking…" if dry else "Importing…")

        def work(progress: Any) -> Any:
            return questionnaires.import_questionnaires(session.db, session.evaluation_id, paths, session.actor,
                                                        dry_run=dry, progress=progress)

        self.task = run_task(work, self._done, self._failed, self._progress)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if name:
            self.status.setText(f"{'Checking' if self.dry_run else 'Importing'} {name} ({done + 1} of {total})")

    def _done(self, results: list[Any]) -> None:
        self.results = results
        self.finished = True
        self.cancel_button.setEnabled(False)
        self.model.set_rows(results)
        fit_columns(self.view)
        good = sum(1 for r in results if r.ok)
        if self.dry_run:
            self.status.setText(f"{good} of {counted('%n file(s)', len(results))} valid." +
                                (" Press Import to import the valid ones." if good else " Nothing can be imported."))
        else:
            self.status.setText(f"Imported {counted('%n file(s)', good)}. Suggested scores now show in the Scoring grid.")
            self.wiz.imported = good
        for i, r in enumerate(results):
            if not r.ok:
                self.view.selectRow(i)
                break
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.finished = True
        self.cancel_button.setEnabled(False)
        if is_cancel(exc):
            self.status.setText("Cancelled: nothing was imported from the files not yet processed.")
        elif isinstance(exc, UserError):
            self.status.setText(str(exc))
        else:
            raise exc
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.status.setText("Cancelling…")
            self.task.cancel()

    def show_details(self, row: int) -> None:
        if not 0 <= row < len(self.results):
            return
        r = self.results[row]
        lines = [r.summary(), ""] + [f"✗ {e}" for e in r.errors] + [f"! {w}" for w in r.warnings]
        self.details.setPlainText("\n".join(lines))

    def isComplete(self) -> bool:
        if not self.finished:
            return False
        return any(r.ok for r in self.results) if self.dry_run else True


class ImportWizard(QWizard):
    def __init__(self, parent: QWidget | None, session: EvaluationSession, files: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.imported = 0
        self.setWindowTitle("Import questionnaires")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.files_page = FilesPage(self)
        self.check_page = RunPage(self, dry_run=True)
        self.import_page = RunPage(self, dry_run=False)
        self.addPage(self.files_page)
        self.addPage(self.check_page)
        self.addPage(self.import_page)
        self.setButtonText(QWizard.WizardButton.NextButton, "Next")
        self.currentIdChanged.connect(self._relabel)
        if files:
            self.files_page.add(files)
        self.resize(860, 560)

    def _relabel(self, page_id: int) -> None:
        # On the check page "Next" imports: say so.
        label = "Import valid files" if self.page(page_id) is self.check_page else "Next"
        self.setButtonText(QWizard.WizardButton.NextButton, label)

    def valid_paths(self) -> list[str]:
        by_name = {p.name: p for p in self.files_page.files()}
        files = self.files_page.files()
        out = []
        for i, r in enumerate(self.check_page.results):
            if r.ok:
                out.append(str(files[i] if i < len(files) else by_name[r.file_name]))
        return out

    def reject(self) -> None:
        for page in (self.check_page, self.import_page):
            page.cancel()
        super().reject()


