"""Write one evaluator's scoresheet workbook (plain data in, .xlsx out), for evaluators who score in
Excel or LibreOffice instead of the app. The importer (scoresheet_import) reads the same constants.

Layout:

- Declaration: the conflict-of-interest declaration (yes/no per vendor, name, date, statement)
  and the choice to submit; scores count only once it is complete.
- Scores: one row per criterion under group bands, hidden criterion key in column A, guidance
  and the anchored descriptors of the scale; per vendor the evaluator may see a block of
  Score (drop-down of the scale's points), Comment, the vendor's answer and the suggested
  score. A hidden row above the headers holds each block's vendor id, so rows and blocks are
  found by key, never by position.
- vendor_eval_sheet (veryHidden): format, evaluation, evaluator, issue id and token, criteria
  digest, issue time. The token is checked against the issue recorded in the database.

Only the yellow cells are unlocked; protection has no password (it guards against slips).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendor_eval import domain
from vendor_eval.io.excel.questionnaire_template import (
    _BAND_FILL,
    _HEADER_FILL,
    _HEADER_FONT,
    _WRAP,
    YES_NO,
    _answer_cell,
    _body_cell,
    _fit_height,
    _protect,
    _title,
    _validate,
)
from vendor_eval.io.text_safety import set_text_cell

FORMAT = "vendor_eval.scoresheet"
FORMAT_VERSION = "1"
DECLARATION, SCORES, META = "Declaration", "Scores", "vendor_eval_sheet"

HEADER_ROW = 5  # title, hint, (blank), hidden vendor-id row, headers
VENDOR_ID_ROW = HEADER_ROW - 1
VENDOR_NAME_ROW = HEADER_ROW - 2
KEY_HEADER = "Key"
FIXED_HEADERS = ("Key", "No.", "Criterion", "Guidance for evaluators", "Scale")
FIXED_WIDTHS = (10, 5, 40, 46, 46)
BLOCK_HEADERS = ("Score", "Comment", "Vendor's answer", "Suggested")
BLOCK_WIDTHS = (9, 32, 30, 22)
VENDOR_MARK = "vendor:"

# Declaration sheet: rows of (label, key), the vendor rows follow DECL_FIRST_VENDOR_ROW.
DECL_NAME_ROW, DECL_DATE_ROW, DECL_STATEMENT_ROW, DECL_SUBMIT_ROW = 5, 6, 7, 8
DECL_VENDOR_HEADER_ROW = 10
DECL_ANSWER_COL = 3
DECL_LABELS = {
    DECL_NAME_ROW: "Your name",
    DECL_DATE_ROW: "Date (YYYY-MM-DD)",
    DECL_STATEMENT_ROW: "Statement (optional)",
    DECL_SUBMIT_ROW: "Submit my scores as final",
}
CONFLICT_HEADER = "Conflict of interest?"


@dataclass(frozen=True)
class SheetScore:
    value: float
    comment: str


@dataclass(frozen=True)
class ScoresheetSpec:
    """Everything one evaluator's sheet shows: built by services.scoresheets, blind by construction
    (own scores only) and already narrowed to the criteria and vendors this evaluator may score."""

    evaluation: domain.EvaluationInfo
    evaluator: domain.Evaluator
    groups: tuple[domain.Group, ...]
    criteria: tuple[domain.Criterion, ...]
    vendors: tuple[domain.Vendor, ...]  # the score columns
    all_vendors: tuple[domain.Vendor, ...]  # the declaration rows
    issue_id: int
    token: str
    issued_at: datetime
    scores: dict[tuple[int, int], SheetScore] = field(default_factory=dict)  # (vendor id, criterion id)
    answers: dict[tuple[int, int], str] = field(default_factory=dict)
    suggestions: dict[tuple[int, int], str] = field(default_factory=dict)


def sheet_digest(criteria: Sequence[domain.Criterion], vendors: Sequence[domain.Vendor]) -> str:
    """Fingerprint of what the sheet asks for: criteria keys and scales, and the vendor columns."""
    payload = [[c.key, c.scale_min, c.scale_max] for c in criteria] + [[v.id] for v in vendors]
    return hashlib.sha256(json.dumps(payload).encode("utf-8")).hexdigest()[:16]


def scale_points(c: domain.Criterion) -> list[str]:
    """The whole points of the criterion's scale, for the drop-down (decimals may still be typed)."""
    lo, hi = int(c.scale_min), int(c.scale_max)
    return [str(p) for p in range(lo, hi + 1)] if hi - lo <= 20 else []


