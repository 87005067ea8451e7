"""Tariff scenarios on hand-computed offers."""

from __future__ import annotations

import pytest

from vendor_eval.errors import ValidationError
from vendor_eval.scoring.tariff_defaults import DEFAULT_SCENARIOS
from vendor_eval.scoring.tariffs import CostItem, Scenario, VendorCosts, tariff_costs

SCENARIOS = [Scenario(s["name"], dict(s["rates"]), s["imaging_exemption"]) for s in DEFAULT_SCENARIOS]


def vendor(term: float = 5.0, cap: float | None = None) -> VendorCosts:
    return VendorCosts(1, "Orion Reads", term, cap, (
        CostItem(100_000, "United States", False, False),  # professional services
        CostItem(40_000, "China", True, True),  # CT workstation parts, pass-through
        CostItem(20_000, "Germany", True, True),  # imaging hardware, pass-through
        CostItem(10_000, "Germany", False, False),  # data centre, vendor absorbs tariffs
    ))


def test_default_scenarios_without_cap() -> None:
    result = tariff_costs("RFP", [vendor()], SCENARIOS)
    baseline = result.line("Orion Reads", "Baseline")
    assert baseline.total == pytest.approx(170_000 * 5) and baseline.increase == 0
    china = result.line("Orion Reads", "US Section 301: 25 % on China")
    assert china.increase == pytest.approx(40_000 * 0.25 * 5)
    assert china.exposure_ratio == pytest.approx(50_000 / 850_000)
    assert result.line("Orion Reads", "EU 15 % with imaging exemption").increase == 0
    # Without the exemption only the pass-through German line bears 15 %; the absorbed one does not.
    assert result.line("Orion Reads", "EU 15 % without exemption").increase == pytest.approx(20_000 * 0.15 * 5)


def test_escalation_cap_limits_pass_through() -> None:
    # Uplift 10,000 a year on 170,000 (5.9 %); a 3 % cap allows 5,100 in year 1 and 10,353 in year 2.
    line = tariff_costs("RFP", [vendor(term=2, cap=3.0)], SCENARIOS).line("Orion Reads", "US Section 301: 25 % on China")
    assert line.increase == pytest.approx(170_000 * 0.03 + 10_000)


def test_fractional_term_counts_the_last_year_pro_rata() -> None:
    line = tariff_costs("RFP", [vendor(term=2.5)], SCENARIOS).line("Orion Reads", "Baseline")
    assert line.total == pytest.approx(170_000 * 2.5)


def test_vendor_without_cost_lines_is_noted_not_zero() -> None:
    result = tariff_costs("RFP", [VendorCosts(2, "Empty", 3, None, ())], SCENARIOS)
    assert result.lines == () and "Empty has no cost lines" in result.notes[0]


@pytest.mark.parametrize("bad, message", [
    (VendorCosts(1, "X", 0, None, ()), "term must be more than zero"),
    (VendorCosts(1, "X", 3, -1.0, ()), "escalation cap cannot be negative"),
    (VendorCosts(1, "X", 3, None, (CostItem(-5, "China", True, False),)), "amounts must be zero or more"),
    (VendorCosts(1, "X", 3, None, (CostItem(5, "China", True, False, "USD"), CostItem(5, "US", False, False, "EUR"))),
     "mix currencies"),
])
def test_bad_cost_input(bad: VendorCosts, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        tariff_costs("RFP", [bad], SCENARIOS)


def test_bad_rate_is_refused() -> None:
    with pytest.raises(ValidationError, match="rate for 'China'"):
        tariff_costs("RFP", [vendor()], [Scenario("odd", {"China": -0.1}, False)])
