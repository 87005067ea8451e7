"""Hierarchical weights: a group's share times the criterion's share within its group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vendor_eval.errors import ValidationError

NAME = "hierarchical (group % x criterion % within the group), normalised"


def hierarchical_weights(group_weights: Sequence[float], group_names: Sequence[str],
                         criterion_weights: Sequence[float], criterion_group: Sequence[int],
                         criterion_names: Sequence[str]) -> np.ndarray:
    """Criterion weights summing to 1. criterion_group[i] is the index of criterion i's group.

    Weights are percent as entered and need not add up to 100: each level is normalised,
    which is exactly the spreadsheet error (weights that do not add up) this tool removes.
    """
    g = np.asarray(group_weights, dtype=float)
    c = np.asarray(criterion_weights, dtype=float)
    idx = np.asarray(criterion_group, dtype=int)
    if c.size == 0:
        raise ValidationError("The evaluation has no criteria to weigh.")
    for values, names, kind in ((g, group_names, "group"), (c, criterion_names, "criterion")):
        bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
        if bad.size:
            i = int(bad[0])
            raise ValidationError(f"The weight of {kind} {names[i]!r} must be zero or more, got {values[i]:g}.")
    within = np.bincount(idx, weights=c, minlength=g.size)
    empty = np.flatnonzero((g > 0) & (within <= 0))
    if empty.size:
        raise ValidationError(
            f"Group {group_names[int(empty[0])]!r} has a weight but all its criteria weigh zero; weigh at least one."
        )
    live = g * (within > 0)
    if live.sum() <= 0:
        raise ValidationError("All weights are zero: give at least one group and criterion a weight above zero.")
    share = np.divide(c, within[idx], out=np.zeros_like(c), where=within[idx] > 0)
    w = (live / live.sum())[idx] * share
    return np.asarray(w / w.sum())
