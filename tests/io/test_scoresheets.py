"""Evaluator scoresheets: issued, filled in with openpyxl (and LibreOffice) as a person would,
imported back; hostile and stale sheets leave the database exactly as it was."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from questionnaire_filling import dump, rewrite_zip
from scoresheet_filling import (
    build_committee,
    criterion_rows,
    fill,
    score_column,
    vendor_names,
)
from sqlalchemy import select

from tests.conftest import Seeds
from vendor_eval.cli import main as cli_main
from vendor_eval.services import declarations, evaluations, imports, scores, scoresheets
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent, Evaluation, Evaluator

ADA, TOM, MIA = "Dr Ada Osei", "Tom Lind", "Mia Ferraz"
NW, BF, KR = "Northwind Reads", "Bluefin Imaging", "Kestrel Radiology"


@pytest.fixture
def committee(seed: Callable[..., int]) -> int:
    return seed("scoresheet-committee", build_committee)


@pytest.fixture
def ada_sheet(committee: int, seed: Callable[..., int], _seeds: Seeds, tmp_path: Path) -> Path:
    """Ada's scoresheet issued on the fresh committee, for the tests that issue nothing else first:
    issued once per session (the seed database holds its issue) and the file copied for the test."""
    issued = _seeds.folder / "scoresheet-committee-ada.xlsx"

    def issue(db: Database) -> int:
        scoresheets.issue_scoresheet(db, committee, ADA, issued, "officer")
        return committee

    seed("scoresheet-committee-ada", issue, base="scoresheet-committee")
    return Path(shutil.copyfile(issued, tmp_path / "a.xlsx"))


def five_point_keys(db: Database, eid: int, n: int = 4) -> list[str]:
    """Keys of technical criteria scored 0-5 (the knock-outs are 0-1)."""
    snap = load_snapshot(db, eid)
    return [c.key for c in snap.criteria if c.scale_max == 5 and not c.is_cost][:n]


def my_scores(db: Database, eid: int, evaluator: str) -> dict[tuple[str, str], tuple[float, str]]:
    snap = load_snapshot(db, eid)
    who = next(e.id for e in snap.evaluators if e.name == evaluator)
    vendors = {v.id: v.name for v in snap.vendors}
    keys = {c.id: c.key for c in snap.criteria}
    return {(keys[x.criterion_id], vendors[x.vendor_id]): (x.value, x.comment) for x in snap.scores
            if x.evaluator_id == who}


def test_round_trip_scores_in_the_database_equal_the_sheet(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "ada-filled.xlsx",
                  scores={(k[0], NW): 4, (k[0], BF): "3", (k[1], KR): 2.5, (k[2], NW): 5},
                  comments={(k[0], NW): "DICOM statement complete", (k[2], NW): "+2 for the 24/7 desk"},
                  name=ADA, swap=(k[0], k[3]), submit="yes")  # k[3] and blanks elsewhere stay empty

    [result] = imports.import_workbooks(db, committee, [filled], "officer")

    assert result.ok, result.errors
    assert my_scores(db, committee, ADA) == {
        (k[0], NW): (4.0, "DICOM statement complete"), (k[0], BF): (3.0, ""), (k[1], KR): (2.5, ""),
        (k[2], NW): (5.0, "+2 for the 24/7 desk")}
    assert (result.scores_new, result.scores_changed) == (4, 0)
    sha = hashlib.sha256(filled.read_bytes()).hexdigest()
    with db.read() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.entity == "score", AuditEvent.field == "value")))
        assert len(events) == 4 and all(e.reason == f"scoresheet ada-filled.xlsx sha256 {sha}" for e in events)
        assert s.scalar(select(Evaluator.submitted_at).where(Evaluator.name == ADA)) is not None
    [declared] = declarations.list_declarations(db, committee, ADA)
    assert declared.conflict_vendors == () and "2026-11-28" in declared.statement


def test_a_second_sheet_shows_own_scores_and_no_one_elses(db: Database, committee: int, tmp_path: Path) -> None:
    k = five_point_keys(db, committee)
    scores.record_score(db, committee, ADA, NW, k[0], 4, "officer", comment="Ada's own reason")
    scores.record_score(db, committee, MIA, NW, k[0], 1, "officer", comment="Mia's secret view")  # commercial
    scores.record_score(db, committee, TOM, NW, k[1], 2, "officer", comment="Tom's secret view")
    path = scoresheets.issue_scoresheet(db, committee, ADA, tmp_path / "ada.xlsx", "officer")

    wb = openpyxl.load_workbook(path)
    ws = wb["Scores"]
    row = criterion_rows(ws)[k[0]]
    assert ws.cell(row=row, column=score_column(ws, NW)).value == 4
    assert ws.cell(row=row, column=score_column(ws, NW) + 1).value == "Ada's own reason"
    everything = [c.value for sheet in wb.worksheets for r in sheet.iter_rows() for c in r]
    assert not any(isinstance(v, str) and "secret view" in v for v in everything)
    assert ws.cell(row=criterion_rows(ws)[k[1]], column=score_column(ws, NW)).value is None


def test_formula_like_comments_go_out_as_text_and_come_back_unchanged(
        db: Database, committee: int, tmp_path: Path) -> None:
    k = five_point_keys(db, committee)
    hostile = '=HYPERLINK("http://attacker.example","click")'
    scores.record_score(db, committee, ADA, NW, k[0], 4, "officer", comment=hostile)
    issued = scoresheets.issue_scoresheet(db, committee, ADA, tmp_path / "a.xlsx", "officer")
    ws = openpyxl.load_workbook(issued)["Scores"]
    cell = ws.cell(row=criterion_rows(ws)[k[0]], column=score_column(ws, NW) + 1)
    assert cell.data_type == "s" and not str(cell.value).startswith("=")
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[1], NW): 2}, {}, name=ADA)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert result.ok, result.errors
    assert my_scores(db, committee, ADA)[(k[0], NW)] == (4.0, hostile)
    assert result.scores_unchanged == 1


def test_scores_sheet_carries_guidance_and_every_anchor(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    snap = load_snapshot(db, committee)
    c = next(c for c in snap.criteria if c.scale_max == 5 and c.guidance and len(c.descriptors) == 6)
    ws = openpyxl.load_workbook(ada_sheet)["Scores"]
    row = [cell.value for cell in ws[criterion_rows(ws)[c.key]]]
    assert c.guidance in row
    scale = next(v for v in row if isinstance(v, str) and v.startswith("From 0 to 5"))
    assert all(f"{point}: {text}" in scale for point, text in c.descriptors.items())
    [dv] = [d for d in ws.data_validations.dataValidation if f"{get_letter(score_column(ws, NW))}" in str(d.sqref)
            and d.formula1 == '"0,1,2,3,4,5"']
    assert dv.type == "list"
    # Protected except the answer cells: score and comment open, guidance and anchors locked.
    assert ws.protection.sheet
    row_number = criterion_rows(ws)[c.key]
    assert not ws.cell(row=row_number, column=score_column(ws, NW)).protection.locked
    assert not ws.cell(row=row_number, column=score_column(ws, NW) + 1).protection.locked
    assert ws.cell(row=row_number, column=score_column(ws, NW) + 2).protection.locked  # the vendor's answer
    assert all(ws.cell(row=row_number, column=col).protection.locked for col in range(1, 6))


def get_letter(col: int) -> str:
    return openpyxl.utils.get_column_letter(col)


def test_two_envelopes_and_conflicts_shape_the_sheet(db: Database, committee: int, tmp_path: Path) -> None:
    snap = load_snapshot(db, committee)
    cost = {c.key for c in snap.criteria if c.is_cost}
    assert cost  # the template prices per study
    declarations.declare(db, committee, TOM, [BF], "officer", "consults for Bluefin")
    tom = openpyxl.load_workbook(scoresheets.issue_scoresheet(db, committee, TOM, tmp_path / "t.xlsx", "o"))["Scores"]
    mia = openpyxl.load_workbook(scoresheets.issue_scoresheet(db, committee, MIA, tmp_path / "m.xlsx", "o"))["Scores"]
    assert set(criterion_rows(tom)) == {c.key for c in snap.criteria} - cost
    assert set(criterion_rows(mia)) == cost
    assert vendor_names(tom) == [NW, KR] and vendor_names(mia) == [NW, BF, KR]


def test_price_score_smuggled_into_a_technical_sheet_is_refused(db: Database, committee: int, tmp_path: Path) -> None:
    cost_key = next(c.key for c in load_snapshot(db, committee).criteria if c.is_cost)
    issued = scoresheets.issue_scoresheet(db, committee, TOM, tmp_path / "t.xlsx", "officer")

    def add_price_row(wb: Any) -> None:
        ws = wb["Scores"]
        row = ws.max_row + 1
        ws.cell(row=row, column=1).value = cost_key
        ws.cell(row=row, column=score_column(ws, NW)).value = 5

    filled = fill(issued, tmp_path / "t2.xlsx", {}, {}, name=TOM, edit=add_price_row)
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok
    assert any("Tom Lind does not score" in e and e.startswith("Scores!") for e in result.errors), result.errors
    assert dump(db) == before


def test_declaring_a_conflict_on_the_sheet_forbids_scoring_that_vendor(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 3, (k[0], KR): 4}, {}, name=ADA, conflicts=(KR,))
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok
    col = get_letter(score_column(openpyxl.load_workbook(filled)["Scores"], KR))
    [error] = result.errors
    assert error.startswith(f"Scores!{col}") and "declared a conflict of interest with Kestrel Radiology" in error
    assert dump(db) == before

    clean = fill(issued, tmp_path / "a3.xlsx", {(k[0], NW): 3}, {}, name=ADA, conflicts=(KR,))
    [result] = imports.import_workbooks(db, committee, [clean], "officer")
    assert result.ok and result.declaration_recorded
    assert declarations.list_declarations(db, committee, ADA)[-1].conflict_vendors == (KR,)


def test_incomplete_declaration_is_reported_cell_by_cell(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 3}, {}, name="", signed="last week", skip=(BF,))
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok
    assert any(e.startswith("Declaration!C5: expected your name") for e in result.errors)
    assert "Declaration!C6: expected the date as YYYY-MM-DD, got 'last week'" in result.errors
    assert any("a conflict of interest with Bluefin Imaging" in e for e in result.errors)
    assert dump(db) == before


def test_a_score_changed_in_the_app_since_issue_is_a_conflict_not_overwritten(
        db: Database, committee: int, tmp_path: Path) -> None:
    k = five_point_keys(db, committee)
    scores.record_score(db, committee, ADA, NW, k[0], 2, "officer")
    issued = scoresheets.issue_scoresheet(db, committee, ADA, tmp_path / "a.xlsx", "officer")
    scores.record_score(db, committee, ADA, NW, k[0], 3, "officer")  # changed in the app after issue
    stale = fill(issued, tmp_path / "stale.xlsx", {(k[0], NW): 4, (k[1], NW): 1}, {}, name=ADA)
    before = dump(db)

    [result] = imports.import_workbooks(db, committee, [stale], "officer")

    assert not result.ok
    [error] = result.errors
    assert "changed in the app after this sheet was issued (now 3, the sheet says 4)" in error
    assert dump(db) == before
    # The same sheet with that cell left as issued imports the rest and keeps the app's value.
    left = fill(issued, tmp_path / "left.xlsx", {(k[1], NW): 1}, {}, name=ADA)
    [result] = imports.import_workbooks(db, committee, [left], "officer")
    assert result.ok, result.errors
    assert my_scores(db, committee, ADA) == {(k[0], NW): (3.0, ""), (k[1], NW): (1.0, "")}
    assert any("the app's value was kept" in w for w in result.warnings)


def test_a_sheet_issued_before_the_criteria_changed_imports_with_a_note(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    from vendor_eval.services import vendors

    k = five_point_keys(db, committee)
    issued = ada_sheet
    vendors.add_vendor(db, committee, "Late Bidder Reads", "officer")  # not on the sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 4}, {}, name=ADA)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert result.ok, result.errors
    assert any("changed since this sheet was issued" in w for w in result.warnings)
    assert my_scores(db, committee, ADA) == {(k[0], NW): (4.0, "")}


def test_reimporting_the_same_sheet_changes_nothing(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 4}, {(k[0], NW): "why"}, name=ADA)
    assert imports.import_workbooks(db, committee, [filled], "officer")[0].ok
    before = my_scores(db, committee, ADA)
    [again] = imports.import_workbooks(db, committee, [filled], "officer")
    assert again.ok and (again.scores_new, again.scores_changed, again.scores_unchanged) == (0, 0, 1)
    assert my_scores(db, committee, ADA) == before


# --- hostile and misdirected sheets ----------------------------------------------------------------


def _meta_edit(key: str, value: str) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        for row in wb["vendor_eval_sheet"].iter_rows():
            if row[0].value == key:
                row[1].value = value
    return edit


@pytest.mark.parametrize(("edit", "expected"), [
    (_meta_edit("evaluator_id", "999"), "does not match any scoresheet issued"),
    (_meta_edit("token", "0" * 32), "does not match any scoresheet issued"),
    (_meta_edit("issue_id", "7"), "does not match any scoresheet issued"),
    (_meta_edit("evaluation_id", "424242"), "not of 'Scoresheet RFP'"),
    (_meta_edit("format", "something else"), "is not a vendor_eval scoresheet"),
])
def test_tampered_identity_is_refused(db: Database, committee: int, tmp_path: Path,
                                      edit: Callable[[Any], None], expected: str, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 4}, {}, name=ADA, edit=edit)
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok and expected in result.errors[0], result.errors
    assert dump(db) == before


def test_another_evaluators_sheet_cannot_be_passed_off(db: Database, committee: int, tmp_path: Path) -> None:
    """Tom copies Ada's identity (evaluator id) into his sheet: the token is Tom's, so it is refused."""
    k = five_point_keys(db, committee)
    ada_id = next(e.id for e in load_snapshot(db, committee).evaluators if e.name == ADA)
    issued = scoresheets.issue_scoresheet(db, committee, TOM, tmp_path / "t.xlsx", "officer")
    filled = fill(issued, tmp_path / "t2.xlsx", {(k[0], NW): 5}, {}, name=ADA,
                  edit=_meta_edit("evaluator_id", str(ada_id)))
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok and "does not match any scoresheet issued" in result.errors[0]
    assert my_scores(db, committee, ADA) == {}


def test_sheet_for_another_evaluation_is_refused(db: Database, committee: int, tmp_path: Path) -> None:
    other = evaluations.create_from_template(db, "Medical imaging outsourcing and teleradiology", "Other RFP", "o")
    issued = scoresheets.issue_scoresheet(db, committee, ADA, tmp_path / "a.xlsx", "officer")
    filled = fill(issued, tmp_path / "a2.xlsx", {}, {}, name=ADA)
    [result] = imports.import_workbooks(db, other, [filled], "officer")
    assert not result.ok and "is a scoresheet of evaluation 'Scoresheet RFP'" in result.errors[0]


def test_bad_cells_are_all_reported_with_their_address(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet

    def tamper(wb: Any) -> None:
        ws = wb["Scores"]
        ws.cell(row=criterion_rows(ws)[k[3]], column=1).value = "no.such.key"

    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): "good", (k[1], NW): "=5+0", (k[2], BF): 6}, {},
                  name=ADA, edit=tamper)
    ws = openpyxl.load_workbook(filled)["Scores"]
    rows, nw, bf = criterion_rows(ws), get_letter(score_column(ws, NW)), get_letter(score_column(ws, BF))
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok
    assert set(result.errors) == {
        f"Scores!{nw}{rows[k[0]]}: expected a score from 0 to 5, got 'good'",
        f"Scores!{nw}{rows[k[1]]}: expected a typed value, got the formula '=5+0'",
        f"Scores!{bf}{rows[k[2]]}: expected a score from 0 to 5, got 6",
        f"Scores!A{rows['no.such.key']}: expected a criterion key of this evaluation, got 'no.such.key'",
    }
    assert dump(db) == before


def test_a_zip_bomb_and_an_entity_bomb_are_refused(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    issued = ada_sheet
    data = issued.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * 120_000_000)  # 120 MB of zeros, ~120 kB compressed
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(out.getvalue())
    entity = tmp_path / "entity.xlsx"
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    dtd = '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    head, sep, body = sheet_xml.partition("?>") if sheet_xml.startswith("<?xml") else ("", "", sheet_xml)
    entity.write_bytes(rewrite_zip(data, {"xl/worksheets/sheet1.xml": (head + sep + dtd + body).encode()}))
    before = dump(db)
    results = imports.import_workbooks(db, committee, [bomb, entity], "officer")
    assert [r.ok for r in results] == [False, False]
    assert "zip bomb" in results[0].errors[0]
    assert "entity" in results[1].errors[0].lower() or "DTD" in results[1].errors[0]
    assert dump(db) == before


def test_finalised_evaluation_refuses_a_sheet(db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], NW): 4}, {}, name=ADA)
    with db.write() as s:
        e = s.get_one(Evaluation, committee)
        e.status, e.finalised_by = "finalised", "chair"
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert not result.ok and "read-only" in result.errors[0]
    assert my_scores(db, committee, ADA) == {}


def test_cli_issues_a_sheet_and_import_recognises_it(db: Database, committee: int, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    k = five_point_keys(db, committee)
    target = tmp_path / "ada.xlsx"
    assert cli_main(["--db", str(db.path), "scoresheet", str(committee), "--evaluator", ADA, "-o", str(target)]) == 0
    assert f"Wrote scoresheet {target}" in capsys.readouterr().out
    filled = fill(target, tmp_path / "ada-back.xlsx", {(k[0], KR): 2}, {}, name=ADA)
    code = cli_main(["--db", str(db.path), "--json", "import", str(committee), str(filled)])
    [row] = json.loads(capsys.readouterr().out)
    assert code == 0 and row["kind"] == "scoresheet" and row["scores"]["new"] == 1
    assert my_scores(db, committee, ADA) == {(k[0], KR): (2.0, "")}
    folder = tmp_path / "all"
    assert cli_main(["--db", str(db.path), "scoresheet", str(committee), "--all", "-o", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"Scoresheet - Scoresheet RFP - {who}.xlsx" for who in (ADA, TOM, MIA))


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui to run it")
def test_round_trip_through_libreoffice(db: Database, committee: int, tmp_path: Path, ada_sheet: Path,
                                       libreoffice_profile: str) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet
    source = fill(issued, tmp_path / "filled.xlsx", {(k[0], NW): 4, (k[1], BF): 2.5}, {(k[0], NW): "good evidence"},
                  name=ADA, swap=(k[0], k[2]), submit="yes")
    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run(["soffice", libreoffice_profile, "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120)
    resaved = out / "filled.xlsx"
    assert resaved.read_bytes() != source.read_bytes()
    wb = openpyxl.load_workbook(resaved)
    assert wb["vendor_eval_sheet"].sheet_state in ("veryHidden", "hidden")
    assert any(d.type == "list" for d in wb["Scores"].data_validations.dataValidation)

    [result] = imports.import_workbooks(db, committee, [resaved], "officer")

    assert result.ok, result.errors
    assert my_scores(db, committee, ADA) == {(k[0], NW): (4.0, "good evidence"), (k[1], BF): (2.5, "")}


def test_a_tampered_vendor_key_is_reported_with_its_cell(
        db: Database, committee: int, tmp_path: Path, ada_sheet: Path) -> None:
    k = five_point_keys(db, committee)
    issued = ada_sheet

    def retarget(wb: Any) -> None:
        ws = wb["Scores"]
        col = score_column(ws, BF)
        key_row = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Key")
        ws.cell(row=key_row - 1, column=col).value = "vendor:99999"  # the hidden vendor-id row

    filled = fill(issued, tmp_path / "a2.xlsx", {(k[0], BF): 4}, {}, name=ADA, edit=retarget)
    ws = openpyxl.load_workbook(filled)["Scores"]
    id_row = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Key") - 1
    cell = f"{get_letter(score_column(ws, BF))}{id_row}"
    before = dump(db)
    [result] = imports.import_workbooks(db, committee, [filled], "officer")
    assert result.errors == (f"Scores!{cell}: expected a vendor key of this evaluation, got 'vendor:99999'",)
    assert dump(db) == before
