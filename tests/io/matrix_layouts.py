"""A corpus of scoring spreadsheets as buyers really keep them, built in code.

Each case writes one file from plain numbers and returns them beside it: the scores
(evaluators x vendors x criteria), the global criterion weights as the test author works
them out by hand, the directions and the scale. The test ranks those numbers with numpy,
independently of the app, and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.utils import get_column_letter

VENDORS = ["Northwind Imaging", "Bluepeak Radiology", "Caldera Teleread"]
CRITERIA = ["STAT turnaround", "Routine turnaround", "PACS integration", "SOC 2 Type II", "Subspecialty panels",
            "Price per study"]


@dataclass(frozen=True)
class Case:
    path: Path
    scale: tuple[float, float]
    scores: np.ndarray  # evaluators x vendors x criteria
    weights: np.ndarray  # global, any positive numbers (the reference normalises them)
    directions: tuple[str, ...]


def write_sheet(path: Path, rows: list[list[Any]], sheet: str = "Matrix") -> Path:
    """One sheet holding rows, as a buyer's workbook would."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _book(title: str) -> tuple[openpyxl.Workbook, Any]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def rows_basic(tmp: Path) -> Case:
    """The most common layout: sheet 'Evaluation', criteria down the rows, weights in %."""
    s = np.array([[4, 3, 5, 4, 2, 3], [5, 2, 3, 5, 4, 2], [3, 4, 4, 3, 5, 4]], dtype=float)
    w = np.array([25, 15, 20, 15, 10, 15], dtype=float)
    wb, ws = _book("Evaluation")
    ws.append(["Criterion", "Weight", *VENDORS])
    for j, name in enumerate(CRITERIA):
        ws.append([name, w[j], *s[:, j]])
    return Case(_save(wb, tmp / "evaluation.xlsx"), (0, 5), s[None], w, ("max",) * 6)


def rows_title_block_fractions(tmp: Path) -> Case:
    """Sheet 'Scoring' under a title block and blank rows; weights as fractions; 1-10 scale."""
    s = np.array([[7, 8, 6, 9, 5, 7], [9, 6, 8, 7, 8, 6], [6, 9, 7, 8, 6, 9]], dtype=float)
    w = np.array([0.3, 0.1, 0.2, 0.2, 0.1, 0.1])
    wb, ws = _book("Scoring")
    ws.append(["Teleradiology RFP 2026 - scoring matrix"])
    ws.append(["Prepared by", "Procurement office"])
    ws.append([])
    ws.append([])
    ws.append(["Requirement", "Weighting", *VENDORS])
    for j, name in enumerate(CRITERIA):
        ws.append([name, w[j], *s[:, j]])
    return Case(_save(wb, tmp / "scoring.xlsx"), (1, 10), s[None], w, ("max",) * 6)


def rows_percent_format_total_row(tmp: Path) -> Case:
    """Weights typed as 0.25 shown as 25 %, 0-100 scores, a SUMPRODUCT total row and weighted column."""
    s = np.array([[80, 65, 90, 70], [60, 85, 75, 95], [90, 70, 60, 80]], dtype=float)
    w = np.array([0.4, 0.3, 0.2, 0.1])
    wb, ws = _book("Matrix 2025")
    ws.append(["Criteria", "Weight", *VENDORS])
    for j in range(4):
        ws.append([CRITERIA[j], w[j], *s[:, j]])
        ws.cell(j + 2, 2).number_format = "0%"
    ws.append(["Total", "=SUM(B2:B5)", *[f"=SUMPRODUCT($B$2:$B$5,{c}2:{c}5)" for c in "CDE"]])
    return Case(_save(wb, tmp / "percent.xlsx"), (0, 100), s[None], w, ("max",) * 4)


def columns_basic_total_column(tmp: Path) -> Case:
    """Vendors down the rows, a Weight row of points, a Total column of formulas."""
    s = np.array([[4, 3, 5, 2], [2, 5, 4, 4], [5, 4, 3, 3]], dtype=float)
    w = np.array([3, 2, 2, 1], dtype=float)
    wb, ws = _book("Vendors")
    ws.append(["Supplier", *CRITERIA[:4], "Total"])
    ws.append(["Weight", *w, None])
    for v, name in enumerate(VENDORS):
        ws.append([name, *s[v], f"=SUMPRODUCT($B$2:$E$2,B{v + 3}:E{v + 3})"])
    return Case(_save(wb, tmp / "columns.xlsx"), (0, 5), s[None], w, ("max",) * 4)


