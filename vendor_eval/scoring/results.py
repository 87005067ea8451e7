"""The results of the decision engine, as the reports, the GUI and the CLI consume them.

Plain frozen dataclasses and numpy arrays: no Qt, no database. Every result names
the method and variant that produced it, because MCDA results depend silently on
normalisation, aggregation and missing-score policy unless they are stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

BANDS = ("fine", "discuss", "must_discuss")


def _num(value: float) -> float | None:
    """JSON has no NaN: missing numbers become null."""
    return None if value is None or not math.isfinite(value) else float(value)


# --- ranking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingCell:
    """A vendor x criterion cell with no usable score (no evaluator scored it, no consensus)."""

    vendor_id: int
    vendor: str
    criterion_id: int
    criterion_key: str
    criterion: str

    def describe(self) -> str:
        return f"{self.vendor} on {self.criterion!r}"

    def as_json(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "criterion": self.criterion_key, "criterion_name": self.criterion}


@dataclass(frozen=True)
class VendorResult:
    vendor_id: int
    name: str
    # Weighted sum: 0-100 points. TOPSIS: closeness coefficient 0-1. RankingResult.score_scale says which.
    score: float
    rank: int  # 1 = best; tied scores share a rank; disqualified vendors rank after every qualified one
    disqualified: bool
    reasons: tuple[str, ...]  # one sentence per failed knock-out
    by_group: dict[str, float]  # group name -> contribution in the score's unit (sums to score for weighted)
    normalised: dict[str, float]  # criterion key -> normalised 0-1 score (NaN where missing)
    distances: tuple[float, float] | None = None  # TOPSIS only: to the ideal and to the anti-ideal vendor

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "score": _num(self.score), "rank": self.rank, "disqualified": self.disqualified,
            "reasons": list(self.reasons), "by_group": {k: _num(v) for k, v in self.by_group.items()},
        }
        if self.distances is not None:
            out["distance_to_ideal"], out["distance_to_anti_ideal"] = map(_num, self.distances)
        return out


@dataclass(frozen=True)
class RankingResult:
    evaluation: str
    method: str  # "weighted" | "topsis"
    # Named variant, e.g. {"normalisation": "linear min-max on each criterion's scale",
    # "aggregation": "median", "missing_policy": "renormalise", "weights": "hierarchical (group x criterion)",
    # "price_formula": "lowest price / price x scale maximum"}.
    variant: dict[str, str]
    score_scale: str  # "0-100 points" (weighted) | "closeness 0-1" (TOPSIS)
    vendors: tuple[VendorResult, ...]  # best first; disqualified vendors after the qualified ones
    missing: tuple[MissingCell, ...]
    # For heat maps: the aggregated vendors x criteria matrix on each criterion's own scale
    # (rows in vendor_ids order, which is the evaluation's vendor order, not the ranking), NaN = missing.
    vendor_ids: tuple[int, ...]
    criterion_ids: tuple[int, ...]
    criterion_keys: tuple[str, ...]
    criterion_group_ids: tuple[int, ...]
    group_names: dict[int, str]
    matrix: np.ndarray = field(compare=False, repr=False)
    weights: np.ndarray = field(compare=False, repr=False)  # effective criterion weights, summing to 1

    @property
    def winner(self) -> VendorResult | None:
        first = self.vendors[0] if self.vendors else None
        return first if first is not None and not first.disqualified else None

    def as_json(self) -> dict[str, Any]:
        return {
            "evaluation": self.evaluation, "method": self.method, "variant": dict(self.variant),
            "score_scale": self.score_scale, "vendors": [v.as_json() for v in self.vendors],
            "missing": [m.as_json() for m in self.missing],
        }


# --- evaluator disagreement ------------------------------------------------------------


@dataclass(frozen=True)
class CellDisagreement:
    vendor_id: int
    vendor: str
    criterion_id: int
    criterion_key: str
    criterion: str
    n_scores: int
    low: float
    high: float
    spread: float  # (max - min) / scale range, 0-1
    std: float  # population standard deviation of the scores, in scale points
    band: str  # "fine" | "discuss" | "must_discuss"

    def as_json(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "criterion": self.criterion_key, "n_scores": self.n_scores,
                "low": self.low, "high": self.high, "spread": self.spread, "std": self.std, "band": self.band}


@dataclass(frozen=True)
class EvaluatorBias:
    evaluator_id: int
    name: str
    # Mean over the cells this evaluator scored of (own score - mean of the other evaluators),
    # as a fraction of the criterion's scale range: +0.1 = scores 10 % of the scale above the panel.
    bias: float
    cells: int  # cells that had at least one other score to compare with

    def as_json(self) -> dict[str, Any]:
        return {"evaluator": self.name, "bias": _num(self.bias), "cells": self.cells}


@dataclass(frozen=True)
class DisagreementResult:
    evaluation: str
    discuss_threshold: float
    must_discuss_threshold: float
    cells: tuple[CellDisagreement, ...]  # every cell with two or more scores, largest spread first
    evaluators: tuple[EvaluatorBias, ...]
    vendor_ids: tuple[int, ...]
    criterion_ids: tuple[int, ...]
    spread: np.ndarray = field(compare=False, repr=False)  # vendors x criteria, NaN below two scores
    std: np.ndarray = field(compare=False, repr=False)

    def flagged(self) -> tuple[CellDisagreement, ...]:
        return tuple(c for c in self.cells if c.band != "fine")

    def as_json(self) -> dict[str, Any]:
        return {"evaluation": self.evaluation, "discuss_threshold": self.discuss_threshold,
                "must_discuss_threshold": self.must_discuss_threshold,
                "cells": [c.as_json() for c in self.flagged()], "evaluators": [e.as_json() for e in self.evaluators]}


# --- sensitivity -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriticalChange:
    """The smallest change of one criterion's weight (others rescaled proportionally) that changes
    the winner. Deltas are in weight share (0.05 = five percentage points); None = no change
    within 0-100 % changes the winner in that direction."""

    criterion_id: int
    criterion_key: str
    criterion: str
    weight: float  # current share, 0-1
    delta_up: float | None
    winner_up: str | None
    delta_down: float | None  # negative
    winner_down: str | None

    def as_json(self) -> dict[str, Any]:
        return {"criterion": self.criterion_key, "weight": self.weight, "delta_up": self.delta_up,
                "winner_up": self.winner_up, "delta_down": self.delta_down, "winner_down": self.winner_down}


@dataclass(frozen=True)
class SweepData:
    """One-at-a-time sweep: ranks[c, p, v] = rank of qualified vendor v when criterion c has weight grid[p]."""

    grid: np.ndarray = field(compare=False, repr=False)  # weight shares from 0 to 1
    ranks: np.ndarray = field(compare=False, repr=False)  # criteria x points x vendors, 1 = best
    scores: np.ndarray = field(compare=False, repr=False)  # same shape, 0-100


@dataclass(frozen=True)
class SmaaResult:
    sampling: str  # "simplex" (Dirichlet(1), uniform on the simplex) | "local" (within +/- bounds)
    samples: int
    seed: int
    bounds: float | None  # local sampling: relative half-width around each current weight
    # acceptability[v, r] = share of samples in which vendor v took rank r + 1 (rows sum to 1)
    acceptability: np.ndarray = field(compare=False, repr=False)
    # central_weights[v] = mean weight vector of the samples in which v ranked first (NaN if never)
    central_weights: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class SensitivityResult:
    evaluation: str
    variant: dict[str, str]
    vendor_ids: tuple[int, ...]  # the qualified vendors analysed, in the order of the arrays below
    vendor_names: tuple[str, ...]
    criterion_keys: tuple[str, ...]
    winner: str
    weights: np.ndarray = field(compare=False, repr=False)
    critical: tuple[CriticalChange, ...] = ()
    sweep: SweepData | None = None
    smaa: SmaaResult | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"evaluation": self.evaluation, "variant": dict(self.variant), "winner": self.winner,
                               "critical": [c.as_json() for c in self.critical]}
        if self.smaa is not None:
            s = self.smaa
            out["smaa"] = {
                "sampling": s.sampling, "samples": s.samples, "seed": s.seed, "bounds": s.bounds,
                "acceptability": {name: [float(x) for x in row]
                                  for name, row in zip(self.vendor_names, s.acceptability, strict=True)},
                "central_weights": {
                    name: (None if np.isnan(row).any() else dict(zip(self.criterion_keys, map(float, row), strict=True)))
                    for name, row in zip(self.vendor_names, s.central_weights, strict=True)
                },
            }
        return out


# --- tariffs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffLine:
    vendor_id: int
    vendor: str
    scenario: str
    term_years: float
    annual_baseline: float
    total: float  # cost over the whole term under this scenario
    baseline_total: float
    increase: float  # total - baseline_total
    exposure_ratio: float  # increase / baseline_total (0 when the baseline is 0)
    currency: str

    def as_json(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "scenario": self.scenario, "term_years": self.term_years,
                "total": self.total, "baseline_total": self.baseline_total, "increase": self.increase,
                "exposure_ratio": self.exposure_ratio, "currency": self.currency}


@dataclass(frozen=True)
class TariffResult:
    evaluation: str
    scenarios: tuple[str, ...]
    lines: tuple[TariffLine, ...]  # vendor-major, scenarios in order
    notes: tuple[str, ...] = ()  # e.g. vendors without cost lines

    def line(self, vendor: str, scenario: str) -> TariffLine:
        for x in self.lines:
            if x.vendor == vendor and x.scenario == scenario:
                return x
        raise KeyError((vendor, scenario))

    def as_json(self) -> dict[str, Any]:
        return {"evaluation": self.evaluation, "scenarios": list(self.scenarios),
                "lines": [x.as_json() for x in self.lines], "notes": list(self.notes)}
