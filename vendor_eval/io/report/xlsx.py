"""The committee workbook (openpyxl): the ranking with live formulas finance can play with,
laid out to print like a document (xlsx_print: A4, fit to width, repeated titles, footers).

Weights holds the entered percentages as input cells and derives each criterion's
effective weight with formulas that mirror scoring.weights.hierarchical_weights;
Normalised mirrors scoring.normalise.linear_minmax; Consensus totals are
100 x SUMPRODUCT(effective weights, normalised scores) as in scoring.weighted (with the
evaluation's missing-score policy), and each group's band row holds its share of that total.
Change a weight in Excel and every total moves. Matrices put criteria in rows under their
groups and vendors in columns, in ranking order, as the PDF's score matrix does.

User and vendor text goes through text_safety.set_text_cell, so it can never run as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter as col

from vendor_eval.io.report import xlsx_sheets as sh
from vendor_eval.io.report.contents import ReportData
from vendor_eval.io.report.data import Cover, ReportInputs, ranking_rows
from vendor_eval.io.report.xlsx_print import PrintFrame
from vendor_eval.io.text_safety import set_text_cell

Progress = Callable[[float, str], None]
STATUS_FILL = {"Recommended": PatternFill("solid", fgColor="DCEFD9"),  # pdf_styles.FLAG_BG
               "Disqualified": PatternFill("solid", fgColor="F8D7D5")}
GROUP_ROW0 = 5  # first group row on Weights
GROUP_NO_COL = 8  # Weights column H: the group number the SUMIFs match on (a helper, not printed)
HEAD_ROW, RANK_ROW, TOTAL_ROW = 4, 5, 6  # Consensus and Normalised: vendor names, rank, live total
GRID_ROW0 = 7  # first group band row on Consensus and Normalised
FIRST_COL = 5  # vendors start in column E on Consensus and Normalised (A criterion, B weight, C-D scale)


def write_xlsx(data: ReportData, path: Path, progress: Progress | None = None) -> None:
    note = progress or (lambda _f, _m: None)
    inp = data.inputs
    book = sh.Book(PrintFrame(data.cover.title, data.cover.fingerprint))
    summary_ws = book.sheet("Summary")  # first tab, filled once the live totals' cells are known
    note(0.05, "writing weights")
    weight_cells = weights_sheet(book, inp)
    note(0.15, "writing consensus scores")
    totals = consensus_sheets(book, inp, weight_cells)
    summary_sheet(book, summary_ws, inp, data.cover, totals)
    note(0.35, "writing evaluators' scores")
    sh.evaluator_sheets(book, inp.snapshot, [v.vendor_id for v in inp.ranking.vendors])
    note(0.6, "writing analyses")
    sh.disagreement_sheets(book, inp.snapshot, inp.disagreement)
    sh.sensitivity_sheet(book, inp.sensitivity)
    sh.tariffs_sheet(book, inp.tariffs)
    note(0.7, "saving the workbook")
    book.flush()  # every other sheet, while the record's verification may still be running (verdict)
    sh.audit_sheet(book, inp.snapshot, inp.audit, inp.verdict())
    # No cached values are stored for the formulas: ask Excel and LibreOffice to compute on open.
    book.wb.calculation.fullCalcOnLoad = True
    book.save(path)
    note(1.0, "done")


def weights_sheet(book: sh.Book, inp: ReportInputs) -> dict[int, str]:
    """Groups and criteria with their entered weights as inputs; returns criterion id -> the
    absolute reference of its effective-weight cell."""
    snap = inp.snapshot
    ws = book.sheet("Weights")
    sh.title(ws, "Weights", "Change the blue input cells (percent as entered; they need not add up to 100): "
             "effective weights and every total in the workbook recalculate.", 7)
    n_groups, n_crit = len(snap.groups), len(snap.criteria)
    sh.header(ws, GROUP_ROW0 - 1, ("Group", "Weight % (input)", "Sum of its criteria %", "Counted weight %",
                                    "Group share"))
    sh.header(ws, GROUP_ROW0 - 1, ("Group no.",), start=GROUP_NO_COL)
    crit_row0 = GROUP_ROW0 + n_groups + 3
    c_first, c_last = crit_row0, crit_row0 + n_crit - 1
    group_row = {}
    g_last = GROUP_ROW0 + n_groups - 1
    for i, g in enumerate(snap.groups):
        r = GROUP_ROW0 + i
        group_row[g.id] = r
        set_text_cell(ws.cell(r, 1), g.name)
        sh.input_cell(ws.cell(r, 2, float(g.weight)))
        # Matched on the group number, not the name: SUMIF reads * ? ~ and a leading < > = in text.
        ws.cell(r, GROUP_NO_COL, i + 1)
        ws.cell(r, 3, f"=SUMIF($H${c_first}:$H${c_last},H{r},$D${c_first}:$D${c_last})")
        # A group whose criteria all weigh zero does not count (scoring.weights: live groups).
        ws.cell(r, 4, f"=IF(C{r}>0,B{r},0)")
        ws.cell(r, 5, f"=IF(SUM($D${GROUP_ROW0}:$D${g_last})>0,D{r}/SUM($D${GROUP_ROW0}:$D${g_last}),0)")
        ws.cell(r, 5).number_format = "0.00%"
    sh.header(ws, crit_row0 - 1, ("Group", "Key", "Criterion", "Weight % in group (input)", "Group share",
                                  "Share within group", "Effective weight", "Group no."))
    refs: dict[int, str] = {}
    for j, c in enumerate(snap.criteria):
        r = crit_row0 + j
        gr = group_row[c.group_id]
        ws.cell(r, 1, f"=$A${gr}")  # the group's name, so a renamed group cannot drift
        set_text_cell(ws.cell(r, 2), c.key)
        set_text_cell(ws.cell(r, 3), c.name)
        sh.input_cell(ws.cell(r, 4, float(c.weight)))
        ws.cell(r, 5, f"=$E${gr}")
        ws.cell(r, 6, f"=IF($C${gr}>0,D{r}/$C${gr},0)")
        ws.cell(r, 7, f"=E{r}*F{r}")
        ws.cell(r, GROUP_NO_COL, f"=$H${gr}")
        for k in (5, 6, 7):
            ws.cell(r, k).number_format = "0.00%"
        refs[c.id] = f"Weights!$G${r}"
    total = c_last + 1
    set_text_cell(ws.cell(total, 3), "Total")
    ws.cell(total, 7, f"=SUM(G{c_first}:G{c_last})").number_format = "0.00%"
    units = sh.fit_width(ws, "A", [g.name for g in snap.groups], 16, 36)
    units += sh.fit_width(ws, "B", [c.key for c in snap.criteria], 12, 34)
    units += sh.fit_width(ws, "C", [c.name for c in snap.criteria], 24, 48)
    sh.widths(ws, {"D": 13, "E": 11, "F": 11, "G": 11, "H": 10})
    ws.freeze_panes = f"A{GROUP_ROW0}"
    ws.auto_filter.ref = f"A{crit_row0 - 1}:H{c_last}"
    book.print(ws, area=f"A1:G{total}", width_units=units + 46)  # column H only feeds the SUMIFs
    return refs


def consensus_sheets(book: sh.Book, inp: ReportInputs, weight_cells: dict[int, str]) -> dict[int, str]:
    """Consensus (aggregated scores, group subtotals, live totals) and Normalised (0-1 formulas),
    criteria as rows and vendors as columns in ranking order; returns vendor id -> reference
    of the vendor's live total."""
    snap, r = inp.snapshot, inp.ranking
    cons = book.sheet("Consensus")
    norm = book.sheet("Normalised")
    policy = snap.evaluation.missing_policy
    vendors = list(r.vendors)
    last_col = FIRST_COL + len(vendors) - 1
    last = col(max(last_col, FIRST_COL))
    sh.title(cons, "Consensus scores", f"Aggregated scores ({r.variant.get('aggregation', '')}; price criteria: "
             f"{r.variant.get('price_formula', 'scores')}) on each criterion's scale, coloured from worst (red) to "
             f"best (green). Total = 100 x SUMPRODUCT(effective weights, normalised scores); missing scores: "
             f"{policy}. A group's row shows the points it adds to the total.", last_col)
    sh.title(norm, "Normalised scores", "(x - min) / (max - min), or (max - x) / (max - min) where lower is "
             "better: 0 = worst point of the scale, 1 = best.", last_col)
    group_row = {g.id: GROUP_ROW0 + i for i, g in enumerate(snap.groups)}
    grids = {}
    for ws in (cons, norm):
        sh.vendor_header(ws, HEAD_ROW, FIRST_COL, [v.name for v in vendors],
                         ("Criterion", "Weight", "Scale min", "Scale max"))
        for k in (2, 3, 4):
            ws.cell(HEAD_ROW, k).alignment = sh.NUMBER_HEAD if k == 2 else sh.CENTRE_WRAP
        ws.cell(RANK_ROW, 1, "Rank").font = sh.BOLD
        ws.cell(TOTAL_ROW, 1, "Total (live, 0-100)").font = sh.BOLD
        grid = grids[ws.title] = sh.criteria_rows(ws, snap, GRID_ROW0, last_col)
        percent, centre = ws.look(number_format="0.0%"), ws.look(alignment=sh.CENTRE)  # shared: cheaper than a style per cell
        for band in grid.bands:
            share = ws.cell(band.row, 2, f"=Weights!$E${group_row[band.group.id]}")
            share.number_format, share.font = "0.0%", sh.BOLD
        for c in snap.criteria:
            row = grid.row_of[c.id]
            ws.put(row, 2, f"={weight_cells[c.id]}", percent)
            ws.put(row, 3, float(c.scale_min), centre)
            ws.put(row, 4, float(c.scale_max), centre)
            set_text_cell(ws.cell(row, last_col + 2), c.key)  # beside the print area: for lookups
        ws.cell(HEAD_ROW, last_col + 2, "Key").font = sh.BOLD
        for n, v in enumerate(vendors):
            ws.cell(RANK_ROW, FIRST_COL + n, "DQ" if v.disqualified else v.rank).alignment = sh.RIGHT
    grid = grids[cons.title]
    row_of = {vid: i for i, vid in enumerate(r.vendor_ids)}
    crit_of = {cid: j for j, cid in enumerate(r.criterion_ids)}
    totals: dict[int, str] = {}
    first, end = grid.first, grid.last
    missing_value = '""' if policy == "renormalise" else "0"  # scoring.weighted: minimum -> 0
    score_look, norm_look = cons.look(number_format="0.00"), norm.look(number_format="0.000")
    subtotal = cons.look(number_format="0.00", font=sh.BOLD)
    for n, v in enumerate(vendors):
        x = FIRST_COL + n
        letter = col(x)
        values = r.matrix[row_of[v.vendor_id]]
        for c in snap.criteria:
            row = grid.row_of[c.id]
            value = float(values[crit_of[c.id]]) if c.id in crit_of else math.nan
            if math.isfinite(value):
                cons.put(row, x, value, score_look)
            raw = f"Consensus!{letter}{row}"
            span = f"($D{row}-$C{row})"
            expr = f"($D{row}-{raw})/{span}" if c.direction == "min" else f"({raw}-$C{row})/{span}"
            norm.put(row, x, f"=IF(ISNUMBER({raw}),{expr},{missing_value})", norm_look)
        # Band rows hold a group weight in column B but nothing on Normalised, so whole-column
        # SUMPRODUCTs count criteria only.
        scored = (f"/SUMPRODUCT($B${first}:$B${end},--ISNUMBER(Normalised!{letter}{first}:{letter}{end}))"
                  if policy == "renormalise" else "")
        total = cons.cell(TOTAL_ROW, x, f"=100*SUMPRODUCT($B${first}:$B${end},Normalised!{letter}{first}:{letter}{end})"
                          f"{scored}")
        total.number_format, total.font = "0.00", sh.BOLD
        for band in grid.bands:
            cons.put(band.row, x, f"=100*SUMPRODUCT($B${band.first}:$B${band.last},"
                                  f"Normalised!{letter}{band.first}:{letter}{band.last}){scored}", subtotal)
        norm.cell(TOTAL_ROW, x, f"=Consensus!{letter}{TOTAL_ROW}").number_format = "0.00"
        totals[v.vendor_id] = f"Consensus!${letter}${TOTAL_ROW}"
    for ws in (cons, norm):
        ws.freeze_panes = f"{col(FIRST_COL)}{GRID_ROW0}"
        sh.widths(ws, {"B": 9, "C": 7, "D": 7})
        units = sh.label_width(ws, snap) + 23 + sh.vendor_columns(ws, FIRST_COL, [v.name for v in vendors])
        sh.fit_width(ws, col(last_col + 2), [c.key for c in snap.criteria], 10, 40)
        book.print(ws, landscape=None, title_rows=f"{HEAD_ROW}:{TOTAL_ROW}", title_cols="A:A",
                   area=f"A1:{last}{end}", width_units=units)
    sh.heat_rows(cons, snap, grid, FIRST_COL, last_col)
    if vendors and end >= first:
        sh.colour_scale(norm, f"{col(FIRST_COL)}{first}:{last}{end}", 0.0, 1.0)
    return totals


