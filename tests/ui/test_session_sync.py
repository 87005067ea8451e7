"""The session's snapshot follows the file: patched copies equal a fresh read, and an edit saved while
a background reload is reading is not lost when the reload arrives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.ui.helpers import declare_no_conflict
from vendor_eval.services import evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui import engine, loading
from vendor_eval.ui.changes import Change
from vendor_eval.ui.session import EvaluationSession


@pytest.fixture
def cell(db: Database, imaging_eval: int) -> tuple[int, int, int]:
    vendor = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    person = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    declare_no_conflict(db, imaging_eval, person)
    return person, vendor, load_snapshot(db, imaging_eval).criteria[0].id


def _cube_by_hand(snap: Any) -> np.ndarray:
    cube = np.full((len(snap.evaluators), len(snap.vendors), len(snap.criteria)), np.nan)
    for s in snap.scores:
        cube[snap.index_of("evaluator", s.evaluator_id), snap.index_of("vendor", s.vendor_id),
             snap.index_of("criterion", s.criterion_id)] = s.value
    return cube


def test_patched_scores_equal_a_fresh_read(qtbot, db: Database, imaging_eval: int, cell: tuple[int, int, int]) -> None:
    session = EvaluationSession(db, imaging_eval, "officer")
    session.snapshot.prepare()  # the cube is cached: a patch must update it, not keep the old one
    e, v, _ = cell
    crits = [c.id for c in session.snapshot.criteria[:3]]
    for c, value in zip(crits, (4, 2, 5), strict=True):
        session.patch_score(e, v, c, scores.record_score(db, imaging_eval, e, v, c, value, "officer"))
    session.patch_score(e, v, crits[0], scores.record_score(db, imaging_eval, e, v, crits[0], 1, "officer",
                                                            expected_version=1))
    scores.clear_score(db, imaging_eval, e, v, crits[1], "officer")
    session.patch_score(e, v, crits[1], None)
    fresh = load_snapshot(db, imaging_eval)
    assert [(s.id, s.value) for s in session.snapshot.scores] == [(s.id, s.value) for s in fresh.scores]
    np.testing.assert_array_equal(session.snapshot.score_cube(), _cube_by_hand(fresh))
    np.testing.assert_array_equal(engine.score_cube(session), fresh.score_cube())


def test_an_edit_saved_during_a_reload_survives_it(qtbot, monkeypatch, db: Database, imaging_eval: int,
                                                   cell: tuple[int, int, int]) -> None:
    session = EvaluationSession(db, imaging_eval, "officer")
    e, v, c = cell
    heard: list[Change] = []
    session.changed.connect(heard.append)
    real_load = loading.load

    def slow_read(*args: Any) -> Any:
        loaded = real_load(*args)  # the read is done; the user scores before it is installed
        assert session.reloading
        session.patch_score(e, v, c, scores.record_score(db, imaging_eval, e, v, c, 3, "officer"))
        return loaded

    monkeypatch.setattr(loading, "load", slow_read)
    vendors.add_vendor(db, imaging_eval, "Beta Imaging", "officer")
    session.reload(Change.VENDORS)
    assert not session.reloading
    assert [x.name for x in session.snapshot.vendors] == ["Alpha Reads", "Beta Imaging"]  # the reload arrived
    assert [(s.criterion_id, s.value) for s in session.snapshot.scores] == [(c, 3.0)]  # and kept the score
    assert heard == [Change.SCORES, Change.VENDORS]
