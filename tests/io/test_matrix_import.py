"""Importing an officer's existing scoring spreadsheet (sheet 'Matrix') as a new evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from matrix_layouts import write_sheet
from questionnaire_filling import dump

from vendor_eval.cli import main
from vendor_eval.errors import ValidationError
from vendor_eval.services.matrix_import import import_matrix
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

matrix = write_sheet


FLAT = [
    ["Vendor", "Turnaround", "Security", "Price"],
    ["Weight", 2, 1, 1],
    ["Direction", "max", "MAX", "min"],
    ["Acme", 4, 3.5, 2],
    ["Beta", 5, None, "1"],
]


def test_flat_matrix_becomes_an_evaluation_with_normalised_weights(db: Database, tmp_path: Path) -> None:
    summary = import_matrix(db, matrix(tmp_path / "m.xlsx", FLAT), "Imported RFP", "officer")
    assert (summary.criteria, summary.vendors, summary.scores) == (3, 2, 5)
    snap = load_snapshot(db, "Imported RFP")
    assert [(g.name, g.weight) for g in snap.groups] == [("Criteria", 100.0)]
    assert [(c.name, c.weight, c.direction, c.scale_min, c.scale_max) for c in snap.criteria] == [
        ("Turnaround", 50.0, "max", 0, 5), ("Security", 25.0, "max", 0, 5), ("Price", 25.0, "min", 0, 5)]
    assert [v.name for v in snap.vendors] == ["Acme", "Beta"]
    assert [e.name for e in snap.evaluators] == ["Imported"]
    names = {c.id: c.name for c in snap.criteria}
    vendors = {v.id: v.name for v in snap.vendors}
    assert sorted((vendors[s.vendor_id], names[s.criterion_id], s.value) for s in snap.scores) == [
        ("Acme", "Price", 2.0), ("Acme", "Security", 3.5), ("Acme", "Turnaround", 4.0),
        ("Beta", "Price", 1.0), ("Beta", "Turnaround", 5.0)]


def test_group_row_builds_the_hierarchy(db: Database, tmp_path: Path) -> None:
    rows = [
        ["Vendor", "STAT", "Routine", "ISO 27001", "SOC 2"],
        ["Group", "SLA", "SLA", "Security", "Security"],
        ["Weight", 30, 10, 45, 15],
        ["Acme", 4, 3, 5, 0],
    ]
    import_matrix(db, matrix(tmp_path / "m.xlsx", rows), "Grouped", "officer", scale=(0, 10))
    snap = load_snapshot(db, "Grouped")
    assert [(g.name, round(g.weight, 6)) for g in snap.groups] == [("SLA", 40.0), ("Security", 60.0)]
    assert [(c.name, round(c.weight, 6), snap.group_of(c).name, c.scale_max) for c in snap.criteria] == [
        ("STAT", 75.0, "SLA", 10), ("Routine", 25.0, "SLA", 10),
        ("ISO 27001", 75.0, "Security", 10), ("SOC 2", 25.0, "Security", 10)]


@pytest.mark.parametrize(("rows", "errors"), [
    ([["Vendor", "A", "B"], ["Weight", 1, 1], ["Acme", 6, "good"]],
     ["Matrix!B3: expected a score between 0 and 5, got 6", "Matrix!C3: expected a score between 0 and 5, got 'good'"]),
    ([["Vendor", "A", "a "], ["Weight", 1, 1], ["Acme", 1, 1]],
     ["Matrix!C1: the criterion name 'a' repeats Matrix!B1"]),
    ([["Vendor", "A"], ["Weight", 1], ["Acme", 1], ["ACME", 2]],
     ["Matrix!A4: the vendor 'ACME' repeats row 3"]),
    ([["Vendor", "A", "B"], ["Weight", 0, "x"], ["Acme", 1, 1]],
     ["Matrix!B2: expected a positive weight, got 0", "Matrix!C2: expected a positive weight, got 'x'"]),
    ([["Vendor", "A"], ["Weight", 1], ["Direction", "up"], ["Acme", 1]],
     ["Matrix!B3: expected 'max' or 'min', got 'up'"]),
    ([["Vendor", "A", None, "C"], ["Weight", 1, 1, 1], ["Acme", 1, 1, 1]],
     ["Matrix!C1: expected a criterion name, got an empty cell"]),
    ([["Vendor", "A"], ["Group", None], ["Weight", 1], ["Acme", 1]],
     ["Matrix!B2: expected a group name, got an empty cell"]),
])
def test_bad_cells_are_all_named_and_nothing_is_created(db: Database, tmp_path: Path, rows: list[list[Any]],
                                                         errors: list[str]) -> None:
    before = dump(db)
    with pytest.raises(ValidationError) as caught:
        import_matrix(db, matrix(tmp_path / "m.xlsx", rows), "Broken", "officer")
    assert list(caught.value.errors) == errors  # type: ignore[attr-defined]
    assert dump(db) == before


@pytest.mark.parametrize(("rows", "sheet", "message"), [
    ([["Name", "A"]], "Matrix", "settle it with --orientation rows or --orientation columns"),
    ([["Vendor", "A"], ["Weights", 1]], "Matrix", "Matrix!A2 must say 'Weight'"),
    ([["Vendor", "A"], ["Weight", 1]], "Matrix", "has no vendor rows"),
    ([["Vendor"], ["Weight"]], "Matrix", "names no criteria"),
])
def test_structural_problems_are_one_sentence(db: Database, tmp_path: Path, rows: list[list[Any]], sheet: str,
                                              message: str) -> None:
    before = dump(db)
    with pytest.raises(ValidationError, match=message):
        import_matrix(db, matrix(tmp_path / "m.xlsx", rows, sheet), "Broken", "officer")
    assert dump(db) == before


def test_the_same_table_under_another_sheet_name_is_found(db: Database, tmp_path: Path) -> None:
    # Refused before layout detection ("has no sheet named 'Matrix'"); now read like the Matrix sheet.
    import_matrix(db, matrix(tmp_path / "m.xlsx", FLAT, "Scores"), "Scores", "officer")
    snap = load_snapshot(db, "Scores")
    assert [(c.name, c.weight, c.direction) for c in snap.criteria] == [
        ("Turnaround", 50.0, "max"), ("Security", 25.0, "max"), ("Price", 25.0, "min")]
    assert sorted(s.value for s in snap.scores) == [1.0, 2.0, 3.5, 4.0, 5.0]


def test_bad_scale_and_taken_name(db: Database, tmp_path: Path) -> None:
    path = matrix(tmp_path / "m.xlsx", FLAT)
    with pytest.raises(ValidationError, match="scale"):
        import_matrix(db, path, "X", "officer", scale=(5, 0))
    import_matrix(db, path, "X", "officer")
    before = dump(db)
    with pytest.raises(ValidationError, match="already exists"):
        import_matrix(db, path, "X", "officer")
    assert dump(db) == before


def test_cli_import_matrix(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Vendor", "A"], ["Weight", 1], ["Acme", 80]]
    path = matrix(tmp_path / "m.xlsx", rows)
    assert main(["import-matrix", str(path), "--name", "Old", "--scale", "0", "100", "--db", str(db_path)]) == 0
    assert "1 criteria, 1 vendors and 1 scores" in capsys.readouterr().out
    assert main(["import-matrix", str(path), "--name", "Old2", "--db", str(db_path)]) == 1
    assert "Matrix!B3: expected a score between 0 and 5, got 80" in capsys.readouterr().err


def test_formulas_use_their_saved_values_with_a_note(db: Database, tmp_path: Path) -> None:
    import re
    import zipfile

    path = matrix(tmp_path / "m.xlsx", [["Vendor", "A", "B"], ["Weight", 1, 1], ["Acme", "=2+2", "=1+1"]])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<f>2\+2</f>(<v\s*/>|<v></v>)?", "<f>2+2</f><v>4</v>", xml).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    summary = import_matrix(db, path, "Formulas", "officer")
    assert summary.scores == 1  # =1+1 has no saved value: not scored
    assert summary.warnings and "2 cell(s)" in summary.warnings[0] and "Matrix!B3" in summary.warnings[0]
    assert [s.value for s in load_snapshot(db, "Formulas").scores] == [4.0]


def test_a_formula_where_a_vendor_name_belongs_is_named_as_a_formula(db: Database, tmp_path: Path) -> None:
    # openpyxl saves no cached value, as a sheet written by a script would: the formula has no result.
    rows: list[list[Any]] = [["Vendor", "A"], ["Weight", 1], ['=CONCAT("Ac","me")', 3]]
    before = dump(db)
    with pytest.raises(ValidationError) as caught:
        import_matrix(db, matrix(tmp_path / "m.xlsx", rows), "Formula name", "officer")
    assert list(caught.value.errors) == [  # type: ignore[attr-defined]
        "Matrix!A3: expected a vendor name, got a formula with no saved value ('=CONCAT(\"Ac\",\"me\")')"]
    assert dump(db) == before
