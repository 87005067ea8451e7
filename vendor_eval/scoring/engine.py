"""One place that computes a ranking: from a Snapshot (plain data) to the result dataclasses.

The services load the Snapshot; this module turns it into arrays, applies the named
variant (aggregation, price formula, missing-score policy, method) and assembles results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vendor_eval.domain import Snapshot
from vendor_eval.errors import ValidationError
from vendor_eval.scoring import aggregate as agg
from vendor_eval.scoring import normalise, price, sensitivity, tariffs, topsis, weights
from vendor_eval.scoring.disagreement import disagreement as spread_of
from vendor_eval.scoring.knockouts import KnockoutSpec, knockout_reasons
from vendor_eval.scoring.ranks import competition_ranks
from vendor_eval.scoring.results import (
    BANDS,
    CellDisagreement,
    CriticalChange,
    DisagreementResult,
    EvaluatorBias,
    MissingCell,
    RankingResult,
    SensitivityResult,
    SmaaResult,
    SweepData,
    VendorResult,
)
from vendor_eval.scoring.weighted import weighted_sum
from vendor_eval.vocabulary import METHODS, MISSING_POLICIES, PRICE_FORMULAS


class MissingScores(ValidationError):
    """Ranking blocked by missing scores; .cells lists every one."""

    def __init__(self, cells: tuple[MissingCell, ...]):
        shown = "; ".join(c.describe() for c in cells[:3])
        more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
        super().__init__(f"Ranking is blocked: {len(cells)} cells have no score ({shown}{more}); score them, "
                         "or choose the 'minimum' or 'renormalise' missing-score policy.")
        self.cells = cells

    def __reduce__(self) -> tuple[type[MissingScores], tuple[tuple[MissingCell, ...]]]:
        # Rebuilt from the cells, not the message: a report export runs in a child process and
        # hands this error back pickled (the default would call __init__ with the message).
        return (MissingScores, (self.cells,))


@dataclass(frozen=True)
class Prepared:
    """The evaluation as arrays, after aggregation, price formulas, knock-outs and normalisation."""

    snap: Snapshot
    variant: dict[str, str]
    policy: str
    raw: np.ndarray  # vendors x criteria on each criterion's scale, NaN = missing
    normalised: np.ndarray  # 0-1, NaN = missing
    weights: np.ndarray  # criteria, sums to 1
    reasons: list[list[str]]  # per vendor, failed knock-outs
    missing: tuple[MissingCell, ...]


def _check_cube(snap: Snapshot, cube: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
    names = [c.name for c in snap.criteria]
    for e, layer in enumerate(cube):
        rows = [f"{snap.evaluators[e].name}'s score for {v.name}" for v in snap.vendors]
        normalise.check_in_scale(layer, lo, hi, rows, names)


def _prices(snap: Snapshot, column: int, formula: str, lo: float, hi: float,
            uplift: np.ndarray) -> np.ndarray | None:
    """Price-formula scores for a cost criterion from the vendors' numeric answers (None: no answers),
    each quoted price raised by the vendor's tariff exposure under the chosen scenario (uplift)."""
    crit = snap.criteria[column]
    quoted = np.full(len(snap.vendors), np.nan)
    found = False
    for a in snap.answers:
        if a.criterion_id != crit.id or a.value in (None, ""):
            continue
        vendor = snap.vendors[snap.index_of("vendor", a.vendor_id)]
        try:
            value = float(str(a.value).replace(",", "").strip()) if isinstance(a.value, str) else float(a.value)
        except (TypeError, ValueError):
            raise ValidationError(f"{vendor.name}'s answer to {crit.name!r} ({a.value!r}) is not a price.") from None
        quoted[snap.index_of("vendor", a.vendor_id)] = value
        found = True
    if not found:
        return None
    return price.price_scores(quoted * (1.0 + uplift), [v.name for v in snap.vendors], formula, lo, hi)


