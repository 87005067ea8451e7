"""Results: the ranking with its method, aggregation and tariff scenario, disqualified vendors
with their reasons, and charts that follow every change: contribution by group (weighted sum) or
closeness to the ideal (TOPSIS), and a radar of the leaders. Side by side on a wide window, as tabs
on a narrow one so the radar never shrinks to a dot."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QPolarChart,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QFont, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import vocabulary
from vendor_eval.scoring.engine import MissingScores
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.scoring_grid import short
from vendor_eval.ui.models.tables import RankingModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, guidance, hint, table_view
from vendor_eval.ui.wording import counted

METHODS = tuple(vocabulary.METHODS.items())
AGGREGATIONS = (("", "Evaluation's setting"), *vocabulary.AGGREGATIONS.items())
AS_QUOTED = "None (as quoted)"
SCENARIO_TIP = ("Rank with each vendor's quoted prices raised by its tariff exposure under this scenario "
                "(scenarios are set up on the Tariffs screen).")
BAR_VENDORS = 12
RADAR_VENDORS = 3
SIDE_BY_SIDE = 1000  # a Results screen narrower than this (window below ~1200 px) shows the charts as tabs


def chart_view(chart: QChart, legend: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(legend)
    font = QFont(chart.legend().font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    chart.legend().setFont(font)
    chart.legend().setShowToolTips(True)  # a name the legend shortens shows whole under the pointer
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if _dark() else QChart.ChartTheme.ChartThemeLight)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def clear_chart(chart: QChart) -> None:
    """Remove a chart's series and axes for a redraw (the chart hands a removed axis back: delete it)."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
        axis.deleteLater()


def _dark() -> bool:
    """Charts follow the system colour scheme like the rest of the window."""
    from PySide6.QtGui import QGuiApplication

    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def group_profile(result: Any, vendor: Any) -> dict[str, float]:
    """Per group, the vendor's weighted mean normalised score (0-1): comparable across methods."""
    sums: dict[str, list[float]] = {}
    for key, gid, w in zip(result.criterion_keys, result.criterion_group_ids, result.weights, strict=True):
        n = vendor.normalised.get(key)
        if n is None or n != n:
            continue
        acc = sums.setdefault(result.group_names[gid], [0.0, 0.0])
        acc[0] += float(w) * float(n)
        acc[1] += float(w)
    return {g: (a / b if b > 0 else 0.0) for g, (a, b) in sums.items()}


