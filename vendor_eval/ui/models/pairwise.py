"""The AHP pairwise comparison matrix: upper triangle edited, lower triangle its reciprocal."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from vendor_eval.ui.models.scoring_grid import two_lines

Index = QModelIndex | QPersistentModelIndex
SAATY = {1: "equal", 3: "moderately more important", 5: "strongly more important",
         7: "very strongly more important", 9: "extremely more important"}


def _text(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f"1/{1 / value:g}"


def parse_judgement(raw: Any) -> float:
    """'3', '1/5', '0.2' -> a value on Saaty's 1/9..9 scale; ValueError otherwise."""
    text = str(raw).strip()
    if "/" in text:
        num, den = text.split("/", 1)
        value = float(num) / float(den)
    else:
        value = float(text)
    if not 1 / 9 - 1e-9 <= value <= 9 + 1e-9:
        raise ValueError(text)
    return value


class PairwiseModel(QAbstractTableModel):
    matrixChanged = Signal()

    def __init__(self, names: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.names = names
        self.matrix = np.ones((len(names), len(names)))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.names)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() > index.row():
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = float(self.matrix[index.row(), index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() <= index.row():
            return QBrush(QColor(128, 128, 128))
        if role == Qt.ItemDataRole.ToolTipRole:
            a, b = self.names[index.row()], self.names[index.column()]
            if value >= 1:
                return f"{a} is {SAATY.get(round(value), f'{value:g} times')} compared with {b}"
            return f"{b} is {SAATY.get(round(1 / value), f'{1 / value:g} times')} compared with {a}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        try:
            v = parse_judgement(value)
        except (ValueError, ZeroDivisionError):
            return False
        i, j = index.row(), index.column()
        self.matrix[i, j], self.matrix[j, i] = v, 1 / v
        self.dataChanged.emit(index, index)
        mirror = self.index(j, i)
        self.dataChanged.emit(mirror, mirror)
        self.matrixChanged.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.names):
            name = self.names[section]
            return name if orientation == Qt.Orientation.Vertical else two_lines(name, 14)
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(self.names):
            return self.names[section]
        return None
