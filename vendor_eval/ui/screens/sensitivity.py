"""Sensitivity: how far each weight must move before the winner changes, a weight slider that
shows the ranking move, and SMAA rank acceptability. Computed off the UI thread."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QHorizontalPercentBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.services import ranking
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.rows import Column, RowsModel
from vendor_eval.ui.models.tables import CriticalChangesModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.screens.results import chart_view
from vendor_eval.ui.tasks import Task, run_task
from vendor_eval.ui.widgets import fit_columns, hint, is_cancel, table_view

SMAA_VENDORS = 10


class SweepRanksModel(RowsModel[tuple[int, str, float]]):
    columns = (
        Column("Rank", lambda r: r[0], align_right=True),
        Column("Vendor", lambda r: r[1]),
        Column("Score", lambda r: r[2], fmt=".1f", align_right=True),
    )


class SensitivityScreen(Screen):
    title = "Sensitivity"
    depends_on = (Change.SCORES | Change.WEIGHTS | Change.CONSENSUS | Change.CRITERIA | Change.VENDORS
                  | Change.SETTINGS | Change.VIEW | Change.TARIFFS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples = QSpinBox()
        self.samples.setRange(100, 100_000)
        self.samples.setSingleStep(1000)
        self.samples.setValue(2000)
        self.run_button = QPushButton("Recompute")
        self.run_button.clicked.connect(self.compute)
        self.status = QLabel()
        self.status.setWordWrap(True)  # the variant text is long: never let it widen the window
        top = QHBoxLayout()
        top.addWidget(QLabel("SMAA samples"))
        top.addWidget(self.samples)
        top.addWidget(self.run_button)
        top.addStretch(1)

        self.critical_model = CriticalChangesModel(self)
        self.critical = table_view(self.critical_model)
        crit_box = QGroupBox("Critical weight changes (others rescaled proportionally)")
        cv = QVBoxLayout(crit_box)
        cv.addWidget(self.critical)

        self.criterion = QComboBox()
        self.criterion.setMinimumContentsLength(28)
        self.criterion.activated.connect(lambda _i: self._criterion_chosen())
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.valueChanged.connect(lambda _v: self._slider_moved())
        self.slider_label = QLabel()
        self.sweep_model = SweepRanksModel(self)
        self.sweep_view = table_view(self.sweep_model)
        sweep_box = QGroupBox("What if this weight were…")
        sv = QVBoxLayout(sweep_box)
        row = QHBoxLayout()
        row.addWidget(self.criterion, 1)
        row.addWidget(self.slider, 2)
        row.addWidget(self.slider_label)
        sv.addLayout(row)
        sv.addWidget(hint("Preview only: the weights stored are not changed. Change them on Criteria & weights."))
        sv.addWidget(self.sweep_view)

        self.smaa_chart = QChart()
        self.smaa_chart.setTitle("SMAA: how often each vendor takes each rank")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(crit_box)
        left.addWidget(sweep_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(chart_view(self.smaa_chart, Qt.AlignmentFlag.AlignBottom))
        split.setSizes([700, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.result: Any = None
        self.task: Task | None = None

    def refresh(self) -> None:
        self.compute()

    def compute(self) -> None:
        assert self.session is not None
        if self.task is not None and not self.task.done:
            self.task.cancel()
        session, samples = self.session, self.samples.value()
        self.status.setText("Computing…")
        self.run_button.setEnabled(False)

        def work(progress: Any) -> Any:
            progress(0, 1, "Sampling weights")
            return ranking.sensitivity(session.db, session.evaluation_id, samples=samples, seed=0,
                                       aggregation=session.aggregation or None,
                                       tariff_scenario=session.tariff_scenario)

        self.task = run_task(work, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.run_button.setEnabled(True)
        self.result = result
        self.status.setText(f"Winner: {result.winner}. " + engine.describe_variant_dict(result.variant))
        self.critical_model.set_rows(result.critical)
        fit_columns(self.critical)
        self.criterion.clear()
        for key, crit in zip(result.criterion_keys, self._criterion_names(result), strict=True):
            self.criterion.addItem(crit, key)
        self._criterion_chosen()
        self._smaa(result)

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        if isinstance(exc, UserError):
            self.status.setText(f"No sensitivity analysis: {exc}")
            self.critical_model.set_rows([])
            self.sweep_model.set_rows([])
            self.smaa_chart.removeAllSeries()
        elif not is_cancel(exc):
            raise exc

    def _criterion_names(self, result: Any) -> list[str]:
        assert self.session is not None
        names = {c.key: c.name for c in self.session.snapshot.criteria}
        return [names.get(k, k) for k in result.criterion_keys]

    def _criterion_chosen(self) -> None:
        """Start the slider at the criterion's current weight, so moving it shows the change."""
        if self.result is None or self.criterion.count() == 0:
            return
        self.slider.blockSignals(True)
        self.slider.setValue(round(float(self.result.weights[self.criterion.currentIndex()]) * 100))
        self.slider.blockSignals(False)
        self._slider_moved()

    def _slider_moved(self) -> None:
        result = self.result
        if result is None or result.sweep is None or self.criterion.count() == 0:
            return
        c = self.criterion.currentIndex()
        grid = result.sweep.grid
        share = self.slider.value() / 100.0
        p = int(np.argmin(np.abs(grid - share)))
        self.slider_label.setText(f"{grid[p] * 100:.0f} % (now {result.weights[c] * 100:.1f} %)")
        ranks, scores = result.sweep.ranks[c, p], result.sweep.scores[c, p]
        rows = sorted((int(ranks[v]), result.vendor_names[v], float(scores[v])) for v in range(len(ranks)))
        self.sweep_model.set_rows(rows)
        fit_columns(self.sweep_view)

    def _smaa(self, result: Any) -> None:
        chart = self.smaa_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        smaa = result.smaa
        if smaa is None:
            return
        order = np.argsort(-smaa.acceptability[:, 0])[:SMAA_VENDORS][::-1]
        series = QHorizontalPercentBarSeries()
        ranks_shown = min(3, smaa.acceptability.shape[1])
        for r in range(ranks_shown):
            bar = QBarSet(f"Rank {r + 1}")
            for v in order:
                bar.append(float(smaa.acceptability[v, r]) * 100)
            series.append(bar)
        other = QBarSet("Lower")
        for v in order:
            other.append(float(smaa.acceptability[v, ranks_shown:].sum()) * 100)
        series.append(other)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([result.vendor_names[v] for v in order])
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%d %%")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
