"""A Snapshot's derived caches belong to it: a copy with new scores never shows the old ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from report_fixtures import make_snapshot

from vendor_eval import domain


def cube_by_hand(snap: domain.Snapshot) -> np.ndarray:
    """The expected cube, written out independently of Snapshot.score_cube."""
    ev = [e.id for e in snap.evaluators]
    ve = [v.id for v in snap.vendors]
    cr = [c.id for c in snap.criteria]
    cube = np.full((len(ev), len(ve), len(cr)), np.nan)
    for s in snap.scores:
        cube[ev.index(s.evaluator_id), ve.index(s.vendor_id), cr.index(s.criterion_id)] = s.value
    return cube


def test_a_copy_with_changed_scores_computes_its_own_cube() -> None:
    snap = make_snapshot()
    np.testing.assert_array_equal(snap.score_cube(), cube_by_hand(snap))  # fills the cache
    first = snap.scores[0]
    bumped = first._replace(value=first.value + 1 if first.value < 5 else first.value - 1)
    copy = replace(snap, scores=(bumped,) + snap.scores[1:])
    np.testing.assert_array_equal(copy.score_cube(), cube_by_hand(copy))
    assert not np.array_equal(copy.score_cube(), snap.score_cube())


def test_a_copy_without_a_vendor_reindexes() -> None:
    snap = make_snapshot()
    snap.score_cube()
    gone = snap.vendors[0].id
    copy = replace(snap, vendors=snap.vendors[1:], scores=tuple(s for s in snap.scores if s.vendor_id != gone))
    assert copy.score_cube().shape[1] == len(snap.vendors) - 1
    np.testing.assert_array_equal(copy.score_cube(), cube_by_hand(copy))
