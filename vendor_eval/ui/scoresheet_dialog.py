"""File > Export > Evaluator scoresheets: pick the evaluators and a folder, write one workbook each.

Returned sheets are read back by the import wizard (File > Import, or dropped on the window),
which recognises a scoresheet by what it holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.services import scoresheets
from vendor_eval.ui.session import EvaluationSession
from vendor_eval.ui.tasks import run_task
from vendor_eval.ui.widgets import guidance, show_error


class ScoresheetDialog(QDialog):
    def __init__(self, parent: QWidget | None, session: EvaluationSession, notify: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.session, self.notify = session, notify
        self.written: list[Path] = []
        self.setWindowTitle("Evaluator scoresheets")
        snap = session.snapshot
        self.evaluators = QListWidget()
        for e in snap.evaluators:
            envelope = f", {e.envelope} envelope" if snap.evaluation.two_envelope and e.envelope != "all" else ""
            item = QListWidgetItem(f"{e.name}{' (' + e.role + envelope + ')' if e.role else envelope}")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.evaluators.addItem(item)
        self.folder = QLineEdit(str(Path.home()))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = self.buttons.addButton("Write scoresheets", QDialogButtonBox.ButtonRole.ActionRole)
        self.write_button.clicked.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(guidance(
            "One workbook per evaluator who scores in Excel or LibreOffice: their declaration, the criteria with "
            "guidance and anchors, their own earlier scores only (blind). Send each file to its evaluator; import "
            "the returned file with File > Import."))
        layout.addWidget(QLabel("Evaluators"))
        layout.addWidget(self.evaluators, 1)
        layout.addWidget(QLabel("Folder"))
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.evaluators.itemChanged.connect(lambda _item: self._enable())
        self._enable()
        self.resize(560, 420)

    def chosen(self) -> list[int]:
        items = (self.evaluators.item(i) for i in range(self.evaluators.count()))
        return [int(x.data(Qt.ItemDataRole.UserRole)) for x in items if x.checkState() == Qt.CheckState.Checked]

    def _enable(self) -> None:
        self.write_button.setEnabled(bool(self.chosen()) and not self.session.read_only)
        if self.session.read_only:
            self.status.setText("The evaluation is finalised (read-only): scoresheets can no longer be issued.")

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the scoresheets", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def write(self) -> None:
        folder, chosen, session = Path(self.folder.text().strip()), self.chosen(), self.session
        self.write_button.setEnabled(False)
        self.status.setText("Writing…")

        def work(progress: Any) -> list[Path]:
            progress(0, 1, "Writing the scoresheets")
            return scoresheets.issue_scoresheets(session.db, session.evaluation_id, folder, session.actor, chosen)

        run_task(work, self._done, self._failed)

    def _done(self, paths: list[Path]) -> None:
        self.written = paths
        folder = paths[0].parent if paths else Path(self.folder.text())
        self.status.setText(f"Wrote {len(paths)} scoresheet(s) to {folder}:\n" + "\n".join(p.name for p in paths))
        self.notify(f"Wrote {len(paths)} scoresheet(s) to {folder}")
        self._enable()

    def _failed(self, exc: BaseException) -> None:
        self._enable()
        self.status.setText("")
        if isinstance(exc, UserError):
            show_error(self, str(exc), "Scoresheets not written")
            return
        raise exc


def open_scoresheet_dialog(parent: QWidget, session: EvaluationSession | None, notify: Callable[[str], None]) -> None:
    if session is None:
        notify("Open an evaluation first, then write its evaluators' scoresheets.")
        return
    ScoresheetDialog(parent, session, notify).exec()
