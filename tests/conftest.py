"""Shared fixtures: a fresh migrated database file per test, headless Qt, isolated data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Headless by default; set before any Qt import (pytest-qt creates the QApplication lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from vendor_eval.services import evaluations  # noqa: E402
from vendor_eval.storage import Database, open_database  # noqa: E402

IMAGING = "Medical imaging outsourcing and teleradiology"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data directory."""
    monkeypatch.setenv("VENDOR_EVAL_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vendor_eval.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def imaging_eval(db: Database) -> int:
    """A fresh evaluation created from the built-in imaging template; returns its id."""
    return evaluations.create_from_template(db, IMAGING, "Teleradiology RFP", "officer", "North Valley Health")
