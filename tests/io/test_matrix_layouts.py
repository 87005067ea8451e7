"""Bring your spreadsheet: every layout of the corpus imports with no option but the scale, and
the app's ranking equals a numpy weighted sum of the same numbers; ambiguous sheets are refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from matrix_layouts import CORPUS, CRITERIA, VENDORS, Case, rows_basic, text_scores_good_fair_poor, write_sheet
from questionnaire_filling import dump

from vendor_eval.cli import main
from vendor_eval.errors import ValidationError
from vendor_eval.io.matrix.detect import Overrides
from vendor_eval.services.matrix_import import import_matrix, preview_matrix
from vendor_eval.services.ranking import rank_evaluation
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


def reference_totals(case: Case) -> np.ndarray:
    """Weighted sum 0-100 written out: mean of the evaluators, min-max on the scale, weights summing to 1."""
    lo, hi = case.scale
    mean = case.scores.mean(axis=0)
    scaled = (mean - lo) / (hi - lo)
    lower_better = np.array([d == "min" for d in case.directions])
    scaled[:, lower_better] = 1.0 - scaled[:, lower_better]
    return 100.0 * scaled @ (case.weights / case.weights.sum())


@pytest.mark.parametrize("build", CORPUS, ids=lambda f: f.__name__)
def test_each_layout_imports_with_only_the_scale_and_ranks_as_numpy(db: Database, tmp_path: Path,
                                                                    build: Callable[[Path], Case]) -> None:
    case = build(tmp_path)
    import_matrix(db, case.path, "Imported", "officer", scale=case.scale)
    snap = load_snapshot(db, "Imported")
    assert len(snap.criteria) == case.scores.shape[2]
    assert len(snap.evaluators) == case.scores.shape[0]
    result = rank_evaluation(db, "Imported")
    got = {v.name: v.score for v in result.vendors}
    expected = reference_totals(case)
    names = [v.name for v in snap.vendors]
    np.testing.assert_allclose([got[n] for n in names], expected, rtol=1e-9, atol=1e-9)
    # The preview the wizard and --dry-run show is the same ranking, before anything is written.
    preview = preview_matrix(case.path, case.scale)
    order = np.argsort(-expected, kind="stable")
    assert [v for v, _ in preview.ranking] == [names[i] for i in order]
    np.testing.assert_allclose([s for _, s in preview.ranking], expected[order], rtol=1e-9, atol=1e-9)


def test_several_evaluators_keep_their_own_scores(db: Database, tmp_path: Path) -> None:
    from matrix_layouts import evaluator_blocks_merged, sheet_per_evaluator_with_summary

    case = sheet_per_evaluator_with_summary(tmp_path)
    summary = import_matrix(db, case.path, "Committee", "officer", scale=case.scale)
    assert summary.evaluators == ("Dr Okafor", "J. Lindqvist", "M. Varga")
    assert any("'Summary' (a summary of formulas)" in w for w in summary.warnings)
    snap = load_snapshot(db, "Committee")
    np.testing.assert_array_equal(snap.score_cube(), case.scores)
    case = evaluator_blocks_merged(tmp_path)
    assert import_matrix(db, case.path, "Panel", "officer", scale=case.scale).evaluators == (
        "Radiology chair", "PACS lead")
    np.testing.assert_array_equal(load_snapshot(db, "Panel").score_cube(), case.scores)


def test_detected_layout_is_described_with_what_was_skipped(tmp_path: Path) -> None:
    from matrix_layouts import merged_headings_subtotals, rows_percent_format_total_row

    lines = preview_matrix(merged_headings_subtotals(tmp_path).path).detection.describe()
    assert "Groups: Service levels 40 %, Security 60 %" in lines
    assert [x for x in lines if x.startswith("Skipped")] == [
        "Skipped: 'RFP scoring' row 6 'Subtotal' (a total)", "Skipped: 'RFP scoring' row 10 'Subtotal' (a total)",
        "Skipped: 'RFP scoring' row 11 'Grand total' (a total)"]
    lines = preview_matrix(rows_percent_format_total_row(tmp_path).path, (0, 100)).detection.describe()
    assert "Weights: column B, as percent, summing to 100 %; normalised to 100 %" in lines
    words = preview_matrix(text_scores_good_fair_poor(tmp_path).path).detection
    assert "Word scores: 'good' = 5, 'fair' = 2.5, 'poor' = 0" in words.describe()


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    return write_sheet(path, rows, "Evaluation")


TABLE = [["Criterion", "Weight", "Acme Reads", "Beta Scan"], ["Uptime", 60, 4, 3], ["Price", 40, 2, 5]]


@pytest.mark.parametrize(("rows", "message", "settle"), [
    (TABLE + [[], ["Last year"], *TABLE], "holds two tables (headings in rows 1 and 6); choose one with --header-row N",
     Overrides(header_row=6)),
    ([["Criterion", "Acme Reads", "Beta Scan"], ["Uptime", 4, 3], ["Price", 2, 5]],
     "has no weights (no heading such as 'Weight' or '%'); name the weight column (its letter) with --weights, "
     "or weigh all criteria the same with --weights equal", Overrides(weights="equal")),
    ([["Line", "Acme Reads", "Beta Scan"], ["Uptime", 4, 3], ["Price", 2, 5]],
     "does not say whether the criteria run down the rows or across the columns; settle it with --orientation",
     Overrides(orientation="rows", weights="equal")),
])
def test_ambiguous_sheets_are_refused_with_the_option_that_settles_them(
        db: Database, tmp_path: Path, rows: list[list[object]], message: str, settle: Overrides) -> None:
    path = _sheet(tmp_path / "m.xlsx", rows)
    before = dump(db)
    with pytest.raises(ValidationError) as caught:
        import_matrix(db, path, "Unsure", "officer")
    assert message in str(caught.value)
    assert str(caught.value).count(". ") == 0  # one sentence
    assert dump(db) == before
    assert import_matrix(db, path, "Settled", "officer", overrides=settle).vendors == 2


def test_two_different_sheets_are_refused_until_one_is_chosen(db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Imaging"
    for row in TABLE:
        wb.active.append(row)
    other = wb.create_sheet("Archiving")
    for row in [["Criterion", "Weight", "Gamma Store"], ["Retention", 1, 4]]:
        other.append(row)
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(ValidationError, match="sheets 'Imaging' and 'Archiving' hold different tables .*--sheet NAME"):
        import_matrix(db, tmp_path / "two.xlsx", "Two", "officer")
    assert import_matrix(db, tmp_path / "two.xlsx", "Two", "officer", overrides=Overrides(sheet="Archiving")).vendors == 1


def test_every_cell_problem_is_named_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    rows = [["Title"], ["Criterion", "Weight", "Acme Reads", "Beta Scan"], ["Uptime", 60, "meh", 3],
            ["Price", 0, 2, 9], ["Uptime", 10, 1, 1]]
    before = dump(db)
    with pytest.raises(ValidationError) as caught:
        import_matrix(db, _sheet(tmp_path / "m.xlsx", rows), "Broken", "officer")
    assert list(caught.value.errors) == [  # type: ignore[attr-defined]
        "Evaluation!A5: the criterion 'Uptime' repeats Evaluation!A3",
        "Evaluation!B4: expected a positive weight, got 0",
        "Evaluation!C3: 'meh' is not a score, and no word-score mapping gives it a value (map it in the wizard or "
        "with --mapping FILE)",
        "Evaluation!D4: expected a score between 0 and 5, got 9"]
    assert dump(db) == before


def test_word_scores_can_be_remapped(db: Database, tmp_path: Path) -> None:
    case = text_scores_good_fair_poor(tmp_path)
    over = Overrides(text_scores=(("Good", 4.0), ("fair", 3.0)))
    import_matrix(db, case.path, "Remapped", "officer", overrides=over)
    values = sorted({s.value for s in load_snapshot(db, "Remapped").scores})
    assert values == [0.0, 3.0, 4.0]


def test_cli_dry_run_then_saved_mapping_reused(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Line", "Acme Reads", "Beta Scan"], ["Uptime", 4, 3], ["Price", 2, 5]]
    first = _sheet(tmp_path / "first.xlsx", rows)
    args = ["import-matrix", str(first), "--db", str(db_path)]
    assert main([*args, "--name", "X"]) == 1
    assert "--orientation" in capsys.readouterr().err
    mapping = tmp_path / "shape.json"
    assert main([*args, "--dry-run", "--orientation", "rows", "--weights", "equal",
                 "--save-mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "Layout: criteria down the rows, vendors across the columns; headings in row 1" in out
    assert "Weights: all criteria weigh the same" in out
    assert "Dry run: nothing was changed." in out
    # Acme: (4/5 + 2/5) / 2 = 60 points; Beta: (3/5 + 5/5) / 2 = 80.
    ranking = out.split("Ranking")[1]
    assert ranking.index("Beta Scan") < ranking.index("Acme Reads") and "80.00" in ranking and "60.00" in ranking
    assert json.loads(mapping.read_text())["orientation"] == "rows"
    second = _sheet(tmp_path / "second.xlsx", [["Line", "Acme Reads", "Beta Scan", "Gamma"], ["Uptime", 1, 2, 3]])
    assert main(["import-matrix", str(second), "--name", "Next", "--mapping", str(mapping), "--db", str(db_path)]) == 0
    assert "1 criteria, 3 vendors and 3 scores" in capsys.readouterr().out


def test_cli_imports_an_ordinary_layout_with_no_options(db_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    case = rows_basic(tmp_path)
    assert main(["import-matrix", str(case.path), "--name", "Plain", "--db", str(db_path)]) == 0
    assert f"{len(CRITERIA)} criteria, {len(VENDORS)} vendors and 18 scores" in capsys.readouterr().out


def test_hostile_ods_and_csv_formulas(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.ods"
    with zipfile.ZipFile(bomb, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(ValidationError, match="bomb.ods contains XML entity or DTD declarations"):
        preview_matrix(bomb)
    (tmp_path / "junk.ods").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="junk.ods is not a readable OpenDocument spreadsheet"):
        preview_matrix(tmp_path / "junk.ods")
    # A formula typed into a CSV is never a value: the cell is skipped and counted, not computed.
    csv = tmp_path / "f.csv"
    csv.write_text('Criterion,Weight,Acme Reads,Beta Scan\nUptime,1,=HYPERLINK("http://x"),3\nPrice,1,4,2\n',
                   encoding="utf-8")
    detection = preview_matrix(csv).detection
    assert detection.data is not None and sorted(s[3] for s in detection.data.scores) == [2.0, 3.0, 4.0]
    assert "1 score cell(s) holding formulas (not a score typed by an evaluator)" in detection.notes


def test_group_and_evaluator_inconsistencies_are_named_by_cell(tmp_path: Path) -> None:
    rows = [["Criterion", "Weight", "Acme Reads"], ["Technical (60%)"], ["Uptime", 1, 4], ["Commercial"],
            ["Price", 1, 2]]
    errors = preview_matrix(_sheet(tmp_path / "g.xlsx", rows)).detection.errors
    assert errors == ("Evaluation!A4: the group 'Commercial' has no weight while other groups have one "
                      "(write it as 'Name (25%)')",)
    wb = openpyxl.Workbook()
    wb.active.title = "Dr Okafor"
    for row in TABLE:
        wb.active.append(row)
    other = wb.create_sheet("M. Varga")
    for row in [TABLE[0], ["Uptime", 50, 4, 3], TABLE[2]]:
        other.append(row)
    wb.save(tmp_path / "e.xlsx")
    assert preview_matrix(tmp_path / "e.xlsx").detection.errors == (
        "'M. Varga'!B2: the weight 50 differs from 60 on sheet 'Dr Okafor'",)


def test_ods_summary_sheet_is_known_by_its_name(db: Database, tmp_path: Path) -> None:
    """An .ods keeps the results of formulas only, so the averages sheet looks like one more evaluator."""
    import pandas as pd

    s = np.array([[[4, 2], [3, 5]], [[2, 4], [5, 3]]], dtype=float)  # evaluators x vendors x criteria
    path = tmp_path / "committee.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, scores in (("Summary", s.mean(axis=0)), ("Dr Okafor", s[0]), ("M. Varga", s[1])):
            rows = [["Criterion", "Weight", *VENDORS[:2]]] + [[CRITERIA[j], 1, *scores[:, j]] for j in range(2)]
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    summary = import_matrix(db, path, "Ods committee", "officer")
    assert summary.evaluators == ("Dr Okafor", "M. Varga")
    np.testing.assert_array_equal(load_snapshot(db, "Ods committee").score_cube(), s)
