"""The simple tables: each a list of plain rows from a service with declared columns."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from vendor_eval import domain
from vendor_eval.io.report.data import smallest_change
from vendor_eval.services.evaluations import EvaluationSummary
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.vocabulary import STATUSES as STATUS_TEXT


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


class EvaluationListModel(RowsModel[EvaluationSummary]):
    columns = (
        Column("Evaluation", lambda r: r.name,
               tooltip=lambda r: f"{r.name}\n{r.organisation}\n{r.vendors} vendors, {r.criteria} criteria, "
                                 f"{r.evaluators} evaluators, {r.scores} scores; updated {_when(r.updated_at)}"),
        Column("Status", lambda r: STATUS_TEXT.get(r.status, r.status)),
        Column("Vendors", lambda r: r.vendors, align_right=True),
        Column("Criteria", lambda r: r.criteria, align_right=True),
        Column("Updated", lambda r: _when(r.updated_at)),
    )


class VendorsModel(RowsModel[domain.Vendor]):
    columns = (
        Column("Vendor", lambda r: r.name, edit_field="name", tooltip=lambda r: r.notes),
        Column("HQ country", lambda r: r.hq_country, edit_field="hq_country"),
        Column("Delivery", lambda r: r.deployment_model, edit_field="deployment_model",
               header_tip="onshore, nearshore or offshore"),
        Column("Hosting", lambda r: r.hosting_model, edit_field="hosting_model",
               header_tip="cloud, on-premise or hybrid"),
        Column("Certifications", lambda r: ", ".join(r.certifications), edit_field="certifications",
               header_tip="Comma-separated, e.g. SOC 2 Type II, ISO 27001, HITRUST"),
        Column("Contract (years)", lambda r: r.contract_term_years, fmt="g", align_right=True,
               edit_field="contract_term_years"),
        Column("Contact", lambda r: r.contact, edit_field="contact"),
    )


@dataclass(frozen=True)
class EvaluatorProgress:
    evaluator: domain.Evaluator
    scored: int
    total: int
    conflicts: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.scored / self.total if self.total else 0.0


class ProgressModel(RowsModel[EvaluatorProgress]):
    columns = (
        Column("Evaluator", lambda r: r.evaluator.name),
        Column("Role", lambda r: r.evaluator.role),
        Column("Envelope", lambda r: r.evaluator.envelope),
        Column("Scored", lambda r: f"{r.scored} / {r.total}", align_right=True),
        Column("Progress", lambda r: f"{r.percent:.0f} %", align_right=True),
        Column("Submitted", lambda r: _when(r.evaluator.submitted_at) or "not yet"),
    )


class RankingModel(RowsModel[Any]):
    """Rows are scoring.results.VendorResult."""

    columns = (
        Column("Rank", lambda r: "" if r.disqualified else r.rank, align_right=True),
        Column("Vendor", lambda r: r.name),
        Column("Score", lambda r: r.score, fmt=".2f", align_right=True),
        Column("Status", lambda r: "Disqualified" if r.disqualified else "Qualified"),
        Column("Why", lambda r: "; ".join(r.reasons), tooltip=lambda r: "\n".join(r.reasons)),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if row.disqualified and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.FontRole and not row.disqualified and row.rank == 1:
            font = QFont()
            font.setBold(True)
            return font
        return None


ENTITY_LABELS = {"score": "Score", "consensus": "Consensus", "criterion": "Criterion", "group": "Criteria group",
                 "vendor": "Vendor", "evaluator": "Evaluator", "evaluation": "Evaluation",
                 "declaration": "Declaration of interest", "questionnaire_import": "Questionnaire import",
                 "cost_lines": "Cost lines", "tariff_scenario": "Tariff scenario", "suggestion": "Suggested score"}
FIELD_LABELS = {"value": "score", "submitted_at": "submitted", "conflict_vendors": "declared conflicts",
                "knockout_min": "knock-out pass mark", "scale_min": "scale minimum", "scale_max": "scale maximum",
                "hq_country": "HQ country", "contract_term_years": "contract term (years)"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\.\d+$")
# Keys of a stored value that say what it is about: shown first, by name.
LEADING_KEYS = ("vendor", "criterion", "evaluator")


def humanise(key: str) -> str:
    """'questionnaire_deadline' -> 'questionnaire deadline' (unless a label says better)."""
    return FIELD_LABELS.get(key, key.replace("_", " "))


@dataclass(frozen=True)
class AuditNames:
    """Names for what audit events refer to by key or id (from the open evaluation)."""

    criteria_by_key: dict[str, str]
    by_entity: dict[tuple[str, int], str]  # ("criterion", id) -> name, also vendor, group, evaluator

    @classmethod
    def of(cls, snap: domain.Snapshot) -> AuditNames:
        by_entity = {("criterion", c.id): c.name for c in snap.criteria}
        by_entity |= {("vendor", v.id): v.name for v in snap.vendors}
        by_entity |= {("cost_lines", v.id): v.name for v in snap.vendors}
        by_entity |= {("group", g.id): g.name for g in snap.groups}
        by_entity |= {("evaluator", e.id): e.name for e in snap.evaluators}
        return cls({c.key: c.name for c in snap.criteria}, by_entity)


NO_NAMES = AuditNames({}, {})


def readable(stored: str, names: AuditNames = NO_NAMES) -> str:
    """An audit value (stored as JSON text) as a person reads it:
    'Alpha Reads · 24/7/365 reading coverage · score 4' rather than keys and JSON."""
    if not stored:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    return _readable(value, names)


def _readable(value: Any, names: AuditNames) -> str:
    if isinstance(value, dict):
        lead = [names.criteria_by_key.get(str(value[k]), str(value[k])) if k == "criterion" else _readable(value[k], names)
                for k in LEADING_KEYS if value.get(k) not in (None, "")]
        rest = [f"{humanise(k)} {_readable(v, names)}".rstrip() for k, v in value.items()
                if k not in LEADING_KEYS and v not in (None, "", [], {})]
        return " · ".join(lead + [", ".join(rest)] if rest else lead)
    if isinstance(value, list):
        return "; ".join(_readable(v, names) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str) and TIMESTAMP.match(value):
        return value[:19].replace("T", " ")  # to the second, as the When column
    return "" if value is None else str(value)


def audit_what(row: Any, names: AuditNames) -> str:
    """'Criterion: STAT turnaround commitment', 'Score' (what it is about shows in its values)."""
    label = ENTITY_LABELS.get(row.entity, humanise(row.entity).capitalize())
    name = names.by_entity.get((row.entity, row.entity_id)) if row.entity_id is not None else None
    return f"{label}: {name}" if name else label


class AuditModel(RowsModel[Any]):
    """Rows are services.audit_log.AuditRow, fetched a page at a time as the view scrolls."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names = NO_NAMES
        # (seq to page below, or None for the newest) -> the next page; None: nothing to fetch.
        self.loader: Callable[[int | None], list[Any]] | None = None
        self.page = 500
        self._more = False
        self._fetching = False
        n = self._names  # the columns read the names current at display time
        self.columns = (
            Column("#", lambda r: r.seq, align_right=True),
            Column("When (UTC)", lambda r: r.at[:19].replace("T", " ")),
            Column("Who", lambda r: r.actor),
            Column("What", lambda r: audit_what(r, n()), tooltip=lambda r: audit_what(r, n())),
            Column("Change", lambda r: humanise(r.field)),
            Column("Old", lambda r: readable(r.old_value, n()), tooltip=lambda r: readable(r.old_value, n())),
            Column("New", lambda r: readable(r.new_value, n()), tooltip=lambda r: readable(r.new_value, n())),
            Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason),
        )

    def _names(self) -> AuditNames:
        return self.names

    def start(self, loader: Callable[[int | None], list[Any]] | None) -> None:
        """Empty the table and fetch the first page from loader."""
        self.beginResetModel()
        self._rows, self.loader, self._more = [], loader, False  # nothing to fetch while the reset is announced
        self.endResetModel()
        self._more = loader is not None
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Any) -> bool:
        return not parent.isValid() and self._more and self.loader is not None and not self._fetching

    def fetchMore(self, parent: Any) -> None:
        if not self.canFetchMore(parent):
            return
        assert self.loader is not None
        # Views (and the model tester) may ask again while rows are being inserted: one page at a time.
        self._fetching = True
        try:
            rows = self.loader(self._rows[-1].seq if self._rows else None)
            self._more = len(rows) >= self.page
            if rows:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
        finally:
            self._fetching = False