class ResultsScreen(Screen):
    title = "Results"
    # "tariffs": a scenario's rates or a vendor's cost lines change the prices ranked under a scenario.
    depends_on = (Change.SCORES | Change.WEIGHTS | Change.CONSENSUS | Change.CRITERIA | Change.VENDORS
                  | Change.SETTINGS | Change.STATUS | Change.VIEW | Change.TARIFFS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox()
        for key, text in METHODS:
            self.method.addItem(text, key)
        self.aggregation = QComboBox()
        for key, text in AGGREGATIONS:
            self.aggregation.addItem(text, key)
        self.tariff_scenario = QComboBox()
        self.tariff_scenario.setToolTip(SCENARIO_TIP)
        # Scenario names are long ("US Section 301: 25 % on China"): a steady width that never pushes the
        # row off a 1024 px window; the drop-down list shows them in full.
        self.tariff_scenario.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tariff_scenario.setMinimumContentsLength(16)
        self.tariff_scenario.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        for box, chars in ((self.method, 21), (self.aggregation, 20)):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(chars)  # the row fits a 1024 px window; the lists show names in full
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.method.activated.connect(self._choice)
        self.aggregation.activated.connect(self._choice)
        self.tariff_scenario.activated.connect(self._choice)
        self.variant = hint("")
        self.model = RankingModel(self)
        self.table = table_view(self.model)
        self.message = guidance("")
        self._alone_style = self.message.styleSheet()  # the screen's message when there is no ranking
        # The message names the missing-score policy: the way to change it is right under it.
        self.policy_button = QPushButton("Change the missing-score policy…")
        self.policy_button.setToolTip("Open the evaluation settings at 'A missing score'")
        self.policy_button.clicked.connect(self.change_missing_policy)
        self.bar_chart = QChart()
        self.radar = QPolarChart()
        self.radar.setTitle(f"Profile of the top {RADAR_VENDORS} (share of each group's best score)")
        self.bar_view = chart_view(self.bar_chart, Qt.AlignmentFlag.AlignRight)
        self.radar_view = chart_view(self.radar)
        self.radar_view.setMinimumWidth(320)
        self.side_by_side = QSplitter()
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setDocumentMode(True)
        charts = QStackedWidget()
        charts.addWidget(self.side_by_side)
        charts.addWidget(self.chart_tabs)
        self.charts = charts
        self._arrange_charts(wide=True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Method"))
        top.addWidget(self.method)
        top.addSpacing(12)
        top.addWidget(QLabel("Evaluators"))
        top.addWidget(self.aggregation)
        top.addSpacing(12)
        top.addWidget(QLabel("Tariffs"))
        top.addWidget(self.tariff_scenario)
        top.addStretch(1)
        self.upper = upper = QWidget()
        uv = QVBoxLayout(upper)
        uv.setContentsMargins(0, 0, 0, 0)
        uv.addStretch(0)  # with no ranking, these two stretches centre the message and its button
        uv.addWidget(self.table, 1)
        uv.addWidget(self.message)
        uv.addWidget(self.policy_button, 0, Qt.AlignmentFlag.AlignHCenter)
        uv.addWidget(self.variant)
        uv.addStretch(0)
        self.upper_layout = uv
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(charts)
        split.setSizes([250, 450])
        self.split = split
        self._user_sized = False
        split.splitterMoved.connect(lambda *_: setattr(self, "_user_sized", True))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.result: Any = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_charts(event.size().width() >= SIDE_BY_SIDE)
        if self.session is not None:  # first shown or resized: the table's share follows the new height
            self._fit_table()

    def _arrange_charts(self, wide: bool) -> None:
        target = self.side_by_side if wide else self.chart_tabs
        if self.charts.currentWidget() is target and self.bar_view.parent() is not None:
            return
        if wide:
            self.chart_tabs.clear()
            for view in (self.bar_view, self.radar_view):
                self.side_by_side.addWidget(view)
                view.show()  # the tab widget hid the one not on show
            self.side_by_side.setSizes([550, 450])
        else:
            self.chart_tabs.addTab(self.bar_view, "Scores by group")
            self.chart_tabs.addTab(self.radar_view, "Profile of the leaders")
        self.charts.setCurrentWidget(target)

    def _choice(self, _index: int) -> None:
        if self.session is None:
            return
        view = (self.method.currentData(), self.aggregation.currentData(), self.tariff_scenario.currentData() or None)
        if view == (self.session.method, self.session.aggregation, self.session.tariff_scenario):
            return  # the choice shown picked again: nothing to rank or redraw
        self.session.method, self.session.aggregation, self.session.tariff_scenario = view
        self.session.changed.emit(Change.VIEW)  # Results and Sensitivity follow the picker

    def refresh(self) -> None:
        assert self.session is not None
        if not engine.ranked(self.session):  # (it forgets a scenario that was removed)
            # Ranked off the UI thread; what is shown stays until the new ranking arrives.
            engine.rank_in_background(self.session, self._ranked)
            return
        self.method.setCurrentIndex(max(self.method.findData(self.session.method), 0))
        self.aggregation.setCurrentIndex(max(self.aggregation.findData(self.session.aggregation), 0))
        result, refusal = engine.try_rank(self.session)  # no ranking yet: a message, not an error
        error, blocked = str(refusal or ""), isinstance(refusal, MissingScores)
        self._scenarios()
        self.result = result
        self.model.set_rows(result.vendors if result is not None else [])
        fit_columns(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message.setVisible(bool(error) or (result is not None and bool(result.missing)))
        if error:
            self.message.setText(error if blocked else f"No ranking yet. {error}")
        elif result is not None and result.missing:
            first = ", ".join(m.describe() for m in result.missing[:3])
            self.message.setText(f"{counted('%n cell(s) have no score yet', len(result.missing))} (e.g. {first}); "
                                 "the evaluation's missing-score policy decides how they count.")
        self.policy_button.setVisible((blocked or (result is not None and bool(result.missing)))
                                      and not self.session.read_only)
        # Under a ranking the note is small print, so the table keeps its room; alone it is the message.
        ranked = result is not None and bool(result.vendors)
        self.message.setStyleSheet("color: palette(placeholder-text);" if ranked else self._alone_style)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft if ranked else Qt.AlignmentFlag.AlignCenter)
        self.upper_layout.setAlignment(self.policy_button, Qt.AlignmentFlag.AlignLeft if ranked
                                       else Qt.AlignmentFlag.AlignHCenter)
        self.variant.setText(engine.describe_variant(result) if result is not None else "")
        # Nothing to chart (no ranking, or every vendor knocked out): no empty axes, the table has the room.
        self.charts.setVisible(ranked and any(not v.disqualified for v in result.vendors))  # type: ignore[union-attr]
        self._fit_table()
        self._bars(result)
        self._radar(result)

    def change_missing_policy(self) -> None:
        from vendor_eval.ui.dialogs.settings_dialog import open_settings  # the dialog loads only when used

        if self.session is not None:
            open_settings(self, self.session, "missing_policy")

    def _ranked(self) -> None:
        if self.session is not None and self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def _scenarios(self) -> None:
        """The picker lists the evaluation's scenarios as they are now, showing the session's choice."""
        assert self.session is not None
        names = engine.tariff_scenarios(self.session)
        box = self.tariff_scenario
        if [box.itemData(i) for i in range(box.count())] != ["", *names]:
            box.clear()
            box.addItem(AS_QUOTED, "")
            for name in names:
                box.addItem(name, name)
        box.setCurrentIndex(max(box.findData(self.session.tariff_scenario or ""), 0))
        box.setEnabled(bool(names))
        box.view().setMinimumWidth(max((box.fontMetrics().horizontalAdvance(box.itemText(i)) + 40
                                        for i in range(box.count())), default=0))
        box.setToolTip(f"{box.currentText()}\n\n{SCENARIO_TIP}")

    def _fit_table(self) -> None:
        """Show every ranked vendor (disqualified ones last) without scrolling when there are few;
        the charts take the rest. A splitter the user moved stays where they put it."""
        rows = self.model.rowCount()
        self.table.setVisible(rows > 0)  # no ranking: the message says why, with nothing empty above it
        for i in (0, self.upper_layout.count() - 1):
            self.upper_layout.setStretch(i, 0 if rows else 1)
        if self._user_sized:
            return
        width = max(self.split.width() - 12, 300)  # wrapped labels: their height at the width they get
        parts = [w for w in (self.table, self.message, self.policy_button, self.variant) if w.isVisibleTo(self)]
        wanted = ((self.table.horizontalHeader().height() + rows * self.table.verticalHeader().defaultSectionSize()
                   + 2 * self.table.frameWidth() + 2 if rows else 0) + self.variant.heightForWidth(width)
                  + (self.message.heightForWidth(width) if self.message.isVisibleTo(self) else 0)
                  + (self.policy_button.sizeHint().height() if self.policy_button.isVisibleTo(self) else 0)
                  + self.upper_layout.spacing() * max(len(parts) - 1, 0))
        total = sum(self.split.sizes()) or 600  # the real height: setSizes scales a larger sum down
        top = min(wanted, int(total * 0.5))
        self.split.setSizes([top, total - top])

    def _bars(self, result: Any) -> None:
        chart = self.bar_chart
        if result is not None and result.method == "weighted" and self._bars_in_place(result):
            return
        clear_chart(chart)
        if result is None or not result.vendors:
            return
        shown = [v for v in result.vendors if not v.disqualified][:BAR_VENDORS]
        shown.reverse()  # horizontal bars draw bottom-up: put the leader on top
        topsis = result.method == "topsis"
        self.chart_tabs.setTabText(0, "Closeness to the ideal" if topsis else "Scores by group")
        if topsis:
            self._closeness(result, shown)
            return
        chart.setTitle("Contribution by criteria group")
        series = QHorizontalStackedBarSeries()
        groups = list(dict.fromkeys(result.group_names[g] for g in result.criterion_group_ids))
        for name in groups:
            bar = QBarSet(name)
            for v in shown:
                bar.append(max(float(v.by_group.get(name, 0.0)), 0.0))
            series.append(bar)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([v.name for v in shown])
        values = QValueAxis()
        values.setTitleText(result.score_scale)
        values.setLabelFormat("%.0f" if result.method == "weighted" else "%.2f")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        if result.method == "weighted":
            values.setRange(0, 100)  # the whole 0-100 scale, ticks at round numbers
            values.setTickCount(6)
        chart.legend().setVisible(len(groups) <= 12)

    def _bars_in_place(self, result: Any) -> bool:
        """As many vendors shown and the same groups as the chart already has (a weight or score
        changed): new values and names into its series and axis. Taking the chart apart and
        building it again (series, axes, legend, layout) cost a weight change most of its time."""
        series = self.bar_chart.series()
        categories = next((a for a in self.bar_chart.axes() if isinstance(a, QBarCategoryAxis)), None)
        if len(series) != 1 or not isinstance(series[0], QHorizontalStackedBarSeries) or categories is None:
            return False
        shown = [v for v in result.vendors if not v.disqualified][:BAR_VENDORS]
        shown.reverse()
        groups = list(dict.fromkeys(result.group_names[g] for g in result.criterion_group_ids))
        sets = series[0].barSets()
        if [b.label() for b in sets] != groups or categories.count() != len(shown) or not shown:
            return False
        for bar, name in zip(sets, groups, strict=True):
            for i, v in enumerate(shown):
                bar.replace(i, max(float(v.by_group.get(name, 0.0)), 0.0))
        names = [v.name for v in shown]
        if categories.categories() != names:
            categories.setCategories(names)
        return True

    def _closeness(self, result: Any, shown: list[Any]) -> None:
        """TOPSIS scores do not split into group parts: show what they are, each vendor's closeness
        to the ideal (1 = best on every criterion, 0 = worst on every one)."""
        chart = self.bar_chart
        chart.setTitle("Closeness to the ideal vendor (TOPSIS): 1 = best on every criterion, 0 = worst")
        bar = QBarSet("Closeness")
        for v in shown:
            bar.append(float(v.score))
        series = QHorizontalBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([v.name for v in shown])
        values = QValueAxis()
        values.setRange(0, 1)
        values.setTickCount(6)
        values.setLabelFormat("%.1f")
        values.setTitleText(result.score_scale)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().setVisible(False)

    def _radar_width(self) -> int:
        """The radar's width once shown: the whole chart area as a tab, its share beside the bars
        (the view itself may be hidden in a tab, with no width yet)."""
        tabs = self.charts.currentWidget() is self.chart_tabs
        return self.charts.width() if tabs else self.radar_view.width()

    def _radar(self, result: Any) -> None:
        chart = self.radar
        leaders = [] if result is None else [v for v in result.vendors if not v.disqualified][:RADAR_VENDORS]
        groups = [] if result is None else list(dict.fromkeys(result.group_names[g] for g in result.criterion_group_ids))
        if not leaders or len(groups) < 3:
            clear_chart(chart)
            return
        # Labels sit beside the plot and take its room: shorter as the radar narrows.
        width = self._radar_width()
        chars = 28 if width >= 760 else 20 if width >= 440 else 14
        labels = [short(g, chars) for g in groups]
        lines = chart.series()
        axis = next((a for a in chart.axes() if isinstance(a, QCategoryAxis)), None)
        if axis is not None and axis.categoriesLabels() == labels and len(lines) == len(leaders):
            # The same groups and as many leaders: new points into the lines, the chart kept as it is.
            for line, v in zip(lines, leaders, strict=True):
                assert isinstance(line, QLineSeries)
                profile = group_profile(result, v)
                line.replace([QPointF(i, 100.0 * profile.get(g, 0.0)) for i, g in enumerate([*groups, groups[0]])])
                line.setName(v.name)
            return
        clear_chart(chart)
        angular = QCategoryAxis()
        angular.setRange(0, len(groups))
        angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, label in enumerate(labels):
            angular.append(label, i)
        radial = QValueAxis()
        radial.setRange(0, 100)
        radial.setLabelFormat("%d %%")
        radial.setTickCount(5)
        chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
        chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
        for v in leaders:
            profile = group_profile(result, v)
            line = QLineSeries()
            line.setName(v.name)
            for i, g in enumerate([*groups, groups[0]]):
                line.append(i, 100.0 * profile.get(g, 0.0))
            chart.addSeries(line)
            line.attachAxis(angular)
            line.attachAxis(radial)
