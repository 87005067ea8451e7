"""Workbook plumbing (a write-only Book of Sheets, styles, tables, charts, the criteria-as-rows
grid) and the plain, formula-free sheets of the committee workbook: one per evaluator
(comments as notes on the scores), Disagreement, Spread, Sensitivity, Acceptability, Tariffs, Audit."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from vendor_eval.domain import AuditRow, Criterion, Group, Snapshot
from vendor_eval.io.report.audit_text import audit_lines
from vendor_eval.io.report.pdf_styles import HEAT_STOPS
from vendor_eval.io.report.xlsx_print import PrintFrame, setup_print
from vendor_eval.io.text_safety import EXCEL_CELL_LIMIT, XML_ILLEGAL, excel_text, set_text_cell
from vendor_eval.scoring.results import (
    DisagreementResult,
    SensitivityResult,
    TariffResult,
)

FONT = "Calibri"  # the workbook's default; named everywhere, or LibreOffice falls back to a serif face
BOLD = Font(name=FONT, bold=True)
HEAD_FONT = Font(name=FONT, bold=True, color="1F2933")
HEAD_FILL = PatternFill("solid", fgColor="E6ECF3")
BAND_FILL = {"discuss": PatternFill("solid", fgColor="FCEFC7"),  # pdf_styles.FLAG_BG warn / bad
             "must_discuss": PatternFill("solid", fgColor="F8D7D5")}
HEAD_RULE = Border(bottom=Side(style="thin", color="1D4E89"))  # the PDF's accent line under a header
INPUT_FONT = Font(name=FONT, color="1D4E89", bold=True)
INPUT_FILL = PatternFill("solid", fgColor="EEF4FB")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LABEL_WRAP = Alignment(wrap_text=True, vertical="bottom")  # on the numbers' baseline beside it
TOP_CENTRE = Alignment(horizontal="center", vertical="top")
CENTRE = Alignment(horizontal="center")
RIGHT = Alignment(horizontal="right")
CENTRE_WRAP = Alignment(horizontal="center", vertical="bottom", wrap_text=True)
NUMBER_HEAD = Alignment(horizontal="right", vertical="bottom", wrap_text=True)  # over right-aligned numbers
SECTION_FONT = Font(name=FONT, bold=True, size=12, color="1D4E89")
SUBTITLE_FONT = Font(name=FONT, italic=True, color="5F6B7A")
# The PDF's heat colours (worst red, middle amber, best green) as Excel RGB.
HEAT = tuple("".join(f"{round(x * 255):02X}" for x in rgb) for _, rgb in HEAT_STOPS)
LINE_HEIGHT = 15.0  # points: a row of one line of 11 pt text
MORE_LINES = 14.0  # points per further line of wrapped text (Excel ~15, LibreOffice ~13.5)
CHARS_PER_UNIT = 1.2  # characters of 11 pt text per column-width unit (the unit is one digit's width)
BOLD_CHARS_PER_UNIT = 0.95
# A cell's text starts and ends inside its borders: a column holds (width - padding) x density
# characters. Without it a narrow column's estimate said one line where a printed page wrapped
# two, and the second line overprinted the next row.
CELL_PADDING = 2.5
PROSE_CHARS_PER_UNIT = 1.1  # sentences: printed, LibreOffice fits 1.12-1.15 per unit in the Audit's After
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1D4E89")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_FLAGGED_ROWS = 2_000  # the rest is on the Spread sheet; a longer list helps nobody


class Sheet:
    """A worksheet filled in any order and streamed in row order on close().

    The workbook is write-only: openpyxl then keeps no cell index and sorts nothing, which
    saves about a third of the CPU on a large evaluation's quarter of a million cells.
    cell() gives a styleable cell; put() stores a bare number or formula (cheapest).
    """

    def __init__(self, wb: Workbook, title: str):
        self.ws = wb.create_sheet(title)
        self.title = self.ws.title
        self._rows: dict[int, dict[int, Any]] = {}
        self._wrapped: list[tuple[int, int, int, float]] = []

    def cell(self, row: int, column: int, value: Any = None) -> Any:
        """Like Worksheet.cell: the cell at (row, column), created if new; value set unless None."""
        cells = self._rows.setdefault(row, {})
        c = cells.get(column)
        if not isinstance(c, Cell):  # WriteOnlyCell is a factory of Cells
            c = cells[column] = as_cell(self.ws, c)
        if value is not None:
            c.value = value
        return c

    def put(self, row: int, column: int, value: Any, look: StyleArray | None = None) -> None:
        """A number or one of our formulas, with a look (from look()) or none: no Cell object is made."""
        self._rows.setdefault(row, {})[column] = value if look is None else (value, look)

    def put_grid(self, rows: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
        """put() of many bare numbers (one per row and column) at once, a row at a time: the
        large evaluation's 180,000 scores cost a Python step per row rather than per cell."""
        if not len(rows):
            return
        order = np.argsort(rows, kind="stable")
        rows, columns, values = rows[order], columns[order], values[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        for row, cs, vs in zip(rows[starts].tolist(), np.split(columns, starts[1:]), np.split(values, starts[1:]),
                               strict=True):
            self._rows.setdefault(row, {}).update(zip(cs.tolist(), vs.tolist(), strict=True))

    def text(self, row: int, column: int, value: str, look: StyleArray | None = None) -> None:
        """Untrusted text, neutralised as set_text_cell does (it can never start with '=')."""
        self.put(row, column, excel_text(value), look)

    def look(self, **style: Any) -> StyleArray:
        """A look to share between put() cells: number_format, font, fill, alignment... as on a cell."""
        template = WriteOnlyCell(self.ws)
        for name, value in style.items():
            setattr(template, name, value)
        return template._style

    @property
    def freeze_panes(self) -> Any:
        return self.ws.freeze_panes

    @freeze_panes.setter
    def freeze_panes(self, coordinate: str) -> None:
        self.ws.freeze_panes = coordinate

    def __getattr__(self, name: str) -> Any:  # auto_filter, column_dimensions, conditional_formatting...
        return getattr(self.ws, name)

    def merge_wrapped(self, row: int, first: int, last: int) -> None:
        """Merge row's columns first..last into one wrapped cell, as tall as its text needs
        (neither Excel nor LibreOffice sizes a merged row by itself)."""
        self.cell(row, first).alignment = WRAP
        if last > first:
            self.ws.merged_cells.add(f"{col(first)}{row}:{col(last)}{row}")
        self.fit_height(row, first, last)

    def fit_height(self, row: int, first: int, last: int | None = None, density: float = CHARS_PER_UNIT) -> None:
        """Make the row tall enough for the wrapped text of the cell at first (spanning to last),
        at `density` characters per width unit; sized on close(), once the column widths are known.
        Neither Excel nor LibreOffice sizes rows on opening a file, so wrapped text would be cut."""
        self._wrapped.append((row, first, first if last is None else last, density))

    def _value(self, row: int, column: int) -> Any:
        """The value at (row, column), read without turning a put() value into a Cell."""
        stored = self._rows.get(row, {}).get(column)
        if isinstance(stored, Cell):
            return stored.value
        return stored[0] if isinstance(stored, tuple) else stored

    def _size_wrapped(self) -> None:
        heights: dict[int, float] = {}
        for row, first, last, density in self._wrapped:
            units = sum(self.ws.column_dimensions[col(k)].width or 8.43 for k in range(first, last + 1))
            lines = wrapped_lines(str(self._value(row, first) or ""), int((units - CELL_PADDING) * density))
            heights[row] = max(heights.get(row, 0.0), LINE_HEIGHT + MORE_LINES * (lines - 1))
        for row, height in heights.items():
            if height > LINE_HEIGHT:
                self.ws.row_dimensions[row].height = height

    def close(self) -> None:
        """Stream the rows (column widths and panes must be set before this)."""
        self._size_wrapped()
        rows = sorted(self._rows.keys() | {r for r, d in self.ws.row_dimensions.items() if d.height})
        if not fast_rows(self.ws, ((r, self._rows.get(r, {})) for r in rows)):
            written = 0
            for r in rows:
                cells = self._rows.get(r, {})
                for _ in range(r - written - 1):
                    self.ws.append([])
                values = [cells.get(c) for c in range(1, max(cells, default=0) + 1)]
                values = [as_cell(self.ws, v) if isinstance(v, tuple) else v for v in values]
                if any(isinstance(v, Cell) for v in values):  # openpyxl would write a bare value after an
                    # unstyled Cell into that Cell, its note included: each value gets its own cell
                    values = [v if v is None or isinstance(v, Cell) else WriteOnlyCell(self.ws, v) for v in values]
                self.ws.append(values)
                written = r
        self._rows.clear()


def as_cell(ws: Any, stored: Any) -> Any:
    """A styleable cell for a put() value (bare or with its look)."""
    if isinstance(stored, tuple):
        c = WriteOnlyCell(ws, stored[0])
        c._style = copy(stored[1])
        return c
    return WriteOnlyCell(ws, stored)


def fast_rows(ws: Any, rows: Iterable[tuple[int, dict[int, Any]]]) -> bool:
    """Write a write-only sheet's <sheetData> as text: openpyxl builds and serialises an element
    tree per cell (about 8 us; two thirds of the workbook's time on a large evaluation), this
    formats a plain number, text or formula cell as one string (under 1 us). Any other cell (a
    note, a date, rich text) goes through openpyxl's own cell writer in the same stream.
    Uses openpyxl's write-only stream (3.1); returns False, having written nothing, if that
    stream is not the one expected, and the caller appends the rows the ordinary way."""
    ws._get_writer()
    xf = ws._writer.xf.send(True)
    raw = getattr(xf, "_file", None)  # et_xmlfile's raw text sink (openpyxl without lxml)
    if not callable(raw) or ws._rows is not None:
        ws._writer.xf.send(None)  # back to the state _get_writer left: append() works as usual
        return False
    styles = ws.parent._cell_styles
    shared: dict[int, str] = {}  # look (by identity) -> its style attribute
    dims = ws.row_dimensions
    with xf.element("sheetData"):
        for r, cells in rows:
            extra = "".join(f' {k}="{v}"' for k, v in dims[r]) if r in dims else ""
            parts = [f'<row r="{r}"{extra}>']
            for c in sorted(cells):
                value = cells[c]
                ref = f"{col(c)}{r}"
                style = ""
                if isinstance(value, tuple):  # put() with a look
                    value, look = value
                    style = shared.get(id(look), "")
                    if not style and any(look):
                        style = shared[id(look)] = f' s="{styles.add(look)}"'  # the looks live as long as rows
                elif isinstance(value, Cell):
                    if value._comment is not None or value.hyperlink is not None or value.data_type not in "nsf":
                        raw("".join(parts))
                        parts = []
                        value.row, value.column = r, c
                        if value._comment is not None:
                            ws._comments.append(CommentRecord.from_cell(value))
                        write_cell(xf, ws, value, value.has_style)
                        continue
                    if value.has_style:
                        style = f' s="{styles.add(value._style)}"'
                    value = value._value
                if value is None:
                    if style:
                        parts.append(f'<c r="{ref}"{style}/>')
                elif isinstance(value, bool):
                    parts.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, (int, float)):
                    if math.isfinite(value):
                        parts.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
                elif isinstance(value, str) and value.startswith("=") and len(value) > 1:
                    parts.append(f'<c r="{ref}"{style}><f>{escape(value[1:])}</f><v/></c>')
                elif value == "":
                    parts.append(f'<c r="{ref}"{style} t="inlineStr"/>')  # as openpyxl writes it
                else:
                    text = str(value)
                    space = ' xml:space="preserve"' if text != text.strip() else ""
                    parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>')
            parts.append("</row>")
            raw("".join(parts))
    ws._writer.xf.send(None)
    ws._rows = (row for row in ((),))  # a generator, as append() leaves one: close() ends it, writes the rest
    return True


