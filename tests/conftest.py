"""Shared fixtures: a fresh migrated database file per test, headless Qt, isolated data dir.

Migrating a new file and filling it through the services costs most of a database test's
time, so each starting state is built once per session and every test gets its own copy of
the file (`seed`): the test still opens a real, migrated SQLite file it may change freely.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

# Headless by default; set before any Qt import (pytest-qt creates the QApplication lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from vendor_eval.services import evaluations  # noqa: E402
from vendor_eval.storage import Database, open_database  # noqa: E402

IMAGING = "Medical imaging outsourcing and teleradiology"
T = TypeVar("T")


class Seeds:
    """Database files built once per session, by name; a test gets a copy of one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, tuple[Path, Any]] = {}

    def file(self, name: str, build: Callable[[Database], Any] | None = None, base: str = "migrated") -> Path:
        """The seed file `name`, made the first time it is asked for: "migrated" is a new
        database migrated to head; any other is `build` run on a copy of seed `base`."""
        if name not in self.built:
            path = self.folder / f"{name}.db"
            if name != "migrated":
                shutil.copyfile(self.file(base), path)
            database = open_database(path, daily_backup=False)
            try:
                result = build(database) if build else None
            finally:
                database.dispose()  # checkpoints the WAL into the file: the copy is complete
            self.built[name] = (path, result)
        return self.built[name][0]

    def copy(self, target: Path, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Write a copy of seed `name` at target (no connection may be open on it); returns
        what `build` returned."""
        source = self.file(name, build, base)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return self.built[name][1]  # type: ignore[no-any-return]

    def artifact(self, name: str, make: Callable[[Path], object]) -> Path:
        """A file made once per session by make(path), e.g. a questionnaire generated from a seed."""
        path = self.folder / name
        if not path.exists():
            make(path)
        return path

    def restore(self, db: Database, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Replace the test's database with a copy of seed `name`; returns what `build` returned."""
        assert db.path is not None
        db.dispose()  # no connection may hold the old file while it is replaced
        return self.copy(db.path, name, build, base)


@pytest.fixture(scope="session")
def _seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return Seeds(tmp_path_factory.mktemp("seeds"))


@pytest.fixture
def seed(db: Database, _seeds: Seeds) -> Callable[..., Any]:
    """seed(name, build, base="migrated"): the test's database becomes a copy of a state built once."""
    return lambda name, build, base="migrated": _seeds.restore(db, name, build, base)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data directory."""
    monkeypatch.setenv("VENDOR_EVAL_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vendor_eval.db"


@pytest.fixture
def db(db_path: Path, _seeds: Seeds) -> Iterator[Database]:
    shutil.copyfile(_seeds.file("migrated"), db_path)
    database = open_database(db_path, daily_backup=False)  # a new file gets no daily backup either
    yield database
    database.dispose()


def create_imaging(db: Database) -> int:
    return evaluations.create_from_template(db, IMAGING, "Teleradiology RFP", "officer", "North Valley Health")


IMAGING_V1 = "Medical imaging outsourcing and teleradiology (version 1)"


def create_imaging_v1(db: Database) -> int:
    """Version 1 of the imaging template: it holds every answer type (yes/no/partial among them) and
    a first criterion that is a 0-5 knock-out with a pass mark of 2; the screen and questionnaire
    mechanics tests rely on both."""
    return evaluations.create_from_template(db, IMAGING_V1, "Teleradiology RFP", "officer", "North Valley Health")


@pytest.fixture
def imaging_eval(seed: Callable[..., int]) -> int:
    """A fresh evaluation created from the built-in imaging template; returns its id."""
    return seed("imaging", create_imaging)
