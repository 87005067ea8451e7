"""The Audit log on the sample RFP (about 2,900 changes): loads a page at a time as it scrolls,
filters by who, kind, vendor, criterion and date, and shows names instead of stored keys."""

from __future__ import annotations

import json

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import open_eval, show
from vendor_eval.storage import Database
from vendor_eval.storage.audit import SEAL_ENTITY, SEAL_FIELD
from vendor_eval.storage.models import AuditEvent
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.screens.audit import AuditScreen


def _pick(box, text: str) -> None:  # type: ignore[no-untyped-def]
    box.setCurrentIndex(box.findText(text))
    box.activated.emit(box.currentIndex())


def _shown(screen: AuditScreen, column: int) -> list[str]:
    m = screen.model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]


def test_audit_log_pages_filters_and_names(qtmodeltester, window: MainWindow, db: Database, sample_eval: int) -> None:
    eid = sample_eval
    with db.read() as s:
        total = s.query(AuditEvent).filter_by(evaluation_id=eid).filter(  # seals are verify's, not people's
            ~((AuditEvent.entity == SEAL_ENTITY) & (AuditEvent.field == SEAL_FIELD))).count()
        consensus = s.query(AuditEvent).filter_by(evaluation_id=eid, entity="consensus").count()
    assert total > 1000
    open_eval(window, eid)
    screen = show(window, AuditScreen)
    assert screen.model.rowCount() == screen.model.page == 500  # one page, not the whole trail
    assert screen.count.text().startswith(f"{total:,} changes recorded; the newest 500 are shown")
    screen.view.scrollToBottom()
    QApplication.processEvents()
    assert screen.model.rowCount() == 1000  # the next page arrived as the table scrolled
    seqs = [r.seq for r in screen.model.rows()]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 1000
    qtmodeltester.check(screen.model)  # Qt's model contract, fetchMore included
    seqs = [r.seq for r in screen.model.rows()]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)  # pages never overlap

    # Human labels, never stored keys.
    whats, changes = set(_shown(screen, 3)), set(_shown(screen, 4))
    assert "Score" in whats and "score" in changes and not any("_" in x for x in whats | changes)

    _pick(screen.kind, "Consensus")
    assert screen.model.rowCount() == consensus and set(_shown(screen, 3)) == {"Consensus"}
    assert screen.count.text().startswith(f"{consensus} of {total:,} changes match the filters")
    new = _shown(screen, 6)
    assert any("24/7/365 reading coverage" in x for x in new) and not any("sla.coverage_24x7" in x for x in new)
    screen.clear_filters()
    assert screen.model.rowCount() == 500

    # A vendor: every row is about it, including score comments (which do not name the vendor).
    snap = window.session.snapshot  # type: ignore[union-attr]
    vendor = next(v for v in snap.vendors if v.name == "Prairie Gate Radiology")
    _pick(screen.vendor, vendor.name)
    theirs = {s.id for s in snap.scores if s.vendor_id == vendor.id}
    rows = screen.model.rows()
    while screen.model.canFetchMore(screen.view.rootIndex()):
        screen.model.fetchMore(screen.view.rootIndex())
    rows = screen.model.rows()
    assert rows and any(r.field == "comment" for r in rows)
    for r in rows:
        about = (r.entity == "score" and r.entity_id in theirs) or (r.entity in ("vendor", "cost_lines")
                                                                     and r.entity_id == vendor.id)
        named = any(json.loads(v).get("vendor") == vendor.name for v in (r.new_value, r.old_value)
                    if v.startswith("{"))
        assert about or named, r
    # ...and a criterion as well: only scores of that vendor on that criterion.
    crit = next(c for c in snap.criteria if c.key == "sla.coverage_24x7")
    _pick(screen.criterion, crit.name)
    cells = {s.id for s in snap.scores if (s.vendor_id, s.criterion_id) == (vendor.id, crit.id)}
    assert {r.entity_id for r in screen.model.rows() if r.entity == "score"} == cells
    assert {r.entity for r in screen.model.rows()} <= {"score", "consensus"}

    # Who and when.
    screen.clear_filters()
    _pick(screen.actor, "demo")
    assert screen.model.rowCount() == 500
    screen.dated.setChecked(True)
    screen.since.setDate(QDate.currentDate().addDays(2))
    screen.until.setDate(QDate.currentDate().addDays(3))
    assert screen.model.rowCount() == 0 and screen.count.text().startswith(f"0 of {total:,} changes match")
