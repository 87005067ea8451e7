"""Overview: status, settings that change how scoring works, progress per evaluator,
finalise/reopen, and conflict-of-interest declarations."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_eval.services import evaluations, lifecycle
from vendor_eval.ui import engine
from vendor_eval.ui.changes import Change
from vendor_eval.ui.dialogs import label_of
from vendor_eval.ui.dialogs.settings_dialog import MISSING_POLICIES
from vendor_eval.ui.models.tables import STATUS_TEXT, EvaluatorProgress, ProgressModel
from vendor_eval.ui.screens.base import Screen
from vendor_eval.ui.widgets import fit_columns, hint, table_view
from vendor_eval.vocabulary import AGGREGATIONS


class OverviewScreen(Screen):
    title = "Overview"
    depends_on = (Change.SCORES | Change.SETTINGS | Change.STATUS | Change.VENDORS | Change.EVALUATORS
                  | Change.CRITERIA | Change.DECLARATIONS | Change.QUESTIONNAIRES | Change.WEIGHTS | Change.CONSENSUS
                  | Change.TARIFFS | Change.VIEW)  # "current leader" is the ranking Results shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        settings = QGroupBox("How scoring works")
        form = QFormLayout(settings)
        self.status_box = QComboBox()
        self.status_box.addItem("Draft: setting up criteria, vendors and committee", "draft")
        self.status_box.addItem("Scoring: evaluators are scoring", "scoring")
        self.status_box.activated.connect(self._status_chosen)
        self.blind = QCheckBox("Blind scoring: evaluators see only their own scores until they submit")
        self.blind.toggled.connect(lambda on: self._setting("blind_mode", on))
        self.envelope = QCheckBox("Two envelopes: technical evaluators see price and cost only after they submit")
        self.envelope.toggled.connect(lambda on: self._setting("two_envelope", on))
        self.aggregation = QComboBox()
        for key, text in AGGREGATIONS.items():
            self.aggregation.addItem(text, key)
        self.aggregation.activated.connect(lambda _i: self._setting("aggregation", self.aggregation.currentData()))
        form.addRow("Status", self.status_box)
        form.addRow(self.blind)
        form.addRow(self.envelope)
        form.addRow("Combine evaluators' scores by", self.aggregation)
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.settings_button = QPushButton("All evaluation settings…")
        self.settings_button.setToolTip("Missing-score policy, disagreement thresholds, aggregation, blind and "
                                        "two-envelope scoring")
        self.settings_button.clicked.connect(self.open_settings)
        policy_row = QHBoxLayout()
        policy_row.addWidget(self.policy_label, 1)
        policy_row.addWidget(self.settings_button)
        form.addRow("A missing score", policy_row)

        self.progress_model = ProgressModel(self)
        self.progress_view = table_view(self.progress_model)
        progress_box = QGroupBox("Scoring progress per evaluator")
        pv = QVBoxLayout(progress_box)
        pv.addWidget(self.progress_view)
        self.undeclared = hint("")
        pv.addWidget(self.undeclared)
        row = QHBoxLayout()
        self.declare_button = QPushButton("Record conflict-of-interest declaration…")
        self.declare_button.clicked.connect(self.declare)
        row.addWidget(self.declare_button)
        row.addStretch(1)
        pv.addLayout(row)

        self.finalise_button = QPushButton("Finalise evaluation…")
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button = QPushButton("Reopen…")
        self.reopen_button.clicked.connect(self.reopen)
        actions = QHBoxLayout()
        actions.addWidget(self.finalise_button)
        actions.addWidget(self.reopen_button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(settings)
        layout.addWidget(progress_box, 1)
        layout.addLayout(actions)
        self._loading = False

    def refresh(self) -> None:
        assert self.session is not None
        snap = self.session.snapshot
        e = snap.evaluation
        self._loading = True
        try:
            self.heading.setText(e.name)
            status = STATUS_TEXT.get(e.status, e.status)
            bits = [f"<b>{status}</b>", e.organisation, f"template: {e.template_name}" if e.template_name else "",
                    f"{len(snap.vendors)} vendors, {len(snap.criteria)} criteria in {len(snap.groups)} groups, "
                    f"{len(snap.evaluators)} evaluators"]
            if e.finalised_at:
                bits.append(f"finalised {e.finalised_at:%Y-%m-%d %H:%M} by {e.finalised_by}")
            result, _ = engine.try_rank(self.session)
            if result is not None and result.winner is not None:
                bits.append(f"current leader: <b>{result.winner.name}</b>")
            self.summary.setText(" · ".join(b for b in bits if b))
            i = self.status_box.findData(e.status)
            self.status_box.setCurrentIndex(max(i, 0))
            self.blind.setChecked(e.blind_mode)
            self.envelope.setChecked(e.two_envelope)
            self.aggregation.setCurrentIndex(max(self.aggregation.findData(e.aggregation), 0))
            self.policy_label.setText(label_of(MISSING_POLICIES, e.missing_policy))
            ro = self.session.read_only
            for w in (self.status_box, self.blind, self.envelope, self.aggregation, self.declare_button,
                      self.settings_button):
                w.setEnabled(not ro)
        finally:
            self._loading = False
        total = len(snap.vendors) * len(snap.criteria)
        # From the cached score cube: counting 180,000 score objects in Python costs a visible pause.
        scored = (~np.isnan(engine.score_cube(self.session))).sum(axis=(1, 2)) if snap.evaluators else []
        self.progress_model.set_rows([EvaluatorProgress(x, int(n), total)
                                      for x, n in zip(snap.evaluators, scored, strict=True)])
        fit_columns(self.progress_view)
        self._lifecycle_buttons()
        self._declarations()

    def _lifecycle_buttons(self) -> None:
        assert self.session is not None
        finalised = self.session.read_only
        self.finalise_button.setVisible(not finalised)
        self.reopen_button.setVisible(finalised)

    def _declarations(self) -> None:
        """The declarations in force, from the snapshot (the latest per evaluator), and who has none yet."""
        assert self.session is not None
        snap = self.session.snapshot
        latest = {d.evaluator_id: d for d in snap.declarations}  # in insertion order: the last one is in force
        vendor_names = {v.id: v.name for v in snap.vendors}
        missing = [e.name for e in snap.evaluators if e.id not in latest]
        conflicts = [f"{e.name}: " + ", ".join(vendor_names.get(v, "a removed vendor") for v in latest[e.id].vendor_ids)
                     for e in snap.evaluators if e.id in latest and latest[e.id].vendor_ids]
        if not snap.evaluators:
            self.undeclared.setText("No evaluators yet: add the committee on the Vendors tab; each member "
                                    "declares any conflict of interest before scoring.")
            return
        parts = [("Not yet declared (conflict of interest): " + ", ".join(missing)) if missing
                 else "Every evaluator has declared their conflicts of interest."]
        if conflicts:
            parts.append("Declared conflicts (they cannot score these vendors): " + "; ".join(conflicts) + ".")
        self.undeclared.setText(" ".join(parts))

    def _status_chosen(self, _index: int) -> None:
        if self._loading or self.session is None:
            return
        self.session.call(evaluations.set_status, self.status_box.currentData(), self.session.actor,
                          kind=Change.STATUS)

    def _setting(self, field: str, value: object) -> None:
        if self._loading or self.session is None:
            return
        self.session.call(evaluations.update_settings, self.session.actor, kind=Change.SETTINGS, **{field: value})

    def open_settings(self, focus: str = "") -> None:
        from vendor_eval.ui.dialogs.settings_dialog import open_settings

        assert self.session is not None
        open_settings(self, self.session, focus)

    def finalise(self) -> None:
        """The checks first (what blocks, what to weigh), then "Freeze the ranking?" in the same dialog."""
        from vendor_eval.ui.dialogs.finalise_dialog import FinaliseDialog

        assert self.session is not None
        checks = lifecycle.finalise_checks(self.session.snapshot)
        dialog = FinaliseDialog(self, self.session.snapshot.evaluation.name, checks)
        dialog.fix_requested.connect(lambda where: self.open_settings("missing_policy") if where == "settings"
                                     else None)
        accepted = dialog.exec()
        dialog.deleteLater()  # one dialog per use, not kept under the screen
        if accepted:
            self.session.call(lifecycle.finalise, self.session.actor, kind=Change.STATUS)

    def reopen(self) -> None:
        from vendor_eval.ui.dialogs.finalise_dialog import ReopenDialog

        assert self.session is not None
        e = self.session.snapshot.evaluation
        when = f"on {e.finalised_at:%Y-%m-%d %H:%M} UTC by {e.finalised_by}" if e.finalised_at else ""
        dialog = ReopenDialog(self, e.name, when)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted:
            self.session.call(lifecycle.reopen, self.session.actor, dialog.text(), kind=Change.STATUS)

    def declare(self) -> None:
        from vendor_eval.ui.declaration_dialog import ask_declaration

        assert self.session is not None
        ask_declaration(self, self.session)
