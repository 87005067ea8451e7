"""Scores as columns (domain.ScoreTable): what a loaded table holds, and that an edit makes a new
table without changing the old one, however many edits pile up in its overlay."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import numpy as np
import pytest
from report_fixtures import make_snapshot
from test_snapshot_copies import cube_by_hand

from vendor_eval import domain
from vendor_eval.services import evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

T1 = datetime(2026, 3, 2, 9, 30)


def as_dict(table: domain.ScoreTable) -> dict[tuple[int, int, int], tuple[float, str, int]]:
    return {(s.evaluator_id, s.vendor_id, s.criterion_id): (s.value, s.comment, s.version) for s in table}


def test_a_table_reads_back_the_entries_it_was_made_of() -> None:
    entries = make_snapshot().scores
    rows = list(entries)
    table = domain.ScoreTable.of(rows)
    assert len(table) == len(rows) and list(table) == rows and table == tuple(reversed(rows))
    assert table[0] == rows[0] and table[-1] == rows[-1] and table[2:5] == tuple(rows[2:5])
    commented = {s.id: s.comment for s in rows if s.comment}
    assert table.comments == commented and {s.id for s in table.with_comments()} == set(commented)
    first = rows[7]
    assert table.get(first.evaluator_id, first.vendor_id, first.criterion_id) == first
    assert table.get(first.evaluator_id, first.vendor_id, 999) is None
    with pytest.raises(IndexError):
        table[len(rows)]


def test_an_edit_makes_a_new_table_and_leaves_the_old_one() -> None:
    table = make_snapshot().scores
    before = as_dict(table)
    e, v, c = next(iter(before))
    new = domain.ScoreEntry(9001, e, v, c, 0.5, "after the site visit", T1, 2)
    edited = table.with_cell(e, v, c, new)
    cleared = edited.with_cell(e, v, c, None)
    assert as_dict(table) == before  # the original is untouched
    assert as_dict(edited) == {**before, (e, v, c): (0.5, "after the site visit", 2)}
    assert edited.get(e, v, c) == new and len(edited) == len(table)
    assert (e, v, c) not in as_dict(cleared) and len(cleared) == len(table) - 1 and cleared.get(e, v, c) is None
    # The columns agree with the rows once the overlay is merged.
    at = int(np.flatnonzero((edited.evaluator_id == e) & (edited.vendor_id == v) & (edited.criterion_id == c))[0])
    assert edited.value[at] == 0.5 and edited.comments[9001] == "after the site visit"


def test_many_edits_fold_into_new_columns_and_agree_with_a_dict_of_the_same_edits() -> None:
    table = make_snapshot().scores
    expected = as_dict(table)
    cells = list(expected)
    rng = np.random.default_rng(7)
    for step in range(600):  # past the fold threshold twice
        cell = cells[int(rng.integers(len(cells)))]
        if step % 5 == 0:
            table = table.with_cell(*cell, None)
            expected.pop(cell, None)
        else:
            value = float(rng.integers(0, 11)) / 2
            table = table.with_cell(*cell, domain.ScoreEntry(10_000 + step, *cell, value, f"edit {step}", T1, step))
            expected[cell] = (value, f"edit {step}", step)
        if step % 97 == 0:
            assert len(table) == len(expected)
    assert as_dict(table) == expected and len(table) == len(expected)


def test_a_snapshot_edit_carries_its_cube_with_the_one_cell_changed() -> None:
    snap = make_snapshot()
    snap.score_cube()  # built: with_score carries it over
    s = snap.scores[3]
    changed = snap.with_score(s.evaluator_id, s.vendor_id, s.criterion_id, s._replace(value=s.value + 0.5))
    cleared = changed.with_score(s.evaluator_id, s.vendor_id, s.criterion_id, None)
    for copy in (changed, cleared):
        np.testing.assert_array_equal(copy.score_cube(), cube_by_hand(copy))
    np.testing.assert_array_equal(snap.score_cube(), cube_by_hand(snap))  # the original keeps its own


def test_load_snapshot_holds_what_the_score_table_holds(db: Database, imaging_eval: int) -> None:
    """Checked against the file read with the bare sqlite3 module, not through our code."""
    v = vendors.add_vendor(db, imaging_eval, "Borealis Reading Group", "officer")
    e = evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    for i, c in enumerate(load_snapshot(db, imaging_eval).criteria[:12]):
        scores.record_score(db, imaging_eval, e, v, c.id, float(i % 5), "ames", comment="checked" if i % 2 else "")
    scores.record_score(db, imaging_eval, e, v, c.id, 1.5, "ames")  # a second version of the last cell
    snap = load_snapshot(db, imaging_eval)
    assert db.path is not None
    with sqlite3.connect(db.path) as con:
        stored = {(ev, ve, cr): (value, comment, version) for ev, ve, cr, value, comment, version in con.execute(
            "SELECT evaluator_id, vendor_id, criterion_id, value, comment, version FROM score")}
    assert len(stored) == 12 and as_dict(snap.scores) == stored
    assert snap.scores.value.dtype == np.float64 and snap.scores.vendor_id.dtype == np.int64
    assert all(s.updated_at is None for s in snap.scores)  # timestamps are not loaded (see ScoreTable)
