"""Sensitivity: the finding in plain words first, then how far each weight must move before the
winner changes (smallest first, sortable), a weight slider that opens at the current weight and
shows the ranking move, and SMAA rank acceptability. Computed off the UI thread; Cancel discards it."""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QHorizontalPercentBarSeries, QValueAxis
from PySide6.QtCore import QSortFilterProxyModel, Qt
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
from vendor_eval.io.report.summary import robustness
from vendor_eval.scoring.ranks import competition_ranks
from vendor_eval.services import ranking
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.rows import SORT_ROLE, Column, RowsModel
from vendor_eval.ui.models.tables import CriticalChangesModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.screens.results import chart_view, clear_chart
from vendor_eval.ui.tasks import Task, run_task
from vendor_eval.ui.widgets import fit_columns, hint, is_cancel, table_view

SMAA_VENDORS = 10
SLIDER_STEPS = 1000  # 0.1 percentage point per step


class SweepRanksModel(RowsModel[tuple[int, str, float]]):
    columns = (
        Column("Rank", lambda r: r[0], align_right=True),
        Column("Vendor", lambda r: r[1]),
        Column("Score", lambda r: r[2], fmt=".2f", align_right=True),
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
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.finding = QLabel()
        self.finding.setWordWrap(True)
        self.finding.setTextFormat(Qt.TextFormat.RichText)
        self.finding.setStyleSheet("font-size: 10.5pt;")
        self.status = hint("")  # the variant text is long: it wraps, never widens the window
        top = QHBoxLayout()
        top.addWidget(QLabel("SMAA samples"))
        top.addWidget(self.samples)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        top.addStretch(1)

        self.critical_model = CriticalChangesModel(self)
        self.critical_sorted = QSortFilterProxyModel(self)
        self.critical_sorted.setSourceModel(self.critical_model)
        self.critical_sorted.setSortRole(SORT_ROLE)
        self.critical = table_view(self.critical_sorted)
        self.critical.setSortingEnabled(True)
        self.critical.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # the weight that flips the winner soonest first
        crit_box = QGroupBox("Critical weight changes, smallest first (others rescaled proportionally)")
        cv = QVBoxLayout(crit_box)
        cv.addWidget(self.critical)

        self.criterion = QComboBox()
        self.criterion.setMinimumContentsLength(28)
        self.criterion.activated.connect(lambda _i: self._criterion_chosen())
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
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
        self.smaa_chart.setTitle("How often each vendor ranks 1st, 2nd, 3rd (SMAA)")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(crit_box)
        left.addWidget(sweep_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(chart_view(self.smaa_chart, Qt.AlignmentFlag.AlignBottom))
        split.setSizes([700, 420])
        split.setStretchFactor(0, 2)  # a wider window widens the tables first: their columns are cut before
        split.setStretchFactor(1, 1)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.finding)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.result: Any = None
        self.task: Task | None = None
        self._run: object | None = None  # the run whose result may still be shown
        self.share = 0.0  # the previewed weight share: exact, not rounded to a slider step

    def refresh(self) -> None:
        self.compute()

    def compute(self) -> None:
        assert self.session is not None
        if self.task is not None and not self.task.done:
            self.task.cancel()
        session, samples = self.session, self.samples.value()
        self.status.setText("Computing…")
        self.run_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)

        def work(progress: Any) -> Any:
            progress(0, 2, "Critical weights, sweeps and SMAA sampling")
            result = ranking.sensitivity(session.db, session.evaluation_id, samples=samples, seed=0,
                                         aggregation=session.aggregation or None,
                                         tariff_scenario=session.tariff_scenario)
            progress(2, 2, "Done")  # raises Cancelled when the user cancelled meanwhile
            return result

        # Each callback knows its run: a superseded or cancelled run never shows its result.
        run = self._run = object()

        def done(result: Any) -> None:
            if run is self._run:
                self._done(result)

        def failed(exc: BaseException) -> None:
            if run is self._run:
                self._failed(exc)

        self.task = run_task(work, done, failed)

    def cancel(self) -> None:
        """Stop the running analysis; whatever it would still deliver is discarded."""
        if self.task is None or self._run is None:
            return
        self.task.cancel()
        self._run = None
        self._idle()
        self.status.setText("Cancelled. Press Recompute to run the analysis again.")

    def _idle(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setVisible(False)

    def _done(self, result: Any) -> None:
        self._idle()
        self.result = result
        self.finding.setText(f"<b>{escape(result.winner)} wins with the current weights.</b> "
                             + escape(" ".join(robustness(result, result.winner))))
        self.status.setText(engine.describe_variant_dict(result.variant))
        self.critical_model.set_rows(result.critical)
        fit_columns(self.critical, cap=220)
        self.criterion.clear()
        for key, crit in zip(result.criterion_keys, self._criterion_names(result), strict=True):
            self.criterion.addItem(crit, key)
        # The slider opens on the most critical weight (the top row of the sorted table).
        if self.critical_sorted.rowCount():
            self.criterion.setCurrentIndex(self.critical_sorted.mapToSource(self.critical_sorted.index(0, 0)).row())
        self._criterion_chosen()
        self._smaa(result)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if is_cancel(exc):
            return
        if isinstance(exc, UserError):
            self.result = None
            self.finding.setText("")
            self.status.setText(f"No sensitivity analysis: {exc}")
            self.critical_model.set_rows([])
            self.sweep_model.set_rows([])
            clear_chart(self.smaa_chart)
        elif not is_cancel(exc):
            raise exc

    def _criterion_names(self, result: Any) -> list[str]:
        assert self.session is not None
        names = {c.key: c.name for c in self.session.snapshot.criteria}
        return [names.get(k, k) for k in result.criterion_keys]

    def _criterion_chosen(self) -> None:
        """Start at the criterion's current weight (exactly: the preview then equals the real scores)."""
        if self.result is None or self.criterion.count() == 0:
            return
        self.share = float(self.result.weights[self.criterion.currentIndex()])
        self.slider.blockSignals(True)
        self.slider.setValue(round(self.share * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self._preview()

    def _slider_moved(self) -> None:
        self.share = self.slider.value() / SLIDER_STEPS
        self._preview()

    def _preview(self) -> None:
        """Scores with the chosen criterion at self.share (others rescaled proportionally). Each score
        is linear in the share, so the sweep's two ends give it exactly at any share."""
        result = self.result
        if result is None or result.sweep is None or self.criterion.count() == 0:
            return
        c = self.criterion.currentIndex()
        at_zero, at_one = result.sweep.scores[c, 0], result.sweep.scores[c, -1]
        scores = at_zero + self.share * (at_one - at_zero)
        ranks = competition_ranks(scores, 100.0)
        self.slider_label.setText(f"{self.share * 100:.1f} % (now {result.weights[c] * 100:.1f} %)")
        rows = sorted((int(ranks[v]), result.vendor_names[v], float(scores[v])) for v in range(len(ranks)))
        self.sweep_model.set_rows(rows)
        fit_columns(self.sweep_view)

    def _smaa(self, result: Any) -> None:
        chart = self.smaa_chart
        clear_chart(chart)
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