def _never_last(delta: float | None) -> float:
    return math.inf if delta is None else abs(delta)


class CriticalChangesModel(RowsModel[Any]):
    """Rows are scoring.results.CriticalChange; sorted (through a proxy) by the smallest change."""

    columns = (
        Column("Criterion", lambda r: r.criterion, tooltip=lambda r: r.criterion),
        Column("Smallest change", lambda r: "none flips it" if smallest_change(r) == math.inf
               else f"{smallest_change(r) * 100:.1f} pts", align_right=True, sort_key=smallest_change,
               header_tip="The smaller of the two changes (up or down), in percentage points, that changes the winner"),
        Column("Weight now", lambda r: f"{r.weight * 100:.1f} %", align_right=True, sort_key=lambda r: r.weight),
        Column("Raise by", lambda r: "never" if r.delta_up is None else f"+{r.delta_up * 100:.1f} pts",
               align_right=True, sort_key=lambda r: _never_last(r.delta_up),
               header_tip="Percentage points the weight must rise before the winner changes"),
        Column("New winner", lambda r: r.winner_up or ""),
        Column("Lower by", lambda r: "never" if r.delta_down is None else f"{r.delta_down * 100:.1f} pts",
               align_right=True, sort_key=lambda r: _never_last(r.delta_down),
               header_tip="Percentage points the weight must fall before the winner changes"),
        Column("New winner ", lambda r: r.winner_down or ""),
    )


