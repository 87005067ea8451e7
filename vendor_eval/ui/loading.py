"""Reading an evaluation for the window: the snapshot with what the screens need first
(score cube, the ranking on show), prepared where it can run off the UI thread."""

from __future__ import annotations

import gc
from typing import Any

from vendor_eval import domain
from vendor_eval.errors import UserError
from vendor_eval.scoring.engine import rank_snapshot
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


def load(db: Database, evaluation_id: int, method: str = "weighted", aggregation: str = "",
         tariff_scenario: str | None = None) -> tuple[domain.Snapshot, dict[str, Any]]:
    """Read an evaluation and prepare what the screens need first, in a background task (opening
    it, or re-reading it after an edit): (snapshot, session.cache entries)."""
    # A collection while 180,000 score objects are created would hold the GIL, and so stall the UI
    # thread, for a few hundred ms: collect once, after the load.
    gc.disable()
    try:
        snapshot = load_snapshot(db, evaluation_id)
        cache = warm(snapshot, method, aggregation, tariff_scenario)
    finally:
        gc.enable()
    gc.freeze()  # the long-lived snapshot need not be traversed by every later collection
    return snapshot, cache


def warm(snapshot: Any, method: str = "weighted", aggregation: str = "",
         tariff_scenario: str | None = None) -> dict[str, Any]:
    """Work for opening or re-reading an evaluation that can run off the UI thread: build the score
    cube and the ranking the session shows (method, aggregation, scenario); returns session.cache entries."""
    snapshot.prepare()
    cube = snapshot.score_cube()
    try:
        result = rank_snapshot(snapshot, method=method, aggregation=aggregation or None, cube=cube,
                               tariff_scenario=tariff_scenario)
    except UserError:
        return {}
    return {"ranking": (snapshot, (method, aggregation, tariff_scenario), result)}
