"""Small shared widgets: empty-state guidance, error display, task progress with Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.ui.tasks import Cancelled, Task


def guidance(text: str) -> QLabel:
    """Empty-state text: tells the user what to do next instead of showing a blank area."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("guidance")
    label.setStyleSheet("QLabel#guidance { color: palette(placeholder-text); font-size: 11pt; padding: 24px; }")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def show_error(parent: QWidget | None, message: str, title: str = "Not done") -> None:
    """A UserError's sentence in a dialog: never a traceback."""
    QMessageBox.warning(parent, title, message)


def table_view(model: Any, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view


def fit_columns(view: QTableView, cap: int = 340) -> None:
    """Columns as wide as their content, but none so wide that the others scroll out of sight."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for col in range(header.count()):
        if header.sectionSize(col) > cap:
            header.resizeSection(col, cap)


class TaskDialog(QDialog):
    """Progress bar and Cancel for one background task; the window stays responsive behind it."""

    def __init__(self, parent: QWidget | None, title: str, task: Task) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.task = task
        self.label = QLabel("Starting…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("Cancel")
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.setMinimumWidth(420)
        task.progressed.connect(self._progress)
        task.finished.connect(lambda _r: self.accept())
        task.failed.connect(lambda _e: self.reject())

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if text:
            self.label.setText(text)

    def _cancel(self) -> None:
        self.label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)
        self.task.cancel()

    def reject(self) -> None:
        if not self.task.done:
            self._cancel()  # Esc or close: ask the task to stop; it reports back and closes us
            return
        super().reject()


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)


def fit_header_to_names(view: QTableView, minimum: int = 72, maximum: int = 190) -> None:
    """Keep a grid's column width wide enough for its (two-line) vendor headers: measured with
    the header's font on every reset, so long names are not clipped at either end."""
    def fit() -> None:
        model, header = view.model(), view.horizontalHeader()
        if model is None:
            return
        font = header.font()
        font.setBold(True)  # the current vendor's header is drawn bold
        metrics = QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(line) for col in range(model.columnCount())
                      for line in str(model.headerData(col, Qt.Orientation.Horizontal) or "").splitlines()),
                     default=0)
        header.setDefaultSectionSize(max(minimum, min(maximum, widest + 24)))

    view.model().modelReset.connect(fit)
    view.model().headerDataChanged.connect(lambda *_: fit())
    fit()
