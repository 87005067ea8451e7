"""Sensitivity on screen: the finding first, critical weights smallest change first (and sortable),
a slider that opens at the current weight, and a Cancel that discards the run."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import open_eval, show
from vendor_eval.services import ranking
from vendor_eval.ui import tasks
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.models.rows import ROW_ROLE
from vendor_eval.ui.screens.sensitivity import SensitivityScreen


def _shown_rows(screen: SensitivityScreen) -> list:
    proxy = screen.critical_sorted
    return [proxy.data(proxy.index(r, 0), ROW_ROLE) for r in range(proxy.rowCount())]


def _smallest(row) -> float:  # written out here, not taken from the app
    options = [abs(d) for d in (row.delta_up, row.delta_down) if d is not None]
    return min(options) if options else math.inf


def test_finding_leads_and_critical_weights_sort_by_smallest_change(window: MainWindow, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, SensitivityScreen)
    rows = _shown_rows(screen)
    changes = [_smallest(r) for r in rows]
    assert changes == sorted(changes) and changes[0] < math.inf
    first = rows[0]
    finding = screen.finding.text()
    assert finding.startswith("<b>Beta Imaging wins with the current weights.</b>")
    assert f"weight of {first.criterion} by {changes[0] * 100:.1f} percentage points" in finding
    assert "Alpha Reads" in finding and screen.finding.isVisible()
    assert screen.criterion.currentText() == first.criterion  # the slider opens on the most critical weight
    # Sortable: a click on "Weight now" orders by the current weight instead.
    header = screen.critical.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(2) + header.sectionSize(2) // 2, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    weights = [r.weight for r in _shown_rows(screen)]
    assert weights in (sorted(weights), sorted(weights, reverse=True)) and weights != [r.weight for r in rows]


def test_slider_opens_at_the_current_weight_and_previews_the_real_scores(window: MainWindow, db, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, SensitivityScreen)
    real = {v.name: v.score for v in ranking.rank_evaluation(db, scored_eval).vendors if not v.disqualified}
    for c in (0, 3, screen.criterion.count() - 1):
        screen.criterion.setCurrentIndex(c)
        screen.criterion.activated.emit(c)
        assert screen.share == screen.result.weights[c]  # not rounded to a slider step
        preview = {name: score for _rank, name, score in screen.sweep_model.rows()}
        assert preview == pytest.approx(real, abs=1e-9)
        assert f"{screen.result.weights[c] * 100:.1f} % (now" in screen.slider_label.text()


def test_cancel_discards_the_running_analysis(qtbot, window: MainWindow, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, SensitivityScreen)
    before = screen.result
    tasks.set_inline(False)  # a real pool thread, so Cancel can be pressed while it runs
    screen.compute()
    assert screen.cancel_button.isVisible() and not screen.run_button.isEnabled()
    screen.cancel_button.click()
    task = screen.task
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    QApplication.processEvents()
    assert screen.result is before  # nothing of the cancelled run is shown
    assert screen.status.text().startswith("Cancelled") and screen.run_button.isEnabled()
    assert not screen.cancel_button.isVisible()
    # The same run, not cancelled, does deliver a new result.
    screen.compute()
    qtbot.waitUntil(lambda: screen.result is not before, timeout=20_000)
    assert screen.result.winner == "Beta Imaging"
