"""Shared fixtures: a fresh migrated database per test, headless Qt, isolated data dir.

Migrating a new file and filling it through the services costs most of a database test's
time, so each starting state is built once per session, by whichever pytest-xdist worker
needs it first, and every test gets its own copy of the file (`seed`): the test still opens
a real, migrated SQLite file it may change freely.

Tests marked `both_engines` run twice: on a SQLite file and on a fresh database of a
throwaway PostgreSQL server started once per session and shared by the workers
(tests/postgres_server.py); there each starting state is a database of its own, built once
per session, and the test's database is made from it (CREATE DATABASE ... TEMPLATE).
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
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, create_engine, event, text

# Headless by default; set before any Qt import (pytest-qt creates the QApplication lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The tests' temporary files (SQLite files, the PostgreSQL server's data, reports, LibreOffice's
# output) in memory where Linux offers it, unless TMPDIR says where: on this machine's virtual
# disk, creating a database from a template took 85-330 ms instead of 13-16 ms, and the suite
# 127 s instead of 97 s. Set here, by the first pytest process: its workers and every
# subprocess inherit it. pyproject.toml keeps only the folders of failed tests.
# Like /tmp, other users may pass through it (the server runs as `postgres`, a read-only test as
# `nobody`); only a folder of our own is used, never one someone else made under that name.
if "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK):
    _memory = Path("/dev/shm") / f"vendor-eval-tests-{os.getuid()}"
    _memory.mkdir(exist_ok=True)
    _mine = _memory.lstat()
    if _mine.st_uid == os.getuid() and not _memory.is_symlink():
        _memory.chmod(0o755)
        os.environ["TMPDIR"] = tempfile.tempdir = str(_memory)

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
    "tests/storage/test_postgresql.py",  # [15, and the server's 12]
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
    seeds = request.getfixturevalue("_seeds" if db.path is not None else "_server_database")
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


def _session_owner() -> int:
    """The process that owns the session: the pytest-xdist controller (a worker's parent), or this one."""
    return os.getppid() if "PYTEST_XDIST_WORKER" in os.environ else os.getpid()


@pytest.fixture(scope="session")
def postgres(_seeds: Seeds) -> postgres_server.Server:
    """One throwaway PostgreSQL server for the session, shared by its workers (its address is
    kept beside the seeds; pytest_sessionfinish stops it). In CI it must run; elsewhere the
    tests that need it are skipped only when this machine has no PostgreSQL binaries."""
    if postgres_server.binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: install the postgresql package (packaging/system-deps.sh)")
        pytest.skip("no PostgreSQL server binaries on this machine (Debian: apt-get install postgresql)")
    return postgres_server.shared(_seeds.folder, _session_owner())


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The process that owns the session (not a worker) stops the server its workers shared."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = session.config._tmp_path_factory.getbasetemp() / "seeds"  # as _seeds; pytest-xdist reads it so too
        if folder.is_dir():
            postgres_server.stop_shared(folder)


class ServerSeeds:
    """Seeds on the session's PostgreSQL server: a database per seed, built once per session by
    whichever worker needs it first (a lock file each, as Seeds), from the database "migrated"
    (a new database migrated to head); a test's database is made from one of them."""

    def __init__(self, server: postgres_server.Server, folder: Path):
        self.server, self.folder = server, folder
        self.built: dict[str, tuple[str, Any]] = {}

    def database(self, name: str, build: Callable[[Database], Any] | None = None, base: str = "migrated") -> str:
        if name not in self.built:
            database, made = "ve_seed_" + re.sub(r"\W", "_", name), self.folder / f"server-{name}.result"
            with migration_lock(self.folder / f"server-{name}"):
                if not made.exists():  # written last: the seed is complete
                    partial = f"{database}_partial"  # a build that failed may have left one
                    _admin(self.server, f"DROP DATABASE IF EXISTS {partial} WITH (FORCE)")
                    template = "" if name == "migrated" else f" TEMPLATE {self.database(base)}"
                    _admin(self.server, f"CREATE DATABASE {partial}{template}")
                    db = open_database(self.server.url(partial))
                    try:
                        result = build(db) if build else None
                    finally:
                        db.dispose()  # a template may have no connection open
                    _admin(self.server, f"ALTER DATABASE {partial} RENAME TO {database}")
                    made.write_bytes(pickle.dumps(result))
                self.built[name] = (database, pickle.loads(made.read_bytes()))
        return self.built[name][0]


@pytest.fixture(scope="session")
def _server_seeds(postgres: postgres_server.Server, _seeds: Seeds) -> ServerSeeds:
    return ServerSeeds(postgres, _seeds.folder)


class ServerDatabase:
    """A test's database on the session's server, made when first needed: a copy of the migrated
    seed or, when the test's first step is seed(), a copy of that seed at once (one copy, not two)."""

    def __init__(self, seeds: ServerSeeds, name: str):
        self.seeds, self.name, self.made = seeds, name, False
        self.url = seeds.server.url(name)

    def make(self, name: str = "migrated", build: Callable[[Database], T] | None = None, base: str = "migrated") -> T:
        """Make the database a copy of seed `name`, dropping what it held (no connection may be
        open on it); returns what `build` returned."""
        template = self.seeds.database(name, build, base)
        if self.made:
            _admin(self.seeds.server, f"DROP DATABASE {self.name} WITH (FORCE)")
        _admin(self.seeds.server, f"CREATE DATABASE {self.name} TEMPLATE {template}")
        self.made = True
        return self.seeds.built[name][1]  # type: ignore[no-any-return]

    def ensure(self) -> str:
        """The URL of the database, made now unless it was."""
        if not self.made:
            self.make()
        return self.url

    def restore(self, db: Database, name: str, build: Callable[[Database], T], base: str = "migrated") -> T:
        """Make the test's database a copy of seed `name`; returns what `build` returned."""
        db.dispose()  # its next connection opens the new database of the same name
        return self.make(name, build, base)

    def drop(self) -> None:
        if self.made:
            _admin(self.seeds.server, f"DROP DATABASE {self.name} WITH (FORCE)")


_numbers = itertools.count(1)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # the workers share the server: names of their own


@pytest.fixture
def _server_database(_server_seeds: ServerSeeds) -> Iterator[ServerDatabase]:
    database = ServerDatabase(_server_seeds, f"ve_test_{_WORKER}_{next(_numbers)}")
    yield database
    database.drop()


@pytest.fixture
def postgres_url(_server_database: ServerDatabase) -> str:
    """A fresh, migrated database on the session's server (the one `db` opens, when the test has
    both); dropped after the test."""
    return _server_database.ensure()


@functools.cache
def _admin_engine(url: str) -> Engine:
    """One pooled connection per process for the CREATE and DROP DATABASE statements."""
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)


def _admin(server: postgres_server.Server, statement: str) -> None:
    with _admin_engine(server.url()).connect() as conn:
        conn.execute(text(statement))


@pytest.fixture
def db(engine: str, db_path: Path, _seeds: Seeds, request: pytest.FixtureRequest) -> Iterator[Database]:
    if engine == "postgresql":
        target: ServerDatabase = request.getfixturevalue("_server_database")
        database = open_database(target.url, migrate=False)  # a copy of the migrated seed, or of another seed

        @event.listens_for(database.engine, "do_connect")
        def _make(*_: object) -> None:  # at the first connection, unless seed() made it first (imaging_eval)
            target.ensure()
    else:
        shutil.copyfile(_seeds.file("migrated"), db_path)
        database = open_database(db_path, daily_backup=False)  # a new file gets no daily backup either
    yield database
    database.dispose()


@pytest.fixture
def db_target(db: Database, request: pytest.FixtureRequest) -> str:
    """What a CLI test passes as --db: the file's path, or the server URL with its password
    (the database made now: the CLI connects on its own)."""
    return str(db.path) if db.path else request.getfixturevalue("_server_database").ensure()


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
