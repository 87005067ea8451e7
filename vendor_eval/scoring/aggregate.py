"""From the evaluators x vendors x criteria cube to one value per vendor and criterion.

NaN marks a cell an evaluator did not score; a cell nobody scored stays NaN (missing).
"""

from __future__ import annotations

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.vocabulary import AGGREGATIONS

TRIM = 0.2  # trimmed mean: cut 20 % of the scores at each end (scipy.stats.trim_mean semantics)


def _mean(cube: np.ndarray) -> np.ndarray:
    present = ~np.isnan(cube)
    n = present.sum(axis=0)
    total = np.where(present, cube, 0.0).sum(axis=0)
    return np.asarray(np.divide(total, n, out=np.full(n.shape, np.nan), where=n > 0))


def _trimmed(cube: np.ndarray, proportion: float) -> np.ndarray:
    """Cut int(proportion * n) scores from each end of every cell, n being that cell's own count."""
    ordered = np.sort(cube, axis=0)  # NaN sorts last, so position i < n holds the real scores
    n = (~np.isnan(cube)).sum(axis=0)
    cut = np.floor(proportion * n).astype(int)
    pos = np.arange(cube.shape[0]).reshape(-1, *([1] * (cube.ndim - 1)))
    keep = (pos >= cut) & (pos < n - cut)
    kept = keep.sum(axis=0)
    total = np.where(keep, ordered, 0.0).sum(axis=0)
    return np.asarray(np.divide(total, kept, out=np.full(n.shape, np.nan), where=kept > 0))


def _median(cube: np.ndarray) -> np.ndarray:
    out = np.full(cube.shape[1:], np.nan)
    any_score = (~np.isnan(cube)).any(axis=0)
    if any_score.any():
        out[any_score] = np.nanmedian(cube[:, any_score], axis=0)
    return out


def aggregate(cube: np.ndarray, method: str, consensus: np.ndarray | None = None,
              fallback: str = "mean", trim: float = TRIM) -> np.ndarray:
    """One value per (vendor, criterion). "consensus" takes the committee's value where set,
    else the fallback aggregation of the individual scores."""
    cube = np.asarray(cube, dtype=float)
    if cube.ndim != 3:
        raise ValidationError("Scores must form an evaluators x vendors x criteria array.")
    if method not in AGGREGATIONS:
        raise ValidationError(f"Aggregation must be one of {', '.join(AGGREGATIONS)}, got {method!r}.")
    if not 0.0 <= trim < 0.5:
        raise ValidationError(f"The trimmed-mean proportion must be from 0 up to 0.5, got {trim:g}.")
    if cube.shape[0] == 0:
        base = np.full(cube.shape[1:], np.nan)
    elif method == "consensus":
        if fallback == "consensus":
            raise ValidationError("The consensus fallback must be mean, median or trimmed.")
        base = aggregate(cube, fallback, trim=trim)
    elif method == "median":
        base = _median(cube)
    elif method == "trimmed":
        base = _trimmed(cube, trim)
    else:
        base = _mean(cube)
    if method == "consensus" and consensus is not None:
        agreed = np.asarray(consensus, dtype=float)
        base = np.where(np.isnan(agreed), base, agreed)
    return base


def describe(method: str, fallback: str = "mean", trim: float = TRIM) -> str:
    if method == "trimmed":
        return f"trimmed mean ({trim:.0%} cut at each end)"
    if method == "consensus":
        return f"consensus where set, else {describe(fallback, trim=trim)}"
    return method
