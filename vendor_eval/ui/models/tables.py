"""The simple tables: each a list of plain rows from a service with declared columns."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from vendor_eval import domain
from vendor_eval.io.report_data import smallest_change
from vendor_eval.services.evaluations import EvaluationSummary
from vendor_eval.ui.models.rows import Column, RowsModel

STATUS_TEXT = {"draft": "Draft", "scoring": "Scoring", "finalised": "Finalised (read-only)"}


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


def readable(stored: str) -> str:
    """An audit value (stored as JSON text) as a person reads it: 'vendor Alpha, value 4'."""
    if not stored:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    if isinstance(value, dict):
        return ", ".join(f"{k} {readable(json.dumps(v))}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(readable(json.dumps(v)) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


class AuditModel(RowsModel[Any]):
    """Rows are services.audit_log.AuditRow."""

    columns = (
        Column("#", lambda r: r.seq, align_right=True),
        Column("When (UTC)", lambda r: r.at[:19].replace("T", " ")),
        Column("Who", lambda r: r.actor),
        Column("What", lambda r: r.entity),
        Column("Field", lambda r: r.field),
        Column("Old", lambda r: readable(r.old_value), tooltip=lambda r: readable(r.old_value)),
        Column("New", lambda r: readable(r.new_value), tooltip=lambda r: readable(r.new_value)),
        Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason),
    )


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


class TariffLinesModel(RowsModel[Any]):
    """Rows are scoring.results.TariffLine."""

    columns = (
        Column("Vendor", lambda r: r.vendor),
        Column("Scenario", lambda r: r.scenario),
        Column("Term (years)", lambda r: r.term_years, fmt="g", align_right=True),
        Column("Baseline total", lambda r: f"{r.baseline_total:,.0f} {r.currency}", align_right=True),
        Column("Scenario total", lambda r: f"{r.total:,.0f} {r.currency}", align_right=True),
        Column("Increase", lambda r: f"{r.increase:,.0f}", align_right=True),
        Column("Exposure", lambda r: f"{r.exposure_ratio * 100:.1f} %", align_right=True),
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
