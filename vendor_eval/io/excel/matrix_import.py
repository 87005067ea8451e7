"""Read an officer's existing scoring spreadsheet (sheet 'Matrix') into plain data.

Layout, by row label in column A:

    Vendor     | criterion 1 | criterion 2 | ...     (row 1: criterion names)
    Group      | Security    | Security    | ...     (optional: builds the two-level hierarchy)
    Weight     | 30          | 10          | ...     (any positive numbers; normalised)
    Direction  | max         | min         | ...     (optional: max = higher is better)
    Acme       | 4           | 3.5         | ...     (one row per vendor: scores on one scale)

Every problem is reported at once with its cell ("Matrix!C5: expected a score between 0
and 5, got 7"); an empty score cell means "not scored".
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.questionnaire_answers import (
    BadCell,
    is_blank,
    norm,
    number_value,
    shown,
    text_value,
)
from vendor_eval.io.excel.questionnaire_import import QuestionnaireInvalid
from vendor_eval.io.excel.safety import iter_sheet_rows, open_workbook

SHEET = "Matrix"
MAX_CRITERIA = 500
DEFAULT_GROUP = "Criteria"
IMPORTED = "Imported"  # the evaluator of a matrix that names none


@dataclass(frozen=True)
class MatrixCriterion:
    name: str
    group: str
    weight: float  # percent within its group
    direction: str


@dataclass(frozen=True)
class MatrixGroup:
    name: str
    weight: float  # percent of the whole


@dataclass(frozen=True)
class MatrixData:
    groups: tuple[MatrixGroup, ...]
    criteria: tuple[MatrixCriterion, ...]
    vendors: tuple[str, ...]
    scores: tuple[tuple[int, int, int, float], ...]  # (evaluator index, vendor index, criterion index, score)
    warnings: tuple[str, ...] = ()
    evaluators: tuple[str, ...] = (IMPORTED,)


def parse_matrix(data: bytes, file_name: str, scale: tuple[float, float]) -> MatrixData:
    """Parse and validate; raises ValidationError (one sentence) or QuestionnaireInvalid (every cell problem)."""
    low, high = scale
    rows, formulas = _read(data, file_name, formulas=True)
    warnings = []
    formula_text = {(r, c): str(rows[r][c]) for r, c in formulas}
    if formulas:
        # An officer's own sheet often computes cells: use the results Excel saved, and say so.
        saved, _ = _read(data, file_name, formulas=False)
        for r, c in formulas:
            rows[r][c] = saved[r][c] if r < len(saved) and c < len(saved[r]) else None
        warnings.append(f"{file_name}: {len(formulas)} cell(s) of {SHEET} hold formulas (first "
                        f"{SHEET}!{get_column_letter(formulas[0][1] + 1)}{formulas[0][0] + 1}); their saved values "
                        "were used, and a formula without one counts as empty.")
    result = _Matrix(file_name, rows, low, high, formula_text).parse()
    return dataclasses.replace(result, warnings=tuple(warnings))


def _read(data: bytes, file_name: str, formulas: bool) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """The Matrix sheet's values, and where formulas are (only found when formulas=True)."""
    book = open_workbook(data, file_name, formulas=formulas)
    try:
        if SHEET not in book.workbook.sheetnames:
            raise ValidationError(
                f"{file_name} has no sheet named {SHEET!r} (it has {', '.join(map(repr, book.workbook.sheetnames))}).")
        rows: list[list[Any]] = []
        found: list[tuple[int, int]] = []
        for r, row in enumerate(iter_sheet_rows(book.workbook, SHEET, file_name, max_col=MAX_CRITERIA + 2)):
            rows.append([cell.value for cell in row])
            found += [(r, c) for c, cell in enumerate(row) if getattr(cell, "data_type", None) == "f"]
        return rows, found
    finally:
        book.close()


