"""Create an evaluation from a built-in criteria template (or a template file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.io.templates import builtin_templates, load_template

DEFAULT_TEMPLATE = "Medical imaging outsourcing and teleradiology"


class NewEvaluationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New evaluation")
        self.template = QComboBox()
        for name, path in builtin_templates().items():
            self.template.addItem(name, str(path))
        # What the app is for: the imaging template first, the generic one for other services.
        self.template.setCurrentIndex(max(self.template.findText(DEFAULT_TEMPLATE), 0))
        self.template.currentIndexChanged.connect(lambda _i: self._describe())
        # Long template names must not squeeze the label beside them: a steady width, the list shows them whole.
        self.template.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template.setMinimumContentsLength(30)
        browse = QPushButton("Template file…")
        browse.clicked.connect(self._browse)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Teleradiology RFP 2026")
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("The buying hospital or imaging centre")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(lambda _t: self._check())
        row = QHBoxLayout()
        row.addWidget(self.template, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Criteria template", row)
        form.addRow("", self.description)
        form.addRow("Name", self.name)
        form.addRow("Organisation", self.organisation)
        form.addRow(self.buttons)
        self.setMinimumWidth(640)
        self._describe()
        self._check()

    def _describe(self) -> None:
        path = self.template.currentData()
        try:
            spec = load_template(Path(path)) if path else None
        except UserError as exc:
            self.description.setText(str(exc))
            return
        if spec is not None:
            self.description.setText(f"{spec.criteria_count} criteria in {len(spec.groups)} groups. {spec.description}")

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Criteria template", "", "Templates (*.json)")
        if name:
            self.template.addItem(Path(name).stem, name)
            self.template.setCurrentIndex(self.template.count() - 1)

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def template_ref(self) -> str:
        """A built-in name (resolved by the service) or a file path."""
        path = self.template.currentData()
        builtins = {str(p): n for n, p in builtin_templates().items()}
        return str(builtins.get(path, path))
