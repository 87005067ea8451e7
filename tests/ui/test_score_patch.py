"""Keyboard scoring patches the in-memory snapshot (Snapshot.with_score) instead of re-reading it:
after every edit, undo and delete the session's scores and score cube equal a fresh load's."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from tests.ui.helpers import open_scoring_for_one_evaluator
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.main_window import MainWindow


def test_patched_snapshot_equals_a_fresh_load(qtbot, window: MainWindow, db: Database,  # type: ignore[no-untyped-def]
                                              imaging_eval: int) -> None:
    scoring, person = open_scoring_for_one_evaluator(window, db, imaging_eval)
    session = window.session
    assert session is not None
    view, model = scoring.view, scoring.model
    session.snapshot.score_cube()  # built, so each edit carries it over to the patched copy

    def agrees() -> None:
        fresh = load_snapshot(db, imaging_eval)
        assert session.snapshot.scores == fresh.scores and len(session.snapshot.scores) == len(fresh.scores)
        np.testing.assert_array_equal(session.snapshot.score_cube(), fresh.score_cube())

    view.setCurrentIndex(model.index(0, 0))
    view.setFocus()
    for key in (Qt.Key.Key_4, Qt.Key.Key_2, Qt.Key.Key_5):  # three cells, one after the other
        qtbot.keyClick(view, key)
        agrees()
    assert len(session.snapshot.scores) == 3
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_1)  # a second version of the first cell
    agrees()
    assert session.snapshot.scores.get(person, model.vendors[0].id, model.criteria[0].id).value == 1.0
    window.undo_action.trigger()
    agrees()
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    agrees()
    assert len(session.snapshot.scores) == 2
