"""Finalised means frozen: rank and report show the ranking of record and say loudly when the
file no longer reproduces it; verify checks heads kept outside the file (backups, reports)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Seeds
from vendor_eval.errors import ReadOnlyError
from vendor_eval.services import backups, integrity, lifecycle, scores
from vendor_eval.services.reports import export_report
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent

from .helpers import cli, finalised_sample, raw_sql, run

A = "Aurora Imaging Partners"
KEY = "capability.key_staff"


@pytest.fixture
def sample(_seeds: Seeds, tmp_path: Path) -> Path:
    target = tmp_path / "sample.db"
    finalised_sample(_seeds, target)
    return target


def _frozen_winner(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(json.loads(conn.execute("SELECT frozen_result FROM evaluation").fetchone()[0])["winner"])


def _first_row(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("1 "))


def test_rank_shows_the_frozen_ranking_and_warns_when_the_file_no_longer_gives_it(
        sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    winner = _frozen_winner(sample)
    code, out, err = run(capsys, "rank", "1", "--db", str(sample))
    assert code == 0 and "WARNING" not in err
    assert "the frozen ranking of record" in out and winner in _first_row(out)

    raw_sql(sample, "UPDATE criterion_group SET weight = weight + 60 WHERE name = 'AI validation'")
    _, live, _ = run(capsys, "rank", "1", "--db", str(sample), "--aggregate", "mean")  # a what-if ranks the live rows
    assert winner not in _first_row(live)  # the tamper does change the winner

    tampered = cli("rank", "1", "--db", str(sample))  # the installed command: its exit status is the alarm
    assert tampered.returncode == 1
    assert winner in _first_row(tampered.stdout)  # the record still reads as finalised
    assert tampered.stderr.startswith("WARNING: ") and "no longer reproduces the frozen ranking" in tampered.stderr
    assert len(tampered.stderr.strip().splitlines()) == 1
    assert run(capsys, "verify", "1", "--db", str(sample))[0] == 1


def test_report_refuses_to_print_a_tampered_finalised_evaluation(sample: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    raw_sql(sample, "UPDATE criterion_group SET weight = weight + 60 WHERE name = 'AI validation'")
    out = tmp_path / "report.pdf"
    code, _, err = run(capsys, "report", "1", "--db", str(sample), "-o", str(out), "--quiet")
    assert code == 1 and not out.exists()
    assert err.startswith("error: No report was written:") and "Traceback" not in err


def test_a_status_reset_in_the_file_does_not_make_the_evaluation_editable(db: Database, scored: int,
                                                                          db_path: Path) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    raw_sql(db_path, "UPDATE evaluation SET status = 'scoring', finalised_by = NULL, finalised_at = NULL")
    with pytest.raises(ReadOnlyError, match="changed outside vendor_eval"):
        scores.record_score(db, scored, "Dr Ames", A, KEY, 1, "Dr Ames")
    assert not integrity.verify(db, scored).intact


def _cut_back(db: Database, db_path: Path, evaluation: int, to_seq: int, score_id: int, value: float) -> None:
    """A consistent older state: the newest events gone and the score put back as it was."""
    db.dispose()
    raw_sql(db_path, "DELETE FROM audit_event WHERE evaluation_id = ? AND seq > ?", evaluation, to_seq)
    raw_sql(db_path, "UPDATE score SET value = ?, version = version - 1 WHERE id = ?", value, score_id)


@pytest.mark.parametrize("anchor", ["backup", "pdf", "xlsx"])
def test_a_cut_back_file_is_caught_against_a_backup_or_a_report(db: Database, scored: int, db_path: Path,
                                                                 tmp_path: Path, anchor: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with db.read() as s:
        before = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    with closing(sqlite3.connect(db_path)) as conn:
        score_id, value, updated = conn.execute(
            "SELECT s.id, s.value, s.updated_at FROM score s JOIN evaluator e ON e.id = s.evaluator_id "
            "JOIN vendor v ON v.id = s.vendor_id JOIN criterion c ON c.id = s.criterion_id "
            "WHERE e.name = 'Dr Ames' AND v.name = ? AND c.key = ?", (A, KEY)).fetchone()
    scores.record_score(db, scored, "Dr Ames", A, KEY, 1, "Dr Ames")
    if anchor == "backup":
        kept = backups.backup_now(db_path).path
    else:
        kept = export_report(db, scored, anchor, tmp_path / f"report.{anchor}")
    assert integrity.verify(db, scored, against=(kept,)).intact

    _cut_back(db, db_path, scored, before, score_id, value)
    raw_sql(db_path, "UPDATE score SET updated_at = ? WHERE id = ?", updated, score_id)
    assert integrity.verify(db, scored).intact  # inside the file the older state is self-consistent
    code, out, _ = run(capsys, "verify", "Service desk RFP", "--db", str(db_path), "--against", str(kept))
    assert code == 1
    assert "is no longer in the trail" in out and kept.name in out


def test_against_a_file_that_is_no_anchor_is_one_sentence(db: Database, scored: int, db_path: Path,
                                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
    for path, words in ((other, "neither a vendor_eval database"), (foreign, "not a readable vendor_eval database"),
                        (tmp_path / "missing.pdf", "cannot be read")):
        code, _, err = run(capsys, "verify", "Service desk RFP", "--db", str(db_path), "--against", str(path))
        assert code == 1 and words in err, err
        assert len(err.strip().splitlines()) == 1


def test_a_recomputed_chain_differs_from_the_backup_at_the_same_seq(db: Database, scored: int, db_path: Path,
                                                                   tmp_path: Path) -> None:
    kept = tmp_path / "kept.db"
    shutil.copy(backups.backup_now(db_path).path, kept)
    with db.write() as s:  # rewrite the chain with vendor_eval's own code, as a tamperer could
        from vendor_eval.storage.audit import event_hash

        prev = "0" * 64
        for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            if e.seq == 3:
                e.actor = "someone else"
            e.prev_hash = prev
            e.hash = event_hash(e)
            prev = e.hash
    assert integrity.verify(db, scored).intact
    report = integrity.verify(db, scored, against=(kept,))
    assert not report.intact and "(event #" in (report.problem or "")


def test_backup_prints_the_chain_head_that_verify_reports(db: Database, scored: int, db_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    head = integrity.verify(db, scored).head
    code, out, _ = run(capsys, "backup", "--db", str(db_path))
    assert code == 0 and "audit chain head of 'Service desk RFP': event #" in out
    assert out.strip().endswith(head)
