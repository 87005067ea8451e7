"""Workbook plumbing (a write-only Book of Sheets, styles, tables, charts) and the plain,
formula-free sheets of the committee workbook: one per evaluator, Disagreement, Spread,
Sensitivity, Tariffs, Audit."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col

from vendor_eval.domain import AuditRow, Snapshot
from vendor_eval.io.text_safety import set_text_cell
from vendor_eval.scoring.results import (
    DisagreementResult,
    SensitivityResult,
    TariffResult,
)

BOLD = Font(bold=True)
HEAD_FONT = Font(bold=True, color="1F2933")
HEAD_FILL = PatternFill("solid", fgColor="E6ECF3")
INPUT_FONT = Font(color="1D4E89", bold=True)
INPUT_FILL = PatternFill("solid", fgColor="EEF4FB")
WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=14, color="1D4E89")
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

    def cell(self, row: int, column: int, value: Any = None) -> Any:
        """Like Worksheet.cell: the cell at (row, column), created if new; value set unless None."""
        cells = self._rows.setdefault(row, {})
        c = cells.get(column)
        if not isinstance(c, Cell):  # WriteOnlyCell is a factory of Cells
            c = cells[column] = WriteOnlyCell(self.ws, c)
        if value is not None:
            c.value = value
        return c

    def put(self, row: int, column: int, value: Any) -> None:
        self._rows.setdefault(row, {})[column] = value

    @property
    def freeze_panes(self) -> Any:
        return self.ws.freeze_panes

    @freeze_panes.setter
    def freeze_panes(self, coordinate: str) -> None:
        self.ws.freeze_panes = coordinate

    def __getattr__(self, name: str) -> Any:  # auto_filter, column_dimensions, conditional_formatting...
        return getattr(self.ws, name)

    def close(self) -> None:
        """Stream the rows (column widths and panes must be set before this)."""
        written = 0
        for r in sorted(self._rows):
            cells = self._rows[r]
            for _ in range(r - written - 1):
                self.ws.append([])
            self.ws.append([cells.get(c) for c in range(1, max(cells) + 1)])
            written = r
        self._rows.clear()


class Book:
    """The write-only workbook and its sheets; save() streams every sheet, then writes the file."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        new = Sheet(self.wb, sheet_name(self.wb, title))
        self.sheets.append(new)
        return new

    def save(self, path: Path) -> None:
        for s in self.sheets:
            s.close()
        self.wb.save(path)


def title(ws: Any, text: str, subtitle: str) -> None:
    set_text_cell(ws.cell(1, 1), text)
    ws.cell(1, 1).font = TITLE_FONT
    set_text_cell(ws.cell(2, 1), subtitle)
    ws.cell(2, 1).font = Font(italic=True, color="5F6B7A")


def header_cell(cell: Any, text: str) -> None:
    set_text_cell(cell, text)
    cell.font = HEAD_FONT
    cell.fill = HEAD_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def header(ws: Any, row: int, labels: Sequence[str], start: int = 1) -> None:
    for k, label in enumerate(labels):
        header_cell(ws.cell(row, start + k), label)


def input_cell(cell: Any) -> None:
    cell.font = INPUT_FONT
    cell.fill = INPUT_FILL
    cell.number_format = "0.00"


def widths(ws: Any, spec: dict[str, float]) -> None:
    for letter, width in spec.items():
        ws.column_dimensions[letter].width = width


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


def bar_chart(ws: Any, name: str, head: int, end: int, label_col: int, value_col: int, anchor: str) -> None:
    """A native horizontal bar chart of one column (live formulas, so it moves with the weights)."""
    if end <= head:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = name
    chart.style = 10
    chart.legend = None
    chart.y_axis.title = "points (0-100)"
    chart.x_axis.scaling.orientation = "maxMin"  # best vendor at the top
    chart.add_data(Reference(ws, min_col=value_col, min_row=head, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=label_col, min_row=head + 1, max_row=end))
    chart.height = max(7.5, 0.5 * (end - head) + 2)
    chart.width = 18
    ws.add_chart(chart, anchor)


def table(ws: Any, row: int, labels: Sequence[str], rows: Sequence[Sequence[Any]],
          formats: dict[int, str] | None = None) -> int:
    """Header plus rows (str through set_text_cell, numbers as numbers); frozen, filtered; returns the last row."""
    header(ws, row, labels)
    fmt = formats or {}
    for i, values in enumerate(rows):
        for k, value in enumerate(values):
            cell = ws.cell(row + 1 + i, 1 + k)
            if isinstance(value, str):
                set_text_cell(cell, value)
            elif value is not None and not (isinstance(value, float) and not math.isfinite(value)):
                cell.value = value
                if k in fmt:
                    cell.number_format = fmt[k]
    end = row + len(rows)
    ws.freeze_panes = f"A{row + 1}"
    ws.auto_filter.ref = f"A{row}:{col(len(labels))}{max(end, row)}"
    return end


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


