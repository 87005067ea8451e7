"""One source of truth: after any sequence of edits, every screen shows what a fresh window opened
on the same file shows, and Results ranks exactly as the services do.

A seeded random walk of GUI actions over the sample RFP (scores, clears, weights, consensus,
questionnaire import, vendor and criterion add/remove, scenario and method changes, undo, redo,
submissions and settings), each driven through the real window's screens, commands and dialogs.
After each action every screen of the window is visited (the user looks at it) and compared,
model by model, label by label and chart by chart, with a second window that opens the file afresh.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCharts import QAbstractBarSeries, QChartView, QXYSeries
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMessageBox, QWidget

from vendor_eval.paths import sample_data_dir
from vendor_eval.services import criteria, ranking
from vendor_eval.storage import Database, open_database
from vendor_eval.ui.changes import Change
from vendor_eval.ui.import_wizard import ImportWizard
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.audit import AuditScreen
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.screens.committee import CommitteeScreen, ConsensusDialog
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.results import ResultsScreen
from vendor_eval.ui.screens.scoring import ScoringScreen
from vendor_eval.ui.screens.sensitivity import SensitivityScreen
from vendor_eval.ui.screens.tariffs import TariffsScreen
from vendor_eval.ui.screens.vendors import VendorsScreen
from vendor_eval.ui.settings import Settings

ACTIONS = 200
# The walk runs in legs, side by side on pytest-xdist's workers: a leg replays the actions before
# its own (same seed, unchecked: the actions cost little, the comparisons most) and checks each
# of its own against a fresh window. Together they check the 200-action walk, every action once.
# The last step of each leg: the second leg replays the first's 110 actions (about a tenth of what
# checking them costs) and its evaluation has grown, so the first leg checks more steps.
LEG_ENDS = (110, ACTIONS)
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole)
MAX_ROWS = 120  # the audit log's newest changes; every other table is shorter
# The audit log and the sensitivity analysis read the database themselves (they cannot show an old
# snapshot) and cost most to show: they are compared every so many actions, and after the last.
SLOW_EVERY = 10
# Labels that follow the user's current cell or selection, not the file.
SELECTION_LABELS = {"info", "rule_label", "slider_label"}
HEX_ARGB = QColor.NameFormat.HexArgb


def _plain(value: Any) -> Any:
    return value.color().name(HEX_ARGB) if isinstance(value, QBrush) else value


def _model_state(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[Any]:
    # The walk's most repeated loop (about 10^6 values per leg): bound methods and a flat list.
    parent = parent or QModelIndex()
    rows: list[Any] = [model.rowCount(parent)]
    columns = range(model.columnCount(parent))
    index, data = model.index, model.data
    for r in range(min(model.rowCount(parent), MAX_ROWS)):
        indexes = [index(r, c, parent) for c in columns]
        cells = [data(i, role) for i in indexes for role in ROLES]
        cells = [_plain(v) if isinstance(v, QBrush) else v for v in cells]
        first = indexes[0] if indexes else model.index(r, 0, parent)
        rows.append((cells, _model_state(model, first) if model.rowCount(first) else []))
    if not parent.isValid():
        for orientation, count in ((Qt.Orientation.Horizontal, model.columnCount()),
                                   (Qt.Orientation.Vertical, model.rowCount())):
            rows.append(tuple(model.headerData(i, orientation) for i in range(count)))
    return rows


def _chart_state(view: QChartView) -> list[Any]:
    out: list[Any] = []
    for series in view.chart().series():
        if isinstance(series, QAbstractBarSeries):
            out.append([(s.label(), [round(s.at(i), 9) for i in range(s.count())]) for s in series.barSets()])
        elif isinstance(series, QXYSeries):
            out.append((series.name(), [(round(p.x(), 9), round(p.y(), 9)) for p in series.points()]))
    out.append([a.titleText() for a in view.chart().axes()])
    return out


def _labels(screen: Screen) -> list[tuple[str, bool, str]]:
    names = {id(v): k for k, v in vars(screen).items() if isinstance(v, QLabel)}
    return [(names.get(id(label), ""), label.isVisibleTo(screen), label.text())
            for label in screen.findChildren(QLabel)
            if names.get(id(label)) not in SELECTION_LABELS and label.window() is screen.window()]


def _on_screen(model: QAbstractItemModel, screen: Screen) -> bool:
    """Not a dialog's model (dialogs are the screen's children too)."""
    owner = model.parent()
    return not isinstance(owner, QWidget) or owner.window() is screen.window()


def screen_state(window: MainWindow, screen: Screen) -> dict[str, Any]:
    """What the user sees on a screen once they look at it (showing it refreshes it, synchronously)."""
    window.tabs.setCurrentWidget(screen)
    return {
        "models": [_model_state(m) for m in screen.findChildren(QAbstractItemModel)
                   if not isinstance(m.parent(), QComboBox) and _on_screen(m, screen)],
        "pickers": [(c.currentText(), [c.itemText(i) for i in range(c.count())])
                    for c in screen.findChildren(QComboBox)],
        "labels": _labels(screen),
        "charts": [_chart_state(v) for v in screen.findChildren(QChartView)],
    }


class Walk:
    """The driven window, the reference opened afresh for each comparison, and the random actions."""

    def __init__(self, qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: MainWindow, db_path: Path,
                 settings: Settings, evaluation_id: int, seed: int) -> None:
        self.qtbot, self.window, self.db_path, self.eid = qtbot, window, db_path, evaluation_id
        self.rng = random.Random(seed)
        self.settings = settings
        self.fresh_db = open_database(db_path)  # another connection to the same file, as a second window has
        self.fresh = MainWindow(self.fresh_db, settings)
        qtbot.addWidget(self.fresh)
        self.fresh.resize(1366, 768)
        self.fresh.show()
        self.count = 0
        self.answers: dict[str, Any] = {}
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: self.answers.get("question",
                                                                                      QMessageBox.StandardButton.Yes))
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (self.answers.pop("text"), True))
        monkeypatch.setattr(ConsensusDialog, "exec", lambda dialog: self._agree(dialog))
        monkeypatch.setattr(ImportWizard, "exec", _import_all)

    @property
    def session(self) -> Any:
        assert self.window.session is not None
        return self.window.session

    def snap(self) -> Any:
        return self.session.snapshot

    def show(self, kind: type) -> Any:
        screen = self.window.screen_of(kind)
        self.window.tabs.setCurrentWidget(screen)
        return screen

    # --- the actions ---
    def score(self, clear: bool = False) -> None:
        scoring = self.show(ScoringScreen)
        if not self.snap().evaluators:
            return
        box = scoring.evaluator
        pick = self.rng.randrange(box.count())
        box.setCurrentIndex(pick)
        box.activated.emit(pick)
        model = scoring.model
        if not model.rowCount() or not model.columnCount():
            return
        index = model.index(self.rng.randrange(model.rowCount()), self.rng.randrange(model.columnCount()))
        scoring.view.setCurrentIndex(index)
        self.answers["question"] = self.rng.choice([QMessageBox.StandardButton.Yes] * 3
                                                   + [QMessageBox.StandardButton.No])
        if clear:
            self.qtbot.keyClick(scoring.view, Qt.Key.Key_Delete)
            return
        crit = model.criteria[index.row()]
        digit = self.rng.randint(int(crit.scale_min), min(int(crit.scale_max), 9))
        self.qtbot.keyClick(scoring.view, Qt.Key(Qt.Key.Key_0 + digit))

    def weight(self) -> None:
        screen = self.show(CriteriaScreen)
        snap = self.snap()
        if self.rng.random() < 0.3:
            group = self.rng.choice(snap.groups)
            screen._edit("group", group.id, "weight", str(self.rng.choice([0, 5, 10, 20, 35])))
        elif self.rng.random() < 0.15:
            screen.normalise_button.click()
        else:
            screen.set_weight(self.rng.choice(snap.criteria).id, self.rng.choice([0.0, 2.5, 10.0, 40.0]))

    def consensus(self) -> None:
        screen = self.show(CommitteeScreen)
        model = screen.model
        if not model.rowCount() or not model.columnCount():
            return
        index = model.index(self.rng.randrange(model.rowCount()), self.rng.randrange(model.columnCount()))
        self.answers["consensus"] = self.rng.randint(0, 5)
        screen.view.setCurrentIndex(index)
        screen.set_consensus(index)

    def _agree(self, dialog: ConsensusDialog) -> int:
        dialog.value.setValue(self.answers.pop("consensus"))
        dialog.reason.setText("Agreed in the meeting")
        return 1

    def import_questionnaires(self) -> None:
        files = sorted((sample_data_dir() / "questionnaires").glob("*.xlsx"))
        self.window.import_questionnaires(self.rng.sample(files, self.rng.randint(1, 3)))

    def add_vendor(self) -> None:
        screen = self.show(VendorsScreen)
        self.count += 1
        self.answers["text"] = f"Walk Vendor {self.count}"
        screen.add_vendor()

    def remove_vendor(self) -> None:
        screen = self.show(VendorsScreen)
        if screen.model.rowCount() <= 2:
            return
        screen.view.setCurrentIndex(screen.model.index(self.rng.randrange(screen.model.rowCount()), 0))
        self.answers["question"] = QMessageBox.StandardButton.Yes
        screen.remove_vendor()

    def add_criterion(self) -> None:
        self.count += 1
        group = self.rng.choice(self.snap().groups)
        self.session.call(criteria.add_criterion, group.id, f"Walk criterion {self.count}", self.session.actor,
                          weight=10.0, kind=Change.CRITERIA)

    def remove_criterion(self) -> None:
        snap = self.snap()
        if len(snap.criteria) > 10:
            self.session.call(criteria.remove_criterion, self.rng.choice(snap.criteria).id, self.session.actor,
                              kind=Change.CRITERIA)

    def pick_results(self) -> None:
        screen = self.show(ResultsScreen)
        box = self.rng.choice([screen.method, screen.aggregation, screen.tariff_scenario])
        if box.count() and box.isEnabled():
            i = self.rng.randrange(box.count())
            box.setCurrentIndex(i)
            box.activated.emit(i)

    def tariff_rates(self) -> None:
        screen = self.show(TariffsScreen)
        if screen.scenarios.rowCount():
            row = screen.scenarios.row(self.rng.randrange(screen.scenarios.rowCount()))
            screen._edit(row, "rates", self.rng.choice(["China=25%", "China=10%, EU=15%", "none"]))

    def submit(self) -> None:
        scoring = self.show(ScoringScreen)
        if scoring.submit_button.isEnabled():
            scoring.submit_button.click()

    def undo(self) -> None:
        self.window.undo_action.trigger() if self.window.undo_action.isEnabled() else None

    def redo(self) -> None:
        self.window.redo_action.trigger() if self.window.redo_action.isEnabled() else None

    def actions(self) -> list[tuple[float, Callable[[], None]]]:
        return [(30, self.score), (6, lambda: self.score(clear=True)), (10, self.weight), (8, self.consensus),
                (2, self.import_questionnaires), (3, self.add_vendor), (2, self.remove_vendor),
                (3, self.add_criterion), (3, self.remove_criterion), (6, self.pick_results), (2, self.tariff_rates),
                (3, self.submit), (9, self.undo), (6, self.redo)]

    # --- the check ---
    def check(self, step: int, what: str) -> None:
        session = self.session
        self.fresh.tabs.setCurrentWidget(self.fresh.screen_of(VendorsScreen))  # the cheapest to show twice
        self.fresh.open_evaluation(self.eid)
        fresh = self.fresh.session
        assert fresh is not None
        # What the user chose to look at, not stored in the file: the same in both windows.
        fresh.method, fresh.aggregation = session.method, session.aggregation
        fresh.tariff_scenario, fresh.current_evaluator_id = session.tariff_scenario, session.current_evaluator_id
        fresh.changed.emit(Change.ALL)  # as if the window had opened with these choices
        for mine, theirs in zip(self.window.screens, self.fresh.screens, strict=True):
            if isinstance(mine, AuditScreen | SensitivityScreen) and step % SLOW_EVERY and step != ACTIONS:
                continue
            a, b = screen_state(self.window, mine), screen_state(self.fresh, theirs)
            for part in a:
                assert a[part] == b[part], (f"step {step} ({what}): {mine.title} {part} differ from a fresh window: "
                                            f"{_first_difference(a[part], b[part])}")
        results = self.window.screen_of(ResultsScreen)
        stored, _ = _service_ranking(self.fresh_db, self.eid, session)
        shown = results.result
        assert (shown is None) == (stored is None), f"step {step} ({what}): Results and services disagree"
        if stored is not None:
            assert [v.name for v in shown.vendors] == [v.name for v in stored.vendors], f"step {step} ({what})"
            np.testing.assert_allclose([v.score for v in shown.vendors], [v.score for v in stored.vendors],
                                       rtol=0, atol=1e-9, err_msg=f"step {step} ({what})")


def _service_ranking(db: Database, eid: int, session: Any) -> tuple[Any, str]:
    from vendor_eval.errors import UserError

    try:
        return ranking.rank_evaluation(db, eid, session.method, session.aggregation or None,
                                       tariff_scenario=session.tariff_scenario), ""
    except UserError as exc:
        return None, str(exc)


def _first_difference(a: Any, b: Any) -> str:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return f"{len(a)} items shown, {len(b)} in a fresh window"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return f"[{i}] " + _first_difference(x, y)
    return f"{a!r} != {b!r}"


def _import_all(wizard: ImportWizard) -> int:
    wizard.next()  # check each file (tasks run inline in tests)
    if wizard.check_page.isComplete():
        wizard.next()  # import the valid ones
    wizard.accept()
    return 1


@pytest.fixture
def quiet_declarations(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from vendor_eval.ui.declaration_dialog import DeclarationDialog

    monkeypatch.setattr(DeclarationDialog, "exec", lambda self: 1)  # "no conflict" for new evaluators
    yield


@pytest.mark.parametrize("leg", range(len(LEG_ENDS)))
def test_every_screen_shows_the_file_after_random_edits(qtbot, monkeypatch, window: MainWindow, db_path: Path,
                                                        settings: Settings, sample_eval: int,
                                                        quiet_declarations: None, leg: int) -> None:
    first, last = (LEG_ENDS[leg - 1] + 1 if leg else 1), LEG_ENDS[leg]
    window.open_evaluation(sample_eval)
    window.screen_of(SensitivityScreen).samples.setValue(100)
    walk = Walk(qtbot, monkeypatch, window, db_path, settings, sample_eval, seed=20261128)
    walk.fresh.screen_of(SensitivityScreen).samples.setValue(100)
    weights, actions = zip(*walk.actions(), strict=True)
    done: list[str] = []
    try:
        if first == 1:
            walk.check(0, "open")
        for step in range(1, last + 1):
            action = walk.rng.choices(actions, weights)[0]
            what = getattr(action, "__name__", "")
            what = "clear" if what == "<lambda>" else what
            action()
            done.append(what)
            if step >= first:
                walk.check(step, what)
    finally:
        walk.fresh.close_evaluation()
        walk.fresh_db.dispose()
    # The walk did what it claims: every kind of action ran (the last leg has done them all).
    assert last < ACTIONS or {"score", "weight", "consensus", "import_questionnaires", "add_vendor", "remove_vendor",
            "add_criterion", "remove_criterion", "pick_results", "undo", "redo", "clear"} <= set(done)
