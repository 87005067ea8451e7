"""Read a returned scoresheet into plain data, checking every cell; all problems at once.

Nothing in the file is trusted: rows are found by the hidden criterion key, vendor blocks by
the hidden vendor-id row, headers by their text, and the identity sheet is only a claim that
services.scoresheets checks against the issue recorded in the database. Formulas are refused
(a score is typed or chosen, never computed). Errors read "Scores!F12: expected ..., got ...".
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from openpyxl.utils import get_column_letter

from vendor_eval import domain
from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.questionnaire_answers import BadCell, choice_value, is_blank, number_value, shown, text_value
from vendor_eval.io.excel.questionnaire_import import QuestionnaireInvalid
from vendor_eval.io.excel.questionnaire_template import YES_NO
from vendor_eval.io.excel.safety import SafeWorkbook, check_container, iter_sheet_rows, open_workbook
from vendor_eval.io.excel.scoresheet_template import (
    BLOCK_HEADERS,
    CONFLICT_HEADER,
    DECL_ANSWER_COL,
    DECL_DATE_ROW,
    DECL_NAME_ROW,
    DECL_STATEMENT_ROW,
    DECL_SUBMIT_ROW,
    DECL_VENDOR_HEADER_ROW,
    DECLARATION,
    FIXED_HEADERS,
    FORMAT,
    FORMAT_VERSION,
    KEY_HEADER,
    META,
    SCORES,
    VENDOR_MARK,
)
from vendor_eval.io.text_safety import excel_text_restore

HEADER_SEARCH_ROWS = 12
COMMENT_LIMIT = 4_000
NAME_LIMIT = 200
MAX_VENDOR_BLOCKS = 60


@dataclass(frozen=True)
class ParsedScore:
    key: str
    vendor_id: int
    value: float | None  # None: the cell was left empty
    comment: str
    cell: str  # e.g. "Scores!F12"


@dataclass(frozen=True)
class ParsedDeclaration:
    name: str
    signed_on: str  # ISO date
    statement: str
    submit: bool
    conflicts: dict[int, bool]  # vendor id -> declared a conflict
    cells: dict[int, str]  # vendor id -> the cell of its answer


@dataclass(frozen=True)
class ParsedScoresheet:
    file_name: str
    meta: dict[str, str]
    declaration: ParsedDeclaration
    scores: tuple[ParsedScore, ...]
    warnings: tuple[str, ...]

    def meta_int(self, key: str) -> int:
        text = self.meta.get(key, "")
        return int(text) if text.isdecimal() else -1


class ScoresheetInvalid(QuestionnaireInvalid):
    """Every problem found in one scoresheet; the file changed nothing (same form as a questionnaire's)."""


def looks_like_scoresheet(data: bytes) -> bool:
    """Whether the bytes are a workbook with our scoresheet's sheets (read from the zip's workbook
    part only, so a questionnaire import is not slowed down); damaged files answer False and are
    left to the questionnaire import to explain."""
    try:
        check_container(data, "file")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = fromstring(archive.read("xl/workbook.xml"))
    except (ValidationError, ValueError, KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile, OSError):
        return False
    names = {el.get("name") for el in root.iter() if el.tag.endswith("}sheet") or el.tag == "sheet"}
    return {SCORES, DECLARATION, META} <= names


def parse_scoresheet(data: bytes, file_name: str, evaluation: domain.EvaluationInfo,
                     criteria: Sequence[domain.Criterion], vendor_ids: Sequence[int]) -> ParsedScoresheet:
    """Parse and check against the evaluation's criteria and vendors; raises ValidationError (one
    sentence) or ScoresheetInvalid (every cell problem)."""
    book = open_workbook(data, file_name, formulas=True)
    try:
        return _Parser(book, file_name, evaluation, criteria, vendor_ids).parse()
    finally:
        book.close()


@dataclass
class _Parser:
    book: SafeWorkbook
    name: str
    evaluation: domain.EvaluationInfo
    criteria_list: Sequence[domain.Criterion]
    vendor_ids: Sequence[int]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def parse(self) -> ParsedScoresheet:
        self.wb = self.book.workbook
        self.criteria = {c.key: c for c in self.criteria_list}
        self.warnings += [f"{self.name}: {note}" for note in self.book.notes]
        meta = self._meta()
        for sheet in (DECLARATION, SCORES):
            if sheet not in self.wb.sheetnames:
                raise ValidationError(f"{self.name} has no sheet {sheet!r}; sheets must not be renamed or deleted.")
        declaration = self._declaration()
        scores = self._scores()
        if self.errors:
            raise ScoresheetInvalid(self.name, self.errors)
        return ParsedScoresheet(self.name, meta, declaration, tuple(scores), tuple(self.warnings))

    def _meta(self) -> dict[str, str]:
        if META not in self.wb.sheetnames:
            raise ValidationError(f"{self.name} is not a vendor_eval scoresheet (its hidden sheet {META!r} is missing).")
        meta: dict[str, str] = {}
        for row in iter_sheet_rows(self.wb, META, self.name, max_col=2, max_rows=50):
            if len(row) == 2 and isinstance(row[0].value, str):
                meta[row[0].value.strip()] = "" if row[1].value is None else excel_text_restore(str(row[1].value))[:300]
        if meta.get("format") != FORMAT:
            raise ValidationError(f"{self.name} is not a vendor_eval scoresheet (its hidden identity is damaged).")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValidationError(f"{self.name} uses scoresheet format {meta.get('format_version')!r}; this version "
                                  f"of vendor_eval reads format {FORMAT_VERSION!r}: issue a new scoresheet.")
        if meta.get("evaluation_id") != str(self.evaluation.id):
            raise ValidationError(
                f"{self.name} is a scoresheet of evaluation {meta.get('evaluation_name', '?')!r} "
                f"(id {meta.get('evaluation_id') or '?'}), not of {self.evaluation.name!r} (id {self.evaluation.id}); "
                "import it into that evaluation instead.")
        return meta

    def _rows(self, sheet: str, max_col: int) -> list[tuple[Any, ...]]:
        return list(iter_sheet_rows(self.wb, sheet, self.name, max_col=max_col))

    def _value(self, row: tuple[Any, ...], col: int) -> tuple[Any, bool]:
        """(value, is_formula) of the 1-based column col of a read-only row, tolerating short rows."""
        if col - 1 >= len(row):
            return None, False
        cell = row[col - 1]
        return cell.value, getattr(cell, "data_type", None) == "f"

    def _typed(self, coord: str, raw: Any, is_formula: bool) -> Any:
        if is_formula:
            raise BadCell(f"expected a typed value, got the formula {shown(raw)}")
        return raw

    # --- Declaration -----------------------------------------------------------------------

    def _declaration(self) -> ParsedDeclaration:
        rows = self._rows(DECLARATION, max_col=DECL_ANSWER_COL + 1)
        at = {n: row for n, row in enumerate(rows, start=1)}

        def answer(row_number: int) -> tuple[Any, str, bool]:
            raw, formula = self._value(at.get(row_number, ()), DECL_ANSWER_COL)
            return raw, f"{DECLARATION}!{get_column_letter(DECL_ANSWER_COL)}{row_number}", formula

        name = self._field(answer(DECL_NAME_ROW), "your name", lambda raw: text_value(raw, NAME_LIMIT), required=True)
        signed = self._field(answer(DECL_DATE_ROW), "the date as YYYY-MM-DD", _date_value, required=True)
        statement = self._field(answer(DECL_STATEMENT_ROW), "a statement", lambda raw: text_value(raw, COMMENT_LIMIT))
        submit = self._field(answer(DECL_SUBMIT_ROW), "yes or no",
                             lambda raw: choice_value(raw, YES_NO, "yes or no"))
        header = at.get(DECL_VENDOR_HEADER_ROW, ())
        if self._value(header, DECL_ANSWER_COL)[0] != CONFLICT_HEADER:
            raise ValidationError(f"{self.name}: sheet {DECLARATION!r} has lost its vendor table "
                                  f"(row {DECL_VENDOR_HEADER_ROW}); issue a new scoresheet.")
        conflicts: dict[int, bool] = {}
        cells: dict[int, str] = {}
        for number, row in at.items():
            if number <= DECL_VENDOR_HEADER_ROW:
                continue
            mark = self._value(row, 1)[0]
            if is_blank(mark):
                continue
            vendor_id = _vendor_id(mark)
            if vendor_id is None or vendor_id not in self.vendor_ids or vendor_id in conflicts:
                self.errors.append(f"{DECLARATION}!A{number}: expected a vendor key of this evaluation, got {shown(mark)}")
                continue
            raw, formula = self._value(row, DECL_ANSWER_COL)
            coord = f"{DECLARATION}!{get_column_letter(DECL_ANSWER_COL)}{number}"
            cells[vendor_id] = coord
            what = f"yes or no (a conflict of interest with {text_value(self._value(row, 2)[0], 200) or 'this vendor'})"
            picked = self._field((raw, coord, formula), what, lambda raw, w=what: choice_value(raw, YES_NO, w),
                                 required=True)
            conflicts[vendor_id] = picked == "yes"
        return ParsedDeclaration(name or "", signed or "", statement or "", submit == "yes", conflicts, cells)

    def _field(self, found: tuple[Any, str, bool], what: str, parse: Any, required: bool = False) -> Any:
        raw, coord, formula = found
        try:
            raw = self._typed(coord, raw, formula)
            if is_blank(raw):
                if required:
                    raise BadCell(f"expected {what}, got an empty cell (the declaration must be complete)")
                return None
            return parse(raw)
        except BadCell as exc:
            self.errors.append(f"{coord}: {exc}")
            return None

    # --- Scores ------------------------------------------------------------------------------

    def _scores(self) -> list[ParsedScore]:
        width = len(FIXED_HEADERS) + len(BLOCK_HEADERS) * MAX_VENDOR_BLOCKS
        rows = self._rows(SCORES, max_col=width)
        header_at = next((n for n, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1)
                          if row and isinstance(row[0].value, str) and row[0].value.strip() == KEY_HEADER), None)
        if header_at is None or header_at < 2:
            raise ValidationError(f"{self.name}: sheet {SCORES!r} has lost its header row; issue a new scoresheet.")
        blocks = self._blocks(rows[header_at - 2], rows[header_at - 1], header_at)
        found: dict[str, int] = {}
        out: list[ParsedScore] = []
        for number, row in enumerate(rows[header_at:], start=header_at + 1):
            key = self._value(row, 1)[0]
            if is_blank(key):
                continue
            key = excel_text_restore(str(key).strip())
            if key not in self.criteria:
                self.errors.append(f"{SCORES}!A{number}: expected a criterion key of this evaluation, got {shown(key)}")
                continue
            if key in found:
                self.errors.append(f"{SCORES}!A{number}: the criterion in row {found[key]} appears again")
                continue
            found[key] = number
            c = self.criteria[key]
            for col, vendor_id in blocks:
                score = self._score(c, row, number, col)
                comment = self._comment(row, number, col + 1)
                if score is None and comment and is_blank(self._value(row, col)[0]):
                    self.errors.append(f"{SCORES}!{get_column_letter(col)}{number}: expected a score beside the "
                                       f"comment in {get_column_letter(col + 1)}{number}, got an empty cell")
                out.append(ParsedScore(key, vendor_id, score, comment or "", f"{SCORES}!{get_column_letter(col)}{number}"))
        return out

    def _blocks(self, id_row: tuple[Any, ...], header_row: tuple[Any, ...], header_at: int) -> list[tuple[int, int]]:
        """(score column, vendor id) of each vendor block, from the hidden vendor-id row."""
        blocks: list[tuple[int, int]] = []
        seen: set[int] = set()
        for index, cell in enumerate(id_row, start=1):
            if is_blank(cell.value):
                continue
            vendor_id = _vendor_id(cell.value)
            coord = f"{SCORES}!{get_column_letter(index)}{header_at - 1}"
            if vendor_id is None or vendor_id not in self.vendor_ids or vendor_id in seen:
                self.errors.append(f"{coord}: expected a vendor key of this evaluation, got {shown(cell.value)}")
                continue
            headers = [self._value(header_row, index + i)[0] for i in range(2)]
            if headers != list(BLOCK_HEADERS[:2]):
                raise ValidationError(f"{self.name}: sheet {SCORES!r} has lost the Score and Comment columns of a "
                                      f"vendor (column {get_column_letter(index)}); columns must not be moved or deleted.")
            seen.add(vendor_id)
            blocks.append((index, vendor_id))
        return blocks

    def _score(self, c: domain.Criterion, row: tuple[Any, ...], number: int, col: int) -> float | None:
        raw, formula = self._value(row, col)
        coord = f"{SCORES}!{get_column_letter(col)}{number}"
        try:
            raw = self._typed(coord, raw, formula)
            if is_blank(raw):
                return None
            return number_value(raw, f"a score from {c.scale_min:g} to {c.scale_max:g}", c.scale_min, c.scale_max)
        except BadCell as exc:
            self.errors.append(f"{coord}: {exc}")
            return None

    def _comment(self, row: tuple[Any, ...], number: int, col: int) -> str:
        raw, formula = self._value(row, col)
        coord = f"{SCORES}!{get_column_letter(col)}{number}"
        try:
            return str(text_value(self._typed(coord, raw, formula), COMMENT_LIMIT))
        except BadCell as exc:
            self.errors.append(f"{coord}: {exc}")
            return ""


def _vendor_id(mark: Any) -> int | None:
    text = str(mark).strip()
    if not text.startswith(VENDOR_MARK):
        return None
    digits = text[len(VENDOR_MARK):]
    return int(digits) if digits.isdecimal() and len(digits) < 12 else None


def _date_value(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = text_value(raw, 40)
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise BadCell(f"expected the date as YYYY-MM-DD, got {shown(raw)}") from None
