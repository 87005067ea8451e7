"""The workbook's Audit sheet says whether the record verifies, from a full check of every row,
though that check now runs beside the writing (services.integrity.Verification, a forked
process on Linux): a row changed behind the application's back must still be reported."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import openpyxl
import pytest

from vendor_eval.errors import NotFound
from vendor_eval.services import integrity
from vendor_eval.services.reports import export_report, export_report_from
from vendor_eval.storage import Database

INTACT = "The audit chain verified intact."
BROKEN = "WARNING: the audit chain is broken"


def audit_statement(path: Path) -> str:
    """The Audit sheet's subtitle, read back from the file as Excel would show it."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return str(book["Audit"].cell(2, 1).value)
    finally:
        book.close()


def tamper(db: Database) -> None:
    """Change one score's comment with plain SQL on a connection of its own: no audit event, no seal."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE score SET comment = 'changed outside' WHERE id = (SELECT min(id) FROM score)")


@pytest.mark.both_engines
def test_the_workbook_reports_a_row_changed_outside_the_application(db: Database, scored: int,
                                                                    tmp_path: Path) -> None:
    assert INTACT in audit_statement(export_report(db, scored, "xlsx", tmp_path / "before.xlsx"))
    tamper(db)
    statement = audit_statement(export_report(db, scored, "xlsx", tmp_path / "after.xlsx"))
    assert BROKEN in statement and INTACT not in statement
    assert not integrity.verify(db, scored).intact  # the same verdict as the check run here


def test_the_apps_export_in_its_daemonic_worker_process_reports_it_too(db: Database, scored: int,
                                                                       db_target: str, tmp_path: Path) -> None:
    # The app exports in a spawned daemonic process (ui/process_runner.py), which multiprocessing
    # forbids to start children of its own: the verification must still run and say so.
    tamper(db)
    ctx = multiprocessing.get_context("spawn")
    worker = ctx.Process(target=export_report_from, args=(db_target, scored, "xlsx", tmp_path / "app.xlsx"),
                         daemon=True)
    worker.start()
    worker.join(120)
    assert worker.exitcode == 0
    assert BROKEN in audit_statement(tmp_path / "app.xlsx")


def test_a_check_that_fails_in_its_process_fails_here_with_the_same_sentence(db: Database) -> None:
    # The child sends no verdict when verify raises; result() then runs it here and raises the
    # user's error itself, rather than printing a verdict nobody computed.
    with pytest.raises(NotFound, match="No Such RFP"):
        integrity.Verification(db, "No Such RFP").result()
