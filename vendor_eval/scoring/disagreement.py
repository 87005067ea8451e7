"""Where the evaluators disagree, and which evaluators score systematically high or low.

Spread per cell = (max - min) / scale range, banded (defaults from moderation practice in
RFP tools: below 20 % fine, 20-50 % discuss, above 50 % must discuss). Bias per evaluator =
mean over the cells they scored of (own score - mean of the other evaluators' scores), as a
fraction of the scale, so a lenient or harsh scorer shows before their scores move the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vendor_eval.errors import ValidationError


@dataclass(frozen=True)
class Disagreement:
    count: np.ndarray  # vendors x criteria: number of scores
    low: np.ndarray
    high: np.ndarray
    spread: np.ndarray  # NaN below two scores
    std: np.ndarray  # population std, NaN below two scores
    band: np.ndarray  # 0 fine, 1 discuss, 2 must discuss, -1 below two scores
    bias: np.ndarray  # per evaluator, NaN when they share no cell with anyone
    bias_cells: np.ndarray  # per evaluator, cells compared


def check_bands(discuss: float, must_discuss: float) -> None:
    if not (0.0 <= discuss <= must_discuss <= 1.0):
        raise ValidationError(
            f"Disagreement bands need 0 <= discuss ({discuss:g}) <= must discuss ({must_discuss:g}) <= 1."
        )


def disagreement(cube: np.ndarray, scale_range: np.ndarray, discuss: float = 0.20,
                 must_discuss: float = 0.50) -> Disagreement:
    """cube: evaluators x vendors x criteria (NaN = not scored); scale_range: per criterion, > 0."""
    check_bands(discuss, must_discuss)
    x = np.asarray(cube, dtype=float)
    span = np.asarray(scale_range, dtype=float)
    if (span <= 0).any():
        raise ValidationError("Every criterion needs a scale range above zero.")
    present = ~np.isnan(x)
    n = present.sum(axis=0)
    filled0 = np.where(present, x, 0.0)
    total = filled0.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        low = np.where(n > 0, np.where(present, x, np.inf).min(axis=0, initial=np.inf), np.nan)
        high = np.where(n > 0, np.where(present, x, -np.inf).max(axis=0, initial=-np.inf), np.nan)
        var = np.where(present, (x - mean) ** 2, 0.0).sum(axis=0) / n
    pair = n >= 2
    spread = np.where(pair, (high - low) / span, np.nan)
    std = np.where(pair, np.sqrt(var), np.nan)
    band = np.where(~pair, -1, np.where(spread > must_discuss + 1e-12, 2, np.where(spread >= discuss - 1e-12, 1, 0)))
    # Leave-one-out panel mean: (cell total - own) / (count - 1), defined where someone else scored.
    others = n[None] - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        panel = (total[None] - filled0) / others
        dev = np.where(present & (others > 0), (x - panel) / span, np.nan)
    cells = (~np.isnan(dev)).reshape(x.shape[0], n.size).sum(axis=1)  # n.size, not -1: no evaluators is allowed
    dev_sum = np.where(np.isnan(dev), 0.0, dev).reshape(x.shape[0], n.size).sum(axis=1)
    bias = np.divide(dev_sum, cells, out=np.full(cells.shape, np.nan), where=cells > 0)
    return Disagreement(n, low, high, spread, std, band, bias, cells)