def anchors(c: domain.Criterion) -> str:
    """'5: ...' lines, best first, from the criterion's anchored descriptors."""
    points = sorted(c.descriptors.items(), key=lambda kv: float(kv[0]) if _is_number(kv[0]) else 0.0, reverse=True)
    return "\n".join(f"{point}: {text}" for point, text in points)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def build_scoresheet(spec: ScoresheetSpec, path: Path) -> Path:
    wb = Workbook()
    declaration = wb.active
    declaration.title = DECLARATION
    _write_declaration(declaration, spec)
    _write_scores(wb.create_sheet(SCORES), spec)
    _write_meta(wb.create_sheet(META), spec)
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _yes_no(ws: Worksheet, prompt: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(YES_NO) + '"', allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorTitle="yes or no", error="Choose yes or no.", prompt=prompt)
    ws.add_data_validation(dv)
    return dv


def _write_declaration(ws: Worksheet, spec: ScoresheetSpec) -> None:
    e, who = spec.evaluation, spec.evaluator
    _title(ws, f"Scoresheet of {who.name}: {e.name}",
           "Complete this declaration first: your scores count only once it is complete.", column=1)
    set_text_cell(ws.cell(row=3, column=1), (
        "Score on the 'Scores' sheet, in the yellow cells only. Your scores are blind: nobody else's are shown. "
        "Declare below whether you have a conflict of interest with any vendor; a vendor you declare is not "
        "scored by you. Choose 'yes' under 'Submit' only when your scoring is final. Return this file as .xlsx."))
    ws.cell(row=3, column=1).alignment = _WRAP
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=4)
    ws.row_dimensions[3].height = 48
    submit = _yes_no(ws, "yes: my scores are final; no or empty: not yet.")
    for row, label in DECL_LABELS.items():
        set_text_cell(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        _answer_cell(ws, row, DECL_ANSWER_COL, text_format=row != DECL_DATE_ROW)
    ws.cell(row=DECL_DATE_ROW, column=DECL_ANSWER_COL).number_format = "yyyy-mm-dd"
    _validate(submit, ws.cell(row=DECL_SUBMIT_ROW, column=DECL_ANSWER_COL))
    for col, text in enumerate(("Vendor id", "Vendor", CONFLICT_HEADER), start=1):
        cell = ws.cell(row=DECL_VENDOR_HEADER_ROW, column=col, value=text)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
    conflict = _yes_no(ws, "yes if you have a conflict of interest with this vendor, else no.")
    for row, v in enumerate(spec.all_vendors, start=DECL_VENDOR_HEADER_ROW + 1):
        _body_cell(ws, row, 1, f"{VENDOR_MARK}{v.id}")
        _body_cell(ws, row, 2, v.name)
        _answer_cell(ws, row, DECL_ANSWER_COL, text_format=True)
        _validate(conflict, ws.cell(row=row, column=DECL_ANSWER_COL))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["A"].hidden = False  # vendor ids stay readable: officers compare them when in doubt
    _protect(ws)
    ws.print_title_rows = None


def _write_scores(ws: Worksheet, spec: ScoresheetSpec) -> None:
    _title(ws, f"Scores: {spec.evaluator.name}", "Type or choose a score in each yellow Score cell and say why in "
           "Comment; leave a cell empty to score it later. Rows may be re-sorted.")
    ncols = len(FIXED_HEADERS) + len(BLOCK_HEADERS) * len(spec.vendors)
    headers = list(FIXED_HEADERS) + list(BLOCK_HEADERS) * len(spec.vendors)
    widths = list(FIXED_WIDTHS) + list(BLOCK_WIDTHS) * len(spec.vendors)
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=text)
        cell.fill, cell.font, cell.alignment = _HEADER_FILL, _HEADER_FONT, Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, v in enumerate(spec.vendors):
        first = len(FIXED_HEADERS) + 1 + i * len(BLOCK_HEADERS)
        set_text_cell(ws.cell(row=VENDOR_ID_ROW, column=first), f"{VENDOR_MARK}{v.id}")
        name = ws.cell(row=VENDOR_NAME_ROW, column=first)
        set_text_cell(name, v.name)
        name.font = Font(bold=True, color="1F4E78", size=12)
        ws.merge_cells(start_row=VENDOR_NAME_ROW, start_column=first, end_row=VENDOR_NAME_ROW,
                       end_column=first + len(BLOCK_HEADERS) - 1)
    ws.row_dimensions[VENDOR_ID_ROW].hidden = True
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=len(FIXED_HEADERS) + 1)
    validations: dict[tuple[str, ...], DataValidation] = {}
    row, number = HEADER_ROW, 0
    for group in spec.groups:
        members = [c for c in spec.criteria if c.group_id == group.id]
        if not members:
            continue
        row += 1
        set_text_cell(ws.cell(row=row, column=2), group.name)
        for col in range(1, ncols + 1):
            ws.cell(row=row, column=col).fill = _BAND_FILL
            ws.cell(row=row, column=col).font = Font(bold=True, color="1F4E78")
        for c in members:
            row += 1
            number += 1
            _criterion_row(ws, spec, row, number, c, validations)
    ws.column_dimensions["A"].hidden = True
    _protect(ws)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _criterion_row(ws: Worksheet, spec: ScoresheetSpec, row: int, number: int, c: domain.Criterion,
                   validations: dict[tuple[str, ...], DataValidation]) -> None:
    _body_cell(ws, row, 1, c.key)
    _body_cell(ws, row, 2, str(number))
    title = f"{c.name}\n{c.question}" if c.question else c.name
    if c.knockout:
        title += "\nKnock-out: a vendor that fails it is excluded."
    _body_cell(ws, row, 3, title)
    _body_cell(ws, row, 4, c.guidance)
    scale = f"From {c.scale_min:g} to {c.scale_max:g}" + (" (lower is better)" if c.direction == "min" else "")
    anchor_text = f"{scale}\n{anchors(c)}" if c.descriptors else scale
    _body_cell(ws, row, 5, anchor_text)
    points = tuple(scale_points(c))
    for i, v in enumerate(spec.vendors):
        col = len(FIXED_HEADERS) + 1 + i * len(BLOCK_HEADERS)
        _answer_cell(ws, row, col, text_format=False)
        _answer_cell(ws, row, col + 1, text_format=True)
        mine = spec.scores.get((v.id, c.id))
        if mine is not None:
            ws.cell(row=row, column=col).value = mine.value
            if mine.comment:
                set_text_cell(ws.cell(row=row, column=col + 1), mine.comment)
        _body_cell(ws, row, col + 2, spec.answers.get((v.id, c.id), ""))
        _body_cell(ws, row, col + 3, spec.suggestions.get((v.id, c.id), ""))
        if points:
            if points not in validations:
                dv = DataValidation(type="list", formula1='"' + ",".join(points) + '"', allow_blank=True,
                                    showErrorMessage=False, showInputMessage=True,
                                    prompt=f"A score from {points[0]} to {points[-1]}.")
                ws.add_data_validation(dv)
                validations[points] = dv
            _validate(validations[points], ws.cell(row=row, column=col))
    _fit_height(ws, row, [(title, FIXED_WIDTHS[2]), (c.guidance, FIXED_WIDTHS[3]), (anchor_text, FIXED_WIDTHS[4])])


