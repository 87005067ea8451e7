"""Shared fixtures: a fresh migrated database per test, headless Qt, isolated data dir.

Migrating a new file and filling it through the services costs most of a database test's
time, so each starting state is built once per session, by whichever pytest-xdist worker
needs it first, and every test gets its own copy of the file (`seed`): the test still opens
a real, migrated SQLite file it may change freely.

Tests marked `both_engines` run twice: on a SQLite file and on a fresh database of a
throwaway PostgreSQL server started once per session (tests/postgres_server.py); there each
starting state is a database of its own, built once per worker, and the test's database is
re-created from it (CREATE DATABASE ... TEMPLATE).
"""

from __future__ import annotations

import compileall
import functools
import itertools
import os
import pickle
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import create_engine, text

# Headless by default; set before any Qt import (pytest-qt creates the QApplication lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# With PYTHONDONTWRITEBYTECODE set (as in some CI environments) every xdist worker and every CLI
# subprocess would compile the package again: the first pytest process (the controller, before
# its workers start) writes its bytecode once, and pytest caches its rewritten test modules.
# compile_dir skips the files whose bytecode is up to date.
sys.dont_write_bytecode = False
if "PYTEST_XDIST_WORKER" not in os.environ:
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "vendor_eval", quiet=1)

from tests import postgres_server  # noqa: E402
from vendor_eval.services import evaluations  # noqa: E402
from vendor_eval.storage import Database, open_database  # noqa: E402
from vendor_eval.storage.migrate import migration_lock  # noqa: E402

IMAGING = "Medical imaging outsourcing and teleradiology"
T = TypeVar("T")


