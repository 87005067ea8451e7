"""Generate the vendor questionnaire workbook for an evaluation (plain data in, .xlsx out).

Layout (the importer reads the same constants):

- Instructions: how to answer, deadline, contact.
- Vendor profile: one row per profile field; hidden key in column A, answer in C.
- Questions: one row per criterion under group bands; hidden criterion key in column A,
  answer / evidence / attachment cells unlocked, everything else locked.
- Costs: blank cost lines (category, amount, currency, origin, pass-through).
- vendor_eval (veryHidden): format, version, evaluation id and name, criteria digest.
- Lists (veryHidden): the choice lists that data validation points at (Excel limits an
  inline list to 255 characters and cannot hold commas, and our choices have both).

Protection has no password: it guards against slips, not attackers. The importer
re-validates every cell and trusts no hidden value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendor_eval import domain
from vendor_eval.io.text_safety import set_text_cell
from vendor_eval.vocabulary import COST_CATEGORIES, DEPLOYMENT_MODELS, HOSTING_MODELS

FORMAT = "vendor_eval.questionnaire"
FORMAT_VERSION = "1"

INSTRUCTIONS, PROFILE, QUESTIONS, COSTS, META, LISTS = (
    "Instructions", "Vendor profile", "Questions", "Costs", "vendor_eval", "Lists")
HEADER_ROW = 3  # rows 1-2 hold the sheet title and a one-line hint
KEY_HEADER = "Key"

# "What to provide" carries the criterion's vendor-facing text only: the evaluators' guidance
# (how to score, what to look for) never leaves the buyer.
Q_HEADERS = ("Key", "No.", "Group", "Question", "What to provide", "How to answer", "Answer", "Evidence / comment",
             "Attachment reference")
MANDATORY = "Mandatory requirement: an offer that does not meet it is excluded, whatever its other scores."
Q_WIDTHS = (10, 5, 16, 50, 42, 30, 30, 36, 22)
PROFILE_HEADERS = ("Key", "Field", "Answer", "How to answer")
PROFILE_WIDTHS = (10, 32, 50, 70)
COST_HEADERS = ("Category", "Description", "Annual amount", "Currency", "Country of origin", "Pass-through",
                "Imaging equipment")
COST_WIDTHS = (24, 44, 16, 11, 22, 14, 18)
COST_ROWS = 40
MULTI_SEPARATOR = ";"

YES_NO_PARTIAL = ("yes", "no", "partial")
YES_NO = ("yes", "no")
COST_CATEGORY_LABELS = {label: key for key, label in COST_CATEGORIES.items()}  # the sheet shows labels
MODALITY_SUGGESTIONS = ("CT", "MRI", "X-ray", "Ultrasound", "PET", "SPECT", "Mammography", "Nuclear medicine")
SERVICE_SUGGESTIONS = ("Primary teleradiology reading", "Subspecialty second-opinion reading",
                       "AI-based image analysis", "Report generation", "Image archiving", "Consulting")
CERTIFICATION_SUGGESTIONS = ("HIPAA BAA", "GDPR Art. 28 DPA", "ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF",
                             "Joint Commission")


@dataclass(frozen=True)
class ProfileField:
    key: str
    label: str
    kind: str  # text | choice | list | number
    hint: str
    choices: tuple[str, ...] = ()
    required: bool = False


PROFILE_FIELDS = (
    ProfileField("name", "Vendor name", "text", "The name you trade under, as you want it shown in our evaluation.",
                 required=True),
    ProfileField("legal_name", "Legal name", "text", "The registered legal entity that will sign the contract."),
    ProfileField("contact", "Contact for this RFP", "text", "Name, e-mail address and phone number."),
    ProfileField("hq_country", "Headquarters country", "text", "Country of the signing entity's head office."),
    ProfileField("delivery_locations", "Delivery locations", "list",
                 "Countries where our studies would be read or processed, separated by ';'."),
    ProfileField("deployment_model", "Deployment model", "choice", "Choose from the list.", tuple(DEPLOYMENT_MODELS)),
    ProfileField("hosting_model", "Hosting model", "choice", "Choose from the list.", tuple(HOSTING_MODELS)),
    ProfileField("modalities", "Modalities read", "list",
                 "Separated by ';', for example: " + "; ".join(MODALITY_SUGGESTIONS) + "."),
    ProfileField("service_types", "Service types", "list",
                 "Separated by ';', for example: " + "; ".join(SERVICE_SUGGESTIONS) + "."),
    ProfileField("certifications", "Certifications held", "list",
                 "Current certificates only, separated by ';', for example: " + "; ".join(CERTIFICATION_SUGGESTIONS) + "."),
    ProfileField("contract_term_years", "Proposed contract term (years)", "number", "A number of years above 0.",
                 ),
    ProfileField("escalation_cap_pct", "Annual price escalation cap (%)", "number",
                 "Percent per year, between 0 and 100; leave empty when there is no cap."),
)

# Styles, built once: openpyxl shares style objects between cells.
_THIN = Side(style="thin", color="B7C4D1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_BAND_FILL = PatternFill("solid", fgColor="DCE6F1")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")
_TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
# The looks the answer and body cells get, in the order the attributes are set (the order the
# workbook registers the style objects in, so the file's bytes do not depend on the cache below).
_LOOKS: dict[str, tuple[tuple[str, Any], ...]] = {
    "answer": (("protection", _UNLOCKED), ("fill", _ANSWER_FILL), ("border", _BORDER), ("alignment", _WRAP)),
    "answer_text": (("protection", _UNLOCKED), ("fill", _ANSWER_FILL), ("border", _BORDER), ("alignment", _WRAP),
                    ("number_format", "@")),  # keeps '007' or '1/2' as typed instead of a number or a date
    "body": (("border", _BORDER), ("alignment", _WRAP)),
}
_looks_made: WeakKeyDictionary[Workbook, dict[tuple[str, tuple[int, ...]], Any]] = WeakKeyDictionary()


def criteria_digest(criteria: Sequence[domain.Criterion]) -> str:
    """A short fingerprint of the questions and their answer formats, stored in the workbook."""
    payload = [[c.key, c.answer_type, c.answer_unit, c.answer_min, c.answer_max, list(c.choices)] for c in criteria]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def how_to_answer(c: domain.Criterion) -> str:
    """The one line under each question that tells the vendor what the importer will accept."""
    if c.answer_type == "yes_no_partial":
        return "Choose yes, no or partial."
    if c.answer_type == "number":
        noun = ("A whole number of " + c.answer_unit) if c.answer_integer and c.answer_unit else _number_noun(c.answer_unit)
        if c.answer_min is not None and c.answer_max is not None:
            text = f"{noun} between {c.answer_min:g} and {c.answer_max:g}."
        elif c.answer_min is not None:
            text = f"{noun}, at least {c.answer_min:g}."
        elif c.answer_max is not None:
            text = f"{noun}, at most {c.answer_max:g}."
        else:
            text = f"{noun}."
        return f"{text} For example: {c.answer_example}." if c.answer_example else text
    if c.answer_type == "single_choice":
        return "Choose one option from the list."
    if c.answer_type == "multi_choice":
        return ("Type every option that applies, separated by ';' (leave empty if none applies):\n"
                + "\n".join(f"\u2022 {choice}" for choice in c.choices))
    return "Free text."


def _number_noun(unit: str) -> str:
    if unit.strip().lower() in ("percent", "%"):
        return "A percentage"
    if len(unit) == 3 and unit.isalpha() and unit.isupper():
        return f"An amount in {unit}"
    return f"A number of {unit}" if unit else "A number"


def build_questionnaire(snapshot: domain.Snapshot, path: Path, vendor: domain.Vendor | None = None) -> Path:
    """Write the questionnaire for snapshot's evaluation to path (optionally pre-filled for one vendor)."""
    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS
    lists = _ListSheet(wb.create_sheet(LISTS))
    _write_instructions(instructions, snapshot)
    _write_profile(wb.create_sheet(PROFILE), lists, vendor)
    _write_questions(wb.create_sheet(QUESTIONS), lists, snapshot)
    _write_costs(wb.create_sheet(COSTS), lists)
    _write_meta(wb.create_sheet(META), snapshot, vendor)
    wb[LISTS].sheet_state = "veryHidden"
    wb.move_sheet(LISTS, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS))
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


