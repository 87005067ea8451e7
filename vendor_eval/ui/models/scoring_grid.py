"""Vendors x criteria grid of one evaluator's scores (rows: criteria, columns: vendors).

Criteria run down the side because their names are long and need to be readable; vendor
names fit a column header.

The model holds the rows it is given (a snapshot and an evaluator id) and never writes:
edits go to ``score_handler`` which pushes an undo command through the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from vendor_eval import domain
from vendor_eval.ui.models.roles import ALIGN, BACKGROUND, CENTER, DISPLAY, EDIT, FONT, FOREGROUND, TOOLTIP

Index = QModelIndex | QPersistentModelIndex
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 10
COMMENT_ROLE = Qt.ItemDataRole.UserRole + 11
KNOCKOUT_ROLE = Qt.ItemDataRole.UserRole + 12
SEALED_ROLE = Qt.ItemDataRole.UserRole + 13

KNOCKOUT_BG = QColor(255, 236, 179, 110)  # amber tint, readable on light and dark palettes
FAIL_FG = QColor("#c62828")
_ROLES = frozenset({DISPLAY, EDIT, TOOLTIP, ALIGN, BACKGROUND, FOREGROUND, FONT,
                    SUGGESTION_ROLE, COMMENT_ROLE, KNOCKOUT_ROLE, SEALED_ROLE})


def _fmt(value: float) -> str:
    return f"{value:g}"


class CriteriaGrid(QAbstractTableModel):
    """Criteria down the rows in their groups, vendors across: what the scoring and committee grids share.
    Subclasses set criteria, vendors, _groups (group id -> name) and compact_headers."""

    criteria: tuple[domain.Criterion, ...]
    vendors: tuple[domain.Vendor, ...]
    _groups: dict[int, str]
    compact_headers: bool

    def group_name(self, row: int) -> str:
        """The group of the criterion on this row (the grid draws a heading where it changes)."""
        return self._groups.get(self.criteria[row].group_id, "")

    def set_compact_headers(self, on: bool) -> None:
        """Vendor headers as one short word, for a grid squeezed to fit every vendor."""
        self.compact_headers = on
        if self.vendors:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.vendors) - 1)


class ScoringModel(CriteriaGrid):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.vendors: tuple[domain.Vendor, ...] = ()
        self.criteria: tuple[domain.Criterion, ...] = ()
        self._groups: dict[int, str] = {}
        self.compact_headers = False
        self.evaluator: domain.Evaluator | None = None
        self._mine = _Mine(domain.ScoreTable(), (), ())
        self._others: _Others | None = None
        self._suggested: dict[tuple[int, int], domain.SuggestionEntry] = {}
        self._sealed: set[int] = set()
        self._vendor_ids: list[int] = []
        # Tooltips as built, by (row, column): a view asks again on every hover, dropped on change.
        self._tips: dict[tuple[int, int], str] = {}
        self._criterion_tips: dict[int, tuple[str, str]] = {}
        self.read_only = False
        # (vendor_id, criterion_id, value or None, comment or None) -> accepted?
        self.score_handler: Callable[[int, int, Any, str | None], bool] | None = None

    def set_snapshot(self, snap: domain.Snapshot, evaluator_id: int | None) -> None:
        self.beginResetModel()
        self.vendors, self.criteria = snap.vendors, snap.criteria
        self._vendor_ids = [v.id for v in snap.vendors]
        self._tips, self._criterion_tips = {}, {}
        self._groups = {g.id: g.name for g in snap.groups}
        evaluator = next((e for e in snap.evaluators if e.id == evaluator_id), None)
        self.evaluator = evaluator
        self.read_only = snap.evaluation.status == "finalised" or evaluator is None
        # Blind mode: other evaluators' scores stay hidden until this evaluator has submitted.
        show_others = evaluator is not None and (not snap.evaluation.blind_mode or evaluator.submitted_at is not None)
        scores = snap.scores
        me = evaluator.id if evaluator is not None else -1
        mine = scores.evaluator_id == me
        # This evaluator's cells (12,000 on a large evaluation) are read when shown, not made into
        # objects at every refresh; the others' scores are read from the score cube when a tooltip asks.
        self._mine = _Mine(scores, zip(scores.vendor_id[mine].tolist(), scores.criterion_id[mine].tolist(),
                                       strict=True), np.flatnonzero(mine).tolist())
        self._others = _Others(snap, me) if show_others else None
        self._suggested = {(x.vendor_id, x.criterion_id): x for x in snap.suggestions}
        # Two-envelope mode: technical evaluators do not see cost criteria until they submit.
        sealed = (snap.evaluation.two_envelope and evaluator is not None and evaluator.envelope == "technical"
                  and evaluator.submitted_at is None)
        self._sealed = {c.id for c in snap.criteria if c.is_cost} if sealed else set()
        self.endResetModel()

    def update_score(self, evaluator_id: int, vendor_id: int, criterion_id: int,
                     entry: domain.ScoreEntry | None) -> bool:
        """One of this evaluator's cells changed: update it in place. False when a full refresh is needed."""
        if self.evaluator is None or evaluator_id != self.evaluator.id:
            return False
        key = (vendor_id, criterion_id)
        if entry is None:
            self._mine.pop(key, None)
        else:
            self._mine[key] = entry
        index = self.cell(vendor_id, criterion_id)
        self._tips.pop((index.row(), index.column()), None)
        self.dataChanged.emit(index, index)
        return True

    # --- lookups used by the view and tests ---
    def key(self, index: Index) -> tuple[int, int]:
        """(vendor_id, criterion_id) of a cell."""
        return self.vendors[index.column()].id, self.criteria[index.row()].id

    def scored_count(self) -> int:
        return len(self._mine)

    def criterion(self, row: int) -> domain.Criterion:
        return self.criteria[row]

    def cell(self, vendor_id: int, criterion_id: int) -> QModelIndex:
        row = next(i for i, c in enumerate(self.criteria) if c.id == criterion_id)
        col = next(i for i, v in enumerate(self.vendors) if v.id == vendor_id)
        return self.index(row, col)

    def score(self, vendor_id: int, criterion_id: int) -> domain.ScoreEntry | None:
        return self._mine.get((vendor_id, criterion_id))

    def suggestion(self, index: Index) -> domain.SuggestionEntry | None:
        return self._suggested.get(self.key(index))

    def is_sealed(self, row: int) -> bool:
        return self.criteria[row].id in self._sealed

    # --- Qt model API ---
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.criteria)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.vendors)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self.read_only and not self.is_sealed(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        crit = self.criteria[row]
        if role == BACKGROUND:
            return QBrush(KNOCKOUT_BG) if crit.knockout else None
        if role == ALIGN:
            return CENTER
        if role == KNOCKOUT_ROLE:
            return crit.knockout
        sealed = crit.id in self._sealed
        if role == SEALED_ROLE:
            return sealed
        if role == TOOLTIP:
            tip = self._tips.get((row, column))
            if tip is None:
                key = (self._vendor_ids[column], crit.id)
                tip = self._tooltip(crit, self._mine.get(key), self._suggested.get(key), key, sealed)
                self._tips[row, column] = tip
            return tip
        key = (self._vendor_ids[column], crit.id)
        mine = self._mine.get(key)
        if role == DISPLAY:
            if sealed:
                return "sealed"
            if mine is not None:
                return _fmt(mine.value) + (" *" if mine.comment else "")
            suggestion = self._suggested.get(key)
            return f"({_fmt(suggestion.value)}?)" if suggestion is not None else ""
        if role == EDIT:
            return mine.value if mine is not None else None
        if role == FOREGROUND:
            if mine is None:
                return QBrush(QColor(128, 128, 128))
            if crit.knockout and crit.knockout_min is not None and mine.value < crit.knockout_min:
                return QBrush(FAIL_FG)
            return None
        if role == COMMENT_ROLE:
            return mine.comment if mine is not None else ""
        suggestion = self._suggested.get(key)
        if role == FONT:
            if mine is None and suggestion is not None:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        # SUGGESTION_ROLE
        return suggestion.value if suggestion is not None else None

    def _tooltip(self, crit: domain.Criterion, mine: domain.ScoreEntry | None,
                 suggestion: domain.SuggestionEntry | None, key: tuple[int, int], sealed: bool) -> str:
        if sealed:
            return "Price and cost figures stay sealed until you submit your technical scoring (two-envelope mode)."
        head, scale = self._criterion_tips.get(crit.id) or self._criterion_tip(crit)
        lines = [head]
        if mine is not None:
            lines.append(f"Your score {_fmt(mine.value)}: {_esc(crit.descriptor(mine.value))}")
            if mine.comment:
                lines.append(f"Comment: {_esc(mine.comment)}")
        if suggestion is not None:
            lines.append(f"Suggested {_fmt(suggestion.value)} from the questionnaire: {_esc(suggestion.explanation)}"
                         " (press A to accept)")
        others = self._others.of(*key) if self._others is not None else []
        if others:
            lines.append("Others: " + ", ".join(f"{n} {_fmt(v)}" for n, v in others))
        if scale:
            lines.append(scale)
        return "<br>".join(lines)

    def _criterion_tip(self, crit: domain.Criterion) -> tuple[str, str]:
        """What every cell of a criterion's row says of it (made once per row, not once per cell)."""
        head = f"<b>{_esc(crit.name)}</b> (scale {_fmt(crit.scale_min)}-{_fmt(crit.scale_max)})"
        if crit.knockout:
            head += f"<br>Knock-out: below {_fmt(crit.knockout_min or 0)} disqualifies the vendor."
        scale = ("<hr>" + "<br>".join(f"{k}: {_esc(v)}" for k, v in sorted(crit.descriptors.items()))
                 if crit.descriptors else "")
        self._criterion_tips[crit.id] = head, scale
        return head, scale

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        if self.score_handler is None:
            return False
        vendor_id, criterion_id = self.key(index)
        if value == "" or value is None:
            value = None
        return self.score_handler(vendor_id, criterion_id, value, None)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.vendors) and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                name = self.vendors[section].name
                if role == Qt.ItemDataRole.ToolTipRole:
                    return name
                return first_word(name) if self.compact_headers else two_lines(name)
            return None
        if not 0 <= section < len(self.criteria):
            return None
        crit = self.criteria[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return ("⚑ " if crit.knockout else "") + short(crit.name, 44)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"<b>{_esc(crit.name)}</b> ({_esc(self.group_name(section))})<br>{_esc(crit.guidance)}"
            return tip + ("<br><i>Knock-out criterion</i>" if crit.knockout else "")
        return None


class _Mine:
    """One evaluator's scores by (vendor_id, criterion_id): which cells hold one, and at which row
    of the score table, is known at once (a dict built in C); each entry is read from its row the
    first time it is shown."""

    def __init__(self, table: domain.ScoreTable, cells: Iterable[tuple[int, int]], rows: Iterable[int]) -> None:
        self.table = table
        self.cells: dict[tuple[int, int], int] = dict(zip(cells, rows, strict=True))
        self.read: dict[tuple[int, int], domain.ScoreEntry] = {}

    def get(self, key: tuple[int, int]) -> domain.ScoreEntry | None:
        entry = self.read.get(key)
        if entry is None:
            row = self.cells.get(key)
            if row is None:
                return None
            self.read[key] = entry = self.table.entry(row)
        return entry

    def __setitem__(self, key: tuple[int, int], entry: domain.ScoreEntry) -> None:
        self.cells[key] = -1  # read from here on, never from the table
        self.read[key] = entry

    def pop(self, key: tuple[int, int], default: None = None) -> None:
        self.cells.pop(key, None)
        self.read.pop(key, None)

    def __len__(self) -> int:
        return len(self.cells)


class _Others:
    """The other evaluators' scores of a cell, from the snapshot's score cube (evaluators in panel
    order), looked up when a tooltip shows them instead of indexed for every cell at refresh.
    Names come escaped for the tooltip's HTML."""

    def __init__(self, snap: domain.Snapshot, me: int) -> None:
        self.cube = snap.score_cube()
        self.names = [_esc(e.name) for e in snap.evaluators]
        self.me = snap.index_of("evaluator", me) if me in {e.id for e in snap.evaluators} else -1
        self.vendor = {v.id: i for i, v in enumerate(snap.vendors)}
        self.criterion = {c.id: i for i, c in enumerate(snap.criteria)}

    def of(self, vendor_id: int, criterion_id: int) -> list[tuple[str, float]]:
        column = self.cube[:, self.vendor[vendor_id], self.criterion[criterion_id]].tolist()
        return [(self.names[e], x) for e, x in enumerate(column) if e != self.me and x == x]  # x == x: not NaN


def first_word(name: str) -> str:
    """'Costaverde Teleimagen' -> 'Costaverde': a squeezed column's header (the tooltip has it all)."""
    return short(name.split()[0] if name.split() else name, 12)


def two_lines(name: str, width: int = 16) -> str:
    """A vendor name as a two-line column header, so narrow columns stay readable."""
    if len(name) <= width:
        return name
    words, first = name.split(), ""
    while words and len(first) + len(words[0]) + 1 <= max(width, len(name) // 2 + 1):
        first = f"{first} {words.pop(0)}".strip()
    if not first:
        first = words.pop(0)
    return first + "\n" + short(" ".join(words), width + 2)


def short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