def evaluator_sheets(book: Book, snap: Snapshot) -> None:
    """One sheet per evaluator: vendors x criteria scores, then their comments."""
    crit = snap.criteria
    by_evaluator: dict[int, list[Any]] = {x.id: [] for x in snap.evaluators}
    for s in snap.scores:
        by_evaluator[s.evaluator_id].append(s)
    last = col(1 + len(crit))
    for n, x in enumerate(snap.evaluators):
        ws = book.sheet(f"E{n + 1:02d} {x.name}")
        title(ws, x.name, x.role or "Evaluator")
        head = 4
        header(ws, head, ("Vendor", *(c.name for c in crit)))
        for i, v in enumerate(snap.vendors):
            set_text_cell(ws.cell(head + 1 + i, 1), v.name)
        comments = []
        for s in by_evaluator[x.id]:
            r = head + 1 + snap.index_of("vendor", s.vendor_id)
            ws.put(r, 2 + snap.index_of("criterion", s.criterion_id), s.value)
            if s.comment.strip():
                comments.append(s)
        end = head + len(snap.vendors)
        ws.freeze_panes = "B5"
        ws.auto_filter.ref = f"A{head}:{last}{end}"
        ws.column_dimensions["A"].width = 30
        colour_scale(ws, f"B{head + 1}:{last}{end}")
        if comments:
            comments.sort(key=lambda s: (snap.index_of("vendor", s.vendor_id), snap.index_of("criterion", s.criterion_id)))
            r0 = end + 3
            ws.cell(r0 - 1, 1, "Comments").font = TITLE_FONT
            header(ws, r0, ("Vendor", "Criterion", "Score", "Comment"))
            for i, s in enumerate(comments):
                set_text_cell(ws.cell(r0 + 1 + i, 1), snap.vendors[snap.index_of("vendor", s.vendor_id)].name)
                set_text_cell(ws.cell(r0 + 1 + i, 2), snap.criteria[snap.index_of("criterion", s.criterion_id)].name)
                ws.cell(r0 + 1 + i, 3, s.value)
                set_text_cell(ws.cell(r0 + 1 + i, 4), s.comment)
                ws.cell(r0 + 1 + i, 4).alignment = WRAP


def disagreement_sheets(book: Book, snap: Snapshot, d: DisagreementResult | None) -> None:
    """Disagreement: evaluator bias, then the cells to discuss (largest spread first, capped);
    Spread: the whole vendors x criteria spread grid as a heat map."""
    ws = book.sheet("Disagreement")
    if d is None:
        title(ws, "Evaluator disagreement", "Not computed.")
        return
    title(ws, "Evaluator disagreement", f"Spread = (highest - lowest) / scale range; discuss from "
          f"{d.discuss_threshold:.0%}, must discuss from {d.must_discuss_threshold:.0%}. The Spread sheet maps "
          "every cell.")
    flagged = d.flagged()
    shown = flagged[:MAX_FLAGGED_ROWS]
    if len(flagged) > len(shown):
        set_text_cell(ws.cell(3, 1), f"Cells to discuss: the {len(shown):,} largest spreads of {len(flagged):,}.")
    rows = [(c.vendor, c.criterion, c.n_scores, c.low, c.high, c.spread, c.band.replace("_", " ")) for c in shown]
    table(ws, 4, ("Vendor", "Criterion", "Scores", "Lowest", "Highest", "Spread", "Band"), rows, {5: "0%"})
    # Bias beside the list, so the frozen header stays one row high.
    header(ws, 4, ("Evaluator", "Bias vs. the panel", "Cells compared"), start=9)
    for i, b in enumerate(d.evaluators):
        set_text_cell(ws.cell(5 + i, 9), b.name)
        if math.isfinite(b.bias):
            ws.cell(5 + i, 10, b.bias).number_format = "+0.0%;-0.0%;0.0%"
        ws.cell(5 + i, 11, b.cells)
    widths(ws, {"A": 30, "B": 40, "G": 14, "I": 28, "J": 18, "K": 15})
    spread_sheet(book, snap, d)