class _ListSheet:
    """Columns of choices on the veryHidden Lists sheet, each returned as an absolute range."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.column = 0
        self.known: dict[tuple[str, ...], str] = {}

    def range_for(self, choices: Sequence[str]) -> str:
        key = tuple(choices)
        if key not in self.known:
            self.column += 1
            letter = get_column_letter(self.column)
            for row, choice in enumerate(key, start=1):
                set_text_cell(self.ws.cell(row=row, column=self.column), choice)
            self.known[key] = f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${len(key)}"
        return self.known[key]


def _title(ws: Worksheet, title: str, hint: str, column: int = 2) -> None:
    """Title and hint go in column B on sheets whose column A (the keys) is hidden."""
    set_text_cell(ws.cell(row=1, column=column), title)
    ws.cell(row=1, column=column).font = _TITLE_FONT
    set_text_cell(ws.cell(row=2, column=column), hint)
    ws.cell(row=2, column=column).font = Font(italic=True, color="44546A")
    ws.row_dimensions[1].height = 22


def _fit_height(ws: Worksheet, row: int, texts: Sequence[tuple[str, float]]) -> None:
    """Row height for wrapped text: Excel and LibreOffice do not grow rows written by openpyxl."""
    lines = 1
    for text, width in texts:
        chars = max(width * 1.15, 1.0)  # characters per line at the default 11 pt font
        lines = max(lines, sum(1 + int(len(part) / chars) for part in text.split("\n")))
    ws.row_dimensions[row].height = min(409, 15 * lines + 3)


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=text)
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _protect(ws: Worksheet) -> None:
    """Locked cells read-only; vendors may still resize rows and columns to read long text."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _styled(cell: Any, look: str) -> None:
    """Set the attributes of _LOOKS[look] on cell. The style a cell ends with is worked out once
    per workbook and starting style, then copied: assigning cell.border and the rest hashes each
    style object anew (openpyxl compares them by value), most of a questionnaire's build time."""
    made = _looks_made.setdefault(cell.parent.parent, {})
    key = (look, tuple(cell._style or ()))
    if key in made:
        cell._style = copy(made[key])
        return
    for name, value in _LOOKS[look]:
        setattr(cell, name, value)
    made[key] = copy(cell._style)


