"""Read a completed questionnaire into plain data, checking every cell; all problems at once.

Nothing in the file is trusted: rows are found by the hidden key (so vendors may re-sort
them), headers by their text, and the evaluation by the hidden metadata, which is
checked against the evaluation the officer imports into. Formulas are never evaluated:
their saved values are read and each one is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from openpyxl.utils import get_column_letter

from vendor_eval import domain
from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.questionnaire_answers import (
    BadCell,
    answer_value,
    choice_value,
    is_blank,
    norm,
    number_value,
    shown,
    text_value,
)
from vendor_eval.io.excel.questionnaire_template import (
    COST_CATEGORY_LABELS,
    COST_HEADERS,
    COSTS,
    FORMAT,
    FORMAT_VERSION,
    KEY_HEADER,
    META,
    PROFILE,
    PROFILE_FIELDS,
    PROFILE_HEADERS,
    Q_HEADERS,
    QUESTIONS,
    YES_NO,
    ProfileField,
    criteria_digest,
)
from vendor_eval.io.excel.safety import SafeWorkbook, iter_sheet_rows, open_workbook
from vendor_eval.io.text_safety import excel_text_restore

HEADER_SEARCH_ROWS = 10
MAX_COST_LINES = 200
PROFILE_LIMITS = {"name": 200, "legal_name": 300, "contact": 300, "hq_country": 100}
LIST_ITEM_LIMIT, LIST_ITEMS_MAX = 200, 100


@dataclass(frozen=True)
class ParsedAnswer:
    key: str
    value: Any  # None (unanswered), str, float or list[str]
    evidence: str
    attachment_ref: str
    cell: str  # where the answer was, e.g. "Questions!G14"


@dataclass(frozen=True)
class ParsedQuestionnaire:
    file_name: str
    evaluation_id: int
    evaluation_name: str
    format_version: str
    criteria_digest: str
    generated_for: str  # the vendor the officer generated it for, "" when generic
    profile: dict[str, Any]  # only the fields the vendor filled in
    answers: tuple[ParsedAnswer, ...]
    cost_lines: tuple[domain.CostLine, ...]
    warnings: tuple[str, ...]

    @property
    def template_version(self) -> str:
        return f"{self.format_version}:{self.criteria_digest}"[:20]


class QuestionnaireInvalid(ValidationError):
    """Every problem found in one file; the file changed nothing."""

    def __init__(self, file_name: str, errors: Sequence[str]):
        self.file_name = file_name
        self.errors = tuple(errors)
        count = f"{len(errors)} problems" if len(errors) != 1 else "1 problem"
        super().__init__(f"{file_name} was not imported ({count}): " + "; ".join(self.errors))


@dataclass
class _Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    formula_cells: dict[tuple[str, str], Callable[[Any], None]] = field(default_factory=dict)


def parse_questionnaire(data: bytes, file_name: str, evaluation: domain.EvaluationInfo,
                        criteria: Sequence[domain.Criterion]) -> ParsedQuestionnaire:
    """Parse and validate; raises ValidationError (one sentence) or QuestionnaireInvalid (all cell errors)."""
    book = open_workbook(data, file_name, formulas=True)
    try:
        return _Parser(book, file_name, evaluation, criteria, data).parse()
    finally:
        book.close()


class _Parser:
    def __init__(self, book: SafeWorkbook, file_name: str, evaluation: domain.EvaluationInfo,
                 criteria: Sequence[domain.Criterion], data: bytes):
        self.wb = book.workbook
        self.name = file_name
        self.evaluation = evaluation
        self.criteria = {c.key: c for c in criteria}
        self.criteria_list = criteria
        self.data = data
        self.p = _Problems(warnings=[f"{file_name}: {note}" for note in book.notes])

    def parse(self) -> ParsedQuestionnaire:
        meta = self._meta()
        missing = [s for s in (PROFILE, QUESTIONS, COSTS) if s not in self.wb.sheetnames]
        if missing:
            raise ValidationError(
                f"{self.name} has no sheet {missing[0]!r} (it has {', '.join(map(repr, self.wb.sheetnames))}); "
                "sheets must not be renamed or deleted."
            )
        profile = self._profile()
        slots = self._questions()
        cost_cells = self._costs()
        self._resolve_formulas()  # fills in the slots of formula cells: build the results only after it
        if self.p.errors:
            raise QuestionnaireInvalid(self.name, self.p.errors)
        answers = [ParsedAnswer(k, s["value"], s["evidence"], s["attachment_ref"], s["cell"]) for k, s in slots.items()]
        costs = [domain.CostLine(
            category=line["Category"], description=line["Description"], annual_amount=line["Annual amount"],
            currency=line["Currency"], origin_country=line["Country of origin"], pass_through=line["Pass-through"],
            imaging_equipment=line["Imaging equipment"]) for line in cost_cells]
        if meta["criteria_digest"] != criteria_digest(self.criteria_list):
            self.p.warnings.append(
                f"{self.name} was generated before the questions last changed; answers were matched by question key."
            )
        return ParsedQuestionnaire(
            file_name=self.name, evaluation_id=self.evaluation.id, evaluation_name=meta["evaluation_name"],
            format_version=meta["format_version"], criteria_digest=meta["criteria_digest"],
            generated_for=meta["vendor"], profile=profile, answers=tuple(answers), cost_lines=tuple(costs),
            warnings=tuple(self.p.warnings),
        )

    # --- metadata ------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        if META not in self.wb.sheetnames:
            raise ValidationError(
                f"{self.name} is not a vendor_eval questionnaire (its hidden sheet {META!r} is missing); "
                "send the vendor a questionnaire generated by vendor_eval."
            )
        meta: dict[str, str] = {}
        for row in iter_sheet_rows(self.wb, META, self.name, max_col=2, max_rows=50):
            if len(row) == 2 and isinstance(row[0].value, str):
                meta[row[0].value.strip()] = "" if row[1].value is None else excel_text_restore(str(row[1].value))[:300]
        if meta.get("format") != FORMAT:
            raise ValidationError(f"{self.name} is not a vendor_eval questionnaire (its metadata is missing or damaged).")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValidationError(
                f"{self.name} uses questionnaire format {meta.get('format_version')!r}, but this version of vendor_eval "
                f"reads format {FORMAT_VERSION!r}; generate a new questionnaire."
            )
        file_eval = meta.get("evaluation_id", "")
        if file_eval != str(self.evaluation.id):
            raise ValidationError(
                f"{self.name} is the questionnaire of evaluation {meta.get('evaluation_name', '?')!r} "
                f"(id {file_eval or '?'}), not of {self.evaluation.name!r} (id {self.evaluation.id}); "
                "import it into that evaluation instead."
            )
        if meta.get("evaluation_name", "") != self.evaluation.name:
            self.p.warnings.append(
                f"{self.name} names the evaluation {meta.get('evaluation_name')!r}; it has since been renamed "
                f"{self.evaluation.name!r}."
            )
        meta.setdefault("criteria_digest", "")
        meta.setdefault("vendor", "")
        return meta

    # --- shared helpers ------------------------------------------------------------------

    def _table(self, sheet: str, headers: Sequence[str], first_header: str,
               required: Iterable[str]) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
        """Locate the header row by its first cell, map header texts to columns, return the rows below."""
        rows = list(iter_sheet_rows(self.wb, sheet, self.name, max_col=len(headers) + 2))
        columns: dict[str, int] | None = None
        body: list[tuple[int, tuple[Any, ...]]] = []
        for number, row in enumerate(rows, start=1):
            if columns is None:
                if number > HEADER_SEARCH_ROWS:
                    break
                if row and isinstance(row[0].value, str) and row[0].value.strip() == first_header:
                    columns = {str(c.value).strip(): i for i, c in enumerate(row) if isinstance(c.value, str)}
                continue
            body.append((number, row))
        if columns is None:
            raise ValidationError(f"{self.name}: sheet {sheet!r} has lost its header row; generate a new questionnaire.")
        lost = [h for h in required if h not in columns]
        if lost:
            raise ValidationError(
                f"{self.name}: sheet {sheet!r} has no column {lost[0]!r}; columns must not be renamed or deleted."
            )
        return columns, body

    def _cell(self, sheet: str, row: tuple[Any, ...], number: int, col: int) -> tuple[Any, str, bool, str]:
        """(value, coordinate, is_formula, number_format) of one cell, tolerating short rows."""
        coord = f"{sheet}!{get_column_letter(col + 1)}{number}"
        if col >= len(row):
            return None, coord, False, "General"
        cell = row[col]
        is_formula = getattr(cell, "data_type", None) == "f"
        return cell.value, coord, is_formula, getattr(cell, "number_format", "General") or "General"

    def _check(self, coord: str, parse: Callable[[Any], Any], raw: Any, is_formula: bool,
               store: Callable[[Any], None]) -> None:
        """Parse raw into store(); a formula is parsed later from its saved value."""
        if is_formula:
            self.p.formula_cells[(coord.split("!")[0], coord)] = lambda cached: self._check(
                coord, parse, cached, False, store)
            self.p.warnings.append(f"{coord}: the answer is a formula ({shown(raw)}); its saved value was used.")
            return
        try:
            store(parse(raw))
        except BadCell as exc:
            self.p.errors.append(f"{coord}: {exc}")

    def _resolve_formulas(self) -> None:
        """Re-open the file for saved formula results only when some answer was a formula (rare)."""
        if not self.p.formula_cells:
            return
        book = open_workbook(self.data, self.name, formulas=False)
        try:
            wanted: dict[str, dict[str, Callable[[Any], None]]] = {}
            for (sheet, coord), apply in self.p.formula_cells.items():
                wanted.setdefault(sheet, {})[coord.split("!")[1]] = apply
            for sheet, cells in wanted.items():
                for row in iter_sheet_rows(book.workbook, sheet, self.name, max_col=len(Q_HEADERS) + 2):
                    for cell in row:
                        coordinate = getattr(cell, "coordinate", None)
                        if coordinate in cells:
                            cached = cell.value
                            if cached is None:
                                self.p.errors.append(
                                    f"{sheet}!{coordinate}: expected a typed value, got a formula with no saved "
                                    "result; type the value itself")
                            else:
                                cells.pop(coordinate)(cached)
                for coordinate in cells:
                    self.p.errors.append(f"{sheet}!{coordinate}: expected a typed value, got a formula with no "
                                         "saved result; type the value itself")
        finally:
            book.close()

    # --- sheets ----------------------------------------------------------------------------

    def _profile(self) -> dict[str, Any]:
        columns, body = self._table(PROFILE, PROFILE_HEADERS, KEY_HEADER, ("Key", "Answer"))
        fields = {f.key: f for f in PROFILE_FIELDS}
        answer_col = columns["Answer"]
        profile: dict[str, Any] = {}
        seen: set[str] = set()
        for number, row in body:
            key = row[0].value if row else None
            if not isinstance(key, str) or key.strip() not in fields:
                continue
            f = fields[key.strip()]
            seen.add(f.key)
            raw, coord, is_formula, _fmt = self._cell(PROFILE, row, number, answer_col)
            if is_blank(raw) and not is_formula:
                if f.required:
                    self.p.errors.append(f"{coord}: expected the {f.label.lower()}, got an empty cell")
                continue
            self._check(coord, partial(_profile_value, f), raw, is_formula, partial(profile.__setitem__, f.key))
        for f in PROFILE_FIELDS:
            if f.required and f.key not in seen:
                self.p.errors.append(f"{PROFILE}: the row {f.label!r} is missing; do not delete rows")
        return profile

    def _questions(self) -> dict[str, dict[str, Any]]:
        columns, body = self._table(QUESTIONS, Q_HEADERS, KEY_HEADER,
                                    ("Key", "Answer", "Evidence / comment", "Attachment reference"))
        a_col, e_col, r_col = columns["Answer"], columns["Evidence / comment"], columns["Attachment reference"]
        found: dict[str, int] = {}
        answers: dict[str, dict[str, Any]] = {}
        for number, row in body:
            key = row[0].value if row else None
            if is_blank(key):
                continue
            key = str(key).strip()
            if key not in self.criteria:
                self.p.errors.append(f"{QUESTIONS}!A{number}: expected a question key of this evaluation, got {shown(key)}")
                continue
            if key in found:
                self.p.errors.append(f"{QUESTIONS}!A{number}: the question in row {found[key]} appears again")
                continue
            found[key] = number
            c = self.criteria[key]
            slot: dict[str, Any] = {"value": None, "evidence": "", "attachment_ref": ""}
            answers[key] = slot
            raw, coord, is_formula, fmt = self._cell(QUESTIONS, row, number, a_col)
            slot["cell"] = coord
            self._check(coord, partial(answer_value, c, percent_format="%" in fmt), raw, is_formula,
                        partial(slot.__setitem__, "value"))
            for col, name in ((e_col, "evidence"), (r_col, "attachment_ref")):
                raw, coord, is_formula, _f = self._cell(QUESTIONS, row, number, col)
                self._check(coord, text_value, raw, is_formula, partial(slot.__setitem__, name))
        absent = [k for k in self.criteria if k not in found]
        if absent:
            self.p.warnings.append(
                f"{self.name} has no row for {len(absent)} question(s) ({', '.join(absent[:5])}"
                f"{', ...' if len(absent) > 5 else ''}); their earlier answers, if any, were kept."
            )
        return answers

    def _costs(self) -> list[dict[str, Any]]:
        columns, body = self._table(COSTS, COST_HEADERS, COST_HEADERS[0], COST_HEADERS)
        lines: list[dict[str, Any]] = []
        for number, row in body:
            cells = {h: self._cell(COSTS, row, number, columns[h]) for h in COST_HEADERS}
            if all(is_blank(v) and not f for v, _c, f, _n in cells.values()):
                continue
            if len(lines) >= MAX_COST_LINES:
                self.p.errors.append(f"{COSTS}!A{number}: expected at most {MAX_COST_LINES} cost lines")
                break
            line: dict[str, Any] = {}
            for header, (raw, coord, is_formula, _fmt) in cells.items():
                self._check(coord, partial(_cost_value, header), raw, is_formula, partial(line.__setitem__, header))
            lines.append(line)
        return lines


def _profile_value(f: ProfileField, raw: Any) -> Any:
    if f.kind == "choice":
        return choice_value(raw, f.choices, "one of " + ", ".join(f.choices))
    if f.kind == "number":
        if f.key == "contract_term_years":
            value = number_value(raw, "a number of years between 0.1 and 50", 0.1, 50)
        else:
            value = number_value(raw, "a percent between 0 and 100", 0, 100)
        return value
    if f.kind == "list":
        text = text_value(raw)
        separator = ";" if ";" in text else ","
        items = [x.strip() for x in text.split(separator) if x.strip()]
        if len(items) > LIST_ITEMS_MAX or any(len(x) > LIST_ITEM_LIMIT for x in items):
            raise BadCell(f"expected at most {LIST_ITEMS_MAX} items of at most {LIST_ITEM_LIMIT} characters each")
        return items
    return text_value(raw, PROFILE_LIMITS.get(f.key, 300))


def _cost_value(header: str, raw: Any) -> Any:
    if header == "Category":
        labels = {**COST_CATEGORY_LABELS, **{key: key for key in COST_CATEGORY_LABELS.values()}}
        label = choice_value(raw, tuple(labels), "a category from the list (" + ", ".join(COST_CATEGORY_LABELS) + ")")
        return labels[label]
    if header == "Annual amount":
        if is_blank(raw):
            raise BadCell("expected a yearly amount of 0 or more, got an empty cell")
        return number_value(raw, "a yearly amount of 0 or more", 0, 1e12)
    if header == "Currency":
        text = text_value(raw, 20).upper()
        if len(text) != 3 or not text.isascii() or not text.isalpha():
            raise BadCell(f"expected a three-letter currency code such as USD or EUR, got {shown(raw)}")
        return text
    if header in ("Pass-through", "Imaging equipment"):
        if is_blank(raw):
            return False
        if isinstance(raw, bool):
            return raw
        return choice_value(raw, YES_NO, "yes or no") == "yes"
    if header == "Country of origin":
        return text_value(raw, 100)
    return text_value(raw, 300)


def normalised(text: str) -> str:
    """Exposed for vendor matching in the service: the same folding the choices use."""
    return norm(text)