class Book:
    """The write-only workbook and its sheets; save() streams every sheet, then writes the file."""

    def __init__(self, frame: PrintFrame) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets: list[Sheet] = []
        self.frame = frame

    def sheet(self, title: str) -> Sheet:
        new = Sheet(self.wb, sheet_name(self.wb, title))
        self.sheets.append(new)
        return new

    def print(self, ws: Any, **how: Any) -> None:
        """Page setup (xlsx_print.setup_print) with this workbook's header and footer."""
        setup_print(ws, self.frame, **how)

    def flush(self) -> None:
        """Stream the sheets made so far (each is then done: nothing more may be put in it)."""
        for s in self.sheets:
            s.close()
        self.sheets.clear()

    def save(self, path: Path) -> None:
        self.flush()
        self.wb.save(path)


def title(ws: Any, text: str, subtitle: str, span: int = 1) -> None:
    """Title in A1; the subtitle in A2, wrapped across `span` columns so it prints whole."""
    set_text_cell(ws.cell(1, 1), text)
    ws.cell(1, 1).font = TITLE_FONT
    set_text_cell(ws.cell(2, 1), subtitle)
    ws.cell(2, 1).font = SUBTITLE_FONT
    ws.merge_wrapped(2, 1, span)


def header_cell(cell: Any, text: str) -> None:
    set_text_cell(cell, text)
    cell.font = HEAD_FONT
    cell.fill = HEAD_FILL
    cell.border = HEAD_RULE
    cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def header(ws: Any, row: int, labels: Sequence[str], start: int = 1) -> None:
    for k, label in enumerate(labels):
        header_cell(ws.cell(row, start + k), label)
        ws.fit_height(row, start + k, density=BOLD_CHARS_PER_UNIT)


