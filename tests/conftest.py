"""Shared fixtures: a fresh migrated database per test, headless Qt, isolated data dir.

Tests marked `both_engines` run twice: on a SQLite file and on a fresh database of a
throwaway PostgreSQL server started once per session (tests/postgres_server.py).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# Headless by default; set before any Qt import (pytest-qt creates the QApplication lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests import postgres_server  # noqa: E402
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_engines") and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine the `db` fixture opens: SQLite unless the test is marked both_engines."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.Server]:
    """One throwaway PostgreSQL server for the session. In CI it must run; elsewhere the
    tests that need it are skipped only when this machine has no PostgreSQL binaries."""
    if postgres_server.binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: install the postgresql package (packaging/system-deps.sh)")
        pytest.skip("no PostgreSQL server binaries on this machine (Debian: apt-get install postgresql)")
    server = postgres_server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: postgres_server.Server) -> str:
    """A database migrated to head once; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    _admin(postgres, "CREATE DATABASE ve_template")
    open_database(postgres.url("ve_template")).dispose()
    return "ve_template"


_numbers = itertools.count(1)


@pytest.fixture
def postgres_url(postgres: postgres_server.Server, postgres_template: str) -> Iterator[str]:
    """A fresh, migrated database on the session's server; dropped after the test."""
    name = f"ve_test_{next(_numbers)}"
    _admin(postgres, f"CREATE DATABASE {name} TEMPLATE {postgres_template}")
    yield postgres.url(name)
    _admin(postgres, f"DROP DATABASE {name} WITH (FORCE)")


def _admin(server: postgres_server.Server, statement: str) -> None:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture
def db(engine: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    target = request.getfixturevalue("postgres_url") if engine == "postgresql" else db_path
    database = open_database(target)
    yield database
    database.dispose()


@pytest.fixture
def db_target(db: Database) -> str:
    """What a CLI test passes as --db: the file's path, or the server URL with its password."""
    return str(db.path) if db.path else db.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def imaging_eval(db: Database) -> int:
    """A fresh evaluation created from the built-in imaging template; returns its id."""
    return evaluations.create_from_template(db, IMAGING, "Teleradiology RFP", "officer", "North Valley Health")
