"""The committee meeting's worklist: filter to the open red/amber cells, jump to the next one by
keyboard, see every evaluator's score and comment, and watch the counters move."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.helpers import drive_modal, open_eval, show
from vendor_eval.services import evaluators, scores
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.committee import CommitteeScreen, ConsensusDialog


def _disagree(db: Database, evaluation: int) -> dict[str, tuple[int, int]]:
    """A second evaluator far from the first on one cell (red) and a little apart on another (amber):
    returns (vendor_id, criterion_id) of each."""
    snap = load_snapshot(db, evaluation)
    other = evaluators.add_evaluator(db, evaluation, "Sam Okafor", "officer")
    red_c, amber_c, vendor = snap.criteria[1], snap.criteria[4], snap.vendors[0]
    scores.record_score(db, evaluation, other, vendor.id, red_c.id, red_c.scale_min, "officer",
                        comment="Coverage gaps at night in the demo")
    mine = next(s for s in snap.scores if (s.vendor_id, s.criterion_id) == (vendor.id, amber_c.id))
    span = amber_c.scale_max - amber_c.scale_min
    # A spread between the discuss (20 %) and must-discuss (50 %) thresholds of the scale.
    amber_value = mine.value - 0.3 * span if mine.value - 0.3 * span >= amber_c.scale_min else mine.value + 0.3 * span
    scores.record_score(db, evaluation, other, vendor.id, amber_c.id, amber_value, "officer")
    return {"red": (vendor.id, red_c.id), "amber": (vendor.id, amber_c.id)}


def _visible_cells(screen: CommitteeScreen) -> set[tuple[int, int]]:
    m = screen.model
    return {m.key(m.index(r, c)) for r in range(m.rowCount()) for c in range(m.columnCount())
            if not screen.view.isRowHidden(r) and not screen.view.isColumnHidden(c)}


def test_filter_next_cell_dialog_and_counters(window: MainWindow, db: Database, scored_eval: int) -> None:
    cells = _disagree(db, scored_eval)
    open_eval(window, scored_eval)
    screen = show(window, CommitteeScreen)
    assert screen.summary.text().startswith("1 cell must be discussed · 1 cell worth discussing")

    screen.filter.setCurrentIndex(screen.filter.findText("Open: must be discussed"))
    screen.filter.activated.emit(screen.filter.currentIndex())
    assert _visible_cells(screen) == {cells["red"]}
    screen.filter.setCurrentIndex(screen.filter.findText("Open: must or worth discussing"))
    screen.filter.activated.emit(screen.filter.currentIndex())
    visible = _visible_cells(screen)
    assert cells["red"] in visible and cells["amber"] in visible
    bands = {screen.model.band(r, c) for r in range(screen.model.rowCount()) for c in range(screen.model.columnCount())
             if not screen.view.isRowHidden(r) and not screen.view.isColumnHidden(c)
             and screen.model.is_open(r, c)}
    assert bands == {"must_discuss", "discuss"}

    # N (the keyboard) walks the open cells in reading order: the red one (row 1) comes first.
    screen.view.setCurrentIndex(screen.model.index(0, 0))
    screen.view.setFocus()
    from pytestqt.qtbot import QtBot
    QtBot.keyClick(screen.view, Qt.Key.Key_N)
    assert screen.model.key(screen.view.currentIndex()) == cells["red"]
    QtBot.keyClick(screen.view, Qt.Key.Key_F8)
    assert screen.model.key(screen.view.currentIndex()) == cells["amber"]
    QtBot.keyClick(screen.view, Qt.Key.Key_N)
    assert screen.model.key(screen.view.currentIndex()) == cells["red"]  # wraps round

    seen: dict[str, list[str]] = {}

    def agree(dialog: QDialog) -> None:
        assert isinstance(dialog, ConsensusDialog)
        seen["comments"] = dialog.comments()
        dialog.value.setValue(3)
        dialog.reason.setText("Night coverage confirmed by reference calls")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    errors = drive_modal(ConsensusDialog, agree)
    QtBot.keyClick(screen.view, Qt.Key.Key_Return)
    assert not errors, errors
    assert seen["comments"] == ["(no comment)", "Coverage gaps at night in the demo"]  # each evaluator's comment
    [agreed] = load_snapshot(db, scored_eval).consensus
    assert (agreed.vendor_id, agreed.criterion_id, agreed.value) == (*cells["red"], 3.0)
    # The counter moved, and the settled cell left the filtered worklist.
    assert screen.summary.text().startswith("0 cells must be discussed · 1 cell worth discussing · "
                                            "1 consensus score set")
    assert _visible_cells(screen) >= {cells["amber"]} and cells["red"] not in _visible_cells(screen)
    assert screen.next_open_cell() and screen.model.key(screen.view.currentIndex()) == cells["amber"]
    window.undo_action.trigger()
    assert "1 cell must be discussed" in screen.summary.text()


def test_group_headings_and_fit_all_vendors(window: MainWindow, sample_eval: int) -> None:
    eid = sample_eval  # seven vendors
    window.resize(1024, 700)
    open_eval(window, eid)
    screen = show(window, CommitteeScreen)
    header, model = screen.view.verticalHeader(), screen.model
    snap = window.session.snapshot  # type: ignore[union-attr]
    firsts = {}
    for row, c in enumerate(snap.criteria):
        firsts.setdefault(c.group_id, row)
    names = {g.id: g.name for g in snap.groups}
    assert header.headings == {row: names[g] for g, row in firsts.items()}  # a heading row per group
    assert header.sectionSize(0) == 2 * header.sectionSize(1)

    screen.filter.setCurrentIndex(screen.filter.findText("Open: must or worth discussing"))
    screen.filter.activated.emit(screen.filter.currentIndex())
    shown = [r for r in range(model.rowCount()) if not screen.view.isRowHidden(r)]
    assert shown and shown[0] in header.headings  # the first row shown still says which group it is in

    columns = screen.view.horizontalHeader()
    assert columns.length() > screen.view.viewport().width()  # seven vendors do not fit at 1024 px...
    screen.fit.setChecked(True)
    QApplication.processEvents()
    visible = [c for c in range(model.columnCount()) if not screen.view.isColumnHidden(c)]
    assert columns.length() <= screen.view.viewport().width() + 1  # ...until squeezed to fit
    assert all(model.headerData(c, Qt.Orientation.Horizontal) == model.vendors[c].name.split()[0] for c in visible)
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == model.vendors[0].name