def wrapped_lines(text: str, chars: int) -> int:
    """Lines a text takes when wrapped at word boundaries to `chars` characters (an estimate)."""
    chars = max(chars, 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= chars:
                used += 1 + len(word)
            else:
                lines += 1 if used else 0
                lines += (len(word) - 1) // chars
                used = (len(word) - 1) % chars + 1
    return max(lines, 1)


def fit_width(ws: Any, letter: str, texts: Sequence[str], low: float, high: float) -> float:
    """Column width for its longest text (bold-safe), between low and high; returns it."""
    width = min(high, max([low, *(len(t) * 1.1 + 2 for t in texts)]))
    ws.column_dimensions[letter].width = width
    return width


def input_cell(cell: Any) -> None:
    cell.font = INPUT_FONT
    cell.fill = INPUT_FILL
    cell.number_format = "0.00"


def widths(ws: Any, spec: Mapping[str, float]) -> float:
    """Set column widths; returns their total (the printed width, for setup_print)."""
    for letter, width in spec.items():
        ws.column_dimensions[letter].width = width
    return float(sum(spec.values()))


def colour_scale(ws: Any, ref: str, low: float | None = None, high: float | None = None) -> None:
    """Red (worst) - amber - green (best), fixed ends when given, else the range's min and max."""
    if low is None or high is None:
        rule = ColorScaleRule(start_type="min", start_color="F8B5B1", mid_type="percentile", mid_value=50,
                              mid_color="FCEBA8", end_type="max", end_color="B3E0B0")
    else:
        rule = ColorScaleRule(start_type="num", start_value=low, start_color="F8B5B1", mid_type="num",
                              mid_value=(low + high) / 2, mid_color="FCEBA8", end_type="num", end_value=high,
                              end_color="B3E0B0")
    ws.conditional_formatting.add(ref, rule)


def bar_chart(ws: Any, name: str, head: int, end: int, label_col: int, value_col: int, anchor: str,
              width_cm: float = 18) -> None:
    """A native horizontal bar chart of one column (live formulas, so it moves with the weights)."""
    if end <= head:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = name
    chart.style = 10
    chart.legend = None
    chart.y_axis.title = "points (0-100)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.number_format = "0"
    chart.x_axis.scaling.orientation = "maxMin"  # best vendor at the top
    chart.add_data(Reference(ws, min_col=value_col, min_row=head, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=label_col, min_row=head + 1, max_row=end))
    chart.height = max(7.5, 0.5 * (end - head) + 2)
    chart.width = width_cm
    ws.add_chart(chart, anchor)


def table(ws: Any, row: int, labels: Sequence[str], rows: Sequence[Sequence[Any]],
          formats: dict[int, str] | None = None) -> int:
    """Header plus rows (str through set_text_cell, numbers as numbers); frozen, filtered; returns the last row."""
    header(ws, row, labels)
    for k, value in enumerate(rows[0] if rows else ()):
        if isinstance(value, (int, float)):
            ws.cell(row, 1 + k).alignment = NUMBER_HEAD
    looks = {k: ws.look(number_format=f) for k, f in (formats or {}).items()}
    for i, values in enumerate(rows):
        for k, value in enumerate(values):
            if isinstance(value, str):
                ws.text(row + 1 + i, 1 + k, value)
            elif value is not None and not (isinstance(value, float) and not math.isfinite(value)):
                ws.put(row + 1 + i, 1 + k, value, looks.get(k))
    end = row + len(rows)
    ws.freeze_panes = f"A{row + 1}"
    ws.auto_filter.ref = f"A{row}:{col(len(labels))}{max(end, row)}"
    return end


def add_table(ws: Any, name: str, head: int, labels: Sequence[str], end: int) -> None:
    """An Excel table (filter buttons, banded rows) over the header at `head` and rows to `end`.
    The column names are given, as a write-only sheet cannot be read back for them."""
    ref = f"A{head}:{col(len(labels))}{max(end, head + 1)}"
    t = Table(displayName=name, ref=ref, tableColumns=[TableColumn(id=k + 1, name=label)
                                                          for k, label in enumerate(labels)])
    t.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode unless columns are given, as here
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(t)


def sheet_name(wb: Workbook, wanted: str) -> str:
    """A legal, unique sheet name (31 characters, no []:*?/\\, no leading or trailing apostrophe)."""
    base = SHEET_NAME_BAD.sub("_", wanted).strip("'").strip() or "Sheet"
    base = base[:31]
    name, n = base, 2
    taken = {s.lower() for s in wb.sheetnames}
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


@dataclass(frozen=True)
class Band:
    """A group's band row above its criteria rows first..last."""

    group: Group
    row: int
    first: int
    last: int


@dataclass(frozen=True)
class Grid:
    """Criteria as rows (the PDF score matrix's layout): criterion id -> row, and the bands."""

    row_of: dict[int, int]
    bands: tuple[Band, ...]
    first: int
    last: int


def criteria_rows(ws: Any, snap: Snapshot, row0: int, width: int) -> Grid:
    """From row0 down: per group a band row (name in column A, shaded across `width` columns),
    then its criteria by name; lower-is-better criteria say so, as in the PDF."""
    by_group: dict[int, list[Criterion]] = {g.id: [] for g in snap.groups}
    for c in snap.criteria:
        by_group.setdefault(c.group_id, []).append(c)
    row_of: dict[int, int] = {}
    bands = []
    r = row0
    band, wrap = ws.look(fill=HEAD_FILL, font=BOLD), ws.look(alignment=LABEL_WRAP)  # shared: a style per cell is slow
    for g in snap.groups:
        if not by_group[g.id]:
            continue
        ws.text(r, 1, g.name, band)
        for i, c in enumerate(by_group[g.id]):
            row_of[c.id] = r + 1 + i
            # a name longer than label_width's cap wraps rather than being cut
            ws.text(r + 1 + i, 1, f"{c.name} (lower is better)" if c.direction == "min" else c.name, wrap)
            ws.fit_height(r + 1 + i, 1)
        bands.append(Band(g, r, r + 1, r + len(by_group[g.id])))
        r += 1 + len(by_group[g.id])
    if bands and width > 1:  # the band's shade across the row: one rule, not a styled cell per vendor
        ws.conditional_formatting.add(" ".join(f"B{b.row}:{col(width)}{b.row}" for b in bands),
                                      FormulaRule(formula=["TRUE"], fill=HEAD_FILL))
    return Grid(row_of, tuple(bands), row0, r - 1)


def vendor_header(ws: Any, row: int, col0: int, names: Sequence[str], labels: Sequence[str]) -> None:
    """The matrix header: labels over the label columns, then one wrapped vendor name per column,
    right-aligned like the numbers below it."""
    header(ws, row, labels)
    look = None
    for k, name in enumerate(names):
        cell = ws.cell(row, col0 + k)
        if look is None:
            header_cell(cell, name)
            cell.alignment = NUMBER_HEAD
            look = cell._style
        else:  # many vendors: copy the first one's look rather than set four style attributes again
            set_text_cell(cell, name)
            cell._style = copy(look)
        ws.fit_height(row, col0 + k, density=BOLD_CHARS_PER_UNIT)


def vendor_width(names: Sequence[str]) -> float:
    """A vendor column: wide enough for the longest word of any name (names wrap between words)."""
    longest = max((len(w) for n in names for w in n.split()), default=8)
    return min(20.0, max(11.0, longest * 1.15 + 2))


def heat_rows(ws: Any, snap: Snapshot, grid: Grid, first_col: int, last_col: int) -> None:
    """Each criterion row coloured on its own scale, worst red - amber - best green: pdf_styles.heat
    of the normalised score, so a cell has the colour it has in the PDF."""
    if last_col < first_col:
        return
    rows: dict[tuple[float, float, str], list[str]] = {}  # one rule per kind of scale, over all its rows
    for c in snap.criteria:
        r = grid.row_of.get(c.id)
        if r is not None and c.scale_max > c.scale_min:
            rows.setdefault((c.scale_min, c.scale_max, c.direction), []).append(f"{col(first_col)}{r}:{col(last_col)}{r}")
    for (low, high, direction), refs in rows.items():
        ends = (HEAT[2], HEAT[0]) if direction == "min" else (HEAT[0], HEAT[2])
        rule = ColorScaleRule(start_type="num", start_value=low, start_color=ends[0], mid_type="num",
                              mid_value=(low + high) / 2, mid_color=HEAT[1], end_type="num", end_value=high,
                              end_color=ends[1])
        ws.conditional_formatting.add(" ".join(refs), rule)


def label_width(ws: Any, snap: Snapshot) -> float:
    """Column A of a criteria-as-rows grid: as wide as the longest criterion or group name."""
    labels = [g.name for g in snap.groups] + [c.name + (" (lower is better)" if c.direction == "min" else "")
                                              for c in snap.criteria]
    return fit_width(ws, "A", labels, 24, 50)


def vendor_columns(ws: Any, first: int, names: Sequence[str]) -> float:
    """Equal vendor columns from `first`; returns their total width."""
    width = vendor_width(names)
    for k in range(len(names)):
        ws.column_dimensions[col(first + k)].width = width
    return width * len(names)


def scale_text(c: Criterion) -> str:
    return f"{c.scale_min:g}–{c.scale_max:g}"


def evaluator_sheets(book: Book, snap: Snapshot, order: Sequence[int] = ()) -> None:
    """One sheet per evaluator: criteria as rows under their groups, vendors as columns (in
    `order`, vendor ids, e.g. the ranking's), each row coloured on the criterion's scale; a
    score's comment is a note on its cell (shown on screen, not printed: the Audit sheet prints
    every comment with the score it was saved with)."""
    vendor_ids = list(order) or [v.id for v in snap.vendors]
    names = {v.id: v.name for v in snap.vendors}
    col_of = {vid: 3 + k for k, vid in enumerate(vendor_ids)}
    last = 2 + len(vendor_ids)
    table = snap.scores
    # Read as columns: 180,000 ScoreEntry objects would cost more than writing the cells.
    evaluator_of, notes = table.evaluator_id, table.comments
    noted = np.isin(table.id, np.fromiter(notes, np.int64, len(notes)))
    for n, x in enumerate(snap.evaluators):
        mine = evaluator_of == x.id
        ws = book.sheet(f"E{n + 1:02d} {x.name}")
        title(ws, x.name, f"{x.role or 'Evaluator'}: scores on each criterion's scale, coloured from worst (red) to "
              "best (green). A score's comment is a note on its cell; the Audit sheet prints every comment.", last)
        vendor_header(ws, 4, 3, [names[v] for v in vendor_ids], ("Criterion", "Scale"))
        ws.cell(4, 2).alignment = CENTRE_WRAP
        grid = criteria_rows(ws, snap, 5, last)
        centre = ws.look(alignment=CENTRE)
        for c in snap.criteria:
            if c.id in grid.row_of:
                ws.put(grid.row_of[c.id], 2, scale_text(c), centre)
        rows, cols = positions(grid.row_of, table.criterion_id[mine]), positions(col_of, table.vendor_id[mine])
        shown = (rows > 0) & (cols > 0)  # a vendor or criterion not in the grid: no cell
        bare, with_note = shown & ~noted[mine], shown & noted[mine]
        ws.put_grid(rows[bare], cols[bare], table.value[mine][bare])
        for r, k, value, sid in zip(rows[with_note].tolist(), cols[with_note].tolist(),
                                    table.value[mine][with_note].tolist(), table.id[mine][with_note].tolist(), strict=True):
            ws.cell(r, k, value).comment = note(notes[sid], x.name)
        ws.freeze_panes = "C5"
        units = label_width(ws, snap) + 8 + vendor_columns(ws, 3, [names[v] for v in vendor_ids])
        ws.column_dimensions["B"].width = 8
        heat_rows(ws, snap, grid, 3, last)
        book.print(ws, landscape=None, title_rows="4:4", title_cols="A:A", area=f"A1:{col(last)}{grid.last}",
                   width_units=units)


def positions(where: Mapping[int, int], ids: np.ndarray) -> np.ndarray:
    """where[i] for each id in ids (a row or column number), 0 for an id it does not hold."""
    keys = np.fromiter(sorted(where), np.int64, len(where))
    if not len(keys):
        return np.zeros(len(ids), np.int64)
    at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
    found = np.fromiter((where[k] for k in keys.tolist()), np.int64, len(keys))
    return np.where(keys[at] == ids, found[at], 0)


def note(text: str, author: str) -> Comment:
    """A cell note holding untrusted text, sized for it. A note never runs as a formula, so it
    keeps the text as written; XML-illegal characters are replaced and the length capped, as in cells."""
    body = XML_ILLEGAL.sub("\ufffd", text)[:EXCEL_CELL_LIMIT]
    comment = Comment(body, XML_ILLEGAL.sub("\ufffd", author)[:255])
    comment.width, comment.height = 260, 20 + 14 * wrapped_lines(body, 45)  # points
    return comment


def disagreement_sheets(book: Book, snap: Snapshot, d: DisagreementResult | None) -> None:
    """Disagreement: evaluator bias, then the cells to discuss (largest spread first, capped);
    Spread: the whole criteria x vendors spread grid as a heat map."""
    ws = book.sheet("Disagreement")
    if d is None:
        title(ws, "Evaluator disagreement", "Not computed.", 7)
        book.print(ws)
        return
    title(ws, "Evaluator disagreement", f"Spread = (highest - lowest) / scale range; discuss from "
          f"{d.discuss_threshold:.0%}, must discuss from {d.must_discuss_threshold:.0%}. The Spread sheet maps "
          "every cell.", 7)
    header(ws, 4, ("Evaluator", "Bias vs. the panel", "Cells"))
    ws.cell(4, 2).alignment = ws.cell(4, 3).alignment = NUMBER_HEAD
    for i, b in enumerate(d.evaluators):
        set_text_cell(ws.cell(5 + i, 1), b.name)
        if math.isfinite(b.bias):
            ws.cell(5 + i, 2, b.bias).number_format = "+0.0%;-0.0%;0.0%"
        ws.cell(5 + i, 3, b.cells)
    head = 7 + len(d.evaluators)
    flagged = d.flagged()
    shown = flagged[:MAX_FLAGGED_ROWS]
    note = f": the {len(shown):,} largest spreads of {len(flagged):,}" if len(flagged) > len(shown) else ""
    ws.cell(head - 1, 1, f"Cells to discuss{note}").font = SECTION_FONT
    rows = [(c.vendor, c.criterion, c.n_scores, c.low, c.high, c.spread, c.band.replace("_", " ")) for c in shown]
    end = table(ws, head, ("Vendor", "Criterion", "Scores", "Lowest", "Highest", "Spread", "Band"), rows, {5: "0%"})
    shaded = {band: ws.look(fill=fill) for band, fill in BAND_FILL.items()}
    for i, c in enumerate(shown):
        if c.band in shaded:
            ws.text(head + 1 + i, 7, rows[i][6], shaded[c.band])
    units = widths(ws, {"C": 8, "D": 8, "E": 8, "F": 8, "G": 14})
    units += fit_width(ws, "A", [c.vendor for c in shown] + [b.name for b in d.evaluators], 16, 32)
    units += fit_width(ws, "B", [c.criterion for c in shown], 16, 44)
    book.print(ws, title_rows=f"{head}:{head}", area=f"A1:G{end}", width_units=units)
    spread_sheet(book, snap, d)


def spread_sheet(book: Book, snap: Snapshot, d: DisagreementResult) -> None:
    ws = book.sheet("Spread")
    last = 1 + len(d.vendor_ids)
    title(ws, "Spread of evaluators' scores", "Per criterion and vendor, (highest - lowest) / scale range; "
          "blank where fewer than two evaluators scored. Amber: discuss; red: must discuss.", last)
    vendor = {v.id: v.name for v in snap.vendors}
    vendor_header(ws, 4, 2, [vendor[v] for v in d.vendor_ids], ("Criterion",))
    grid = criteria_rows(ws, snap, 5, last)
    percent = ws.look(number_format="0%")
    for j, cid in enumerate(d.criterion_ids):
        r = grid.row_of.get(cid)
        if r is None:
            continue
        for i in range(len(d.vendor_ids)):
            x = float(d.spread[i][j])
            if math.isfinite(x):
                ws.put(r, 2 + i, x, percent)
    ws.freeze_panes = "B5"
    units = label_width(ws, snap) + vendor_columns(ws, 2, [vendor[v] for v in d.vendor_ids])
    if d.vendor_ids and grid.last >= grid.first:
        rule = ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF", mid_type="num",
                              mid_value=d.discuss_threshold, mid_color=HEAT[1], end_type="num",
                              end_value=max(d.must_discuss_threshold, d.discuss_threshold + 0.01),
                              end_color=HEAT[0])
        ws.conditional_formatting.add(f"B{grid.first}:{col(last)}{grid.last}", rule)
    book.print(ws, landscape=None, title_rows="4:4", title_cols="A:A", area=f"A1:{col(last)}{max(grid.last, 4)}",
               width_units=units)

