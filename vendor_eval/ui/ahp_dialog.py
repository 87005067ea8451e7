"""AHP: pairwise comparisons on Saaty's 1-9 scale, weights and consistency ratio shown live;
the weights are applied only when the user accepts (and insists when CR > 0.10)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.scoring.ahp import CR_LIMIT, ahp_consistency, ahp_weights
from vendor_eval.ui.models.pairwise import PairwiseModel
from vendor_eval.ui.widgets import hint
from vendor_eval.vocabulary import AHP_METHODS as METHODS


class AhpDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, names: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.model = PairwiseModel(names, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setMinimumSectionSize(70)
        self.method = QComboBox()
        for key, text in METHODS.items():
            self.method.addItem(text, key)
        self.method.activated.connect(lambda _i: self.update_result())
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.insist = QCheckBox(f"Apply even though the consistency ratio is above {CR_LIMIT:.2f}")
        self.insist.toggled.connect(lambda _on: self.update_result())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply weights")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.matrixChanged.connect(self.update_result)
        row = QHBoxLayout()
        row.addWidget(QLabel("Variant"))
        row.addWidget(self.method)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint("For each pair, how much more important is the row than the column? 1 equal, "
                              "3 moderately, 5 strongly, 7 very strongly, 9 extremely; 1/3 … 1/9 the other way. "
                              "Edit the upper triangle; the lower one follows."))
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.insist)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self.weights: np.ndarray | None = None
        self.update_result()

    def update_result(self) -> None:
        try:
            r = ahp_consistency(self.model.matrix, self.method.currentData())
        except UserError as exc:
            self.result_label.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        shares = ", ".join(f"{n}: {w * 100:.1f} %" for n, w in zip(self.model.names, r.weights, strict=True))
        verdict = "consistent" if r.consistent else "too inconsistent: revise the comparisons"
        self.result_label.setText(f"<b>Consistency ratio {r.cr:.3f}</b> ({verdict}). Weights: {shares}")
        self.insist.setVisible(not r.consistent)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(r.consistent or self.insist.isChecked())

    def accept(self) -> None:
        try:
            result = ahp_weights(self.model.matrix, self.method.currentData(), insist=self.insist.isChecked())
        except UserError as exc:
            self.result_label.setText(str(exc))
            return
        self.weights = result.weights
        super().accept()