class TariffPivotModel(RowsModel[Any]):
    """One row per vendor: the baseline cost over the term, then each scenario's increase and
    exposure side by side (rows are lists of TariffLine, one per scenario, in scenario order)."""

    def set_result(self, result: Any) -> None:
        scenarios = list(result.scenarios)
        by_vendor: dict[str, dict[str, Any]] = {}
        for line in result.lines:
            by_vendor.setdefault(line.vendor, {})[line.scenario] = line
        first = scenarios[0] if scenarios else ""
        cols: list[Column[Any]] = [
            Column("Vendor", lambda r: r["vendor"]),
            Column("Term (years)", lambda r: r["term"], fmt="g", align_right=True),
            Column("Baseline over the term", lambda r: r["baseline"], align_right=True),
        ]
        for name in scenarios:
            if name == first and not any(x.increase for x in result.lines if x.scenario == name):
                continue  # the baseline scenario adds nothing to the baseline column
            cols.append(Column(name if len(name) <= 26 else name[:25] + "…", _cell_of(name), align_right=True,
                               header_tip=name))
        rows = []
        for vendor, lines in by_vendor.items():
            any_line = next(iter(lines.values()))
            row: dict[str, Any] = {"vendor": vendor, "term": any_line.term_years,
                                   "baseline": f"{any_line.baseline_total:,.0f} {any_line.currency}"}
            for name, x in lines.items():
                row[name] = f"+{x.increase:,.0f} ({x.exposure_ratio * 100:.1f} %)" if x.increase else "no change"
            rows.append(row)
        self.beginResetModel()
        self.columns = tuple(cols)
        self._rows = rows
        self.endResetModel()


def _cell_of(scenario: str) -> Any:
    def value(row: dict[str, Any]) -> Any:
        return row.get(scenario, "")

    return value
