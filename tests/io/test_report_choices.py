"""Reports rank as the committee chose: method, aggregation and tariff scenario, stated on the
cover and beside the ranking; their figures equal `vendor-eval-cli rank ... --json`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from pypdf import PdfReader

from vendor_eval.cli import main
from vendor_eval.scoring.topsis import topsis_distances
from vendor_eval.services.demo import load_demo
from vendor_eval.storage import Database

SECTION_301 = "US Section 301: 25 % on China"


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def pdf_text(path: Path, pages: int = 3) -> str:
    """The first pages' text with every run of white space as one space (table cells included)."""
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages[:pages])


@pytest.fixture
def demo(db: Database, db_path: Path, seed: Callable[..., int]) -> str:
    seed("demo", load_demo)
    return str(db_path)


def test_a_topsis_report_shows_the_closeness_and_distances_that_rank_prints(
        demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ranked = cli_json(capsys, "--db", demo, "rank", "1", "--method", "topsis", "--json")
    out = tmp_path / "topsis.pdf"
    assert main(["--db", demo, "report", "1", "--method", "topsis", "-o", str(out), "--quiet"]) == 0
    text = pdf_text(out)
    assert "Ranked by TOPSIS" in text and "Scores by criteria group" not in text
    for v in ranked["vendors"]:
        rank = "–" if v["disqualified"] else str(v["rank"])
        assert (f"{rank} {v['name']} {v['score']:.3f} {v['distance_to_ideal']:.4f} "
                f"{v['distance_to_anti_ideal']:.4f}") in text
    winner = ranked["vendors"][0]
    assert f"{winner['name']} ranks first with {winner['score']:.3f} closeness" in text


def test_a_scenario_report_ranks_under_the_scenario_with_both_costs_side_by_side(
        demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ranked = cli_json(capsys, "--db", demo, "rank", "1", "--scenario", SECTION_301, "--json")
    costs = cli_json(capsys, "--db", demo, "tariffs", "1", "--json")
    lines_of = {(x["vendor"], x["scenario"]): x for x in costs["lines"]}
    out = tmp_path / "scenario.pdf"
    assert main(["--db", demo, "report", "1", "--scenario", SECTION_301, "-o", str(out), "--quiet"]) == 0
    text = pdf_text(out)
    assert SECTION_301 in pdf_text(out, 1)  # on the cover
    raised = 0
    for v in ranked["vendors"]:
        line = lines_of[(v["name"], SECTION_301)]
        row = rf"{re.escape(v['name'])} {v['score']:.1f} (?:\S+ )?{line['baseline_total']:,.0f} {line['total']:,.0f} "
        assert re.search(row, text), row
        raised += line["total"] > line["baseline_total"]
    assert raised >= 1  # the sample RFP has a vendor exposed to the scenario: the columns differ somewhere
    # The Excel report states the same choice.
    xlsx = tmp_path / "scenario.xlsx"
    assert main(["--db", demo, "report", "1", "--scenario", SECTION_301, "-o", str(xlsx), "--quiet"]) == 0
    book = openpyxl.load_workbook(xlsx, read_only=True)
    cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any(SECTION_301 in c and "Ranked by" in c for c in cells)


def test_report_at_quoted_prices_says_so(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "default.pdf"
    assert main(["--db", demo, "report", "1", "-o", str(out), "--quiet"]) == 0
    text = pdf_text(out, 1)
    assert "Ranked by Weighted sum (0-100 points)" in text and "prices as quoted" in text


def test_topsis_distances_match_the_method_written_out() -> None:
    # Tzeng and Huang's (2011) example (see test_published_examples), one step at a time.
    x = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    w = np.array([0.3, 0.4, 0.3])
    v = x / np.sqrt((x**2).sum(axis=0)) * w
    ideal, anti = v.max(axis=0), v.min(axis=0)
    d_plus = np.array([np.sqrt(sum((row[j] - ideal[j]) ** 2 for j in range(3))) for row in v])
    d_minus = np.array([np.sqrt(sum((row[j] - anti[j]) ** 2 for j in range(3))) for row in v])
    closeness, near, far = topsis_distances(x, w, [False, False, False])
    np.testing.assert_allclose(near, d_plus, rtol=1e-12)
    np.testing.assert_allclose(far, d_minus, rtol=1e-12)
    np.testing.assert_allclose(closeness, d_minus / (d_plus + d_minus), rtol=1e-12)