def _answer_cell(ws: Worksheet, row: int, col: int, text_format: bool) -> None:
    _styled(ws.cell(row=row, column=col), "answer_text" if text_format else "answer")


def _body_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = ws.cell(row=row, column=col)
    set_text_cell(cell, text)
    _styled(cell, "body")


def _validate(dv: DataValidation, cell: Any) -> None:
    """dv.add(cell) without openpyxl's check of the cell against every range dv holds, which made
    a sheet's validated cells cost the square of their number. Our rules hold either single cells
    or ranges that no single cell is added to; the set drops a repeated cell."""
    dv.sqref.ranges.add(CellRange(cell.coordinate))


def _list_validation(ws: Worksheet, formula: str, prompt: str) -> DataValidation:
    """One rule per distinct list and sheet, shared by all its cells: fewer rules, smaller and faster files."""
    shared = next((dv for dv in ws.data_validations.dataValidation
                   if dv.type == "list" and dv.formula1 == formula), None)
    if shared is not None:
        return shared
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorTitle="Not in the list",
                        error="Choose one of the options in the drop-down list.", prompt=prompt[:255])
    ws.add_data_validation(dv)
    return dv


def disclosed_weights(snapshot: domain.Snapshot) -> list[tuple[str, str]]:
    """The lines the Instructions sheet adds when the evaluation discloses its weights and method:
    each group's share and each criterion's share of the total, as the ranking computes them."""
    group_total = sum(g.weight for g in snapshot.groups) or 1.0
    lines = [("How offers are scored", (
        "Each question is scored by the evaluation committee on its own scale (usually 0-5, against written "
        "descriptors of each level); a score is turned into a share of the criterion's weight, and the weighted "
        "shares are added up (weighted sum, out of 100). Price is scored by formula: lowest price / your price x "
        "the criterion's weight. A mandatory requirement (knock-out) that is not met excludes the offer."))]
    for g in snapshot.groups:
        members = [c for c in snapshot.criteria if c.group_id == g.id]
        inner = sum(c.weight for c in members) or 1.0
        share = g.weight / group_total
        parts = []
        for c in members:
            overall = share * c.weight / inner * 100
            if c.knockout and overall == 0:
                parts.append(f"{c.name}: pass/fail, no weight")
            else:
                parts.append(f"{c.name}: {overall:.1f} %" + (", and pass/fail" if c.knockout else ""))
        lines.append((f"{g.name}: {share * 100:.1f} %", "; ".join(parts) + "."))
    return lines


