"""Screens that follow an edit in place instead of rebuilding (the large evaluation's UI thread stays
free): what they show afterwards equals a fresh window opened on the same file, and the model
was not reset."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui.helpers import open_eval, show
from tests.ui.test_committee_worklist import _disagree
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.commands import EditCriterionCommand, SetConsensusCommand, SetWeightsCommand
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.committee import CommitteeScreen
from vendor_eval.ui.screens.criteria import CriteriaScreen


def _open_cells(db: Database, evaluation: int) -> tuple[int, int]:
    """(must, worth) discussing open cells, counted from the file with numpy (DOMAIN.md: spread =
    (max - min) / scale range of the individual scores; red above must_discuss_threshold, amber from
    discuss_threshold; a consensus closes the cell)."""
    snap = load_snapshot(db, evaluation)
    cube = snap.score_cube()
    scale = np.array([c.scale_max - c.scale_min for c in snap.criteria], float)
    n = (~np.isnan(cube)).sum(axis=0)
    spread = (np.nanmax(np.where(n >= 2, cube, np.nan), axis=0) - np.nanmin(np.where(n >= 2, cube, np.nan), axis=0)) / scale
    closed = np.zeros(spread.shape, bool)
    for c in snap.consensus:
        closed[snap.index_of("vendor", c.vendor_id), snap.index_of("criterion", c.criterion_id)] = True
    info = snap.evaluation
    with np.errstate(invalid="ignore"):
        must = (spread > info.must_discuss_threshold) & ~closed
        worth = (spread >= info.discuss_threshold) & ~(spread > info.must_discuss_threshold) & ~closed
    return int(must.sum()), int(worth.sum())


def test_consensus_updates_the_committee_in_place(qtbot, window: MainWindow, db: Database,  # type: ignore[no-untyped-def]
                                                  scored_eval: int, settings) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmax of all-NaN cells in _open_cells
        cells = _disagree(db, scored_eval)
        open_eval(window, scored_eval)
        session = window.session
        assert session is not None
        screen = show(window, CommitteeScreen)
        assert screen.counts()[:2] == _open_cells(db, scored_eval) == (1, 1)
        resets: list[int] = []
        screen.model.modelReset.connect(lambda: resets.append(1))
        vendor_id, criterion_id = cells["red"]
        session.push(SetConsensusCommand(session, vendor_id, criterion_id, 3, "agreed after the demo"))
        assert not resets, "a consensus rebuilt the whole committee grid"
        must, worth, agreed = screen.counts()
        assert (must, worth) == _open_cells(db, scored_eval) == (0, 1) and agreed == 1
        row = screen.model.criteria.index(next(c for c in screen.model.criteria if c.id == criterion_id))
        col = screen.model.vendors.index(next(v for v in screen.model.vendors if v.id == vendor_id))
        assert screen.model.index(row, col).data() == "3 ✓"

        fresh = MainWindow(db, settings)
        qtbot.addWidget(fresh)
        fresh.show()
        open_eval(fresh, scored_eval)
        other = show(fresh, CommitteeScreen)
        assert other.summary.text() == screen.summary.text()
        m, o = screen.model, other.model
        assert [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())] == \
            [[o.index(r, c).data() for c in range(o.columnCount())] for r in range(o.rowCount())]
        session.undo_stack.undo()  # the consensus cleared again: in place too
        assert not resets and screen.counts()[:2] == _open_cells(db, scored_eval) == (1, 1)
        fresh.close_evaluation()


def _tree(screen: CriteriaScreen) -> list[tuple[object, ...]]:
    m = screen.model
    rows = []
    for g in range(m.rowCount()):
        parent = m.index(g, 0)
        rows.append(tuple(m.index(g, col).data() for col in range(m.columnCount())))
        rows += [tuple(m.index(r, col, parent).data() for col in range(m.columnCount()))
                 for r in range(m.rowCount(parent))]
    return rows


def test_rename_and_weight_update_the_criteria_tree_in_place(qtbot, window: MainWindow, db: Database,  # type: ignore[no-untyped-def]
                                                             scored_eval: int, settings) -> None:
    open_eval(window, scored_eval)
    session = window.session
    assert session is not None
    screen = show(window, CriteriaScreen)
    crit = session.snapshot.criteria[3]
    group_row = [g.id for g in screen.model.groups].index(crit.group_id)
    screen.tree.collapseAll()
    screen.tree.setExpanded(screen.model.index(group_row, 0), True)  # the user's own view of the tree
    resets: list[int] = []
    screen.model.modelReset.connect(lambda: resets.append(1))
    session.push(EditCriterionCommand(session, crit.id, name="Night cover, renamed"))
    assert screen.set_weight(crit.id, 7.5)
    assert not resets, "a rename or a weight rebuilt the criteria tree"
    assert screen.tree.isExpanded(screen.model.index(group_row, 0))
    stored = load_snapshot(db, scored_eval).criteria[3]
    assert (stored.name, stored.weight) == ("Night cover, renamed", 7.5)

    fresh = MainWindow(db, settings)
    qtbot.addWidget(fresh)
    fresh.show()
    open_eval(fresh, scored_eval)
    assert _tree(show(fresh, CriteriaScreen)) == _tree(screen)
    assert any(r[:2] == ("Night cover, renamed", "7.5") for r in _tree(screen))
    fresh.close_evaluation()


def test_scoring_tooltips_read_the_other_scores_as_stored(window: MainWindow, db: Database,
                                                          scored_eval: int) -> None:
    """The grid no longer indexes every other evaluator's score at refresh: a tooltip reads the
    cell from the score cube. Each cell's "Others" must still be exactly what the file holds."""
    from PySide6.QtCore import Qt

    from tests.ui.helpers import declare_no_conflict
    from vendor_eval.services import evaluators, scores
    from vendor_eval.ui.screens.scoring import ScoringScreen

    snap = load_snapshot(db, scored_eval)
    ana = snap.evaluators[0].id
    sam = evaluators.add_evaluator(db, scored_eval, "Sam Okafor", "officer")
    declare_no_conflict(db, scored_eval, sam)
    for c in snap.criteria[:3]:
        scores.record_score(db, scored_eval, sam, snap.vendors[1].id, c.id, c.scale_min, "officer")
    evaluators.set_submitted(db, scored_eval, ana, True, "officer")  # blind mode lifts for Ana
    open_eval(window, scored_eval)
    scoring = show(window, ScoringScreen)
    model = scoring.model
    assert model.evaluator is not None and model.evaluator.id == ana
    stored = {(s.vendor_id, s.criterion_id): s.value for s in load_snapshot(db, scored_eval).scores
              if s.evaluator_id == sam}
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            tip = model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole)
            value = stored.get(model.key(model.index(row, col)))
            if value is None:
                assert "Others:" not in tip
            else:
                assert f"Others: Sam Okafor {value:g}" in tip


