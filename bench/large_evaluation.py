"""Generate a large, reproducible evaluation for benchmarks.

60 vendors x 200 criteria in 12 groups x 15 evaluators = 180,000 scores, plus
cost lines for every vendor and the default tariff scenarios. Seeded, so two runs
give identical data; written in one transaction with bulk Core inserts (a
record_score call per cell would take minutes and audit 180,000 events).

    python bench/large_evaluation.py PATH.db        # prints the evaluation name
    from bench.large_evaluation import build_large_evaluation, sample_and_large
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from vendor_eval.scoring.tariff_defaults import DEFAULT_SCENARIOS
from vendor_eval.storage import open_database
from vendor_eval.storage.models import (
    CostLine,
    Criterion,
    CriterionGroup,
    Evaluation,
    Evaluator,
    Score,
    TariffScenario,
    Vendor,
)

NAME = "Large benchmark RFP"
VENDORS, CRITERIA, GROUPS, EVALUATORS = 60, 200, 12, 15
ORIGINS = ("China", "Germany", "United States", "India", "Netherlands", "Japan")


def sample_and_large() -> Iterator[tuple[Path, int | str, str]]:
    """(file, evaluation, label) for the sample RFP, then for the large evaluation, each in a
    temporary folder removed afterwards: the two sizes the benchmarks report."""
    from vendor_eval.services.demo import load_demo

    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.db"
        db = open_database(sample)
        load_demo(db)
        db.dispose()
        yield sample, 1, "sample RFP"
        large = Path(tmp) / "large.db"
        yield large, build_large_evaluation(large), "large benchmark evaluation"


def build_large_evaluation(db_path: str | Path, seed: int = 20260501, name: str = NAME, vendors: int = VENDORS,
                           evaluators: int = EVALUATORS) -> str:
    """Create the evaluation in db_path (migrating a new file first); returns its name.

    An existing evaluation of the same name is replaced, so reruns are idempotent. More vendors
    or evaluators than the defaults make the larger evaluations bench_scoring measures.
    """
    n_vendors, n_evaluators = vendors, evaluators
    rng = np.random.default_rng(seed)
    db = open_database(db_path)
    try:
        with db.write() as s:
            old = s.scalar(select(Evaluation).where(Evaluation.name == name))
            if old is not None:
                s.delete(old)
                s.flush()
            evaluation = Evaluation(name=name, organisation="Benchmark Health", template_name="generated",
                                    status="scoring", missing_policy="block", aggregation="mean")
            s.add(evaluation)
            s.flush()
            eid = evaluation.id

            groups = [CriterionGroup(evaluation_id=eid, name=f"Group {g + 1:02d}", weight=float(rng.integers(4, 15)),
                                     position=g) for g in range(GROUPS)]
            s.add_all(groups)
            s.flush()
            criteria: list[Criterion] = []
            for i in range(CRITERIA):
                g = groups[i % GROUPS]
                knockout = i in (0, 1, 2)  # a few mandatory requirements, as real RFPs have
                criteria.append(Criterion(
                    evaluation_id=eid, group_id=g.id, key=f"c{i:03d}", name=f"Criterion {i:03d}",
                    weight=float(rng.integers(5, 30)), scale_min=0.0, scale_max=5.0,
                    direction="min" if i % 17 == 5 else "max", knockout=knockout,
                    knockout_min=1.5 if knockout else None, is_cost=False, answer_type="number", position=i,
                ))
            s.add_all(criteria)
            vendors = [Vendor(evaluation_id=eid, name=f"Vendor {v + 1:02d}", hq_country=ORIGINS[v % len(ORIGINS)],
                              contract_term_years=float(rng.integers(3, 8)),
                              escalation_cap_pct=None if v % 4 == 0 else float(rng.integers(2, 8)), position=v)
                       for v in range(n_vendors)]
            s.add_all(vendors)
            evaluators = [Evaluator(evaluation_id=eid, name=f"Evaluator {e + 1:02d}", role="committee", position=e)
                          for e in range(n_evaluators)]
            s.add_all(evaluators)
            s.flush()

            # Vendor quality + evaluator leniency + noise, clipped to the 0-5 scale in half points.
            quality = rng.normal(3.0, 0.6, size=(n_vendors, 1))
            leniency = rng.normal(0.0, 0.3, size=(n_evaluators, 1, 1))
            cube = quality[None, :, :] + leniency + rng.normal(0.0, 0.8, size=(n_evaluators, n_vendors, CRITERIA))
            cube[:, [4, 16, 32], 0] = rng.choice([0.0, 0.5, 1.0], size=(n_evaluators, 3))  # fail a knock-out
            cube = np.clip(np.round(cube * 2) / 2, 0.0, 5.0)
            ev_ids = np.array([e.id for e in evaluators])
            ve_ids = np.array([v.id for v in vendors])
            cr_ids = np.array([c.id for c in criteria])
            ei, vi, ci = np.meshgrid(ev_ids, ve_ids, cr_ids, indexing="ij")
            rows = [{"evaluator_id": int(a), "vendor_id": int(b), "criterion_id": int(c), "value": float(x),
                     "comment": "", "version": 1}
                    for a, b, c, x in zip(ei.ravel(), vi.ravel(), ci.ravel(), cube.ravel(), strict=True)]
            s.execute(insert(Score), rows)

            lines = []
            for v in vendors:
                for pos, (category, origin, imaging) in enumerate((
                    ("professional_services", "United States", False),
                    ("software", "India", False),
                    ("hardware", ORIGINS[int(rng.integers(0, len(ORIGINS)))], True),
                    ("datacentre", ORIGINS[int(rng.integers(0, len(ORIGINS)))], False),
                )):
                    lines.append({"vendor_id": v.id, "category": category, "description": f"{category} ({origin})",
                                  "annual_amount": float(rng.integers(20, 400)) * 1000.0, "currency": "USD",
                                  "origin_country": origin, "pass_through": bool(category in ("hardware", "datacentre")
                                                                                 and rng.random() < 0.7),
                                  "imaging_equipment": imaging, "position": pos})
            s.execute(insert(CostLine), lines)
            s.execute(insert(TariffScenario), [
                {"evaluation_id": eid, "name": sc["name"], "rates": dict(sc["rates"]),
                 "imaging_exemption": sc["imaging_exemption"], "position": pos}
                for pos, sc in enumerate(DEFAULT_SCENARIOS)
            ])
    finally:
        db.dispose()
    return name


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/large_evaluation.py PATH.db")
    print(build_large_evaluation(sys.argv[1]))
