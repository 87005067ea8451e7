"""AHP: pairwise comparisons on Saaty's 1-9 scale, asked in words, one slider per pair (as
Expert Choice Comparion does), with the matrix beside them; weights and the consistency ratio
shown live. It starts from the current weights (judgements w_i / w_j reproduce them exactly), names
the most inconsistent judgement when CR > 0.10, and applies only when the user accepts (and insists
when CR > 0.10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSlider,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.scoring.ahp import CR_LIMIT, ahp_consistency, ahp_weights, most_inconsistent, ratio_matrix
from vendor_eval.ui.models.pairwise import PairwiseModel, in_words
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.widgets import hint, table_view
from vendor_eval.vocabulary import AHP_METHODS as METHODS

STEPS = 8  # slider -8..8: left end "row item 9x more important", 0 equal, right end "column item 9x"


def slider_position(value: float) -> int:
    """a_ij -> slider position: negative when the left (row) item matters more."""
    return -min(round(value) - 1, STEPS) if value >= 1 else min(round(1 / value) - 1, STEPS)


def judgement_at(position: int) -> float:
    return float(1 - position) if position <= 0 else 1.0 / (1 + position)


@dataclass(frozen=True)
class WeightRow:
    name: str
    now: float | None  # current share, 0-1
    ahp: float


class WeightsModel(RowsModel[WeightRow]):
    columns = (
        Column("Item", lambda r: r.name, tooltip=lambda r: r.name),
        Column("Now", lambda r: "" if r.now is None else f"{r.now * 100:.1f} %", align_right=True),
        Column("AHP", lambda r: f"{r.ahp * 100:.1f} %", align_right=True,
               header_tip="The weight these comparisons give"),
        Column("Change", lambda r: "" if r.now is None else _points(r.ahp - r.now), align_right=True),
    )


def _points(change: float) -> str:
    """A change of share in percentage points, signed; "0.0 pts" rather than "-0.0 pts"."""
    points = round(change * 100, 1)
    return f"{points:+.1f} pts" if points else "0.0 pts"


class PairSlider(QWidget):
    """"Which matters more, and how much?" for one pair: the two names either side of a slider."""

    def __init__(self, dialog: AhpDialog, i: int, j: int) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # so the flag colour shows
        self.dialog, self.i, self.j = dialog, i, j
        names = dialog.model.names
        left, right = QLabel(names[i]), QLabel(names[j])
        for label in (left, right):
            label.setWordWrap(True)
            label.setMinimumWidth(90)  # long names wrap: the pair never scrolls sideways
        left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-STEPS, STEPS)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(2)
        self.slider.setMinimumWidth(120)
        self.words = hint("")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.addWidget(left, 0, 0)
        grid.addWidget(self.slider, 0, 1)
        grid.addWidget(right, 0, 2)
        grid.addWidget(self.words, 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        self.slider.valueChanged.connect(self._moved)
        self.show_value()

    def show_value(self) -> None:
        value = float(self.dialog.model.matrix[self.i, self.j])
        self.slider.blockSignals(True)
        self.slider.setValue(slider_position(value))
        self.slider.blockSignals(False)
        self.words.setText(in_words(self.dialog.model.names[self.i], self.dialog.model.names[self.j], value))

    def _moved(self, position: int) -> None:
        self.dialog.model.set_judgement(self.i, self.j, judgement_at(position))


class AhpDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, names: list[str],
                 weights: Sequence[float] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        total = float(sum(weights)) if weights is not None else 0.0
        self.current = [float(w) / total for w in weights] if weights is not None and total > 0 else None
        start = ratio_matrix(self.current) if self.current is not None else None
        self.model = PairwiseModel(names, self, start)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setMinimumSectionSize(44)
        self.method = QComboBox()
        for key, text in METHODS.items():
            self.method.addItem(text, key)
        self.method.activated.connect(lambda _i: self.update_result())
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.worst = QLabel()
        self.worst.setWordWrap(True)
        self.worst.setStyleSheet("color: #b3261e;")
        self.weights_model = WeightsModel(self)
        self.weights_view = table_view(self.weights_model, stretch_last=False)
        header = self.weights_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names take what the numbers leave
        self.insist = QCheckBox(f"Apply even though the consistency ratio is above {CR_LIMIT:.2f}")
        self.insist.toggled.connect(lambda _on: self.update_result())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply weights")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        pairs = QWidget()
        pairs_layout = QVBoxLayout(pairs)
        self.pairs = [PairSlider(self, i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
        for pair in self.pairs:
            pairs_layout.addWidget(pair)
        pairs_layout.addStretch(1)
        scroll = self.pairs_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # names and words wrap instead
        scroll.setWidget(pairs)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(hint("For each pair, which matters more, and how much? Move the slider towards the more "
                          "important one: 1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely. "
                          + ("The sliders start from the current weights." if self.current is not None else "")))
        lv.addWidget(scroll, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        matrix_box = QWidget()
        mv = QVBoxLayout(matrix_box)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(QLabel("<b>Matrix</b> (row compared with column; the upper triangle can be typed, e.g. 1/3)"))
        mv.addWidget(self.view, 1)
        weights_box = QWidget()
        wv = QVBoxLayout(weights_box)
        wv.setContentsMargins(0, 0, 0, 0)
        wv.addWidget(QLabel("<b>Weights</b>"))
        wv.addWidget(self.weights_view, 1)
        right.addWidget(matrix_box)
        right.addWidget(weights_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 460])
        row = QHBoxLayout()
        row.addWidget(QLabel("Variant"))
        row.addWidget(self.method)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(split, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.worst)
        layout.addWidget(self.insist)
        layout.addWidget(self.buttons)
        # Room for the sliders and the matrix: most of the window it belongs to, within reason.
        room = parent.window().size() if parent is not None else None
        self.resize(min(1320, int(room.width() * 0.9)) if room else 1000,
                    min(880, int(room.height() * 0.9)) if room else 640)
        self.weights: np.ndarray | None = None
        self.model.matrixChanged.connect(self.update_result)
        self.update_result()

    def update_result(self) -> None:
        for pair in self.pairs:
            pair.show_value()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            r = ahp_consistency(self.model.matrix, self.method.currentData())
        except UserError as exc:
            self.result_label.setText(str(exc))
            ok.setEnabled(False)
            return
        names = self.model.names
        self.weights_model.set_rows([WeightRow(n, self.current[k] if self.current is not None else None, float(w))
                                     for k, (n, w) in enumerate(zip(names, r.weights, strict=True))])
        for col in (1, 3):  # "now" and "change" mean nothing without current weights
            self.weights_view.setColumnHidden(col, self.current is None)
        verdict = "consistent" if r.consistent else "too inconsistent: revise the comparisons"
        self.result_label.setText(f"<b>Consistency ratio {r.cr:.3f}</b> ({verdict}; at most {CR_LIMIT:.2f} "
                                  "is acceptable).")
        self.worst.setVisible(not r.consistent)
        worst: tuple[int, int] | None = None
        if not r.consistent:
            i, j, implied = most_inconsistent(self.model.matrix, r.weights)
            worst = (i, j)
            said = in_words(names[i], names[j], float(self.model.matrix[i, j]))
            better = in_words(names[i], names[j], _saaty(implied))
            self.worst.setText(f"Most inconsistent judgement: “{said}”. Your other judgements suggest "
                               f"“{better}” instead.")
        for pair in self.pairs:  # the judgement to revise stands out among the sliders
            flagged = (pair.i, pair.j) == worst
            pair.setStyleSheet("PairSlider { background: rgba(179, 38, 30, 40); border-radius: 4px; }"
                               if flagged else "")
            if flagged:
                self.pairs_area.ensureWidgetVisible(pair)
        self.insist.setVisible(not r.consistent)
        ok.setEnabled(r.consistent or self.insist.isChecked())

    def accept(self) -> None:
        try:
            result = ahp_weights(self.model.matrix, self.method.currentData(), insist=self.insist.isChecked())
        except UserError as exc:
            self.result_label.setText(str(exc))
            return
        self.weights = result.weights
        super().accept()


def _saaty(value: float) -> float:
    """The nearest judgement on Saaty's scale: 1..9 or 1/2..1/9."""
    return float(min(round(value), 9)) if value >= 1 else 1.0 / min(round(1 / value), 9)
