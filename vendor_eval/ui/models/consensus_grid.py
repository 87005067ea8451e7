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
from vendor_eval.ui.models.roles import ALIGN, BACKGROUND, CENTER, DISPLAY, FONT, TOOLTIP
from vendor_eval.ui.models.scoring_grid import CriteriaGrid, first_word, short, two_lines

Index = QModelIndex | QPersistentModelIndex
BAND_ROLE = Qt.ItemDataRole.UserRole + 30
DISCUSS = QColor(255, 193, 7, 90)
MUST = QColor(229, 57, 53, 110)
BANDS = ("fine", "discuss", "must_discuss")
_ROLES = frozenset({DISPLAY, TOOLTIP, ALIGN, BACKGROUND, FONT, BAND_ROLE})


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
        self._cube = np.zeros((0, 0, 0))
        # By row then column, as Python values: what data() reads for every role of every painted cell.
        self._vendor_ids: list[int] = []
        self._means: list[list[float]] = []
        self._spreads: list[list[float]] = []
        self._bands: list[list[int]] = []  # index into BANDS
        self._comments: dict[tuple[int, int, int], str] | None = None  # (evaluator, vendor, criterion), when asked
        self._tips: dict[tuple[int, int], str] = {}
        self.discuss, self.must = 0.2, 0.5

    def set_snapshot(self, snap: domain.Snapshot) -> None:
        self.beginResetModel()
        self.vendors, self.criteria = snap.vendors, snap.criteria
        self._groups = {g.id: g.name for g in snap.groups}
        self.discuss, self.must = snap.evaluation.discuss_threshold, snap.evaluation.must_discuss_threshold
        # Each cell's individual scores are looked up when asked (dialog, tooltip): indexing 180,000
        # scores on every refresh would cost a large evaluation a third of a second.
        self._scores = snap.scores
        self._comments, self._tips = None, {}
        self._names = {e.id: e.name for e in snap.evaluators}
        self._vendor_ids = [v.id for v in snap.vendors]
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
            self._cube = cube
            self._means, self._spreads = self.mean.T.tolist(), self.spread.T.tolist()
            # NaN (fewer than two scores) compares false: fine.
            band = np.where(self.spread >= self.discuss, np.where(self.spread > self.must, 2, 1), 0)
            self._bands = band.T.tolist()
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
            self._tips.pop((row, col), None)
            index = self.index(row, col)
            self.dataChanged.emit(index, index)
        return True

    def key(self, index: Index) -> tuple[int, int]:
        """(vendor_id, criterion_id); rows are criteria, columns vendors (as in the scoring grid)."""
        return self.vendors[index.column()].id, self.criteria[index.row()].id

    def band(self, row: int, column: int) -> str:
        return BANDS[self._bands[row][column]]

    def consensus(self, index: Index) -> domain.ConsensusEntry | None:
        return self._consensus.get(self.key(index))

    def agreed_count(self) -> int:
        return len(self._consensus)

    def individual(self, index: Index) -> list[tuple[str, float, str]]:
        """Each evaluator's (name, score, comment) for the cell, in the panel's order: read from the
        score cube (evaluators x vendors x criteria), not by a pass over every score."""
        vendor_id, criterion_id = self.key(index)
        if not self._cube.size:
            return []
        if self._comments is None:  # the few commented scores, indexed the first time a cell is asked
            self._comments = {(s.evaluator_id, s.vendor_id, s.criterion_id): s.comment
                              for s in self._scores.with_comments()}
        column = self._cube[:, index.column(), index.row()].tolist()
        return [(name, value, self._comments.get((evaluator_id, vendor_id, criterion_id), ""))
                for (evaluator_id, name), value in zip(self._names.items(), column, strict=True)
                if value == value]  # value == value: not NaN

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

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == ALIGN:
            return CENTER
        if role == BAND_ROLE:
            return BANDS[self._bands[r][c]]
        agreed = self._consensus.get((self._vendor_ids[c], self.criteria[r].id))
        if role == DISPLAY:
            if agreed is not None:
                return f"{agreed.value:g} ✓"
            mean = self._means[r][c]
            return "" if mean != mean else f"{mean:.1f}"  # mean != mean: NaN, nobody scored
        if role == BACKGROUND:
            band = self._bands[r][c]
            return QBrush(MUST if band == 2 else DISCUSS) if band and agreed is None else None
        if role == FONT:
            if agreed is None:
                return None
            font = QFont()
            font.setBold(True)
            return font
        tip = self._tips.get((r, c))
        if tip is None:
            self._tips[r, c] = tip = self._tooltip(index, agreed)
        return tip

    def _tooltip(self, index: Index, agreed: domain.ConsensusEntry | None) -> str:
        r, c = index.row(), index.column()
        lines = [f"{self.vendors[c].name} - {self.criteria[r].name}"]
        lines += [f"{name}: {value:g}" + (f" ({short(note, 80)})" if note else "")
                  for name, value, note in self.individual(index)] or ["No individual scores yet."]
        spread = self._spreads[r][c]
        if spread == spread:  # not NaN: two scores or more
            lines.append(f"Spread {spread * 100:.0f} % of the scale ({self.band(r, c).replace('_', ' ')})")
        if agreed is not None:
            lines.append(f"Consensus {agreed.value:g} by {agreed.set_by}: {agreed.reason}")
        else:
            lines.append("Press Enter or double-click to set the consensus.")
        return "\n".join(lines)

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