def summary_sheet(book: sh.Book, ws: Any, inp: ReportInputs, about: Cover, totals: dict[int, str]) -> None:
    """One printed page: the facts (fingerprint whole), the ranking with live totals beside the
    names, and the chart of those totals."""
    r = inp.ranking
    sh.title(ws, about.title, "Committee workbook exported by vendor_eval. Scores come from the app; the live "
             "totals recalculate from the Weights sheet.", 6)
    facts = [("Organisation", about.organisation), ("Status", about.status), ("Scope", about.counts),
             ("Generated", about.generated), ("Fingerprint (SHA-256)", about.fingerprint),
             ("Audit chain head", about.audit_head), ("Ranking", about.ranked_by)]
    facts += [(k.replace("_", " ").capitalize(), v) for k, v in r.variant.items() if k != "method"]
    for i, (label, value) in enumerate(facts):
        row = 4 + i
        ws.cell(row, 1, label).font = sh.BOLD
        ws.cell(row, 1).alignment = sh.TOP
        set_text_cell(ws.cell(row, 2), str(value))
        ws.merge_wrapped(row, 2, 6)
        if label.startswith(("Fingerprint", "Audit chain")):
            ws.cell(row, 2).font = Font(name="Courier New", size=10)
    head = 6 + len(facts)
    ws.cell(head - 1, 1, "Ranking").font = sh.SECTION_FONT
    sh.header(ws, head, ("Rank", "Vendor", "Total (live)", "Score in the app", "Status", "Knock-out findings"))
    for k in (1, 3, 4, 5):
        ws.cell(head, k).alignment = sh.CENTRE_WRAP
    for n, (v, line) in enumerate(zip(r.vendors, ranking_rows(r, inp.snapshot), strict=True)):
        row = head + 1 + n
        ws.cell(row, 1, "DQ" if line.rank is None else line.rank).alignment = sh.TOP_CENTRE
        set_text_cell(ws.cell(row, 2), v.name)
        ws.cell(row, 3, f"={totals[v.vendor_id]}").number_format = "0.00"
        ws.cell(row, 3).font = sh.BOLD
        ws.cell(row, 4, float(v.score)).number_format = "0.00"
        set_text_cell(ws.cell(row, 5), line.status)
        set_text_cell(ws.cell(row, 6), " ".join(line.reasons))
        for k in (2, 6):
            ws.cell(row, k).alignment = sh.WRAP
        for k in (3, 4, 5):
            ws.cell(row, k).alignment = sh.TOP_CENTRE
        if line.status in STATUS_FILL:
            ws.cell(row, 5).fill = STATUS_FILL[line.status]
        ws.fit_height(row, 6)
    end = head + len(r.vendors)
    ws.freeze_panes = f"A{head + 1}"
    ws.auto_filter.ref = f"A{head}:F{max(end, head)}"
    sh.widths(ws, {"A": 22, "C": 12, "D": 12, "E": 13, "F": 40})
    sh.fit_width(ws, "B", [v.name for v in r.vendors], 24, 40)
    sh.bar_chart(ws, "Weighted totals (live)", head, end, 2, 3, f"A{end + 2}", width_cm=23)
    chart_rows = 2 + math.ceil(max(7.5, 0.5 * (end - head) + 2) / 2.54 * 72 / 15)  # bar_chart's height in rows
    book.print(ws, area=f"A1:F{end + chart_rows}", one_page=True)
