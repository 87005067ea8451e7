"""Every step of the RFP in the window: build the criteria tree, settings, cost lines and
scenarios, finalise and reopen. Each flow checks the database and what the screen shows."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QMessageBox

from tests.ui.helpers import drive_modal, open_eval, show
from vendor_eval.services import scores
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.changes import Change
from vendor_eval.ui.dialogs.costs_dialog import AMOUNT, S_RATES, CostsDialog
from vendor_eval.ui.dialogs.criterion_form import CriterionForm
from vendor_eval.ui.dialogs.finalise_dialog import FinaliseDialog, ReopenDialog
from vendor_eval.ui.dialogs.settings_dialog import SettingsDialog
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.models.criteria_tree import ID_ROLE, NAME
from vendor_eval.ui.new_evaluation_dialog import NewEvaluationDialog
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.overview import OverviewScreen
from vendor_eval.ui.screens.tariffs import TariffsScreen


def _select(screen: CriteriaScreen, item_id: int, group: bool = False) -> None:
    model = screen.model
    for g in range(model.rowCount()):
        group_index = model.index(g, 0)
        if group and model.data(group_index, ID_ROLE) == item_id:
            screen.tree.setCurrentIndex(group_index)
            return
        for c in range(model.rowCount(group_index)):
            if not group and model.data(model.index(c, 0, group_index), ID_ROLE) == item_id:
                screen.tree.setCurrentIndex(model.index(c, 0, group_index))
                return
    raise AssertionError(f"{item_id} is not in the tree")


def _names(screen: CriteriaScreen) -> list[str]:
    return [screen.model.data(screen.model.index(r, NAME)) for r in range(screen.model.rowCount())]


def _texts(widget: QDialog) -> str:
    """Everything a user can read in the dialog: labels, combo entries, table cells."""
    from PySide6.QtWidgets import QComboBox, QTableWidget

    parts = [w.text() for w in widget.findChildren(QLabel)]
    for box in widget.findChildren(QComboBox):
        parts += [box.itemText(i) for i in range(box.count())]
    for table in widget.findChildren(QTableWidget):
        parts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                  if table.item(r, c) is not None]
    return "\n".join(parts)


def test_build_the_criteria_tree(qtbot, window: MainWindow, db: Database, scored_eval: int,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    open_eval(window, scored_eval)
    screen = show(window, CriteriaScreen)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Tele-stroke", True))
    screen.add_group_action.trigger()
    snap = load_snapshot(db, scored_eval)
    assert snap.groups[-1].name == "Tele-stroke"
    assert _names(screen)[-1] == "Tele-stroke"
    assert screen.model.item(screen.tree.currentIndex()) == snap.groups[-1]  # the new group is selected

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CriterionForm)
        assert dialog.group.currentText() == "Tele-stroke"  # the selected group
        assert not dialog.ok_button.isEnabled() and "name" in dialog.error.text()
        qtbot.keyClicks(dialog.name, "Door-to-read time")
        qtbot.keyClicks(dialog.provide, "Last quarter's door-to-read log")
        dialog.scale_max.setValue(10)
        dialog.knockout.setChecked(True)
        dialog.pass_mark.setValue(12)  # off the scale: said at once, and Save waits
        assert "pass mark must lie on the scale, from 0 to 10" in dialog.error.text()
        assert not dialog.ok_button.isEnabled()
        dialog.pass_mark.setValue(4)
        dialog.descriptors.item(10, 1).setText("Read within 30 minutes, every time")
        dialog.answer_type.setCurrentIndex(dialog.answer_type.findData("number"))
        dialog.unit.setText("minutes")
        dialog.rule_kind.setCurrentIndex(dialog.rule_kind.findData("thresholds"))
        dialog.add_step.click()
        dialog.pairs.item(0, 0).setText("30")
        dialog.pairs.item(0, 1).setText("12")  # a score off the scale
        assert "suggests 12, which is off the scale 0 to 10" in dialog.error.text()
        dialog.pairs.item(0, 1).setText("10")
        dialog.add_step.click()
        dialog.pairs.item(1, 0).setText("60")
        dialog.pairs.item(1, 1).setText("5")
        dialog.otherwise.setText("0")
        assert dialog.ok_button.isEnabled(), dialog.error.text()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(CriterionForm, fill)
    screen.add_criterion_action.trigger()
    assert not errors, errors
    snap = load_snapshot(db, scored_eval)
    new = next(c for c in snap.criteria if c.name == "Door-to-read time")
    assert new.group_id == snap.groups[-1].id
    assert (new.scale_min, new.scale_max, new.knockout, new.knockout_min) == (0.0, 10.0, True, 4.0)
    assert new.scoring_rule == {"kind": "thresholds", "thresholds": [[30.0, 10.0], [60.0, 5.0]], "otherwise": 0.0,
                                "better": "lower"}
    assert new.descriptors == {"10": "Read within 30 minutes, every time"}
    assert new.provide == "Last quarter's door-to-read log"  # what the questionnaire asks vendors to attach
    assert screen.current_criterion() is not None and screen.current_criterion().id == new.id
    detail = screen.detail_text.text()
    assert "up to 30 minutes → 10" in detail and "Knock-out" in detail
    assert "thresholds" not in detail and "kind" not in detail

    # Rename the group in place, move it up, undo the rename.
    group = snap.groups[-1]
    screen.model.setData(screen.model.index(len(snap.groups) - 1, NAME), "Stroke reads")
    assert load_snapshot(db, scored_eval).groups[-1].name == "Stroke reads"
    _select(screen, group.id, group=True)
    screen.up_action.trigger()
    moved = load_snapshot(db, scored_eval)
    assert moved.groups[-2].id == group.id
    assert _names(screen)[-2] == "Stroke reads"
    window.undo_action.trigger()  # the move
    window.undo_action.trigger()  # the rename
    assert load_snapshot(db, scored_eval).groups[-1].name == "Tele-stroke"
    assert _names(screen)[-1] == "Tele-stroke"

    # Delete a criterion that has scores, after the confirmation names them.
    victim = snap.criteria[0]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    _select(screen, victim.id)
    screen.delete_action.trigger()
    assert "and the 2 scores given on it" in asked[0]
    after = load_snapshot(db, scored_eval)
    assert victim.id not in {c.id for c in after.criteria}
    assert not [s for s in after.scores if s.criterion_id == victim.id]
    group_row = screen.model.index(0, 0)
    shown = {screen.model.data(screen.model.index(r, 0, group_row), ID_ROLE)
             for r in range(screen.model.rowCount(group_row))}
    assert victim.id not in shown


def test_edit_a_criterion_rule_in_words(qtbot, window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, CriteriaScreen)
    crit = next(c for c in window.session.snapshot.criteria  # type: ignore[union-attr]
                if c.scoring_rule and c.scoring_rule["kind"] == "choice_map")
    _select(screen, crit.id)
    assert "choice_map" not in screen.detail_text.text() and crit.key not in screen.detail_text.text()
    first_choice = crit.choices[0]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CriterionForm)
        shown = _texts(dialog)
        assert "choice_map" not in shown and crit.key not in shown and "{" not in shown
        assert dialog.rule_kind.currentText() == "Points per choice"  # vocabulary.RULE_KINDS, in words
        assert dialog.pairs.item(0, 0).text() == first_choice
        dialog.pairs.item(0, 1).setText("4")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(CriterionForm, fill)
    screen.edit_action.trigger()
    assert not errors, errors
    saved = next(c for c in load_snapshot(db, scored_eval).criteria if c.id == crit.id)
    assert saved.scoring_rule is not None and saved.scoring_rule["map"][first_choice] == 4.0
    assert f"{first_choice} → 4" in screen.detail_text.text()
    window.undo_action.trigger()
    restored = next(c for c in load_snapshot(db, scored_eval).criteria if c.id == crit.id)
    assert restored.scoring_rule == crit.scoring_rule


def test_settings_dialog_changes_the_policy_the_results_ask_for(qtbot, window: MainWindow, db: Database,
                                                                scored_eval: int) -> None:
    open_eval(window, scored_eval)
    overview = show(window, OverviewScreen)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.missing_policy.setCurrentIndex(dialog.missing_policy.findData("renormalise"))
        dialog.must_discuss.setValue(10)  # below "discuss" (20 %): refused in the form
        assert "must be above 'discuss'" in dialog.error.text() and not dialog.save_button.isEnabled()
        dialog.must_discuss.setValue(40)
        dialog.two_envelope.setChecked(True)
        dialog.price_formula.setCurrentIndex(dialog.price_formula.findData("linear"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(SettingsDialog, fill)
    overview.settings_button.click()
    assert not errors, errors
    info = load_snapshot(db, scored_eval).evaluation
    assert (info.missing_policy, info.must_discuss_threshold, info.two_envelope, info.price_formula) == (
        "renormalise", 0.40, True, "linear")
    from vendor_eval.ui import engine

    result, _ = engine.try_rank(window.session)  # type: ignore[arg-type]
    assert result is not None and result.variant["missing_policy"] == "renormalise"  # what Results ranks with
    assert overview.policy_label.text() == "A cell without a score is left out and the vendor's remaining weights " \
        "are rescaled to 100 %"  # vocabulary.MISSING_POLICIES, in words
    assert overview.envelope.isChecked()


def test_costs_dialog_keeps_what_was_typed_when_a_rate_is_invalid(qtbot, window: MainWindow, db: Database,
                                                                  scored_eval: int) -> None:
    open_eval(window, scored_eval)
    screen = show(window, TariffsScreen)
    assert screen.lines.rowCount() == 0
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CostsDialog)
        dialog._add_defaults()
        china = next(r for r in range(dialog.scenarios.rowCount()) if "China" in dialog.scenarios.item(r, 0).text())
        dialog.scenarios.item(china, S_RATES).setText("China=lots")
        dialog._add_line_row(None)
        dialog.lines.item(0, AMOUNT).setText("120,000")
        dialog.lines.item(0, 5).setText("China")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # refused: still open
        seen["error"] = dialog.error.text()
        seen["kept"] = dialog.scenarios.item(china, S_RATES).text()
        assert load_snapshot(db, scored_eval).tariff_scenarios == ()  # nothing half-saved
        dialog.scenarios.item(china, S_RATES).setText("China=30%")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)

    errors = drive_modal(CostsDialog, fill)
    screen.add_button.click()
    assert not errors, errors
    assert "rates: The tariff rate for 'China' must be a number or a percentage" in seen["error"]
    assert seen["kept"] == "China=lots"
    snap = load_snapshot(db, scored_eval)
    assert len(snap.tariff_scenarios) == 4
    assert next(s for s in snap.tariff_scenarios if "China" in s.name).rates == {"China": 0.30}
    [line] = snap.cost_lines
    assert (line.annual_amount, line.origin_country, line.vendor_id) == (120000.0, "China", snap.vendors[0].id)
    assert screen.scenarios.rowCount() == 4
    assert screen.lines.rowCount() == 1  # the vendor with a cost line, shown at once


def test_an_invalid_rate_typed_in_the_table_opens_the_dialog_with_it(qtbot, window: MainWindow, db: Database,
                                                                      scored_eval: int) -> None:
    from vendor_eval.services import tariffs

    tariffs.create_default_scenarios(db, scored_eval, "officer")
    open_eval(window, scored_eval)
    screen = show(window, TariffsScreen)
    row = next(i for i, s in enumerate(screen.scenarios.rows()) if "China" in s.name)
    seen: dict[str, str] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, CostsDialog)
        seen["rates"] = dialog.scenarios.item(row, S_RATES).text()
        seen["error"] = dialog.error.text()
        dialog.reject()

    errors = drive_modal(CostsDialog, look)
    assert not screen.scenarios.setData(screen.scenarios.index(row, 1), "China=twenty")
    qtbot.waitUntil(lambda: "rates" in seen, timeout=5000)
    assert not errors, errors
    assert seen["rates"] == "China=twenty"
    assert "'China' must be a number or a percentage" in seen["error"]


def test_finalise_lists_what_blocks_before_asking_then_reopen_needs_a_reason(
        qtbot, window: MainWindow, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    one = snap.scores[0]
    scores.clear_score(db, scored_eval, one.evaluator_id, one.vendor_id, one.criterion_id, "officer")
    open_eval(window, scored_eval)
    overview = show(window, OverviewScreen)
    seen: dict[str, object] = {}

    def blocked(dialog: QDialog) -> None:
        assert isinstance(dialog, FinaliseDialog)
        seen["list"] = dialog.list.text()
        seen["question"] = dialog.question.text()
        seen["freeze"] = dialog.freeze_button.isEnabled()
        seen["fix"] = "settings" in dialog.fix_buttons
        dialog.reject()

    errors = drive_modal(FinaliseDialog, blocked)
    overview.finalise_button.click()
    assert not errors, errors
    assert "1 cell has no score and the missing-score policy is &#x27;block&#x27;" in str(seen["list"])
    assert seen["freeze"] is False and seen["fix"] is True
    assert "Freeze the ranking?" not in str(seen["question"])
    assert load_snapshot(db, scored_eval).evaluation.status != "finalised"

    scores.record_score(db, scored_eval, one.evaluator_id, one.vendor_id, one.criterion_id, one.value, "officer")
    window.session.reload()  # type: ignore[union-attr]

    def freeze(dialog: QDialog) -> None:
        assert isinstance(dialog, FinaliseDialog)
        assert "has not submitted" in dialog.list.text()  # a warning, listed before the question
        assert "Freeze the ranking?" in dialog.question.text() and dialog.freeze_button.isEnabled()
        qtbot.mouseClick(dialog.freeze_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(FinaliseDialog, freeze)
    overview.finalise_button.click()
    assert not errors, errors
    assert load_snapshot(db, scored_eval).evaluation.status == "finalised"
    assert overview.reopen_button.isVisible() and not overview.finalise_button.isVisible()
    criteria = show(window, CriteriaScreen)
    assert not criteria.add_group_action.isEnabled() and not criteria.delete_action.isEnabled()  # read-only
    show(window, OverviewScreen)

    def reopen(dialog: QDialog) -> None:
        assert isinstance(dialog, ReopenDialog)
        assert not dialog.reopen_button.isEnabled()  # no reason, no reopening
        qtbot.keyClicks(dialog.reason, "Corrected price from Beta Imaging")
        qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)

    errors = drive_modal(ReopenDialog, reopen)
    overview.reopen_button.click()
    assert not errors, errors
    info = load_snapshot(db, scored_eval).evaluation
    assert info.status == "scoring"
    assert overview.finalise_button.isVisible()
    QApplication.processEvents()


def test_a_new_evaluation_starts_from_the_imaging_template(qtbot) -> None:
    dialog = NewEvaluationDialog()
    qtbot.addWidget(dialog)
    assert dialog.template.currentText() == "Medical imaging outsourcing and teleradiology"
    assert dialog.template_ref() == "Medical imaging outsourcing and teleradiology"


def test_the_evaluation_menu_opens_each_step(window: MainWindow, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&valuation")
    actions = {a.text(): a for a in menu.actions()}
    opened: list[str] = []
    for text, kind in (("Evaluation settings…", SettingsDialog), ("Cost lines and tariff scenarios…", CostsDialog),
                       ("Finalise…", FinaliseDialog)):
        errors = drive_modal(kind, lambda d: (opened.append(type(d).__name__), d.reject()))
        actions[text].trigger()
        assert not errors, errors
    assert opened == ["SettingsDialog", "CostsDialog", "FinaliseDialog"]


def test_overview_shows_the_declarations_in_force(window: MainWindow, db: Database, scored_eval: int) -> None:
    from vendor_eval.services import declarations, evaluators

    newcomer = evaluators.add_evaluator(db, scored_eval, "Tomasz Lind", "officer")
    open_eval(window, scored_eval)
    overview = show(window, OverviewScreen)
    assert "Not yet declared (conflict of interest): Tomasz Lind" in overview.undeclared.text()
    snap = window.session.snapshot  # type: ignore[union-attr]
    window.session.call(declarations.declare, newcomer, [snap.vendors[1].id], "officer",  # type: ignore[union-attr]
                        statement="Former employer", kind=Change.DECLARATIONS)
    text = overview.undeclared.text()
    assert "Every evaluator has declared" in text
    assert "Declared conflicts (they cannot score these vendors): Tomasz Lind: Beta Imaging." in text


def _same_as(expected: Any, actual: Any) -> None:
    """Two snapshots field by field (the audit chain's head moves on with every event, by design)."""
    import dataclasses

    for f in dataclasses.fields(expected):
        if f.compare and f.name != "audit_head":
            assert getattr(actual, f.name) == getattr(expected, f.name), f.name


def test_delete_criterion_and_group_then_undo_restores_exactly(qtbot, window: MainWindow, db: Database,  # type: ignore[no-untyped-def]
                                                               sample_eval, monkeypatch) -> None:
    from vendor_eval.services import audit_log

    eid = sample_eval
    before = load_snapshot(db, eid)
    # A criterion with scores, a consensus, vendors' answers, suggested scores and a condition of award.
    victim = next(c for c in before.criteria if c.name == "Data-protection agreement (mandatory)")
    on_it = [x for x in (before.consensus, before.answers, before.suggestions, before.award_conditions)
             if any(e.criterion_id == victim.id for e in x)]
    assert len(on_it) == 4 and any(s.criterion_id == victim.id for s in before.scores)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    open_eval(window, eid)
    screen = show(window, CriteriaScreen)
    _select(screen, victim.id)
    screen.delete_action.trigger()
    assert "Undo puts everything back" in asked[0]
    gone = load_snapshot(db, eid)
    assert victim.id not in {c.id for c in gone.criteria} and not any(c.criterion_id == victim.id for c in gone.consensus)
    assert window.undo_action.text() == f"&Undo Delete criterion {victim.name}"

    window.undo_action.trigger()
    _same_as(before, load_snapshot(db, eid))  # ids, versions, timestamps, positions, weights, descriptors
    _same_as(before, window.session.snapshot)  # type: ignore[union-attr]  # and the window shows it
    [restored, deleted] = audit_log.list_audit_events(db, eid, limit=2)
    assert (deleted.entity, deleted.entity_id, deleted.field) == ("criterion", victim.id, "deleted")
    assert (restored.entity, restored.entity_id, restored.field) == ("criterion", victim.id, "restored")
    assert deleted.reason == "28 scores, 1 consensus score, 7 answers, 7 suggested scores removed"  # 4 evaluators x 7 vendors
    assert restored.reason == "undo of the delete: 28 scores, 1 consensus score, 7 answers, 7 suggested scores put back"
    window.redo_action.trigger()  # deletes it again, then undo once more
    assert victim.id not in {c.id for c in load_snapshot(db, eid).criteria}
    window.undo_action.trigger()
    _same_as(before, load_snapshot(db, eid))

    # A whole group (not the last: the groups after it are renumbered by the delete, and back by the undo).
    group = before.groups[2]
    _select(screen, group.id, group=True)
    screen.delete_action.trigger()
    assert group.id not in {g.id for g in load_snapshot(db, eid).groups}
    window.undo_action.trigger()
    _same_as(before, load_snapshot(db, eid))
    assert list(audit_log.list_audit_events(db, eid, limit=1))[0].field == "restored"