def _write_instructions(ws: Worksheet, snapshot: domain.Snapshot) -> None:
    e = snapshot.evaluation
    _title(ws, f"Vendor questionnaire: {e.name}", f"Issued by {e.organisation or 'the buyer'}.", column=1)
    lines = [
        ("Deadline", e.questionnaire_deadline or "See the covering letter."),
        ("Questions about this RFP", e.questionnaire_contact or "Reply to the sender of this workbook."),
        ("", ""),
        ("How to answer", ("Fill in the yellow cells only, on the sheets 'Vendor profile', 'Questions' and 'Costs'. "
                           "Other cells are protected so that the workbook can be imported automatically.")),
        ("Choices", ("Where a cell offers a drop-down list, pick from it. For questions that accept several options, "
                     "type each option exactly as listed, separated by ';'.")),
        ("Numbers", ("Type plain numbers in the unit the question names (for example 45, not '45 min' or "
                     "'about an hour'). Do not use formulas.")),
        ("Evidence", ("Summarise your evidence in 'Evidence / comment' and name the attached document in "
                      "'Attachment reference' (for example 'Annex C, SOC 2 report, p. 4').")),
        ("Costs", ("List each cost line once a year, in one currency per line; say where imported hardware or "
                   "data-centre equipment comes from, and whether the contract lets you pass tariff changes through.")),
        ("Returning the file", ("Save as .xlsx (not .xls, .xlsm or PDF), without a password, and keep the sheet "
                                "and column layout: rows may be re-sorted, but do not delete or rename sheets.")),
        ("Mandatory requirements", ("Questions marked 'Mandatory requirement' are pass/fail: an offer that does not "
                                    "meet one is excluded. 'What to provide' says what makes an answer compliant.")),
    ]
    if e.disclose_weights:
        lines += [("", ""), *disclosed_weights(snapshot)]
    for row, (label, text) in enumerate(lines, start=HEADER_ROW + 1):
        set_text_cell(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        _body_cell(ws, row, 2, text)
        ws.cell(row=row, column=2).border = Border()
        ws.cell(row=row, column=1).alignment = _WRAP
        _fit_height(ws, row, [(text, 90)])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    _protect(ws)
    ws.print_title_rows = None


def _write_profile(ws: Worksheet, lists: _ListSheet, vendor: domain.Vendor | None) -> None:
    _title(ws, "Vendor profile", "Who you are and how you deliver. Fill in the yellow cells.")
    _header(ws, PROFILE_HEADERS, PROFILE_WIDTHS)
    for row, f in enumerate(PROFILE_FIELDS, start=HEADER_ROW + 1):
        _body_cell(ws, row, 1, f.key)
        _body_cell(ws, row, 2, f.label + (" (required)" if f.required else ""))
        ws.cell(row=row, column=2).font = Font(bold=True)
        _answer_cell(ws, row, 3, text_format=f.kind != "number")
        _body_cell(ws, row, 4, f.hint)
        _fit_height(ws, row, [(f.hint, PROFILE_WIDTHS[3])])
        if f.kind == "choice":
            _validate(_list_validation(ws, lists.range_for(f.choices), f.hint), ws.cell(row=row, column=3))
        if vendor is not None:
            value = getattr(vendor, f.key)
            if isinstance(value, tuple):
                value = f"{MULTI_SEPARATOR} ".join(value)
            if f.kind == "number":
                ws.cell(row=row, column=3).value = value
            elif value:
                set_text_cell(ws.cell(row=row, column=3), str(value))
    ws.column_dimensions["A"].hidden = True
    _protect(ws)


def _write_questions(ws: Worksheet, lists: _ListSheet, snapshot: domain.Snapshot) -> None:
    _title(ws, "Questions", "Answer in the yellow 'Answer' column; add evidence and attachment references beside it.")
    _header(ws, Q_HEADERS, Q_WIDTHS)
    yes_no_partial = _list_validation(ws, '"yes,no,partial"', "Choose yes, no or partial.")
    row = HEADER_ROW
    number = 0
    for group in snapshot.groups:
        members = [c for c in snapshot.criteria if c.group_id == group.id]
        if not members:
            continue
        row += 1
        set_text_cell(ws.cell(row=row, column=2), group.name)
        for col in range(1, len(Q_HEADERS) + 1):
            ws.cell(row=row, column=col).fill = _BAND_FILL
            ws.cell(row=row, column=col).font = Font(bold=True, color="1F4E78")
        for c in members:
            row += 1
            number += 1
            _question_row(ws, lists, row, number, group.name, c, yes_no_partial)
    ws.column_dimensions["A"].hidden = True
    _protect(ws)


def _question_row(ws: Worksheet, lists: _ListSheet, row: int, number: int, group: str, c: domain.Criterion,
                  yes_no_partial: DataValidation) -> None:
    _body_cell(ws, row, 1, c.key)
    _body_cell(ws, row, 2, str(number))
    _body_cell(ws, row, 3, group)
    question = _question_text(c)
    _body_cell(ws, row, 4, question)
    ws.cell(row=row, column=4).font = Font(bold=False)
    _body_cell(ws, row, 5, c.provide)
    _body_cell(ws, row, 6, how_to_answer(c))
    answer = ws.cell(row=row, column=7)
    _answer_cell(ws, row, 7, text_format=c.answer_type != "number")
    _answer_cell(ws, row, 8, text_format=True)
    _answer_cell(ws, row, 9, text_format=True)
    if c.answer_type == "yes_no_partial":
        _validate(yes_no_partial, answer)
    elif c.answer_type == "single_choice":
        _validate(_list_validation(ws, lists.range_for(c.choices), "Choose one option."), answer)
    elif c.answer_type == "number":
        _validate(_number_validation(ws, c), answer)
    _fit_height(ws, row, [(question, Q_WIDTHS[3]), (c.provide, Q_WIDTHS[4]), (how_to_answer(c), Q_WIDTHS[5])])


def _question_text(c: domain.Criterion) -> str:
    text = f"{c.name}\n{c.question}" if c.question else c.name
    return f"{text}\n{MANDATORY}" if c.knockout else text


def _number_validation(ws: Worksheet, c: domain.Criterion) -> DataValidation:
    lo, hi = c.answer_min, c.answer_max
    message = how_to_answer(c)[:255]
    shared = next((dv for dv in ws.data_validations.dataValidation
                   if dv.type == "decimal" and dv.prompt == message), None)
    if shared is not None:
        return shared
    if lo is not None and hi is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}")
    elif lo is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{lo:g}")
    elif hi is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=f"{hi:g}")
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
    dv.allow_blank = True
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = "Number expected"
    dv.error = dv.prompt = message
    ws.add_data_validation(dv)
    return dv


