"""Finalise and reopen, each with what it needs shown first: the checks that block or warn before
the committee freezes the ranking, and a required reason before a finalised evaluation reopens."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.services.lifecycle import Check

MARK = {"blocker": ("✖", "#b00020"), "warning": ("⚠", "#b26a00"), "ok": ("✔", "#2e7d32")}


def checks_html(checks: list[Check]) -> str:
    rows = []
    for c in checks:
        mark, colour = MARK[c.level]
        rows.append(f"<tr><td style='color:{colour}; padding-right:8px; font-weight:bold'>{mark}</td>"
                    f"<td style='padding-bottom:6px'>{escape(c.text)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


class FinaliseDialog(QDialog):
    """The checks first; the question "Freeze the ranking?" only under them, its button disabled
    while anything blocks. fix_requested names where to fix a problem ("settings", ...)."""

    fix_requested = Signal(str)

    def __init__(self, parent: QWidget | None, name: str, checks: list[Check]) -> None:
        super().__init__(parent)
        self.checks = checks
        self.setWindowTitle("Finalise evaluation")
        self.setMinimumWidth(620)
        blockers = [c for c in checks if c.level == "blocker"]
        warnings = [c for c in checks if c.level == "warning"]
        heading = QLabel(f"<b>Before finalising {escape(name)}</b>")
        self.list = QLabel(checks_html(checks))
        self.list.setWordWrap(True)
        self.list.setTextFormat(Qt.TextFormat.RichText)
        if blockers:
            text = (f"{len(blockers)} problem{'s' if len(blockers) > 1 else ''} must be solved before the ranking "
                    "can be frozen.")
        else:
            text = ("<b>Freeze the ranking?</b> The evaluation becomes read-only and the ranking is stored as it "
                    "stands, on the audit trail. Reopening later needs a reason and is recorded.")
            if warnings:
                text = (f"The committee may finalise with {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
                        " above. " + text)
        self.question = QLabel(text)
        self.question.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.freeze_button = QPushButton("Freeze the ranking")
        self.buttons.addButton(self.freeze_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.freeze_button.setEnabled(not blockers)
        self.fix_buttons: dict[str, QPushButton] = {}
        fixes = {"settings": "Evaluation settings…"}
        for c in checks:
            if c.fix in fixes and c.fix not in self.fix_buttons and c.level != "ok":
                button = QPushButton(fixes[c.fix])
                button.clicked.connect(lambda _=False, where=c.fix: self._fix(where))
                self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
                self.fix_buttons[c.fix] = button
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list)
        layout.addSpacing(6)
        layout.addWidget(self.question)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        (self.freeze_button if not blockers else self.buttons.button(QDialogButtonBox.StandardButton.Cancel)).setDefault(True)

    def _fix(self, where: str) -> None:
        self.reject()
        self.fix_requested.emit(where)


class ReopenDialog(QDialog):
    """A reason is required (it goes on the audit trail); Reopen stays disabled until one is typed."""

    def __init__(self, parent: QWidget | None, name: str, finalised: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reopen evaluation")
        self.setMinimumWidth(520)
        intro = QLabel(f"{escape(name)} was finalised {escape(finalised)}. Reopening makes it editable again; the "
                       "frozen ranking is kept on the audit trail with your reason.")
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why must the finalised evaluation change? e.g. a vendor's corrected price")
        self.reason.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reopen_button = QPushButton("Reopen")
        self.buttons.addButton(self.reopen_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda: self.reopen_button.setEnabled(bool(self.text())))
        self.reopen_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Reason (recorded)"))
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

