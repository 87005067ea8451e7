"""User flows through the real widgets: create, weigh, score, undo, import, disqualify, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDialog, QLineEdit, QMessageBox, QPushButton

from tests.ui.helpers import declare_no_conflict, drive_modal, open_eval, show
from vendor_eval.errors import UserError
from vendor_eval.paths import sample_data_dir
from vendor_eval.services import evaluations, evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.declaration_dialog import DeclarationDialog
from vendor_eval.ui.import_wizard import ImportWizard
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.models.criteria_tree import WEIGHT
from vendor_eval.ui.new_evaluation_dialog import NewEvaluationDialog
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.results import ResultsScreen
from vendor_eval.ui.screens.scoring import ScoringScreen

IMAGING = "Medical imaging outsourcing and teleradiology"


def _type_into_editor(qtbot, view, index, text: str) -> None:  # type: ignore[no-untyped-def]
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)  # the delegate's editor, as a double-click opens it
    assert editor is not None
    if isinstance(editor, QAbstractSpinBox):
        editor.selectAll()
    elif isinstance(editor, QLineEdit):
        editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Enter through a queued call


def test_create_evaluation_from_imaging_template(qtbot, window: MainWindow, db: Database) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, NewEvaluationDialog)
        dialog.template.setCurrentIndex(dialog.template.findText(IMAGING))
        assert "criteria in" in dialog.description.text()
        qtbot.keyClicks(dialog.name, "Night-reads RFP 2026")
        qtbot.keyClicks(dialog.organisation, "Lakeside Imaging Centre")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    errors = drive_modal(NewEvaluationDialog, fill)
    window.new_action.trigger()
    assert not errors, errors
    [summary] = evaluations.list_evaluations(db)
    assert (summary.name, summary.organisation, summary.status) == (
        "Night-reads RFP 2026", "Lakeside Imaging Centre", "draft")
    assert summary.criteria > 40
    assert window.session is not None and window.session.evaluation_id == summary.id
    criteria = show(window, CriteriaScreen)
    assert criteria.model.rowCount() == len(load_snapshot(db, summary.id).groups)
    assert window.list_model.rowCount() == 1
    assert "Night-reads RFP 2026" in window.windowTitle()


def test_change_a_weight_and_see_the_ranking_change(qtbot, window: MainWindow, db: Database,
                                                    scored_eval: int) -> None:
    open_eval(window, scored_eval)
    criteria = show(window, CriteriaScreen)
    assert criteria.preview_model.row(0).name == "Beta Imaging"
    group_weight = criteria.model.index(0, WEIGHT)
    _type_into_editor(qtbot, criteria.tree, group_weight, "90")
    assert load_snapshot(db, scored_eval).groups[0].weight == 90.0  # saved at once
    assert criteria.preview_model.row(0).name == "Alpha Reads"  # the ranking followed
    assert criteria.warning.isVisible() and "sum to 175.0 %" in criteria.warning.text()  # a warning, not rescaling
    results = show(window, ResultsScreen)
    assert results.model.row(0).name == "Alpha Reads"
    qtbot.mouseClick(criteria.normalise_button, Qt.MouseButton.LeftButton)  # one-click normalise
    assert abs(sum(g.weight for g in load_snapshot(db, scored_eval).groups) - 100) < 1e-6
    window.undo_action.trigger()  # undo the normalise, then the weight change
    window.undo_action.trigger()
    assert load_snapshot(db, scored_eval).groups[0].weight == pytest.approx(15.0, abs=0.5)
    assert results.model.row(0).name == "Beta Imaging"


def _fresh_scoring(db: Database, imaging_eval: int) -> tuple[int, int]:
    vendor = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    person = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    declare_no_conflict(db, imaging_eval, person)
    return vendor, person


def test_score_by_keyboard_is_saved_then_undone(qtbot, window: MainWindow, db: Database, imaging_eval: int) -> None:
    vendor, person = _fresh_scoring(db, imaging_eval)
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    view, model = scoring.view, scoring.model
    first, second = model.criteria[0], model.criteria[1]
    view.setCurrentIndex(model.index(0, 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_4)
    qtbot.keyClick(view, Qt.Key.Key_2)
    stored = {(s.criterion_id, s.value) for s in load_snapshot(db, imaging_eval).scores}
    assert stored == {(first.id, 4.0), (second.id, 2.0)}  # each digit saved and moved on
    assert view.currentIndex().row() == 2
    assert model.data(model.index(0, 0)) == "4"
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter moves on without scoring
    assert view.currentIndex().row() == 3
    window.undo_action.trigger()
    assert {s.criterion_id for s in load_snapshot(db, imaging_eval).scores} == {first.id}
    assert model.data(model.index(1, 0)) == ""
    window.redo_action.trigger()
    assert len(load_snapshot(db, imaging_eval).scores) == 2
    # A knock-out score below its minimum is refused by nobody but shown red; out of scale is refused.
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_9)
    assert "between 0 and 5" in window.statusBar().currentMessage()
    assert load_snapshot(db, imaging_eval).scores[0].value == 4.0
    _ = person, vendor


def test_comment_and_delete_by_keyboard(qtbot, monkeypatch, window: MainWindow, db: Database,
                                        imaging_eval: int) -> None:
    from PySide6.QtWidgets import QInputDialog

    _fresh_scoring(db, imaging_eval)
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    view = scoring.view
    view.setCurrentIndex(scoring.model.index(3, 0))
    qtbot.keyClick(view, Qt.Key.Key_3)
    view.setCurrentIndex(scoring.model.index(3, 0))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("24/7 coverage confirmed", True))
    qtbot.keyClick(view, Qt.Key.Key_C)
    [saved] = load_snapshot(db, imaging_eval).scores
    assert (saved.value, saved.comment) == (3.0, "24/7 coverage confirmed")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert load_snapshot(db, imaging_eval).scores == ()


def _sample(name: str) -> Path:
    return sample_data_dir() / "questionnaires" / name


def test_import_questionnaires_through_the_wizard(qtbot, monkeypatch, window: MainWindow, db: Database) -> None:
    from PySide6.QtWidgets import QFileDialog

    # The sample questionnaires answer the current imaging template, for evaluation 1 of a fresh file.
    imaging_eval = evaluations.create_from_template(db, IMAGING, "Teleradiology RFP", "officer")

    evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    good, bad = _sample("bluestem.xlsx"), _sample("thriftread_first_submission_with_errors.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(good), str(bad)], ""))
    open_eval(window, imaging_eval)
    seen: dict[str, str] = {}

    def steps(wizard: QDialog) -> None:
        assert isinstance(wizard, ImportWizard)
        add = next(b for b in wizard.files_page.findChildren(QPushButton) if b.text() == "Add files…")
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        assert wizard.files_page.model.rowCount() == 2
        wizard.next()  # validate each file (dry run)
        check = wizard.check_page
        assert [r.ok for r in check.results] == [True, False]
        check.view.selectRow(1)
        seen["details"] = check.details.toPlainText()
        assert check.isComplete()
        wizard.next()  # import the valid file only
        seen["status"] = wizard.import_page.status.text()
        wizard.accept()

    errors = drive_modal(ImportWizard, steps)
    window.import_action.trigger()
    assert not errors, errors
    assert "Questions!G6" in seen["details"]  # the cell-level error of the invalid file (STAT minutes)
    assert "Imported 1 file" in seen["status"]
    snap = load_snapshot(db, imaging_eval)
    assert [v.name for v in snap.vendors] == ["Bluestem Reading Group"]  # ThriftRead's file changed nothing
    assert len(snap.answers) == 69 and snap.suggestions
    # The suggested score shows in the grid and one key accepts it.
    scoring = show(window, ScoringScreen)
    suggestion = snap.suggestions[0]
    index = scoring.model.cell(suggestion.vendor_id, suggestion.criterion_id)
    assert scoring.model.data(index) == f"({suggestion.value:g}?)"
    scoring.view.setCurrentIndex(index)
    # She declares her conflicts of interest (the button the screen shows), then scores.
    monkeypatch.setattr(DeclarationDialog, "exec", lambda self: 1)  # OK with no vendor ticked
    assert scoring.declare_button.isVisible()
    scoring.declare_button.click()
    qtbot.keyClick(scoring.view, Qt.Key.Key_A)
    after = load_snapshot(db, imaging_eval)
    [score] = after.scores
    assert (score.criterion_id, score.value) == (suggestion.criterion_id, suggestion.value)
    assert [d.vendor_ids for d in after.declarations] == [()]


def test_no_score_before_a_declaration(qtbot, monkeypatch, window: MainWindow, db: Database,
                                       imaging_eval: int) -> None:
    vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    # A keystroke never opens the dialog (the keys after it would land in its text field): refused, said why.
    scoring.view.setCurrentIndex(scoring.model.index(0, 0))
    qtbot.keyClick(scoring.view, Qt.Key.Key_4)
    snap = load_snapshot(db, imaging_eval)
    assert snap.scores == () and snap.declarations == ()
    assert "has not declared conflicts of interest" in window.statusBar().currentMessage()
    assert scoring.declare_button.isVisible()


def test_declaration_asked_when_the_evaluator_is_picked_and_no_digit_lost(qtbot, monkeypatch, window: MainWindow,
                                                                         db: Database, imaging_eval: int) -> None:
    vendor, first = _fresh_scoring(db, imaging_eval)
    newcomer = evaluators.add_evaluator(db, imaging_eval, "Sam Okafor", "officer")
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    asked: list[bool] = []
    monkeypatch.setattr(DeclarationDialog, "exec", lambda self: asked.append(self.evaluator.isEnabled()) or 1)
    box = scoring.evaluator
    box.setCurrentIndex(box.findData(newcomer))
    box.activated.emit(box.currentIndex())  # picked in "Scoring as": the declaration is asked now
    assert asked == [False]  # once, for this evaluator only
    assert not scoring.declare_button.isVisible()
    scoring.view.setCurrentIndex(scoring.model.index(0, 0))
    for key in (Qt.Key.Key_4, Qt.Key.Key_2, Qt.Key.Key_5, Qt.Key.Key_1):
        qtbot.keyClick(scoring.view, key)
    snap = load_snapshot(db, imaging_eval)
    mine = sorted((snap.index_of("criterion", s.criterion_id), s.value) for s in snap.scores
                  if s.evaluator_id == newcomer)
    assert mine == [(0, 4.0), (1, 2.0), (2, 5.0), (3, 1.0)]  # every digit landed as a score
    assert [d.evaluator_id for d in snap.declarations] == [first, newcomer]
    _ = vendor


def test_submitted_evaluator_withdraws_before_changing_a_score(qtbot, monkeypatch, window: MainWindow,
                                                               db: Database, imaging_eval: int) -> None:
    vendor, person = _fresh_scoring(db, imaging_eval)
    first = load_snapshot(db, imaging_eval).criteria[0]
    scores.record_score(db, imaging_eval, person, vendor, first.id, 3, "officer")
    evaluators.set_submitted(db, imaging_eval, person, True, "officer")
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    prompts: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: prompts.append(text) or answer[0])
    scoring.view.setCurrentIndex(scoring.model.index(0, 0))
    qtbot.keyClick(scoring.view, Qt.Key.Key_5)
    assert "withdraw the submission" in prompts[0]
    after = load_snapshot(db, imaging_eval)
    assert [s.value for s in after.scores] == [3.0] and after.evaluators[0].submitted_at is not None
    answer[0] = QMessageBox.StandardButton.Yes
    scoring.view.setCurrentIndex(scoring.model.index(0, 0))
    qtbot.keyClick(scoring.view, Qt.Key.Key_5)
    after = load_snapshot(db, imaging_eval)
    assert [s.value for s in after.scores] == [5.0] and after.evaluators[0].submitted_at is None
    assert scoring.submit_button.text() == "Submit my scoring"
    # The service holds the line too (CLI, scripts): no score from a submitted evaluator.
    evaluators.set_submitted(db, imaging_eval, person, True, "officer")
    with pytest.raises(UserError, match="withdraw the submission"):
        scores.record_score(db, imaging_eval, person, vendor, first.id, 1, "officer")


def test_disqualified_vendor_is_shown_with_its_reason(window: MainWindow, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    stat = next(c for c in snap.criteria if c.key == "sla.stat_turnaround")
    beta = next(v for v in snap.vendors if v.name == "Beta Imaging")
    scores.record_score(db, scored_eval, snap.evaluators[0].id, beta.id, stat.id, 1, "officer")
    open_eval(window, scored_eval)
    results = show(window, ResultsScreen)
    rows = {r.name: r for r in results.model.rows()}
    assert rows["Beta Imaging"].disqualified
    row = results.model.rows().index(rows["Beta Imaging"])
    assert results.model.data(results.model.index(row, 3)) == "Disqualified"
    assert "STAT turnaround commitment" in results.model.data(results.model.index(row, 4))
    assert results.model.row(0).name == "Alpha Reads"


def test_export_pdf_report(monkeypatch, window: MainWindow, scored_eval: int, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "committee report"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF documents (*.pdf)"))
    open_eval(window, scored_eval)
    assert window.export_pdf_action.isEnabled()
    window.export_pdf_action.trigger()
    written = target.with_suffix(".pdf")
    assert written.read_bytes()[:5] == b"%PDF-"
    assert str(written) in window.statusBar().currentMessage()


def test_delete_asks_for_confirmation(monkeypatch, window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    window.list_view.selectRow(0)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    window.delete_action.trigger()
    assert len(evaluations.list_evaluations(db)) == 1  # "No" kept it
    window.delete_action.trigger()
    assert evaluations.list_evaluations(db) == []
    assert window.session is None and window.stack.currentWidget() is window.welcome


def test_duplicate_then_open_from_the_list(monkeypatch, window: MainWindow, db: Database, scored_eval: int) -> None:
    from PySide6.QtWidgets import QInputDialog

    window.refresh_list()
    window.list_view.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Copy for 2027", True))
    window.duplicate_action.trigger()
    names = {s.name: s for s in evaluations.list_evaluations(db)}
    assert set(names) == {"Teleradiology RFP", "Copy for 2027"}
    assert names["Copy for 2027"].scores == 0 and names["Copy for 2027"].vendors == 2
    assert window.session is not None and window.session.evaluation_id == names["Copy for 2027"].id
    row = next(i for i, s in enumerate(window.list_model.rows()) if s.name == "Teleradiology RFP")
    window.list_view.doubleClicked.emit(window.list_model.index(row, 0))
    assert window.session.evaluation_id == scored_eval


def test_edit_refused_shows_a_sentence_not_a_traceback(window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    criteria = show(window, CriteriaScreen)
    index = criteria.model.index(0, WEIGHT, criteria.model.index(0, 0))
    assert criteria.model.setData(index, "-5") is False
    assert "must be zero or more" in window.statusBar().currentMessage()
    assert not window.session.undo_stack.canUndo()  # type: ignore[union-attr]


def test_empty_states_guide_the_user(window: MainWindow, imaging_eval: int) -> None:
    assert "File ▸ New evaluation" in window.welcome.text()
    open_eval(window, imaging_eval)
    scoring = show(window, ScoringScreen)
    assert scoring.empty.isVisible() and "add vendors and evaluators" in scoring.empty.text()
    results = show(window, ResultsScreen)
    assert results.model.rowCount() == 0 and results.message.isVisible()
    _ = QModelIndex
