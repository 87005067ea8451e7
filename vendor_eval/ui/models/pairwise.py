"""The AHP pairwise comparison matrix: upper triangle edited, lower triangle its reciprocal.
Items are numbered in the headers ("1. Service levels" down the side, "1" across), so no name is cut."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex
# Saaty's 1-9 scale in words (the even values lie between their neighbours).
SAATY = {1: "equally important as", 2: "equally to moderately more important than",
         3: "moderately more important than", 4: "moderately to strongly more important than",
         5: "strongly more important than", 6: "strongly to very strongly more important than",
         7: "very strongly more important than", 8: "very to extremely more important than",
         9: "extremely more important than"}


def in_words(a: str, b: str, value: float) -> str:
    """'Security is strongly more important than Price (5)' for a judgement a_ab = value."""
    if value < 1:
        a, b, value = b, a, 1 / value
    step = min(max(round(value), 1), 9)
    exact = abs(value - step) < 1e-9
    strength = f"{value:g}" if exact else f"{value:.2f}×, as the current weights"
    return f"{a} is {SAATY[step]} {b} ({strength})"


def _text(value: float) -> str:
    """'3', '1/3' for judgements on Saaty's scale; '1.07', '0.93' for ratios taken from weights."""
    if value >= 1 or abs(1 / value - round(1 / value)) > 1e-9:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"1/{round(1 / value)}"


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

    def __init__(self, names: list[str], parent: Any = None, matrix: np.ndarray | None = None) -> None:
        super().__init__(parent)
        self.names = names
        self.matrix = np.ones((len(names), len(names))) if matrix is None else np.array(matrix, dtype=float)

    def set_judgement(self, i: int, j: int, value: float) -> None:
        """a_ij = value and a_ji = 1 / value (i < j: the upper triangle)."""
        self.matrix[i, j], self.matrix[j, i] = value, 1 / value
        for index in (self.index(i, j), self.index(j, i)):
            self.dataChanged.emit(index, index)
        self.matrixChanged.emit()

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
            return in_words(self.names[index.row()], self.names[index.column()], value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        try:
            v = parse_judgement(value)
        except (ValueError, ZeroDivisionError):
            return False
        self.set_judgement(index.row(), index.column(), v)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.names):
            return f"{section + 1}. {self.names[section]}" if orientation == Qt.Orientation.Vertical else str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(self.names):
            return self.names[section]
        return None
