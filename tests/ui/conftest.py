"""UI fixtures: background tasks inline, isolated QSettings, Qt warnings fail the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QtMsgType

from tests.conftest import create_imaging_v1
from tests.ui import helpers
from vendor_eval.services import criteria, evaluators, scores, vendors
from vendor_eval.storage import Database
from vendor_eval.ui import tasks
from vendor_eval.ui.main_window import MainWindow
from vendor_eval.ui.settings import Settings

# Platform noise of the offscreen plugin, not our code.
BENIGN = ("propagateSizeHints", "QFont::setPointSize", "This plugin does not support")


@pytest.fixture(autouse=True)
def _inline_tasks() -> Iterator[None]:
    tasks.set_inline(True)
    yield
    tasks.set_inline(False)
    assert tasks.wait_for_all(10_000), "a background task outlived its test"


@pytest.fixture(autouse=True)
def _qt_warnings_fail(qtlog: pytest.FixtureRequest) -> Iterator[None]:
    yield
    bad = [r.message for r in qtlog.records  # type: ignore[attr-defined]
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
           and not any(b in r.message for b in BENIGN)]
    assert not bad, f"Qt warnings: {bad}"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, db: Database, settings: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(db, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_evaluation()


@pytest.fixture(autouse=True)
def _no_unexpected_declaration_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would hang an offscreen test: a test that expects the declaration
    dialog replaces exec itself."""
    from vendor_eval.ui.declaration_dialog import DeclarationDialog

    monkeypatch.setattr(DeclarationDialog, "exec", lambda self: pytest.fail("unexpected declaration dialog"))


STAT = "sla.stat_turnaround"  # a knock-out criterion of the imaging template's version 1 (pass from 2)
@pytest.fixture
def sample_eval(seed: Callable[..., int]) -> int:
    """The sample RFP (services.demo: seven fictional vendors, scored, with questionnaires)."""
    from vendor_eval.services.demo import load_demo

    return int(seed("demo", load_demo))


@pytest.fixture
def imaging_eval(seed: Callable[..., int]) -> int:
    """The screens are exercised on version 1 of the imaging template (tests.conftest.create_imaging_v1)."""
    return seed("imaging-v1", create_imaging_v1)


@pytest.fixture
def scored_eval(seed: Callable[..., int], imaging_eval: int) -> int:
    """Two fictional vendors and one evaluator who scored every criterion: Alpha strong on the
    first group, Beta on the rest, so weights decide the winner."""
    return seed("imaging-v1-scored", lambda db: _score_two_vendors(db, imaging_eval), base="imaging-v1")


def _score_two_vendors(db: Database, imaging_eval: int) -> int:
    from vendor_eval.services.snapshot import load_snapshot

    alpha = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    beta = vendors.add_vendor(db, imaging_eval, "Beta Imaging", "officer")
    ev = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer", role="Radiology chair")
    helpers.declare_no_conflict(db, imaging_eval, ev)
    snap = load_snapshot(db, imaging_eval)
    first = snap.groups[0].id
    for c in snap.criteria:
        if c.knockout:  # both pass every knock-out; tests fail one on purpose
            a = b = c.scale_max
        elif c.group_id == first:
            a, b = c.scale_max, c.scale_max - 2
        else:
            a, b = c.scale_max - 2, c.scale_max - 1
        scores.record_score(db, imaging_eval, ev, alpha, c.id, a, "x")
        scores.record_score(db, imaging_eval, ev, beta, c.id, b, "x")
    criteria.normalise_weights(db, imaging_eval, "officer")
    return imaging_eval
