"""The other screens: overview settings, vendors, sensitivity, tariffs, audit log, recent list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import open_eval, show
from vendor_eval.services import tariffs
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.audit import AuditScreen
from vendor_eval.ui.screens.overview import OverviewScreen
from vendor_eval.ui.screens.sensitivity import SensitivityScreen
from vendor_eval.ui.screens.tariffs import TariffsScreen
from vendor_eval.ui.screens.vendors import VendorsScreen


def test_overview_shows_progress_and_changes_settings(qtmodeltester, window: MainWindow, db: Database,
                                                      scored_eval: int) -> None:
    open_eval(window, scored_eval)
    overview = show(window, OverviewScreen)
    qtmodeltester.check(overview.progress_model)
    total = len(load_snapshot(db, scored_eval).criteria) * 2
    assert overview.progress_model.data(overview.progress_model.index(0, 3)) == f"{total} / {total}"
    assert "current leader: <b>Beta Imaging</b>" in overview.summary.text()
    assert overview.blind.isChecked()
    overview.blind.click()  # blind mode off, saved at once
    assert load_snapshot(db, scored_eval).evaluation.blind_mode is False


def test_vendor_profile_is_edited_in_place(window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, VendorsScreen)
    index = screen.model.index(0, 1)
    assert screen.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    screen.model.setData(index, "Ireland")
    assert load_snapshot(db, scored_eval).vendors[0].hq_country == "Ireland"
    assert screen.model.data(screen.model.index(0, 1)) == "Ireland"
    screen.model.setData(screen.model.index(0, 2), "overseas")  # refused: a sentence in the status bar
    assert "Deployment model must be one of" in window.statusBar().currentMessage()


def test_sensitivity_critical_changes_and_weight_slider(qtmodeltester, window: MainWindow, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, SensitivityScreen)
    assert screen.result is not None and screen.result.winner == "Beta Imaging"
    qtmodeltester.check(screen.critical_model)
    assert screen.critical_model.rowCount() == len(screen.result.criterion_keys)
    assert any(r.delta_up is not None for r in screen.critical_model.rows())  # some weight can flip the winner
    flip = next(i for i, r in enumerate(screen.result.critical) if r.winner_up == "Alpha Reads")
    screen.criterion.setCurrentIndex(flip)
    screen.slider.setValue(screen.slider.maximum())  # all the weight on that criterion
    assert screen.sweep_model.row(0)[1] == "Alpha Reads"
    screen.slider.setValue(0)
    assert screen.sweep_model.row(0)[1] == "Beta Imaging"
    assert screen.smaa_chart.series()  # the rank-acceptability chart is drawn


def test_tariff_rates_are_edited_in_place(qtmodeltester, window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, TariffsScreen)
    assert screen.scenarios.rowCount() == 0 and screen.empty.isVisible()
    screen.defaults_button.click()
    assert screen.scenarios.rowCount() == 4
    qtmodeltester.check(screen.scenarios)
    qtmodeltester.check(screen.lines)
    row = next(i for i, s in enumerate(screen.scenarios.rows()) if "China" in s.name)
    screen.scenarios.setData(screen.scenarios.index(row, 1), "China=30%, India=5%")
    scenario = next(s for s in load_snapshot(db, scored_eval).tariff_scenarios if "China" in s.name)
    assert scenario.rates == {"China": 0.30, "India": 0.05}
    # Scenario names are longer than the chart's legend has room for: its markers show them whole.
    assert screen.chart.legend().showToolTips()
    _ = tariffs


def test_audit_log_lists_every_change(qtmodeltester, window: MainWindow, scored_eval: int) -> None:
    from vendor_eval.ui.screens.criteria import CriteriaScreen

    open_eval(window, scored_eval)
    criteria = show(window, CriteriaScreen)
    crit = window.session.snapshot.criteria[0]  # type: ignore[union-attr]
    assert criteria.set_weight(crit.id, 33)
    screen = show(window, AuditScreen)
    qtmodeltester.check(screen.model)
    newest = screen.model.row(0)
    assert (newest.entity, newest.field, newest.new_value) == ("criterion", "weight", "33.0")
    assert screen.model.data(screen.model.index(0, 6)) == "33"  # shown as a person reads it
    assert newest.actor == window.settings.actor()


def test_recent_evaluations_menu(window: MainWindow, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    window.recent_menu.aboutToShow.emit()
    names = [a.text() for a in window.recent_menu.actions()]
    assert names == ["Teleradiology RFP"]


def test_actor_preference_is_recorded_with_edits(monkeypatch, window: MainWindow, db: Database,
                                                 scored_eval: int) -> None:
    from PySide6.QtWidgets import QInputDialog

    from vendor_eval.services.audit_log import list_audit_events
    from vendor_eval.ui.screens.criteria import CriteriaScreen
    from vendor_eval.ui.settings import ACTOR

    open_eval(window, scored_eval)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Maria Procurement", True))
    next(a for a in window.menuBar().actions()[1].menu().actions() if a.text().startswith("Your name")).trigger()
    assert window.settings.get(ACTOR) == "Maria Procurement"
    criteria = show(window, CriteriaScreen)
    criteria.set_weight(window.session.snapshot.criteria[0].id, 12)  # type: ignore[union-attr]
    assert list_audit_events(db, scored_eval)[0].actor == "Maria Procurement"


def test_window_geometry_survives_a_restart(qtbot, db: Database, settings) -> None:  # type: ignore[no-untyped-def]
    from vendor_eval.ui.settings import GEOMETRY, STATE

    first = MainWindow(db, settings)
    qtbot.addWidget(first)
    first.resize(799, 590)  # the offscreen screen is 800x600, and restoring clamps to the screen
    first.show()
    first.list_dock.hide()
    first.close()
    assert settings.get(GEOMETRY) and settings.get(STATE)
    second = MainWindow(db, settings)
    qtbot.addWidget(second)
    assert abs(second.width() - 799) <= 2 and second.height() == 590
    assert second.list_dock.isHidden()  # dock layout restored too


def test_evaluation_list_headings_fit_the_dock_at_1024x700(window: MainWindow, scored_eval: int) -> None:
    from PySide6.QtWidgets import QApplication

    window.resize(1024, 700)
    open_eval(window, scored_eval)
    QApplication.processEvents()
    view = window.list_view
    header = view.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert [window.list_model.headerData(c, Qt.Orientation.Horizontal) for c in shown] == ["Evaluation", "Status"]
    assert sum(header.sectionSize(c) for c in shown) <= view.viewport().width()  # nothing cut off at the right
    for c in shown:  # every heading whole, with the style's padding
        heading = window.list_model.headerData(c, Qt.Orientation.Horizontal)
        assert header.sectionSize(c) >= header.fontMetrics().horizontalAdvance(heading) + 8, heading
    name = window.list_model.index(0, 0)
    assert "Teleradiology RFP" in name.data(Qt.ItemDataRole.ToolTipRole)  # an elided name is whole in its tooltip


def test_overview_of_a_new_evaluation_does_not_claim_declarations(window: MainWindow, imaging_eval: int) -> None:
    open_eval(window, imaging_eval)  # no evaluators yet
    overview = show(window, OverviewScreen)
    text = overview.undeclared.text()
    assert "Every evaluator has declared" not in text and text.startswith("No evaluators yet")
