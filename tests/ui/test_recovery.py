"""Start-up on a damaged database: the latest backup is offered, and restored only on Yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from vendor_eval.services import backups, evaluations
from vendor_eval.storage import open_database
from vendor_eval.ui.recovery import open_with_recovery

IMAGING = "Medical imaging outsourcing and teleradiology"


def _damaged_file_with_backup(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    db = open_database(path)
    evaluations.create_from_template(db, IMAGING, "Saved before the damage", "officer")
    db.dispose()
    backups.backup_now(path)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite a whole page: the file no longer checks out
    path.write_bytes(bytes(data))
    return path


def test_yes_restores_the_latest_backup_and_keeps_the_damaged_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _damaged_file_with_backup(tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    db = open_with_recovery(path)
    assert db is not None and "Restore the latest backup" in asked[0]
    assert [e.name for e in evaluations.list_evaluations(db)] == ["Saved before the damage"]
    assert (tmp_path / "work.db.damaged").is_file()
    db.dispose()


def test_no_leaves_the_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _damaged_file_with_backup(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert open_with_recovery(path) is None
    assert path.read_bytes() == before


def test_without_a_backup_the_problem_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not a database" * 500)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    assert open_with_recovery(path) is None
    assert "failed its integrity check" in shown[0]
