"""Knock-out (mandatory) criteria: failing one disqualifies a vendor, whatever its total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KnockoutSpec:
    index: int  # column in the vendors x criteria matrix
    name: str
    threshold: float | None  # the score a vendor must reach; None = anything above the scale's worst point
    lower_is_better: bool
    scale_min: float
    scale_max: float


def knockout_reasons(matrix: np.ndarray, specs: Sequence[KnockoutSpec]) -> list[list[str]]:
    """For each vendor (row of aggregated scores on the criteria's own scales), the failed knock-outs
    as sentences; an empty list = qualified. A missing knock-out score is a failure: the mandatory
    requirement has not been shown to be met."""
    reasons: list[list[str]] = [[] for _ in range(matrix.shape[0])]
    for k in specs:
        col = matrix[:, k.index]
        for v, value in enumerate(col):
            if np.isnan(value):
                reasons[v].append(f"No score on knock-out criterion {k.name!r}.")
                continue
            if k.threshold is None:
                worst = k.scale_max if k.lower_is_better else k.scale_min
                failed = bool(np.isclose(value, worst))
                need = "better than the scale's worst point"
            elif k.lower_is_better:
                failed = value > k.threshold + 1e-9
                need = f"at most {k.threshold:g}"
            else:
                failed = value < k.threshold - 1e-9
                need = f"at least {k.threshold:g}"
            if failed:
                reasons[v].append(f"Knock-out criterion {k.name!r} scored {value:.3g}; it must be {need}.")
    return reasons
