"""Bring your spreadsheet: create an evaluation from the scoring matrix a buyer already has.

The dialog shows the sheet with what detection found coloured in (criteria, weights, groups,
vendors, evaluators), lets the user correct it by picking a row or column or changing a
setting, shows the ranking the file gives, and imports all or nothing. Corrections are
io.matrix Overrides; saved as a JSON mapping they read the next file of the same shape
(the CLI takes the same file with --mapping).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.io.matrix.detect import Overrides
from vendor_eval.io.matrix.sheets import Sheet
from vendor_eval.services import matrix_import
from vendor_eval.storage import Database
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.tasks import run_task
from vendor_eval.ui.widgets import fit_columns, show_error, table_view
from vendor_eval.vocabulary import ORIENTATIONS

Index = QModelIndex | QPersistentModelIndex
PART_COLOURS = {  # part -> (background, what the legend calls it)
    "heading": ("#c7d7f5", "headings"),
    "criterion": ("#cdebd3", "criteria"),
    "weight": ("#fde2b8", "weights"),
    "group": ("#e3d7f4", "groups"),
    "direction": ("#f6d5dc", "direction"),
    "vendor": ("#a9c8f0", "vendors"),
    "evaluator": ("#fff0a8", "evaluators"),
    "score": ("#eef5fc", "scores"),
}
AUTO = "Detect"


class SheetModel(QAbstractTableModel):
    """One sheet's cells, coloured by the part detection found in each."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: Sheet | None = None
        self.parts: dict[tuple[int, int], str] = {}

    def set_sheet(self, sheet: Sheet | None, parts: dict[tuple[int, int], str]) -> None:
        self.beginResetModel()
        self.sheet, self.parts = sheet, parts
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.sheet is None else self.sheet.rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.sheet is None else self.sheet.cols

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.sheet is None:
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.sheet.value(r, c)
            if (r, c) in self.sheet.formulas:
                return "= formula" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
            return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        part = self.parts.get((r, c))
        if role == Qt.ItemDataRole.BackgroundRole and part:
            return QBrush(QColor(PART_COLOURS[part][0]))
        if role == Qt.ItemDataRole.ToolTipRole and part:
            return PART_COLOURS[part][1]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _letter(section)
        return str(section + 1)


def _letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': the column letters the user sees in Excel."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


class RankingModel(RowsModel[tuple[int, str, float]]):
    columns = (
        Column("Rank", lambda r: r[0], align_right=True),
        Column("Vendor", lambda r: r[1]),
        Column("Score (0-100)", lambda r: r[2], align_right=True, fmt=".2f"),
    )


