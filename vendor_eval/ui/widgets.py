"""Small shared widgets: empty-state guidance, error display, task progress with Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
    """Columns as wide as their content, but none so wide that the others scroll out of sight.
    Measured on the rows on show (all of them while the view is hidden): a refresh after every
    weight change does not measure 60 vendors' rows again."""
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(0)
    view.resizeColumnsToContents()
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


class GroupHeader(QHeaderView):
    """A grid's criterion column (the vertical header: it stays put when the vendors scroll) with
    a heading band above the first criterion of each group."""

    def __init__(self, view: QTableView, band: int) -> None:
        super().__init__(Qt.Orientation.Vertical, view)
        self.view = view
        self.band = band
        self.row_height = band
        self.headings: dict[int, str] = {}
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def update_headings(self) -> None:
        """A heading above the first shown criterion of each group (call after hiding rows)."""
        model: Any = self.view.model()  # a grid model: ScoringModel or ConsensusModel
        view = self.view
        self.headings = {}
        previous: str | None = None
        for row in range(model.rowCount()):
            if view.isRowHidden(row):
                continue
            group = model.group_name(row)
            if group != previous:
                self.headings[row] = group
            previous = group
        for row in range(model.rowCount()):
            size = self.row_height * 2 if row in self.headings else self.row_height
            if self.sectionSize(row) != size and not view.isRowHidden(row):
                self.resizeSection(row, size)
        self.updateGeometry()
        self.viewport().update()

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        heading = self.headings.get(section)
        if heading is None:
            super().paintSection(painter, rect, section)
            return
        top = QRect(rect.left(), rect.top(), rect.width(), self.band)
        painter.save()
        paint_band(painter, top, self.palette())
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        text = QFontMetrics(font).elidedText(heading, Qt.TextElideMode.ElideRight, rect.width() - 10)
        painter.drawText(top.adjusted(6, 0, -4, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         text)
        painter.restore()
        painter.save()
        super().paintSection(painter, rect.adjusted(0, self.band, 0, 0), section)
        painter.restore()

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        font = QFont(self.font())
        font.setBold(True)
        widest = max((QFontMetrics(font).horizontalAdvance(h) + 16 for h in self.headings.values()), default=0)
        hint.setWidth(min(max(hint.width(), widest), 340))
        return hint


def paint_band(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    painter.fillRect(rect, palette.color(QPalette.ColorRole.Mid).lighter(135))


class BandDelegate(QStyledItemDelegate):
    """Draws a row's cells below its group heading band, and the band across them."""

    def __init__(self, header: GroupHeader) -> None:
        super().__init__(header)
        self.header = header

    def _shifted(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        return index.row() in self.header.headings

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if not self._shifted(option, index):
            super().paint(painter, option, index)
            return
        band = self.header.band
        rect = QRect(option.rect)
        paint_band(painter, QRect(rect.left(), rect.top(), rect.width() + 1, band), option.palette)
        shifted = QStyleOptionViewItem(option)
        shifted.rect = rect.adjusted(0, band, 0, 0)
        super().paint(painter, shifted, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        super().updateEditorGeometry(editor, option, index)
        if self._shifted(option, index):
            editor.setGeometry(editor.geometry().adjusted(0, self.header.band, 0, 0))


def dress_grid(view: QTableView, model: Any) -> QCheckBox:
    """The scoring and committee grids: group heading bands over a criterion column that never
    scrolls away, and a "Fit all vendors" switch that squeezes every vendor column into view
    (headers then show each vendor's first word; full names stay in the header tooltips).
    The model gives ``group_name(row)`` and has a ``compact_headers`` switch. Returns the switch,
    for the screen's tool row."""
    row_height = view.fontMetrics().height() + 10
    header = GroupHeader(view, row_height)
    header.setDefaultSectionSize(row_height)
    header.setMaximumWidth(250)  # criterion names elide (full text in the tooltip) so vendors keep the room
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setVerticalHeader(header)
    view.setItemDelegate(BandDelegate(header))

    model.modelReset.connect(header.update_headings)
    header.update_headings()
    fit = QCheckBox("Fit all vendors")
    fit.setToolTip("Squeeze every vendor column into the window; hover a header for the full name.")

    def toggle(on: bool) -> None:
        columns = view.horizontalHeader()
        model.set_compact_headers(on)
        columns.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Costave…", never cut at both ends
        header.setMaximumWidth(190 if on else 250)  # criterion names give up some room too
        columns.setMinimumSectionSize(44 if on else 40)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Stretch if on else QHeaderView.ResizeMode.Interactive)

    fit.toggled.connect(toggle)
    return fit