class Seeds:
    """Database files built once per session, by name; a test gets a copy of one.

    Under pytest-xdist the folder is shared by the workers: a lock file per seed lets the
    first worker that needs a seed build it while the others wait, then read it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, tuple[Path, Any]] = {}

    def file(self, name: str, build: Callable[[Database], Any] | None = None, base: str = "migrated") -> Path:
        """The seed file `name`, made the first time it is asked for: "migrated" is a new
        database migrated to head; any other is `build` run on a copy of seed `base`."""
        if name not in self.built:
            path, made = self.folder / f"{name}.db", self.folder / f"{name}.result"
            with migration_lock(self.folder / name):  # the storage's own cross-process file lock
                if not made.exists():  # written last: the seed is complete
                    partial = self.folder / f"{name}.partial.db"
                    self._remove(partial)
                    if name != "migrated":
                        shutil.copyfile(self.file(base), partial)
                    database = open_database(partial, daily_backup=False)
                    try:
                        result = build(database) if build else None
                    finally:
                        database.dispose()  # checkpoints the WAL into the file: the copy is complete
                    self._remove(partial, keep_file=True)
                    os.replace(partial, path)
                    made.write_bytes(pickle.dumps(result))
                self.built[name] = (path, pickle.loads(made.read_bytes()))
        return self.built[name][0]

    @staticmethod
    def _remove(path: Path, keep_file: bool = False) -> None:
        for suffix in ("-wal", "-shm") if keep_file else ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)

    def copy(self, target: Path, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Write a copy of seed `name` at target (no connection may be open on it); returns
        what `build` returned."""
        source = self.file(name, build, base)
        self._remove(target, keep_file=True)
        shutil.copyfile(source, target)
        return self.built[name][1]  # type: ignore[no-any-return]

    def artifact(self, name: str, make: Callable[[Path], object]) -> Path:
        """A file made once per session by make(path), e.g. a questionnaire generated from a seed."""
        path = self.folder / name
        with migration_lock(path):
            if not path.exists():
                partial = self.folder / "partial" / name  # the same name: make may look at its suffix
                partial.parent.mkdir(exist_ok=True)
                make(partial)
                os.replace(partial, path)
        return path

    def restore(self, db: Database, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Replace the test's database with a copy of seed `name`; returns what `build` returned."""
        assert db.path is not None
        db.dispose()  # no connection may hold the old file while it is replaced
        return self.copy(db.path, name, build, base)


# The slowest test files, slowest first (CPU seconds of a serial run in brackets): under
# pytest-xdist (`make test`) the workers take them before the rest, so no long test starts
# last and leaves the other workers idle. A file not named here keeps pytest's order.
# The wheel comes before the walk: its two legs, begun side by side, had one worker wait idle while
# the other built the sample RFP they both start from.
SLOWEST_FIRST = (
    "tests/test_wheel_install.py",  # build, install and run the wheel [23]
    "tests/ui/test_consistency.py",  # the 200-action walk, in two legs [94]
    "tests/integrity/test_restore_checks.py",  # the CLI run again and again [39]
    "tests/integrity/test_tamper_corpus.py",  # one worker: a module fixture [39]
    "tests/integrity/test_finalised_record.py",  # [27]
    "tests/storage/test_postgresql.py",  # [20, and its server's 10]
    "tests/io/test_workbook_print.py",  # LibreOffice prints the sample's workbook [13, 8 s of it LibreOffice]
    "tests/integrity/test_cli_fuzz.py",  # [14]
    "tests/ui/test_app.py",  # [13]
    "tests/test_code_quality.py",  # mypy without a cache, ruff, import-linter [12]
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker: the slowest tests first (the scheduler hands them out in this order)."""
    if not hasattr(config, "workerinput"):
        return  # a plain run keeps pytest's order

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, slow in enumerate(SLOWEST_FIRST) if path == slow), len(SLOWEST_FIRST))

    items.sort(key=rank)  # stable: the order within a file and among the rest is pytest's


_SHARED_FIXTURE = re.compile(r"""scope=["'](module|class|package)["']""")


@functools.cache
def _shares_a_fixture(path: str) -> bool:
    """Does the test file define a module-, class- or package-scoped fixture?"""
    file = Path(__file__).resolve().parent.parent / path
    return file.is_file() and bool(_SHARED_FIXTURE.search(file.read_text(encoding="utf-8")))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """make test's scheduler: each test on its own, in the workers' (slowest-first) order,
    except that a file with a shared fixture runs whole on one worker (its fixture built once).
    (xdist's own --dist loadgroup cannot tag tests on pytest 9.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SlowestFirst(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::")[0]
            return path if _shares_a_fixture(path) else nodeid

    config.option.loadscopereorder = False  # keep the order the workers collected
    return SlowestFirst(config, log)


@pytest.fixture(scope="session")
def _seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    """The session's seeds: an xdist worker's temporary folder is in the controller's, which
    is new for each session, so the workers share the seeds there."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "seeds"
    folder.mkdir(exist_ok=True)
    return Seeds(folder)


@pytest.fixture
def seed(db: Database, request: pytest.FixtureRequest) -> Callable[..., Any]:
    """seed(name, build, base="migrated"): the test's database becomes a copy of a state built once
    (on a server: a database of its own, copied with CREATE DATABASE ... TEMPLATE)."""
    seeds = request.getfixturevalue("_seeds" if db.path is not None else "_server_seeds")
    return lambda name, build, base="migrated": seeds.restore(db, name, build, base)


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


class ServerSeeds:
    """Seeds on this worker's PostgreSQL server: a database per seed, built once from the migrated
    template, which a test's database is then re-created from."""

    def __init__(self, server: postgres_server.Server, migrated: str):
        self.server = server
        self.built: dict[str, tuple[str, Any]] = {"migrated": (migrated, None)}
        self.numbers = itertools.count(1)  # a build that failed leaves its database behind

    def database(self, name: str, build: Callable[[Database], Any], base: str = "migrated") -> str:
        if name not in self.built:
            database = f"ve_seed_{next(self.numbers)}"
            _admin(self.server, f"CREATE DATABASE {database} TEMPLATE {self.built[base][0]}")
            db = open_database(self.server.url(database))
            try:
                self.built[name] = (database, build(db))
            finally:
                db.dispose()  # a template may have no connection open
        return self.built[name][0]

    def restore(self, db: Database, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Replace the test's database with a copy of seed `name`; returns what `build` returned."""
        template = self.database(name, build, base)
        target = db.engine.url.database
        db.dispose()  # its next connection opens the new database of the same name
        _admin(self.server, f"DROP DATABASE {target} WITH (FORCE)")
        _admin(self.server, f"CREATE DATABASE {target} TEMPLATE {template}")
        return self.built[name][1]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def _server_seeds(postgres: postgres_server.Server, postgres_template: str) -> ServerSeeds:
    return ServerSeeds(postgres, postgres_template)


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
def db(engine: str, db_path: Path, _seeds: Seeds, request: pytest.FixtureRequest) -> Iterator[Database]:
    if engine == "postgresql":
        database = open_database(request.getfixturevalue("postgres_url"))
    else:
        shutil.copyfile(_seeds.file("migrated"), db_path)
        database = open_database(db_path, daily_backup=False)  # a new file gets no daily backup either
    yield database
    database.dispose()


@pytest.fixture
def db_target(db: Database) -> str:
    """What a CLI test passes as --db: the file's path, or the server URL with its password."""
    return str(db.path) if db.path else db.engine.url.render_as_string(hide_password=False)


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