def _tariff_uplift(snap: Snapshot, scenario: str | None) -> np.ndarray:
    """Per vendor, the share by which a tariff scenario raises its cost over the term (0 for none)."""
    uplift = np.zeros(len(snap.vendors))
    if scenario is None:
        return uplift
    result = tariffs.tariffs_snapshot(snap)
    if scenario not in result.scenarios:
        raise ValidationError(f"There is no tariff scenario {scenario!r}; scenarios are {', '.join(result.scenarios)}.")
    for line in result.lines:
        if line.scenario == scenario:
            uplift[snap.index_of("vendor", line.vendor_id)] = line.exposure_ratio
    return uplift


def prepare(snap: Snapshot, aggregation: str | None = None, missing_policy: str | None = None,
            price_formula: str | None = None, cube: np.ndarray | None = None,
            tariff_scenario: str | None = None) -> Prepared:
    """cube: snap.score_cube() when the caller already has it (benchmarks, repeated analyses).
    tariff_scenario: price quoted prices as they would be under that scenario (None: as quoted)."""
    name = snap.evaluation.name
    if not snap.vendors:
        raise ValidationError(f"Evaluation {name!r} has no vendors to rank.")
    if not snap.criteria:
        raise ValidationError(f"Evaluation {name!r} has no criteria to rank on.")
    aggregation = aggregation or snap.evaluation.aggregation
    policy = missing_policy or snap.evaluation.missing_policy
    price_formula = price_formula or snap.evaluation.price_formula
    if policy not in MISSING_POLICIES:
        raise ValidationError(f"The missing-score policy must be one of {', '.join(MISSING_POLICIES)}, got {policy!r}.")
    if price_formula not in PRICE_FORMULAS:
        raise ValidationError(f"The price formula must be one of {', '.join(PRICE_FORMULAS)}, got {price_formula!r}.")
    crit = snap.criteria
    lo = np.array([c.scale_min for c in crit])
    hi = np.array([c.scale_max for c in crit])
    cube = snap.score_cube() if cube is None else cube
    _check_cube(snap, cube, lo, hi)
    agreed = snap.consensus_matrix()
    normalise.check_in_scale(agreed, lo, hi, [f"the consensus for {v.name}" for v in snap.vendors],
                             [c.name for c in crit])
    raw = agg.aggregate(cube, aggregation, agreed)
    priced = []
    if price_formula != "scores":
        uplift = _tariff_uplift(snap, tariff_scenario)
        for j, c in enumerate(crit):
            if c.is_cost:
                column = _prices(snap, j, price_formula, c.scale_min, c.scale_max, uplift)
                if column is not None:
                    raw[:, j] = column
                    priced.append(c.name)
    missing = tuple(
        MissingCell(snap.vendors[v].id, snap.vendors[v].name, crit[c].id, crit[c].key, crit[c].name)
        for v, c in np.argwhere(np.isnan(raw))
    )
    if missing and policy == "block":
        raise MissingScores(missing)
    normalised = normalise.linear_minmax(raw, lo, hi, [c.direction for c in crit], [c.name for c in crit])
    group_pos = {g.id: i for i, g in enumerate(snap.groups)}
    w = weights.hierarchical_weights([g.weight for g in snap.groups], [g.name for g in snap.groups],
                                     [c.weight for c in crit], [group_pos[c.group_id] for c in crit],
                                     [c.name for c in crit])
    knockout_raw = raw.copy()
    if policy == "minimum":
        # A missing cell counts as the worst point of the scale, for knock-outs as for the total.
        worst = np.where([c.direction == "min" for c in crit], hi, lo)
        knockout_raw = np.where(np.isnan(raw), worst, raw)
    specs = [KnockoutSpec(j, c.name, c.knockout_min, c.direction == "min", c.scale_min, c.scale_max)
             for j, c in enumerate(crit) if c.knockout]
    variant = {
        "normalisation": normalise.NAME,
        "weights": weights.NAME,
        "aggregation": agg.describe(aggregation),
        "missing_policy": policy,
        "price_formula": (f"{PRICE_FORMULAS[price_formula]} ({', '.join(priced)})" if priced
                          else PRICE_FORMULAS["scores"]),
        "tariff_scenario": (tariff_scenario if tariff_scenario and priced else "none: prices as quoted"),
    }
    return Prepared(snap, variant, policy, raw, normalised, w, knockout_reasons(knockout_raw, specs), missing)


