"""Add or edit a criterion in a form: name and group, scale and direction, knock-out and pass
mark, anchored descriptors, the questionnaire answer and the rule that suggests a score from it.

Every choice is a drop-down with words, never rule syntax or internal keys; the form checks
itself as the user types (one sentence under the form, OK disabled) and builds the service
fields only when it is valid.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain, vocabulary
from vendor_eval.scoring.rules import RuleError, check_rule

DIRECTIONS = (("max", "Higher scores are better"), ("min", "Lower scores are better"))
ANSWER_TYPES = tuple(vocabulary.ANSWER_TYPES.items())
RULE_KINDS = (("", "No rule: evaluators score by judgement"),
              *((kind, words[:1].upper() + words[1:]) for kind, words in vocabulary.RULE_KINDS.items()))
NO_RULE_HELP = "Evaluators score this criterion by judgement; the questionnaire answer is shown as evidence."
YES_NO = (("yes", "Yes"), ("partial", "Partly"), ("no", "No"))
ERROR_STYLE = "color: #b00020;"
MAX_POINTS = 21  # descriptors are anchored to whole scale points; a 0-100 scale gets none


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    box = QComboBox()
    for key, text in items:
        box.addItem(text, key)
    return box


def _spin(lo: float = -1e9, hi: float = 1e9, decimals: int = 2) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    return box


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class PairsTable(QTableWidget):
    """Two columns (an answer or limit, and the score it earns); the first may be fixed labels."""

    def __init__(self) -> None:
        super().__init__(0, 2)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumHeight(120)

    def set_rows(self, headers: tuple[str, str], rows: list[tuple[str, str]], fixed_keys: bool,
                 keys: list[str] | None = None) -> None:
        self.blockSignals(True)
        self.setHorizontalHeaderLabels(list(headers))
        self.setRowCount(len(rows))
        for r, (left, right) in enumerate(rows):
            item = QTableWidgetItem(left)
            if fixed_keys:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, (keys or [left])[r] if keys else left)
            self.setItem(r, 0, item)
            self.setItem(r, 1, QTableWidgetItem(right))
        self.blockSignals(False)

    def pairs(self) -> list[tuple[str, str, str]]:
        """(key, first column text, score text) per row; key is the fixed key or the text."""
        out = []
        for r in range(self.rowCount()):
            left, right = self.item(r, 0), self.item(r, 1)
            text = left.text().strip() if left else ""
            key = left.data(Qt.ItemDataRole.UserRole) if left and left.data(Qt.ItemDataRole.UserRole) else text
            out.append((str(key), text, right.text().strip() if right else ""))
        return out


class CriterionForm(QDialog):
    """criterion None: add a criterion to group_id; otherwise edit it. After exec(), fields() holds
    what the service takes (add) and changes() what differs from the criterion (edit)."""

    def __init__(self, parent: QWidget | None, snap: domain.Snapshot, criterion: domain.Criterion | None = None,
                 group_id: int | None = None) -> None:
        super().__init__(parent)
        self.snap, self.criterion = snap, criterion
        self.setWindowTitle(f"Criterion: {criterion.name}" if criterion else "Add criterion")
        self.setMinimumWidth(640)
        self.tabs = QTabWidget()
        self._build_general(group_id)
        self._build_scale()
        self._build_rule()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add criterion" if criterion is None else "Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._load(criterion)
        self.validate()

    # --- construction ---
    def _build_general(self, group_id: int | None) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. STAT turnaround commitment")
        self.group = QComboBox()
        for g in self.snap.groups:
            self.group.addItem(g.name, g.id)
        if group_id is not None:
            self.group.setCurrentIndex(max(self.group.findData(group_id), 0))
        self.weight = _spin(0, 1000, 1)
        self.weight.setSuffix(" %")
        self.weight.setToolTip("Percent within its group; the Criteria tab shows whether the group adds up.")
        self.question = QPlainTextEdit()
        self.question.setPlaceholderText("The question vendors answer in the questionnaire")
        self.question.setMaximumHeight(80)
        # Sent to vendors beside the question; the guidance below is for evaluators only and never sent.
        self.provide = QPlainTextEdit()
        self.provide.setPlaceholderText("The evidence vendors attach, e.g. a DICOM conformance statement")
        self.provide.setMaximumHeight(56)
        self.guidance = QPlainTextEdit()
        self.guidance.setPlaceholderText("What good evidence looks like, for the evaluators")
        self.guidance.setMaximumHeight(96)
        self.cost = QCheckBox("Price criterion: scored from the vendors' quoted prices")
        form.addRow("Name", self.name)
        form.addRow("Group", self.group)
        form.addRow("Weight in group", self.weight)
        form.addRow("Question to vendors", self.question)
        form.addRow("What vendors provide", self.provide)
        form.addRow("Guidance for evaluators", self.guidance)
        form.addRow(self.cost)
        if self.criterion is not None:  # moving and weighing happen in the tree, where the sums show
            self.group.setEnabled(False)
            self.weight.setEnabled(False)
            self.group.setToolTip("Drag the criterion in the tree, or use Move up/down, to change its group.")
            self.weight.setToolTip("Change the weight in the tree (double-click it), where the group's sum shows.")
        self.tabs.addTab(page, "General")
        self.name.textChanged.connect(self.validate)

    def _build_scale(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.scale_min, self.scale_max = _spin(-1000, 1000, 1), _spin(-1000, 1000, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("from"))
        row.addWidget(self.scale_min)
        row.addWidget(QLabel("to"))
        row.addWidget(self.scale_max)
        row.addStretch(1)
        self.direction = _combo(DIRECTIONS)
        self.knockout = QCheckBox("Knock-out: a vendor scoring below the pass mark is disqualified")
        self.pass_mark = _spin(-1000, 1000, 1)
        self.descriptors = QTableWidget(0, 2)
        self.descriptors.setHorizontalHeaderLabels(["Score", "What this score means"])
        self.descriptors.verticalHeader().setVisible(False)
        self.descriptors.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.descriptors.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.descriptors_note = QLabel()
        self.descriptors_note.setWordWrap(True)
        form.addRow("Scale", row)
        form.addRow("Direction", self.direction)
        form.addRow(self.knockout)
        form.addRow("Pass mark", self.pass_mark)
        form.addRow(QLabel("Anchored descriptors: what each point of the scale means, so evaluators score alike."))
        form.addRow(self.descriptors)
        form.addRow(self.descriptors_note)
        self.tabs.addTab(page, "Scale and knock-out")
        self._texts: dict[str, str] = {}
        for box in (self.scale_min, self.scale_max):
            box.valueChanged.connect(self._scale_changed)
        self.pass_mark.valueChanged.connect(self.validate)
        self.knockout.toggled.connect(self._knockout_toggled)

    def _build_rule(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.answer_type = _combo(ANSWER_TYPES)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("e.g. minutes, hours, %")
        self.choices = QPlainTextEdit()
        self.choices.setPlaceholderText("One choice per line")
        self.choices.setMaximumHeight(80)
        self.rule_kind = _combo(RULE_KINDS)
        self.better = _combo((("lower", "Lower answers earn more (e.g. turnaround time)"),
                              ("higher", "Higher answers earn more (e.g. coverage)")))
        self.items = QPlainTextEdit()
        self.items.setPlaceholderText("One item per line, e.g. CT, MR, X-ray")
        self.items.setMaximumHeight(70)
        self.pairs = PairsTable()
        self.add_step = QPushButton("Add step")
        self.add_step.clicked.connect(self._add_step)
        self.remove_step = QPushButton("Remove step")
        self.remove_step.clicked.connect(self._remove_step)
        self.otherwise = QLineEdit()
        self.otherwise.setPlaceholderText("no suggestion")
        self.otherwise.setToolTip("The score when the answer reaches no step; leave empty for no suggestion.")
        self.step_buttons = QWidget()
        steps = QHBoxLayout(self.step_buttons)
        steps.setContentsMargins(0, 0, 0, 0)
        steps.addWidget(self.add_step)
        steps.addWidget(self.remove_step)
        steps.addStretch(1)
        self.steps_box = QWidget()
        steps_form = QFormLayout(self.steps_box)
        steps_form.setContentsMargins(0, 0, 0, 0)
        steps_form.addRow("Otherwise", self.otherwise)
        self.rule_help = QLabel()
        self.rule_help.setWordWrap(True)
        self.rule_help.setStyleSheet("color: palette(placeholder-text);")
        form.addRow("Vendors answer with", self.answer_type)
        form.addRow("Unit", self.unit)
        form.addRow("Choices", self.choices)
        form.addRow("Suggest a score by", self.rule_kind)
        form.addRow("", self.rule_help)
        form.addRow("Better answers are", self.better)
        form.addRow("Items counted", self.items)
        form.addRow(self.pairs)
        form.addRow(self.step_buttons)
        form.addRow(self.steps_box)
        self.rule_form = form
        self.tabs.addTab(page, "Questionnaire and scoring rule")
        self.answer_type.currentIndexChanged.connect(self._answer_changed)
        self.rule_kind.currentIndexChanged.connect(self._kind_changed)
        self.better.currentIndexChanged.connect(self._better_changed)
        self.unit.textChanged.connect(self._better_changed)
        self.choices.textChanged.connect(self._choices_changed)
        self.pairs.itemChanged.connect(lambda _i: self.validate())
        self.otherwise.textChanged.connect(self.validate)
        self.items.textChanged.connect(self.validate)

    # --- loading ---
    def _load(self, c: domain.Criterion | None) -> None:
        self._loading = True
        self.scale_min.setValue(c.scale_min if c else 0.0)
        self.scale_max.setValue(c.scale_max if c else 5.0)
        if c is None:
            self.direction.setCurrentIndex(0)
            self.knockout.setChecked(False)
            self.pass_mark.setValue(2.0)
            self._texts = {}
            self.answer_type.setCurrentIndex(0)
            self.rule_kind.setCurrentIndex(0)
        else:
            self.name.setText(c.name)
            self.weight.setValue(c.weight)
            self.question.setPlainText(c.question)
            self.provide.setPlainText(c.provide)
            self.guidance.setPlainText(c.guidance)
            self.cost.setChecked(c.is_cost)
            self.direction.setCurrentIndex(max(self.direction.findData(c.direction), 0))
            self.knockout.setChecked(c.knockout)
            self.pass_mark.setValue(c.knockout_min if c.knockout_min is not None else c.scale_min)
            self._texts = dict(c.descriptors)
            self.answer_type.setCurrentIndex(max(self.answer_type.findData(c.answer_type), 0))
            self.unit.setText(c.answer_unit)
            self.choices.setPlainText("\n".join(c.choices))
        self.pass_mark.setEnabled(self.knockout.isChecked())
        self._fill_descriptors()
        rule = c.scoring_rule if c else None
        kind = rule.get("kind", "") if rule else ""
        self.rule_kind.setCurrentIndex(max(self.rule_kind.findData(kind), 0))
        self._show_rule(rule)
        self._answer_changed()
        self._loading = False

    def _show_rule(self, rule: dict[str, Any] | None) -> None:
        kind = self.rule_kind.currentData()
        rule = rule if rule and rule.get("kind") == kind else {}
        self.better.setCurrentIndex(max(self.better.findData(rule.get("better", "lower")), 0))
        self.items.setPlainText("\n".join(rule.get("items", [])))
        other = rule.get("otherwise")
        self.otherwise.setText("" if other is None else f"{other:g}")
        mapping = rule.get("map", {})
        if kind == "yes_no_partial":
            top = self.scale_max.value()
            default = {"yes": top, "partial": top / 2, "no": self.scale_min.value()}
            self.pairs.set_rows(("Answer", "Score"), [(text, f"{mapping.get(k, default[k]):g}") for k, text in YES_NO],
                                fixed_keys=True, keys=[k for k, _ in YES_NO])
        elif kind == "choice_map":
            choices = self._choice_list()
            self.pairs.set_rows(("Answer choice", "Score"),
                                [(ch, f"{mapping[ch]:g}" if ch in mapping else "") for ch in choices],
                                fixed_keys=True)
        elif kind in ("thresholds", "count_of"):
            first = self._limit_header() if kind == "thresholds" else "At least this many items"
            self.pairs.set_rows((first, "Score"), [(f"{a:g}", f"{b:g}") for a, b in rule.get("thresholds", [])],
                                fixed_keys=False)
        else:
            self.pairs.set_rows(("", ""), [], fixed_keys=False)
        self._rule_visibility()

    def _limit_header(self) -> str:
        unit = self.unit.text().strip()
        word = "up to" if self.better.currentData() == "lower" else "at least"
        return f"Answer {word}" + (f" ({unit})" if unit else "")

    def _better_changed(self) -> None:
        if self.rule_kind.currentData() == "thresholds":
            self.pairs.setHorizontalHeaderLabels([self._limit_header(), "Score"])

    def _rule_visibility(self) -> None:
        kind = self.rule_kind.currentData()
        steps = kind in ("thresholds", "count_of")
        for widget, on in ((self.better, kind == "thresholds"), (self.items, kind == "count_of"),
                           (self.pairs, bool(kind)), (self.step_buttons, steps), (self.steps_box, steps)):
            self.rule_form.setRowVisible(widget, on)
        self.rule_help.setText(vocabulary.RULE_KIND_HELP.get(kind, NO_RULE_HELP))
        self.validate()

    # --- reactions ---
    def _answer_changed(self) -> None:
        kind = self.answer_type.currentData()
        self.rule_form.setRowVisible(self.unit, kind == "number")
        self.rule_form.setRowVisible(self.choices, kind in ("single_choice", "multi_choice"))
        self.validate()

    def _kind_changed(self) -> None:
        if self._loading:
            return
        self._show_rule(self.criterion.scoring_rule if self.criterion else None)

    def _choices_changed(self) -> None:
        if self.rule_kind.currentData() == "choice_map" and not self._loading:
            keep = {k: s for k, _t, s in self.pairs.pairs()}
            self.pairs.set_rows(("Answer choice", "Score"), [(ch, keep.get(ch, "")) for ch in self._choice_list()],
                                fixed_keys=True)
        self.validate()

    def _choice_list(self) -> list[str]:
        return [x.strip() for x in self.choices.toPlainText().splitlines() if x.strip()]

    def _add_step(self) -> None:
        r = self.pairs.rowCount()
        self.pairs.insertRow(r)
        self.pairs.setItem(r, 0, QTableWidgetItem(""))
        self.pairs.setItem(r, 1, QTableWidgetItem(""))
        self.pairs.setCurrentCell(r, 0)
        self.validate()

    def _remove_step(self) -> None:
        r = self.pairs.currentRow()
        if r >= 0:
            self.pairs.removeRow(r)
        self.validate()

    def _knockout_toggled(self, on: bool) -> None:
        self.pass_mark.setEnabled(on)
        self.validate()

    def _scale_changed(self) -> None:
        self._keep_descriptor_texts()
        self._fill_descriptors()
        self.validate()

    def _keep_descriptor_texts(self) -> None:
        for r in range(self.descriptors.rowCount()):
            point, text = self.descriptors.item(r, 0), self.descriptors.item(r, 1)
            if point is not None and text is not None:
                self._texts[point.text()] = text.text().strip()

    def _points(self) -> list[int]:
        lo, hi = self.scale_min.value(), self.scale_max.value()
        if hi <= lo or hi - lo + 1 > MAX_POINTS:
            return []
        return list(range(math.ceil(lo), math.floor(hi) + 1))

    def _fill_descriptors(self) -> None:
        points = self._points()
        self.descriptors.setRowCount(len(points))
        for r, p in enumerate(points):
            item = QTableWidgetItem(str(p))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.descriptors.setItem(r, 0, item)
            self.descriptors.setItem(r, 1, QTableWidgetItem(self._texts.get(str(p), "")))
        self.descriptors.setVisible(bool(points))
        self.descriptors_note.setText("" if points else "Descriptors anchor whole scale points; this scale has "
                                                        f"more than {MAX_POINTS - 1} or none.")

    # --- validation and result ---
    def _rule(self) -> tuple[dict[str, Any] | None, str]:
        """The rule the form describes, or (None, why it is not valid)."""
        kind = self.rule_kind.currentData()
        if not kind:
            return None, ""
        lo, hi = self.scale_min.value(), self.scale_max.value()
        rule: dict[str, Any] = {"kind": kind}
        pairs = self.pairs.pairs()
        if kind in ("yes_no_partial", "choice_map"):
            mapping: dict[str, float] = {}
            for key, text, score in pairs:
                value = _number(score)
                if value is None:
                    return None, f"Give the score for the answer {text!r} (a number from {lo:g} to {hi:g})."
                mapping[key] = value
            if not mapping:
                return None, "List the answer choices on this tab first, then give each a score."
            rule["map"] = mapping
        else:
            steps = []
            for n, (_key, left, score) in enumerate(pairs, 1):
                limit, value = _number(left), _number(score)
                if limit is None or value is None:
                    return None, f"Step {n} of the scoring rule needs two numbers: the answer limit and the score."
                steps.append([limit, value])
            if not steps:
                return None, "Add at least one step to the scoring rule (Add step)."
            rule["thresholds"] = steps
            other = self.otherwise.text().strip()
            if other and _number(other) is None:
                return None, f"'Otherwise' must be a score or empty, got {other!r}."
            rule["otherwise"] = _number(other) if other else None
            if kind == "thresholds":
                rule["better"] = self.better.currentData()
            else:
                items = [x.strip() for x in self.items.toPlainText().splitlines() if x.strip()]
                if not items:
                    return None, "List the items the answer is checked for, one per line."
                rule["items"] = items
        scores = list(rule.get("map", {}).values()) + [b for _a, b in rule.get("thresholds", [])]
        if rule.get("otherwise") is not None:
            scores.append(rule["otherwise"])
        off = [s for s in scores if not lo <= s <= hi]
        if off:
            return None, f"The scoring rule suggests {off[0]:g}, which is off the scale {lo:g} to {hi:g}."
        try:
            check_rule(rule)
        except RuleError as exc:
            return None, f"The scoring rule is not complete: {exc}."
        return rule, ""

    def problem(self) -> str:
        """The first thing that is wrong with the form, as a sentence ('' when it can be saved)."""
        name = self.name.text().strip()
        if not name:
            return "Give the criterion a name."
        others = {c.name for c in self.snap.criteria if self.criterion is None or c.id != self.criterion.id}
        if name in others:
            return f"There is already a criterion named {name!r}."
        if self.group.currentData() is None:
            return "Add a criteria group first: every criterion belongs to one."
        lo, hi = self.scale_min.value(), self.scale_max.value()
        if hi <= lo:
            return f"The top of the scale ({hi:g}) must be above its bottom ({lo:g})."
        if self.knockout.isChecked() and not lo <= self.pass_mark.value() <= hi:
            return f"The pass mark must lie on the scale, from {lo:g} to {hi:g}."
        kind = self.answer_type.currentData()
        if kind in ("single_choice", "multi_choice") and not self._choice_list():
            return "List the choices vendors can pick from, one per line."
        return self._rule()[1]

    def validate(self) -> None:
        if not hasattr(self, "ok_button"):
            return
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)

    def accept(self) -> None:
        if self.problem():
            self.validate()
            return
        super().accept()

    def values(self) -> dict[str, Any]:
        """Every field of the form, as services.criteria takes them (scale first: the pass mark is
        checked against the new scale)."""
        self._keep_descriptor_texts()
        points = {str(p) for p in self._points()}
        kind = self.answer_type.currentData()
        return {
            "scale_min": float(self.scale_min.value()), "scale_max": float(self.scale_max.value()),
            "name": self.name.text().strip(), "question": self.question.toPlainText().strip(),
            "provide": self.provide.toPlainText().strip(),
            "guidance": self.guidance.toPlainText().strip(), "is_cost": self.cost.isChecked(),
            "direction": self.direction.currentData(), "knockout": self.knockout.isChecked(),
            "knockout_min": float(self.pass_mark.value()) if self.knockout.isChecked() else None,
            "descriptors": {k: v for k, v in self._texts.items() if k in points and v},
            "answer_type": kind, "answer_unit": self.unit.text().strip() if kind == "number" else "",
            "choices": self._choice_list() if kind in ("single_choice", "multi_choice") else [],
            "scoring_rule": self._rule()[0],
        }

    def fields(self) -> tuple[int, str, dict[str, Any]]:
        """For adding: (group id, name, the other fields add_criterion takes)."""
        values = self.values()
        name = values.pop("name")
        values["weight"] = float(self.weight.value())
        return int(self.group.currentData()), name, values

    def changes(self) -> dict[str, Any]:
        """For editing: only the fields that differ from the criterion, scale first."""
        assert self.criterion is not None
        c = self.criterion
        current = {"scale_min": c.scale_min, "scale_max": c.scale_max, "name": c.name, "question": c.question,
                   "provide": c.provide,
                   "guidance": c.guidance, "is_cost": c.is_cost, "direction": c.direction, "knockout": c.knockout,
                   "knockout_min": c.knockout_min, "descriptors": dict(c.descriptors), "answer_type": c.answer_type,
                   "answer_unit": c.answer_unit, "choices": list(c.choices), "scoring_rule": c.scoring_rule}
        return {k: v for k, v in self.values().items() if v != current[k]}
