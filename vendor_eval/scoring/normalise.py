"""Linear normalisation of scores to 0-1 on each criterion's own scale.

On the scale, not across the vendors present: a vendor's normalised score then does
not move when another vendor is added or removed, and a criterion on which every
vendor scored the same is well defined (it simply separates nobody).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.scoring.checks import check_directions, check_scale

NAME = "linear min-max on each criterion's scale"


def check_in_scale(matrix: np.ndarray, scale_min: np.ndarray, scale_max: np.ndarray,
                   rows: Sequence[str], names: Sequence[str]) -> None:
    """Refuse a value outside its criterion's scale (NaN = missing is allowed)."""
    with np.errstate(invalid="ignore"):
        bad = (matrix < scale_min - 1e-9) | (matrix > scale_max + 1e-9) | np.isinf(matrix)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValidationError(
            f"The score {matrix[r, c]:g} for {rows[r]} on {names[c]!r} lies outside the scale "
            f"{scale_min[c]:g}-{scale_max[c]:g}."
        )


def linear_minmax(matrix: np.ndarray, scale_min: Sequence[float] | np.ndarray, scale_max: Sequence[float] | np.ndarray,
                  directions: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """(x - min) / (max - min), or (max - x) / (max - min) where lower is better; NaN stays NaN."""
    lo = np.asarray(scale_min, dtype=float)
    hi = np.asarray(scale_max, dtype=float)
    span = check_scale(lo, hi, names)
    lower_better = check_directions(directions, names)
    up = (matrix - lo) / span
    return np.asarray(np.where(lower_better, 1.0 - up, up))
