"""The AHP dialog: starts from the current weights, asks each pair in words, shows the matrix and
the weights as a table, and names the most inconsistent judgement. Weights are checked against a
principal eigenvector computed here with numpy, not by the app."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.ui.helpers import drive_modal, open_eval, show
from vendor_eval.services import criteria as criteria_service
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.ui.ahp_dialog import AhpDialog
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.criteria import CriteriaScreen


def principal_eigenvector(a: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eig(a)
    v = np.abs(vectors[:, np.argmax(values.real)].real)
    return v / v.sum()


def test_starts_from_the_current_weights(window: MainWindow, db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    members = [c for c in snap.criteria if c.group_id == snap.groups[0].id]
    assert len(members) >= 3
    uneven = {c.id: float(w) for c, w in zip(members, np.linspace(40, 10, len(members)), strict=False)}
    criteria_service.set_weights(db, scored_eval, uneven, "officer")
    open_eval(window, scored_eval)
    screen = show(window, CriteriaScreen)
    screen.tree.setCurrentIndex(screen.model.index(0, 0))
    want = np.array([uneven[c.id] for c in members])
    want = want / want.sum()
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, AhpDialog)
        seen["w"] = principal_eigenvector(dialog.model.matrix)
        seen["table"] = [dialog.weights_model.data(dialog.weights_model.index(r, 2))
                         for r in range(dialog.weights_model.rowCount())]
        seen["words"] = dialog.pairs[0].words.text()
        seen["cr"] = dialog.result_label.text()
        dialog.accept()  # unchanged judgements: the weights stay as they were

    errors = drive_modal(AhpDialog, look)
    screen.ahp_button.click()
    assert not errors, errors
    np.testing.assert_allclose(seen["w"], want, atol=1e-9)
    assert seen["table"] == [f"{w * 100:.1f} %" for w in want]
    assert seen["words"].startswith(f"{members[0].name} is ") and "as the current weights" in seen["words"]
    assert "Consistency ratio 0.000" in seen["cr"]
    after = {c.id: c.weight for c in load_snapshot(db, scored_eval).criteria if c.id in uneven}
    got = np.array([after[c.id] for c in members])
    np.testing.assert_allclose(got / got.sum(), want, atol=1e-6)


def test_each_pair_in_words_matrix_beside_and_full_headers(qtbot) -> None:  # type: ignore[no-untyped-def]
    names = ["Service levels (SLAs)", "Clinical quality and credentials", "Security and compliance"]
    dialog = AhpDialog(None, "AHP: groups", names, [1, 1, 1])
    qtbot.addWidget(dialog)
    assert len(dialog.pairs) == 3
    pair = dialog.pairs[0]
    assert pair.words.text() == "Service levels (SLAs) is equally important as Clinical quality and credentials (1)"
    pair.slider.setValue(-4)  # four steps towards the left-hand item: 5, "strongly"
    assert dialog.model.matrix[0, 1] == 5 and dialog.model.matrix[1, 0] == pytest.approx(0.2)
    assert pair.words.text() == ("Service levels (SLAs) is strongly more important than "
                                 "Clinical quality and credentials (5)")
    assert dialog.model.data(dialog.model.index(0, 1)) == "5"  # the matrix view follows the slider
    dialog.model.setData(dialog.model.index(1, 2), "1/3")  # typed in the matrix: the slider follows
    assert dialog.pairs[2].slider.value() == 2
    assert "Security and compliance is moderately more important than Clinical" in dialog.pairs[2].words.text()
    headers = [dialog.model.headerData(k, Qt.Orientation.Vertical) for k in range(3)]
    assert headers == [f"{k + 1}. {n}" for k, n in enumerate(names)]  # numbered, never cut
    assert [dialog.model.headerData(k, Qt.Orientation.Horizontal) for k in range(3)] == ["1", "2", "3"]


def test_names_the_most_inconsistent_judgement(qtbot) -> None:  # type: ignore[no-untyped-def]
    names = ["Price", "Quality", "Security", "Support"]
    dialog = AhpDialog(None, "AHP", names)
    qtbot.addWidget(dialog)
    judgements = {(0, 1): 3, (0, 2): 5, (0, 3): 7, (1, 2): 3, (1, 3): 5, (2, 3): 1 / 7}  # (2, 3) contradicts
    for (i, j), v in judgements.items():
        dialog.model.set_judgement(i, j, v)
    a = dialog.model.matrix
    w = principal_eigenvector(a)
    n = len(names)
    lam = float(np.max(np.linalg.eigvals(a).real))
    cr = (lam - n) / (n - 1) / 0.90  # Saaty's RI for n = 4
    assert cr > 0.10
    error = {(i, j): abs(np.log(a[i, j] * w[j] / w[i])) for i in range(n) for j in range(i + 1, n)}
    i, j = max(error, key=error.__getitem__)
    assert (i, j) == (2, 3)
    assert dialog.worst.isVisibleTo(dialog)
    assert [(p.i, p.j) for p in dialog.pairs if p.styleSheet()] == [(2, 3)]  # its slider is flagged
    text = dialog.worst.text()
    assert text.startswith("Most inconsistent judgement: “Support is very strongly more important than Security")
    implied = w[2] / w[3]  # what the weights of all judgements say about this pair
    stronger, times = ("Security", round(implied)) if implied >= 1 else ("Support", round(1 / implied))
    assert f"Your other judgements suggest “{stronger} is" in text and text.endswith(f"({times})” instead.")
    assert f"Consistency ratio {cr:.3f}" in dialog.result_label.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.insist.setChecked(True)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_fits_a_1024x700_window_without_sideways_scrolling(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    window.resize(1024, 700)
    names = ["Service levels (SLAs)", "Clinical quality and credentials", "Deployment, continuity and data residency",
             "Tariff and supply-chain exposure"]
    dialog = AhpDialog(window, "AHP: criteria groups", names, [40, 30, 20, 10])
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.width() <= 1024 and not dialog.pairs_area.horizontalScrollBar().isVisible()
    pair = dialog.pairs[0]
    assert pair.width() <= dialog.pairs_area.viewport().width()  # long names wrap inside the pane
    view = dialog.weights_view
    header = view.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= view.viewport().width()  # "Change" whole
    changes = [dialog.weights_model.index(r, 3).data() for r in range(len(names))]
    assert changes == ["0.0 pts"] * 4  # starts at the current weights: no change, and never "-0.0"
