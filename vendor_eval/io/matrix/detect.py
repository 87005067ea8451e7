"""Find the scoring table in a buyer's own spreadsheet, whatever its layout.

Detection works on a *canonical* view in which criteria run down the rows: a sheet with
criteria across the columns is read transposed, so one set of rules serves both. On that
view it finds the header row (below any title block), the criterion-name column, the weight,
group and direction columns, the vendor columns (with evaluator blocks above them), group
heading rows ("Technical (60%)"), and the total, subtotal and formula lines it skips.

It never guesses between readings: two tables, no weight column or an unknown orientation
raise `AmbiguousLayout`, one sentence naming the option that settles it. `Overrides` are
those options; saved as JSON they are the mapping reused for the next file of the same shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.questionnaire_answers import norm
from vendor_eval.io.matrix.sheets import Sheet
from vendor_eval.vocabulary import ORIENTATIONS, TEXT_SCORE_LADDERS

HEADER_SEARCH_ROWS = 60
_NUMBERISH = re.compile(r"^\s*[+-]?(\d+([.,]\d+)?|[.,]\d+)\s*%?\s*$")
_ROLES = (  # heading words, checked in this order
    ("total", re.compile(r"^(grand |sub-?)?totals?\b|^sum\b|^weighted (score|total|sum)|^overall (score|total)$"
                         r"|^rank(ing)?$|^(average|mean)( score)?$|^results?$|^final score|^score$")),
    ("weight", re.compile(r"weight|^wt\.?$|^%$|importance|^(max(imum)? )?points\b")),
    ("group", re.compile(r"^(group|category|section|area|domain|pillar|theme|lot)s?\b")),
    ("direction", re.compile(r"direction|better|polarity|^goal$|max ?/ ?min")),
    ("notes", re.compile(r"comment|note|evidence|justification|remark|^ref|^#$|^no\.?$|^id$|guidance|^question$"
                         r"|^max(imum)? score|^scale|^out of")),
    ("criterion", re.compile(r"criteri|requirement|^item|factor|^description|^attribute|^evaluation")),
    ("vendor", re.compile(r"^(vendor|supplier|bidder|company|provider|tenderer|respondent|firm)s?\b")),
)
_GROUP_WEIGHT = re.compile(
    r"^(?P<name>.*?)\s*(?:[\(\[]\s*(?P<a>\d+(?:[.,]\d+)?)\s*(?P<pa>%?)\s*[\)\]]|[\s:\-–]+(?P<b>\d+(?:[.,]\d+)?)\s*%)\s*$")
_DIRECTIONS = {"max": "max", "min": "min", "higher is better": "max", "lower is better": "min", "higher": "max",
               "lower": "min", "benefit": "max", "cost": "min", "maximise": "max", "minimise": "min",
               "maximize": "max", "minimize": "min"}


class AmbiguousLayout(ValidationError):
    """The sheet can be read more than one way; the message names the option that settles it."""


@dataclass(frozen=True)
class Overrides:
    """The user's corrections; also the saved mapping (JSON) for files of the same shape."""

    sheet: str | None = None
    orientation: str | None = None  # a key of ORIENTATIONS
    header_row: int | None = None  # 1-based row of the headings, as the file shows it
    weights: str | None = None  # a column letter, a row number, or "equal"
    text_scores: tuple[tuple[str, float], ...] = ()

    def as_json(self) -> str:
        return json.dumps({"sheet": self.sheet, "orientation": self.orientation, "header_row": self.header_row,
                           "weights": self.weights, "text_scores": dict(self.text_scores)}, indent=2)

    @classmethod
    def from_json(cls, text: str, file_name: str) -> Overrides:
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            scores = raw.get("text_scores") or {}
            over = cls(sheet=_opt_str(raw.get("sheet")), orientation=_opt_str(raw.get("orientation")),
                       header_row=None if raw.get("header_row") is None else int(raw["header_row"]),
                       weights=_opt_str(raw.get("weights")),
                       text_scores=tuple((str(k), float(v)) for k, v in dict(scores).items()))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValidationError(f"{file_name} is not a saved matrix mapping ({str(exc)[:80]}).") from None
        over.check()
        return over

    def check(self) -> None:
        if self.orientation is not None and self.orientation not in ORIENTATIONS:
            raise ValidationError(f"The orientation must be one of {', '.join(ORIENTATIONS)}, got {self.orientation!r}.")
        if self.header_row is not None and self.header_row < 1:
            raise ValidationError(f"The header row must be a row number from 1, got {self.header_row}.")
        if self.weights is not None and not re.fullmatch(r"[A-Za-z]{1,3}|\d+|equal", self.weights.strip()):
            raise ValidationError(f"--weights takes a column letter, a row number or 'equal', got {self.weights!r}.")


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Table:
    """One sheet's scoring table, in canonical coordinates (criteria down the rows)."""

    sheet: Sheet
    transposed: bool
    header: int
    name_col: int
    weight_col: int | None  # None: equal weights (asked for with --weights equal)
    group_col: int | None
    direction_col: int | None
    vendor_cols: tuple[int, ...]
    block_of: tuple[str, ...]  # the evaluator heading each vendor column ('' when there are no blocks)
    criterion_rows: tuple[int, ...]
    group_rows: tuple[int, ...]
    skipped: tuple[str, ...] = field(default=())

    def cell(self, row: int, col: int) -> tuple[int, int]:
        """Canonical -> the sheet's own (row, column)."""
        return (col, row) if self.transposed else (row, col)

    def value(self, row: int, col: int) -> Any:
        return self.sheet.value(*self.cell(row, col))

    def is_formula(self, row: int, col: int) -> bool:
        return self.cell(row, col) in self.sheet.formulas

    def is_percent(self, row: int, col: int) -> bool:
        return self.cell(row, col) in self.sheet.percent

    def at(self, row: int, col: int) -> str:
        return self.sheet.at(*self.cell(row, col))

    def line(self, index: int) -> str:
        """A canonical row as the user sees it: 'row 7' or 'column D'."""
        return f"column {get_column_letter(index + 1)}" if self.transposed else f"row {index + 1}"

    def across(self, index: int) -> str:
        return f"row {index + 1}" if self.transposed else f"column {get_column_letter(index + 1)}"

    def text(self, row: int, col: int) -> str:
        raw = self.value(row, col)
        return raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))

    @property
    def rows(self) -> int:
        return self.sheet.cols if self.transposed else self.sheet.rows

    @property
    def orientation(self) -> str:
        return "columns" if self.transposed else "rows"


