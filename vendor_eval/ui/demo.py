"""The demo data behind --demo and --self-test: one call site, so the source can be swapped.

services.demo.load_demo (the sample RFP with its questionnaires) when it exists; until it
landed, a small generated evaluation made through the same services a user's actions call.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from vendor_eval.services import evaluations, evaluators, scores, vendors
from vendor_eval.storage import Database
from vendor_eval.ui import engine

Progress = Callable[[int, int, str], None]
FICTIONAL_VENDORS = (
    ("Northwind Teleradiology", "United States", "onshore", "cloud"),
    ("Aurora Imaging Partners", "Ireland", "nearshore", "hybrid"),
    ("Kestrel Reads", "India", "offshore", "cloud"),
    ("Meridian Radiology Network", "Germany", "nearshore", "on-premise"),
)
COMMITTEE = (("Dr. Ana Ruiz", "Radiology chair"), ("Sam Okafor", "PACS/IT lead"),
             ("Lee Chen", "Information-security officer"))


def load_demo_data(db: Database, actor: str = "demo", progress: Progress | None = None) -> int:
    """Fill db with the demo evaluation; returns its id."""
    if engine.available("demo"):
        return int(engine.call(engine.service("demo").load_demo, db, actor=actor, progress=progress))
    return generated_demo(db, actor)


def generated_demo(db: Database, actor: str = "demo", seed: int = 7) -> int:
    rng = random.Random(seed)
    eid = evaluations.create_from_template(db, "Medical imaging outsourcing and teleradiology",
                                          "Demo teleradiology RFP", actor, "Demo Valley Health")
    vendor_ids = [vendors.add_vendor(db, eid, name, actor, hq_country=country, deployment_model=dep,
                                     hosting_model=host) for name, country, dep, host in FICTIONAL_VENDORS]
    people = [evaluators.add_evaluator(db, eid, name, actor, role) for name, role in COMMITTEE]
    evaluations.set_status(db, eid, "scoring", actor)
    from vendor_eval.services.snapshot import load_snapshot

    snap = load_snapshot(db, eid)
    for e in people:
        for i, v in enumerate(vendor_ids):
            for c in snap.criteria:
                base = c.scale_max - 1 - (i % 3) * 0.5 + rng.choice((-1, 0, 0, 1))
                value = max(c.scale_min, min(c.scale_max, round(base)))
                scores.record_score(db, eid, e, v, c.id, value, actor)
    return eid
