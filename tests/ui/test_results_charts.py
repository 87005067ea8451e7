"""Results charts: TOPSIS shows closeness to the ideal (not an empty contribution chart), and the
radar keeps a usable size on a 1024x700 window."""

from __future__ import annotations

from PySide6.QtCharts import QHorizontalBarSeries, QHorizontalStackedBarSeries
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import open_eval, show
from vendor_eval.services import ranking
from vendor_eval.storage import Database
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.results import ResultsScreen


def _bars(screen: ResultsScreen) -> dict[str, float]:
    [series] = screen.bar_chart.series()
    categories = next(a for a in screen.bar_chart.axes() if hasattr(a, "categories")).categories()
    [bar] = series.barSets()
    return {name: bar.at(k) for k, name in enumerate(categories)}


def test_topsis_chart_shows_closeness_to_the_ideal(window: MainWindow, db: Database, sample_eval: int) -> None:
    eid = sample_eval
    open_eval(window, eid)
    screen = show(window, ResultsScreen)
    assert isinstance(screen.bar_chart.series()[0], QHorizontalStackedBarSeries)  # weighted: parts by group
    screen.method.setCurrentIndex(screen.method.findData("topsis"))
    screen.method.activated.emit(screen.method.currentIndex())
    [series] = screen.bar_chart.series()
    assert isinstance(series, QHorizontalBarSeries) and series.isLabelsVisible()
    assert "Closeness to the ideal" in screen.bar_chart.title()
    assert not screen.bar_chart.legend().isVisible()  # one series: no legend of empty group names
    want = {v.name: v.score for v in ranking.rank_evaluation(db, eid, method="topsis").vendors if not v.disqualified}
    got = _bars(screen)
    assert got.keys() == want.keys()
    assert all(abs(got[k] - want[k]) < 1e-9 for k in want) and all(0 < x < 1 for x in got.values())


def test_radar_keeps_its_size_at_1024x700(window: MainWindow, sample_eval: int) -> None:
    eid = sample_eval
    open_eval(window, eid)
    window.resize(1024, 700)
    screen = show(window, ResultsScreen)
    QApplication.processEvents()
    assert screen.charts.currentWidget() is screen.chart_tabs  # narrow: one chart at a time, full width
    # Every one of the seven vendors in sight, the disqualified one last, with no scrolling.
    assert screen.model.rowCount() == 7 and not screen.table.verticalScrollBar().isVisible()
    screen.chart_tabs.setCurrentWidget(screen.radar_view)
    QApplication.processEvents()
    plot = screen.radar.plotArea()
    assert plot.width() >= 150 and plot.height() >= 150, plot
    assert len(screen.radar.series()) == 3
    window.resize(1920, 1080)
    QApplication.processEvents()
    assert screen.charts.currentWidget() is screen.side_by_side
    assert screen.radar_view.isVisible() and screen.bar_view.isVisible()


def test_blocked_ranking_message_is_shown_whole_at_1024x700(window: MainWindow, db: Database,
                                                            imaging_eval: int) -> None:
    from vendor_eval.services import vendors

    vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    vendors.add_vendor(db, imaging_eval, "Beta Imaging", "officer")
    window.resize(1024, 700)
    open_eval(window, imaging_eval)
    screen = show(window, ResultsScreen)
    QApplication.processEvents()
    message = screen.message
    assert message.isVisible() and "Ranking is blocked" in message.text()
    assert message.height() >= message.heightForWidth(message.width())  # every wrapped line fits
    assert not screen.table.isVisible() and not screen.charts.isVisible()  # no empty table or charts


def test_blocked_ranking_links_to_the_missing_score_policy(qtbot, window: MainWindow, db: Database,  # type: ignore[no-untyped-def]
                                                           scored_eval: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from tests.ui.helpers import drive_modal
    from vendor_eval.services import scores
    from vendor_eval.services.snapshot import load_snapshot
    from vendor_eval.ui.dialogs.settings_dialog import SettingsDialog

    snap = load_snapshot(db, scored_eval)
    beta = next(v for v in snap.vendors if v.name == "Beta Imaging")
    for crit in [c for c in snap.criteria if not c.knockout][:2]:  # two cells of Beta left unscored
        scores.clear_score(db, scored_eval, snap.evaluators[0].id, beta.id, crit.id, "officer")
    window.resize(1024, 700)
    open_eval(window, scored_eval)
    screen = show(window, ResultsScreen)
    assert "Ranking is blocked" in screen.message.text() and screen.policy_button.isVisible()
    assert screen.model.rowCount() == 0
    seen: dict[str, object] = {}

    def pick_minimum(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        seen["focus"] = dialog.focusWidget()
        dialog.missing_policy.setCurrentIndex(dialog.missing_policy.findData("minimum"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(SettingsDialog, pick_minimum)
    qtbot.mouseClick(screen.policy_button, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert isinstance(seen["focus"], type(screen.method)) and seen["focus"].currentData() == "minimum"  # type: ignore[attr-defined]
    assert load_snapshot(db, scored_eval).evaluation.missing_policy == "minimum"  # saved in the file
    QApplication.processEvents()
    expected = ranking.rank_evaluation(db, scored_eval)  # what the file ranks, read afresh
    shown = [(screen.model.index(r, 1).data(), screen.model.row(r).score) for r in range(screen.model.rowCount())]
    assert [n for n, _ in shown] == [v.name for v in expected.vendors]
    assert all(abs(s - v.score) < 1e-9 for (_, s), v in zip(shown, expected.vendors, strict=True))
    assert screen.table.isVisible() and "Ranking is blocked" not in screen.message.text()
    assert "2 cells have no score yet" in screen.message.text()  # still said, with the way to change it