def _order(scores: np.ndarray, disqualified: np.ndarray, scale: float) -> tuple[list[int], np.ndarray]:
    """Best first, qualified before disqualified; ranks shared on ties, disqualified ranked after."""
    rank = np.zeros(scores.size, dtype=int)
    q = np.flatnonzero(~disqualified)
    d = np.flatnonzero(disqualified)
    if q.size:
        rank[q] = competition_ranks(scores[q], scale)
    if d.size:
        rank[d] = q.size + competition_ranks(scores[d], scale)
    order = sorted(range(scores.size), key=lambda i: (rank[i], -scores[i], i))
    return order, rank


def rank(p: Prepared, method: str = "weighted") -> RankingResult:
    if method not in METHODS:
        raise ValidationError(f"The method must be one of {', '.join(METHODS)}, got {method!r}.")
    snap, crit = p.snap, p.snap.criteria
    by_group: list[dict[str, float]]
    variant = {"method": method, **p.variant}
    if method == "weighted":
        ws = weighted_sum(p.normalised, p.weights, p.policy, [v.name for v in snap.vendors])
        scores, scale, label = ws.total, 100.0, "0-100 points"
        member = np.array([[c.group_id == g.id for g in snap.groups] for c in crit], dtype=float)
        parts = ws.contributions @ member  # vendors x groups
        by_group = [dict(zip([g.name for g in snap.groups], map(float, row), strict=True)) for row in parts]
        distances: list[tuple[float, float] | None] = [None] * len(snap.vendors)
    else:
        if p.missing and p.policy == "renormalise":
            raise ValidationError("TOPSIS needs a complete matrix; with missing scores use the 'minimum' policy.")
        worst = np.where([c.direction == "min" for c in crit], [c.scale_max for c in crit], [c.scale_min for c in crit])
        matrix = np.where(np.isnan(p.raw), worst, p.raw)
        scores, d_best, d_worst = topsis.topsis_distances(matrix, p.weights, [c.direction == "min" for c in crit])
        distances = [(float(b), float(w)) for b, w in zip(d_best, d_worst, strict=True)]
        scale, label = 1.0, "closeness 0-1"
        variant["normalisation"] = topsis.NAME
        by_group = [{} for _ in snap.vendors]  # TOPSIS distances do not split into additive group parts
    disq = np.array([bool(r) for r in p.reasons])
    order, ranks = _order(scores, disq, scale)
    keys = [c.key for c in crit]
    vendors = tuple(
        VendorResult(snap.vendors[i].id, snap.vendors[i].name, float(scores[i]), int(ranks[i]), bool(disq[i]),
                     tuple(p.reasons[i]), by_group[i], dict(zip(keys, map(float, p.normalised[i]), strict=True)),
                     distances[i])
        for i in order
    )
    return RankingResult(
        evaluation=snap.evaluation.name, method=method, variant=variant, score_scale=label, vendors=vendors,
        missing=p.missing, vendor_ids=tuple(v.id for v in snap.vendors), criterion_ids=tuple(c.id for c in crit),
        criterion_keys=tuple(keys), criterion_group_ids=tuple(c.group_id for c in crit),
        group_names={g.id: g.name for g in snap.groups}, matrix=p.raw, weights=p.weights,
    )


def rank_snapshot(snap: Snapshot, method: str = "weighted", aggregation: str | None = None,
                  missing_policy: str | None = None, price_formula: str | None = None,
                  cube: np.ndarray | None = None, tariff_scenario: str | None = None) -> RankingResult:
    return rank(prepare(snap, aggregation, missing_policy, price_formula, cube, tariff_scenario), method)


