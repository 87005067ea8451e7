"""The committee workbook: live totals equal the app's scores, weights drive them, and no
user text can run as a formula."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from pypdf import PdfReader
from report_fixtures import (
    ACME,
    CJK,
    FORMULA_VENDOR,
    HOSTILE_COMMENT,
    fresh,
    make_inputs,
    seed_database,
)
from xlsx_formulas import Evaluator

from vendor_eval.errors import ValidationError
from vendor_eval.io.report import xlsx_sheets
from vendor_eval.io.report.contents import build_report_data
from vendor_eval.io.report.data import fingerprint, short_fingerprint
from vendor_eval.io.report.pdf import write_pdf
from vendor_eval.io.report.pdf_styles import heat
from vendor_eval.io.report.xlsx import write_xlsx
from vendor_eval.io.report.xlsx_sheets import sheet_name
from vendor_eval.scoring import engine
from vendor_eval.services.ranking import rank_evaluation
from vendor_eval.services.reports import export_report

# Our formulas use only references, numbers, "" and these functions; user text never appears in one.
OUR_FORMULA = re.compile(r"=(?:[A-Z]+\(|[-+*/(),<>=]|\$?[A-Z]{1,3}\$?\d+|'?[A-Za-z]+'?!|\d+(?:\.\d+)?|\"\"|:)+")


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any openpyxl warning on load fails the test
        return openpyxl.load_workbook(path)


LABEL_COLUMNS = ("Criterion", "Weight", "Scale", "Scale min", "Scale max")


def unguard(name: str) -> str:
    return name.removeprefix("'") if name.startswith("'=") else name


def matrix(wb: openpyxl.Workbook, sheet: str = "Consensus") -> tuple[Any, dict[str, int], dict[str, int]]:
    """A criteria-as-rows sheet read as a person would: vendor name -> column, row label -> row."""
    ws = wb[sheet]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Criterion")
    vendors = {}
    for c in range(2, ws.max_column + 1):
        label = ws.cell(head, c).value
        if label is None:
            break
        if label not in LABEL_COLUMNS:
            vendors[unguard(label)] = c
    rows = {unguard(v): r for r in range(head, ws.max_row + 1) if isinstance(v := ws.cell(r, 1).value, str)}
    return ws, vendors, rows


def consensus_totals(wb: openpyxl.Workbook, ev: Evaluator) -> dict[str, float]:
    ws, vendors, rows = matrix(wb)
    return {name: ev.value("Consensus", f"{get_column_letter(c)}{rows['Total (live, 0-100)']}")
            for name, c in vendors.items()}


@pytest.mark.parametrize("policy", ["renormalise", "minimum"])
def test_live_totals_equal_the_app_scores(tmp_path: Path, policy: str) -> None:
    inp = make_inputs(policy)
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    totals = consensus_totals(wb, Evaluator(wb))
    assert len(totals) == len(inp.ranking.vendors)
    for v in inp.ranking.vendors:
        assert totals[v.name] == pytest.approx(v.score, abs=1e-9), v.name
    summary = wb["Summary"]
    live = [c.value for c in summary["C"] if isinstance(c.value, str) and c.value.startswith("=Consensus!")]
    assert len(live) == len(inp.ranking.vendors)  # beside the names, in the ranking


@pytest.mark.parametrize("policy", ["renormalise", "minimum"])
def test_group_rows_hold_each_groups_points_as_the_app_splits_them(tmp_path: Path, policy: str) -> None:
    inp = make_inputs(policy)
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    ev = Evaluator(wb)
    _, vendors, rows = matrix(wb)
    for v in inp.ranking.vendors:
        letter = get_column_letter(vendors[v.name])
        parts = {g.name: ev.value("Consensus", f"{letter}{rows[g.name]}") for g in inp.snapshot.groups}
        assert parts == pytest.approx(v.by_group, abs=1e-9), v.name
        assert sum(parts.values()) == pytest.approx(v.score, abs=1e-9)


def test_changing_a_weight_in_excel_moves_the_totals_like_the_app(tmp_path: Path) -> None:
    inp = make_inputs("renormalise")
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    ev = Evaluator(wb)
    weights = wb["Weights"]
    group_row = next(r for r in range(1, 20) if weights.cell(r, 1).value == "Commercial")
    crit_row = next(r for r in range(1, 60) if weights.cell(r, 2).value == "sec.soc2")
    ev.set("Weights", f"B{group_row}", 60.0)  # Commercial 25 -> 60 %
    ev.set("Weights", f"D{crit_row}", 5.0)  # SOC 2 60 -> 5 % within its group
    snap = inp.snapshot
    groups = tuple(replace(g, weight=60.0) if g.name == "Commercial" else g for g in snap.groups)
    criteria = tuple(replace(c, weight=5.0) if c.key == "sec.soc2" else c for c in snap.criteria)
    expected = engine.rank_snapshot(fresh(snap, groups=groups, criteria=criteria))
    totals = consensus_totals(wb, ev)
    for v in expected.vendors:
        assert totals[v.name] == pytest.approx(v.score, abs=1e-9)
    before = {v.name: v.score for v in inp.ranking.vendors}
    assert any(abs(totals[n] - before[n]) > 0.5 for n in before), "a weight change must move the totals"


def test_no_user_text_cell_is_a_formula(tmp_path: Path) -> None:
    inp = make_inputs()
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    formulas = 0
    texts: set[str] = set()
    notes: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    notes.add(cell.comment.text)
                if cell.data_type == "f":
                    formulas += 1
                    assert OUR_FORMULA.fullmatch(cell.value), f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                elif isinstance(cell.value, str):
                    texts.add(cell.value)
    assert formulas > len(inp.ranking.vendors) * len(inp.snapshot.criteria)
    # Hostile text arrives as text: the formula-looking vendor is guarded, markup is literal; comments
    # are notes on the evaluators' scores, which never run, so they keep their text as written.
    assert "'" + FORMULA_VENDOR in texts
    assert ACME in texts and CJK in texts
    assert {"=1+1 injected", HOSTILE_COMMENT} <= notes
    assert "'=cmd|' /C calc'!A0" in texts  # the audit trail's reason
    assert "Pasted from a PDF:\ufffd bullet\ufffd end" in notes  # control characters cannot abort the export


def test_workbook_structure(tmp_path: Path) -> None:
    inp = make_inputs()
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    names = wb.sheetnames
    assert names[:4] == ["Summary", "Weights", "Consensus", "Normalised"]
    assert [n for n in names if re.match(r"E\d\d ", n)] == ["E01 Dr. Miriam Okafor", "E02 Tomasz Lindqvist",
                                                            "E03 Priya Raman"]
    for name in ("Disagreement", "Spread", "Sensitivity", "Tariffs", "Audit"):
        assert name in names
    cons, vendors, rows = matrix(wb)
    # Criteria as rows under their group, vendors as columns in ranking order.
    assert list(vendors) == [v.name for v in make_inputs().ranking.vendors]
    assert rows["Service levels"] < rows["STAT turnaround"] < rows["Security & compliance"] < rows["SOC 2 Type II"]
    assert "Discrepancy rate (lower is better)" in rows
    assert cons.freeze_panes == "E7"
    assert cons.conditional_formatting and wb["Normalised"].conditional_formatting
    # Cells take the PDF's heat colours: worst red, amber, best green; reversed where lower is better.
    pdf = tuple("".join(f"{round(x * 255):02X}" for x in heat(v).rgb()) for v in (0.0, 0.5, 1.0))
    scales = {tuple(c.rgb[-6:] for c in rule.colorScale.color)
              for cf in cons.conditional_formatting for rule in cf.rules if rule.colorScale}
    assert scales == {pdf, pdf[::-1]}
    assert cons.cell(rows["STAT turnaround"], vendors["Northwind Teleradiology"]).number_format == "0.00"
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist()), "the native bar chart is missing"
    e2, e2_vendors, e2_rows = matrix(wb, "E02 Tomasz Lindqvist")
    assert e2.freeze_panes == "C5" and list(e2_vendors) == list(vendors)
    # Comments: notes on the scores they were written beside, by their evaluator.
    notes = {(e2.cell(r, k).comment.text, e2.cell(r, k).comment.author) for r in e2_rows.values()
             for k in e2_vendors.values() if e2.cell(r, k).comment is not None}
    written = {(s.comment, "Tomasz Lindqvist") for s in make_inputs().snapshot.scores.with_comments()
               if s.evaluator_id == make_inputs().snapshot.evaluators[1].id}
    assert written and notes == written


def test_the_workbook_and_the_pdf_state_the_same_cover(tmp_path: Path) -> None:
    data = build_report_data(make_inputs())  # both writers take this one prepared ReportData
    write_xlsx(data, tmp_path / "r.xlsx")
    write_pdf(data, tmp_path / "r.pdf")
    summary = load(tmp_path / "r.xlsx")["Summary"]
    facts = {row[0].value: row[1].value for row in summary.iter_rows(min_row=3, max_row=9, max_col=2)}
    assert facts["Fingerprint (SHA-256)"] == fingerprint(data.inputs.snapshot)
    assert facts["Audit chain head"] == data.inputs.snapshot.audit_head == "ab" * 32
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages).replace("\n", "")
    assert short_fingerprint(facts["Fingerprint (SHA-256)"]) in pdf_text and facts["Audit chain head"] in pdf_text
    assert facts["Status"] in pdf_text and facts["Generated"] in pdf_text


def test_export_report_service_writes_a_workbook_matching_the_ranking(db: Any, imaging_eval: int,
                                                                      tmp_path: Path) -> None:
    names = seed_database(db, imaging_eval)
    path = export_report(db, imaging_eval, "xlsx", tmp_path / "committee.xlsx")
    wb = load(path)
    totals = consensus_totals(wb, Evaluator(wb))
    ranking = rank_evaluation(db, imaging_eval)
    assert [v.name for v in ranking.vendors] == names
    for v in ranking.vendors:
        assert totals[v.name] == pytest.approx(v.score, abs=1e-9)
    audit = wb["Audit"]
    assert audit.max_row > 20 and "intact" in audit["A2"].value  # the change log, and the chain verified
    assert not list(tmp_path.glob(".committee.xlsx.*"))  # no temporary file left behind


def test_export_report_refuses_an_unknown_format(db: Any, imaging_eval: int, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="pdf, xlsx"):
        export_report(db, imaging_eval, "docx", tmp_path / "x.docx")


def test_evaluator_sheet_names_are_legal_and_unique() -> None:
    wb = openpyxl.Workbook()
    first = sheet_name(wb, "E01 Dr. A/B [chair]: who? *all*")
    assert first == "E01 Dr. A_B _chair__ who_ _all_"[:31]
    wb.create_sheet(first)
    second = sheet_name(wb, "E01 Dr. A/B [chair]: who? *all*")
    assert second != first and len(second) <= 31
    assert sheet_name(wb, "'quoted'") == "quoted"


def test_every_sheet_prints_on_a4_fit_to_width_with_the_footer(tmp_path: Path) -> None:
    inp = make_inputs()
    path = tmp_path / "report.xlsx"
    write_xlsx(build_report_data(inp), path)
    wb = load(path)
    short = short_fingerprint(fingerprint(inp.snapshot))
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.print_area, ws.title
        footer = ws.oddFooter
        # '&' starts a code in a footer: the evaluation's "& co" must come out as a literal ampersand.
        assert footer.left.text == "Teleradiology RFP <2026> && co"
        assert footer.center.text == "Page &P of &N" and footer.right.text == f"Fingerprint {short}"
        assert ws.oddHeader.left.text == "&A"  # the sheet's name on every page
    assert wb["Summary"].page_setup.fitToHeight == 1  # the Summary is one page
    assert wb["Consensus"].print_title_rows == "$4:$6" and wb["Consensus"].print_title_cols == "$A:$A"
    audit = wb["Audit"]
    assert audit.tables["AuditTrail"].ref.startswith("A4:J")  # an Excel table: filter buttons on every column
    assert [c.value for c in audit[4]] == ["#", "When (UTC)", "Who", "What", "Vendor", "Criterion", "Change",
                                           "Before", "After", "Reason"]
    assert [c.value for c in audit[5]][2:9] == ["officer", "Vendor", None, None, "Name", None, ACME]


def test_the_fast_row_writer_writes_what_openpyxl_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsx_sheets.fast_rows formats cells as text instead of openpyxl's element per cell: the
    workbook must read back cell for cell (value, type, style, note, row height) as openpyxl's own."""
    data = build_report_data(make_inputs())
    write_xlsx(data, tmp_path / "fast.xlsx")
    monkeypatch.setattr(xlsx_sheets, "fast_rows", lambda _ws, _rows: False)  # openpyxl's ws.append
    write_xlsx(data, tmp_path / "plain.xlsx")
    fast, plain = load(tmp_path / "fast.xlsx"), load(tmp_path / "plain.xlsx")
    assert fast.sheetnames == plain.sheetnames
    cells = 0
    for a, b in zip(fast.worksheets, plain.worksheets, strict=True):
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), a.title
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                # openpyxl writes floats to 16 significant digits, fast_rows exactly (repr)
                value = pytest.approx(y.value, rel=1e-15) if isinstance(y.value, float) else y.value
                assert (x.value, x.data_type, x.number_format, *map(repr, (x.font, x.fill, x.alignment, x.border))) == (
                    value, y.data_type, y.number_format, *map(repr, (y.font, y.fill, y.alignment, y.border))), (
                    f"{a.title}!{x.coordinate}")
                assert (x.comment and (x.comment.text, x.comment.author)) == (
                    y.comment and (y.comment.text, y.comment.author)), x.coordinate
                cells += x.value is not None
        assert {r: d.height for r, d in a.row_dimensions.items()} == {r: d.height for r, d in b.row_dimensions.items()}
    assert cells > 1000
