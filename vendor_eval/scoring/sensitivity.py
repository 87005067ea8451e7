"""How robust is the winner to the weights? Exact critical changes, sweeps and SMAA.

All three work on the qualified vendors' normalised matrix N (vendors x criteria, complete)
and weights w summing to 1, with score S = N @ w (0-1; x 100 for points).

Critical change, exactly: setting criterion k's weight to t and rescaling the others
proportionally, w_j(t) = w_j (1 - t) / (1 - w_k), makes every score linear in t:
    S_v(t) = a_v + t b_v,  a_v = R_v / (1 - w_k),  b_v = N_vk - a_v,  R_v = sum_{j != k} w_j N_vj.
The winner changes where another vendor's line crosses the winner's, so the smallest change
is the nearest crossing in each direction: no stepping, no tolerance on the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vendor_eval.errors import ValidationError
from vendor_eval.scoring.checks import as_matrix, check_weights
from vendor_eval.scoring.ranks import competition_ranks
from vendor_eval.vocabulary import SAMPLINGS


@dataclass(frozen=True)
class Crossing:
    delta_up: float | None
    winner_up: int | None
    delta_down: float | None
    winner_down: int | None


def _lines(n: np.ndarray, w: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    rest = 1.0 - w[k]
    r = n @ w - n[:, k] * w[k]
    a = r / rest
    return a, n[:, k] - a


def critical_changes(normalised: object, weights: object) -> list[Crossing]:
    """Per criterion, the smallest weight change (in share, t - w_k) that hands the win to another vendor."""
    n = as_matrix(normalised, "normalised matrix")
    w = check_weights(weights, n.shape[1])
    winner = int(np.argmax(n @ w))
    out: list[Crossing] = []
    for k in range(n.shape[1]):
        if n.shape[0] < 2 or w[k] >= 1.0 - 1e-12:
            # One vendor, or the only weighted criterion: no proportional rescaling exists.
            out.append(Crossing(None, None, None, None))
            continue
        a, b = _lines(n, w, k)
        db = b - b[winner]
        da = a[winner] - a
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(np.abs(db) > 1e-15, da / db, np.nan)
        t[winner] = np.nan
        # A crossing exactly at 0 % or 100 % only ties: no weight beyond it exists, so it is no change.
        up = (db > 1e-15) & (t >= w[k] - 1e-12) & (t < 1.0 - 1e-12)
        down = (db < -1e-15) & (t <= w[k] + 1e-12) & (t > 1e-12)
        d_up = d_dn = None
        v_up = v_dn = None
        if up.any():
            t_up = float(np.min(t[up]))
            # Several vendors may cross at the same point: the steepest one leads just after it.
            cands = np.flatnonzero(up & np.isclose(t, t_up, rtol=0, atol=1e-12))
            d_up, v_up = max(t_up, w[k]) - w[k], int(cands[np.argmax(b[cands])])
        if down.any():
            t_dn = float(np.max(t[down]))
            cands = np.flatnonzero(down & np.isclose(t, t_dn, rtol=0, atol=1e-12))
            d_dn, v_dn = min(t_dn, w[k]) - w[k], int(cands[np.argmin(b[cands])])
        out.append(Crossing(None if d_up is None else float(d_up), v_up, None if d_dn is None else float(d_dn), v_dn))
    return out


def weights_with(weights: np.ndarray, k: int, t: float) -> np.ndarray:
    """Criterion k set to share t, the others rescaled proportionally (the rule the analysis assumes)."""
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    if not 0.0 <= t <= 1.0:
        raise ValidationError(f"A weight share must be between 0 and 1, got {t:g}.")
    out = w * (1.0 - t) / (1.0 - w[k])
    out[k] = t
    return np.asarray(out)


def sweep(normalised: object, weights: object, points: int = 21) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks and scores (0-100) of every vendor as each weight goes 0 -> 100 %: criteria x points x vendors."""
    n = as_matrix(normalised, "normalised matrix")
    w = check_weights(weights, n.shape[1])
    if points < 2:
        raise ValidationError("A sweep needs at least two points.")
    grid = np.linspace(0.0, 1.0, points)
    scores = np.empty((n.shape[1], points, n.shape[0]))
    for k in range(n.shape[1]):
        if w[k] >= 1.0 - 1e-12:
            # Others have no weight to rescale: share them equally as this weight drops.
            others = np.ones_like(w) / max(n.shape[1] - 1, 1)
            others[k] = 0.0
            scores[k] = (grid[:, None] * n[:, k][None]) + (1 - grid[:, None]) * (n @ others)[None]
        else:
            a, b = _lines(n, w, k)
            scores[k] = a[None] + grid[:, None] * b[None]
    return grid, competition_ranks(scores), 100.0 * scores


def sample_weights(weights: object, samples: int, seed: int, sampling: str = "simplex",
                   bounds: float = 0.25) -> np.ndarray:
    """samples x criteria weight vectors summing to 1, drawn in one vectorised call.

    simplex: Dirichlet(1, ..., 1), uniform on the weight simplex (no prior on the weights);
    local: each weight times U(1 - bounds, 1 + bounds), then renormalised, to explore near the
    committee's weights. Criteria weighted zero stay zero in local sampling.
    """
    if sampling not in SAMPLINGS:
        raise ValidationError(f"Sampling must be one of {', '.join(SAMPLINGS)}, got {sampling!r}.")
    if samples < 1 or samples > 1_000_000:
        raise ValidationError(f"The number of samples must be from 1 to 1,000,000, got {samples}.")
    if not 0.0 < bounds <= 1.0:
        raise ValidationError(f"Local bounds must be above 0 and at most 1 (100 %), got {bounds:g}.")
    w = np.asarray(weights, dtype=float)
    rng = np.random.default_rng(seed)
    if sampling == "simplex":
        return np.asarray(rng.dirichlet(np.ones(w.size), size=samples))
    draws = w[None] * rng.uniform(1.0 - bounds, 1.0 + bounds, size=(samples, w.size))
    return np.asarray(draws / draws.sum(axis=1, keepdims=True))


def smaa(normalised: object, weights: object, samples: int = 10_000, seed: int = 0, sampling: str = "simplex",
         bounds: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Rank-acceptability (vendors x ranks, rows sum to 1) and central weights (vendors x criteria,
    NaN for a vendor that never ranks first). Exact ties are broken by vendor order."""
    n = as_matrix(normalised, "normalised matrix")
    w = check_weights(weights, n.shape[1])
    sampled = sample_weights(w, samples, seed, sampling, bounds)
    scores = sampled @ n.T  # samples x vendors
    order = np.argsort(-scores, axis=1, kind="stable")
    v = n.shape[0]
    rank_of = np.empty_like(order)
    np.put_along_axis(rank_of, order, np.arange(v)[None].repeat(samples, axis=0), axis=1)
    counts = np.bincount((np.arange(v)[None] * v + rank_of).ravel(), minlength=v * v).reshape(v, v)
    acceptability = counts / samples
    first = np.zeros((v, samples))
    first[order[:, 0], np.arange(samples)] = 1.0
    wins = first.sum(axis=1, keepdims=True)
    central = np.divide(first @ sampled, wins, out=np.full((v, n.shape[1]), np.nan), where=wins > 0)
    return acceptability, central