def role(text: str) -> str | None:
    t = norm(text)
    for name, pattern in _ROLES:
        if pattern.search(t):
            return name
    return None


def is_heading_text(raw: Any) -> bool:
    return isinstance(raw, str) and bool(raw.strip()) and not _NUMBERISH.match(raw)


def find_table(sheet: Sheet, file_name: str, over: Overrides) -> Table:
    """The scoring table on one sheet; ValidationError when there is none, AmbiguousLayout when unsure."""
    key = _key_row(sheet, file_name, over)
    label_col = _label_col(sheet, key)
    orientation = over.orientation or _orientation(sheet, file_name, key, label_col)
    transposed = orientation == "columns"
    header, name_col = (label_col, key) if transposed else (key, label_col)
    base = Table(sheet, transposed, header, name_col, None, None, None, (), (), (), ())
    return _columns(base, file_name, over)


def _texts(sheet: Sheet, row: int) -> list[tuple[int, str]]:
    return [(c, sheet.value(row, c).strip()) for c in range(sheet.cols)
            if is_heading_text(sheet.value(row, c)) and (row, c) not in sheet.formulas]


def _key_row(sheet: Sheet, file_name: str, over: Overrides) -> int:
    """The row of headings: the one with the most text cells (the first of equals), below any title."""
    if over.header_row is not None:
        key = over.header_row - 1
        if len(_texts(sheet, key)) < 2:
            raise ValidationError(f"{file_name}: row {over.header_row} of sheet {sheet.name!r} holds no headings.")
        return key
    counts = [len(_texts(sheet, r)) for r in range(min(sheet.rows, HEADER_SEARCH_ROWS))]
    best = max(counts, default=0)
    if best < 2:
        raise ValidationError(f"{file_name}: sheet {sheet.name!r} holds no table (no row with two or more headings).")
    key = counts.index(best)
    heads = {norm(t) for _, t in _texts(sheet, key)[1:]}
    for r in range(key + 2, sheet.rows):
        other = {norm(t) for _, t in _texts(sheet, r)}
        if len(heads) >= 2 and len(heads & other) * 2 >= len(heads) + 1:
            raise AmbiguousLayout(f"{file_name}: sheet {sheet.name!r} holds two tables (headings in rows {key + 1} "
                                  f"and {r + 1}); choose one with --header-row N.")
    return key


