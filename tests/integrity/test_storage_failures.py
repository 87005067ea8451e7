"""A read-only file and a full disk: one clear sentence, and nothing already saved is lost.

Tests run as root, where chmod 444 does not stop writes. So the read-only case runs twice:
in-process through a read-only SQLite URI (mode=ro), and as a real unprivileged user
(setpriv to nobody) against a chmod 444 file. The full disk is a real one: a tiny tmpfs
mounted for the test; where mounting is not allowed, SQLite's max_page_count makes the
file "full" instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import Seeds
from vendor_eval.errors import StorageError
from vendor_eval.services import evaluations, evaluators, integrity, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.backup import list_backups, quick_check

from .helpers import run

A = "Aurora Imaging Partners"
KEY = "capability.key_staff"
GENERIC = "Generic services RFP"


def _one_score(db: Database) -> None:
    evaluations.create_from_template(db, GENERIC, "Service desk RFP", "officer")
    vendors.add_vendor(db, "Service desk RFP", A, "officer")
    evaluators.add_evaluator(db, "Service desk RFP", "Dr Ames", "officer")
    scores.record_score(db, "Service desk RFP", "Dr Ames", A, KEY, 4, "Dr Ames")


def _setup(seeds: Seeds, path: Path) -> None:
    """The evaluation with one score at path: a copy of a database built once per session."""
    seeds.copy(path, "storage-failures", _one_score)


def _saved_state(path: Path) -> tuple[Any, ...]:
    db = open_database(path, daily_backup=False)
    try:
        snap = load_snapshot(db, "Service desk RFP")
        return snap.scores, snap.audit_head
    finally:
        db.dispose()


def test_a_read_only_database_refuses_changes_in_one_sentence(tmp_path: Path, _seeds: Seeds) -> None:
    path = tmp_path / "shared.db"
    _setup(_seeds, path)
    before = _saved_state(path)

    readonly = open_database(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [s.value for s in load_snapshot(readonly, "Service desk RFP").scores] == [4.0]  # reading works
    with pytest.raises(StorageError) as refused:
        scores.record_score(readonly, "Service desk RFP", "Dr Ames", A, KEY, 1, "Dr Ames")
    readonly.dispose()
    assert str(refused.value) == f"The database {path} is read-only: nothing was changed; check the file's permissions."
    assert list_backups(path) == []  # opening read-only wrote nothing, not even the daily backup
    assert _saved_state(path) == before and quick_check(path) == "ok"


@pytest.fixture
def world_writable_dir() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="vendor-eval-ro-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to switch to nobody")
def test_a_chmod_444_file_refuses_an_unprivileged_user(world_writable_dir: Path, _seeds: Seeds) -> None:
    path = world_writable_dir / "shared.db"
    _setup(_seeds, path)
    before = _saved_state(path)
    path.chmod(0o444)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    result = subprocess.run([*nobody, *cli_command(), "score", "Service desk RFP", "--db", str(path),
                             "--evaluator", "Dr Ames", "--vendor", A, "--criterion", KEY, "--value", "1"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr == f"error: The database {path} is read-only: nothing was changed; check the file's permissions.\n"
    path.chmod(0o644)
    assert _saved_state(path) == before and quick_check(path) == "ok"


def cli_command() -> list[str]:
    import sys

    script = Path(sys.executable).with_name("vendor-eval-cli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vendor_eval.cli"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path | None]:
    """An 8 MB tmpfs (room for the database and its WAL), or None where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int = 0) -> Path:
    """Take every free byte but `leave`, so the database fails when it grows past that."""
    filler = folder / "filler.bin"
    try:
        with open(filler, "wb", buffering=0) as out:
            while True:
                out.write(b"\0" * 4096)
    except OSError:
        pass  # ENOSPC: the disk is full now
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def _limit_pages(db: Database) -> None:
    """The fallback "full" file: SQLite refuses to grow it past its current size."""
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")


@pytest.mark.parametrize("full", ["tmpfs", "max_page_count"])
def test_a_full_disk_gives_one_sentence_and_loses_nothing_saved(
        tmp_path: Path, tiny_disk: Path | None, full: str, _seeds: Seeds) -> None:
    if full == "tmpfs" and tiny_disk is None:
        pytest.skip("mounting a small file system is not allowed here; the max_page_count case stands in")
    folder = tiny_disk if full == "tmpfs" else tmp_path
    assert folder is not None
    path = folder / "full.db"
    _setup(_seeds, path)
    db = open_database(path, daily_backup=False)
    filler = _fill(folder, leave=300_000) if full == "tmpfs" else None
    if full == "max_page_count":
        _limit_pages(db)

    saved: list[int] = []
    with pytest.raises(StorageError) as full_disk:
        for n in range(10_000):  # each edit adds a long comment until the disk has no room for it
            scores.record_score(db, "Service desk RFP", "Dr Ames", A, KEY, n % 6, "Dr Ames", comment=f"{n} " + "x" * 3000)
            saved.append(n)
    db.dispose()
    assert saved, "the disk filled before any edit; leave more room"
    assert str(full_disk.value) == f"The disk holding {path} is full: the last change was not saved; free some space and retry."

    if filler is not None:
        filler.unlink()  # the officer frees some space
    reopened = open_database(path, daily_backup=False)
    try:
        assert reopened.engine.connect().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        snap = load_snapshot(reopened, "Service desk RFP")
        assert [s.comment.split()[0] for s in snap.scores] == [str(saved[-1])]  # the last saved edit is there
        assert integrity.verify(reopened, "Service desk RFP").intact  # and every earlier one is on record
        scores.record_score(reopened, "Service desk RFP", "Dr Ames", A, KEY, 2, "Dr Ames")  # and work goes on
    finally:
        reopened.dispose()


def test_a_full_disk_never_leaves_a_half_written_backup(tmp_path: Path, tiny_disk: Path | None, _seeds: Seeds,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    if tiny_disk is None:
        pytest.skip("needs a real small file system (mount not allowed here)")
    path = tiny_disk / "full.db"
    _setup(_seeds, path)
    _fill(tiny_disk)
    code, _, err = run(capsys, "backup", "--db", str(path))
    assert code == 1
    assert err.startswith(f"error: Could not back up {path} to {tiny_disk / 'backups'}: ")
    assert err.count("\n") == 1
    assert list_backups(path) == [] and not any((tiny_disk / "backups").glob("*.partial"))
    # A full disk is not damage: the advice must not be to restore an older backup over good work.
    with pytest.raises(StorageError, match="could not be read .* check that its disk has free space"):
        open_database(path)