def _write_costs(ws: Worksheet, lists: _ListSheet) -> None:
    _title(ws, "Costs", "One line per cost item, amounts per year; empty lines are ignored. Pass-through: may the "
                        "contract pass tariff changes on to us? Imaging equipment: is it imaging hardware?", column=1)
    _header(ws, COST_HEADERS, COST_WIDTHS)
    first, last = HEADER_ROW + 1, HEADER_ROW + COST_ROWS
    category = _list_validation(ws, lists.range_for(tuple(COST_CATEGORY_LABELS)), "Choose a category.")
    yes_no = _list_validation(ws, '"yes,no"', "yes or no (empty means no).")
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, error="A yearly amount of 0 or more.")
    ws.add_data_validation(amount)
    for row in range(first, last + 1):
        for col in range(1, len(COST_HEADERS) + 1):
            _answer_cell(ws, row, col, text_format=col != 3)
        ws.cell(row=row, column=3).number_format = "#,##0.00"
    category.add(f"A{first}:A{last}")
    amount.add(f"C{first}:C{last}")
    yes_no.add(f"F{first}:G{last}")
    _protect(ws)


def readdress(path: Path, evaluation_id: int, target: Path) -> Path:
    """A copy of one of our questionnaires (the sample's, say) at target, addressed to another
    evaluation: only its Meta sheet's evaluation_id changes."""
    wb = load_workbook(path)
    for row in wb[META].iter_rows(min_col=1, max_col=2):
        if row[0].value == "evaluation_id":
            row[1].value = str(evaluation_id)
    wb.save(target)
    return target


def _write_meta(ws: Worksheet, snapshot: domain.Snapshot, vendor: domain.Vendor | None) -> None:
    e = snapshot.evaluation
    rows = [
        ("format", FORMAT), ("format_version", FORMAT_VERSION), ("evaluation_id", str(e.id)),
        ("evaluation_name", e.name), ("criteria_digest", criteria_digest(snapshot.criteria)),
        ("vendor", vendor.name if vendor else ""),
        ("generated_at", datetime.now(UTC).isoformat(timespec="seconds")),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        set_text_cell(ws.cell(row=row, column=1), key)
        set_text_cell(ws.cell(row=row, column=2), value)
    ws.sheet_state = "veryHidden"