def sensitivity_sheet(book: Book, s: SensitivityResult | None) -> None:
    """Sensitivity: the critical weight changes; Acceptability (when sampled): how often each
    vendor takes each rank."""
    ws = book.sheet("Sensitivity")
    if s is None:
        title(ws, "Sensitivity", "Not computed.", 7)
        book.print(ws)
        return
    title(ws, "Sensitivity", "Critical weight changes: the smallest change of one criterion's weight (others "
          "rescaled) that changes the winner, in shares of the total weight.", 7)
    rows = [(c.criterion_key, c.criterion, c.weight, c.delta_up, c.winner_up or "", c.delta_down,
             c.winner_down or "") for c in s.critical]
    end = table(ws, 4, ("Key", "Criterion", "Weight", "Raise by", "New winner", "Lower by", "New winner"), rows,
                {2: "0.00%", 3: "+0.00%;-0.00%", 5: "+0.00%;-0.00%"})
    winners = [w for c in s.critical for w in (c.winner_up or "", c.winner_down or "")]
    units = widths(ws, {"C": 9, "D": 9, "F": 9})
    units += fit_width(ws, "A", [c.criterion_key for c in s.critical], 8, 30)
    units += fit_width(ws, "B", [c.criterion for c in s.critical], 16, 44)
    units += fit_width(ws, "E", winners, 12, 28) + fit_width(ws, "G", winners, 12, 28)
    book.print(ws, landscape=None, title_rows="4:4", area=f"A1:G{end}", width_units=units)
    if s.smaa is not None:
        acceptability_sheet(book, s)


