"""Procurement price formulas: a price becomes a score on the criterion's scale.

A price of zero or below is refused, never divided by (a known failure of RFP tools).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.vocabulary import QUOTED_PRICE_FORMULAS


def price_scores(prices: Sequence[float] | np.ndarray, vendors: Sequence[str], formula: str = "ratio",
                 scale_min: float = 0.0, scale_max: float = 5.0) -> np.ndarray:
    """Scores on [scale_min, scale_max] for each price; NaN (no price quoted) stays NaN."""
    if formula not in QUOTED_PRICE_FORMULAS:
        raise ValidationError(f"The price formula must be one of {', '.join(QUOTED_PRICE_FORMULAS)}, got {formula!r}.")
    p = np.asarray(prices, dtype=float)
    for price, vendor in zip(p, vendors, strict=True):
        if np.isinf(price) or (not np.isnan(price) and price <= 0):
            raise ValidationError(f"{vendor}'s price {price:g} must be above zero to be scored; query it.")
    quoted = ~np.isnan(p)
    if not quoted.any():
        return np.full(p.shape, np.nan)
    low, high = float(p[quoted].min()), float(p[quoted].max())
    if formula == "ratio":
        # e.g. 100k, 125k, 200k on a 0-30 scale give 30, 24, 15 (DOMAIN.md).
        return np.where(quoted, np.clip(low / np.where(quoted, p, 1.0) * scale_max, scale_min, scale_max), np.nan)
    if high == low:
        return np.where(quoted, scale_max, np.nan)
    return np.where(quoted, scale_max - (p - low) / (high - low) * (scale_max - scale_min), np.nan)