def _label_col(sheet: Sheet, key: int) -> int:
    texts = _texts(sheet, key)
    for c, t in texts:
        if role(t) in ("criterion", "vendor"):
            return c
    for c, t in texts:
        below = [sheet.value(r, c) for r in range(key + 1, min(sheet.rows, key + 30))]
        filled = [v for v in below if v is not None]
        if role(t) is None and filled and sum(is_heading_text(v) for v in filled) * 2 > len(filled):
            return c
    return texts[0][0]


def _orientation(sheet: Sheet, file_name: str, key: int, label_col: int) -> str:
    label = role(str(sheet.value(key, label_col)))
    if label in ("vendor", "criterion"):
        return "columns" if label == "vendor" else "rows"
    if any(role(str(sheet.value(r, label_col) or "")) == "weight" for r in range(key + 1, min(sheet.rows, key + 8))):
        return "columns"
    if any(role(t) == "weight" for _, t in _texts(sheet, key)):
        return "rows"
    raise AmbiguousLayout(f"{file_name}: sheet {sheet.name!r} does not say whether the criteria run down the rows or "
                          "across the columns; settle it with --orientation rows or --orientation columns.")


def _columns(t: Table, file_name: str, over: Overrides) -> Table:
    """Give each column of the canonical header row its part, then each row below it."""
    width = t.sheet.rows if t.transposed else t.sheet.cols
    weight_col = group_col = direction_col = None
    vendors: list[int] = []
    skipped: list[str] = []
    body = range(t.header + 1, t.rows)
    for j in range(width):
        if j == t.name_col:
            continue
        heading = t.text(t.header, j) if is_heading_text(t.value(t.header, j)) else ""
        kind = role(heading) if heading else None
        if not heading:
            if any(t.value(i, j) is not None for i in body):
                skipped.append(f"{t.across(j)} (no heading)")
            continue
        if j < t.name_col and kind not in ("group", "notes"):
            kind = "notes"
        if kind == "weight" and weight_col is None:
            weight_col = j
        elif kind == "group" and group_col is None:
            group_col = j
        elif kind == "direction" and direction_col is None:
            direction_col = j
        elif kind in ("notes", "criterion", "weight", "group", "direction"):
            continue
        elif kind == "total" or _mostly_formulas(t, j, body):
            skipped.append(f"{t.across(j)} {heading!r} ({'formulas' if _mostly_formulas(t, j, body) else 'a total'})")
        else:
            vendors.append(j)
    if over.weights:
        weight_col = _weight_override(t, over.weights.strip(), file_name)
        if weight_col in vendors:
            vendors.remove(weight_col)
    elif weight_col is None:
        where = "row (its number)" if t.transposed else "column (its letter)"
        raise AmbiguousLayout(f"{file_name}: sheet {t.sheet.name!r} has no weights (no heading such as 'Weight' or "
                              f"'%'); name the weight {where} with --weights, or weigh all criteria the same with "
                              "--weights equal.")
    if not vendors:
        raise ValidationError(f"{file_name}: sheet {t.sheet.name!r} has no vendor {'rows' if t.transposed else 'columns'}"
                              f" beside the criteria (headings in {t.line(t.header)}).")
    blocks = _blocks(t, vendors, file_name)
    t = Table(t.sheet, t.transposed, t.header, t.name_col, weight_col, group_col, direction_col, tuple(vendors),
              blocks, (), (), ())
    return _rows(t, skipped)


def _weight_override(t: Table, text: str, file_name: str) -> int | None:
    if text == "equal":
        return None
    if text.isdecimal() != t.transposed:
        wanted = "a row number" if t.transposed else "a column letter"
        raise ValidationError(f"--weights {text}: the criteria run {'across the columns' if t.transposed else 'down the rows'}, "
                              f"so the weights are in a {'row' if t.transposed else 'column'}; give {wanted}.")
    return int(text) - 1 if text.isdecimal() else column_index_from_string(text.upper()) - 1