def disagreement_snapshot(snap: Snapshot) -> DisagreementResult:
    e = snap.evaluation
    if not snap.vendors or not snap.criteria:
        raise ValidationError(f"Evaluation {e.name!r} has no vendors or no criteria yet.")
    crit = snap.criteria
    lo = np.array([c.scale_min for c in crit])
    hi = np.array([c.scale_max for c in crit])
    cube = snap.score_cube()
    _check_cube(snap, cube, lo, hi)
    d = spread_of(cube, hi - lo, e.discuss_threshold, e.must_discuss_threshold)
    cells = [
        CellDisagreement(snap.vendors[v].id, snap.vendors[v].name, crit[c].id, crit[c].key, crit[c].name,
                         int(d.count[v, c]), float(d.low[v, c]), float(d.high[v, c]), float(d.spread[v, c]),
                         float(d.std[v, c]), BANDS[int(d.band[v, c])])
        for v, c in np.argwhere(d.count >= 2)
    ]
    cells.sort(key=lambda x: (-x.spread, -x.std, x.vendor, x.criterion_key))
    biases = tuple(EvaluatorBias(x.id, x.name, float(d.bias[i]), int(d.bias_cells[i]))
                   for i, x in enumerate(snap.evaluators))
    return DisagreementResult(e.name, e.discuss_threshold, e.must_discuss_threshold, tuple(cells), biases,
                              tuple(v.id for v in snap.vendors), tuple(c.id for c in crit), d.spread, d.std)


def sensitivity_snapshot(snap: Snapshot, samples: int = 10_000, seed: int = 0, sampling: str = "simplex",
                         bounds: float = 0.25, aggregation: str | None = None, missing_policy: str | None = None,
                         price_formula: str | None = None, sweep_points: int = 21,
                         tariff_scenario: str | None = None) -> SensitivityResult:
    """Weighted-sum sensitivity over the qualified vendors (disqualified ones cannot win)."""
    p = prepare(snap, aggregation, missing_policy, price_formula, tariff_scenario=tariff_scenario)
    if p.missing and p.policy == "renormalise":
        raise ValidationError(f"Sensitivity needs every cell scored, or the 'minimum' policy; "
                              f"{len(p.missing)} cells are missing.")
    qualified = [i for i, r in enumerate(p.reasons) if not r]
    if not qualified:
        raise ValidationError("Every vendor is disqualified by a knock-out; there is no winner to test.")
    n = np.where(np.isnan(p.normalised), 0.0, p.normalised)[qualified]
    crit = snap.criteria
    names = tuple(snap.vendors[i].name for i in qualified)
    changes = sensitivity.critical_changes(n, p.weights)
    critical = tuple(
        CriticalChange(c.id, c.key, c.name, float(p.weights[j]), x.delta_up,
                       names[x.winner_up] if x.winner_up is not None else None, x.delta_down,
                       names[x.winner_down] if x.winner_down is not None else None)
        for j, (c, x) in enumerate(zip(crit, changes, strict=True))
    )
    grid, ranks, scores = sensitivity.sweep(n, p.weights, sweep_points)
    acceptability, central = sensitivity.smaa(n, p.weights, samples, seed, sampling, bounds)
    variant: dict[str, Any] = {"method": "weighted", **p.variant}
    return SensitivityResult(
        evaluation=snap.evaluation.name, variant=variant, vendor_ids=tuple(snap.vendors[i].id for i in qualified),
        vendor_names=names, criterion_keys=tuple(c.key for c in crit), winner=names[int(np.argmax(n @ p.weights))],
        weights=p.weights, critical=critical, sweep=SweepData(grid, ranks, scores),
        smaa=SmaaResult(sampling, samples, seed, bounds if sampling == "local" else None, acceptability, central),
    )
