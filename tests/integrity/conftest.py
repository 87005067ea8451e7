"""Fixtures for the integrity tests: a scored evaluation that can be finalised, and the
slow-test switch (tests marked slow run only with VENDOR_EVAL_SLOW=1)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from vendor_eval.services import evaluations, evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database

GENERIC = "Generic services RFP"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("VENDOR_EVAL_SLOW") == "1":
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture
def scored(seed: Callable[..., int]) -> int:
    """'Service desk RFP': two vendors, two evaluators, every cell scored (Aurora ahead)."""
    return seed("service-desk-scored", _scored)


def _scored(db: Database) -> int:
    ref = evaluations.create_from_template(db, GENERIC, "Service desk RFP", "officer")
    for name in ("Aurora Imaging Partners", "Borealis Reading Group"):
        vendors.add_vendor(db, ref, name, "officer")
    for name in ("Dr Ames", "Dr Bello"):
        evaluators.add_evaluator(db, ref, name, "officer")
    for c in load_snapshot(db, ref).criteria:
        for evaluator in ("Dr Ames", "Dr Bello"):
            scores.record_score(db, ref, evaluator, "Aurora Imaging Partners", c.id, 4, "officer")
            scores.record_score(db, ref, evaluator, "Borealis Reading Group", c.id, 2, "officer")
    return ref
