"""The audit trail is tamper-evident: verify names the first broken event, and the anchors
catch the newest events cut off the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from vendor_eval.services import integrity, lifecycle, scores
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent

from .helpers import cli, raw_sql, run

A, B = "Aurora Imaging Partners", "Borealis Reading Group"
KEY = "capability.key_staff"


def _event_count(db: Database) -> int:
    with db.read() as s:
        return len(s.scalars(select(AuditEvent.id)).all())


def test_cli_says_intact_for_an_untouched_trail(db: Database, scored: int, db_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verify", "Service desk RFP", "--db", str(db_path))
    assert code == 0, err
    assert out.startswith("Audit trail of 'Service desk RFP' is intact:")
    assert f"{_event_count(db)} events" in out


def test_cli_names_an_old_event_whose_value_was_changed_in_sqlite(db: Database, scored: int, db_path: Path) -> None:
    with db.read() as s:
        victim = s.scalars(select(AuditEvent).where(AuditEvent.entity == "score").order_by(AuditEvent.seq)).first()
        assert victim is not None
        seq, event_id, old = victim.seq, victim.id, json.loads(victim.new_value or "{}")
    db.dispose()
    raw_sql(db_path, "UPDATE audit_event SET new_value = ? WHERE id = ?", json.dumps({**old, "value": 5}), event_id)

    result = cli("verify", "Service desk RFP", "--db", str(db_path))  # the installed command: exit status 1 for scripts
    assert result.returncode == 1
    assert result.stdout.strip() == (f"Audit trail of 'Service desk RFP' is broken: audit event #{seq} (id {event_id}) "
                                     "was altered after it was written.")


def test_a_deleted_event_in_the_middle_is_named(db: Database, scored: int, db_path: Path) -> None:
    raw_sql(db_path, "DELETE FROM audit_event WHERE seq = 5")
    report = integrity.verify(db, scored)
    assert not report.intact and report.broken_seq == 6
    assert "#6" in report.describe() and "deleted" in report.describe()


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_event(db: Database, scored: int, db_path: Path) -> None:
    """A tamperer who recomputes the altered event's own hash cannot fix the next event's prev_hash."""
    from vendor_eval.storage.audit import event_hash

    with db.write() as s:
        victim = s.scalars(select(AuditEvent).where(AuditEvent.seq == 3)).one()
        victim.actor = "someone else"
        victim.hash = event_hash(victim)
    report = integrity.verify(db, scored)
    assert report.broken_seq == 4 and "does not link to the event before it" in (report.problem or "")


def test_cutting_off_the_newest_events_of_a_finalised_evaluation_shows(db: Database, scored: int, db_path: Path) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    last = _event_count(db)  # status, frozen_result (the anchor), then the seal of the decision state
    raw_sql(db_path, "DELETE FROM audit_event WHERE seq >= ?", last - 2)  # the finalise events

    report = integrity.verify(db, scored)
    assert not report.intact
    assert f"audit event #{last - 1}, written when the evaluation was finalised or reopened, is missing" in (report.problem or "")


def test_cutting_off_the_newest_score_edits_shows_through_the_scores(db: Database, scored: int, db_path: Path) -> None:
    scores.record_score(db, scored, "Dr Ames", A, KEY, 1, "Dr Ames")
    last = _event_count(db)
    raw_sql(db_path, "DELETE FROM audit_event WHERE seq >= ?", last - 1)  # the score event and its seal

    report = integrity.verify(db, scored)
    assert not report.intact
    assert "holds 1 but its newest audit event" in (report.problem or "") and "recorded 4" in (report.problem or "")


def test_a_score_changed_outside_the_application_shows(db: Database, scored: int, db_path: Path) -> None:
    raw_sql(db_path, "UPDATE score SET value = 0 WHERE id = 1")
    report = integrity.verify(db, scored)
    assert not report.intact and "score id 1 holds 0" in (report.problem or "")


def test_an_altered_frozen_ranking_shows(db: Database, scored: int, db_path: Path) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    raw_sql(db_path, "UPDATE evaluation SET frozen_result = json_set(frozen_result, '$.ranking.vendors[0].name', 'Borealis')")
    report = integrity.verify(db, scored)
    assert not report.intact and "frozen ranking no longer matches" in (report.problem or "")


def test_a_head_printed_in_a_report_must_still_be_in_the_trail(db: Database, scored: int, db_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    printed = integrity.verify(db, scored).head
    assert integrity.verify(db, scored, known_head=printed).intact
    scores.record_score(db, scored, "Dr Ames", A, KEY, 4, "Dr Ames", comment="checked the annex")  # comment only
    assert integrity.verify(db, scored, known_head=printed).intact  # later events are fine

    with db.read() as s:
        printed_seq = s.scalar(select(AuditEvent.seq).where(AuditEvent.hash == printed))
    raw_sql(db_path, "DELETE FROM audit_event WHERE seq >= ?", printed_seq)
    code, out, _ = run(capsys, "verify", "Service desk RFP", "--db", str(db_path), "--head", printed)
    assert code == 1 and f"the chain head {printed} is no longer in the trail" in out
