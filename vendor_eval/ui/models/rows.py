"""A read-mostly table model over a list of plain rows with declared columns.

Most tables in the app (evaluations, vendors, ranking, audit, progress...) are lists of
dataclasses with a few columns; declaring the columns once keeps each model a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from vendor_eval.ui.models.roles import ALIGN, DISPLAY, EDIT, RIGHT, TOOLTIP

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a sortable value (numbers stay numbers)


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    value: Callable[[R], Any]
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    fmt: str = ""  # format spec for numbers, e.g. ".1f"
    header_tip: str = ""
    edit_field: str = ""  # when set, the cell is editable and edits go to the model's edit handler
    sort_key: Callable[[R], Any] | None = None  # what a sorting proxy compares, when not the value itself


class RowsModel(QAbstractTableModel, Generic[R]):
    columns: Sequence[Column[R]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        # (row, field, new text) -> accepted? The handler calls a service; the model never writes.
        self.edit_handler: Callable[[R, str, Any], bool] | None = None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row(self, index: int) -> R:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == DISPLAY:
            value = col.value(row)
            if value is None:
                return ""
            if col.fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
                return format(value, col.fmt)
            return str(value)
        if role == EDIT and col.edit_field:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = col.value(row) if col.sort_key is None else col.sort_key(row)
            return value if isinstance(value, (int, float)) else str(value if value is not None else "")
        if role == TOOLTIP and col.tooltip is not None:
            return col.tooltip(row) or None
        if role == ALIGN and col.align_right:
            return RIGHT
        if role == ROW_ROLE:
            return row
        return self.extra_data(row, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].edit_field and self.edit_handler is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.edit_handler is None:
            return False
        field = self.columns[index.column()].edit_field
        return bool(field) and self.edit_handler(self._rows[index.row()], field, value)

    def extra_data(self, row: R, column: int, role: int) -> Any:
        """Subclasses: colours, fonts, check states."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].header_tip or None
        return None
