"""Bad input gets one clear sentence (ValidationError), never a wrong number or a division by zero."""

from __future__ import annotations

import numpy as np
import pytest

from vendor_eval.errors import ValidationError
from vendor_eval.scoring.ahp import ahp_consistency
from vendor_eval.scoring.checks import check_weights
from vendor_eval.scoring.normalise import check_in_scale, linear_minmax
from vendor_eval.scoring.price import price_scores
from vendor_eval.scoring.sensitivity import smaa
from vendor_eval.scoring.topsis import topsis
from vendor_eval.scoring.weighted import weighted_sum
from vendor_eval.scoring.weights import hierarchical_weights


def test_nan_in_a_decision_matrix() -> None:
    with pytest.raises(ValidationError, match=r"NaN\) in row 2, column 1"):
        topsis([[1.0, 2.0], [np.nan, 3.0]], [1, 1], [False, False])


def test_out_of_scale_score_names_the_cell() -> None:
    with pytest.raises(ValidationError, match="6 for Vendor B on 'SLA' lies outside the scale 0-5"):
        check_in_scale(np.array([[3.0], [6.0]]), np.array([0.0]), np.array([5.0]), ["Vendor A", "Vendor B"], ["SLA"])


@pytest.mark.parametrize("weights, message", [
    ([1.0, -0.5], "must be a finite number of zero or more"),
    ([0.0, 0.0], "All weights are zero"),
    ([1.0, np.nan], "must be a finite number"),
    ([1.0], "1 weights for 2 criteria"),
])
def test_bad_weights(weights: list[float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_weights(weights, 2)


def test_hierarchical_weights_refuse_negative_and_all_zero() -> None:
    with pytest.raises(ValidationError, match="group 'SLA' must be zero or more"):
        hierarchical_weights([-1.0], ["SLA"], [1.0], [0], ["c"])
    with pytest.raises(ValidationError, match="All weights are zero"):
        hierarchical_weights([0.0, 0.0], ["A", "B"], [1.0, 1.0], [0, 1], ["a", "b"])
    with pytest.raises(ValidationError, match="has a weight but all its criteria weigh zero"):
        hierarchical_weights([50.0, 50.0], ["A", "B"], [1.0, 0.0], [0, 1], ["a", "b"])


def test_hierarchical_weights_multiply_down() -> None:
    # Groups 60/40 (entered as 30/20); criteria 1:3 within the first group, 1 alone in the second.
    w = hierarchical_weights([30.0, 20.0], ["A", "B"], [10.0, 30.0, 7.0], [0, 0, 1], ["a1", "a2", "b1"])
    assert w == pytest.approx([0.6 * 0.25, 0.6 * 0.75, 0.4])


@pytest.mark.parametrize("matrix, message", [
    ([[1, 3], [1 / 2, 1]], "not reciprocal"),
    ([[1, -3], [-1 / 3, 1]], "positive number"),
    ([[1, 0], [0, 1]], "positive number"),
    ([[2, 3], [1 / 3, 1]], "diagonal"),
    ([[1, 2, 3], [1 / 2, 1, 4]], "square"),
    ([[1, np.nan], [np.nan, 1]], "positive number"),
])
def test_ahp_rejects_malformed_matrices(matrix: list[list[float]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ahp_consistency(matrix)


@pytest.mark.parametrize("price", [0.0, -10.0, np.inf])
def test_price_of_zero_or_below_is_refused(price: float) -> None:
    with pytest.raises(ValidationError, match="B's price .* must be above zero"):
        price_scores([100.0, price], ["A", "B"])


def test_empty_matrix() -> None:
    with pytest.raises(ValidationError, match="empty"):
        topsis(np.zeros((0, 3)), [1, 1, 1], [False] * 3)


def test_empty_scale_is_refused() -> None:
    with pytest.raises(ValidationError, match="'Uptime' has an empty scale"):
        linear_minmax(np.array([[1.0]]), [5.0], [5.0], ["max"], ["Uptime"])


def test_block_policy_refuses_missing_cells() -> None:
    with pytest.raises(ValidationError, match="1 scores are missing"):
        weighted_sum(np.array([[0.5, np.nan]]), np.array([0.5, 0.5]), "block")


def test_smaa_sample_count_is_bounded() -> None:
    with pytest.raises(ValidationError, match="number of samples"):
        smaa(np.eye(2), [0.5, 0.5], samples=0)


def test_degenerate_inputs_give_defined_results() -> None:
    # A zero column in TOPSIS separates nobody; all vendors equal everywhere is a tie at 0.5.
    closeness = topsis([[0.0, 1.0], [0.0, 3.0]], [0.5, 0.5], [False, False])
    assert closeness == pytest.approx([0.0, 1.0])
    assert topsis([[2.0, 2.0], [2.0, 2.0]], [1, 1], [False, False]) == pytest.approx([0.5, 0.5])
    # A criterion on which every vendor scored the same adds the same to everyone.
    n = linear_minmax(np.array([[3.0, 1.0], [3.0, 4.0]]), [0, 0], [5, 5], ["max", "max"], ["a", "b"])
    assert np.isfinite(weighted_sum(n, np.array([0.5, 0.5])).total).all()


def test_renormalise_names_the_vendor_with_no_score_at_all() -> None:
    matrix = np.array([[0.5, 1.0], [np.nan, np.nan]])
    with pytest.raises(ValidationError, match=r"^Quillon Reads has no score yet on any weighted criterion"):
        weighted_sum(matrix, np.array([0.5, 0.5]), "renormalise", ["Northwind Teleradiology", "Quillon Reads"])
