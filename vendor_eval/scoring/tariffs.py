"""Tariff scenarios: what each vendor's offer costs over the contract term under trade policy.

Model (stated so the report can name it):
- a vendor's annual cost is the sum of its cost lines; the baseline total is that times the term;
- only pass-through lines reach the buyer: each bears the scenario's rate for its origin
  (an exact country key beats "EU"); imaging-equipment lines bear nothing when the scenario
  grants the imaging exemption; lines the vendor absorbs cost the buyer nothing extra;
- an escalation cap c limits the contract year y (1, 2, ...) price to baseline x (1 + c)^y;
- a fractional term counts its last year pro rata.
Exposure ratio = increase over baseline / baseline total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vendor_eval.domain import Snapshot
from vendor_eval.errors import ValidationError
from vendor_eval.scoring.results import TariffLine, TariffResult
from vendor_eval.scoring.tariff_defaults import origin_matches

MODEL = "pass-through lines x origin rate, capped by the escalation cap, over the contract term"


@dataclass(frozen=True)
class CostItem:
    annual_amount: float
    origin: str
    pass_through: bool
    imaging_equipment: bool
    currency: str = "USD"


@dataclass(frozen=True)
class VendorCosts:
    vendor_id: int
    name: str
    term_years: float
    escalation_cap_pct: float | None
    items: tuple[CostItem, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    rates: dict[str, float]
    imaging_exemption: bool


def check_scenario(s: Scenario) -> None:
    for origin, rate in s.rates.items():
        if not isinstance(rate, (int, float)) or not math.isfinite(rate) or rate < 0 or rate > 10:
            raise ValidationError(
                f"Scenario {s.name!r}: the rate for {origin!r} must be a fraction from 0 to 10 (0.25 = 25 %), "
                f"got {rate!r}."
            )


def rate_for(s: Scenario, item: CostItem) -> float:
    if s.imaging_exemption and item.imaging_equipment:
        return 0.0
    exact = [r for k, r in s.rates.items() if k.strip().lower() != "eu" and origin_matches(k, item.origin)]
    if exact:
        return float(exact[0])
    regional = [r for k, r in s.rates.items() if k.strip().lower() == "eu" and origin_matches(k, item.origin)]
    return float(regional[0]) if regional else 0.0


def term_total(annual: float, uplift: float, term: float, cap_pct: float | None) -> float:
    years = math.ceil(term - 1e-9)
    total = 0.0
    for y in range(1, years + 1):
        cost = annual + uplift
        if cap_pct is not None:
            cost = min(cost, annual * (1.0 + cap_pct / 100.0) ** y)
        total += cost * min(1.0, term - (y - 1))
    return total


def _check_vendor(v: VendorCosts) -> str:
    if not math.isfinite(v.term_years) or v.term_years <= 0:
        raise ValidationError(f"{v.name}'s contract term must be more than zero years, got {v.term_years:g}.")
    if v.escalation_cap_pct is not None and (not math.isfinite(v.escalation_cap_pct) or v.escalation_cap_pct < 0):
        raise ValidationError(f"{v.name}'s escalation cap cannot be negative, got {v.escalation_cap_pct:g}.")
    currencies = {i.currency for i in v.items}
    if len(currencies) > 1:
        raise ValidationError(f"{v.name}'s cost lines mix currencies ({', '.join(sorted(currencies))}); "
                              "convert them to one currency first.")
    for i in v.items:
        if not math.isfinite(i.annual_amount) or i.annual_amount < 0:
            raise ValidationError(f"{v.name} has a cost line of {i.annual_amount:g}; amounts must be zero or more.")
    return currencies.pop() if currencies else "USD"


def tariff_costs(evaluation: str, vendors: Sequence[VendorCosts], scenarios: Sequence[Scenario]) -> TariffResult:
    if not scenarios:
        raise ValidationError("There are no tariff scenarios; create the default ones first.")
    for s in scenarios:
        check_scenario(s)
    lines: list[TariffLine] = []
    notes: list[str] = []
    for v in vendors:
        currency = _check_vendor(v)
        if not v.items:
            notes.append(f"{v.name} has no cost lines; its tariff exposure is unknown, not zero.")
            continue
        annual = sum(i.annual_amount for i in v.items)
        baseline = annual * v.term_years
        for s in scenarios:
            uplift = sum(i.annual_amount * rate_for(s, i) for i in v.items if i.pass_through)
            total = term_total(annual, uplift, v.term_years, v.escalation_cap_pct)
            increase = total - baseline
            lines.append(TariffLine(v.vendor_id, v.name, s.name, v.term_years, annual, total, baseline, increase,
                                    increase / baseline if baseline > 0 else 0.0, currency))
    return TariffResult(evaluation, tuple(s.name for s in scenarios), tuple(lines), tuple(notes))


def tariffs_snapshot(snap: Snapshot) -> TariffResult:
    """The tariff costs of every offer in a Snapshot (the one mapping from stored cost lines)."""
    items: dict[int, list[CostItem]] = {v.id: [] for v in snap.vendors}
    for x in snap.cost_lines:
        items[x.vendor_id].append(CostItem(x.annual_amount, x.origin_country, x.pass_through, x.imaging_equipment,
                                           x.currency))
    vendors = [VendorCosts(v.id, v.name, v.contract_term_years, v.escalation_cap_pct, tuple(items[v.id]))
               for v in snap.vendors]
    scenarios = [Scenario(t.name, dict(t.rates), t.imaging_exemption) for t in snap.tariff_scenarios]
    return tariff_costs(snap.evaluation.name, vendors, scenarios)
