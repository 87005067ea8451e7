"""Committee grid: per vendor x criterion the individual scores, their spread and the consensus.

Spread = (max - min) / scale range, banded by the evaluation's discuss thresholds (DOMAIN.md):
amber to discuss, red must be discussed. Consensus is set through a dialog (value + reason).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from vendor_eval import domain
from vendor_eval.ui.models.scoring_grid import CriteriaGrid, first_word, short, two_lines

Index = QModelIndex | QPersistentModelIndex
BAND_ROLE = Qt.ItemDataRole.UserRole + 30
DISCUSS = QColor(255, 193, 7, 90)
MUST = QColor(229, 57, 53, 110)


class ConsensusModel(CriteriaGrid):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.vendors: tuple[domain.Vendor, ...] = ()
        self.criteria: tuple[domain.Criterion, ...] = ()
        self._groups: dict[int, str] = {}
        self.compact_headers = False
        self._scores = domain.ScoreTable()
        self._names: dict[int, str] = {}
        self._consensus: dict[tuple[int, int], domain.ConsensusEntry] = {}
        self._agreed = np.zeros((0, 0), dtype=bool)
        self.spread = np.zeros((0, 0))
        self.mean = np.zeros((0, 0))
        self.discuss, self.must = 0.2, 0.5

    def set_snapshot(self, snap: domain.Snapshot) -> None:
        self.beginResetModel()
        self.vendors, self.criteria = snap.vendors, snap.criteria
        self._groups = {g.id: g.name for g in snap.groups}
        self.discuss, self.must = snap.evaluation.discuss_threshold, snap.evaluation.must_discuss_threshold
        # Each cell's individual scores are looked up when asked (dialog, tooltip): indexing 180,000
        # scores on every refresh would cost a large evaluation a third of a second.
        self._scores = snap.scores
        self._names = {e.id: e.name for e in snap.evaluators}
        self._consensus = {(c.vendor_id, c.criterion_id): c for c in snap.consensus}
        self._agreed = np.zeros((len(snap.criteria), len(snap.vendors)), dtype=bool)  # rows x columns
        for c in snap.consensus:
            self._agreed[snap.index_of("criterion", c.criterion_id), snap.index_of("vendor", c.vendor_id)] = True
        cube = snap.score_cube()
        scale = np.array([c.scale_max - c.scale_min for c in snap.criteria]) if snap.criteria else np.zeros(0)
        with np.errstate(all="ignore"):
            count = np.sum(~np.isnan(cube), axis=0) if cube.size else np.zeros((len(snap.vendors), len(snap.criteria)))
            if cube.size:
                total = np.where(np.isnan(cube), 0.0, cube).sum(axis=0)
                self.mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
                hi = np.where(np.isnan(cube), -np.inf, cube).max(axis=0)
                lo = np.where(np.isnan(cube), np.inf, cube).min(axis=0)
                self.spread = np.where(count >= 2, (hi - lo) / np.where(scale > 0, scale, 1), np.nan)
            else:
                self.mean = np.full((len(snap.vendors), len(snap.criteria)), np.nan)
                self.spread = self.mean.copy()
        self.endResetModel()

    def update_consensus(self, snap: domain.Snapshot) -> bool:
        """Only the consensus changed (the scores, criteria and vendors are those shown): repaint
        the cells whose consensus differs, no reset of 12,000 cells. False when a full
        set_snapshot is needed (the grid shows other criteria or vendors)."""
        if snap.criteria != self.criteria or snap.vendors != self.vendors:
            return False
        new = {(c.vendor_id, c.criterion_id): c for c in snap.consensus}
        changed = [cell for cell in new.keys() | self._consensus.keys() if new.get(cell) != self._consensus.get(cell)]
        self._consensus = new
        for vendor_id, criterion_id in changed:
            row, col = snap.index_of("criterion", criterion_id), snap.index_of("vendor", vendor_id)
            self._agreed[row, col] = (vendor_id, criterion_id) in new
            index = self.index(row, col)
            self.dataChanged.emit(index, index)
        return True

    def key(self, index: Index) -> tuple[int, int]:
        """(vendor_id, criterion_id); rows are criteria, columns vendors (as in the scoring grid)."""
        return self.vendors[index.column()].id, self.criteria[index.row()].id

    def band(self, row: int, column: int) -> str:
        s = self.spread[column, row] if self.spread.size else np.nan
        if np.isnan(s) or s < self.discuss:
            return "fine"
        return "must_discuss" if s > self.must else "discuss"

    def consensus(self, index: Index) -> domain.ConsensusEntry | None:
        return self._consensus.get(self.key(index))

    def agreed_count(self) -> int:
        return len(self._consensus)

    def individual(self, index: Index) -> list[tuple[str, float, str]]:
        """Each evaluator's (name, score, comment) for the cell."""
        vendor_id, criterion_id = self.key(index)
        t = self._scores
        cell = t.rows((t.criterion_id == criterion_id) & (t.vendor_id == vendor_id))
        order = {evaluator_id: n for n, evaluator_id in enumerate(self._names)}  # the panel's order, not the table's
        return [(self._names.get(s.evaluator_id, "?"), s.value, s.comment or "")
                for s in sorted(cell, key=lambda s: order.get(s.evaluator_id, len(order)))]

    def is_open(self, row: int, column: int, bands: tuple[str, ...] = ("must_discuss", "discuss")) -> bool:
        """A cell the committee still has to talk about: its spread is in one of the bands and
        no consensus has been set for it."""
        if self.band(row, column) not in bands:
            return False
        return (self.vendors[column].id, self.criteria[row].id) not in self._consensus

    def open_cells(self, bands: tuple[str, ...] = ("must_discuss", "discuss")) -> list[tuple[int, int]]:
        """(row, column) of every open cell in those bands, in reading order (criterion by criterion)."""
        if not self.spread.size:
            return []
        with np.errstate(invalid="ignore"):
            s = self.spread.T  # rows x columns, like the grid
            hit = np.zeros(s.shape, dtype=bool)
            if "must_discuss" in bands:
                hit |= s > self.must
            if "discuss" in bands:
                hit |= (s >= self.discuss) & ~(s > self.must)
        return [(int(r), int(c)) for r, c in np.argwhere(hit & ~self._agreed)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.criteria)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.vendors)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        agreed = self._consensus.get(self.key(index))
        if role == Qt.ItemDataRole.DisplayRole:
            if agreed is not None:
                return f"{agreed.value:g} ✓"
            mean = self.mean[c, r]
            return "" if np.isnan(mean) else f"{mean:.1f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and agreed is None:
            band = self.band(r, c)
            return QBrush(MUST if band == "must_discuss" else DISCUSS) if band != "fine" else None
        if role == Qt.ItemDataRole.FontRole and agreed is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            scores = self.individual(index)
            crit = self.criteria[r]
            lines = [f"{self.vendors[c].name} - {crit.name}"]
            lines += [f"{name}: {value:g}" + (f" ({short(note, 80)})" if note else "")
                      for name, value, note in scores] or ["No individual scores yet."]
            if not np.isnan(self.spread[c, r]):
                band = self.band(r, c).replace("_", " ")
                lines.append(f"Spread {self.spread[c, r] * 100:.0f} % of the scale ({band})")
            if agreed is not None:
                lines.append(f"Consensus {agreed.value:g} by {agreed.set_by}: {agreed.reason}")
            else:
                lines.append("Press Enter or double-click to set the consensus.")
            return "\n".join(lines)
        if role == BAND_ROLE:
            return self.band(r, c)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.vendors):
                return None
            name = self.vendors[section].name
        else:
            if not 0 <= section < len(self.criteria):
                return None
            name = self.criteria[section].name
        if role == Qt.ItemDataRole.ToolTipRole:
            return name if orientation == Qt.Orientation.Horizontal else f"{name}\n({self.group_name(section)})"
        if orientation == Qt.Orientation.Horizontal:
            return first_word(name) if self.compact_headers else two_lines(name)
        return short(name, 44)
