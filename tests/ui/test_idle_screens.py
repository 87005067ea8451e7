"""A screen does no work for what did not change, and shows at once what did: a tooltip kept from
an earlier look is dropped when its cell changes in place, picking the choice already shown
rebuilds nothing, and a weight edit leaves the criteria tree's columns as they were."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui import helpers
from vendor_eval import domain
from vendor_eval.services import evaluators
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.changes import Change
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.models.consensus_grid import ConsensusModel
from vendor_eval.ui.models.criteria_tree import WEIGHT
from vendor_eval.ui.models.scoring_grid import ScoringModel
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.results import ResultsScreen
from vendor_eval.ui.screens.scoring import ScoringScreen
from vendor_eval.ui.screens.vendors import VendorsScreen

TIP = Qt.ItemDataRole.ToolTipRole


def test_a_cell_changed_in_place_shows_its_new_tooltip(db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    vendor, crit = snap.vendors[0], snap.criteria[1]
    scoring = ScoringModel()
    scoring.set_snapshot(snap, snap.evaluators[0].id)
    cell = scoring.cell(vendor.id, crit.id)
    old = scoring.score(vendor.id, crit.id)
    assert old is not None and f"Your score {old.value:g}" in scoring.data(cell, TIP)  # now kept for the next look
    new = crit.scale_min if old.value != crit.scale_min else crit.scale_max
    assert scoring.update_score(old.evaluator_id, vendor.id, crit.id, old._replace(value=new))
    assert f"Your score {new:g}" in scoring.data(cell, TIP)

    committee = ConsensusModel()
    committee.set_snapshot(snap)
    cell = committee.index(1, 0)  # rows are criteria, columns vendors
    assert "Press Enter or double-click to set the consensus." in committee.data(cell, TIP)
    agreed = domain.ConsensusEntry(1, vendor.id, crit.id, 3.0, "Agreed in the meeting", "officer", None, 1)
    assert committee.update_consensus(snap.with_consensus(vendor.id, crit.id, agreed))
    assert "Consensus 3 by officer: Agreed in the meeting" in committee.data(cell, TIP)


def test_picking_the_choice_shown_again_rebuilds_nothing(window: MainWindow, db: Database, scored_eval: int) -> None:
    second = evaluators.add_evaluator(db, scored_eval, "Sam Okafor", "officer")
    helpers.declare_no_conflict(db, scored_eval, second)
    helpers.open_eval(window, scored_eval)
    scoring = helpers.show(window, ScoringScreen)
    assert isinstance(scoring, ScoringScreen)
    resets: list[str] = []
    scoring.model.modelReset.connect(lambda: resets.append("grid"))
    box = scoring.evaluator
    box.activated.emit(box.currentIndex())
    assert resets == []
    box.setCurrentIndex(1 - box.currentIndex())
    box.activated.emit(box.currentIndex())
    assert resets == ["grid"] and window.session is not None and window.session.current_evaluator_id == box.currentData()

    results = helpers.show(window, ResultsScreen)
    assert isinstance(results, ResultsScreen)
    changes: list[Change] = []
    window.session.changed.connect(changes.append)
    results.method.activated.emit(results.method.currentIndex())
    assert changes == []
    results.method.setCurrentIndex((results.method.currentIndex() + 1) % results.method.count())
    results.method.activated.emit(results.method.currentIndex())
    assert changes == [Change.VIEW] and window.session.method == results.method.currentData()


def test_a_weight_edit_keeps_the_number_columns_as_the_user_sized_them(window: MainWindow, scored_eval: int) -> None:
    """The number columns are fitted when rows or scales change, not re-measured after every weight
    edit and tab switch (which also took away the user's own column widths)."""
    helpers.open_eval(window, scored_eval)
    screen = helpers.show(window, CriteriaScreen)
    assert isinstance(screen, CriteriaScreen) and window.session is not None
    header = screen.tree.header()
    fitted = header.sectionSize(WEIGHT)
    header.resizeSection(WEIGHT, fitted + 40)  # the user drags the column wider
    criterion = window.session.snapshot.criteria[1]
    assert screen.set_weight(criterion.id, criterion.weight + 5.0)
    assert window.session.snapshot.criteria[1].weight == criterion.weight + 5.0
    for other in (VendorsScreen, CriteriaScreen):
        helpers.show(window, other)
    assert header.sectionSize(WEIGHT) == fitted + 40
