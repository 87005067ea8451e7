"""Criteria & weights: the group/criterion tree, weights with live sums, normalise, AHP,
and an editor for the selected criterion's texts, descriptors and knock-out rule."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.commands import EditCriterionCommand, MoveCriterionCommand, NormaliseCommand, SetWeightsCommand
from vendor_eval.ui.models.criteria_tree import (
    EFFECTIVE,
    ID_ROLE,
    KNOCKOUT,
    NAME,
    SCALE,
    WEIGHT,
    CriteriaTreeModel,
)
from vendor_eval.ui.models.tables import RankingModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, hint, table_view


class CommitTextEdit(QPlainTextEdit):
    """Multi-line text that saves when focus leaves it (every edit saved at once)."""

    committed = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.committed.emit(self.toPlainText())


def parse_descriptors(text: str) -> dict[str, str]:
    """'3: Committed within 90 minutes' per line -> {"3": "..."}; lines without a score are ignored."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        point, sep, rest = line.partition(":")
        if sep and point.strip().lstrip("-").isdigit() and rest.strip():
            out[str(int(point.strip()))] = rest.strip()
    return out


class CriteriaScreen(Screen):
    title = "Criteria & weights"
    depends_on = (Change.CRITERIA | Change.WEIGHTS | Change.SCORES | Change.CONSENSUS | Change.SETTINGS
                  | Change.STATUS | Change.VENDORS | Change.TARIFFS | Change.VIEW)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CriteriaTreeModel(self)
        self.model.edit_handler = self._edit
        self.model.move_handler = self._move
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        triggers = QAbstractItemView.EditTrigger
        self.tree.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.tree.header()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col in (WEIGHT, EFFECTIVE, KNOCKOUT, SCALE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_detail())

        self.sum_label = QLabel()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.normalise_button = QPushButton("Normalise to 100 %")
        self.normalise_button.setToolTip("Rescale group weights, and the criteria within each group, to sum to 100 %.")
        self.normalise_button.clicked.connect(self.normalise)
        self.ahp_button = QPushButton("AHP pairwise…")
        self.ahp_button.setToolTip("Derive the weights of the selected group's criteria (or of the groups) "
                                   "from pairwise comparisons.")
        self.ahp_button.clicked.connect(self.open_ahp)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(hint("Double-click a weight or a name to edit it; drag a criterion to reorder it or move it "
                          "to another group. Weights are percentages within their level."))
        lv.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addWidget(self.sum_label, 1)
        row.addWidget(self.ahp_button)
        row.addWidget(self.normalise_button)
        lv.addLayout(row)
        lv.addWidget(self.warning)

        # Detail editor for the selected criterion.
        self.detail = QGroupBox("Selected criterion")
        form = QFormLayout(self.detail)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit()
        self.name_edit.editingFinished.connect(lambda: self._detail_changed("name", self.name_edit.text()))
        self.guidance_edit = CommitTextEdit()
        self.guidance_edit.setPlaceholderText("What good evidence looks like")
        self.guidance_edit.setMaximumHeight(96)
        self.guidance_edit.committed.connect(lambda t: self._detail_changed("guidance", t))
        self.descriptors_edit = CommitTextEdit()
        self.descriptors_edit.setPlaceholderText("One scale point per line, e.g.\n5: Committed within 30 minutes")
        self.descriptors_edit.setMaximumHeight(130)
        self.descriptors_edit.committed.connect(lambda t: self._detail_changed("descriptors", parse_descriptors(t)))
        self.knockout_box = QCheckBox("Knock-out: a score below the minimum disqualifies")
        self.knockout_box.toggled.connect(self._knockout_toggled)
        self.knockout_min = QDoubleSpinBox()
        self.knockout_min.setDecimals(1)
        self.knockout_min.editingFinished.connect(
            lambda: self._detail_changed("knockout_min", float(self.knockout_min.value())))
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        form.addRow("Name", self.name_edit)
        form.addRow("Guidance", self.guidance_edit)
        form.addRow("Scale descriptors", self.descriptors_edit)
        form.addRow(self.knockout_box)
        form.addRow("Minimum to pass", self.knockout_min)
        form.addRow("Scoring rule", self.rule_label)
        self.detail.setEnabled(False)

        # Live ranking preview: the effect of a weight change is visible without leaving the screen.
        self.preview_model = RankingModel(self)
        self.preview = table_view(self.preview_model)
        self.preview_box = QGroupBox("Ranking with these weights")
        pv = QVBoxLayout(self.preview_box)
        self.preview_note = hint("")
        pv.addWidget(self.preview)
        pv.addWidget(self.preview_note)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.detail)
        right.addWidget(self.preview_box)
        right.setSizes([400, 300])
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._selected: int | None = None
        self._loading = False

    # --- refresh ---
    def refresh(self) -> None:
        assert self.session is not None
        expanded = {self.model.data(self.model.index(r, 0), ID_ROLE)
                    for r in range(self.model.rowCount()) if self.tree.isExpanded(self.model.index(r, 0))}
        first = not self.model.groups
        self.model.set_snapshot(self.session.snapshot)
        for r in range(self.model.rowCount()):
            idx = self.model.index(r, 0)
            if first or self.model.data(idx, ID_ROLE) in expanded:
                self.tree.setExpanded(idx, True)
        self._reselect()
        self._update_sums()
        ro = self.session.read_only
        self.normalise_button.setEnabled(not ro)
        self.ahp_button.setEnabled(not ro)
        self.update_preview()

    def _reselect(self) -> None:
        if self._selected is None:
            self._show_detail()
            return
        for g in range(self.model.rowCount()):
            parent = self.model.index(g, 0)
            for c in range(self.model.rowCount(parent)):
                idx = self.model.index(c, 0, parent)
                if self.model.data(idx, ID_ROLE) == self._selected:
                    self.tree.setCurrentIndex(idx)
                    self._show_detail()
                    return
        self._show_detail()

    def _update_sums(self) -> None:
        total = self.model.group_sum()
        self.sum_label.setText(f"Group weights sum to <b>{total:.1f} %</b>")
        problems = self.model.unbalanced()
        self.warning.setText(("⚠ Weights do not sum to 100 %: " + "; ".join(problems)
                              + ". Results use them as proportions; press Normalise to make them add up.")
                             if problems else "")
        self.warning.setVisible(bool(problems))

    def update_preview(self) -> None:
        assert self.session is not None
        result, error = engine.try_rank(self.session)
        self.preview_model.set_rows(result.vendors if result is not None else [])
        fit_columns(self.preview, cap=200)
        self.preview_note.setText(error or (f"{engine.describe_variant(result)}" if result else ""))

    # --- selection / detail ---
    def current_criterion(self) -> domain.Criterion | None:
        item = self.model.item(self.tree.currentIndex())
        return item if isinstance(item, domain.Criterion) else None

    def _show_detail(self) -> None:
        crit = self.current_criterion()
        self._loading = True
        try:
            self.detail.setEnabled(crit is not None and not (self.session and self.session.read_only))
            if crit is None:
                self._selected = None
                self.detail.setTitle("Select a criterion to edit its texts and knock-out rule")
                return
            self._selected = crit.id
            self.detail.setTitle(f"Criterion: {crit.name}")
            self.name_edit.setText(crit.name)
            self.guidance_edit.setPlainText(crit.guidance)
            self.descriptors_edit.setPlainText("\n".join(f"{k}: {v}" for k, v in
                                                         sorted(crit.descriptors.items(), key=lambda kv: int(kv[0]))))
            self.knockout_box.setChecked(crit.knockout)
            self.knockout_min.setRange(crit.scale_min, crit.scale_max)
            self.knockout_min.setValue(crit.knockout_min if crit.knockout_min is not None else crit.scale_min)
            self.knockout_min.setEnabled(crit.knockout)
            self.rule_label.setText(_describe_rule(crit.scoring_rule))
        finally:
            self._loading = False

    def _knockout_toggled(self, on: bool) -> None:
        self.knockout_min.setEnabled(on)
        if self._loading:
            return
        crit = self.current_criterion()
        if crit is None:
            return
        changes: dict[str, Any] = {"knockout": on}
        if on and crit.knockout_min is None:
            changes["knockout_min"] = float(self.knockout_min.value())
        self._push_edit(crit.id, **changes)

    def _detail_changed(self, field: str, value: Any) -> None:
        crit = self.current_criterion()
        if self._loading or crit is None:
            return
        current = getattr(crit, field)
        if field == "descriptors":
            current = dict(current)
        if current == value:
            return
        self._push_edit(crit.id, **{field: value})

    def _push_edit(self, criterion_id: int, **changes: Any) -> bool:
        assert self.session is not None
        return self.session.push(EditCriterionCommand(self.session, criterion_id, **changes))

    # --- tree edits ---
    def _edit(self, kind: str, item_id: int, field: str, value: Any) -> bool:
        assert self.session is not None
        if field == "weight":
            try:
                weight = float(str(value).replace(",", ".").rstrip("% "))
            except ValueError:
                self.session.failed.emit(f"A weight must be a number of percent, got {value!r}.")
                return False
            if kind == "group":
                return self.session.push(SetWeightsCommand(self.session, "Change group weight", {}, {item_id: weight}))
            return self.session.push(SetWeightsCommand(self.session, "Change weight", {item_id: weight}))
        if field == "knockout":
            crit = self.session.snapshot.criteria[self.session.snapshot.index_of("criterion", item_id)]
            changes: dict[str, Any] = {"knockout": bool(value)}
            if value and crit.knockout_min is None:
                changes["knockout_min"] = float(crit.scale_min + (crit.scale_max - crit.scale_min) / 2)
            return self._push_edit(item_id, **changes)
        return self._push_edit(item_id, **{field: value})

    def _move(self, criterion_id: int, group_id: int, position: int) -> None:
        assert self.session is not None
        self.session.push(MoveCriterionCommand(self.session, criterion_id, position, group_id))

    def set_weight(self, criterion_id: int, percent: float) -> bool:
        """The same path as typing into the weight cell (used by the benchmark)."""
        return self._edit("criterion", criterion_id, "weight", percent)

    # --- normalise and AHP ---
    def normalise(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        gsum = sum(g.weight for g in snap.groups)
        new_g = {g.id: g.weight * 100.0 / gsum for g in snap.groups} if gsum > 0 else {}
        new_c: dict[int, float] = {}
        for g in snap.groups:
            members = [c for c in snap.criteria if c.group_id == g.id]
            csum = sum(c.weight for c in members)
            if csum > 0:
                new_c.update({c.id: c.weight * 100.0 / csum for c in members})
        if not new_g:
            self.session.failed.emit("The group weights sum to zero, so they cannot be normalised; give one a weight.")
            return
        self.session.push(NormaliseCommand(self.session, new_c, new_g))

    def open_ahp(self) -> None:
        from vendor_eval.ui.ahp_dialog import AhpDialog  # the dialog module loads only when used

        assert self.session is not None
        snap = self.session.snapshot
        item = self.model.item(self.tree.currentIndex())
        if isinstance(item, domain.Criterion):
            item = snap.group_of(item)
        members: list[Any]
        if isinstance(item, domain.Group):
            members = [c for c in snap.criteria if c.group_id == item.id]
            names = [c.name for c in members]
            title = f"AHP: criteria of {item.name}"
        else:
            members, names, title = list[Any](snap.groups), [g.name for g in snap.groups], "AHP: criteria groups"
        if len(members) < 2:
            self.session.failed.emit("AHP needs at least two items to compare; "
                                     "select a group with two or more criteria.")
            return
        dialog = AhpDialog(self, title, names)
        if dialog.exec() and dialog.weights is not None:
            new = {m.id: float(w) * 100.0 for m, w in zip(members, dialog.weights, strict=True)}
            if isinstance(members[0], domain.Group):
                self.session.push(SetWeightsCommand(self.session, "AHP group weights", {}, new))
            else:
                self.session.push(SetWeightsCommand(self.session, "AHP weights", new))


def _describe_rule(rule: dict[str, Any] | None) -> str:
    if not rule:
        return "None: evaluators score by judgement."
    kind = rule.get("kind", "?")
    if kind == "thresholds":
        steps = ", ".join(f"{a:g} → {b:g}" for a, b in rule.get("thresholds", []))
        better = rule.get("better", "higher")
        return f"Thresholds ({better} answers are better): {steps}; otherwise {rule.get('otherwise', 0):g}."
    return f"{kind}: suggests a score from the questionnaire answer."