def spread_sheet(book: Book, snap: Snapshot, d: DisagreementResult) -> None:
    ws = book.sheet("Spread")
    title(ws, "Spread of evaluators' scores", "Per vendor and criterion, (highest - lowest) / scale range; "
          "blank where fewer than two evaluators scored.")
    vendor = {v.id: v.name for v in snap.vendors}
    criterion = {c.id: c.name for c in snap.criteria}
    header(ws, 4, ("Vendor", *(criterion[c] for c in d.criterion_ids)))
    for i, vid in enumerate(d.vendor_ids):
        set_text_cell(ws.cell(5 + i, 1), vendor[vid])
        for j, x in enumerate(d.spread[i]):
            if math.isfinite(x):
                ws.cell(5 + i, 2 + j, float(x)).number_format = "0%"
    last = col(1 + len(d.criterion_ids))
    end = 4 + len(d.vendor_ids)
    ws.freeze_panes = "B5"
    ws.auto_filter.ref = f"A4:{last}{end}"
    ws.column_dimensions["A"].width = 30
    if d.vendor_ids:
        rule = ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF", mid_type="num",
                              mid_value=d.discuss_threshold, mid_color="FCEBA8", end_type="num",
                              end_value=max(d.must_discuss_threshold, d.discuss_threshold + 0.01),
                              end_color="F8B5B1")
        ws.conditional_formatting.add(f"B5:{last}{end}", rule)


def sensitivity_sheet(book: Book, s: SensitivityResult | None) -> None:
    ws = book.sheet("Sensitivity")
    if s is None:
        title(ws, "Sensitivity", "Not computed.")
        return
    title(ws, "Sensitivity", "Critical weight changes: the smallest change of one criterion's weight (others "
          "rescaled) that changes the winner, in shares of the total weight.")
    rows = [(c.criterion_key, c.criterion, c.weight, c.delta_up, c.winner_up or "", c.delta_down,
             c.winner_down or "") for c in s.critical]
    end = table(ws, 4, ("Key", "Criterion", "Weight", "Raise by", "New winner", "Lower by", "New winner"), rows,
                {2: "0.00%", 3: "+0.00%;-0.00%", 5: "+0.00%;-0.00%"})
    widths(ws, {"A": 12, "B": 40, "C": 10, "D": 10, "E": 28, "F": 10, "G": 28})
    if s.smaa is None:
        return
    acc = s.smaa.acceptability
    r0 = end + 3
    ws.cell(r0 - 1, 1, f"Rank acceptability: share of {s.smaa.samples:,} sampled weight vectors "
            f"({s.smaa.sampling}, seed {s.smaa.seed})").font = TITLE_FONT
    header(ws, r0, ("Vendor", *(f"Rank {k + 1}" for k in range(acc.shape[1]))))
    for i, name in enumerate(s.vendor_names):
        set_text_cell(ws.cell(r0 + 1 + i, 1), name)
        for k in range(acc.shape[1]):
            ws.cell(r0 + 1 + i, 2 + k, float(acc[i, k])).number_format = "0.0%"
    if len(s.vendor_names):
        colour_scale(ws, f"B{r0 + 1}:{col(1 + acc.shape[1])}{r0 + len(s.vendor_names)}", 0.0, 1.0)


def tariffs_sheet(book: Book, t: TariffResult | None) -> None:
    ws = book.sheet("Tariffs")
    if t is None:
        title(ws, "Tariff scenarios", "Not computed (no cost lines or scenarios).")
        return
    title(ws, "Tariff scenarios", "Cost over the contract term per vendor and scenario. " + " ".join(t.notes))
    rows = [(x.vendor, x.scenario, x.term_years, x.annual_baseline, x.baseline_total, x.total, x.increase,
             x.exposure_ratio, x.currency) for x in t.lines]
    money = "#,##0"
    table(ws, 4, ("Vendor", "Scenario", "Term (years)", "Annual baseline", "Baseline over term", "Total over term",
                  "Increase", "Exposure", "Currency"), rows,
          {2: "0.0", 3: money, 4: money, 5: money, 6: money, 7: "0.0%"})
    widths(ws, {"A": 30, "B": 34, "C": 12, "D": 16, "E": 18, "F": 16, "G": 14, "H": 11, "I": 10})


def audit_sheet(book: Book, audit: Sequence[AuditRow], intact: bool | None) -> None:
    ws = book.sheet("Audit")
    state = {True: "The audit chain verified intact.", False: "WARNING: the audit chain is broken; see "
             "'vendor-eval-cli verify'.", None: "The audit chain was not verified for this export."}[intact]
    title(ws, "Audit trail", f"Every change, oldest first, hash-chained. {state}")
    rows = [(a.seq, a.at, a.actor, a.entity, a.field, a.old_value, a.new_value, a.reason) for a in audit]
    table(ws, 4, ("#", "When (UTC)", "Who", "What", "Field", "Old value", "New value", "Reason"), rows)
    widths(ws, {"A": 7, "B": 26, "C": 18, "D": 14, "E": 16, "F": 40, "G": 40, "H": 40})