def _write_meta(ws: Worksheet, spec: ScoresheetSpec) -> None:
    rows = [
        ("format", FORMAT), ("format_version", FORMAT_VERSION),
        ("evaluation_id", str(spec.evaluation.id)), ("evaluation_name", spec.evaluation.name),
        ("evaluator_id", str(spec.evaluator.id)), ("evaluator_name", spec.evaluator.name),
        ("issue_id", str(spec.issue_id)), ("token", spec.token),
        ("criteria_digest", sheet_digest(spec.criteria, spec.vendors)),
        ("issued_at", spec.issued_at.isoformat(timespec="seconds")),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        set_text_cell(ws.cell(row=row, column=1), key)
        set_text_cell(ws.cell(row=row, column=2), value)
    ws.sheet_state = "veryHidden"



def read_identity(path: Path) -> dict[str, str]:
    """The hidden identity of a scoresheet we wrote (trusted input only: the demo's own files)."""
    wb = load_workbook(path, read_only=True)
    try:
        return {str(row[0].value): str(row[1].value) for row in wb[META].iter_rows(max_col=2) if row[0].value}
    finally:
        wb.close()


def readdress(path: Path, identity: Mapping[str, str], vendor_ids: Mapping[int, int], target: Path) -> Path:
    """A copy of a filled-in scoresheet (the sample's) at target, carrying the identity of a sheet
    issued in this database and its vendor ids: for the demo, as questionnaire_template.readdress."""
    wb = load_workbook(path)
    for row in wb[META].iter_rows(min_col=1, max_col=2):
        if row[0].value in identity:
            set_text_cell(row[1], identity[str(row[0].value)])
    for ws in (wb[SCORES], wb[DECLARATION]):
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith(VENDOR_MARK):
                    old = int(cell.value[len(VENDOR_MARK):])
                    set_text_cell(cell, f"{VENDOR_MARK}{vendor_ids[old]}")
    wb.save(target)
    return target
