"""Results screen: ranking the sample RFP under a tariff scenario picked in the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import open_eval, show
from vendor_eval.services import tariffs
from vendor_eval.storage import Database
from vendor_eval.ui.changes import Change
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.results import AS_QUOTED, ResultsScreen

CHINA_25 = "US Section 301: 25 % on China"
ZEPHYRINE, VINDHYA = "Zephyrine AI Imaging", "Vindhya Radiology Network"


def _table(results: ResultsScreen) -> dict[str, str]:
    """Vendor -> rank as the table shows them."""
    model = results.table.model()
    return {model.index(r, 1).data(): model.index(r, 0).data() for r in range(model.rowCount())}


def _pick(qtbot, results: ResultsScreen, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose an entry of the picker with the keyboard, as a user does (each step emits activated)."""
    box = results.tariff_scenario
    target = box.findText(text)
    assert target >= 0, f"{text!r} is not offered: {[box.itemText(i) for i in range(box.count())]}"
    box.setFocus()
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        qtbot.keyClick(box, key)
    QApplication.processEvents()


def test_tariff_scenario_picker_reranks_the_sample_rfp(qtbot, window: MainWindow, db: Database, sample_eval: int) -> None:
    eid = sample_eval
    open_eval(window, eid)
    results = show(window, ResultsScreen)
    box = results.tariff_scenario
    assert box.isEnabled() and box.currentText() == AS_QUOTED
    assert [box.itemText(i) for i in range(box.count())] == [AS_QUOTED, "Baseline", CHINA_25,
                                                             "EU 15 % with imaging exemption",
                                                             "EU 15 % without exemption"]
    before = _table(results)
    assert (before[ZEPHYRINE], before[VINDHYA]) == ("4", "5")
    assert "tariff scenario: none: prices as quoted" in results.variant.text()

    _pick(qtbot, results, CHINA_25)
    after = _table(results)
    assert (after[ZEPHYRINE], after[VINDHYA]) == ("5", "4")  # the tariff-exposed vendor drops behind
    assert {k: v for k, v in after.items() if k not in (ZEPHYRINE, VINDHYA)} == \
        {k: v for k, v in before.items() if k not in (ZEPHYRINE, VINDHYA)}
    assert results.result.variant["tariff_scenario"] == CHINA_25
    assert f"tariff scenario: {CHINA_25}" in results.variant.text()
    assert window.session is not None and window.session.tariff_scenario == CHINA_25

    _pick(qtbot, results, AS_QUOTED)
    assert _table(results) == before

    # A scenario that is removed while chosen falls back to prices as quoted, not to an error.
    _pick(qtbot, results, CHINA_25)
    tariffs.remove_scenario(db, eid, CHINA_25, "officer")
    window.session.reload(Change.TARIFFS)
    assert box.currentText() == AS_QUOTED and box.findText(CHINA_25) == -1
    assert _table(results) == before and not results.message.isVisible()
