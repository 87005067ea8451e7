"""Input checks shared by the scoring functions: one clear sentence per problem, never a wrong number."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vendor_eval.errors import ValidationError


def as_matrix(values: object, what: str = "decision matrix", allow_nan: bool = False) -> np.ndarray:
    """A 2-D float array with at least one row and column; NaN only where allowed (missing cells)."""
    try:
        m = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(f"The {what} must contain numbers only.") from None
    if m.ndim != 2 or m.shape[0] == 0 or m.shape[1] == 0:
        raise ValidationError(f"The {what} is empty: there must be at least one vendor and one criterion.")
    if np.isinf(m).any():
        raise ValidationError(f"The {what} contains an infinite value.")
    if not allow_nan and np.isnan(m).any():
        r, c = np.argwhere(np.isnan(m))[0]
        raise ValidationError(f"The {what} has no number (NaN) in row {r + 1}, column {c + 1}.")
    return m


def check_weights(weights: object, n: int, names: Sequence[str] | None = None) -> np.ndarray:
    """Non-negative finite weights, not all zero, one per criterion; returned scaled to sum 1."""
    try:
        w = np.asarray(weights, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValidationError("Weights must be numbers.") from None
    if w.size != n:
        raise ValidationError(f"There are {w.size} weights for {n} criteria.")
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        i = int(bad[0])
        label = repr(names[i]) if names else f"number {i + 1}"
        raise ValidationError(f"The weight of criterion {label} must be a finite number of zero or more, got {w[i]!r}.")
    total = float(w.sum())
    if total <= 0:
        raise ValidationError("All weights are zero: give at least one criterion a weight above zero.")
    return w / total


def check_scale(scale_min: np.ndarray, scale_max: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Scale ranges (max - min), refusing empty or reversed scales."""
    span = np.asarray(scale_max, dtype=float) - np.asarray(scale_min, dtype=float)
    bad = np.flatnonzero(~np.isfinite(span) | (span <= 0))
    if bad.size:
        i = int(bad[0])
        raise ValidationError(f"Criterion {names[i]!r} has an empty scale ({scale_min[i]:g} to {scale_max[i]:g}).")
    return np.asarray(span)


def check_directions(directions: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """True where lower is better."""
    for d, name in zip(directions, names, strict=True):
        if d not in ("max", "min"):
            raise ValidationError(f"Criterion {name!r} has direction {d!r}; it must be 'max' or 'min'.")
    return np.array([d == "min" for d in directions], dtype=bool)
