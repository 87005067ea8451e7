"""Test helpers: fill a generated questionnaire as a vendor would, edit zips, dump the database."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import inspect, text

from vendor_eval import domain
from vendor_eval.io.excel.questionnaire_template import HEADER_ROW, PROFILE, QUESTIONS
from vendor_eval.storage import Database

ANSWER, EVIDENCE, ATTACHMENT = 7, 8, 9  # Questions columns G, H, I
PROFILE_ANSWER = 3


def sample_answer(c: domain.Criterion, n: int) -> tuple[Any, Any]:
    """(what the vendor types, what the import must store) for criterion c; n varies the answers."""
    if c.answer_type == "yes_no_partial":
        typed = ("Yes", "no", "PARTIAL")[n % 3]
        return typed, typed.lower()
    if c.answer_type == "number":
        lo = c.answer_min or 0.0
        hi = c.answer_max if c.answer_max is not None else lo + 100
        value = round(lo + (hi - lo) * ((n * 37) % 100) / 100, 2)
        if c.answer_integer:
            value = round(value)
        return value, float(value)
    if c.answer_type == "single_choice":
        choice = c.choices[n % len(c.choices)]
        return choice, choice
    if c.answer_type == "multi_choice":
        picked = list(c.choices[: 1 + n % len(c.choices)])
        return "; ".join(reversed(picked)), picked  # typed in any order, stored in list order
    typed = f"Plan {n}: 変更管理 — שינוי 🚀 =not a formula"
    return typed, typed


def question_rows(ws: Any) -> dict[str, int]:
    return {ws.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(row=r, column=1).value}


def fill(src: Path, dst: Path, answers: dict[str, Any] | None = None, evidence: dict[str, str] | None = None,
         attachments: dict[str, str] | None = None, profile: dict[str, Any] | None = None,
         costs: list[list[Any]] | None = None, formulas: dict[str, str] | None = None, mutate: Callable[[Workbook], None] | None = None) -> Path:
    """Write answers into a copy of a generated questionnaire (rows found by their hidden key)."""
    wb = openpyxl.load_workbook(src)
    ws = wb[QUESTIONS]
    rows = question_rows(ws)
    for column, values in ((ANSWER, answers), (EVIDENCE, evidence), (ATTACHMENT, attachments)):
        for key, value in (values or {}).items():
            cell = ws.cell(row=rows[key], column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a vendor typing '=x' into a text cell gets text, as in Excel
    for key, formula in (formulas or {}).items():
        ws.cell(row=rows[key], column=ANSWER).value = formula  # a live formula, no saved value
    p = wb[PROFILE]
    prow = {p.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, p.max_row + 1)}
    for key, value in (profile or {}).items():
        p.cell(row=prow[key], column=PROFILE_ANSWER).value = value
    c = wb["Costs"]
    for i, line in enumerate(costs or []):
        for j, value in enumerate(line, start=1):
            c.cell(row=HEADER_ROW + 1 + i, column=j).value = value
    if mutate is not None:
        mutate(wb)
    wb.save(dst)
    return dst


def reorder_question_rows(wb: Workbook) -> None:
    """Reverse the question rows (values only), as a vendor re-sorting the sheet would."""
    ws = wb[QUESTIONS]
    rows = [r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value]
    values = [[ws.cell(row=r, column=col).value for col in range(1, 10)] for r in rows]
    for r, row_values in zip(rows, reversed(values), strict=True):
        for col, value in enumerate(row_values, start=1):
            ws.cell(row=r, column=col).value = value


def rewrite_zip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of an .xlsx with some members replaced (bytes), removed (None) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename in changes:
                continue
            dst.writestr(item, src.read(item.filename))
        for name, content in changes.items():
            if content is not None:
                dst.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def sheet_member(data: bytes, sheet: str) -> str:
    """The zip member holding a sheet (openpyxl numbers them in creation order)."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    index = wb.sheetnames.index(sheet)
    wb.close()
    return f"xl/worksheets/sheet{index + 1}.xml"


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare the database before and after an import."""
    with db.read() as s:
        tables = [t for t in inspect(s.bind).get_table_names() if t != "alembic_version"]
        return {t: sorted(map(tuple, s.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr) for t in tables}
