"""Finalise and reopen: who and when on record, the ranking frozen, every change refused after."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import vendor_eval.services as services_pkg
from vendor_eval.cli import main
from vendor_eval.errors import ConflictError, ReadOnlyError, ValidationError
from vendor_eval.services import (
    criteria,
    declarations,
    evaluations,
    evaluators,
    lifecycle,
    ranking,
    scores,
    vendors,
)
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.audit import chain_head
from vendor_eval.storage.models import AuditEvent, Evaluation

from .helpers import raw_sql

A, B = "Aurora Imaging Partners", "Borealis Reading Group"
KEY = "capability.key_staff"

# Every change a user can make to an evaluation, each as it would be called after finalising.
CHANGES: dict[str, Callable[[Database, int], Any]] = {
    "record_score": lambda db, r: scores.record_score(db, r, "Dr Ames", A, KEY, 1, "x"),
    "clear_score": lambda db, r: scores.clear_score(db, r, "Dr Ames", A, KEY, "x"),
    "set_consensus": lambda db, r: scores.set_consensus(db, r, A, KEY, 3, "agreed", "x"),
    "clear_consensus": lambda db, r: scores.clear_consensus(db, r, A, KEY, "x"),
    "set_criterion_weight": lambda db, r: criteria.set_criterion_weight(db, r, KEY, 99, "x"),
    "set_group_weight": lambda db, r: criteria.set_group_weight(db, r, "Capability", 1, "x"),
    "normalise_weights": lambda db, r: criteria.normalise_weights(db, r, "x"),
    "update_criterion": lambda db, r: criteria.update_criterion(db, r, KEY, "x", name="Renamed"),
    "add_group": lambda db, r: criteria.add_group(db, r, "Extra", "x"),
    "add_criterion": lambda db, r: criteria.add_criterion(db, r, "Capability", "Extra", "x"),
    "remove_criterion": lambda db, r: criteria.remove_criterion(db, r, KEY, "x"),
    "move_criterion": lambda db, r: criteria.move_criterion(db, r, KEY, 0, "x"),
    "add_vendor": lambda db, r: vendors.add_vendor(db, r, "Cedar", "x"),
    "update_vendor": lambda db, r: vendors.update_vendor(db, r, A, "x", notes="late change"),
    "remove_vendor": lambda db, r: vendors.remove_vendor(db, r, B, "x"),
    "add_evaluator": lambda db, r: evaluators.add_evaluator(db, r, "Dr Chen", "x"),
    "update_evaluator": lambda db, r: evaluators.update_evaluator(db, r, "Dr Ames", "x", role="Chair"),
    "remove_evaluator": lambda db, r: evaluators.remove_evaluator(db, r, "Dr Bello", "x"),
    "set_submitted": lambda db, r: evaluators.set_submitted(db, r, "Dr Ames", True, "x"),
    "update_settings": lambda db, r: evaluations.update_settings(db, r, "x", aggregation="median"),
    "set_status": lambda db, r: evaluations.set_status(db, r, "draft", "x"),
    "delete_evaluation": lambda db, r: evaluations.delete_evaluation(db, r),
    "declare": lambda db, r: declarations.declare(db, r, "Dr Ames", [B], "x"),
}

# Services that write but need no ensure_editable, and why.
EXEMPT_WRITERS = {
    ("evaluations", "create_from_template"): "creates a new draft",
    ("evaluations", "duplicate_evaluation"): "copies into a new draft; the source is only read",
    ("lifecycle", "finalise"): "refuses a finalised evaluation itself",
    ("lifecycle", "reopen"): "the one way out of finalised, with a reason",
    ("server_access", "setup"): "schema and server roles, no evaluation",
    ("server_access", "add_chair"): "a server login, no evaluation",
    ("server_access", "add_evaluator"): "who may log in; the record itself is unchanged",
    ("server_access", "remove"): "who may log in; the record itself is unchanged",
    ("server_access", "copy_evaluation"): "writes an exact copy into another database",
}


def test_finalise_records_who_and_when_and_freezes_the_ranking(db: Database, scored: int) -> None:
    expected = ranking.rank_evaluation(db, scored).as_json()
    done = lifecycle.finalise(db, scored, "Procurement Officer Diaz")

    with db.read() as s:
        evaluation = s.get(Evaluation, scored)
        assert evaluation is not None
        assert (evaluation.status, evaluation.finalised_by) == ("finalised", "Procurement Officer Diaz")
        assert evaluation.finalised_at == done.finalised_at
        frozen = evaluation.frozen_result
        assert frozen is not None and frozen["ranking"] == expected and frozen["winner"] == A
        assert chain_head(s, scored) == done.audit_head
        anchor = s.scalars(select(AuditEvent).where(AuditEvent.field == "frozen_result")).one()
        assert frozen["audit_anchor"] == {"seq": anchor.seq, "hash": anchor.hash}
        status = s.scalars(select(AuditEvent).where(AuditEvent.field == "status")).one()
        assert (status.actor, status.old_value, status.new_value) == ("Procurement Officer Diaz", '"draft"', '"finalised"')
    assert lifecycle.frozen_ranking(db, scored) == expected


def test_the_frozen_ranking_does_not_follow_later_data(db: Database, scored: int, db_path: Path) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    # Even a score changed behind the application's back leaves the frozen record as it was.
    raw_sql(db_path, "UPDATE score SET value = 5")
    assert lifecycle.frozen_ranking(db, scored)["vendors"][0]["name"] == A  # type: ignore[index]
    assert ranking.rank_evaluation(db, scored).vendors[0].score != lifecycle.frozen_ranking(db, scored)["vendors"][0]["score"]  # type: ignore[index]


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_to_a_finalised_evaluation_is_refused(
        db: Database, scored: int, change: Callable[[Database, int], Any]) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    before = load_snapshot(db, scored)
    with pytest.raises(ReadOnlyError, match="finalised .* read-only"):
        change(db, scored)
    after = load_snapshot(db, scored)
    assert after.audit_head == before.audit_head
    assert (after.scores, after.criteria, after.vendors, after.evaluators) == (
        before.scores, before.criteria, before.vendors, before.evaluators)


GUARDS = {"ensure_editable", "editable_evaluation"}


def _writes_without_guard(tree: ast.Module) -> list[str]:
    """Public functions that open db.write() without ensure_editable (directly, through the shared
    lookup.editable_evaluation, or via a helper of their own module)."""
    helpers = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
               and "ensure_editable" in ast.unparse(f)}
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        source = ast.unparse(node)
        if ".write()" in source and not any(f"{h}(" in source for h in helpers | GUARDS):
            found.append(node.name)
    return found


def test_every_service_that_writes_checks_the_evaluation_is_editable() -> None:
    """A source check, so a service added later cannot forget the guard."""
    package = Path(services_pkg.__file__).parent
    unguarded = []
    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        unguarded += [(module.stem, name) for name in _writes_without_guard(tree)
                      if (module.stem, name) not in EXEMPT_WRITERS]
    assert unguarded == []
    behaviours = {name for name in CHANGES}
    assert {"record_score", "set_consensus", "declare", "update_settings"} <= behaviours


def test_finalising_twice_is_refused(db: Database, scored: int) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    with pytest.raises(ReadOnlyError, match="already finalised \\(by Diaz on "):
        lifecycle.finalise(db, scored, "Someone Else")


def test_finalise_needs_a_name(db: Database, scored: int) -> None:
    with pytest.raises(ValidationError, match="name of the person finalising is required"):
        lifecycle.finalise(db, scored, "  ")


def test_a_change_made_while_finalising_is_not_frozen_silently(
        db: Database, scored: int, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A colleague's score lands between computing the ranking and freezing it."""
    real = lifecycle.rank_evaluation

    def rank_then_colleague_writes(database: Database, ref: int) -> Any:
        result = real(database, ref)
        colleague = open_database(db_path)
        scores.record_score(colleague, ref, "Dr Bello", B, KEY, 5, "colleague")
        colleague.dispose()
        return result

    monkeypatch.setattr(lifecycle, "rank_evaluation", rank_then_colleague_writes)
    with pytest.raises(ConflictError, match="changed while it was being finalised"):
        lifecycle.finalise(db, scored, "Diaz")
    assert load_snapshot(db, scored).evaluation.status == "draft"


