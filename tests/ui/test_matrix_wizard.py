"""The 'Bring your spreadsheet' wizard: detect, correct one thing by hand, preview, import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PySide6.QtCore import Qt

from vendor_eval.errors import NotFound
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.matrix_wizard import PART_COLOURS, MatrixWizard, SheetModel

VENDORS = ["Northwind Imaging", "Bluepeak Radiology", "Caldera Teleread"]
CRITERIA = ["STAT turnaround", "PACS integration", "SOC 2 Type II", "Price per study"]
SCORES = np.array([[4, 3, 5, 2], [5, 2, 3, 4], [3, 4, 4, 5]], dtype=float)  # vendors x criteria
WEIGHTS = np.array([40, 20, 25, 15], dtype=float)


def unlabelled_weights(path: Path) -> Path:
    """The weight column is headed 'Imp.', which detection cannot know is a weight."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Evaluation"
    ws.append(["Imaging RFP - scores"])
    ws.append([])
    ws.append(["Criterion", "Imp.", *VENDORS])
    for j, name in enumerate(CRITERIA):
        ws.append([name, WEIGHTS[j], *SCORES[:, j]])
    wb.save(path)
    return path


def test_detect_correct_preview_import(qtbot, db: Database, tmp_path: Path, qtmodeltester,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr("vendor_eval.ui.matrix_wizard.show_error", lambda _parent, message: errors.append(message))
    wizard = MatrixWizard(None, db, "officer", unlabelled_weights(tmp_path / "rfp.xlsx"))
    qtbot.addWidget(wizard)
    wizard.show()
    # Detect: 'Imp.' reads as a fourth vendor, so there are no weights and nothing can be imported yet.
    assert "has no weights" in wizard.found.toPlainText()
    assert not wizard.import_button.isEnabled()
    qtmodeltester.check(wizard.grid)

    # Correct by hand: click a cell of column B and say the weights are there.
    wizard.grid_view.setCurrentIndex(wizard.grid.index(4, 1))
    qtbot.mouseClick(wizard.weights_button, Qt.MouseButton.LeftButton)
    assert wizard.overrides.weights == "B"
    assert wizard.import_button.isEnabled()
    found = wizard.found.toPlainText()
    assert "Weights: column B, as percent, summing to 100 %" in found
    assert "headings in row 3" in found
    # The preview colours what was found: B4 is a weight, A4 a criterion, C3 a vendor, title untouched.
    colour = {part: c for part, (c, _) in PART_COLOURS.items()}
    brush = wizard.grid.data(wizard.grid.index(3, 1), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == colour["weight"]
    assert wizard.grid.data(wizard.grid.index(3, 0), Qt.ItemDataRole.ToolTipRole) == "criteria"
    assert wizard.grid.data(wizard.grid.index(2, 2), Qt.ItemDataRole.ToolTipRole) == "vendors"
    assert wizard.grid.data(wizard.grid.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None

    # Preview: the ranking before anything is written equals numpy's weighted sum on the 0-5 scale.
    expected = 100 * (SCORES / 5) @ (WEIGHTS / WEIGHTS.sum())
    order = np.argsort(-expected)
    assert [r[1] for r in wizard.ranking.rows()] == [VENDORS[i] for i in order]
    np.testing.assert_allclose([r[2] for r in wizard.ranking.rows()], expected[order], rtol=1e-9)
    with pytest.raises(NotFound, match="There is no evaluation 'rfp'"):
        load_snapshot(db, "rfp")  # the name the wizard proposes: nothing was written by the preview

    # Import: all or nothing, then the evaluation exists with the corrected weights.
    wizard.name.setText("Imaging RFP 2026")
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert wizard.imported is not None
    snap = load_snapshot(db, "Imaging RFP 2026")
    assert [v.name for v in snap.vendors] == VENDORS
    np.testing.assert_allclose([c.weight for c in snap.criteria], WEIGHTS)


def test_sheet_model_shows_formulas_and_letters(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from vendor_eval.io.matrix.sheets import Sheet

    model = SheetModel()
    model.set_sheet(Sheet("S", (("Total", None, 2.5),), frozenset({(0, 1)})), {(0, 0): "criterion"})
    qtmodeltester.check(model)
    assert [model.data(model.index(0, c)) for c in range(3)] == ["Total", "= formula", "2.5"]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "C"


def test_a_file_without_a_table_is_explained_not_imported(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "notes.csv"
    path.write_text("Minutes of the kick-off meeting\n", encoding="utf-8")
    wizard = MatrixWizard(None, db, "officer", path)
    qtbot.addWidget(wizard)
    assert wizard.found.toPlainText().startswith(
        "Not read yet: notes.csv: sheet 'notes' holds no table (no row with two or more headings).")
    assert not wizard.import_button.isEnabled() and not wizard.save_button.isEnabled()
