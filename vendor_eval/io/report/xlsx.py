"""The committee workbook (openpyxl): the ranking with live formulas finance can play with.

Weights holds the entered percentages as input cells and derives each criterion's
effective weight with formulas that mirror scoring.weights.hierarchical_weights;
Normalised mirrors scoring.normalise.linear_minmax; Consensus totals are
100 x SUMPRODUCT(effective weights, normalised scores) as in scoring.weighted (with the
evaluation's missing-score policy). Change a weight in Excel and every total moves.

User and vendor text goes through text_safety.set_text_cell, so it can never run as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter as col

from vendor_eval.io.report import xlsx_sheets as sh
from vendor_eval.io.report.contents import ReportData
from vendor_eval.io.report.data import Cover, ReportInputs
from vendor_eval.io.text_safety import set_text_cell

Progress = Callable[[float, str], None]
GROUP_ROW0 = 5  # first group row on Weights
META_ROWS = ("Group", "Key", "Scale min", "Scale max", "Better", "Effective weight")  # above each criterion
META_ROW0 = 4
HEAD_ROW = META_ROW0 + len(META_ROWS)  # the Consensus / Normalised table header (criterion names)
FIRST_COL = 4  # criteria start in column D on Consensus and Normalised


def write_xlsx(data: ReportData, path: Path, progress: Progress | None = None) -> None:
    note = progress or (lambda _f, _m: None)
    inp = data.inputs
    book = sh.Book()
    summary_ws = book.sheet("Summary")  # first tab, filled once the live totals' cells are known
    note(0.05, "writing weights")
    weight_cells = weights_sheet(book, inp)
    note(0.15, "writing consensus scores")
    totals = consensus_sheets(book, inp, weight_cells)
    summary_sheet(summary_ws, inp, data.cover, totals)
    note(0.35, "writing evaluators' scores")
    sh.evaluator_sheets(book, inp.snapshot)
    note(0.6, "writing analyses")
    sh.disagreement_sheets(book, inp.snapshot, inp.disagreement)
    sh.sensitivity_sheet(book, inp.sensitivity)
    sh.tariffs_sheet(book, inp.tariffs)
    sh.audit_sheet(book, inp.audit, inp.chain_intact)
    # No cached values are stored for the formulas: ask Excel and LibreOffice to compute on open.
    book.wb.calculation.fullCalcOnLoad = True
    note(0.7, "saving the workbook")
    book.save(path)
    note(1.0, "done")


def weights_sheet(book: sh.Book, inp: ReportInputs) -> dict[int, str]:
    """Groups and criteria with their entered weights as inputs; returns criterion id -> the
    absolute reference of its effective-weight cell."""
    snap = inp.snapshot
    ws = book.sheet("Weights")
    sh.title(ws, "Weights", "Change the blue input cells (percent as entered; they need not add up to 100): "
             "effective weights and every total in the workbook recalculate.")
    n_groups, n_crit = len(snap.groups), len(snap.criteria)
    sh.header(ws, GROUP_ROW0 - 1, ("Group", "Weight % (input)", "Sum of its criteria %", "Counted weight %",
                                    "Group share", "Group no."))
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
        ws.cell(r, 6, i + 1)
        ws.cell(r, 3, f"=SUMIF($H${c_first}:$H${c_last},F{r},$D${c_first}:$D${c_last})")
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
        ws.cell(r, 8, f"=$F${gr}")
        for k in (5, 6, 7):
            ws.cell(r, k).number_format = "0.00%"
        refs[c.id] = f"Weights!$G${r}"
    total = c_last + 1
    set_text_cell(ws.cell(total, 3), "Total")
    ws.cell(total, 7, f"=SUM(G{c_first}:G{c_last})").number_format = "0.00%"
    sh.widths(ws, {"A": 30, "B": 18, "C": 44, "D": 18, "E": 12, "F": 14, "G": 14, "H": 10})
    ws.freeze_panes = f"A{GROUP_ROW0}"
    ws.auto_filter.ref = f"A{crit_row0 - 1}:H{c_last}"
    return refs


def consensus_sheets(book: sh.Book, inp: ReportInputs, weight_cells: dict[int, str]) -> dict[int, str]:
    """Consensus (aggregated scores, live totals) and Normalised (0-1 formulas); returns
    vendor id -> reference of the vendor's live total."""
    snap, r = inp.snapshot, inp.ranking
    cons = book.sheet("Consensus")
    norm = book.sheet("Normalised")
    policy = snap.evaluation.missing_policy
    sh.title(cons, "Consensus scores", f"Aggregated scores ({r.variant.get('aggregation', '')}; price criteria: "
             f"{r.variant.get('price_formula', 'scores')}) on each criterion's scale. Total = 100 x "
             f"SUMPRODUCT(effective weights, normalised scores); missing scores: {policy}.")
    sh.title(norm, "Normalised scores", "(x - min) / (max - min), or (max - x) / (max - min) where lower is "
             "better: 0 = worst point of the scale, 1 = best.")
    crit = snap.criteria
    last = col(FIRST_COL + len(crit) - 1)
    meta = {label: META_ROW0 + k for k, label in enumerate(META_ROWS)}
    w_row, lo_row, hi_row = meta["Effective weight"], meta["Scale min"], meta["Scale max"]
    for ws in (cons, norm):
        for label, row in meta.items():
            ws.cell(row, 3, label).font = sh.BOLD
        for j, c in enumerate(crit):
            x = FIRST_COL + j
            set_text_cell(ws.cell(meta["Group"], x), snap.group_of(c).name)
            set_text_cell(ws.cell(meta["Key"], x), c.key)
            ws.cell(lo_row, x, float(c.scale_min))
            ws.cell(hi_row, x, float(c.scale_max))
            ws.cell(meta["Better"], x, "lower" if c.direction == "min" else "higher")
            ws.cell(w_row, x, f"={weight_cells[c.id]}").number_format = "0.00%"
        sh.header(ws, HEAD_ROW, ("Vendor", "Rank", "Total (live)"))
        for j, c in enumerate(crit):
            sh.header_cell(ws.cell(HEAD_ROW, FIRST_COL + j), c.name)
    row_of = {vid: i for i, vid in enumerate(r.vendor_ids)}
    totals: dict[int, str] = {}
    w_range = f"$D${w_row}:${last}${w_row}"
    missing_value = '""' if policy == "renormalise" else "0"  # scoring.weighted: minimum -> 0
    for n, v in enumerate(r.vendors):
        row = HEAD_ROW + 1 + n
        for ws in (cons, norm):
            set_text_cell(ws.cell(row, 1), v.name)
            ws.cell(row, 2, "DQ" if v.disqualified else v.rank)
        values = r.matrix[row_of[v.vendor_id]]
        for j, c in enumerate(crit):
            x = FIRST_COL + j
            letter = col(x)
            value = float(values[j])
            if math.isfinite(value):
                cons.cell(row, x, value).number_format = "0.00"
            raw = f"Consensus!{letter}{row}"
            span = f"({letter}${hi_row}-{letter}${lo_row})"
            expr = f"({letter}${hi_row}-{raw})/{span}" if c.direction == "min" else f"({raw}-{letter}${lo_row})/{span}"
            norm.cell(row, x, f"=IF(ISNUMBER({raw}),{expr},{missing_value})").number_format = "0.000"
        n_range = f"Normalised!D{row}:{last}{row}"
        formula = f"=100*SUMPRODUCT({w_range},{n_range})"
        if policy == "renormalise":
            formula += f"/SUMPRODUCT({w_range},--ISNUMBER({n_range}))"
        cons.cell(row, 3, formula).number_format = "0.00"
        norm.cell(row, 3, f"=Consensus!C{row}").number_format = "0.00"
        totals[v.vendor_id] = f"Consensus!$C${row}"
    end = HEAD_ROW + len(r.vendors)
    for ws in (cons, norm):
        ws.freeze_panes = f"{col(FIRST_COL)}{HEAD_ROW + 1}"
        ws.auto_filter.ref = f"A{HEAD_ROW}:{last}{end}"
        sh.widths(ws, {"A": 30, "B": 7, "C": 12})
        for j in range(len(crit)):
            ws.column_dimensions[col(FIRST_COL + j)].width = 13
    sh.colour_scale(cons, f"D{HEAD_ROW + 1}:{last}{end}")
    sh.colour_scale(norm, f"D{HEAD_ROW + 1}:{last}{end}", 0.0, 1.0)
    return totals


