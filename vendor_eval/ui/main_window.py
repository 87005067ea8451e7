"""The main window: evaluation list (dock), the open evaluation's screens (tabs), menus,
toolbar, status bar, recent evaluations, drag-and-drop import, geometry in QSettings."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.errors import UserError
from vendor_eval.services import evaluations
from vendor_eval.storage import Database
from vendor_eval.ui import exporting, loading
from vendor_eval.ui.changes import Change
from vendor_eval.ui.models.tables import EvaluationListModel
from vendor_eval.ui.screens.audit import AuditScreen
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.screens.committee import CommitteeScreen
from vendor_eval.ui.screens.criteria import CriteriaScreen
from vendor_eval.ui.screens.overview import OverviewScreen
from vendor_eval.ui.screens.results import ResultsScreen
from vendor_eval.ui.screens.scoring import ScoringScreen
from vendor_eval.ui.screens.sensitivity import SensitivityScreen
from vendor_eval.ui.screens.tariffs import TariffsScreen
from vendor_eval.ui.screens.vendors import VendorsScreen
from vendor_eval.ui.session import EvaluationSession
from vendor_eval.ui.settings import ACTOR, GEOMETRY, LAST_TAB, STATE, Settings
from vendor_eval.ui.tasks import run_task
from vendor_eval.ui.widgets import guidance, show_error, table_view

WELCOME = ("No evaluation is open.\n\nCreate one from the imaging-outsourcing template with File ▸ New evaluation "
           "(Ctrl+N), or double-click an evaluation in the list on the left.\nTo look around first, start the app "
           "with --demo.")


class MainWindow(QMainWindow):
    evaluationOpened = Signal(int)  # emitted when the screens show the evaluation (benchmarks wait on it)

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        super().__init__()
        self.db = db
        self.settings = settings or Settings()
        self.session: EvaluationSession | None = None
        self.setWindowTitle("vendor_eval")
        self.setAcceptDrops(True)
        self._build_list()
        self._build_screens()
        self._build_actions()
        self.statusBar().showMessage("Ready")
        self.refresh_list()
        self._update_actions()
        geometry = self.settings.get(GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1340, 740)  # fits a 1366x768 laptop with its taskbar
        state = self.settings.get(STATE)
        if state:
            self.restoreState(state)
        else:  # first run: a narrow list, so the screens get the width of a 1366 px laptop
            QTimer.singleShot(0, lambda: self.resizeDocks([self.list_dock], [240], Qt.Orientation.Horizontal))

    # --- construction ---
    def _build_list(self) -> None:
        self.list_model = EvaluationListModel(self)
        self.list_view = table_view(self.list_model)
        self.list_view.setSelectionMode(self.list_view.SelectionMode.SingleSelection)
        header = self.list_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for col in (2, 3, 4):  # counts and date: in the narrow dock they only crowd the name (the tooltip has them)
            self.list_view.setColumnHidden(col, True)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.doubleClicked.connect(lambda i: self.open_evaluation(self.list_model.row(i.row()).id))
        self.list_view.activated.connect(lambda i: self.open_evaluation(self.list_model.row(i.row()).id))
        buttons = QGridLayout()  # two by two: keeps the list narrow on a 1366 px screen
        for i, (text, slot) in enumerate((("New…", self.new_evaluation), ("Open", self.open_selected),
                                          ("Duplicate…", self.duplicate_selected), ("Delete…", self.delete_selected))):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b, i // 2, i % 2)
        panel = QWidget()
        v = QVBoxLayout(panel)
        v.setContentsMargins(4, 4, 4, 4)
        v.addWidget(self.list_view, 1)
        v.addLayout(buttons)
        self.list_dock = QDockWidget("Evaluations", self)
        self.list_dock.setObjectName("evaluations_dock")
        self.list_dock.setWidget(panel)
        self.list_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                   | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.list_dock)
        self.resizeDocks([self.list_dock], [240], Qt.Orientation.Horizontal)

    def _build_screens(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.screens: list[Screen] = [OverviewScreen(), CriteriaScreen(), VendorsScreen(), ScoringScreen(),
                                      CommitteeScreen(), ResultsScreen(), SensitivityScreen(), TariffsScreen(),
                                      AuditScreen()]
        for screen in self.screens:
            self.tabs.addTab(screen, screen.title.replace("&", "&&"))  # "&" would become a mnemonic
        self.tabs.currentChanged.connect(lambda i: self.settings.set(LAST_TAB, i))
        self.stack = QStackedWidget()
        self.welcome = guidance(WELCOME)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

    def screen_of(self, kind: type) -> Any:
        return next(s for s in self.screens if isinstance(s, kind))

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _build_actions(self) -> None:
        Std = QKeySequence.StandardKey
        self.new_action = self._action("&New evaluation…", self.new_evaluation, Std.New,
                                       "Create an evaluation from a criteria template")
        self.open_action = self._action("&Open evaluation", self.open_selected, Std.Open,
                                        "Open the evaluation selected in the list")
        self.import_action = self._action("&Import questionnaires…", self.import_questionnaires, "Ctrl+I",
                                          "Import vendors' completed questionnaires")
        self.export_pdf_action = self._action("Export &PDF report…", lambda: self.export_report("pdf"), "Ctrl+E",
                                              "Write the committee report as PDF")
        self.export_xlsx_action = self._action("Export &Excel report…", lambda: self.export_report("xlsx"),
                                               "Ctrl+Shift+E", "Write the committee report as an Excel workbook")
        self.export_q_action = self._action("Export &questionnaire…", self.export_questionnaire, None,
                                            "Write the questionnaire workbook to send to vendors")
        self.duplicate_action = self._action("&Duplicate evaluation…", self.duplicate_selected)
        self.delete_action = self._action("De&lete evaluation…", self.delete_selected)
        self.quit_action = self._action("&Quit", self.close, Std.Quit)
        # Undo/Redo follow the open evaluation's stack through a group that Qt keeps in step (enabled,
        # "Undo <what>"), with no Python slot on the stack: a session destroyed at exit (window never
        # closed) signals nothing into a half-destroyed window.
        self.undo_group = QUndoGroup(self)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(Std.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(Std.Redo), QKeySequence("Ctrl+Y")])

        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Recent evaluations")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        menu.addAction(self.import_action)
        # Bring your spreadsheet: ui/matrix_wizard.py creates the evaluation from the buyer's own matrix and opens it.
        from vendor_eval.ui.matrix_wizard import open_matrix_wizard
        self.import_matrix_action = self._action("Import scoring &spreadsheet…", lambda: open_matrix_wizard(self), None,
                                                 "Create an evaluation from an existing scoring matrix (.xlsx, .csv, .ods)")
        menu.addAction(self.import_matrix_action)
        export = menu.addMenu("E&xport")
        export.addAction(self.export_pdf_action)
        export.addAction(self.export_xlsx_action)
        export.addAction(self.export_q_action)
        # Evaluator scoresheets (issue 13): the dialog module owns the flow; returned sheets come in via Import.
        from vendor_eval.ui.scoresheet_dialog import open_scoresheet_dialog
        self.export_scoresheets_action = export.addAction(
            "Evaluator &scoresheets…", lambda: open_scoresheet_dialog(self, self.session, self._notify))
        menu.addSeparator()
        menu.addAction(self.duplicate_action)
        menu.addAction(self.delete_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        edit = self.menuBar().addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self._action("Your name in the audit trail…", self.set_actor, None,
                                    "The name recorded with every change you make"))
        # The RFP steps that live in dialogs (i11b): each opens on the screen that owns it.
        steps = self.menuBar().addMenu("E&valuation")
        overview, costs = self.screen_of(OverviewScreen), self.screen_of(TariffsScreen)
        for text, slot in (("Evaluation settings…", overview.open_settings),
                           ("Cost lines and tariff scenarios…", costs.edit_costs),
                           ("Conflict-of-interest declaration…", overview.declare),
                           ("Finalise…", overview.finalise), ("Reopen…", overview.reopen)):
            steps.addAction(self._action(text, lambda slot=slot: slot() if self.session is not None else None))
        view = self.menuBar().addMenu("&View")
        view.addAction(self.list_dock.toggleViewAction())
        for i, screen in enumerate(self.screens):
            action = self._action(screen.title, lambda i=i: self.show_screen(i), f"Ctrl+{i + 1}")
            view.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("About vendor_eval", self.about))

        bar = self.addToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.new_action, self.open_action, self.import_action, self.export_pdf_action,
                  self.export_xlsx_action, self.undo_action, self.redo_action):
            bar.addAction(a)

    # --- evaluation list ---
    def refresh_list(self, background: bool = False) -> None:
        """Re-read the evaluation list; background: in the task helper (after an edit, where counting a
        large evaluation's scores would hold up the UI thread)."""
        if background:
            db = self.db
            run_task(lambda _p: evaluations.list_evaluations(db), self._show_list, self._list_failed)
        else:
            self._show_list(evaluations.list_evaluations(self.db))

    def _list_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            raise exc
        self.statusBar().showMessage(f"⚠ {exc}", 10000)

    def _show_list(self, summaries: list[Any]) -> None:
        selected = self.selected_id()
        self.list_model.set_rows(summaries)
        for row, summary in enumerate(self.list_model.rows()):
            if summary.id in (selected, self.session.evaluation_id if self.session else None):
                self.list_view.selectRow(row)
                break

    def selected_id(self) -> int | None:
        index = self.list_view.currentIndex()
        return self.list_model.row(index.row()).id if index.isValid() else None

    def new_evaluation(self) -> None:
        from vendor_eval.ui.new_evaluation_dialog import NewEvaluationDialog

        dialog = NewEvaluationDialog(self)
        if not dialog.exec():
            return
        try:
            new_id = evaluations.create_from_template(self.db, dialog.template_ref(), dialog.name.text(),
                                                      self.settings.actor(), dialog.organisation.text())
        except UserError as exc:
            show_error(self, str(exc))
            return
        self.refresh_list()
        self.open_evaluation(new_id)

    def open_selected(self) -> None:
        selected = self.selected_id()
        if selected is None:
            self.list_dock.show()
            self.list_view.setFocus()
            self.statusBar().showMessage("Select an evaluation in the list, then press Enter to open it.", 5000)
            return
        self.open_evaluation(selected)

    def duplicate_selected(self) -> None:
        source = self.selected_id()
        if source is None:
            self.statusBar().showMessage("Select the evaluation to duplicate in the list first.", 5000)
            return
        name = self.list_model.row(self.list_view.currentIndex().row()).name
        new_name, ok = QInputDialog.getText(self, "Duplicate evaluation",
                                            "Name of the copy (criteria, vendors and committee are copied; "
                                            "scores are not):",
                                            text=f"{name} (copy)")
        if not ok:
            return
        try:
            new_id = evaluations.duplicate_evaluation(self.db, source, new_name, self.settings.actor())
        except UserError as exc:
            show_error(self, str(exc))
            return
        self.refresh_list()
        self.open_evaluation(new_id)

    def delete_selected(self) -> None:
        target = self.selected_id()
        if target is None:
            self.statusBar().showMessage("Select the evaluation to delete in the list first.", 5000)
            return
        summary = self.list_model.row(self.list_view.currentIndex().row())
        answer = QMessageBox.question(
            self, "Delete evaluation",
            f"Delete {summary.name!r} with its {summary.vendors} vendors and {summary.scores} scores? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            evaluations.delete_evaluation(self.db, target)
        except UserError as exc:
            show_error(self, str(exc))
            return
        if self.session is not None and self.session.evaluation_id == target:
            self.close_evaluation()
        self.refresh_list()
        self.statusBar().showMessage(f"Deleted {summary.name}.", 5000)

    # --- open / close ---
    def open_evaluation(self, evaluation_id: int) -> None:
        """Read the evaluation off the UI thread (a large one takes seconds), then show it."""
        self.statusBar().showMessage("Opening…")
        db = self.db

        def load(_progress: Any) -> tuple[Any, dict[str, Any]]:
            return loading.load(db, evaluation_id)

        run_task(load, lambda loaded: self._show_evaluation(evaluation_id, *loaded), self._open_failed)

    def _open_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.statusBar().showMessage("")
            show_error(self, str(exc), "Cannot open")
            self.refresh_list()
            return
        raise exc

    def _show_evaluation(self, evaluation_id: int, snapshot: Any, cache: dict[str, Any] | None = None) -> None:
        self.close_evaluation()
        # No Qt parent: the window closes the session itself (close_evaluation), so the undo stack
        # never signals into a half-destroyed window.
        session = EvaluationSession(self.db, evaluation_id, self.settings.actor(), None, snapshot=snapshot)
        session.cache.update(cache or {})
        self.session = session
        session.failed.connect(self._edit_refused)
        session.changed.connect(self._session_changed)
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        self.stack.setCurrentWidget(self.tabs)
        last = self.settings.get(LAST_TAB)
        self.tabs.setCurrentIndex(last if 0 <= last < self.tabs.count() else 0)
        for screen in self.screens:
            screen.set_session(session)
        self._update_title()
        self._update_actions()
        path = str(self.db.path or self.db.where)
        self.settings.add_recent(path, evaluation_id, snapshot.evaluation.name)
        self.refresh_list()
        self.statusBar().showMessage(f"Opened {snapshot.evaluation.name}.", 5000)
        self.evaluationOpened.emit(evaluation_id)

    def close_evaluation(self) -> None:
        if self.session is None:
            return
        old, self.session = self.session, None
        old.changed.disconnect()
        old.failed.disconnect()
        self.undo_group.removeStack(old.undo_stack)
        for screen in self.screens:
            screen.session = None
        old.close()  # a background reload still under way is dropped
        old.deleteLater()
        self.stack.setCurrentWidget(self.welcome)
        self._update_title()
        self._update_actions()

    def show_screen(self, i: int) -> None:
        if self.session is not None:
            self.tabs.setCurrentIndex(i)

    # --- status, title, actions ---
    def _edit_refused(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 10000)

    def _session_changed(self, change: Change) -> None:
        if change & (Change.SETTINGS | Change.STATUS | Change.VENDORS | Change.EVALUATORS):
            self._update_title()
            self.refresh_list(background=True)
        self._update_actions()

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle("vendor_eval")
            return
        e = self.session.snapshot.evaluation
        suffix = " [finalised, read-only]" if self.session.read_only else ""
        self.setWindowTitle(f"{e.name}{suffix} – vendor_eval")

    def _update_actions(self) -> None:
        has = self.session is not None
        writable = has and not self.session.read_only  # type: ignore[union-attr]
        self.import_action.setEnabled(writable)
        for a in (self.export_q_action, self.export_pdf_action, self.export_xlsx_action):
            a.setEnabled(has)
        if has and not writable:
            self.import_action.setToolTip("The evaluation is finalised (read-only): reopen it to import.")
        else:
            self.import_action.setToolTip(self.import_action.statusTip())

    def undo(self) -> None:
        if self.session is not None and self.session.undo_stack.canUndo():
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None and self.session.undo_stack.canRedo():
            self.session.undo_stack.redo()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        here = str(self.db.path or self.db.where)
        entries = [(i, n) for p, i, n in self.settings.recent() if p == here]
        if not entries:
            self.recent_menu.addAction("No recent evaluations in this database").setEnabled(False)
        for evaluation_id, name in entries:
            self.recent_menu.addAction(name, functools.partial(self.open_evaluation, evaluation_id))

    # --- import / export ---
    def import_questionnaires(self, files: list[Path] | None = None) -> None:
        if self.session is None:
            self.statusBar().showMessage("Open an evaluation first, then import its questionnaires.", 5000)
            return
        from vendor_eval.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self, self.session, files)
        wizard.exec()
        if wizard.imported and self.session is not None:
            self.session.reload(Change.STORED)
            self.statusBar().showMessage(f"Imported {wizard.imported} questionnaire(s).", 8000)

    def export_report(self, fmt: str) -> None:
        if self.session is not None:
            exporting.export_report(self, self.session, fmt, self._notify)

    def export_questionnaire(self) -> None:
        if self.session is not None:
            exporting.export_questionnaire(self, self.session, self._notify)

    def _notify(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.toLocalFile().lower().endswith(".xlsx") or Path(u.toLocalFile()).is_dir() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        # Open the wizard after the drop returns, so the drag source is not kept waiting.
        QTimer.singleShot(0, lambda: self.import_questionnaires(files))

    def set_actor(self) -> None:
        name, ok = QInputDialog.getText(self, "Your name", "Name recorded in the audit trail with your changes:",
                                        text=self.settings.actor())
        if ok and name.strip():
            self.settings.set(ACTOR, name.strip())
            if self.session is not None:
                self.session.actor = name.strip()
            self.statusBar().showMessage(f"Changes are now recorded as made by {name.strip()}.", 5000)

    def about(self) -> None:
        QMessageBox.about(self, "About vendor_eval",
                          "vendor_eval: score imaging-outsourcing and teleradiology vendors in an RFP, with "
                          "weights that add up, blind scoring, consensus, sensitivity and an audit trail.")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set(GEOMETRY, self.saveGeometry())
        self.settings.set(STATE, self.saveState())
        self.close_evaluation()
        super().closeEvent(event)


