"""What every screen shares: the session it shows and lazy refresh when it becomes visible."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from vendor_eval.ui.changes import Change
from vendor_eval.ui.session import EvaluationSession


class Screen(QWidget):
    title = ""
    # The changes that make this screen stale.
    depends_on: Change = Change.ALL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: EvaluationSession | None = None
        self._dirty = True

    def set_session(self, session: EvaluationSession | None) -> None:
        self.session = session
        if session is not None:
            session.changed.connect(self._on_changed)
        self._dirty = True
        if self.isVisible():
            self._refresh_now()

    def _on_changed(self, change: Change) -> None:
        if self.sender() is not self.session:
            return  # a signal from a session that has since been closed
        if change & self.depends_on:
            self._dirty = True
            # Only the screen on show does the work now; the others catch up when shown.
            if self.isVisible():
                self._refresh_now()

    def _refresh_now(self) -> None:
        self._dirty = False
        if self.session is not None:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._refresh_now()

    def refresh(self) -> None:
        """Rebuild the screen's models from self.session.snapshot."""