def summary_sheet(ws: Any, inp: ReportInputs, cover: Cover, totals: dict[int, str]) -> None:
    r = inp.ranking
    sh.title(ws, cover.title, "Committee workbook exported by vendor_eval. Scores come from the app; the live "
             "totals recalculate from the Weights sheet.")
    facts = [("Organisation", cover.organisation), ("Status", cover.status),
             ("Generated", cover.generated), ("Fingerprint (SHA-256)", cover.fingerprint),
             ("Audit chain head", cover.audit_head),
             ("Ranking", cover.ranked_by)]
    facts += [(k.replace("_", " ").capitalize(), v) for k, v in r.variant.items() if k != "method"]
    for i, (label, value) in enumerate(facts):
        ws.cell(3 + i, 1, label).font = sh.BOLD
        set_text_cell(ws.cell(3 + i, 2), str(value))
    head = 4 + len(facts)
    sh.header(ws, head, ("Rank", "Vendor", "Score (vendor_eval)", "Total (live, from Weights)", "Status",
                         "Knock-out findings"))
    for n, v in enumerate(r.vendors):
        row = head + 1 + n
        ws.cell(row, 1, None if v.disqualified else v.rank)
        set_text_cell(ws.cell(row, 2), v.name)
        ws.cell(row, 3, float(v.score)).number_format = "0.00"
        ws.cell(row, 4, f"={totals[v.vendor_id]}").number_format = "0.00"
        set_text_cell(ws.cell(row, 5), "Disqualified" if v.disqualified else "Qualified")
        set_text_cell(ws.cell(row, 6), " ".join(v.reasons))
    end = head + len(r.vendors)
    ws.freeze_panes = f"A{head + 1}"
    ws.auto_filter.ref = f"A{head}:F{end}"
    sh.widths(ws, {"A": 22, "B": 34, "C": 18, "D": 22, "E": 14, "F": 60})
    sh.bar_chart(ws, "Weighted totals (live)", head, end, 2, 4, "H3")
