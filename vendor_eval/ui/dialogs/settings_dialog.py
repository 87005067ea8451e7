"""Evaluation settings in one dialog: how scores combine, what a missing score counts as, how
quoted prices are scored, when evaluators' disagreement must be discussed, blind scoring and
two envelopes.

Saved as one audited change (services.evaluations.update_settings) when the user presses Save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain, vocabulary
from vendor_eval.ui.changes import Change
from vendor_eval.ui.session import EvaluationSession


def _choices(words: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A vocabulary list as drop-down items, each label starting with a capital."""
    return tuple((key, text[:1].upper() + text[1:]) for key, text in words.items())


AGGREGATIONS = _choices(vocabulary.AGGREGATIONS)
MISSING_POLICIES = _choices(vocabulary.MISSING_POLICIES)
PRICE_FORMULAS = _choices(vocabulary.PRICE_FORMULAS)
POLICY_HELP = vocabulary.MISSING_POLICY_ADVICE


def _combo(items: tuple[tuple[str, str], ...], current: str) -> QComboBox:
    box = QComboBox()
    for key, text in items:
        box.addItem(text, key)
    box.setCurrentIndex(max(box.findData(current), 0))
    return box


def _percent(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(1, 100)
    box.setDecimals(0)
    box.setSuffix(" % of the scale")
    box.setValue(round(value * 100))
    return box


def _align_labels(*forms: QFormLayout) -> None:
    """One label column across the boxes, so their fields start at the same x."""
    labels = [w for f in forms for r in range(f.rowCount())
              if (item := f.itemAt(r, QFormLayout.ItemRole.LabelRole)) is not None and (w := item.widget()) is not None]
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, info: domain.EvaluationInfo) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle("Evaluation settings")
        self.setMinimumWidth(660)  # the longest policy in words shows whole in its drop-down
        scoring = QGroupBox("Combining scores")
        form = QFormLayout(scoring)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.aggregation = _combo(AGGREGATIONS, info.aggregation)
        self.missing_policy = _combo(MISSING_POLICIES, info.missing_policy)
        self.policy_help = QLabel()
        self.policy_help.setWordWrap(True)
        self.policy_help.setStyleSheet("color: palette(placeholder-text);")
        self.missing_policy.currentIndexChanged.connect(self._policy_changed)
        form.addRow("Combine evaluators' scores by", self.aggregation)
        form.addRow("A missing score", self.missing_policy)
        form.addRow("", self.policy_help)
        self.price_formula = _combo(PRICE_FORMULAS, info.price_formula)
        self.price_formula.setToolTip("How price criteria are scored when vendors quoted a price in the questionnaire")
        form.addRow("Score quoted prices by", self.price_formula)

        committee = QGroupBox("Committee discussion")
        cform = QFormLayout(committee)
        self.discuss = _percent(info.discuss_threshold)
        self.must_discuss = _percent(info.must_discuss_threshold)
        for box in (self.discuss, self.must_discuss):
            box.valueChanged.connect(self.validate)
        cform.addRow("Discuss when scores spread over", self.discuss)
        cform.addRow("Must discuss when they spread over", self.must_discuss)
        _align_labels(form, cform)

        modes = QGroupBox("Scoring modes")
        mv = QVBoxLayout(modes)
        self.blind = QCheckBox("Blind scoring: evaluators see only their own scores until they submit")
        self.blind.setChecked(info.blind_mode)
        self.two_envelope = QCheckBox("Two envelopes: technical evaluators see price and cost only after "
                                      "they submit")
        self.two_envelope.setChecked(info.two_envelope)
        mv.addWidget(self.blind)
        mv.addWidget(self.two_envelope)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (scoring, committee, modes, self.error, self.buttons):
            layout.addWidget(w)
        self._policy_changed()
        self.validate()

    def _policy_changed(self) -> None:
        self.policy_help.setText(POLICY_HELP.get(self.missing_policy.currentData(), ""))

    def problem(self) -> str:
        if self.discuss.value() >= self.must_discuss.value():
            return (f"'Must discuss' ({self.must_discuss.value():.0f} %) must be above 'discuss' "
                    f"({self.discuss.value():.0f} %).")
        return ""

    def validate(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.save_button.setEnabled(not problem)

    def changes(self) -> dict[str, Any]:
        """The settings that differ from the evaluation's, as update_settings takes them."""
        values: dict[str, Any] = {
            "aggregation": self.aggregation.currentData(), "missing_policy": self.missing_policy.currentData(),
            "price_formula": self.price_formula.currentData(),
            "discuss_threshold": self.discuss.value() / 100.0, "must_discuss_threshold": self.must_discuss.value() / 100.0,
            "blind_mode": self.blind.isChecked(), "two_envelope": self.two_envelope.isChecked(),
        }
        current = {k: getattr(self.info, k) for k in values}
        return {k: v for k, v in values.items()
                if (abs(v - current[k]) > 1e-9 if isinstance(v, float) else v != current[k])}


def open_settings(parent: QWidget | None, session: EvaluationSession, focus: str = "") -> bool:
    """Show the settings dialog and save what changed in one audited transaction; True when saved.
    focus: "missing_policy" puts the cursor there (the Results message links to it)."""
    from vendor_eval.services import evaluations

    if session.read_only:
        session.failed.emit("The evaluation is finalised: reopen it to change its settings.")
        return False
    dialog = SettingsDialog(parent, session.snapshot.evaluation)
    if focus == "missing_policy":
        dialog.missing_policy.setFocus()
    accepted = dialog.exec()
    dialog.deleteLater()  # one dialog per use, not kept under its parent
    if not accepted:
        return False
    changes = dialog.changes()
    if not changes:
        return False
    session.call(evaluations.update_settings, session.actor, kind=Change.SETTINGS, wait=True, **changes)
    info = session.snapshot.evaluation  # a refused change is reported by the session and leaves these as they were
    return all(getattr(info, k) == v for k, v in changes.items())