def acceptability_sheet(book: Book, s: SensitivityResult) -> None:
    assert s.smaa is not None
    acc = s.smaa.acceptability
    ranks = acc.shape[1]
    ws = book.sheet("Acceptability")
    title(ws, "Rank acceptability", f"Share of {s.smaa.samples:,} sampled weight vectors ({s.smaa.sampling}, "
          f"seed {s.smaa.seed}) under which each vendor takes each rank.", 1 + ranks)
    header(ws, 4, ("Vendor", *(f"Rank {k + 1}" for k in range(ranks))))
    for k in range(ranks):
        ws.cell(4, 2 + k).alignment = NUMBER_HEAD
        ws.column_dimensions[col(2 + k)].width = 9
    for i, name in enumerate(s.vendor_names):
        set_text_cell(ws.cell(5 + i, 1), name)
        for k in range(ranks):
            ws.cell(5 + i, 2 + k, float(acc[i, k])).number_format = "0.0%"
    end = 4 + len(s.vendor_names)
    if len(s.vendor_names):
        colour_scale(ws, f"B5:{col(1 + ranks)}{end}", 0.0, 1.0)
    ws.freeze_panes = "B5"
    units = fit_width(ws, "A", list(s.vendor_names), 16, 40) + 9 * ranks
    book.print(ws, landscape=None, title_rows="4:4", title_cols="A:A", area=f"A1:{col(1 + ranks)}{max(end, 4)}",
               width_units=units)