def _mostly_formulas(t: Table, j: int, body: range) -> bool:
    filled = [i for i in body if t.value(i, j) is not None or t.is_formula(i, j)]
    return bool(filled) and sum(t.is_formula(i, j) for i in filled) * 2 > len(filled)


def _blocks(t: Table, vendors: list[int], file_name: str) -> tuple[str, ...]:
    """Evaluator names in the row above the vendor headings (merged or not) when a vendor heads several columns."""
    names = [norm(t.text(t.header, j)) for j in vendors]
    if len(set(names)) == len(names):
        return ("",) * len(vendors)
    owners = []
    for j in vendors:
        owner = ""
        if t.header > 0:
            for x in range(vendors[0], j + 1):
                if is_heading_text(t.value(t.header - 1, x)):
                    owner = t.text(t.header - 1, x)
        owners.append(owner)
    pairs = list(zip(owners, names, strict=True))
    if not all(owners) or len(set(pairs)) != len(pairs):
        first = names.index(next(n for n in names if names.count(n) > 1))
        raise ValidationError(f"{file_name}: the vendor {t.text(t.header, vendors[first])!r} heads more than one "
                              f"{'row' if t.transposed else 'column'} with no evaluator name above each block "
                              f"({t.line(t.header - 1) if t.header else 'no row above'}).")
    return tuple(owners)


def _rows(t: Table, skipped: list[str]) -> Table:
    criteria: list[int] = []
    groups: list[int] = []
    cols = [*t.vendor_cols] + ([t.weight_col] if t.weight_col is not None else [])
    for i in range(t.header + 1, t.rows):
        name_raw = t.value(i, t.name_col)
        values = [t.value(i, j) for j in t.vendor_cols]
        formulas = [t.is_formula(i, j) for j in t.vendor_cols]
        if name_raw is None and all(t.value(i, j) is None and not t.is_formula(i, j) for j in cols):
            continue
        name = t.text(i, t.name_col)
        if t.is_formula(i, t.name_col) or (name and role(name) == "total"):
            skipped.append(f"{t.line(i)} {name!r} (a total)" if name else f"{t.line(i)} (formulas)")
        elif any(formulas) and all(f or v is None for f, v in zip(formulas, values, strict=True)):
            skipped.append(f"{t.line(i)} {name!r} (formulas)" if name else f"{t.line(i)} (formulas)")
        elif not name:
            criteria.append(i)  # scores without a name: named as an error when read
        elif all(v is None for v in values) and role(name) not in ("weight", "direction"):
            groups.append(i)
        elif role(name) not in ("weight", "group", "direction"):
            criteria.append(i)
    # A heading with no criteria under it is a note below the table, not a group.
    kept = [g for g in groups if any(c > g and not any(g < h < c for h in groups) for c in criteria)]
    skipped += [f"{t.line(g)} {t.text(g, t.name_col)!r} (no scores)" for g in groups if g not in kept]
    return Table(t.sheet, t.transposed, t.header, t.name_col, t.weight_col, t.group_col, t.direction_col,
                 t.vendor_cols, t.block_of, tuple(criteria), tuple(kept), tuple(skipped))


def group_heading(text: str) -> tuple[str, float | None, bool]:
    """'Technical (60%)' -> ('Technical', 60, True); 'Service' -> ('Service', None, False)."""
    m = _GROUP_WEIGHT.match(text.strip())
    if not m or not m.group("name").strip():
        return text.strip(), None, False
    number = m.group("a") or m.group("b")
    return m.group("name").strip(" :-–"), float(number.replace(",", ".")), bool(m.group("pa") or m.group("b"))


def direction_of(raw: Any) -> str | None:
    return _DIRECTIONS.get(norm(raw)) if isinstance(raw, str) else None


def text_score_map(texts: set[str], low: float, high: float) -> dict[str, float]:
    """The smallest known ladder holding every word found, spread evenly over the scale (best = high)."""
    found = {norm(t) for t in texts}
    for ladder in sorted(TEXT_SCORE_LADDERS, key=len):
        spellings = {norm(s): level for level, words in enumerate(ladder) for s in words}
        if found <= spellings.keys():
            step = (high - low) / (len(ladder) - 1)
            return {text: high - spellings[text] * step for text in sorted(found, key=lambda x: spellings[x])}
    return {}
