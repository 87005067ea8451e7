"""Invariants of the ranking and of the sensitivity analysis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vendor_eval.scoring.ranks import competition_ranks
from vendor_eval.scoring.sensitivity import critical_changes, smaa, sweep, weights_with
from vendor_eval.scoring.topsis import topsis
from vendor_eval.scoring.weighted import weighted_sum

SETTINGS = settings(max_examples=50, deadline=None)


@st.composite
def normalised_problems(draw: st.DrawFn, min_vendors: int = 2) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(min_vendors, 6))
    n = draw(st.integers(2, 6))
    matrix = draw(arrays(float, (m, n), elements=st.floats(0.0, 1.0)))
    weights = draw(arrays(float, n, elements=st.floats(0.05, 1.0)))
    return matrix, weights / weights.sum()


def test_ties_share_a_rank() -> None:
    assert competition_ranks(np.array([70.0, 80.0, 70.0, 50.0])).tolist() == [2, 1, 2, 4]


@SETTINGS
@given(normalised_problems(), st.floats(0.01, 1000.0))
def test_scaling_all_weights_keeps_the_ranking(problem: tuple[np.ndarray, np.ndarray], k: float) -> None:
    n, w = problem
    base = competition_ranks(weighted_sum(n, w).total, 100.0)
    scaled = k * w
    assert competition_ranks(weighted_sum(n, scaled / scaled.sum()).total, 100.0).tolist() == base.tolist()
    cost = np.zeros(n.shape[1], dtype=bool)
    assert np.argsort(-topsis(n + 1.0, scaled, cost), kind="stable").tolist() == \
        np.argsort(-topsis(n + 1.0, w, cost), kind="stable").tolist()


@SETTINGS
@given(normalised_problems(), st.data())
def test_dominated_vendor_does_not_reorder_the_others(problem: tuple[np.ndarray, np.ndarray],
                                                      data: st.DataObject) -> None:
    n, w = problem
    victim = data.draw(st.integers(0, n.shape[0] - 1))
    shrink = data.draw(arrays(float, n.shape[1], elements=st.floats(0.0, 1.0)))
    dominated = n[victim] * shrink  # no better than an existing vendor anywhere
    before = weighted_sum(n, w).total
    after = weighted_sum(np.vstack([n, dominated]), w).total
    np.testing.assert_allclose(after[:-1], before)
    assert after[-1] <= before[victim] + 1e-9


@SETTINGS
@given(normalised_problems())
def test_critical_change_flips_the_winner_and_a_smaller_one_does_not(problem: tuple[np.ndarray, np.ndarray]) -> None:
    n, w = problem
    scores = n @ w
    winner = int(np.argmax(scores))
    if np.sum(np.isclose(scores, scores[winner], atol=1e-9)) > 1:
        return  # a tie for first has no single winner to displace
    eps = 1e-6
    for k, c in enumerate(critical_changes(n, w)):
        for delta, new in ((c.delta_up, c.winner_up), (c.delta_down, c.winner_down)):
            if delta is None:
                continue
            t = w[k] + delta
            beyond = np.clip(t + np.sign(delta) * eps, 0.0, 1.0)
            short = w[k] + delta - np.sign(delta) * eps
            if abs(delta) <= eps or not 0.0 <= short <= 1.0:
                continue
            after = n @ weights_with(w, k, beyond)
            before = n @ weights_with(w, k, short)
            assert int(np.argmax(before)) == winner
            assert after[new] > after[winner]


def test_no_critical_change_when_one_vendor_dominates() -> None:
    n = np.array([[1.0, 1.0, 1.0], [0.5, 0.2, 0.9]])
    changes = critical_changes(n, np.array([0.5, 0.3, 0.2]))
    assert all(c.delta_up is None and c.delta_down is None for c in changes)


def test_critical_change_hand_example() -> None:
    # Two vendors, two criteria, weights 0.6 / 0.4: A = (1, 0) scores 0.6, B = (0, 1) scores 0.4.
    # Criterion 0's weight must fall to 0.5 (delta -0.1) for B to draw level; criterion 1 must rise to 0.5.
    n = np.array([[1.0, 0.0], [0.0, 1.0]])
    c0, c1 = critical_changes(n, np.array([0.6, 0.4]))
    assert c0.delta_down == pytest.approx(-0.1) and c0.winner_down == 1 and c0.delta_up is None
    assert c1.delta_up == pytest.approx(0.1) and c1.winner_up == 1 and c1.delta_down is None


def test_sweep_agrees_with_recomputed_weights() -> None:
    rng = np.random.default_rng(3)
    n, w = rng.random((5, 4)), rng.dirichlet(np.ones(4))
    grid, ranks, scores = sweep(n, w, points=11)
    for k in range(4):
        for p, t in enumerate(grid):
            expected = 100 * n @ weights_with(w, k, float(t))
            np.testing.assert_allclose(scores[k, p], expected, atol=1e-9)
            assert ranks[k, p].tolist() == competition_ranks(expected, 100.0).tolist()


def test_smaa_is_seeded_and_matches_a_per_sample_loop() -> None:
    rng = np.random.default_rng(7)
    n, w = rng.random((4, 3)), np.array([0.5, 0.3, 0.2])
    acc, central = smaa(n, w, samples=2000, seed=11)
    acc2, _ = smaa(n, w, samples=2000, seed=11)
    np.testing.assert_array_equal(acc, acc2)
    np.testing.assert_allclose(acc.sum(axis=1), 1.0)
    np.testing.assert_allclose(acc.sum(axis=0), 1.0)
    # The same draws, ranked one sample at a time, give the same acceptability.
    draws = np.random.default_rng(11).dirichlet(np.ones(3), size=2000)
    counts = np.zeros((4, 4))
    wins: list[list[np.ndarray]] = [[] for _ in range(4)]
    for d in draws:
        order = np.argsort(-(n @ d), kind="stable")
        for r, v in enumerate(order):
            counts[v, r] += 1
        wins[order[0]].append(d)
    np.testing.assert_allclose(acc, counts / 2000)
    for v in range(4):
        if wins[v]:
            np.testing.assert_allclose(central[v], np.mean(wins[v], axis=0))
        else:
            assert np.isnan(central[v]).all()


def test_smaa_local_sampling_stays_near_the_weights() -> None:
    n = np.array([[1.0, 0.0], [0.0, 1.0]])
    acc, central = smaa(n, np.array([0.8, 0.2]), samples=500, seed=1, sampling="local", bounds=0.2)
    # Within +/-20 % of 0.8 / 0.2 vendor 0 always wins.
    assert acc[0, 0] == 1.0
    assert central[0] == pytest.approx([0.8, 0.2], abs=0.02)
