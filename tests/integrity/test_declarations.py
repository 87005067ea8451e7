"""Conflict-of-interest declarations: append-only, attributed, and enforced when scoring."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vendor_eval.errors import NotFound, ValidationError
from vendor_eval.services import declarations, scores
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent, ConflictDeclaration, Evaluator, Vendor, utcnow

from .helpers import run

A, B = "Aurora Imaging Partners", "Borealis Reading Group"
KEY = "capability.key_staff"


def test_a_conflicted_evaluator_cannot_score_that_vendor(db: Database, scored: int) -> None:
    declarations.declare(db, scored, "Dr Ames", [B], "Dr Ames", "My spouse consults for Borealis.")
    with pytest.raises(ValidationError, match="Dr Ames declared a conflict of interest with Borealis Reading Group"):
        scores.record_score(db, scored, "Dr Ames", B, KEY, 5, "Dr Ames")
    scores.record_score(db, scored, "Dr Ames", A, KEY, 5, "Dr Ames")  # other vendors stay open to them
    scores.record_score(db, scored, "Dr Bello", B, KEY, 5, "Dr Bello")  # and other evaluators


def test_a_new_declaration_never_deletes_the_old_one(db: Database, scored: int) -> None:
    first = declarations.declare(db, scored, "Dr Ames", [B], "Dr Ames")
    second = declarations.declare(db, scored, "Dr Ames", [], "officer", "Conflict ended: contract closed.")
    listed = declarations.list_declarations(db, scored)
    assert [(d.id, d.conflict_vendors, d.declared_by, d.in_force) for d in listed] == [
        (first, (B,), "Dr Ames", False), (second, (), "officer", True)]
    scores.record_score(db, scored, "Dr Ames", B, KEY, 3, "Dr Ames")  # the latest declaration governs
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ConflictDeclaration)) == 2
        audited = s.scalars(select(AuditEvent.actor).where(AuditEvent.entity == "declaration")).all()
        assert audited == ["Dr Ames", "officer"]


def test_the_latest_declaration_wins_even_when_the_clock_went_back(db: Database, scored: int) -> None:
    """Latest by insertion order: a declaration stamped in the 'future' by a skewed clock is still older."""
    with db.write() as s:
        ames = s.scalar(select(Evaluator.id).where(Evaluator.name == "Dr Ames"))
        borealis = s.scalar(select(Vendor.id).where(Vendor.name == B))
        s.add(ConflictDeclaration(evaluation_id=scored, evaluator_id=ames, declared_by="Dr Ames", vendor_ids=[borealis],
                                  declared_at=utcnow() + timedelta(hours=3)))
    declarations.declare(db, scored, "Dr Ames", [], "Dr Ames", "No conflict after all.")
    scores.record_score(db, scored, "Dr Ames", B, KEY, 3, "Dr Ames")


def test_unknown_or_repeated_vendors_are_refused(db: Database, scored: int) -> None:
    with pytest.raises(NotFound, match="no vendor 'Nobody Imaging'"):
        declarations.declare(db, scored, "Dr Ames", ["Nobody Imaging"], "Dr Ames")
    with pytest.raises(ValidationError, match="names the same vendor twice"):
        declarations.declare(db, scored, "Dr Ames", [B, B], "Dr Ames")
    assert declarations.list_declarations(db, scored) == []


def test_undeclared_evaluators_are_listed(db: Database, scored: int) -> None:
    declarations.declare(db, scored, "Dr Bello", [], "Dr Bello")
    assert declarations.undeclared_evaluators(db, scored) == ["Dr Ames"]


def test_cli_declare_and_list(db: Database, scored: int, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = ["--db", str(db_path), "--actor", "Dr Ames"]
    code, out, _ = run(capsys, "declare", "Service desk RFP", "--evaluator", "Dr Ames", "--conflict", B, *target)
    assert code == 0 and f"Dr Ames declares a conflict with {B}" in out
    code, _, err = run(capsys, "score", "Service desk RFP", "--evaluator", "Dr Ames", "--vendor", B, "--criterion", KEY,
                       "--value", "5", *target)
    assert code == 1 and err.count("\n") == 1 and "conflict of interest" in err
    listed = json.loads(run(capsys, "declarations", "Service desk RFP", "--db", str(db_path), "--json")[1])
    assert [(d["evaluator"], d["conflict_vendors"], d["declared_by"], d["in_force"]) for d in listed] == [
        ("Dr Ames", [B], "Dr Ames", True)]
