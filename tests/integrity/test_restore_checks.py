"""Backups and restore you can trust: restore checks what it puts in place and keeps what it
replaces; an unknown (newer) schema is refused without a backup; rotation keeps the oldest
before-migration backup; concurrent first opens of an old file migrate it once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vendor_eval.services import backups
from vendor_eval.storage import Database
from vendor_eval.storage.backup import KEEP_BACKUPS, create_backup, list_backups
from vendor_eval.storage.database import make_engine
from vendor_eval.storage.migrate import upgrade

from .helpers import cli, raw_sql, run


def _scores(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM score").fetchone()[0])


def _garble(path: Path) -> bytes:
    with open(path, "r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 3000)
    return path.read_bytes()


def test_restoring_over_a_damaged_file_keeps_a_copy_and_says_where(db: Database, scored: int, db_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    good = backups.backup_now(db_path).path
    db.dispose()
    damaged = _garble(db_path)

    code, out, err = run(capsys, "restore", "--db", str(db_path), "--from", str(good))
    assert code == 0, err
    assert "kept as a copy of the damaged file: " in out
    kept = Path(out.strip().rsplit(": ", 1)[1].rstrip("."))
    assert kept.read_bytes() == damaged  # the message names a copy that exists
    assert not any(b.reason == "before-restore" for b in backups.list_backups(db_path))  # and claims no other
    assert _scores(db_path) == _scores(good)


def test_restoring_over_a_readable_file_names_its_before_restore_backup(db: Database, scored: int, db_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    good = backups.backup_now(db_path).path
    db.dispose()
    code, out, _ = run(capsys, "restore", "--db", str(db_path), "--from", str(good))
    assert code == 0
    kept = Path(out.strip().rsplit(": ", 1)[1].rstrip("."))
    assert kept.is_file() and "before-restore" in kept.name


def _foreign(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE evaluation (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO evaluation VALUES (1, 'not ours')")
        conn.commit()
    return path


def _copy(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@pytest.mark.parametrize("kind", ["foreign", "unknown revision", "broken chain", "no alembic table"])
def test_restore_refuses_what_is_not_a_sound_vendor_eval_database(db: Database, scored: int, db_path: Path,
                                                                  tmp_path: Path, kind: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db.dispose()
    if kind == "foreign":
        source = _foreign(tmp_path / "foreign.db")
    else:
        source = _copy(db_path, tmp_path / "candidate.db")
        statement = {"unknown revision": "UPDATE alembic_version SET version_num = '9999_future'",
                     "broken chain": "UPDATE audit_event SET actor = 'x' WHERE seq = 3",
                     "no alembic table": "DROP TABLE alembic_version"}[kind]
        raw_sql(source, statement)
    before = db_path.read_bytes()
    code, _, err = run(capsys, "restore", "--db", str(db_path), "--from", str(source))
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "nothing was restored" in err
    assert db_path.read_bytes() == before
    assert not list_backups(db_path)  # refused before anything was copied


def test_an_unknown_revision_is_refused_in_one_sentence_without_a_backup(db: Database, scored: int, db_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db.dispose()
    genuine = create_backup(db_path, "before-migration-0001")
    raw_sql(db_path, "UPDATE alembic_version SET version_num = 'zz99_from_the_future'")
    result = cli("evaluations", "--db", str(db_path))  # the installed command, in its own process
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "'zz99_from_the_future'" in result.stderr and "newer version" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for _ in range(KEEP_BACKUPS + 1):  # retries (in-process) must not rotate the genuine backup away
        code, _, err = run(capsys, "evaluations", "--db", str(db_path))
        assert code == 1 and err == result.stderr
    assert list_backups(db_path) == [genuine]


def test_rotation_keeps_the_oldest_before_migration_backup(db: Database, db_path: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [create_backup(db_path, f"before-migration-00{n % 3}", now=start + timedelta(minutes=n))
            for n in range(KEEP_BACKUPS + 5)]
    left = list_backups(db_path)
    assert made[0] in left  # the oldest genuine one
    assert left[:KEEP_BACKUPS] == made[::-1][:KEEP_BACKUPS] and len(left) == KEEP_BACKUPS + 1


def test_revisions_with_underscores_are_listed_and_rotated(db: Database, db_path: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [create_backup(db_path, f"before-migration-i14_state_{n}", now=start + timedelta(minutes=n))
            for n in range(KEEP_BACKUPS + 3)]
    listed = [b.path for b in backups.list_backups(db_path)]
    assert made[-1] in listed and made[0] in listed and len(listed) == KEEP_BACKUPS + 1
    assert {b.reason for b in backups.list_backups(db_path)} <= {f"before-migration-i14_state_{n}"
                                                                  for n in range(KEEP_BACKUPS + 3)}


def test_four_processes_opening_an_old_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade(engine, "0001")
    engine.dispose()
    script = Path(sys.executable).with_name("vendor-eval-cli")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "vendor_eval.cli"]
    env = {**os.environ}
    procs = [subprocess.Popen([*command, "evaluations", "--db", str(path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert [b.reason for b in backups.list_backups(path)] == ["before-migration-0001"]


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 kB file system: an empty database does not fit."""
    folder = tmp_path / "full"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root; the disk-full path is then not exercised here")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("command", ["init", "demo"])
def test_a_full_disk_leaves_no_empty_database_behind(full_disk: Path, command: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = full_disk / "new.db"
    code, _, err = run(capsys, command, "--db", str(target))
    assert code == 1 and "is full" in err and len(err.strip().splitlines()) == 1
    assert not target.exists() and not Path(f"{target}-wal").exists()