class MatrixWizard(QDialog):
    """Detect, correct, preview, import. `imported` is the new evaluation's id once imported."""

    def __init__(self, parent: QWidget | None, db: Database, actor: str, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bring your spreadsheet")
        self.db, self.actor = db, actor
        self.path: Path | None = None
        self.sheets: list[Sheet] = []
        self.preview: matrix_import.MatrixPreview | None = None
        self.problem = ""
        self.imported: int | None = None
        self.overrides = Overrides()

        self.file_label = QLabel("No file chosen")
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self.choose_file)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name of the new evaluation")
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.low, 0.0), (self.high, 5.0)):
            box.setRange(-1000, 1000)
            box.setValue(value)
            box.valueChanged.connect(self.detect)
        self.sheet_box = QComboBox()
        self.orientation_box = QComboBox()
        self.orientation_box.addItem(AUTO, None)
        for key, label in ORIENTATIONS.items():
            self.orientation_box.addItem(label, key)
        self.sheet_box.activated.connect(self._settings_changed)
        self.orientation_box.activated.connect(self._settings_changed)
        self.header_button = QPushButton("Headings are in the selected row")
        self.header_button.clicked.connect(self.pick_header)
        self.weights_button = QPushButton("Weights are in the selected column")
        self.weights_button.clicked.connect(self.pick_weights)
        self.equal_button = QPushButton("Weigh all criteria the same")
        self.equal_button.clicked.connect(lambda: self._correct(weights="equal"))
        reset = QPushButton("Back to detected")
        reset.clicked.connect(self.reset)

        top = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(choose)
        top.addRow("File", file_row)
        top.addRow("New evaluation", self.name)
        scale = QHBoxLayout()
        scale.addWidget(self.low)
        scale.addWidget(QLabel("to"))
        scale.addWidget(self.high)
        scale.addStretch(1)
        top.addRow("Scores are from", scale)
        settings = QHBoxLayout()
        settings.addWidget(QLabel("Sheet"))
        settings.addWidget(self.sheet_box)
        settings.addWidget(QLabel("Layout"))
        settings.addWidget(self.orientation_box, 1)
        top.addRow("Read", settings)
        picks = QHBoxLayout()
        for b in (self.header_button, self.weights_button, self.equal_button, reset):
            picks.addWidget(b)
        picks.addStretch(1)
        top.addRow("Correct", picks)

        self.grid = SheetModel(self)
        self.grid_view = table_view(self.grid, stretch_last=False)
        self.grid_view.setSelectionBehavior(self.grid_view.SelectionBehavior.SelectItems)
        legend = QLabel("  ".join(f'<span style="background:{colour}">&nbsp;{name}&nbsp;</span>'
                                  for colour, name in PART_COLOURS.values()))
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(legend)
        lv.addWidget(self.grid_view, 1)

        self.found = QPlainTextEdit()
        self.found.setReadOnly(True)
        self.words = QTableWidget(0, 2)
        self.words.setHorizontalHeaderLabels(["Word in the sheet", "Score"])
        self.words.horizontalHeader().setStretchLastSection(True)
        self.words.itemChanged.connect(self._word_changed)
        self.ranking = RankingModel(self)
        self.ranking_view = table_view(self.ranking, stretch_last=False)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("<b>What was found</b>"))
        rv.addWidget(self.found, 2)
        rv.addWidget(QLabel("<b>Word scores</b> (edit a score to change it)"))
        rv.addWidget(self.words, 1)
        rv.addWidget(QLabel("<b>Ranking this file gives</b> (nothing is written yet)"))
        rv.addWidget(self.ranking_view, 2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save mapping…", QDialogButtonBox.ButtonRole.ActionRole)
        self.load_button = buttons.addButton("Use a saved mapping…", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save_mapping)
        self.load_button.clicked.connect(self.load_mapping)
        self.import_button.clicked.connect(self.do_import)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(1280, 760)
        if path is not None:
            self.set_file(path)
        self._update_buttons()

    # --- the file and the detection ---
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose the scoring spreadsheet", "",
                                              "Spreadsheets (*.xlsx *.xlsm *.csv *.ods);;All files (*)")
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        if not self.name.text():
            self.name.setText(path.stem.replace("_", " "))
        self.overrides = Overrides()
        run_task(lambda _progress: matrix_import.sheets_of(path), self._sheets_read, self._failed)

    def _sheets_read(self, sheets: list[Sheet]) -> None:
        self.sheets = sheets
        self.sheet_box.clear()
        self.sheet_box.addItem(AUTO, None)
        for sheet in sheets:
            self.sheet_box.addItem(sheet.name, sheet.name)
        self.detect()

    def detect(self) -> None:
        if self.path is None:
            return
        path, scale, over = self.path, (self.low.value(), self.high.value()), self.overrides
        run_task(lambda _progress: matrix_import.preview_matrix(path, scale, over), self._detected, self._failed)

    def _detected(self, preview: matrix_import.MatrixPreview) -> None:
        self.preview, self.problem = preview, ""
        d = preview.detection
        self._show_sheet(d.table.sheet.name, d.parts(d.table.sheet.name))
        lines = d.describe() + [f"Problem: {e}" for e in d.errors]
        if preview.missing:
            lines.append(f"{preview.missing} blank score cell(s) count as the scale's minimum in this preview.")
        self.found.setPlainText("\n".join(lines))
        self.words.blockSignals(True)
        self.words.setRowCount(len(d.text_scores))
        for i, (word, value) in enumerate(d.text_scores):
            item = QTableWidgetItem(word)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.words.setItem(i, 0, item)
            self.words.setItem(i, 1, QTableWidgetItem(f"{value:g}"))
        self.words.blockSignals(False)
        self.words.resizeColumnsToContents()
        self.ranking.set_rows([(i, v, s) for i, (v, s) in enumerate(preview.ranking, start=1)])
        fit_columns(self.ranking_view)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            raise exc
        self.preview, self.problem = None, str(exc)
        shown = self.overrides.sheet or (self.sheets[0].name if self.sheets else None)
        self._show_sheet(shown, {})
        self.found.setPlainText(f"Not read yet: {exc}\n\nPick the headings row or the weights, or change the "
                                "layout, above.")
        self.words.setRowCount(0)
        self.ranking.set_rows([])
        self._update_buttons()

    def _show_sheet(self, name: str | None, parts: dict[tuple[int, int], str]) -> None:
        sheet = next((s for s in self.sheets if s.name == name), None)
        self.grid.set_sheet(sheet, parts)
        fit_columns(self.grid_view, cap=220)

    def _update_buttons(self) -> None:
        ok = self.preview is not None and not self.preview.detection.errors
        self.import_button.setEnabled(ok)
        self.save_button.setEnabled(ok)
        transposed = self.preview is not None and self.preview.detection.table.transposed
        self.weights_button.setText(f"Weights are in the selected {'row' if transposed else 'column'}")

    # --- corrections ---
    def _correct(self, **changes: Any) -> None:
        self.overrides = dataclasses.replace(self.overrides, **changes)
        self.detect()

    def _settings_changed(self) -> None:
        self._correct(sheet=self.sheet_box.currentData(), orientation=self.orientation_box.currentData())

    def _selected(self) -> tuple[int, int] | None:
        index = self.grid_view.currentIndex()
        if not index.isValid():
            show_error(self, "Click a cell of the sheet first.")
            return None
        return index.row(), index.column()

    def pick_header(self) -> None:
        cell = self._selected()
        if cell is not None:
            self._correct(header_row=cell[0] + 1, sheet=self.grid.sheet.name if self.grid.sheet else None)

    def pick_weights(self) -> None:
        cell = self._selected()
        if cell is None:
            return
        transposed = self.preview is not None and self.preview.detection.table.transposed
        self._correct(weights=str(cell[0] + 1) if transposed else _letter(cell[1]))

    def _word_changed(self, item: QTableWidgetItem) -> None:
        words = {}
        for i in range(self.words.rowCount()):
            word, value = self.words.item(i, 0), self.words.item(i, 1)
            try:
                words[word.text()] = float(value.text().replace(",", "."))
            except ValueError:
                show_error(self, f"The score for {word.text()!r} must be a number, got {value.text()!r}.")
                return
        del item
        self._correct(text_scores=tuple(words.items()))

    def reset(self) -> None:
        self.sheet_box.setCurrentIndex(0)
        self.orientation_box.setCurrentIndex(0)
        self.overrides = Overrides()
        self.detect()

    # --- mappings and the import ---
    def save_mapping(self) -> None:
        if self.preview is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save the mapping", "matrix-mapping.json", "Mapping (*.json)")
        if name:
            matrix_import.save_mapping(name, self.preview.detection.mapping(self.overrides))

    def load_mapping(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Use a saved mapping", "", "Mapping (*.json)")
        if not name:
            return
        try:
            self.overrides = matrix_import.load_mapping(name)
        except UserError as exc:
            show_error(self, str(exc))
            return
        self.detect()

    def do_import(self) -> None:
        if self.path is None or self.preview is None:
            return
        if not self.name.text().strip():
            show_error(self, "Give the new evaluation a name.")
            return
        path, name, scale, over = self.path, self.name.text().strip(), (self.low.value(), self.high.value()), \
            self.overrides
        run_task(lambda _p: matrix_import.import_matrix(self.db, path, name, self.actor, scale, over),
                 self._imported, self._import_failed)

    def _import_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            raise exc
        show_error(self, str(exc))

    def _imported(self, summary: matrix_import.MatrixImportSummary) -> None:
        self.imported = summary.evaluation_id
        self.accept()


def open_matrix_wizard(window: Any) -> None:
    """From the main window: run the wizard, then list and open the new evaluation."""
    wizard = MatrixWizard(window, window.db, window.settings.actor())
    wizard.exec()
    if wizard.imported is not None:
        window.refresh_list()
        window.open_evaluation(wizard.imported)
