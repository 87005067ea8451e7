"""Saves run off the UI thread, in the order of the edits (EvaluationSession.save): the window shows
a keystroke before its commit, then equals the file once the saves are done; a save the service
refuses is reported, taken back on screen and off the undo stack. Real window, real thread pool
(not the inline mode of the other UI tests); a task queued first holds the save queue so the
test sees the window while the save waits."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import open_eval, open_scoring_for_one_evaluator, show
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui import tasks
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.committee import CommitteeScreen


def _settle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert tasks.wait_for_all(20_000)
    qtbot.waitUntil(lambda: not tasks._running and window.session is not None and not window.session.reloading,
                    timeout=20_000)


def _agrees(window: MainWindow, db: Database, evaluation: int) -> None:
    assert window.session is not None
    mine, fresh = window.session.snapshot, load_snapshot(db, evaluation)
    assert mine.scores == fresh.scores  # ids and versions too: the next edit states the version
    np.testing.assert_array_equal(mine.score_cube(), fresh.score_cube())


def test_keystrokes_show_before_their_saves_and_equal_the_file_after(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db: Database, imaging_eval: int) -> None:
    scoring, person = open_scoring_for_one_evaluator(window, db, imaging_eval)
    view, model = scoring.view, scoring.model
    view.setCurrentIndex(model.index(0, 0))
    view.setFocus()
    gate = threading.Event()
    tasks.set_inline(False)
    tasks.run_task(lambda _p: gate.wait(20), serial=True)
    try:
        for key in (Qt.Key.Key_4, Qt.Key.Key_2):  # two new cells
            qtbot.keyClick(view, key)
        view.setCurrentIndex(model.index(0, 0))
        qtbot.keyClick(view, Qt.Key.Key_3)  # the first cell again, while its first save still waits
        shown = [model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) for r in (0, 1)]
        assert [str(s).split()[0] for s in shown] == ["3", "2"]
        assert len(load_snapshot(db, imaging_eval).scores) == 0  # nothing committed yet: it all waits
    finally:
        gate.set()
    _settle(qtbot, window)
    _agrees(window, db, imaging_eval)
    cell = (person, model.vendors[0].id, model.criteria[0].id)
    stored = load_snapshot(db, imaging_eval).scores.get(*cell)
    assert stored is not None and (stored.value, stored.version) == (3.0, 2)
    window.undo_action.trigger()  # back to 4, saved in the background with the version it saw
    _settle(qtbot, window)
    _agrees(window, db, imaging_eval)
    assert load_snapshot(db, imaging_eval).scores.get(*cell).value == 4.0  # type: ignore[union-attr]


def test_a_refused_background_save_is_reported_and_taken_back(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db: Database, imaging_eval: int) -> None:
    scoring, person = open_scoring_for_one_evaluator(window, db, imaging_eval)
    session = window.session
    assert session is not None
    view, model = scoring.view, scoring.model
    top = next(r for r, c in enumerate(model.criteria) if c.scale_max < 9)
    view.setCurrentIndex(model.index(top, 0))
    view.setFocus()
    messages: list[str] = []
    session.failed.connect(messages.append)
    gate = threading.Event()
    tasks.set_inline(False)
    tasks.run_task(lambda _p: gate.wait(20), serial=True)
    try:
        qtbot.keyClick(view, Qt.Key.Key_9)  # above the scale: the service refuses it
        assert str(model.index(top, 0).data(Qt.ItemDataRole.DisplayRole)).startswith("9")  # shown at once
        assert session.undo_stack.count() == 1
    finally:
        gate.set()
    _settle(qtbot, window)
    assert messages and "must lie between" in messages[0]
    assert not str(model.index(top, 0).data(Qt.ItemDataRole.DisplayRole) or "").startswith("9")
    assert session.undo_stack.count() == 0  # nothing to undo: it was never saved
    _agrees(window, db, imaging_eval)


def test_consensus_shows_at_once_and_matches_the_file(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db: Database, scored_eval: int) -> None:
    open_eval(window, scored_eval)
    session = window.session
    assert session is not None
    show(window, CommitteeScreen)
    snap = session.snapshot
    vendor, crit = snap.vendors[0], next(c for c in snap.criteria if not c.knockout)
    from vendor_eval.ui.commands import SetConsensusCommand

    gate = threading.Event()
    tasks.set_inline(False)
    tasks.run_task(lambda _p: gate.wait(20), serial=True)
    try:
        session.push(SetConsensusCommand(session, vendor.id, crit.id, 1, "agreed in the meeting"))
        assert [(c.value, c.reason) for c in session.snapshot.consensus] == [(1.0, "agreed in the meeting")]
        assert load_snapshot(db, scored_eval).consensus == ()
    finally:
        gate.set()
    _settle(qtbot, window)
    fresh = load_snapshot(db, scored_eval).consensus
    assert [(c.id, c.value, c.reason, c.version) for c in session.snapshot.consensus] == \
        [(c.id, c.value, c.reason, c.version) for c in fresh]


def test_results_rank_off_the_ui_thread_and_then_show_the_file(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db: Database, sample_eval: int) -> None:
    """A weight change with Results on show: the save and the new ranking are computed in the
    background; until they arrive Results keeps the ranking it showed, then it shows exactly what
    services.ranking computes from the file."""
    from vendor_eval.services import ranking
    from vendor_eval.ui.commands import SetWeightsCommand
    from vendor_eval.ui.screens.results import ResultsScreen

    evaluation = sample_eval
    open_eval(window, evaluation)
    session = window.session
    assert session is not None
    screen = show(window, ResultsScreen)
    shown = [(r.name, r.score) for r in screen.model.rows()]
    group = session.snapshot.groups[0]
    tasks.set_inline(False)
    session.push(SetWeightsCommand(session, "Change group weight", {}, {group.id: group.weight * 4}))
    assert [(r.name, r.score) for r in screen.model.rows()] == shown  # nothing computed on this thread
    _settle(qtbot, window)
    qtbot.waitUntil(lambda: [(r.name, r.score) for r in screen.model.rows()] != shown, timeout=20_000)
    expected = ranking.rank_evaluation(db, evaluation).vendors
    assert [r.name for r in screen.model.rows()] == [v.name for v in expected]
    assert [r.score for r in screen.model.rows()] == pytest.approx([v.score for v in expected], abs=1e-9)
