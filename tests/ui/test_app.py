"""The entry point: command line, crash handler, logging, and the packaged build's self-test."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from vendor_eval import app


def test_command_line_options() -> None:
    args = app.parse_args(["--db", "x.db", "--demo"])
    assert (args.db, args.demo, args.self_test) == ("x.db", True, False)
    assert app.parse_args(["--db", "postgresql://officer@db.example/rfp"]).db == "postgresql://officer@db.example/rfp"
    assert app.parse_args(["-platform", "offscreen"]).db is None  # Qt's own options pass through


def test_crash_handler_logs_the_traceback_and_shows_a_dialog(monkeypatch: pytest.MonkeyPatch, qapp) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append((self.text(), self.detailedText())) or 0)
    root = logging.getLogger()
    before = list(root.handlers)
    logfile = app.setup_logging()
    try:
        app.install_crash_handler(logfile)
        try:
            raise ValueError("boom in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        worker = threading.Thread(target=lambda: 1 / 0)
        worker.start()
        worker.join()
        QApplication.processEvents()  # the dialog is shown by the UI thread
    finally:
        for handler in root.handlers[len(before):]:
            handler.close()
            root.removeHandler(handler)
    assert [text for text, _ in shown] == ["An unexpected error stopped that action: boom in a slot",
                                           "An unexpected error stopped that action: division by zero"]
    assert "Traceback" in shown[0][1]
    text = logfile.read_text(encoding="utf-8")
    assert "ValueError: boom in a slot" in text and "ZeroDivisionError" in text
    assert logfile.parent == Path(os.environ["VENDOR_EVAL_DATA_DIR"]) / "logs"


# The self-test (--self-test) runs from the installed wheel: tests/test_wheel_install.py.


def test_demo_opens_on_the_sample_ranking(qtbot, window, db) -> None:  # type: ignore[no-untyped-def]
    from vendor_eval.ui.screens.results import ResultsScreen

    app.open_demo(window, db)
    qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), ResultsScreen), timeout=30_000)
    screen = window.tabs.currentWidget()
    names = [screen.model.index(r, 1).data() for r in range(screen.model.rowCount())]
    assert names[0] == "Bluestem Reading Group" and len(names) == 7
    assert window.session.snapshot.evaluation.name == "Teleradiology and AI reading services"


# The window is left open when the application ends (a script, a crash handler's exit, the
# session deleted at interpreter exit): the undo stack, cleared as it is destroyed, signals
# canUndoChanged; nothing of the half-destroyed window may run then.
EXIT_WITHOUT_CLOSE = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from vendor_eval.app import make_application
from vendor_eval.storage import open_database
from vendor_eval.ui import tasks
from vendor_eval.ui.commands import SetWeightsCommand
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.settings import Settings

app = make_application([sys.argv[0]])
tasks.set_inline(True)
db = open_database(Path(sys.argv[1]))
window = MainWindow(db, Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat)))
window.show()
window.open_evaluation(int(sys.argv[3]))
session = window.session
criterion = session.snapshot.criteria[1].id
assert session.push(SetWeightsCommand(session, "Change weight", {criterion: 7.0}))
assert session.push(SetWeightsCommand(session, "Change weight", {criterion: 9.0}))
session.undo_stack.undo()  # both undo and redo are possible when the stack goes
assert window.undo_action.isEnabled() and window.redo_action.isEnabled()
QTimer.singleShot(0, lambda: app.exit(0))  # exit, unlike quit, closes no window
sys.exit(app.exec())
"""


def test_exit_without_closing_the_window_leaves_stderr_clean(tmp_path: Path, db, imaging_eval: int) -> None:  # type: ignore[no-untyped-def]
    path = db.path
    db.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOR_EVAL_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", EXIT_WITHOUT_CLOSE, str(path), str(tmp_path / "settings.ini"),
                           str(imaging_eval)], env=env, capture_output=True, text=True, timeout=120)
    noise = ("propagateSizeHints",)  # the offscreen plugin's, not ours
    stderr = [line for line in done.stderr.splitlines() if line.strip() and not any(n in line for n in noise)]
    assert done.returncode == 0 and stderr == [], done.stderr[-3000:]
