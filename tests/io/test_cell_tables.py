"""Consensus and suggestions as columns (domain.ConsensusTable, SuggestionTable, sharing
cell_table.CellTable with the scores): a load holds what the database holds, in id order, and a
snapshot patched with an edit equals a fresh load. References are the tables read with plain SQL
and Python loops written here, not through the code under test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from vendor_eval import domain
from vendor_eval.services import evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


def stored(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def matrix_by_hand(snap: domain.Snapshot) -> np.ndarray:
    ve, cr = [v.id for v in snap.vendors], [c.id for c in snap.criteria]
    out = np.full((len(ve), len(cr)), np.nan)
    for c in snap.consensus:
        out[ve.index(c.vendor_id), cr.index(c.criterion_id)] = c.value
    return out


def two_vendors(db: Database, evaluation: int) -> tuple[int, int, list[int]]:
    a = vendors.add_vendor(db, evaluation, "Aurora Imaging Partners", "officer")
    b = vendors.add_vendor(db, evaluation, "Borealis Reading Group", "officer")
    return a, b, [c.id for c in load_snapshot(db, evaluation).criteria[:6]]


@pytest.mark.both_engines
def test_a_load_holds_the_stored_consensus_and_suggestions_in_id_order(db: Database, imaging_eval: int) -> None:
    a, b, crit = two_vendors(db, imaging_eval)
    for i in range(len(crit)):  # inserted out of cell order, so id order differs from cell order
        scores.set_consensus(db, imaging_eval, (a, b)[i % 2], crit[-1 - i], float(i % 5), f"agreed {i}", "chair")
    scores.set_consensus(db, imaging_eval, a, crit[-1], 4.5, "revised after the site visit", "officer")  # version 2
    with db.engine.begin() as conn:
        for i, c in enumerate(crit):
            conn.execute(text("INSERT INTO suggested_score (vendor_id, criterion_id, value, explanation) "
                              "VALUES (:v, :c, :x, :e)"), {"v": b, "c": c, "x": i / 2, "e": "" if i % 3 else f"rule {i}"})
    snap = load_snapshot(db, imaging_eval)
    want_consensus = [(i, v, c, x, r, by, None, n) for i, v, c, x, r, by, n in stored(
        db, "SELECT id, vendor_id, criterion_id, value, reason, set_by, version FROM consensus_score ORDER BY id")]
    assert len(want_consensus) == 6 and [tuple(x) for x in snap.consensus] == want_consensus
    assert snap.consensus.get(a, crit[-1]) == domain.ConsensusEntry(*want_consensus[0][:4], "revised after the site visit",
                                                                     "officer", None, 2)
    assert snap.consensus.get(b, crit[-1]) is None
    want_suggestions = stored(db, "SELECT id, vendor_id, criterion_id, value, explanation FROM suggested_score ORDER BY id")
    assert [tuple(x) for x in snap.suggestions] == want_suggestions
    assert snap.suggestions.value.dtype == np.float64 and snap.suggestions.vendor_id.dtype == np.int64
    np.testing.assert_array_equal(snap.consensus_matrix(), matrix_by_hand(snap))


@pytest.mark.both_engines
def test_a_snapshot_patched_with_consensus_edits_equals_a_fresh_load(db: Database, imaging_eval: int) -> None:
    """What the GUI does (ui/session.patch_consensus): save through the service, patch the snapshot."""
    a, b, crit = two_vendors(db, imaging_eval)
    scores.set_consensus(db, imaging_eval, b, crit[0], 2.0, "first", "chair")
    snap = load_snapshot(db, imaging_eval)
    edits: list[tuple[int, int, float | None]] = [(a, crit[3], 3.0), (b, crit[0], 4.0), (a, crit[1], 1.0),
                                                  (a, crit[3], None), (b, crit[2], 5.0), (b, crit[0], None)]
    for vendor, criterion, value in edits:
        if value is None:
            scores.clear_consensus(db, imaging_eval, vendor, criterion, "chair")
            entry = None
        else:
            saved = scores.set_consensus(db, imaging_eval, vendor, criterion, value, f"agreed {value}", "chair")
            entry = domain.ConsensusEntry(saved.id, vendor, criterion, saved.value, saved.comment, "chair", None,
                                          saved.version)
        snap = snap.with_consensus(vendor, criterion, entry)
        fresh = load_snapshot(db, imaging_eval)
        assert list(snap.consensus) == list(fresh.consensus)  # the same rows in the same (id) order
        np.testing.assert_array_equal(snap.consensus_matrix(), matrix_by_hand(fresh))


def test_many_consensus_edits_fold_into_columns_and_agree_with_a_dict() -> None:
    table = domain.ConsensusTable()
    expected: dict[tuple[int, int], tuple[Any, ...]] = {}
    rng = np.random.default_rng(11)
    next_id = 1
    for step in range(700):  # past the fold threshold twice
        cell = (int(rng.integers(1, 8)), int(rng.integers(1, 40)))
        if step % 4 == 0:
            table = table.with_cell(*cell, None)
            expected.pop(cell, None)
            continue
        old = expected.get(cell)
        sid = old[0] if old else next_id  # an edit keeps the row's id; a new cell takes the next one
        next_id += old is None
        entry = domain.ConsensusEntry(sid, *cell, float(rng.integers(0, 11)) / 2, f"why {step}", "" if step % 3 else "chair",
                                      None, step)
        table = table.with_cell(*cell, entry)
        expected[cell] = tuple(entry)
        if step % 101 == 0:
            assert len(table) == len(expected)
    assert [tuple(x) for x in table] == sorted(expected.values())  # id order
    at = {cell: i for i, cell in enumerate(zip(table.vendor_id.tolist(), table.criterion_id.tolist(), strict=True))}
    assert {cell: table.value[i] for cell, i in at.items()} == {cell: x[3] for cell, x in expected.items()}


def test_a_table_read_back_from_entries_compares_with_tuples() -> None:
    rows = [domain.SuggestionEntry(3, 10, 7, 4.0, "capped"), domain.SuggestionEntry(5, 11, 7, 2.5, "")]
    table = domain.SuggestionTable.of(rows)
    assert table == tuple(reversed(rows)) and table[1] == rows[1] and table[-1] == rows[1]
    assert table.column("explanation") == {3: "capped"}  # empty texts are not held
    assert domain.SuggestionTable() == () and not domain.ConsensusTable()
    with pytest.raises(IndexError):
        table[2]


def test_scores_whose_ids_are_too_large_to_pack_read_the_same(db: Database, imaging_eval: int) -> None:
    """The load packs id, cell and flags into one integer when the ids allow it, and reads plain
    columns otherwise: both give what the table holds."""
    v = vendors.add_vendor(db, imaging_eval, "Borealis Reading Group", "officer")
    e = evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    crit = [c.id for c in load_snapshot(db, imaging_eval).criteria[:8]]
    for i, c in enumerate(crit):
        scores.record_score(db, imaging_eval, e, v, c, float(i % 5), "ames", comment="checked" if i % 3 == 0 else "")
    scores.record_score(db, imaging_eval, e, v, crit[2], 1.5, "ames")  # version 2
    sql = "SELECT id, evaluator_id, vendor_id, criterion_id, value, comment, version FROM score ORDER BY id"

    def as_rows(snap: domain.Snapshot) -> list[tuple[Any, ...]]:
        return [(x.id, x.evaluator_id, x.vendor_id, x.criterion_id, x.value, x.comment, x.version) for x in snap.scores]

    assert as_rows(load_snapshot(db, imaging_eval)) == stored(db, sql)
    with db.engine.begin() as conn:  # a score id near 2**55: no longer fits beside the cell in 62 bits
        conn.execute(text("UPDATE score SET id = :big WHERE criterion_id = :c"), {"big": 2**55 + 3, "c": crit[1]})
    assert as_rows(load_snapshot(db, imaging_eval)) == stored(db, sql) and stored(db, sql)[-1][0] == 2**55 + 3
