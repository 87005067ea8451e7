"""Weighted sum and TOPSIS agree with an independent MCDA library (pymcdm) on random matrices."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm import methods
from pymcdm.normalizations import minmax_normalization, vector_normalization

from vendor_eval.scoring.normalise import linear_minmax
from vendor_eval.scoring.topsis import topsis
from vendor_eval.scoring.weighted import weighted_sum

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 7))
    n = draw(st.integers(1, 6))
    matrix = draw(arrays(float, (m, n), elements=st.floats(0.5, 100.0, allow_nan=False)))
    weights = draw(arrays(float, n, elements=st.floats(0.01, 10.0)))
    cost = draw(arrays(bool, n))
    return matrix, weights, cost


@SETTINGS
@given(problems())
def test_weighted_sum_matches_pymcdm_wsm(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    matrix, weights, cost = problem
    lo, hi = matrix.min(axis=0), matrix.max(axis=0)
    assume(bool(np.all(hi - lo > 1e-6 * np.maximum(1.0, hi))))
    # With each criterion's scale set to the observed range, our scale normalisation is min-max.
    names = [f"c{j}" for j in range(matrix.shape[1])]
    ours = weighted_sum(linear_minmax(matrix, lo, hi, ["min" if c else "max" for c in cost], names),
                        weights / weights.sum()).total / 100.0
    theirs = methods.WSM(minmax_normalization)(matrix, weights / weights.sum(), np.where(cost, -1, 1),
                                               validation=False)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(problems())
def test_topsis_matches_pymcdm_topsis(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    matrix, weights, cost = problem
    # pymcdm divides by zero when every alternative is equal on every criterion; ours defines 0.5.
    assume(bool(np.any(np.ptp(matrix, axis=0) > 1e-6)))
    ours = topsis(matrix, weights, cost)
    theirs = methods.TOPSIS(vector_normalization)(matrix, weights / weights.sum(), np.where(cost, -1, 1),
                                                  validation=False)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