def test_reopen_needs_a_reason_and_is_on_record(db: Database, scored: int) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    with pytest.raises(ValidationError, match="reason for reopening"):
        lifecycle.reopen(db, scored, "Diaz", "   ")
    assert load_snapshot(db, scored).evaluation.status == "finalised"

    lifecycle.reopen(db, scored, "Chair Okafor", "Vendor B's SLA annex was scored from the wrong version")
    with db.read() as s:
        evaluation = s.get(Evaluation, scored)
        assert evaluation is not None
        assert (evaluation.status, evaluation.finalised_at, evaluation.finalised_by) == ("scoring", None, None)
        assert evaluation.frozen_result is not None and "ranking" not in evaluation.frozen_result
        assert evaluation.frozen_result["previous"]["finalised_by"] == "Diaz"
        last = s.scalars(select(AuditEvent).where(AuditEvent.field == "status").order_by(AuditEvent.seq.desc())
                         .limit(1)).one()
        assert (last.actor, last.field, json.loads(last.new_value or "null"), last.reason) == (
            "Chair Okafor", "status", "scoring", "Vendor B's SLA annex was scored from the wrong version")
    scores.record_score(db, scored, "Dr Ames", B, KEY, 3, "Dr Ames")  # editable again
    assert lifecycle.frozen_ranking(db, scored) is None


def test_only_a_finalised_evaluation_can_be_reopened(db: Database, scored: int) -> None:
    with pytest.raises(ValidationError, match="not finalised, so there is nothing to reopen"):
        lifecycle.reopen(db, scored, "Diaz", "because")


def test_a_finalised_evaluation_can_be_duplicated_into_a_draft(db: Database, scored: int) -> None:
    lifecycle.finalise(db, scored, "Diaz")
    copy = evaluations.duplicate_evaluation(db, scored, "Service desk RFP (rerun)", "officer")
    scores.record_score(db, copy, "Dr Ames", A, KEY, 1, "officer")
    assert load_snapshot(db, copy).evaluation.status == "draft"
    assert load_snapshot(db, scored).evaluation.status == "finalised"


def test_cli_finalise_then_a_refused_change_then_reopen(
        db: Database, scored: int, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = ["--db", str(db_path)]
    assert main(["finalise", "Service desk RFP", "--by", "Diaz", *target]) == 0
    out = capsys.readouterr().out
    assert "Finalised 'Service desk RFP' by Diaz; winner Aurora Imaging Partners" in out

    code = main(["score", "Service desk RFP", "--evaluator", "Dr Ames", "--vendor", A, "--criterion", KEY,
                 "--value", "1", *target])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1 and "was finalised by Diaz and is read-only" in captured.err

    assert main(["reopen", "Service desk RFP", "--by", "Diaz", "--reason", " ", *target]) == 1
    assert "reason for reopening" in capsys.readouterr().err
    assert main(["reopen", "Service desk RFP", "--by", "Diaz", "--reason", "late clarification", *target]) == 0
    assert load_snapshot(db, scored).evaluation.status == "scoring"
