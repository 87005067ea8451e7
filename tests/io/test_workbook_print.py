"""The committee workbook as a committee member prints it: the sample RFP's workbook converted
to PDF by LibreOffice headless, read back with poppler's pdftotext (pypdf took 10 s for the 115 pages).

Each printed page starts with its sheet's name (the page header), so pages are told apart by sheet.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries

from tests.conftest import Seeds
from vendor_eval.io.report.data import ReportInputs, fingerprint, short_fingerprint
from vendor_eval.services.demo import load_demo
from vendor_eval.services.reports import export_report, report_inputs
from vendor_eval.storage import open_database

# The sample RFP, audit trail included, printed 450 pages before issue 18; its target is 120.
PAGE_TARGET = 120

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed; apt-get install libreoffice-calc-nogui "
           "poppler-utils to run it")


@dataclass(frozen=True)
class Printed:
    inputs: ReportInputs
    workbook: Any
    pages: list[str]  # each page's text, whitespace collapsed
    sheet_of_page: list[str]

    def sheet_pages(self, sheet: str) -> list[str]:
        return [text for text, name in zip(self.pages, self.sheet_of_page, strict=True) if name == sheet]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, _seeds: Seeds, libreoffice_profile: str) -> Printed:
    tmp = tmp_path_factory.mktemp("print")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VENDOR_EVAL_DATA_DIR", str(tmp / "data"))  # never the user's data directory
        evaluation = _seeds.copy(tmp / "sample.db", "demo", load_demo)  # the sample, loaded once per session
        db = open_database(tmp / "sample.db", daily_backup=False)
        try:
            inputs = report_inputs(db, evaluation)
            xlsx = export_report(db, evaluation, "xlsx", tmp / "committee.xlsx")
        finally:
            db.dispose()
    subprocess.run(["soffice", libreoffice_profile, "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp), str(xlsx)], check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(tmp / "committee.pdf"), "-"], check=True,
                          capture_output=True, timeout=300).stdout.decode()
    pages = [" ".join(page.split()) for page in text.split("\f")[:-1]]  # a form feed ends each page
    wb = openpyxl.load_workbook(xlsx)
    names = sorted(wb.sheetnames, key=len, reverse=True)  # "E01 ..." before any shorter prefix
    sheet_of_page = [next((n for n in names if text.startswith(n + " ")), "?") for text in pages]
    return Printed(inputs, wb, pages, sheet_of_page)


def print_area(ws: Any) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of the sheet's print area."""
    return range_boundaries(str(ws.print_area).split("!")[-1].replace("$", ""))


def test_the_sample_prints_within_the_page_target_every_sheet_included(
        printed: Printed, record_property: Any) -> None:
    total = len(printed.pages)
    per_sheet = {name: printed.sheet_of_page.count(name) for name in printed.workbook.sheetnames}
    record_property("printed_pages", total)
    print(f"\nsample RFP workbook printed through LibreOffice: {total} pages; {per_sheet}")
    assert total <= PAGE_TARGET, per_sheet
    assert "?" not in printed.sheet_of_page, "a page without its sheet's name in the header"
    assert all(per_sheet.values()), per_sheet  # every sheet printed (empty print areas would vanish)


def test_summary_is_one_page_with_every_vendor_beside_its_total_and_the_whole_fingerprint(printed: Printed) -> None:
    [page] = printed.sheet_pages("Summary")
    assert fingerprint(printed.inputs.snapshot) in page
    assert printed.inputs.snapshot.audit_head in page
    for v in printed.inputs.ranking.vendors:
        # LibreOffice computed the live total from the Weights formulas; it must equal the app's score.
        assert f"{v.name} {v.score:.2f}" in page, v.name


def test_no_printed_page_cuts_the_columns(printed: Printed) -> None:
    """Each page of a sheet shows its table's first and last printed column (fit to one page wide,
    header rows repeated): no column is pushed onto a page of its own or split from its labels."""
    checked = 0
    for ws in printed.workbook.worksheets:
        pages = printed.sheet_pages(ws.title)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if not ws.print_title_rows or len(pages) < 2:
            continue
        row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
        _, _, last_col, _ = print_area(ws)
        first, last = ws.cell(row, 1).value, ws.cell(row, last_col).value
        for number, page in enumerate(pages, start=1):
            for label in (first, last):
                assert all(word in page for word in str(label).split()), f"{ws.title} page {number}: no {label!r}"
        checked += 1
    assert checked >= 5  # Consensus, Normalised, Comments, Disagreement, Audit at least


def test_every_page_has_the_evaluation_page_x_of_y_and_the_fingerprint_in_its_footer(printed: Printed) -> None:
    total = len(printed.pages)
    name = printed.inputs.snapshot.evaluation.name
    short = short_fingerprint(fingerprint(printed.inputs.snapshot))
    for number, page in enumerate(printed.pages, start=1):
        assert f"Page {number} of {total}" in page
        assert f"Fingerprint {short}" in page and name in page


def test_helper_columns_stay_off_the_page(printed: Printed) -> None:
    weights = printed.workbook["Weights"]
    assert weights["H4"].value == "Group no."  # feeds the SUMIFs
    assert print_area(weights)[2] == column_index_from_string("G")
    assert not any("Group no." in page for page in printed.sheet_pages("Weights"))


def test_the_printed_audit_holds_every_comment_and_every_reason(printed: Printed) -> None:
    """The Audit sheet is the printed record of every comment (the evaluator sheets hold them as
    notes, which do not print): each score's comment reads whole on the Audit pages, and a reason
    shortened to "Same as #n" names a line that prints it."""
    text = " ".join(printed.sheet_pages("Audit"))
    solid = "".join(text.split())  # a wrapped cell's lines meet without the spaces of the line breaks
    comments = ["".join(s.comment.split()) for s in printed.inputs.snapshot.scores.with_comments()]
    assert len(comments) > 1000
    missing = [c for c in comments if c not in solid]
    assert not missing, missing[:3]
    referred = {int(n) for n in re.findall(r"Same as #(\d+)", text)}
    assert referred, "the sample's scoresheet imports repeat their reason"
    reasons = {e.seq: e.reason for e in printed.inputs.audit}
    for seq in referred:
        assert reasons[seq] and "".join(reasons[seq].split()) in solid, seq
