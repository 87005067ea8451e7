"""Competition ranks (1, 2, 2, 4): tied scores share a rank."""

from __future__ import annotations

import numpy as np

TIE_TOLERANCE = 1e-9  # scores this close (relative to the scale) are a tie, not a float artefact


def competition_ranks(scores: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Rank of each score, 1 = highest; works on the last axis of an array of any shape."""
    s = np.asarray(scores, dtype=float)
    tol = TIE_TOLERANCE * max(scale, 1e-300)
    better = (s[..., None, :] > s[..., :, None] + tol).sum(axis=-1)
    return np.asarray(better + 1)
