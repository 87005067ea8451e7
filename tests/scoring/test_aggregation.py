"""Aggregating evaluators' scores, missing-score policies, knock-outs and disagreement."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from vendor_eval.scoring.aggregate import aggregate
from vendor_eval.scoring.disagreement import disagreement
from vendor_eval.scoring.knockouts import KnockoutSpec, knockout_reasons
from vendor_eval.scoring.normalise import linear_minmax
from vendor_eval.scoring.weighted import weighted_sum

NAN = np.nan


def cube_of(cells: list[list[float]]) -> np.ndarray:
    """One vendor x one criterion per inner list: scores by evaluator."""
    width = max(len(c) for c in cells)
    out = np.full((width, 1, len(cells)), NAN)
    for j, c in enumerate(cells):
        out[: len(c), 0, j] = c
    return out


def test_mean_median_trimmed_against_numpy_and_scipy() -> None:
    rng = np.random.default_rng(5)
    cube = np.round(rng.uniform(0, 5, size=(7, 4, 3)) * 2) / 2
    cube[rng.random(cube.shape) < 0.2] = NAN
    for v in range(4):
        for c in range(3):
            scores = cube[:, v, c][~np.isnan(cube[:, v, c])]
            if scores.size == 0:
                continue
            assert aggregate(cube, "mean")[v, c] == pytest.approx(scores.mean())
            assert aggregate(cube, "median")[v, c] == pytest.approx(np.median(scores))
            assert aggregate(cube, "trimmed")[v, c] == pytest.approx(stats.trim_mean(scores, 0.2))


def test_cell_nobody_scored_stays_missing() -> None:
    cube = cube_of([[3.0, 4.0], []])
    for method in ("mean", "median", "trimmed"):
        out = aggregate(cube, method)
        assert out[0, 0] == pytest.approx(3.5)
        assert np.isnan(out[0, 1])


def test_consensus_overrides_where_set_else_fallback() -> None:
    cube = cube_of([[1.0, 2.0, 5.0], [1.0, 2.0, 5.0]])
    agreed = np.array([[4.0, NAN]])
    out = aggregate(cube, "consensus", agreed, fallback="median")
    assert out.tolist() == [[4.0, 2.0]]


def test_missing_policies() -> None:
    n = np.array([[1.0, NAN], [0.5, 0.5]])
    w = np.array([0.5, 0.5])
    assert weighted_sum(n, w, "minimum").total == pytest.approx([50.0, 50.0])
    assert weighted_sum(n, w, "renormalise").total == pytest.approx([100.0, 50.0])


def test_normalisation_on_the_scale_with_direction() -> None:
    n = linear_minmax(np.array([[1.0, 30.0]]), [1, 0], [5, 120], ["max", "min"], ["q", "minutes"])
    assert n.tolist() == [[0.0, 0.75]]


def test_knockouts_name_criterion_and_value() -> None:
    raw = np.array([[4.0], [1.0], [NAN]])
    reasons = knockout_reasons(raw, [KnockoutSpec(0, "Signed BAA", 2.0, False, 0.0, 5.0)])
    assert reasons[0] == []
    assert reasons[1] == ["Knock-out criterion 'Signed BAA' scored 1; it must be at least 2."]
    assert reasons[2] == ["No score on knock-out criterion 'Signed BAA'."]


def test_spread_bands_std_and_bias() -> None:
    # Criterion scale 0-5. Cell 0: 2, 3 (20 %: discuss). Cell 1: 0, 5 (100 %: must discuss).
    # Cell 2: 3, 3.5 (10 %: fine). Cell 3: one score only (no band).
    cube = cube_of([[2.0, 3.0], [0.0, 5.0], [3.0, 3.5], [4.0]])
    d = disagreement(cube, np.full(4, 5.0), 0.20, 0.50)
    assert d.spread[0].tolist()[:3] == pytest.approx([0.2, 1.0, 0.1])
    assert np.isnan(d.spread[0, 3])
    assert d.band[0].tolist() == [1, 2, 0, -1]
    assert d.std[0, 1] == pytest.approx(2.5)
    # Evaluator 1 scores 1, 5 and 0.5 points above the only other evaluator on three cells.
    assert d.bias[1] == pytest.approx((1 + 5 + 0.5) / 3 / 5)
    assert d.bias[0] == pytest.approx(-d.bias[1])
    assert d.bias_cells.tolist() == [3, 3]


def test_bias_against_the_rest_of_the_panel() -> None:
    # Three evaluators on one cell: 1, 2, 6. Evaluator 2's panel mean is 1.5: deviation 4.5 on a 0-10 scale.
    d = disagreement(cube_of([[1.0, 2.0, 6.0]]), np.array([10.0]))
    assert d.bias.tolist() == pytest.approx([(1 - 4) / 10, (2 - 3.5) / 10, (6 - 1.5) / 10])
