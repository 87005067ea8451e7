"""TOPSIS (Hwang and Yoon 1981): closeness to the ideal and distance from the anti-ideal vendor.

Vector normalisation: r_ij = x_ij / sqrt(sum_i x_ij^2). A column of zeros stays zero (it
separates nobody) instead of dividing by zero; when every vendor is equal on every weighted
criterion all closeness values are 0.5, a tie.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vendor_eval.scoring.checks import as_matrix, check_weights

NAME = "TOPSIS, vector normalisation, Euclidean distance"


def topsis(matrix: object, weights: object, lower_is_better: Sequence[bool] | np.ndarray) -> np.ndarray:
    """Closeness coefficients 0-1 (1 = the ideal vendor), one per row of a complete matrix."""
    return topsis_distances(matrix, weights, lower_is_better)[0]


def topsis_distances(matrix: object, weights: object,
                     lower_is_better: Sequence[bool] | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(closeness, distance to the ideal, distance to the anti-ideal), one of each per row."""
    x = as_matrix(matrix)
    w = check_weights(weights, x.shape[1])
    cost = np.asarray(lower_is_better, dtype=bool)
    norm = np.sqrt((x**2).sum(axis=0))
    r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    v = r * w
    best = np.where(cost, v.min(axis=0), v.max(axis=0))
    worst = np.where(cost, v.max(axis=0), v.min(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    total = d_best + d_worst
    closeness = np.asarray(np.divide(d_worst, total, out=np.full(total.shape, 0.5), where=total > 0))
    return closeness, d_best, d_worst
