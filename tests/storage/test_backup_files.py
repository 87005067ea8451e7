"""Backup files: the daily schedule on open, rotation per kind, read-only URIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from vendor_eval.services import backups
from vendor_eval.storage import open_database
from vendor_eval.storage.backup import (
    backup_reason,
    create_backup,
    ensure_daily_backup,
    list_backups,
    quick_check,
)
from vendor_eval.storage.database import make_engine, sqlite_path


def _reasons(path: Path) -> list[str]:
    return [backup_reason(path, p) for p in list_backups(path)]


def test_opening_an_existing_file_takes_one_backup_a_day(tmp_path: Path) -> None:
    path = tmp_path / "rfp.db"
    open_database(path).dispose()
    assert list_backups(path) == []  # a brand-new file has nothing worth keeping yet
    open_database(path).dispose()
    open_database(path).dispose()
    assert _reasons(path) == ["daily"]  # the second open the same day takes none
    assert quick_check(list_backups(path)[0]) == "ok"

    tomorrow = datetime.now(UTC) + timedelta(hours=25)
    assert ensure_daily_backup(path, now=tomorrow) is not None
    assert _reasons(path) == ["daily", "daily"]


def test_daily_backups_keep_the_last_n_without_touching_other_kinds(tmp_path: Path) -> None:
    path = tmp_path / "rfp.db"
    open_database(path).dispose()
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    create_backup(path, "before-migration-0001", now=start - timedelta(days=30))
    create_backup(path, "manual", now=start - timedelta(days=20))
    for day in range(6):
        ensure_daily_backup(path, keep=3, now=start + timedelta(days=day))
    names = [p.name for p in list_backups(path)]
    assert _reasons(path) == ["daily", "daily", "daily", "manual", "before-migration-0001"]
    assert [n.split("-")[1] for n in names[:3]] == ["20260106", "20260105", "20260104"]


def test_backups_are_self_contained_single_files(tmp_path: Path) -> None:
    path = tmp_path / "rfp.db"
    open_database(path).dispose()
    made = backups.backup_now(path)
    assert made.reason == "manual" and made.size > 0
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]  # no -wal/-shm, no .partial
    assert backups.latest_backup(path) == made


def test_other_files_in_the_backup_folder_are_not_taken_for_backups(tmp_path: Path) -> None:
    path = tmp_path / "rfp.db"
    other = tmp_path / "rfp-old.db"
    for p in (path, other):
        open_database(p).dispose()
    backups.backup_now(other)
    assert list_backups(path) == []


def test_a_read_only_uri_names_the_file_behind_it(tmp_path: Path) -> None:
    path = tmp_path / "rfp.db"
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert sqlite_path(engine) == path
    assert backups.database_file(f"sqlite:///file:{path}?mode=ro&uri=true") == path
