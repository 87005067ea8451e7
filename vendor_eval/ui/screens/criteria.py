"""Criteria & weights: the group/criterion tree, weights with live sums, normalise, AHP,
building the tree (add, rename, delete, move), and the selected criterion in words with its form."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.commands import (
    AddCriterionCommand,
    AddGroupCommand,
    DeleteCommand,
    EditCriterionCommand,
    MoveCriterionCommand,
    MoveGroupCommand,
    NormaliseCommand,
    RenameGroupCommand,
    SetWeightsCommand,
)
from vendor_eval.ui.dialogs import label_of
from vendor_eval.ui.dialogs.criterion_form import ANSWER_TYPES, DIRECTIONS, RULE_KINDS, CriterionForm
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
from vendor_eval.ui.wording import counted


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
        # The number columns are fitted when the tree gets new rows (_fit_columns), not kept fitted by
        # the header: that measured every cell in eight roles at each show, hide and weight change.
        header.setResizeContentsPrecision(0)  # the rows on show, not all 200
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

        self._build_tree_actions()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(hint("Double-click a weight or a name to change it, Enter to edit a criterion; drag a "
                          "criterion to reorder it or move it to another group. Right-click for more. Weights are "
                          "percentages within their level."))
        tools = QHBoxLayout()
        for action in self.tree_actions:
            button = QToolButton()
            button.setDefaultAction(action)
            tools.addWidget(button)
        tools.addStretch(1)
        lv.addLayout(tools)
        lv.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addWidget(self.sum_label, 1)
        row.addWidget(self.ahp_button)
        row.addWidget(self.normalise_button)
        lv.addLayout(row)
        lv.addWidget(self.warning)

        # What the selected criterion asks and how it is scored, in words; edited in the form.
        self.detail = QGroupBox("Selected criterion")
        self.detail_text = QLabel()
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextFormat(Qt.TextFormat.RichText)
        self.detail_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.detail_text)
        self.edit_button = QPushButton("Edit criterion…")
        self.edit_button.clicked.connect(self.edit_current)
        dv = QVBoxLayout(self.detail)
        dv.addWidget(scroll, 1)
        dv.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignRight)

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
        self._scales: list[tuple[float, float, str]] = []  # what the columns were last fitted to
        self._loading = False

    def _build_tree_actions(self) -> None:
        def action(text: str, slot: Any, shortcut: Any, tip: str) -> QAction:
            a = QAction(text, self)
            keys = QKeySequence(shortcut)
            a.setShortcut(keys)
            # Only while the tree has focus, and never while a cell editor is open (its Enter commits).
            a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            a.setToolTip(f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
            a.triggered.connect(lambda _checked=False: slot())
            self.tree.addAction(a)
            return a

        self.add_group_action = action("Add group…", self.add_group, "Ctrl+Shift+G", "Add a criteria group")
        self.add_criterion_action = action("Add criterion…", self.add_criterion, "Ctrl+Shift+N",
                                           "Add a criterion to the selected group")
        self.edit_action = action("Edit…", self.edit_current, "Return",
                                  "Edit the selected criterion, or rename the selected group")
        self.edit_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.delete_action = action("Delete…", self.delete_current, QKeySequence.StandardKey.Delete,
                                    "Delete the selected criterion or group with its scores")
        self.up_action = action("Move up", lambda: self.move_current(-1), "Alt+Up", "Move the selection up")
        self.down_action = action("Move down", lambda: self.move_current(1), "Alt+Down", "Move the selection down")
        self.tree_actions = (self.add_group_action, self.add_criterion_action, self.edit_action, self.delete_action,
                             self.up_action, self.down_action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self._update_actions()
        menu = QMenu(self)
        for a in self.tree_actions:
            if a is self.up_action:
                menu.addSeparator()
            menu.addAction(a)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _update_actions(self) -> None:
        writable = self.session is not None and not self.session.read_only
        item = self.model.item(self.tree.currentIndex())
        self.add_group_action.setEnabled(writable)
        self.add_criterion_action.setEnabled(writable and bool(self.model.groups))
        for a in (self.edit_action, self.delete_action, self.up_action, self.down_action):
            a.setEnabled(writable and item is not None)
        self.edit_button.setEnabled(writable and isinstance(item, domain.Criterion))

    # --- refresh ---
    def refresh(self) -> None:
        assert self.session is not None
        expanded = {self.model.data(self.model.index(r, 0), ID_ROLE)
                    for r in range(self.model.rowCount()) if self.tree.isExpanded(self.model.index(r, 0))}
        first = not self.model.groups
        if first or not self.model.update(self.session.snapshot):  # a weight or a rename: in place
            self.model.set_snapshot(self.session.snapshot)
            for r in range(self.model.rowCount()):
                idx = self.model.index(r, 0)
                if first or self.model.data(idx, ID_ROLE) in expanded:
                    self.tree.setExpanded(idx, True)
        # Fitted to new rows or scales; a weight does not widen its column past the header's title.
        scales = [(c.scale_min, c.scale_max, c.direction) for c in self.session.snapshot.criteria]
        if scales != self._scales or first:
            self._scales = scales
            self._fit_columns()
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

    def _fit_columns(self) -> None:
        for col in (WEIGHT, EFFECTIVE, KNOCKOUT, SCALE):
            self.tree.resizeColumnToContents(col)

    def _update_sums(self) -> None:
        total = self.model.group_sum()
        self.sum_label.setText(f"Group weights sum to <b>{total:.1f} %</b>")
        problems = self.model.unbalanced()
        self.warning.setText(("⚠ Weights do not sum to 100 %: " + "; ".join(problems)
                              + ". Results use them as proportions; press Normalise to make them add up.")
                             if problems else "")
        self.warning.setVisible(bool(problems))

    def update_preview(self) -> None:
        if self.session is None:
            return
        if not engine.ranked(self.session):
            engine.rank_in_background(self.session, self.update_preview)  # off the UI thread, then shown
            return
        result, error = engine.try_rank(self.session)
        self.preview_model.set_rows(result.vendors if result is not None else [])
        fit_columns(self.preview, cap=200)
        self.preview_note.setText(str(error) if error else engine.describe_variant(result) if result else "")

    # --- selection / detail ---
    def current_criterion(self) -> domain.Criterion | None:
        item = self.model.item(self.tree.currentIndex())
        return item if isinstance(item, domain.Criterion) else None

    def _show_detail(self) -> None:
        crit = self.current_criterion()
        self._update_actions()
        if crit is None:
            self._selected = None
            self.detail.setTitle("Selected criterion")
            self.detail_text.setText("Select a criterion to see what it asks and how it is scored; press Enter or "
                                     "Edit criterion… to change it.")
            return
        self._selected = crit.id
        self.detail.setTitle(f"Criterion: {crit.name}")
        self.detail_text.setText(describe_criterion(crit))

    def edit_current(self) -> None:
        """Enter / Edit…: the form for a criterion, a new name for a group."""
        assert self.session is not None
        item = self.model.item(self.tree.currentIndex())
        if self.session.read_only or item is None:
            return
        if isinstance(item, domain.Group):
            self.rename_group(item)
            return
        form = CriterionForm(self, self.session.snapshot, item)
        accepted = form.exec()
        form.deleteLater()  # one form per edit, not kept under the screen
        if accepted:
            changes = form.changes()
            if changes:
                self._push_edit(item.id, **changes)

    def add_group(self) -> None:
        assert self.session is not None
        name, ok = QInputDialog.getText(self, "Add criteria group", "Name of the new group:")
        if ok and name.strip():
            self._selected = None
            command = AddGroupCommand(self.session, name.strip())
            if self.session.push(command) and command.group_id is not None:
                self._reselect_group(command.group_id)

    def rename_group(self, group: domain.Group) -> None:
        assert self.session is not None
        name, ok = QInputDialog.getText(self, "Rename group", "New name of the group:", text=group.name)
        if ok and name.strip() and name.strip() != group.name:
            self.session.push(RenameGroupCommand(self.session, group.id, name.strip()))

    def add_criterion(self) -> None:
        assert self.session is not None
        item = self.model.item(self.tree.currentIndex())
        group_id = item.id if isinstance(item, domain.Group) else item.group_id if item is not None else None
        form = CriterionForm(self, self.session.snapshot, None, group_id)
        accepted = form.exec()
        form.deleteLater()
        if accepted:
            group, name, fields = form.fields()
            command = AddCriterionCommand(self.session, group, name, **fields)
            if self.session.push(command):
                self._selected = command.criterion_id
                self._reselect()

    def delete_current(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        item = self.model.item(self.tree.currentIndex())
        if self.session.read_only or item is None:
            return
        if isinstance(item, domain.Group):
            ids = {c.id for c in snap.criteria if c.group_id == item.id}
            what = f"the group {item.name!r} with its {counted('%n criterion/criteria', len(ids))}"
        else:
            ids = {item.id}
            what = f"the criterion {item.name!r}"
        n_scores = sum(1 for x in snap.scores if x.criterion_id in ids)
        scores = f" and the {counted('%n score(s)', n_scores)} given on it" if n_scores else ""
        answer = QMessageBox.question(
            self, "Delete", f"Delete {what}{scores}? Edit ▸ Undo puts everything back; the audit trail records the "
                            "delete and the undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._selected = None
        entity = "group" if isinstance(item, domain.Group) else "criterion"
        self.session.push(DeleteCommand(self.session, entity, item.id, item.name))

    def move_current(self, step: int) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        item = self.model.item(self.tree.currentIndex())
        if self.session.read_only or item is None:
            return
        if isinstance(item, domain.Group):
            position = snap.index_of("group", item.id) + step
            if 0 <= position < len(snap.groups):
                self.session.push(MoveGroupCommand(self.session, item.id, position))
                self._reselect_group(item.id)
            return
        siblings = [c.id for c in snap.criteria if c.group_id == item.group_id]
        position = siblings.index(item.id) + step
        if 0 <= position < len(siblings):
            self.session.push(MoveCriterionCommand(self.session, item.id, position, item.group_id))

    def _reselect_group(self, group_id: int) -> None:
        for r in range(self.model.rowCount()):
            if self.model.data(self.model.index(r, 0), ID_ROLE) == group_id:
                self.tree.setCurrentIndex(self.model.index(r, 0))

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
        if kind == "group" and field == "name":
            return self.session.push(RenameGroupCommand(self.session, item_id, str(value).strip()))
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
        dialog = AhpDialog(self, title, names, [m.weight for m in members])  # starts from the current weights
        if dialog.exec() and dialog.weights is not None:
            new = {m.id: float(w) * 100.0 for m, w in zip(members, dialog.weights, strict=True)}
            if isinstance(members[0], domain.Group):
                self.session.push(SetWeightsCommand(self.session, "AHP group weights", {}, new))
            else:
                self.session.push(SetWeightsCommand(self.session, "AHP weights", new))


def describe_rule(rule: dict[str, Any] | None, unit: str = "") -> str:
    """A scoring rule in words (never its JSON keys)."""
    if not rule:
        return "None: evaluators score by judgement."
    kind = rule.get("kind", "")
    unit = f" {unit}" if unit else ""
    other = rule.get("otherwise")
    otherwise = f"; otherwise {other:g}" if other is not None else ""
    if kind == "thresholds":
        word = "up to" if rule.get("better") == "lower" else "at least"
        steps = ", ".join(f"{word} {a:g}{unit} → {b:g}" for a, b in rule.get("thresholds", []))
        return f"By number ranges: {steps}{otherwise}."
    if kind == "count_of":
        steps = ", ".join(f"{a:g} or more → {b:g}" for a, b in rule.get("thresholds", []))
        return f"By how many of {len(rule.get('items', []))} listed items the answer includes: {steps}{otherwise}."
    if kind in ("yes_no_partial", "choice_map"):
        words = {"yes": "Yes", "partial": "Partly", "no": "No"} if kind == "yes_no_partial" else {}
        pairs = "; ".join(f"{words.get(k, k)} → {v:g}" for k, v in rule.get("map", {}).items())
        return f"{label_of(RULE_KINDS, kind)}: {pairs}."
    return label_of(RULE_KINDS, kind)


def describe_criterion(c: domain.Criterion) -> str:
    """The selected criterion as the detail panel shows it (rich text, user text escaped)."""
    lines = [f"<b>Scale</b> {c.scale_min:g} to {c.scale_max:g}; {label_of(DIRECTIONS, c.direction).lower()}."]
    if c.knockout:
        lines.append(f"<b>Knock-out:</b> a score below {c.knockout_min or 0:g} disqualifies the vendor.")
    if c.is_cost:
        lines.append("<b>Price criterion:</b> scored from the vendors' quoted prices.")
    if c.question:
        lines.append(f"<b>Question to vendors</b><br>{escape(c.question)}")
    answer = label_of(ANSWER_TYPES, c.answer_type)
    lines.append(f"<b>Vendors answer with</b> {answer.lower()}{f' ({escape(c.answer_unit)})' if c.answer_unit else ''}.")
    lines.append(f"<b>Suggested score</b> {escape(describe_rule(c.scoring_rule, c.answer_unit))}")
    if c.guidance:
        lines.append(f"<b>Guidance</b><br>{escape(c.guidance)}")
    if c.descriptors:
        points = "".join(f"<li><b>{escape(k)}</b>: {escape(v)}</li>"
                         for k, v in sorted(c.descriptors.items(), key=lambda kv: float(kv[0])))
        lines.append(f"<b>What each score means</b><ul style='margin-left:-20px'>{points}</ul>")
    return "<p>" + "</p><p>".join(lines) + "</p>"
