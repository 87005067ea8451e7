"""Import decisions: which vendor a file belongs to, formulas, suggestions accepted, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from questionnaire_filling import dump, fill, member, rewrite_zip, sheet_member

from vendor_eval.cli import main
from vendor_eval.errors import NotFound
from vendor_eval.services import (
    evaluations,
    evaluators,
    questionnaires,
    scores,
    vendors,
)
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

pytestmark = pytest.mark.both_engines


def test_file_generated_for_a_vendor_goes_to_that_vendor(db: Database, imaging_eval: int, tmp_path: Path) -> None:
    vendors.add_vendor(db, imaging_eval, "Acme", "officer")
    path = questionnaires.generate_questionnaire(db, imaging_eval, tmp_path / "acme.xlsx", vendor="Acme")
    fill(path, path, profile={"name": "Acme Imaging Group", "legal_name": "Acme Imaging Group plc"})
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    assert result.ok and result.vendor == "Acme" and not result.vendor_created
    assert any("Acme Imaging Group" in w for w in result.warnings)
    snap = load_snapshot(db, imaging_eval)
    assert [(v.name, v.legal_name) for v in snap.vendors] == [("Acme", "Acme Imaging Group plc")]


def test_generic_file_matches_by_name_or_legal_name(db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    vendors.add_vendor(db, imaging_eval, "Beta Reads", "officer")
    vendors.update_vendor(db, imaging_eval, "Beta Reads", "officer", legal_name="Beta Radiology GmbH")
    by_name = fill(blank, tmp_path / "a.xlsx", profile={"name": "  beta   READS "})
    by_legal = fill(blank, tmp_path / "b.xlsx", profile={"name": "Beta", "legal_name": "beta radiology gmbh"})
    results = questionnaires.import_questionnaires(db, imaging_eval, [by_name, by_legal], "officer")
    assert [(r.ok, r.vendor, r.vendor_created) for r in results] == [(True, "Beta Reads", False)] * 2
    assert len(load_snapshot(db, imaging_eval).vendors) == 1


def test_formula_answers_use_the_saved_value_and_are_reported(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    path = fill(blank, tmp_path / "f.xlsx", profile={"name": "Calc Co"}, formulas={"sla.stat_turnaround": "=30+15"})
    data = path.read_bytes()
    name = sheet_member(data, "Questions")
    xml = member(data, name).decode()
    assert "<f>30+15</f>" in xml
    saved = re.sub(r"<f>30\+15</f><v\s*/>|<f>30\+15</f><v></v>", "<f>30+15</f><v>45</v>", xml)
    if saved == xml:
        saved = xml.replace("<f>30+15</f>", "<f>30+15</f><v>45</v>")
    path.write_bytes(rewrite_zip(data, {name: saved.encode()}))
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    assert result.ok, result.errors
    assert any("formula" in w and "=30+15" in w for w in result.warnings)
    snap = load_snapshot(db, imaging_eval)
    stat = next(c for c in snap.criteria if c.key == "sla.stat_turnaround")
    assert [a.value for a in snap.answers if a.criterion_id == stat.id] == [45]


def test_formula_without_a_saved_value_is_an_error(db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    path = fill(blank, tmp_path / "f.xlsx", profile={"name": "Calc Co"}, formulas={"sla.stat_turnaround": "=30+15"})
    before = dump(db)
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    assert not result.ok
    assert any("formula with no saved result" in e for e in result.errors)
    assert dump(db) == before


def test_file_of_another_evaluation_is_refused_in_one_sentence(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    other = evaluations.create_from_template(db, "Medical imaging outsourcing and teleradiology (version 1)", "Other RFP", "me")
    path = fill(blank, tmp_path / "v.xlsx", profile={"name": "Acme"})
    before = dump(db)
    [result] = questionnaires.import_questionnaires(db, other, [path], "officer")
    assert result.errors == ((
        f"v.xlsx is the questionnaire of evaluation 'Teleradiology RFP' (id {imaging_eval}), not of 'Other RFP' "
        f"(id {other}); import it into that evaluation instead."),)
    assert dump(db) == before


def test_accepting_suggestions_records_scores_through_record_score(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    evaluators.add_evaluator(db, imaging_eval, "Dr Chen", "officer", "Radiology chair")
    path = fill(blank, tmp_path / "v.xlsx", profile={"name": "Acme"},
                answers={"sla.stat_turnaround": 45, "sla.coverage_24x7": "partial", "governance.change_management": "x"})
    questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    rows = questionnaires.list_suggestions(db, imaging_eval)
    assert [(r.criterion_key, r.value) for r in rows] == [("sla.stat_turnaround", 4.0), ("sla.coverage_24x7", 2.0)]

    scores.record_score(db, imaging_eval, "Dr Chen", "Acme", "sla.coverage_24x7", 3, "chen", comment="mine")
    summary = questionnaires.accept_all_suggestions(db, imaging_eval, "Dr Chen", "chen")
    assert summary.accepted == 1
    snap = load_snapshot(db, imaging_eval)
    by_key = {c.id: c.key for c in snap.criteria}
    given = {by_key[s.criterion_id]: (s.value, s.comment) for s in snap.scores}
    assert given["sla.stat_turnaround"][0] == 4.0 and "45 <= 60" in given["sla.stat_turnaround"][1]
    assert given["sla.coverage_24x7"] == (3.0, "mine")  # an evaluator's own score is not overwritten

    saved = questionnaires.accept_suggestion(db, imaging_eval, "Dr Chen", "Acme", "sla.coverage_24x7", "chen")
    assert saved.value == 2.0 and saved.comment == "mine"
    with pytest.raises(NotFound):
        questionnaires.accept_suggestion(db, imaging_eval, "Dr Chen", "Acme", "governance.change_management", "chen")


def test_finalised_evaluation_refuses_imports(db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    from vendor_eval.errors import ReadOnlyError
    from vendor_eval.services.lookup import get_evaluation

    with db.write() as s:
        get_evaluation(s, imaging_eval).status = "finalised"
    with pytest.raises(ReadOnlyError):
        questionnaires.import_questionnaires(db, imaging_eval, [blank], "officer")


def test_cli_generate_import_dry_run_and_suggestions(
        db: Database, db_target: str, imaging_eval: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "q.xlsx"
    assert main(["questionnaire", "Teleradiology RFP", "-o", str(out), "--db", db_target]) == 0
    fill(out, out, profile={"name": "Acme"}, answers={"sla.coverage_24x7": "yes"})
    bad = fill(out, tmp_path / "bad.xlsx", answers={"sla.stat_turnaround": "fast"})
    before = dump(db)
    assert main(["import", "Teleradiology RFP", str(out), "--dry-run", "--db", db_target]) == 0
    assert "would import for new vendor Acme" in capsys.readouterr().out
    assert dump(db) == before
    assert main(["import", "Teleradiology RFP", str(out), str(bad), "--db", db_target]) == 1
    text = capsys.readouterr().out
    assert "imported for new vendor Acme" in text
    assert re.search(r"error: Questions!G\d+: expected minutes between 0 and 1440, got 'fast'", text)
    assert "Traceback" not in text
    evaluators.add_evaluator(db, imaging_eval, "Dr Chen", "officer")
    assert main(["suggestions", "Teleradiology RFP", "--db", db_target]) == 0
    assert "answered 'yes': rule gives 5" in capsys.readouterr().out
    assert main(["suggestions", "Teleradiology RFP", "--accept", "--evaluator", "Dr Chen", "--db", db_target]) == 0
    assert "Accepted 1 suggested score(s)" in capsys.readouterr().out
    assert main(["import", "Teleradiology RFP", str(tmp_path / "missing.xlsx"), "--db", db_target]) == 1
    assert "does not exist" in capsys.readouterr().out


def test_accept_all_skips_vendors_the_evaluator_declared_a_conflict_with(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    from vendor_eval.services.declarations import declare

    evaluators.add_evaluator(db, imaging_eval, "Dr Chen", "officer")
    for name in ("Acme", "Beta"):
        path = fill(blank, tmp_path / f"{name}.xlsx", profile={"name": name}, answers={"sla.coverage_24x7": "yes"})
        questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    declare(db, imaging_eval, "Dr Chen", ["Beta"], "chen")
    summary = questionnaires.accept_all_suggestions(db, imaging_eval, "Dr Chen", "chen")
    assert summary.accepted == 1
    assert summary.skipped == ("Beta: Dr Chen declared a conflict of interest with this vendor",)
    snap = load_snapshot(db, imaging_eval)
    assert [next(v.name for v in snap.vendors if v.id == s.vendor_id) for s in snap.scores] == ["Acme"]
