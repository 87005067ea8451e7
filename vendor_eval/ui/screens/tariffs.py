"""Tariffs: scenarios with editable rates, each vendor's cost over the term per scenario, and a chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from vendor_eval import domain
from vendor_eval.errors import UserError
from vendor_eval.services import tariffs
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.models.tables import TariffPivotModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.screens.results import chart_view
from vendor_eval.ui.widgets import fit_columns, guidance, hint, table_view


def _rates_text(rates: dict[str, float]) -> str:
    return ", ".join(f"{k}={v * 100:g}%" for k, v in rates.items()) or "none"


class ScenariosModel(RowsModel[domain.TariffScenarioEntry]):
    columns = (
        Column("Scenario", lambda r: r.name),
        Column("Rates by origin", lambda r: _rates_text(r.rates), edit_field="rates",
               header_tip="Edit as ORIGIN=RATE pairs, e.g. China=25%, EU=15%"),
        Column("Imaging exemption", lambda r: "yes" if r.imaging_exemption else "no", edit_field="imaging_exemption",
               header_tip="yes: imaging equipment is exempt from the rates in this scenario"),
    )


class TariffsScreen(Screen):
    title = "Tariffs"
    depends_on = Change.VENDORS | Change.TARIFFS | Change.SETTINGS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenarios = ScenariosModel(self)
        self.scenarios.edit_handler = self._edit
        self.scenario_view = table_view(self.scenarios)
        self.add_button = QPushButton("Cost lines and scenarios…")
        self.add_button.setToolTip("Add, change or remove vendors' cost lines and the tariff scenarios, together")
        self.add_button.clicked.connect(lambda: self.edit_costs())
        self.defaults_button = QPushButton("Add default scenarios")
        self.defaults_button.setToolTip("Baseline, Section 301 (25 % on China), EU 15 % with and without the "
                                        "imaging exemption")
        self.defaults_button.clicked.connect(self.add_defaults)
        sbox = QGroupBox("Scenarios")
        sv = QVBoxLayout(sbox)
        sv.addWidget(hint("Double-click the rates to edit them, e.g. China=25%, EU=15%. The 2025 EU exemption for "
                          "imaging did not materialise, so it is a toggle, not an assumption."))
        sv.addWidget(self.scenario_view)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.defaults_button)
        row.addStretch(1)
        sv.addLayout(row)
        self.lines = TariffPivotModel(self)
        self.lines_view = table_view(self.lines)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.chart = QChart()
        self.chart.setTitle("Cost increase over the term, by scenario")
        self.empty = guidance("")
        lower = QSplitter()
        lines_box = QWidget()
        lv = QVBoxLayout(lines_box)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.lines_view)
        lv.addWidget(self.notes)
        lower.addWidget(lines_box)
        lower.addWidget(chart_view(self.chart))
        lower.setSizes([620, 420])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(sbox)
        split.addWidget(lower)
        split.setSizes([230, 470])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.empty)

    def refresh(self) -> None:
        assert self.session is not None
        for b in (self.add_button, self.defaults_button):
            b.setEnabled(not self.session.read_only)
        snap = self.session.snapshot
        self.scenarios.edit_handler = None if self.session.read_only else self._edit
        self.scenarios.set_rows(snap.tariff_scenarios)
        fit_columns(self.scenario_view)
        self.empty.setVisible(not snap.tariff_scenarios)
        if not snap.tariff_scenarios:
            self.empty.setText("No tariff scenarios yet: press 'Add default scenarios' to start from the public "
                               "record (Section 301, US-EU framework), then edit the rates.")
        try:
            result = engine.tariffs(self.session)  # from the snapshot in memory: no re-read on the UI thread
        except UserError as exc:
            self.lines.set_rows([])
            self.notes.setText(str(exc))
            return
        self.lines.set_result(result)
        fit_columns(self.lines_view)
        self.notes.setText(" ".join(result.notes))
        self._chart(result)

    def _chart(self, result: Any) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        vendors = list(dict.fromkeys(x.vendor for x in result.lines))[:12]
        scenarios = [s for s in result.scenarios if any(x.increase for x in result.lines if x.scenario == s)]
        if not vendors or not scenarios:
            return
        vendors.reverse()  # horizontal bars draw bottom-up: first vendor on top
        series = QHorizontalBarSeries()
        # In thousands: a value axis cannot print thousands separators, and 114787 / 229573 reads as noise.
        for scen in scenarios:
            bar = QBarSet(scen)
            for v in vendors:
                bar.append(next((x.increase for x in result.lines if x.vendor == v and x.scenario == scen), 0.0) / 1000)
            series.append(bar)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(vendors)
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%.0f")
        currency = next((x.currency for x in result.lines if x.currency), "")
        axis_x.setTitleText(f"thousand {currency}".strip())
        axis_x.setTickCount(4)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        axis_x.applyNiceNumbers()  # round ticks: 0, 100, 200 rather than 0, 114.8, 229.6

    def _edit(self, row: domain.TariffScenarioEntry, field: str, value: Any) -> bool:
        assert self.session is not None
        if field == "rates":
            text = "" if str(value).strip().lower() == "none" else str(value)
            try:
                tariffs.parse_rates(text)
            except UserError:
                # Keep what was typed: the dialog opens with it, marked, and says what is wrong.
                QTimer.singleShot(0, lambda: self.edit_costs(row.id, text))
                return False
            self.session.call(tariffs.update_scenario, row.id, self.session.actor, rates=text, kind=Change.TARIFFS)
        else:
            on = str(value).strip().lower() in ("yes", "y", "true", "1", "on")
            self.session.call(tariffs.update_scenario, row.id, self.session.actor, imaging_exemption=on,
                              kind=Change.TARIFFS)
        return True

    def edit_costs(self, scenario_id: int | None = None, rates: str = "") -> None:
        """The cost lines and scenarios dialog; with a scenario and its rejected rates, opened on them."""
        from vendor_eval.ui.dialogs.costs_dialog import CostsDialog

        assert self.session is not None
        if self.session.read_only:
            return
        dialog = CostsDialog(self, self.session)
        if scenario_id is not None:
            dialog.set_rates(scenario_id, rates)
            dialog.show_problems(dialog.problems())
        dialog.exec()
        dialog.deleteLater()  # one dialog per use: its tables are not kept alive under the screen

    def add_defaults(self) -> None:
        assert self.session is not None
        self.session.call(tariffs.create_default_scenarios, self.session.actor, kind=Change.TARIFFS)
