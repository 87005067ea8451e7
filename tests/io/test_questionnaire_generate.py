"""The generated questionnaire: sheets, hidden ids, metadata, validation, protection, layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vendor_eval.errors import NotFound, ValidationError
from vendor_eval.io.excel.questionnaire_template import (
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    PROFILE_FIELDS,
    criteria_digest,
    how_to_answer,
)
from vendor_eval.services import evaluations, questionnaires, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


@pytest.fixture
def book(db: Database, imaging_eval: int, tmp_path: Path) -> openpyxl.Workbook:
    evaluations.update_settings(db, imaging_eval, "officer", questionnaire_deadline="2026-12-01 17:00 UTC",
                                questionnaire_contact="rfp@northvalley.example")
    path = questionnaires.generate_questionnaire(db, imaging_eval, tmp_path / "q.xlsx")
    return openpyxl.load_workbook(path)


def test_sheets_and_hidden_metadata(db: Database, imaging_eval: int, book: openpyxl.Workbook) -> None:
    assert book.sheetnames[:4] == ["Instructions", "Vendor profile", "Questions", "Costs"]
    assert book["vendor_eval"].sheet_state == "veryHidden"
    assert book["Lists"].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in book["vendor_eval"].iter_rows(values_only=True)}
    snap = load_snapshot(db, imaging_eval)
    assert meta["format"] == FORMAT and meta["format_version"] == FORMAT_VERSION
    assert meta["evaluation_id"] == str(imaging_eval)
    assert meta["evaluation_name"] == "Teleradiology RFP"
    assert meta["criteria_digest"] == criteria_digest(snap.criteria)
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "2026-12-01 17:00 UTC" in text and "rfp@northvalley.example" in text


def test_every_criterion_has_a_row_with_its_hidden_key(db: Database, imaging_eval: int,
                                                       book: openpyxl.Workbook) -> None:
    ws = book["Questions"]
    snap = load_snapshot(db, imaging_eval)
    keys = [ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [k for k in keys if k] == [c.key for c in snap.criteria]
    assert ws.column_dimensions["A"].hidden
    assert [c.value for c in ws[HEADER_ROW]][1:] == ["No.", "Group", "Question", "What to provide", "How to answer",
                                                     "Answer", "Evidence / comment", "Attachment reference"]
    row = keys.index("sla.stat_turnaround") + HEADER_ROW + 1
    assert ws.cell(row=row, column=6).value == "A number of minutes between 0 and 1440."


def test_only_answer_cells_are_unlocked(book: openpyxl.Workbook) -> None:
    for name in ("Vendor profile", "Questions", "Costs"):
        ws = book[name]
        assert ws.protection.sheet, name
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    ws = book["Questions"]
    row = HEADER_ROW + 2  # the first question under the first group band
    unlocked = [col for col in range(1, 10) if not ws.cell(row=row, column=col).protection.locked]
    assert unlocked == [7, 8, 9]
    profile = book["Vendor profile"]
    assert [c for c in range(1, 5) if not profile.cell(row=HEADER_ROW + 1, column=c).protection.locked] == [3]


def test_data_validation_for_choices_and_ranges(db: Database, imaging_eval: int, book: openpyxl.Workbook) -> None:
    ws = book["Questions"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}

    def rule_for(key: str) -> openpyxl.worksheet.datavalidation.DataValidation:
        coord = f"G{rows[key]}"
        [dv] = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
        return dv

    assert rule_for("sla.coverage_24x7").formula1 == '"yes,no,partial"'
    stat = rule_for("sla.stat_turnaround")
    assert (stat.type, stat.operator, stat.formula1, stat.formula2) == ("decimal", "between", "0", "1440")
    choice = rule_for("sla.critical_findings")
    assert choice.type == "list" and choice.formula1.startswith("'Lists'!$")
    lists = book["Lists"]
    column = choice.formula1.split("!$")[1].split("$")[0]
    listed = [lists[f"{column}{i}"].value for i in range(1, 5)]
    crit = next(c for c in load_snapshot(db, imaging_eval).criteria if c.key == "sla.critical_findings")
    assert listed == list(crit.choices)
    multi = next(c for c in load_snapshot(db, imaging_eval).criteria if c.key == "interop.ihe_profiles")
    assert ws.cell(row=rows[multi.key], column=6).value == how_to_answer(multi)
    assert all(choice in how_to_answer(multi) for choice in multi.choices)


def test_profile_choices_are_what_the_vendor_service_accepts(db: Database, imaging_eval: int) -> None:
    offered = {f.key: f.choices for f in PROFILE_FIELDS if f.key in ("deployment_model", "hosting_model")}
    assert len(offered) == 2 and all(len(choices) == 3 for choices in offered.values())
    for key, choices in offered.items():
        for i, value in enumerate(choices):
            vendors.add_vendor(db, imaging_eval, f"Vendor {key} {i}", "officer", **{key: value})
        with pytest.raises(ValidationError, match="must be one of"):
            vendors.add_vendor(db, imaging_eval, f"Odd {key}", "officer", **{key: "elsewhere"})


def test_generated_for_a_vendor_prefills_its_profile(db: Database, imaging_eval: int, tmp_path: Path) -> None:
    vendors.add_vendor(db, imaging_eval, "=HYPERLINK(\"http://x\")", "officer", hq_country="Chile",
                       deployment_model="offshore", certifications=["ISO/IEC 27001", "SOC 2 Type II"])
    path = questionnaires.generate_questionnaire(db, imaging_eval, tmp_path / "v.xlsx", vendor="=HYPERLINK(\"http://x\")")
    wb = openpyxl.load_workbook(path)
    profile = {wb["Vendor profile"].cell(row=r, column=1).value: wb["Vendor profile"].cell(row=r, column=3)
               for r in range(HEADER_ROW + 1, 16)}
    assert profile["name"].data_type == "s" and profile["name"].value.startswith("'=")  # never a live formula
    assert profile["hq_country"].value == "Chile"
    assert profile["certifications"].value == "ISO/IEC 27001; SOC 2 Type II"
    meta = {r[0]: r[1] for r in wb["vendor_eval"].iter_rows(values_only=True)}
    assert meta["vendor"] == "'=HYPERLINK(\"http://x\")"  # guarded here, restored on import


def test_unknown_vendor_and_wrong_suffix_are_refused(db: Database, imaging_eval: int, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        questionnaires.generate_questionnaire(db, imaging_eval, tmp_path / "v.xlsx", vendor="Nobody")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        questionnaires.generate_questionnaire(db, imaging_eval, tmp_path / "v.xls")