def columns_title_group_row_percent_text(tmp: Path) -> Case:
    """Vendors down the rows below a title; a Group row and weights typed as '25%' text; 1-10."""
    s = np.array([[8, 6, 7, 9], [5, 9, 8, 6], [7, 7, 9, 8]], dtype=float)
    w = np.array([25, 15, 40, 20], dtype=float)  # groups follow from the sums: SLA 40, Security 60
    wb, ws = _book("Bids")
    ws.append(["Bid evaluation - imaging outsourcing"])
    ws.append([])
    ws.append(["Vendor", *CRITERIA[:4]])
    ws.append(["Group", "SLA", "SLA", "Security", "Security"])
    ws.append(["Weight", *[f"{x:g}%" for x in w]])
    for v, name in enumerate(VENDORS):
        ws.append([name, *s[v]])
    return Case(_save(wb, tmp / "bids.xlsx"), (1, 10), s[None], w, ("max",) * 4)


def group_headings_points(tmp: Path) -> Case:
    """Group heading rows holding only a name; weights as points (group weight = its points)."""
    s = np.array([[4, 3, 5, 4, 2, 3], [5, 2, 3, 5, 4, 2], [3, 4, 4, 3, 5, 4]], dtype=float)
    w = np.array([10, 5, 5, 8, 4, 8], dtype=float)
    wb, ws = _book("Evaluation")
    ws.append(["Criterion", "Points", *VENDORS])
    for heading, part in (("Service levels", range(0, 2)), ("Technical", range(2, 5)), ("Commercial", range(5, 6))):
        ws.append([heading])
        for j in part:
            ws.append([CRITERIA[j], w[j], *s[:, j]])
    return Case(_save(wb, tmp / "groups.xlsx"), (0, 5), s[None], w, ("max",) * 6)


def group_headings_weighted(tmp: Path) -> Case:
    """'Technical (60%)' headings carry the group weight; criteria weights are % within the group."""
    s = np.array([[4, 3, 5, 4, 2], [5, 2, 3, 5, 4], [3, 4, 4, 3, 5]], dtype=float)
    within = [50, 30, 20, 70, 30]
    w = np.array([0.6 * 0.5, 0.6 * 0.3, 0.6 * 0.2, 0.4 * 0.7, 0.4 * 0.3])
    wb, ws = _book("Evaluation")
    ws.append(["Criterion", "Weight %", *VENDORS])
    ws.append(["Technical (60%)"])
    for j in range(3):
        ws.append([CRITERIA[j], within[j], *s[:, j]])
    ws.append(["Commercial - 40%"])
    for j in range(3, 5):
        ws.append([CRITERIA[j], within[j], *s[:, j]])
    return Case(_save(wb, tmp / "weighted_groups.xlsx"), (0, 5), s[None], w, ("max",) * 5)


def group_column_merged(tmp: Path) -> Case:
    """A Section column left of the criteria, merged down each section; a '#' column first."""
    s = np.array([[4, 3, 5, 4], [5, 2, 3, 5], [3, 4, 4, 3]], dtype=float)
    w = np.array([20, 20, 30, 30], dtype=float)
    wb, ws = _book("Evaluation")
    ws.append(["#", "Section", "Criterion", "Weight", *VENDORS])
    for j in range(4):
        ws.append([j + 1, "Service" if j < 2 else "Security", CRITERIA[j], w[j], *s[:, j]])
    ws.merge_cells("B2:B3")
    ws.merge_cells("B4:B5")
    return Case(_save(wb, tmp / "sections.xlsx"), (0, 5), s[None], w, ("max",) * 4)


def direction_column(tmp: Path) -> Case:
    """A direction column: the price per study is better when lower; 0-10."""
    s = np.array([[8, 6, 3], [5, 9, 7], [7, 7, 9]], dtype=float)
    w = np.array([50, 30, 20], dtype=float)
    names = [CRITERIA[0], CRITERIA[2], CRITERIA[5]]
    d = ("max", "max", "min")
    wb, ws = _book("Evaluation")
    ws.append(["Criterion", "Weight", "Direction", *VENDORS])
    for j in range(3):
        ws.append([names[j], w[j], "Higher is better" if d[j] == "max" else "Lower is better", *s[:, j]])
    return Case(_save(wb, tmp / "direction.xlsx"), (0, 10), s[None], w, d)


