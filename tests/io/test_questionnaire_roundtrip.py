"""Generate a questionnaire, answer it as a vendor would, import it, and get exactly the answers back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from questionnaire_filling import dump, fill, reorder_question_rows, sample_answer

from vendor_eval.services import questionnaires
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

PROFILE = {
    "name": "Northwind Reads", "legal_name": "Northwind Teleradiology Ltd", "contact": "Ana Ruiz, ana@example.org",
    "hq_country": "Ireland", "delivery_locations": "Ireland; Portugal", "deployment_model": "Nearshore",
    "hosting_model": "hybrid", "modalities": "CT; MRI; X-ray", "service_types": "Primary teleradiology reading",
    "certifications": "ISO/IEC 27001; SOC 2 Type II", "contract_term_years": 3, "escalation_cap_pct": 2.5,
}
COSTS = [
    ["Hardware", "Reading workstations", 120000, "usd", "China", "yes", "yes"],
    ["Professional services", "Radiologist reading", 900000.5, "EUR", "Ireland", "no", None],
]


def answer_sheet(db: Database, ref: int) -> dict[str, tuple[Any, Any]]:
    """(typed, expected) answers for every criterion of the evaluation."""
    return {c.key: sample_answer(c, i) for i, c in enumerate(load_snapshot(db, ref).criteria)}


def stored_answers(db: Database, ref: int, vendor: str) -> dict[str, tuple[Any, str, str]]:
    snap = load_snapshot(db, ref)
    vid = next(v.id for v in snap.vendors if v.name == vendor)
    keys = {c.id: c.key for c in snap.criteria}
    return {keys[a.criterion_id]: (a.value, a.evidence, a.attachment_ref) for a in snap.answers if a.vendor_id == vid}


def vandalise_outside_answers(wb: openpyxl.Workbook) -> None:
    """Edits a vendor may make outside the answer cells once protection is off."""
    ws = wb["Questions"]
    ws["D5"] = "We rewrote your question text"
    ws["E6"] = None
    ws["K12"] = "a note in an unused column"
    ws["B1"] = "Our answers"
    ws.protection.sheet = False
    wb["Instructions"]["B5"] = "read me"
    wb.create_sheet("Our notes")["A1"] = "internal"
    wb.move_sheet("Costs", offset=-3)


def filled(blank: Path, sheet: dict[str, tuple[Any, Any]], dst: Path, **extra: Any) -> Path:
    keys = list(sheet)
    return fill(
        blank, dst, answers={k: typed for k, (typed, _) in sheet.items()},
        evidence={k: f"Evidence for {k}: 見積 ✓" for k in keys[::2]},
        attachments={k: f"Annex {i}" for i, k in enumerate(keys[::3])},
        profile=PROFILE, costs=COSTS, **extra,
    )


def expected_answers(sheet: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, str, str]]:
    keys = list(sheet)
    evidence = {k: f"Evidence for {k}: 見積 ✓" for k in keys[::2]}
    attachments = {k: f"Annex {i}" for i, k in enumerate(keys[::3])}
    return {k: (value, evidence.get(k, ""), attachments.get(k, "")) for k, (_, value) in sheet.items()}


def test_round_trip_with_reordered_rows_and_edits_outside_answer_cells(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    sheet = answer_sheet(db, imaging_eval)
    assert {c.answer_type for c in load_snapshot(db, imaging_eval).criteria} == {
        "yes_no_partial", "number", "single_choice", "multi_choice", "text"}

    def mutate(wb: openpyxl.Workbook) -> None:
        reorder_question_rows(wb)
        vandalise_outside_answers(wb)

    path = filled(blank, sheet, tmp_path / "northwind.xlsx", mutate=mutate)
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")

    assert result.ok, result.errors
    assert result.vendor_created and result.vendor == "Northwind Reads"
    assert stored_answers(db, imaging_eval, "Northwind Reads") == expected_answers(sheet)
    snap = load_snapshot(db, imaging_eval)
    vendor = snap.vendors[0]
    assert (vendor.legal_name, vendor.hq_country, vendor.deployment_model, vendor.hosting_model) == (
        "Northwind Teleradiology Ltd", "Ireland", "nearshore", "hybrid")
    assert vendor.delivery_locations == ("Ireland", "Portugal")
    assert vendor.certifications == ("ISO/IEC 27001", "SOC 2 Type II")
    assert (vendor.contract_term_years, vendor.escalation_cap_pct) == (3.0, 2.5)
    lines = [(x.category, x.description, x.annual_amount, x.currency, x.origin_country, x.pass_through,
              x.imaging_equipment) for x in snap.cost_lines]
    assert lines == [("hardware", "Reading workstations", 120000.0, "USD", "China", True, True),
                     ("professional_services", "Radiologist reading", 900000.5, "EUR", "Ireland", False, False)]
    ruled = [c for c in snap.criteria if c.scoring_rule]
    assert len(snap.suggestions) == len(ruled) == result.suggestions


def test_import_records_file_name_size_and_sha256(db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    import hashlib

    from vendor_eval.storage.models import QuestionnaireImport

    path = filled(blank, answer_sheet(db, imaging_eval), tmp_path / "v.xlsx")
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    with db.read() as s:
        record = s.get(QuestionnaireImport, result.import_id)
        assert (record.file_name, record.file_size, record.sha256, record.imported_by) == (
            "v.xlsx", path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest(), "officer")
        assert record.template_version.startswith("1:")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui to run it")
def test_round_trip_through_libreoffice(db: Database, imaging_eval: int, blank: Path, tmp_path: Path,
                                       libreoffice_profile: str) -> None:
    sheet = answer_sheet(db, imaging_eval)
    source = filled(blank, sheet, tmp_path / "filled.xlsx")
    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run(["soffice", libreoffice_profile, "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=120)
    resaved = out / "filled.xlsx"
    assert resaved.read_bytes() != source.read_bytes()

    [result] = questionnaires.import_questionnaires(db, imaging_eval, [resaved], "officer")

    assert result.ok, result.errors
    assert stored_answers(db, imaging_eval, "Northwind Reads") == expected_answers(sheet)


def test_reimport_updates_answers_and_audits_old_and_new(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    sheet = answer_sheet(db, imaging_eval)
    first = filled(blank, sheet, tmp_path / "v1.xlsx")
    questionnaires.import_questionnaires(db, imaging_eval, [first], "officer")
    changed = dict(sheet)
    changed["sla.stat_turnaround"] = (25, 25.0)
    changed["sla.coverage_24x7"] = (None, None)
    second = fill(first, tmp_path / "v2.xlsx",
                  answers={"sla.stat_turnaround": 25, "sla.coverage_24x7": None},
                  evidence={"sla.coverage_24x7": None}, attachments={"sla.coverage_24x7": None},
                  costs=[["Software", "PACS licence", 5000, "USD", "United States", "no", "no"], [None] * 7])

    [result] = questionnaires.import_questionnaires(db, imaging_eval, [second], "officer")

    assert result.ok, result.errors
    assert (result.answers_changed, result.answers_cleared, result.answers_new) == (1, 1, 0)
    assert result.answers_unchanged == len(sheet) - 2
    answers = stored_answers(db, imaging_eval, "Northwind Reads")
    assert answers["sla.stat_turnaround"][0] == 25.0
    assert "sla.coverage_24x7" not in answers
    with db.read() as s:
        from sqlalchemy import select

        from vendor_eval.storage.models import AuditEvent
        events = s.scalars(select(AuditEvent).where(AuditEvent.evaluation_id == imaging_eval)).all()
        fields = [(e.entity, e.field, e.old_value, e.new_value) for e in events]
    changes = [(json.loads(f[2]), json.loads(f[3])) for f in fields if f[:2] == ("answer", "value")]
    assert changes == [({"criterion": "sla.stat_turnaround", "value": sheet["sla.stat_turnaround"][1],
                         "vendor": "Northwind Reads"},
                        {"criterion": "sla.stat_turnaround", "value": 25.0, "vendor": "Northwind Reads"})]
    assert any(f[0] == "answer" and f[1] == "cleared" for f in fields)
    replaced = [f for f in fields if f[:2] == ("cost_lines", "replaced")]
    assert len(replaced) == 2 and "PACS licence" in replaced[-1][3] and "Reading workstations" in replaced[-1][2]
    snap = load_snapshot(db, imaging_eval)
    assert [x.description for x in snap.cost_lines] == ["PACS licence"]
    assert len(snap.vendors) == 1
    stat = next(c for c in snap.criteria if c.key == "sla.stat_turnaround")
    assert next(x.value for x in snap.suggestions if x.criterion_id == stat.id) == 5


def test_dry_run_changes_nothing_and_reports_what_would_change(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    path = filled(blank, answer_sheet(db, imaging_eval), tmp_path / "v.xlsx")
    before = dump(db)
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer", dry_run=True)
    assert result.ok and result.dry_run and result.vendor_created
    assert result.answers_new == len(load_snapshot(db, imaging_eval).criteria)
    assert "would import" in result.summary()
    assert dump(db) == before


def test_all_errors_of_a_file_are_reported_at_once_and_nothing_changes(
        db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    path = fill(blank, tmp_path / "bad.xlsx", profile={"name": "Bad Vendor", "deployment_model": "on the moon"},
                answers={"sla.stat_turnaround": "fast", "sla.coverage_24x7": "maybe",
                         "deployment.platform_availability": 80, "interop.ihe_profiles": "SWF.b; HTTP"},
                costs=[["Hardware", "Servers", -5, "dollars", "China", "perhaps", None]])
    before = dump(db)
    [result] = questionnaires.import_questionnaires(db, imaging_eval, [path], "officer")
    assert not result.ok
    rows = {}
    ws = openpyxl.load_workbook(path)["Questions"]
    for r in range(4, ws.max_row + 1):
        rows[ws.cell(row=r, column=1).value] = r
    assert f"Questions!G{rows['sla.stat_turnaround']}: expected minutes between 0 and 1440, got 'fast'" in result.errors
    assert f"Questions!G{rows['sla.coverage_24x7']}: expected yes, no or partial, got 'maybe'" in result.errors
    assert f"Questions!G{rows['deployment.platform_availability']}: expected a percentage between 90 and 100, got 80" \
        in result.errors
    assert any("unknown option 'http'" in e for e in result.errors)
    assert any(e.startswith("Vendor profile!C9: expected one of onshore") for e in result.errors)
    assert any(e.startswith("Costs!C4: expected a yearly amount") for e in result.errors)
    assert any(e.startswith("Costs!D4: expected a three-letter currency") for e in result.errors)
    assert any(e.startswith("Costs!F4: expected yes or no") for e in result.errors)
    assert len(result.errors) == 8
    assert dump(db) == before


def test_one_bad_file_does_not_stop_the_others(db: Database, imaging_eval: int, blank: Path, tmp_path: Path) -> None:
    good = fill(blank, tmp_path / "good.xlsx", profile={"name": "Good"}, answers={"sla.coverage_24x7": "yes"})
    bad = fill(blank, tmp_path / "bad.xlsx", profile={"name": "Bad"}, answers={"sla.coverage_24x7": "maybe"})
    seen: list[tuple[int, int, str]] = []
    results = questionnaires.import_questionnaires(db, imaging_eval, [good, bad], "officer",
                                                   progress=lambda *a: seen.append(a))
    assert [r.ok for r in results] == [True, False]
    assert [v.name for v in load_snapshot(db, imaging_eval).vendors] == ["Good"]
    assert seen == [(0, 2, "good.xlsx"), (1, 2, "bad.xlsx"), (2, 2, "")]
