"""Ranking, evaluator disagreement and sensitivity of one evaluation (read-only use cases).

Each reads the evaluation whole in one transaction (load_snapshot) and hands it to the
one place that computes rankings, vendor_eval.scoring.engine.
"""

from __future__ import annotations

from vendor_eval.scoring import engine
from vendor_eval.scoring.results import (
    DisagreementResult,
    RankingResult,
    SensitivityResult,
)
from vendor_eval.services.lookup import Ref
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.validation import check_number


def rank_evaluation(db: Database, ref: Ref, method: str = "weighted", aggregation: str | None = None,
                    missing_policy: str | None = None, price_formula: str | None = None,
                    tariff_scenario: str | None = None) -> RankingResult:
    """Rank the vendors. aggregation / missing_policy / price_formula None: the evaluation's own settings.
    price_formula "ratio" | "linear" scores cost criteria from the vendors' quoted prices where
    answers exist; "scores" uses the evaluators' scores throughout. tariff_scenario: rank with
    each quoted price raised by the vendor's exposure under that scenario."""
    return engine.rank_snapshot(load_snapshot(db, ref), method, aggregation, missing_policy, price_formula,
                                tariff_scenario=tariff_scenario)


def disagreement(db: Database, ref: Ref) -> DisagreementResult:
    """Per-cell spread and standard deviation in the evaluation's bands, and per-evaluator bias."""
    return engine.disagreement_snapshot(load_snapshot(db, ref))


def sensitivity(db: Database, ref: Ref, samples: int = 10_000, seed: int = 0, sampling: str = "simplex",
                bounds: float = 0.25, aggregation: str | None = None, missing_policy: str | None = None,
                price_formula: str | None = None, tariff_scenario: str | None = None) -> SensitivityResult:
    """Critical weight changes, one-at-a-time sweeps and SMAA (seeded: same seed, same answer),
    optionally with prices as they would be under a tariff scenario."""
    check_number(samples, "The number of SMAA samples", 0, 1_000_000)
    check_number(seed, "The random seed", 0, 2**32 - 1)
    check_number(bounds, "The local sampling bounds", 0, 1)
    return engine.sensitivity_snapshot(load_snapshot(db, ref), samples, seed, sampling, bounds, aggregation,
                                       missing_policy, price_formula, tariff_scenario=tariff_scenario)