class _Matrix:
    def __init__(self, file_name: str, rows: list[list[Any]], low: float, high: float,
                 formulas: dict[tuple[int, int], str] | None = None):
        self.name, self.rows, self.low, self.high = file_name, rows, low, high
        self.formulas = formulas or {}  # (row, col) -> the formula, for cells whose saved value was used
        self.errors: list[str] = []

    def at(self, row: int, col: int) -> str:
        return f"{SHEET}!{get_column_letter(col + 1)}{row + 1}"

    def value(self, row: int, col: int) -> Any:
        return self.rows[row][col] if row < len(self.rows) and col < len(self.rows[row]) else None

    def empty(self, row: int, col: int, what: str) -> str:
        """The message for a cell with nothing usable in it, naming a formula that saved no value."""
        formula = self.formulas.get((row, col))
        got = f"a formula with no saved value ({shown(formula)})" if formula else "an empty cell"
        return f"{self.at(row, col)}: expected {what}, got {got}"

    def label(self, row: int) -> str:
        raw = self.value(row, 0)
        return norm(raw) if isinstance(raw, str) else ""

    def parse(self) -> MatrixData:
        if not self.rows or self.label(0) != "vendor":
            raise ValidationError(f"{self.name}: {SHEET}!A1 must say 'Vendor', got {shown(self.value(0, 0))}.")
        names = self._names()
        row = 1
        groups = None
        if self.label(row) == "group":
            groups = self._texts(row, len(names), "a group name")
            row += 1
        if self.label(row) != "weight":
            raise ValidationError(f"{self.name}: {SHEET}!A{row + 1} must say 'Weight', got {shown(self.value(row, 0))}.")
        weights = self._weights(row, len(names))
        row += 1
        directions = ["max"] * len(names)
        if self.label(row) == "direction":
            directions = self._directions(row, len(names))
            row += 1
        vendors, scores = self._vendor_rows(row, len(names))
        if self.errors:
            raise QuestionnaireInvalid(self.name, self.errors)
        if not vendors:
            raise ValidationError(f"{self.name}: {SHEET} has no vendor rows below the header rows.")
        return _normalise(names, groups, weights, directions, vendors, scores)

    def _names(self) -> list[str]:
        header = self.rows[0]
        last = max((i for i, v in enumerate(header) if not is_blank(v)), default=0)
        if last == 0:
            raise ValidationError(f"{self.name}: {SHEET} row 1 names no criteria after 'Vendor'.")
        if last > MAX_CRITERIA:
            raise ValidationError(f"{self.name}: {SHEET} has more than {MAX_CRITERIA} criteria columns.")
        names = self._texts(0, last, "a criterion name")
        seen: dict[str, int] = {}
        for i, name in enumerate(names):
            if name and norm(name) in seen:
                self.errors.append(f"{self.at(0, i + 1)}: the criterion name {name!r} repeats "
                                   f"{self.at(0, seen[norm(name)] + 1)}")
            seen.setdefault(norm(name), i)
        return names

    def _texts(self, row: int, count: int, what: str) -> list[str]:
        out = []
        for i in range(count):
            raw = self.value(row, i + 1)
            try:
                text = text_value(raw, 200)
            except BadCell as exc:
                self.errors.append(f"{self.at(row, i + 1)}: {exc}")
                text = ""
            if not text:
                self.errors.append(self.empty(row, i + 1, what))
            out.append(text)
        return out

    def _weights(self, row: int, count: int) -> list[float]:
        weights = []
        for i in range(count):
            raw = self.value(row, i + 1)
            try:
                weight = number_value(raw, "a positive weight", 0, None)
                if weight <= 0:
                    raise BadCell("expected a positive weight, got 0")
            except BadCell as exc:
                self.errors.append(f"{self.at(row, i + 1)}: {exc}")
                weight = 1.0
            weights.append(weight)
        return weights

    def _directions(self, row: int, count: int) -> list[str]:
        out = []
        for i in range(count):
            raw = self.value(row, i + 1)
            text = norm(raw) if isinstance(raw, str) else ""
            if text not in ("max", "min"):
                self.errors.append(f"{self.at(row, i + 1)}: expected 'max' or 'min', got {shown(raw)}")
                text = "max"
            out.append(text)
        return out

    def _vendor_rows(self, first: int, count: int) -> tuple[list[str], list[tuple[int, int, int, float]]]:
        vendors: list[str] = []
        scores: list[tuple[int, int, int, float]] = []
        seen: dict[str, int] = {}
        what = f"a score between {self.low:g} and {self.high:g}"
        for row in range(first, len(self.rows)):
            cells = [self.value(row, i) for i in range(count + 1)]
            if all(is_blank(v) for v in cells):
                continue
            try:
                name = text_value(cells[0], 200)
            except BadCell as exc:
                self.errors.append(f"{self.at(row, 0)}: {exc}")
                continue
            if not name:
                self.errors.append(self.empty(row, 0, "a vendor name"))
                continue
            if norm(name) in seen:
                self.errors.append(f"{self.at(row, 0)}: the vendor {name!r} repeats row {seen[norm(name)] + 1}")
                continue
            seen[norm(name)] = row
            vendor = len(vendors)
            vendors.append(name)
            for i in range(count):
                raw = cells[i + 1]
                if is_blank(raw):
                    continue
                try:
                    scores.append((0, vendor, i, number_value(raw, what, self.low, self.high)))
                except BadCell as exc:
                    self.errors.append(f"{self.at(row, i + 1)}: {exc}")
        return vendors, scores


def _normalise(names: list[str], groups: list[str] | None, weights: list[float], directions: list[str],
               vendors: list[str], scores: list[tuple[int, int, int, float]]) -> MatrixData:
    """Group weight = its criteria's share of all weight; criterion weight = its share within the group."""
    group_of = groups or [DEFAULT_GROUP] * len(names)
    order: list[str] = []
    totals: dict[str, float] = {}
    for g, w in zip(group_of, weights, strict=True):
        if g not in totals:
            order.append(g)
            totals[g] = 0.0
        totals[g] += w
    grand = math.fsum(totals.values())
    return MatrixData(
        groups=tuple(MatrixGroup(g, 100 * totals[g] / grand) for g in order),
        criteria=tuple(MatrixCriterion(n, g, 100 * w / totals[g], d)
                       for n, g, w, d in zip(names, group_of, weights, directions, strict=True)),
        vendors=tuple(vendors),
        scores=tuple(scores),
    )
