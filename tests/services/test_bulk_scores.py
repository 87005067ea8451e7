"""A batch of scores (record_scores: one flush, its audit events chained in one write) leaves the
same rows and the same audit trail as the same cells saved one at a time with record_score."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vendor_eval.services import evaluators, integrity, scores, vendors
from vendor_eval.services.scores import ScoreInput
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.models import AuditEvent, Score


def _record(db: Database, evaluation: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The score rows and the audit events as stored (without the clock and the hashes it feeds)."""
    with db.read() as s:
        rows = [(x.id, x.evaluator_id, x.vendor_id, x.criterion_id, x.value, x.comment, x.version)
                for x in s.scalars(select(Score).order_by(Score.id))]
        events = [(e.seq, e.actor, e.entity, e.entity_id, e.field, e.old_value, e.new_value, e.reason)
                  for e in s.scalars(select(AuditEvent).where(AuditEvent.evaluation_id == evaluation)
                                     .order_by(AuditEvent.seq))]
    return rows, events


def test_a_batch_writes_what_one_cell_at_a_time_writes(db: Database, imaging_eval: int, tmp_path: Path) -> None:
    ames = evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    bell = evaluators.add_evaluator(db, imaging_eval, "Dr Bell", "officer")
    aurora = vendors.add_vendor(db, imaging_eval, "Aurora Imaging Partners", "officer")
    borealis = vendors.add_vendor(db, imaging_eval, "Borealis Reads", "officer")
    first, second, third = [c.id for c in load_snapshot(db, imaging_eval).criteria if c.scale_max >= 5][:3]
    scores.record_score(db, imaging_eval, ames, aurora, first, 2, "officer", "before the batch")
    assert db.path is not None
    db.dispose()
    shutil.copyfile(db.path, tmp_path / "one_by_one.db")
    cells = [
        ScoreInput(ames, aurora, first, 3, "raised"),  # a score saved before: changed
        ScoreInput(ames, aurora, second, "4,5"),  # new, no comment
        ScoreInput(bell, borealis, first, 1, "thin staffing"),  # new, with a comment
        ScoreInput(ames, aurora, second, 5, "second thoughts"),  # the same cell again in the batch
        ScoreInput(bell, aurora, third, 2),
        ScoreInput(ames, aurora, first, 3, "raised"),  # unchanged: only its version moves
    ]

    assert scores.record_scores(db, imaging_eval, cells, "chair") == len(cells)
    single = open_database(tmp_path / "one_by_one.db", daily_backup=False)
    try:
        for cell in cells:
            scores.record_score(single, imaging_eval, cell.evaluator, cell.vendor, cell.criterion, cell.value, "chair",
                                cell.comment)
        one_by_one = _record(single, imaging_eval)
    finally:
        single.dispose()
    rows, events = _record(db, imaging_eval)

    assert rows == one_by_one[0]
    assert (ames, aurora, second, 5.0, "second thoughts", 2) in [row[1:] for row in rows]
    # one_by_one seals after each cell; the batch once, at its end: the events are the same but for those seals
    assert [e[1:] for e in events if e[2] != "evaluation"] == [e[1:] for e in one_by_one[1] if e[2] != "evaluation"]
    assert [e[4] for e in events[-9:]] == ["value", "comment", "value", "value", "comment", "value", "comment",
                                           "value", "state_sha256"]
    assert [e[0] for e in events] == list(range(1, len(events) + 1))
    report = integrity.verify(db, imaging_eval)
    assert report.problem is None