def tariffs_sheet(book: Book, t: TariffResult | None) -> None:
    ws = book.sheet("Tariffs")
    if t is None:
        title(ws, "Tariff scenarios", "Not computed (no cost lines or scenarios).", 9)
        book.print(ws)
        return
    title(ws, "Tariff scenarios", "Cost over the contract term per vendor and scenario. " + " ".join(t.notes), 9)
    rows = [(x.vendor, x.scenario, x.term_years, x.annual_baseline, x.baseline_total, x.total, x.increase,
             x.exposure_ratio, x.currency) for x in t.lines]
    money = "#,##0"
    end = table(ws, 4, ("Vendor", "Scenario", "Term (years)", "Annual baseline", "Baseline over term",
                        "Total over term", "Increase", "Exposure", "Currency"), rows,
                {2: "0.0", 3: money, 4: money, 5: money, 6: money, 7: "0.0%"})
    units = widths(ws, {"A": 28, "B": 32, "C": 8, "D": 13, "E": 13, "F": 13, "G": 12, "H": 10, "I": 9})
    book.print(ws, landscape=True, title_rows="4:4", area=f"A1:I{end}", width_units=units)


AUDIT_LABELS = ("#", "When (UTC)", "Who", "What", "Vendor", "Criterion", "Change", "Before", "After", "Reason")
# Landscape. A score line is two printed lines: the date over the time, "Value, comment",
# the score and its comment in After; names mostly on one. The sample's ~2,000 lines print in
# 86 pages at about 7.3 pt (LibreOffice, Carlito), no overprint (docs/workbook_prints.py checks).
AUDIT_WIDTHS = {"A": 5, "B": 11, "C": 8, "D": 24, "E": 23, "F": 29, "G": 14, "H": 10, "I": 76, "J": 10}


