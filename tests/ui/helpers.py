"""Small helpers for driving the window in tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from vendor_eval.storage import Database
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.scoring import ScoringScreen


def open_eval(window: MainWindow, evaluation_id: int) -> None:
    window.open_evaluation(evaluation_id)  # background tasks run inline in tests
    assert window.session is not None and window.session.evaluation_id == evaluation_id


def show(window: MainWindow, screen_type: type) -> QWidget:
    screen = window.screen_of(screen_type)
    window.tabs.setCurrentWidget(screen)
    QApplication.processEvents()
    return screen


def drive_modal(dialog_type: type, steps: Callable[[QDialog], None]) -> list[BaseException]:
    """Run steps against the next modal dialog of dialog_type once its event loop runs; any failure is
    returned (and the dialog closed) instead of leaving a modal loop hanging."""
    errors: list[BaseException] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, dialog_type):
            QTimer.singleShot(10, attempt)
            return
        try:
            steps(dialog)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
            dialog.reject()

    QTimer.singleShot(0, attempt)
    return errors


def declare_no_conflict(db: Database, evaluation: int, evaluator: int) -> None:
    """What an evaluator does before their first score (the Scoring screen asks otherwise)."""
    from vendor_eval.services import declarations

    declarations.declare(db, evaluation, evaluator, [], "officer", "No interest in any vendor")


def open_scoring_for_one_evaluator(window: MainWindow, db: Database, evaluation: int) -> tuple[ScoringScreen, int]:
    """(the Scoring screen, the evaluator's id) of an evaluation with one vendor ("Alpha Reads")
    and one evaluator who has declared no conflict: the smallest panel a keystroke can score."""
    from vendor_eval.services import evaluators, vendors

    vendors.add_vendor(db, evaluation, "Alpha Reads", "officer")
    person = evaluators.add_evaluator(db, evaluation, "Dr. Ana Ruiz", "officer")
    declare_no_conflict(db, evaluation, person)
    open_eval(window, evaluation)
    screen = show(window, ScoringScreen)
    assert isinstance(screen, ScoringScreen)
    return screen, person
