"""Tree of criteria groups (top level) and their criteria, with weights in percent.

Holds the snapshot it is given. Edits (name, weight, knock-out) and drag-and-drop moves go
to handlers that push undo commands; the model changes only when a new snapshot arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from vendor_eval import domain
from vendor_eval.ui.models.roles import ALIGN, CHECK, DISPLAY, EDIT, FONT, FOREGROUND, RIGHT, TOOLTIP

Index = QModelIndex | QPersistentModelIndex
MIME = "application/x-vendor-eval-criterion"
NAME, WEIGHT, EFFECTIVE, KNOCKOUT, SCALE = range(5)
HEADERS = ("Group / criterion", "Weight %", "Effective %", "Knock-out", "Scale")
ID_ROLE = Qt.ItemDataRole.UserRole + 20
KIND_ROLE = Qt.ItemDataRole.UserRole + 21
WARN = QColor("#b26a00")
# The roles answered (a view measuring a column asks eight of every cell).
_ROLES = frozenset({DISPLAY, EDIT, TOOLTIP, CHECK, FONT, FOREGROUND, ALIGN, ID_ROLE, KIND_ROLE})


def _close(total: float) -> bool:
    return abs(total - 100.0) < 0.05


class CriteriaTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: tuple[domain.Group, ...] = ()
        self.members: list[list[domain.Criterion]] = []
        self._group_sum = 0.0
        self._criteria_sums: list[float] = []  # by group row
        self.read_only = False
        # (kind "group"/"criterion", id, field, value) -> accepted?
        self.edit_handler: Callable[[str, int, str, Any], bool] | None = None
        # (criterion_id, group_id, position) -> None
        self.move_handler: Callable[[int, int, int], None] | None = None

    def set_snapshot(self, snap: domain.Snapshot) -> None:
        self.beginResetModel()
        self.groups = snap.groups
        by_group: dict[int, list[domain.Criterion]] = {g.id: [] for g in snap.groups}
        for c in snap.criteria:
            by_group[c.group_id].append(c)
        self.members = [by_group[g.id] for g in snap.groups]
        self._sum_weights()
        self.read_only = snap.evaluation.status == "finalised"
        self.endResetModel()

    def update(self, snap: domain.Snapshot) -> bool:
        """The same groups and criteria in the same places (weights, names or fields changed):
        take the new values and repaint, without a reset (the view keeps its expansion, selection
        and scroll, and does not lay out 200 rows again). False when the structure changed."""
        by_group: dict[int, list[domain.Criterion]] = {g.id: [] for g in snap.groups}
        for c in snap.criteria:
            by_group.setdefault(c.group_id, []).append(c)
        members = [by_group[g.id] for g in snap.groups]
        if [g.id for g in snap.groups] != [g.id for g in self.groups] or \
                [[c.id for c in m] for m in members] != [[c.id for c in m] for m in self.members]:
            return False
        old_groups, old_members = self.groups, self.members
        self.groups, self.members = snap.groups, members
        self._sum_weights()
        self.read_only = snap.evaluation.status == "finalised"
        # Repaint only what changed: the rows of a group whose values changed (a criterion's weight
        # moves its siblings' effective %), every effective % when a group weight changed.
        last = len(HEADERS) - 1
        all_effective = [g.weight for g in old_groups] != [g.weight for g in self.groups]
        for row, (crits, before) in enumerate(zip(self.members, old_members, strict=True)):
            group_changed = self.groups[row] != old_groups[row]
            changed = group_changed or any(a != b for a, b in zip(crits, before, strict=True))
            if changed or all_effective:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            if crits and (changed or all_effective):
                parent = self.index(row, 0)
                first_col = 0 if changed else EFFECTIVE
                self.dataChanged.emit(self.index(0, first_col, parent),
                                      self.index(len(crits) - 1, last if changed else EFFECTIVE, parent))
        return True

    # --- sums for the live weight check (and every effective %: summed once per snapshot) ---
    def _sum_weights(self) -> None:
        self._group_sum = sum(g.weight for g in self.groups)
        self._criteria_sums = [sum(c.weight for c in crits) for crits in self.members]

    def group_sum(self) -> float:
        return self._group_sum

    def criteria_sum(self, group_row: int) -> float:
        return self._criteria_sums[group_row]

    def effective(self, group_row: int, criterion: domain.Criterion) -> float:
        gsum, csum = self.group_sum(), self.criteria_sum(group_row)
        if gsum <= 0 or csum <= 0:
            return 0.0
        return 100.0 * self.groups[group_row].weight / gsum * criterion.weight / csum

    def unbalanced(self) -> list[str]:
        """Where weights do not sum to 100 %: shown as a warning, never silently rescaled."""
        problems = []
        if self.groups and not _close(self.group_sum()):
            problems.append(f"group weights sum to {self.group_sum():.1f} %")
        for row, g in enumerate(self.groups):
            if self.members[row] and not _close(self.criteria_sum(row)):
                problems.append(f"criteria in {g.name} sum to {self.criteria_sum(row):.1f} %")
        return problems

    # --- structure ---
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.members[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def item(self, index: Index) -> domain.Group | domain.Criterion | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.groups[index.row()]
        return self.members[int(index.internalId()) - 1][index.row()]

    # --- data ---
    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        col, parent = index.column(), int(index.internalId())
        is_group = parent == 0
        group_row = index.row() if is_group else parent - 1
        item: domain.Group | domain.Criterion = self.groups[group_row] if is_group else self.members[group_row][index.row()]
        if role == DISPLAY or role == EDIT:
            if col == NAME:
                return item.name
            if col == WEIGHT:
                return f"{item.weight:.1f}" if role == DISPLAY else item.weight
            if col == EFFECTIVE:
                if is_group:
                    gsum = self._group_sum
                    return f"{100.0 * item.weight / gsum:.1f}" if gsum > 0 else "0.0"
                assert isinstance(item, domain.Criterion)
                return f"{self.effective(group_row, item):.2f}"
            if col == SCALE and isinstance(item, domain.Criterion):
                lower = " (lower is better)" if item.direction == "min" else ""
                return f"{item.scale_min:g}-{item.scale_max:g}{lower}"
            return None
        crit = None if is_group else item
        assert crit is None or isinstance(crit, domain.Criterion)
        if role == CHECK:
            if col == KNOCKOUT and crit is not None:
                return Qt.CheckState.Checked if crit.knockout else Qt.CheckState.Unchecked
            return None
        if role == TOOLTIP:
            if col == NAME:
                return (crit.guidance if crit is not None else getattr(item, "description", "")) or None
            if col == KNOCKOUT and crit is not None and crit.knockout:
                return f"Scores below {crit.knockout_min or 0:g} disqualify the vendor."
            return None
        if role == FONT:
            if not is_group:
                return None
            font = QFont()
            font.setBold(True)
            return font
        if role == FOREGROUND:
            if col == WEIGHT and is_group and self.members[group_row] and not _close(self._criteria_sums[group_row]):
                return QBrush(WARN)
            return None
        if role == ALIGN:
            return RIGHT if col in (WEIGHT, EFFECTIVE) else None
        if role == ID_ROLE:
            return item.id
        return "group" if is_group else "criterion"  # KIND_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if not self.read_only else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return flags
        is_group = index.internalId() == 0
        col = index.column()
        if col in (WEIGHT, NAME):
            flags |= Qt.ItemFlag.ItemIsEditable
        if col == KNOCKOUT and not is_group:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        flags |= Qt.ItemFlag.ItemIsDropEnabled if is_group else Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index)
        if item is None or self.edit_handler is None or self.read_only:
            return False
        kind = "group" if isinstance(item, domain.Group) else "criterion"
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == KNOCKOUT and kind == "criterion":
            return self.edit_handler(kind, item.id, "knockout", Qt.CheckState(value) == Qt.CheckState.Checked)
        if role != Qt.ItemDataRole.EditRole:
            return False
        if col == WEIGHT:
            return self.edit_handler(kind, item.id, "weight", value)
        if col == NAME:
            return self.edit_handler(kind, item.id, "name", str(value))
        return False

    # --- drag to reorder ---
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [str(self.item(i).id) for i in indexes if i.column() == 0 and i.internalId() != 0]  # type: ignore[union-attr]
        mime.setData(MIME, QByteArray(",".join(ids[:1]).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return data.hasFormat(MIME) and not self.read_only and (parent.isValid() or row >= 0)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent) or self.move_handler is None:
            return False
        raw = bytes(data.data(MIME).data()).decode()
        if not raw:
            return False
        criterion_id = int(raw)
        if not parent.isValid():
            return False
        if parent.internalId() == 0:  # onto or between the criteria of a group
            group_row, position = parent.row(), row if row >= 0 else len(self.members[parent.row()])
        else:  # onto a criterion: take its place
            group_row, position = int(parent.internalId()) - 1, parent.row()
        group_id = self.groups[group_row].id
        siblings = [c.id for c in self.members[group_row]]
        if criterion_id in siblings and siblings.index(criterion_id) < position:
            position -= 1  # the moved row leaves a gap above the drop point
        handler = self.move_handler
        # Deferred: the view is still inside its drag when this returns, and the move resets the model.
        QTimer.singleShot(0, lambda: handler(criterion_id, group_id, position))
        return False