def text_scores_good_fair_poor(tmp: Path) -> Case:
    """Scores as words: Good / Fair / Poor on a 0-5 scale are 5, 2.5 and 0."""
    words = {5.0: "Good", 2.5: "Fair", 0.0: "Poor"}
    s = np.array([[5, 2.5, 0, 5], [2.5, 5, 5, 0], [0, 2.5, 5, 5]])
    w = np.array([40, 30, 20, 10], dtype=float)
    wb, ws = _book("Evaluation")
    ws.append(["Criterion", "Weight", *VENDORS])
    for j in range(4):
        ws.append([CRITERIA[j], w[j], *[words[x] for x in s[:, j]]])
    return Case(_save(wb, tmp / "words.xlsx"), (0, 5), s[None], w, ("max",) * 4)


def text_scores_meets_with_notes(tmp: Path) -> Case:
    """Meets / Partially / Does not on 0-10, with a Ref column and a Comments column to ignore."""
    words = {10.0: "Meets", 5.0: "Partially", 0.0: "Does not"}
    s = np.array([[10, 5, 0], [5, 10, 10], [10, 10, 5]])
    w = np.array([50, 25, 25], dtype=float)
    wb, ws = _book("Compliance")
    ws.append(["Ref", "Requirement", "Weight", *VENDORS, "Comments"])
    for j in range(3):
        ws.append([f"R{j + 1}", CRITERIA[j], w[j], *[words[x] for x in s[:, j]], "see annex"])
    return Case(_save(wb, tmp / "compliance.xlsx"), (0, 10), s[None], w, ("max",) * 3)


def sheet_per_evaluator_with_summary(tmp: Path) -> Case:
    """One sheet per evaluator (the sheet name is the evaluator) and a summary sheet of formulas first."""
    s = np.array([
        [[4, 3, 5, 4], [5, 2, 3, 5], [3, 4, 4, 3]],
        [[5, 3, 4, 4], [4, 3, 3, 4], [3, 5, 4, 2]],
        [[4, 4, 5, 3], [5, 2, 4, 5], [2, 4, 5, 3]],
    ], dtype=float)
    w = np.array([30, 30, 20, 20], dtype=float)
    evaluators = ["Dr Okafor", "J. Lindqvist", "M. Varga"]
    wb, summary = _book("Summary")
    summary.append(["Criterion", "Weight", *VENDORS])
    for j in range(4):
        row = j + 2
        summary.append([CRITERIA[j], w[j], *[
            f"=AVERAGE({','.join(f'{chr(39)}{e}{chr(39)}!{get_column_letter(3 + v)}{row}' for e in evaluators)})"
            for v in range(3)]])
    for e, name in enumerate(evaluators):
        ws = wb.create_sheet(name)
        ws.append(["Criterion", "Weight", *VENDORS])
        for j in range(4):
            ws.append([CRITERIA[j], w[j], *s[e, :, j]])
    return Case(_save(wb, tmp / "committee.xlsx"), (0, 5), s, w, ("max",) * 4)


def evaluator_blocks_merged(tmp: Path) -> Case:
    """Blocks of vendor columns under each evaluator's name (merged across the block); 1-10."""
    s = np.array([
        [[7, 8, 6], [9, 6, 8], [6, 9, 7]],
        [[8, 8, 5], [8, 7, 9], [5, 9, 8]],
    ], dtype=float)
    w = np.array([50, 30, 20], dtype=float)
    wb, ws = _book("Panel")
    ws.append([None, None, "Radiology chair", None, None, "PACS lead", None, None])
    ws.merge_cells("C1:E1")
    ws.merge_cells("F1:H1")
    ws.append(["Criterion", "Weight", *VENDORS, *VENDORS])
    for j in range(3):
        ws.append([CRITERIA[j], w[j], *s[0, :, j], *s[1, :, j]])
    return Case(_save(wb, tmp / "panel.xlsx"), (1, 10), s, w, ("max",) * 3)


