"""Other people's changes reach an open window: LISTEN/NOTIFY on PostgreSQL, polling on SQLite."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from vendor_eval.errors import ValidationError
from vendor_eval.services import evaluators, scores, vendors
from vendor_eval.services.scores import ScoreInput
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.audit import chain_head
from vendor_eval.storage.changes import ChangeWatcher
from vendor_eval.storage.models import AuditEvent

pytestmark = pytest.mark.both_engines
VENDOR = "Aurora Imaging Partners"


@pytest.fixture
def criterion(db: Database, imaging_eval: int) -> int:
    """The evaluation with a vendor and an evaluator; returns a criterion to score."""
    vendors.add_vendor(db, imaging_eval, VENDOR, "officer")
    evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    return load_snapshot(db, imaging_eval).criteria[0].id


@pytest.fixture
def seen(db: Database, criterion: int) -> Iterator[queue.Queue[tuple[int, int]]]:
    """What a watcher on this window's database reports, (evaluation, audit seq) per change."""
    reported: queue.Queue[tuple[int, int]] = queue.Queue()
    watcher = ChangeWatcher(db, lambda evaluation, seq: reported.put((evaluation, seq)))
    watcher.start()
    yield reported
    watcher.stop()


@pytest.fixture
def other_desk(db_target: str) -> Iterator[Database]:
    desk = open_database(db_target, migrate=False)
    yield desk
    desk.dispose()


def test_a_save_at_another_desk_reaches_a_watching_window_within_a_second(
        db: Database, imaging_eval: int, criterion: int, seen: queue.Queue[tuple[int, int]],
        other_desk: Database) -> None:
    assert seen.empty()  # nothing changed yet
    scores.record_score(other_desk, imaging_eval, "Dr Ames", VENDOR, criterion, 4, "Dr Ames")
    evaluation, seq = seen.get(timeout=1.0)
    with db.read() as s:
        head_seq = s.scalar(select(AuditEvent.seq).where(AuditEvent.hash == chain_head(s, imaging_eval)))
    assert (evaluation, seq) == (imaging_eval, head_seq)


def test_a_refused_change_announces_nothing(db: Database, imaging_eval: int, criterion: int,
                                           seen: queue.Queue[tuple[int, int]]) -> None:
    batch = [ScoreInput("Dr Ames", VENDOR, criterion, 4),  # audited, then rolled back
             ScoreInput("Dr Ames", VENDOR, criterion, 99)]  # out of scale
    with pytest.raises(ValidationError, match="must lie between"):
        scores.record_scores(db, imaging_eval, batch, "Dr Ames")
    with pytest.raises(queue.Empty):
        seen.get(timeout=0.6)


def test_a_windows_own_saves_are_not_reported_back_to_it(
        db: Database, imaging_eval: int, criterion: int, seen: queue.Queue[tuple[int, int]],
        other_desk: Database) -> None:
    scores.record_score(db, imaging_eval, "Dr Ames", VENDOR, criterion, 4, "officer")
    with pytest.raises(queue.Empty):
        seen.get(timeout=0.6)  # its own save: the window already shows it
    scores.record_score(other_desk, imaging_eval, "Dr Ames", VENDOR, criterion, 2, "Dr Ames")
    assert seen.get(timeout=1.0)[0] == imaging_eval  # someone else's: reported
