"""Qt's item roles and alignments as plain ints, for the models' data(): a view asks every role of
every cell it paints or measures, and comparing with an enum member looked up on each call cost
more than the answer."""

from __future__ import annotations

from PySide6.QtCore import Qt

_R = Qt.ItemDataRole
DISPLAY, EDIT, TOOLTIP, CHECK = int(_R.DisplayRole), int(_R.EditRole), int(_R.ToolTipRole), int(_R.CheckStateRole)
ALIGN, BACKGROUND, FOREGROUND, FONT = (int(_R.TextAlignmentRole), int(_R.BackgroundRole), int(_R.ForegroundRole),
                                       int(_R.FontRole))
CENTER = int(Qt.AlignmentFlag.AlignCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