def merged_headings_subtotals(tmp: Path) -> Case:
    """A merged title, group headings merged across the table, SUM subtotal rows and a grand total."""
    s = np.array([[4, 3, 5, 4], [5, 2, 3, 5], [3, 4, 4, 3]], dtype=float)
    w = np.array([20, 20, 35, 25], dtype=float)
    wb, ws = _book("RFP scoring")
    ws.append(["Outsourced reading services - evaluation"])
    ws.merge_cells("A1:E1")
    ws.append(["Criterion", "Weight", *VENDORS])
    ws.append(["Service levels"])
    ws.merge_cells("A3:E3")
    ws.append([CRITERIA[0], w[0], *s[:, 0]])
    ws.append([CRITERIA[1], w[1], *s[:, 1]])
    ws.append(["Subtotal", "=SUM(B4:B5)", *[f"=SUMPRODUCT($B4:$B5,{c}4:{c}5)" for c in "CDE"]])
    ws.append(["Security"])
    ws.merge_cells("A7:E7")
    ws.append([CRITERIA[2], w[2], *s[:, 2]])
    ws.append([CRITERIA[3], w[3], *s[:, 3]])
    ws.append(["Subtotal", "=SUM(B8:B9)", *[f"=SUMPRODUCT($B8:$B9,{c}8:{c}9)" for c in "CDE"]])
    ws.append(["Grand total", "=B6+B10", *[f"={c}6+{c}10" for c in "CDE"]])
    return Case(_save(wb, tmp / "merged.xlsx"), (0, 5), s[None], w, ("max",) * 4)


def csv_semicolon_decimal_comma(tmp: Path) -> Case:
    """A CSV saved by a European Excel: ';' between cells, decimal commas, weights as '25%'."""
    s = np.array([[3.5, 4, 2.5], [4.5, 3, 4], [2, 5, 3.5]])
    w = np.array([50, 30, 20], dtype=float)
    lines = ["Criterion;Weight;" + ";".join(VENDORS)]
    for j in range(3):
        lines.append(";".join([CRITERIA[j], f"{w[j]:g}%", *[f"{x:g}".replace(".", ",") for x in s[:, j]]]))
    path = tmp / "matrix.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Case(path, (0, 5), s[None], w, ("max",) * 3)


def csv_columns_comma(tmp: Path) -> Case:
    """A plain comma CSV with vendors down the rows and a title line."""
    s = np.array([[60, 80, 75], [90, 55, 70], [70, 70, 95]], dtype=float)
    w = np.array([2, 1, 1], dtype=float)
    lines = ["Scores exported from the old tracker", "", "Vendor," + ",".join(CRITERIA[:3]),
             "Weight," + ",".join(f"{x:g}" for x in w)]
    lines += [f"{name}," + ",".join(f"{x:g}" for x in s[v]) for v, name in enumerate(VENDORS)]
    path = tmp / "tracker.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Case(path, (0, 100), s[None], w, ("max",) * 3)


def ods_rows(tmp: Path) -> Case:
    """A LibreOffice .ods file: criteria down the rows below a title, weights as fractions."""
    import pandas as pd

    s = np.array([[4, 3, 5], [5, 2, 3], [3, 4, 4]], dtype=float)
    w = np.array([0.5, 0.3, 0.2])
    rows: list[list[Any]] = [["Scoring (LibreOffice)", None, None, None, None], [None] * 5,
                             ["Criterion", "Weight", *VENDORS]]
    rows += [[CRITERIA[j], w[j], *s[:, j]] for j in range(3)]
    path = tmp / "matrix.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="Evaluation", header=False, index=False)
    return Case(path, (0, 5), s[None], w, ("max",) * 3)


def original_matrix_layout(tmp: Path) -> Case:
    """The layout import-matrix always took: sheet 'Matrix', 'Vendor' in A1."""
    s = np.array([[4, 3, 2], [5, 4, 1]], dtype=float)
    w = np.array([2, 1, 1], dtype=float)
    wb, ws = _book("Matrix")
    ws.append(["Vendor", *CRITERIA[:3]])
    ws.append(["Weight", *w])
    for v, name in enumerate(VENDORS[:2]):
        ws.append([name, *s[v]])
    return Case(_save(wb, tmp / "original.xlsx"), (0, 5), s[None], w, ("max",) * 3)


CORPUS: list[Callable[[Path], Case]] = [
    rows_basic, rows_title_block_fractions, rows_percent_format_total_row, columns_basic_total_column,
    columns_title_group_row_percent_text, group_headings_points, group_headings_weighted, group_column_merged,
    direction_column, text_scores_good_fair_poor, text_scores_meets_with_notes, sheet_per_evaluator_with_summary,
    evaluator_blocks_merged, merged_headings_subtotals, csv_semicolon_decimal_comma, csv_columns_comma, ods_rows,
    original_matrix_layout,
]
