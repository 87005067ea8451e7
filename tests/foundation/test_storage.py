"""Storage: pragmas, foreign keys and cascades, migrations, backups."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from vendor_eval.services import evaluators, scores, vendors
from vendor_eval.storage import Database, migrate, open_database
from vendor_eval.storage.backup import list_backups
from vendor_eval.storage.database import make_engine
from vendor_eval.storage.migrate import current_revision, head_revision, upgrade
from vendor_eval.storage.models import Base, Evaluation, Score


def test_pragmas_are_set_on_every_pooled_connection(db: Database) -> None:
    seen = []
    connections = [db.engine.connect() for _ in range(3)]  # three distinct DBAPI connections
    try:
        for conn in connections:
            seen.append(tuple(conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                              for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")))
    finally:
        for conn in connections:
            conn.close()
    assert seen == [(1, "wal", 2, 10_000)] * 3  # synchronous=2 is FULL


def test_database_refuses_a_score_for_a_missing_vendor(db: Database, imaging_eval: int) -> None:
    evaluator_id = evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer")
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with db.write() as s:
            criterion_id = s.scalar(text("SELECT id FROM criterion LIMIT 1"))
            s.add(Score(evaluator_id=evaluator_id, vendor_id=999_999, criterion_id=criterion_id, value=3))


def _score_grid(db: Database, evaluation: int) -> tuple[int, int]:
    a = vendors.add_vendor(db, evaluation, "Borealis Reading Group", "officer")
    b = vendors.add_vendor(db, evaluation, "Cobalt Teleradiology", "officer")
    evaluators.add_evaluator(db, evaluation, "Dr Ames", "officer")
    for vendor in (a, b):
        for key in ("sla.stat_turnaround", "clinical.discrepancy_rate"):
            scores.record_score(db, evaluation, "Dr Ames", vendor, key, 4, "officer")
    return a, b


def test_removing_a_vendor_removes_its_scores_and_nothing_else(db: Database, imaging_eval: int) -> None:
    a, b = _score_grid(db, imaging_eval)
    assert vendors.remove_vendor(db, imaging_eval, a, "officer") == 2
    with db.read() as s:
        remaining = s.execute(select(Score.vendor_id, func.count()).group_by(Score.vendor_id)).all()
    assert remaining == [(b, 2)]


def test_deleting_a_vendor_row_cascades_in_the_database_itself(db: Database, imaging_eval: int) -> None:
    a, _ = _score_grid(db, imaging_eval)
    with db.write() as s:  # raw SQL: the cascade must not depend on the ORM
        s.execute(text("DELETE FROM vendor WHERE id = :id"), {"id": a})
    with db.read() as s:
        assert s.scalar(select(func.count()).where(Score.vendor_id == a)) == 0
        orphans = s.execute(text("PRAGMA foreign_key_check")).all()
    assert orphans == []


def test_migrations_build_the_schema_the_models_describe(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "empty.db")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    engine.dispose()


def test_opening_an_old_database_backs_it_up_then_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        # Plain SQL with the 0001 columns: the model's insert would name columns added since.
        conn.execute(text(
            "INSERT INTO evaluation (name, organisation, description, status, template_name, missing_policy, "
            "aggregation, discuss_threshold, must_discuss_threshold, blind_mode, two_envelope, "
            "questionnaire_deadline, questionnaire_contact, created_at, updated_at) VALUES ('Legacy RFP', '', '', "
            "'draft', '', 'block', 'mean', 0.2, 0.5, 1, 0, '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    engine.dispose()

    db = open_database(path)
    assert current_revision(db.engine) == head_revision()
    backups = list_backups(path)
    assert len(backups) == 1 and "before-migration-0001" in backups[0].name
    with sqlite3.connect(backups[0]) as copy:  # the backup is the pre-migration database, data included
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT name FROM evaluation").fetchall() == [("Legacy RFP",)]
    with db.read() as s:
        assert s.scalar(select(Evaluation.name)) == "Legacy RFP"
        assert s.scalar(select(Evaluation.price_formula)) == "ratio"  # the column added since, with its default
    db.dispose()


def test_a_new_database_needs_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    open_database(path).dispose()
    assert list_backups(path) == []


def test_a_damaged_file_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not an sqlite database, just bytes" * 100)
    from vendor_eval.errors import StorageError

    with pytest.raises(StorageError, match="failed its integrity check.*restore"):
        open_database(path)


def test_the_head_read_from_the_migration_files_is_alembics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert migrate._listed_head() == head_revision()  # what open_database's quick path compares with
    versions = tmp_path / "migrations" / "versions"
    shutil.copytree(migrate.MIGRATIONS_DIR / "versions", versions, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", tmp_path / "migrations")
    head = head_revision()  # Alembic's, read from the copy
    (versions / "0099_a.py").write_text(f"revision: str = 'x_a'\ndown_revision: str | None = {head!r}\n")
    (versions / "0099_b.py").write_text(f'revision = "x_b"\ndown_revision = "{head}"\n')
    assert migrate._listed_head() is None  # two heads: no single answer, Alembic decides
    (versions / "0100_merge.py").write_text("revision = 'x_merge'\ndown_revision = ('x_a', 'x_b')\n")
    assert migrate._listed_head() == "x_merge"
    (versions / "0101_odd.py").write_text("revision = make_id()\ndown_revision = 'x_merge'\n")
    assert migrate._listed_head() is None  # not a plain literal: Alembic decides
