"""A report of an evaluation with vendors but no evaluators, or no scores yet, renders and
says plainly what is missing (it crashed in the disagreement analysis before)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from vendor_eval.cli import main
from vendor_eval.scoring import engine
from vendor_eval.services import evaluations, evaluators, vendors
from vendor_eval.services.reports import export_report
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

VENDORS = ("Acme Imaging", "Borealis Radiology")


@pytest.fixture
def unscored(db: Database) -> int:
    """Two fictional vendors, no evaluators; cells without a score count as the worst value, so
    the ranking itself is allowed (under 'block' it is refused with its own message)."""
    eid = evaluations.create_from_template(db, "Generic services RFP", "Unscored RFP", "chair")
    for name in VENDORS:
        vendors.add_vendor(db, eid, name, "chair")
    evaluations.update_settings(db, eid, "chair", missing_policy="minimum")
    return eid


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(path).pages))


def test_cli_pdf_without_evaluators_says_what_is_missing(db_path: Path, unscored: int, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "unscored.pdf"
    assert main(["report", str(unscored), "--db", str(db_path), "-o", str(out), "--quiet"]) == 0
    assert "Wrote the PDF committee report" in capsys.readouterr().out
    text = pdf_text(out)
    assert "No evaluator is on the panel and no score has been recorded" in text
    assert "Disagreement was not computed. No evaluator is on the panel" in text
    assert "The sensitivity analysis was not computed. No evaluator is on the panel" in text
    # Nothing claims a winner, a robust win or an agreeing panel on no scores at all.
    assert "ranks first" not in text and "tie for first" not in text and "robust" not in text
    assert "Recommended" not in text and "broadly agreed" not in text
    assert text.count("Not scored") >= len(VENDORS)


def test_service_pdf_with_evaluators_but_no_scores(db: Database, unscored: int, tmp_path: Path) -> None:
    evaluators.add_evaluator(db, unscored, "Dana Reviewer", "chair")
    text = pdf_text(export_report(db, unscored, "pdf", tmp_path / "r.pdf"))
    assert "The one evaluator on the panel has recorded no score yet" in text
    evaluators.add_evaluator(db, unscored, "Eli Reviewer", "chair")
    text = pdf_text(export_report(db, unscored, "pdf", tmp_path / "r.pdf"))
    assert "The 2 evaluators on the panel have recorded no score yet" in text


def test_service_workbook_without_evaluators(db: Database, unscored: int, tmp_path: Path) -> None:
    path = export_report(db, unscored, "xlsx", tmp_path / "unscored.xlsx")
    wb = openpyxl.load_workbook(path)
    summary = " ".join(str(c) for row in wb["Summary"].iter_rows(values_only=True) for c in row if c is not None)
    assert all(name in summary for name in VENDORS)
    assert "Not scored" in summary and "Recommended" not in summary  # a 0-point tie recommends no one
    assert "Not computed." in [c for row in wb["Disagreement"].iter_rows(values_only=True) for c in row]


def test_disagreement_of_an_empty_panel_is_empty(db: Database, unscored: int) -> None:
    result = engine.disagreement_snapshot(load_snapshot(db, unscored))
    assert result.cells == () and result.evaluators == ()
    assert result.spread.shape == (len(VENDORS), 12)
