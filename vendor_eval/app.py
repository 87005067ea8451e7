"""GUI entry point: vendor-eval [--db PATH] [--demo] [--self-test].

Sets up logging (rotating file under paths.log_dir()), Qt's own messages into that log, a
crash handler that logs the traceback and shows a dialog instead of vanishing, then opens
the main window. Nothing here runs at import time.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import multiprocessing
import os
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from vendor_eval import paths

log = logging.getLogger("vendor_eval")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vendor-eval",
                                     description="Score teleradiology / imaging-outsourcing vendors.")
    parser.add_argument("--db", help="database file or postgresql:// URL (default: a file in the user data directory)")
    parser.add_argument("--demo", action="store_true", help="open a fresh temporary database filled with demo data")
    parser.add_argument("--self-test", action="store_true",
                        help="load the demo, rank, write PDF and Excel reports, exit 0 on success (smoke test)")
    known, _qt_args = parser.parse_known_args(argv)
    return known


def setup_logging() -> Path:
    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    logfile = folder / "vendor_eval.log"
    handler = logging.handlers.RotatingFileHandler(logfile, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return logfile


def install_qt_message_handler() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: Any, context: Any, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s (%s:%s)", message, context.file, context.line)

    qInstallMessageHandler(handler)


def install_crash_handler(logfile: Path) -> None:
    """Unhandled exceptions (UI thread or any other) are logged and shown, never a silent exit."""
    from PySide6.QtCore import QObject, Qt, Signal
    from PySide6.QtWidgets import QApplication, QMessageBox

    from vendor_eval.errors import UserError

    class Reporter(QObject):
        crashed = Signal(str, str)

    reporter = Reporter(QApplication.instance())

    def show(summary: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong", summary)
        box.setInformativeText(f"The details are in the log file:\n{logfile}\nYour saved work is safe in the database.")
        box.setDetailedText(details)
        box.exec()

    # Queued: a worker thread's crash is shown by the UI thread.
    reporter.crashed.connect(show, Qt.ConnectionType.QueuedConnection)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if isinstance(exc, UserError):  # a refusal that escaped a handler: show the sentence only
            reporter.crashed.emit(str(exc), "")
            return
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.critical("unhandled exception\n%s", details)
        reporter.crashed.emit(f"An unexpected error stopped that action: {exc}", details)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        hook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def make_application(argv: list[str]) -> Any:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from vendor_eval.ui.settings import APPLICATION, ORGANISATION

    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv)
    QGuiApplication.setApplicationDisplayName("vendor_eval")
    # Saves and reloads run in Python threads; each time Qt calls back into Python the UI thread
    # needs the GIL, and waits up to the switch interval for a busy thread to hand it over (5 ms
    # by default). 0.5 ms took a keystroke's block from 92 to 58 ms median while a save ran
    # (bench/bench_gui.py, large evaluation).
    sys.setswitchinterval(0.0005)
    return app


def self_test() -> int:
    """The packaged build's smoke test: demo -> main window -> ranking -> PDF and Excel reports."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from vendor_eval.services import reports
    from vendor_eval.services.demo import load_demo
    from vendor_eval.storage import open_database
    from vendor_eval.ui import engine, tasks
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.settings import Settings
    from vendor_eval.vocabulary import REPORT_FORMATS

    app = make_application([sys.argv[0]])
    tasks.set_inline(True)  # deterministic: every step finishes before the next
    with tempfile.TemporaryDirectory(prefix="vendor_eval_selftest_") as tmp:
        os.environ["VENDOR_EVAL_DATA_DIR"] = tmp
        from PySide6.QtCore import QSettings

        db = open_database(Path(tmp) / "selftest.db")
        try:
            eid = load_demo(db)
            window = MainWindow(db, Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)))
            window.open_evaluation(eid)
            assert window.session is not None, "the demo evaluation did not open"
            result = engine.rank(window.session)
            print(f"ranked {len(result.vendors)} vendors; leader: {result.winner.name if result.winner else 'none'}")
            for fmt in REPORT_FORMATS:
                out = reports.export_report(db, eid, fmt, Path(tmp) / f"report.{fmt}")
                size = out.stat().st_size
                if size == 0:
                    raise RuntimeError(f"the {fmt} report is empty")
                print(f"{fmt} report: {size} bytes")
            window.close()
            window.deleteLater()
            app.processEvents()
        finally:
            db.dispose()
    print("self-test passed")
    return 0


def open_shared(url: str) -> Any:
    """A PostgreSQL database: no file to recover; its password comes from PGPASSWORD or ~/.pgpass."""
    from vendor_eval.errors import UserError
    from vendor_eval.storage import open_database
    from vendor_eval.ui.widgets import show_error

    try:
        return open_database(url)
    except UserError as exc:
        show_error(None, str(exc), "Cannot open the shared database")
        return None


def open_demo(window: Any, db: Any) -> None:
    """Load the sample RFP in the background, then show it where the point is: the ranking."""
    from PySide6.QtCore import Qt

    from vendor_eval.services.demo import load_demo
    from vendor_eval.ui import tasks
    from vendor_eval.ui.screens.results import ResultsScreen

    window.statusBar().showMessage("Loading the sample RFP…")

    def loaded(evaluation_id: Any) -> None:
        window.refresh_list()
        results = next(i for i, s in enumerate(window.screens) if isinstance(s, ResultsScreen))
        window.evaluationOpened.connect(lambda _id: window.show_screen(results),
                                        Qt.ConnectionType.SingleShotConnection)
        window.open_evaluation(int(evaluation_id))

    tasks.run_task(lambda progress: load_demo(db, progress=progress), loaded)


def main(argv: list[str] | None = None) -> int:
    # Report exports run in a spawned child process; in a frozen (PyInstaller) build the child is
    # this executable again, and freeze_support() turns it into the worker instead of a second GUI.
    multiprocessing.freeze_support()
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.self_test:
        try:
            return self_test()
        except Exception:  # noqa: BLE001 - the smoke test reports any failure as a non-zero exit
            traceback.print_exc()
            return 1
    logfile = setup_logging()
    app = make_application(sys.argv)
    install_qt_message_handler()
    install_crash_handler(logfile)

    from vendor_eval.ui import tasks
    from vendor_eval.ui.main_window import MainWindow
    from vendor_eval.ui.recovery import open_with_recovery

    demo_dir = tempfile.TemporaryDirectory(prefix="vendor_eval_demo_") if args.demo else None
    target = str(Path(demo_dir.name) / "demo.db") if demo_dir else (args.db or str(paths.default_db_path()))
    db = open_shared(target) if "://" in target and not target.startswith("sqlite") else open_with_recovery(Path(target))
    if db is None:
        return 2
    log.info("database %s", db.where)
    window = MainWindow(db)
    window.show()
    if args.demo:
        open_demo(window, db)
    code = int(app.exec())
    tasks.wait_for_all()  # no worker may outlive the application
    db.dispose()
    if demo_dir is not None:
        demo_dir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
