"""Weighted sum (simple additive weighting) on 0-100, with the missing-score policies.

Policies, per evaluation:
  block        - refuse to rank while any cell is missing (the caller lists them)
  minimum      - a missing cell counts as the worst point of the scale (normalised 0)
  renormalise  - each vendor's weights are rescaled over the criteria it was scored on
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.vocabulary import MISSING_POLICIES


@dataclass(frozen=True)
class WeightedScores:
    total: np.ndarray  # vendors, 0-100
    contributions: np.ndarray  # vendors x criteria, points of the 0-100 total
    effective_weights: np.ndarray  # vendors x criteria, each row sums to 1


def weighted_sum(normalised: np.ndarray, weights: np.ndarray, policy: str = "block",
                 names: Sequence[str] = ()) -> WeightedScores:
    """Scores 0-100 from a vendors x criteria matrix of 0-1 values (NaN = missing) and weights summing to 1.
    names: the vendors' names, for messages (by number when not given)."""
    if policy not in MISSING_POLICIES:
        raise ValidationError(f"The missing-score policy must be one of {', '.join(MISSING_POLICIES)}, got {policy!r}.")
    n = np.asarray(normalised, dtype=float)
    w = np.asarray(weights, dtype=float)
    missing = np.isnan(n)
    if missing.any() and policy == "block":
        raise ValidationError(f"{int(missing.sum())} scores are missing and the policy is to block ranking.")
    filled = np.where(missing, 0.0, n)
    ew = np.broadcast_to(w, n.shape).copy()
    if policy == "renormalise":
        ew[missing] = 0.0
        present = ew.sum(axis=1, keepdims=True)
        empty = np.flatnonzero(present[:, 0] <= 0)
        if empty.size:
            who = names[int(empty[0])] if names else f"Vendor number {int(empty[0]) + 1}"
            raise ValidationError(f"{who} has no score yet on any weighted criterion, so even the "
                                  "'renormalise' policy cannot rank it; score it, or remove it from the evaluation.")
        ew = ew / present
    contributions = 100.0 * ew * filled
    return WeightedScores(contributions.sum(axis=1), contributions, ew)
