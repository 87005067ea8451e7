"""Backups and recovery from the command line: backup, list, restore, a damaged file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendor_eval.services import backups, scores
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database

from .helpers import cli, run

A = "Aurora Imaging Partners"
KEY = "capability.key_staff"


def _value(path: Path) -> float:
    db = open_database(path, daily_backup=False)
    try:
        snap = load_snapshot(db, "Service desk RFP")
        key = next(c.id for c in snap.criteria if c.key == KEY)
        return next(s.value for s in snap.scores if s.criterion_id == key and s.vendor_id == snap.vendors[0].id
                    and s.evaluator_id == snap.evaluators[0].id)
    finally:
        db.dispose()


def test_backup_then_restore_brings_back_the_backed_up_state(
        db: Database, scored: int, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "backup", "--db", str(db_path))
    assert code == 0 and out.startswith(f"Backed up {db_path} to ")
    scores.record_score(db, scored, "Dr Ames", A, KEY, 0, "Dr Ames")
    db.dispose()
    assert _value(db_path) == 0

    code, _, err = run(capsys, "restore", "--db", str(db_path))
    assert code == 0, err
    assert _value(db_path) == 4
    listed = json.loads(run(capsys, "backup", "--list", "--json", "--db", str(db_path))[1])
    assert [b["reason"] for b in listed] == ["before-restore", "manual"]  # the restore can itself be undone

    assert run(capsys, "restore", "--db", str(db_path), "--from", listed[0]["path"])[0] == 0
    assert _value(db_path) == 0


def test_a_damaged_file_names_its_latest_backup_and_restore_repairs_it(
        db: Database, scored: int, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latest = backups.backup_now(db_path)
    db.dispose()
    with open(db_path, "r+b") as f:  # garble the schema page: the file no longer reads as a database
        f.seek(100)
        f.write(b"\xff" * 3000)

    refused = cli("show", "Service desk RFP", "--db", str(db_path))  # the installed command, as the officer meets it
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "failed its integrity check" in refused.stderr and latest.path.name in refused.stderr

    code, _, err = run(capsys, "restore", "--db", str(db_path))
    assert code == 0, err
    assert _value(db_path) == 4


def test_a_damaged_backup_is_refused(
        db: Database, scored: int, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "not-a-backup.db"
    junk.write_bytes(b"nope" * 1000)
    code, _, err = run(capsys, "restore", "--db", str(db_path), "--from", str(junk))
    assert code == 1 and "is itself damaged; choose another one" in err
    assert _value(db_path) == 4


def test_nothing_to_back_up_or_restore_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert run(capsys, "backup", "--db", str(missing))[::2] == (1, f"error: There is no database at {missing} to back up.\n")
    assert run(capsys, "restore", "--db", str(missing))[::2] == (1, f"error: There is no backup of {missing} to restore.\n")
