"""Read a detected scoring table into MatrixData: every cell problem named by its cell, all at once.

Several evaluators arrive two ways: one sheet per evaluator (the sheet's name is the
evaluator; a summary sheet of formulas is recognised and ignored), or blocks of vendor
columns under each evaluator's name. Word scores go through a mapping the user confirms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from vendor_eval.errors import ValidationError
from vendor_eval.io.excel.matrix_import import DEFAULT_GROUP, IMPORTED, MatrixCriterion, MatrixData, MatrixGroup
from vendor_eval.io.excel.questionnaire_answers import norm, shown
from vendor_eval.io.matrix.detect import (
    AmbiguousLayout,
    Overrides,
    Table,
    direction_of,
    find_table,
    group_heading,
    is_heading_text,
    text_score_map,
)
from vendor_eval.io.matrix.sheets import Sheet
from vendor_eval.vocabulary import ORIENTATIONS

MAX_CRITERIA = 500
SUMMARY_NAME = re.compile(r"summary|overview|totals?\b|consolidat|average|results?\b")


@dataclass(frozen=True)
class Detection:
    """What was found, ready to show for confirmation; data is None while errors remain."""

    file_name: str
    tables: tuple[Table, ...]  # one per evaluator sheet
    evaluators: tuple[str, ...]
    text_scores: tuple[tuple[str, float], ...]
    weight_kind: str  # percent, fraction, points or equal
    weight_sum: float
    notes: tuple[str, ...]
    errors: tuple[str, ...]
    data: MatrixData | None
    groups_weighted: bool = False  # group headings carry weights; the column's weights count within each group

    @property
    def table(self) -> Table:
        return self.tables[0]

    def describe(self) -> list[str]:
        t = self.table
        lines = [f"Sheet{'s' if len(self.tables) > 1 else ''}: {', '.join(repr(x.sheet.name) for x in self.tables)}",
                 f"Layout: {ORIENTATIONS[t.orientation].lower()}; headings in {t.line(t.header)}, "
                 f"criterion names in {t.across(t.name_col)}"]
        if t.weight_col is None:
            lines.append("Weights: all criteria weigh the same")
        else:
            total = f"{self.weight_sum * 100:g} %" if self.weight_kind == "percent" and self.weight_sum <= 1.5 else \
                f"{self.weight_sum:g}{' %' if self.weight_kind == 'percent' else ''}"
            within = "within each group (group weights from the headings)" if self.groups_weighted else \
                f"summing to {total}"
            lines.append(f"Weights: {t.across(t.weight_col)}, as {self.weight_kind}, {within}; normalised to 100 %")
        if self.data is not None:
            d = self.data
            lines.append(f"Criteria: {len(d.criteria)}")
            if len(d.groups) > 1 or d.groups[0].name != DEFAULT_GROUP:
                lines.append("Groups: " + ", ".join(f"{g.name} {g.weight:.4g} %" for g in d.groups))
            lines.append("Vendors: " + ", ".join(d.vendors))
            if d.evaluators != (IMPORTED,):
                lines.append("Evaluators: " + ", ".join(d.evaluators))
        if self.text_scores:
            lines.append("Word scores: " + ", ".join(f"{k!r} = {v:g}" for k, v in self.text_scores))
        lines += [f"Skipped: {n}" for n in self.notes]
        return lines

    def parts(self, sheet: str) -> dict[tuple[int, int], str]:
        """(row, column) of the sheet as shown -> the part found there, for highlighting a preview."""
        out: dict[tuple[int, int], str] = {}
        for t in self.tables:
            if t.sheet.name != sheet:
                continue
            for j in t.vendor_cols:
                out[t.cell(t.header, j)] = "vendor"
                if t.block_of[t.vendor_cols.index(j)] and t.header > 0:
                    out[t.cell(t.header - 1, j)] = "evaluator"
                for i in t.criterion_rows:
                    out[t.cell(i, j)] = "score"
            labelled = {t.name_col: "criterion", t.weight_col: "weight", t.group_col: "group",
                         t.direction_col: "direction"}
            for col, part in labelled.items():
                if col is None:
                    continue
                out[t.cell(t.header, col)] = "heading"
                for i in t.criterion_rows:
                    out[t.cell(i, col)] = part
            for g in t.group_rows:
                out[t.cell(g, t.name_col)] = "group"
        return out

    def mapping(self, over: Overrides) -> Overrides:
        """The settings that read this file, to save and reuse for the next file of the same shape."""
        t = self.table
        weights = "equal" if t.weight_col is None else (
            str(t.weight_col + 1) if t.transposed else get_column_letter(t.weight_col + 1))
        key_row = t.name_col if t.transposed else t.header
        return Overrides(sheet=over.sheet, orientation=t.orientation, header_row=key_row + 1, weights=weights,
                         text_scores=self.text_scores)


def detect_matrix(sheets: list[Sheet], file_name: str, scale: tuple[float, float],
                  over: Overrides | None = None) -> Detection:
    over = over or Overrides()
    over.check()
    candidates = sheets
    if over.sheet is not None:
        candidates = [s for s in sheets if s.name == over.sheet]
        if not candidates:
            raise ValidationError(f"{file_name} has no sheet named {over.sheet!r} "
                                  f"(it has {', '.join(repr(s.name) for s in sheets)}).")
    tables: list[Table] = []
    notes: list[str] = []
    problem: ValidationError | None = None
    for sheet in candidates:
        try:
            table = find_table(sheet, file_name, over)
        except AmbiguousLayout:
            raise
        except ValidationError as exc:
            if len(candidates) == 1:
                raise
            problem = problem or exc
            notes.append(f"sheet {sheet.name!r} ({'a summary of formulas' if sheet.formulas else 'no scoring table'})")
            continue
        if not any(table.value(i, j) is not None and not table.is_formula(i, j)
                   for i in table.criterion_rows for j in table.vendor_cols):
            notes.append(f"sheet {sheet.name!r} (a summary of formulas)")
            continue
        tables.append(table)
    if not tables:
        raise problem or ValidationError(f"{file_name} holds no scoring table.")
    if len(tables) > 2:
        # .ods and .csv keep no formulas, so a summary sheet is known there by its name only.
        summaries = [t for t in tables if SUMMARY_NAME.search(norm(t.sheet.name))]
        if len(summaries) == 1:
            tables.remove(summaries[0])
            notes.append(f"sheet {summaries[0].sheet.name!r} (a summary, by its name)")
    if len(tables) > 1:
        _same_shape(tables, file_name)
    return _Reader(file_name, tables, scale, over, notes).read()


def _signature(t: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (tuple(norm(t.text(i, t.name_col)) for i in t.criterion_rows),
            tuple(norm(t.text(t.header, j)) for j in t.vendor_cols))


def _same_shape(tables: list[Table], file_name: str) -> None:
    first = _signature(tables[0])
    for other in tables[1:]:
        if _signature(other) != first:
            raise AmbiguousLayout(
                f"{file_name}: sheets {tables[0].sheet.name!r} and {other.sheet.name!r} hold different tables (not "
                "one per evaluator: their criteria or vendors differ); choose one with --sheet NAME.")


class _Reader:
    def __init__(self, file_name: str, tables: list[Table], scale: tuple[float, float], over: Overrides,
                 notes: list[str]):
        self.file_name, self.tables, self.over = file_name, tables, over
        self.low, self.high = scale
        self.notes = notes + [f"{t.sheet.name!r} {s}" for t in tables[:1] for s in t.skipped]
        self.errors: list[str] = []

    def read(self) -> Detection:
        t = self.tables[0]
        if len(t.criterion_rows) > MAX_CRITERIA:
            raise ValidationError(f"{self.file_name}: more than {MAX_CRITERIA} criteria; it was refused.")
        if not t.criterion_rows:
            raise ValidationError(f"{self.file_name}: sheet {t.sheet.name!r} has no criteria below its headings "
                                  f"({t.line(t.header)}).")
        names = self._names(t)
        weights, kind, total = self._weights(t)
        groups, group_weights = self._groups(t)
        directions = self._directions(t)
        vendors, evaluators, columns = self._vendors()
        words = self._word_map()
        scores = self._scores(columns, words)
        data = None
        if not self.errors:
            data = _normalise(names, groups, group_weights, weights, directions, vendors, evaluators, scores)
        return Detection(self.file_name, tuple(self.tables), tuple(evaluators), tuple(words.items()), kind, total,
                         tuple(self.notes), tuple(self.errors), data, group_weights is not None)

    def _names(self, t: Table) -> list[str]:
        names: list[str] = []
        seen: dict[str, int] = {}
        for i in t.criterion_rows:
            name = t.text(i, t.name_col)[:200]
            if not name:
                self.errors.append(f"{t.at(i, t.name_col)}: expected a criterion name, got an empty cell")
            elif norm(name) in seen:
                self.errors.append(f"{t.at(i, t.name_col)}: the criterion {name!r} repeats "
                                   f"{t.at(seen[norm(name)], t.name_col)}")
            seen.setdefault(norm(name), i)
            names.append(name)
        return names

    def _weights(self, t: Table) -> tuple[list[float], str, float]:
        if t.weight_col is None:
            return [1.0] * len(t.criterion_rows), "equal", float(len(t.criterion_rows))
        weights, percent = self._weight_line(t)
        for other in self.tables[1:]:  # each evaluator's sheet may repeat the weights: they must agree
            if other.weight_col is not None:
                again, _ = self._weight_line(other)
                for i, (a, b) in enumerate(zip(weights, again, strict=True)):
                    if not math.isclose(a, b, rel_tol=1e-9):
                        at = other.at(other.criterion_rows[i], other.weight_col)
                        self.errors.append(f"{at}: the weight {b:g} differs from {a:g} on sheet {t.sheet.name!r}")
        total = math.fsum(weights)
        kind = ("percent" if percent or abs(total - 100) < 0.5 else "fraction" if abs(total - 1) < 0.005
                else "points")
        return weights, kind, total

    def _weight_line(self, t: Table) -> tuple[list[float], bool]:
        assert t.weight_col is not None
        out, percent = [], False
        for i in t.criterion_rows:
            value, is_pct = self._number(t, i, t.weight_col)
            percent = percent or is_pct
            if value is None or value <= 0:
                self.errors.append(f"{t.at(i, t.weight_col)}: expected a positive weight, got "
                                   f"{shown(t.value(i, t.weight_col)) if t.value(i, t.weight_col) is not None else 'an empty cell'}")
                value = 1.0
            out.append(value)
        return out, percent

    def _number(self, t: Table, i: int, j: int) -> tuple[float | None, bool]:
        """A cell as a number: 25, 0.25 shown as 25 %, '25%', '0,25'; (None, False) when it is not one."""
        raw = t.value(i, j)
        if isinstance(raw, bool):
            return None, False
        if isinstance(raw, (int, float)):
            return (float(raw), t.is_percent(i, j)) if math.isfinite(raw) else (None, False)
        if isinstance(raw, str) and not is_heading_text(raw) and raw.strip():
            text = raw.strip().replace(",", ".")
            if text.endswith("%"):
                return float(text[:-1].strip()) / 100, True
            return float(text), False
        return None, False

    def _groups(self, t: Table) -> tuple[list[str], dict[str, float] | None]:
        groups: list[str] = []
        weights: dict[str, float] = {}
        unweighted: list[tuple[str, str]] = []
        current, current_at = DEFAULT_GROUP, ""
        heading_of: dict[int, tuple[str, float | None, str]] = {}
        for g in t.group_rows:
            name, weight, pct = group_heading(t.text(g, t.name_col))
            if weight is None and t.weight_col is not None:
                weight, pct = self._number(t, g, t.weight_col)
            heading_of[g] = (name, weight / 100 if weight is not None and pct and weight > 1 else weight,
                             t.at(g, t.name_col))
        headings = sorted(heading_of)
        last_group = ""
        for i in t.criterion_rows:
            above = [g for g in headings if g < i]
            if t.group_col is not None:
                text = t.text(i, t.group_col)
                last_group = text or last_group  # a merged group cell reads as empty below its first row
                current = last_group or DEFAULT_GROUP
            elif above:
                name, weight, current_at = heading_of[above[-1]]
                current = name
                if weight is not None:
                    weights[name] = weight
                elif (name, current_at) not in unweighted:
                    unweighted.append((name, current_at))
            groups.append(current)
        if weights and unweighted:
            name, at = unweighted[0]
            self.errors.append(f"{at}: the group {name!r} has no weight while other groups have one "
                               "(write it as 'Name (25%)')")
        if weights and DEFAULT_GROUP in groups and DEFAULT_GROUP not in weights:
            first = t.criterion_rows[groups.index(DEFAULT_GROUP)]
            self.errors.append(f"{t.at(first, t.name_col)}: this criterion is above the first weighted group heading")
        return groups, (weights or None)

    def _directions(self, t: Table) -> list[str]:
        if t.direction_col is None:
            return ["max"] * len(t.criterion_rows)
        out = []
        for i in t.criterion_rows:
            raw = t.value(i, t.direction_col)
            d = "max" if raw is None else direction_of(raw)
            if d is None:
                self.errors.append(f"{t.at(i, t.direction_col)}: expected 'max' or 'min' (or 'higher is better', "
                                   f"'lower is better'), got {shown(raw)}")
                d = "max"
            out.append(d)
        return out

    def _vendors(self) -> tuple[list[str], list[str], list[tuple[Table, int, int, int]]]:
        """Vendors, evaluators, and (table, column, evaluator, vendor) for every score column."""
        vendors: list[str] = []
        index: dict[str, int] = {}
        evaluators: list[str] = []
        columns = []
        for t in self.tables:
            for j, block in zip(t.vendor_cols, t.block_of, strict=True):
                name = t.text(t.header, j)[:200]
                if norm(name) not in index:
                    index[norm(name)] = len(vendors)
                    vendors.append(name)
                who = t.sheet.name if len(self.tables) > 1 else (block or IMPORTED)
                if who not in evaluators:
                    evaluators.append(who)
                columns.append((t, j, evaluators.index(who), index[norm(name)]))
        return vendors, evaluators, columns

    def _word_map(self) -> dict[str, float]:
        words = {norm(v) for t in self.tables for i in t.criterion_rows for j in t.vendor_cols
                 if is_heading_text(v := t.value(i, j))}
        given = {norm(k): v for k, v in self.over.text_scores}
        found = text_score_map(words - given.keys(), self.low, self.high) if words - given.keys() else {}
        mapped = {w: v for w in words if (v := given.get(w, found.get(w))) is not None}
        return dict(sorted(mapped.items(), key=lambda item: -item[1]))

    def _scores(self, columns: list[tuple[Table, int, int, int]],
                words: dict[str, float]) -> list[tuple[int, int, int, float]]:
        scores = []
        what = f"a score between {self.low:g} and {self.high:g}"
        formulas = 0
        for t, j, evaluator, vendor in columns:
            for c, i in enumerate(t.criterion_rows):
                raw = t.value(i, j)
                if t.is_formula(i, j):
                    formulas += 1
                    continue
                if raw is None:
                    continue
                value: float | None
                if is_heading_text(raw):
                    value = words.get(norm(raw))
                    if value is None:
                        self.errors.append(f"{t.at(i, j)}: {shown(raw)} is not a score, and no word-score mapping "
                                           "gives it a value (map it in the wizard or with --mapping FILE)")
                        continue
                else:
                    value, _ = self._number(t, i, j)
                if value is None or not (self.low <= value <= self.high):
                    self.errors.append(f"{t.at(i, j)}: expected {what}, got {shown(raw)}")
                    continue
                scores.append((evaluator, vendor, c, value))
        if formulas:
            self.notes.append(f"{formulas} score cell(s) holding formulas (not a score typed by an evaluator)")
        return scores


def _normalise(names: list[str], groups: list[str], group_weights: dict[str, float] | None, weights: list[float],
               directions: list[str], vendors: list[str], evaluators: list[str],
               scores: list[tuple[int, int, int, float]]) -> MatrixData:
    """Criterion weight = its share within its group; group weight as stated, else its criteria's share."""
    order = list(dict.fromkeys(groups))
    totals = {g: math.fsum(w for w, x in zip(weights, groups, strict=True) if x == g) for g in order}
    stated: dict[str, float] = group_weights or totals
    grand = math.fsum(stated[g] for g in order)
    return MatrixData(
        groups=tuple(MatrixGroup(g, 100 * stated[g] / grand) for g in order),
        criteria=tuple(MatrixCriterion(n, g, 100 * w / totals[g], d)
                       for n, g, w, d in zip(names, groups, weights, directions, strict=True)),
        vendors=tuple(vendors), scores=tuple(scores), evaluators=tuple(evaluators))

