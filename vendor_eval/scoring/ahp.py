"""AHP: criterion weights from a pairwise comparison matrix (Saaty's 1-9 scale).

Two variants, named in every result because they differ: the principal right eigenvector
(Saaty) and the row geometric mean (Crawford and Williams). The consistency ratio is
CR = CI / RI with CI = (lambda_max - n) / (n - 1) and Saaty's random index RI; weights with
CR > 0.10 are refused unless the user insists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.vocabulary import AHP_METHODS

# Saaty's random consistency index for n = 1..15 (Saaty, "The Analytic Hierarchy Process", 1980;
# n > 10 as in Saaty 2012, "Models, Methods, Concepts & Applications of the AHP").
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
CR_LIMIT = 0.10


@dataclass(frozen=True)
class AhpResult:
    weights: np.ndarray  # sums to 1
    lambda_max: float
    ci: float
    cr: float
    method: str  # "eigenvector" | "geometric"

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT


def check_pairwise(matrix: object) -> np.ndarray:
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError("A pairwise comparison matrix must contain numbers only.") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValidationError(f"A pairwise comparison matrix must be square and not empty, got shape {a.shape}.")
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise ValidationError(f"AHP here compares at most {len(RANDOM_INDEX)} items at once; group them first.")
    if not np.isfinite(a).all() or (a <= 0).any():
        raise ValidationError("Every pairwise comparison must be a positive number (1/9 to 9 on Saaty's scale).")
    if not np.allclose(np.diag(a), 1.0):
        raise ValidationError("Each item compared with itself must be 1 (the diagonal of the matrix).")
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-3))
    if bad.size:
        i, j = bad[0]
        raise ValidationError(
            f"The matrix is not reciprocal: entry ({i + 1}, {j + 1}) is {a[i, j]:g} but ({j + 1}, {i + 1}) is "
            f"{a[j, i]:g}, not 1/{a[i, j]:g}."
        )
    return a


def ahp_consistency(matrix: object, method: str = "eigenvector") -> AhpResult:
    """Weights and consistency without refusing anything (to show the user before applying)."""
    if method not in AHP_METHODS:
        raise ValidationError(f"The AHP variant must be one of {', '.join(AHP_METHODS)}, got {method!r}.")
    a = check_pairwise(matrix)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    if method == "eigenvector":
        w = np.abs(vectors[:, k].real)
    else:
        w = np.exp(np.log(a).mean(axis=1))
        lam = float(np.mean((a @ (w / w.sum())) / (w / w.sum())))
    w = w / w.sum()
    ci = max(lam - n, 0.0) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(w, lam, ci, cr, method)


def ahp_weights(matrix: object, method: str = "eigenvector", insist: bool = False) -> AhpResult:
    """Weights to apply; refused when CR > 0.10 unless insist=True."""
    result = ahp_consistency(matrix, method)
    if not result.consistent and not insist:
        raise ValidationError(
            f"The comparisons are inconsistent (consistency ratio {result.cr:.3f}, above {CR_LIMIT:.2f}); "
            "revise them, or insist to apply these weights anyway."
        )
    return result


def most_inconsistent(matrix: object, weights: object) -> tuple[int, int, float]:
    """The judgement (i, j), i < j, that disagrees most with the weights all judgements imply:
    the largest |log(a_ij * w_j / w_i)|, with w_i / w_j, the ratio the other judgements suggest."""
    a = check_pairwise(matrix)
    w = np.asarray(weights, dtype=float)
    n = a.shape[0]
    if n < 2 or w.shape != (n,) or (w <= 0).any():
        raise ValidationError("Most inconsistent judgement: needs two or more items with positive weights.")
    error = np.abs(np.log(a * w[None, :] / w[:, None]))
    error[np.tril_indices(n)] = -1.0
    i, j = (int(x) for x in np.unravel_index(int(np.argmax(error)), error.shape))
    return i, j, float(w[i] / w[j])


def ratio_matrix(weights: object) -> np.ndarray:
    """The judgements that reproduce the given weights exactly (a_ij = w_i / w_j), kept within
    Saaty's 1/9..9; a zero weight counts as a ninth of the smallest positive one."""
    w = np.asarray(weights, dtype=float)
    positive = w[w > 0]
    if w.ndim != 1 or positive.size == 0:
        return np.ones((w.size, w.size))
    w = np.where(w > 0, w, positive.min() / 9)
    return np.asarray(np.clip(w[:, None] / w[None, :], 1 / 9, 9))
