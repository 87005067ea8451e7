"""AHP, blind and two-envelope modes, consensus, finalised read-only, drag to reorder, drop to import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.helpers import declare_no_conflict, drive_modal, open_eval, show
from vendor_eval.services import evaluations, evaluators, scores
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.ahp_dialog import AhpDialog
from vendor_eval.ui.import_wizard import ImportWizard
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.models.criteria_tree import MIME
from vendor_eval.ui.screens.committee import CommitteeScreen, ConsensusDialog
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.scoring import ScoringScreen


def _criteria_of_first_group(db: Database, evaluation_id: int) -> list:
    snap = load_snapshot(db, evaluation_id)
    return [c for c in snap.criteria if c.group_id == snap.groups[0].id]


@pytest.mark.parametrize("accept", [False, True])
def test_ahp_weights_apply_only_on_accept(window: MainWindow, db: Database, scored_eval: int, accept: bool) -> None:
    open_eval(window, scored_eval)
    criteria = show(window, CriteriaScreen)
    before = [c.weight for c in _criteria_of_first_group(db, scored_eval)]
    criteria.tree.setCurrentIndex(criteria.model.index(0, 0))  # the first group: compare its criteria
    seen: dict[str, str] = {}

    def judge(dialog: QDialog) -> None:
        assert isinstance(dialog, AhpDialog)
        n = dialog.model.rowCount()
        for j in range(1, n):
            assert dialog.model.setData(dialog.model.index(0, j), "5")  # the first criterion matters most
        seen["cr"] = dialog.result_label.text()
        dialog.accept() if accept else dialog.reject()

    errors = drive_modal(AhpDialog, judge)
    criteria.ahp_button.click()
    assert not errors, errors
    assert "Consistency ratio" in seen["cr"]
    after = [c.weight for c in _criteria_of_first_group(db, scored_eval)]
    if accept:
        assert after[0] > 2 * max(after[1:]) and sum(after) == pytest.approx(100)
    else:
        assert after == before


def test_blind_mode_hides_other_scores_until_submitted(window: MainWindow, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    second = evaluators.add_evaluator(db, scored_eval, "Sam Okafor", "officer", role="PACS/IT lead")
    declare_no_conflict(db, scored_eval, second)
    open_eval(window, scored_eval)
    scoring = show(window, ScoringScreen)
    scoring.evaluator.setCurrentIndex(scoring.evaluator.findData(second))
    scoring.evaluator.activated.emit(scoring.evaluator.currentIndex())
    tip = scoring.model.data(scoring.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Dr. Ana Ruiz" not in tip and "Blind mode" in scoring.mode.text()
    scoring.submit_button.click()  # Sam submits: the others' scores become visible to him
    assert load_snapshot(db, scored_eval).evaluators[1].submitted_at is not None
    tip = scoring.model.data(scoring.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Dr. Ana Ruiz" in tip
    _ = snap


def test_two_envelope_mode_seals_cost_criteria_for_technical_evaluators(window: MainWindow, db: Database,
                                                                         scored_eval: int) -> None:
    evaluations.update_settings(db, scored_eval, "officer", two_envelope=True)
    tech = evaluators.add_evaluator(db, scored_eval, "Lee Chen", "officer", envelope="technical")
    snap = load_snapshot(db, scored_eval)
    cost_rows = [i for i, c in enumerate(snap.criteria) if c.is_cost]
    assert cost_rows, "the imaging template has price criteria"
    open_eval(window, scored_eval)
    window.session.current_evaluator_id = tech  # type: ignore[union-attr]
    scoring = show(window, ScoringScreen)
    scoring.refresh()
    cell = scoring.model.index(cost_rows[0], 0)
    assert scoring.model.data(cell) == "sealed"
    assert not scoring.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert "Two envelopes" in scoring.mode.text()


def test_consensus_is_set_in_place_with_a_reason(window: MainWindow, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    crit = snap.criteria[1]
    other = evaluators.add_evaluator(db, scored_eval, "Sam Okafor", "officer")
    scores.record_score(db, scored_eval, other, snap.vendors[0].id, crit.id, crit.scale_min, "officer")
    open_eval(window, scored_eval)
    committee = show(window, CommitteeScreen)
    assert "1 cell must be discussed" in committee.summary.text()

    def agree(dialog: QDialog) -> None:
        assert isinstance(dialog, ConsensusDialog)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # no reason, no consensus
        dialog.value.setValue(3)
        dialog.reason.setText("Vendor demo showed partial coverage")
        assert ok.isEnabled()
        ok.click()

    errors = drive_modal(ConsensusDialog, agree)
    committee.set_consensus(committee.model.index(1, 0))
    assert not errors, errors
    [agreed] = load_snapshot(db, scored_eval).consensus
    assert (agreed.value, agreed.reason) == (3.0, "Vendor demo showed partial coverage")
    assert committee.model.data(committee.model.index(1, 0)) == "3 ✓"
    assert "0 cells must be discussed" in committee.summary.text()  # the counter follows the consensus
    window.undo_action.trigger()
    assert load_snapshot(db, scored_eval).consensus == ()


def test_finalised_evaluation_is_read_only(qtbot, window: MainWindow, db: Database, scored_eval: int) -> None:
    from vendor_eval.services import lifecycle

    lifecycle.finalise(db, scored_eval, "officer")
    open_eval(window, scored_eval)
    assert "read-only" in window.windowTitle()
    scoring = show(window, ScoringScreen)
    before = load_snapshot(db, scored_eval).scores
    scoring.view.setCurrentIndex(scoring.model.index(1, 0))
    qtbot.keyClick(scoring.view, Qt.Key.Key_1)
    assert load_snapshot(db, scored_eval).scores == before
    criteria = show(window, CriteriaScreen)
    assert not criteria.normalise_button.isEnabled()
    assert not window.import_action.isEnabled()


def test_drag_a_criterion_to_reorder_it(window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    criteria = show(window, CriteriaScreen)
    first_group = criteria.model.index(0, 0)
    order = [c.id for c in _criteria_of_first_group(db, scored_eval)]
    mime = criteria.model.mimeData([criteria.model.index(0, 0, first_group)])
    assert mime.hasFormat(MIME)
    criteria.model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, first_group)  # as the tree view does
    QApplication.processEvents()  # the move runs once the drag has returned
    moved = [c.id for c in sorted(_criteria_of_first_group(db, scored_eval), key=lambda c: c.position)]
    assert moved == order[1:3] + [order[0]] + order[3:]
    window.undo_action.trigger()
    assert [c.id for c in sorted(_criteria_of_first_group(db, scored_eval), key=lambda c: c.position)] == order


def test_dropping_xlsx_files_opens_the_import_wizard(window: MainWindow, imaging_eval: int, tmp_path: Path) -> None:
    workbook = tmp_path / "vendor answers.xlsx"
    workbook.write_bytes(b"not really a workbook")
    open_eval(window, imaging_eval)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(workbook))])
    seen: list[list[Path]] = []

    def look(wizard: QDialog) -> None:
        assert isinstance(wizard, ImportWizard)
        seen.append(wizard.files_page.files())
        wizard.next()
        seen.append([Path(r.file_name) for r in wizard.check_page.results if not r.ok])
        wizard.reject()

    errors = drive_modal(ImportWizard, look)
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    QApplication.processEvents()
    assert not errors, errors
    assert seen == [[workbook], [Path(workbook.name)]]  # listed, then refused by validation