def test_weight_change_updates_the_results_charts_in_place(window: MainWindow, db: Database, sample_eval: int) -> None:
    """The charts keep their series and axes across a weight change (rebuilding them was most of its
    cost) and show the file's new ranking: each bar is the group's part of the score that
    services.ranking computes from the database."""
    from vendor_eval.services import ranking
    from vendor_eval.ui.screens.results import ResultsScreen

    evaluation = sample_eval
    open_eval(window, evaluation)
    session = window.session
    assert session is not None
    screen = show(window, ResultsScreen)
    [series] = screen.bar_chart.series()
    lines = screen.radar.series()
    assert lines
    group = session.snapshot.groups[0]
    criteria = show(window, CriteriaScreen)
    session.push(SetWeightsCommand(session, "Change group weight", {}, {group.id: group.weight * 3}))
    assert criteria.model.groups[0].weight == group.weight * 3
    show(window, ResultsScreen)
    assert screen.bar_chart.series() == [series] and screen.radar.series() == lines  # the same objects
    categories = next(a for a in screen.bar_chart.axes() if hasattr(a, "categories")).categories()
    expected = {v.name: v.by_group for v in ranking.rank_evaluation(db, evaluation).vendors}
    for bar in series.barSets():
        for k, name in enumerate(categories):
            assert bar.at(k) == pytest.approx(max(expected[name].get(bar.label(), 0.0), 0.0), abs=1e-9)
    assert [line.name() for line in screen.radar.series()] == \
        [v.name for v in ranking.rank_evaluation(db, evaluation).vendors if not v.disqualified][:len(lines)]