def audit_sheet(book: Book, snap: Snapshot, audit: Sequence[AuditRow], intact: bool | None) -> None:
    """The audit trail as an Excel table, in words (audit_text): who changed what, when, from what to what.
    A reason repeated on the next lines (an import's file and hash on each of its scores) is printed
    once, then "Same as #n" names the line that holds it."""
    ws = book.sheet("Audit")
    state = {True: "The audit chain verified intact.", False: "WARNING: the audit chain is broken; see "
             "'vendor-eval-cli verify'.", None: "The audit chain was not verified for this export."}[intact]
    title(ws, "Audit trail", f"Every change, oldest first, hash-chained. {state} A score and the comment saved "
          "with it are two events (# and the next number) on one line: before and after read "
          "'value; comment: text'.", len(AUDIT_LABELS))
    header(ws, 4, AUDIT_LABELS)
    lines = audit_lines(audit, snap)
    said: tuple[str, int] = ("", 0)  # the reason last printed in full, and its line's number
    for i, a in enumerate(lines):
        r = 5 + i
        ws.cell(r, 1, a.seq).alignment = TOP_CENTRE
        reason = a.reason
        if reason and reason == said[0]:
            reason = f"Same as #{said[1]}"
        elif reason:
            said = (reason, a.seq)
        for k, text in enumerate((a.when, a.who, a.what, a.vendor, a.criterion, a.change, a.before, a.after,
                                  reason), start=2):
            if text:
                cell = ws.cell(r, k)
                set_text_cell(cell, text)
                cell.alignment = WRAP
                ws.fit_height(r, k, density=PROSE_CHARS_PER_UNIT if k in (8, 9, 10) else CHARS_PER_UNIT)
    end = 4 + len(lines)
    add_table(ws, "AuditTrail", 4, AUDIT_LABELS, end)
    ws.freeze_panes = "A5"
    units = widths(ws, AUDIT_WIDTHS)
    book.print(ws, landscape=True, title_rows="4:4", area=f"A1:J{max(end, 4)}", width_units=units)
