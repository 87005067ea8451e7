"""Cost lines and tariff scenarios of an evaluation, and the tariff cost of each offer.

Every change is one audited transaction and is refused on a finalised evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.errors import NotFound, ValidationError
from vendor_eval.scoring import tariffs as model
from vendor_eval.scoring.results import TariffResult
from vendor_eval.scoring.tariff_defaults import DEFAULT_SCENARIOS
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    CostLine,
    Evaluation,
    TariffScenario,
    Vendor,
)
from vendor_eval.vocabulary import COST_CATEGORIES

LINE_FIELDS = ("category", "description", "annual_amount", "currency", "origin_country", "pass_through",
               "imaging_equipment")


MAX_AMOUNT = 1e12  # a trillion a year: beyond any contract, and sums of such stay finite

def _amount(value: Any) -> float:
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"An annual amount must be a number, got {value!r}.") from None
    if not math.isfinite(number) or number < 0:
        raise ValidationError(f"An annual amount must be zero or more, got {value!r}.")
    if number > MAX_AMOUNT:
        raise ValidationError(f"An annual amount must be at most {MAX_AMOUNT:,.0f}, got {value!r}.")
    return number


def check_line(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "category":
            if value not in COST_CATEGORIES:
                raise ValidationError(f"A cost category must be one of {', '.join(COST_CATEGORIES)}, got {value!r}.")
        elif field == "annual_amount":
            value = _amount(value)
        elif field == "currency":
            value = str(value).strip().upper()
            if len(value) != 3 or not value.isalpha():
                raise ValidationError(f"A currency is a three-letter code such as USD or EUR, got {value!r}.")
        elif field in ("description", "origin_country"):
            value = str(value).strip()
        elif field in ("pass_through", "imaging_equipment"):
            if not isinstance(value, bool):
                raise ValidationError(f"{field} must be true or false, got {value!r}.")
        else:
            raise ValidationError(f"{field!r} is not part of a cost line.")
        clean[field] = value
    return clean


def _line(s: Session, evaluation: Evaluation, line_id: int) -> tuple[CostLine, Vendor]:
    line = s.get(CostLine, line_id)
    vendor = s.get(Vendor, line.vendor_id) if line is not None else None
    if line is None or vendor is None or vendor.evaluation_id != evaluation.id:
        raise NotFound(f"The evaluation has no cost line {line_id}.")
    return line, vendor


def add_cost_line(db: Database, ref: Ref, vendor: Ref, actor: str, category: str, annual_amount: Any,
                  origin_country: str = "", pass_through: bool = False, imaging_equipment: bool = False,
                  description: str = "", currency: str = "USD") -> int:
    fields = check_line({"category": category, "annual_amount": annual_amount, "origin_country": origin_country,
                          "pass_through": pass_through, "imaging_equipment": imaging_equipment,
                          "description": description, "currency": currency})
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        v = get_member(s, Vendor, evaluation.id, vendor)
        position = s.scalar(select(func.count()).where(CostLine.vendor_id == v.id)) or 0
        line = CostLine(vendor_id=v.id, position=position, **fields)
        s.add(line)
        s.flush()
        audit.record(s, evaluation.id, actor, "cost_line", line.id, "created", None, {"vendor": v.name, **fields})
        return line.id


def update_cost_line(db: Database, ref: Ref, line_id: int, actor: str, **changes: Any) -> None:
    fields = check_line(changes)
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        line, _ = _line(s, evaluation, line_id)
        for field, value in fields.items():
            audit.set_field(s, evaluation.id, actor, "cost_line", line, field, value)


def remove_cost_line(db: Database, ref: Ref, line_id: int, actor: str) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        line, vendor = _line(s, evaluation, line_id)
        audit.record(s, evaluation.id, actor, "cost_line", line.id, "deleted",
                     {"vendor": vendor.name, **{f: getattr(line, f) for f in LINE_FIELDS}}, None)
        s.delete(line)


def parse_rates(rates: Any) -> dict[str, float]:
    """{origin: fraction}; accepts "China=25%,EU=0.15" as well as a dict (percent strings or fractions)."""
    if isinstance(rates, str):
        pairs: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in rates.split(","))):
            origin, sep, value = part.partition("=")
            if not sep or not origin.strip():
                raise ValidationError(f"Write tariff rates as ORIGIN=RATE, e.g. China=25% or EU=0.15; got {part!r}.")
            pairs[origin.strip()] = value.strip()
        rates = pairs
    if not isinstance(rates, dict):
        raise ValidationError("Tariff rates must map an origin to a rate.")
    clean: dict[str, float] = {}
    for origin, value in rates.items():
        text = str(value).strip()
        try:
            rate = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError:
            raise ValidationError(f"The tariff rate for {origin!r} must be a number or a percentage, "
                                  f"got {value!r}.") from None
        model.check_scenario(model.Scenario("new", {str(origin): rate}, False))
        clean[str(origin).strip()] = rate
    return clean


def _scenario(s: Session, evaluation_id: int, ref: Ref) -> TariffScenario:
    row = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdecimal()):
        row = s.get(TariffScenario, int(ref))
        row = row if row is not None and row.evaluation_id == evaluation_id else None
    if row is None:
        row = s.scalar(select(TariffScenario).where(TariffScenario.evaluation_id == evaluation_id,
                                                    TariffScenario.name == str(ref)))
    if row is None:
        raise NotFound(f"The evaluation has no tariff scenario {ref!r}.")
    return row


def create_default_scenarios(db: Database, ref: Ref, actor: str) -> list[str]:
    """Add the default scenarios the evaluation lacks (by name); returns the names added."""
    added: list[str] = []
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        existing = set(s.scalars(select(TariffScenario.name).where(TariffScenario.evaluation_id == evaluation.id)))
        position = len(existing)
        for spec in DEFAULT_SCENARIOS:
            if spec["name"] in existing:
                continue
            row = TariffScenario(evaluation_id=evaluation.id, name=spec["name"], rates=dict(spec["rates"]),
                                 imaging_exemption=spec["imaging_exemption"], position=position)
            s.add(row)
            s.flush()
            audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "created", None, dict(spec))
            added.append(row.name)
            position += 1
    return added


def add_scenario(db: Database, ref: Ref, name: str, rates: Any, actor: str, imaging_exemption: bool = False) -> int:
    name = str(name).strip()
    if not name or len(name) > 200:
        raise ValidationError("A tariff scenario needs a name of at most 200 characters.")
    clean = parse_rates(rates)
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        if s.scalar(select(TariffScenario.id).where(TariffScenario.evaluation_id == evaluation.id,
                                                    TariffScenario.name == name)) is not None:
            raise ValidationError(f"A tariff scenario named {name!r} already exists.")
        position = s.scalar(select(func.count()).where(TariffScenario.evaluation_id == evaluation.id)) or 0
        row = TariffScenario(evaluation_id=evaluation.id, name=name, rates=clean,
                             imaging_exemption=imaging_exemption, position=position)
        s.add(row)
        s.flush()
        audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "created", None,
                     {"name": name, "rates": clean, "imaging_exemption": imaging_exemption})
        return row.id


def update_scenario(db: Database, ref: Ref, scenario: Ref, actor: str, rates: Any = None,
                    imaging_exemption: bool | None = None) -> None:
    clean = parse_rates(rates) if rates is not None else None
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        row = _scenario(s, evaluation.id, scenario)
        if clean is not None and clean != row.rates:
            audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "rates", dict(row.rates), clean)
            row.rates = clean
        if imaging_exemption is not None and imaging_exemption != row.imaging_exemption:
            audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "imaging_exemption",
                         row.imaging_exemption, imaging_exemption)
            row.imaging_exemption = imaging_exemption


def remove_scenario(db: Database, ref: Ref, scenario: Ref, actor: str) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        row = _scenario(s, evaluation.id, scenario)
        audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "deleted",
                     {"name": row.name, "rates": row.rates, "imaging_exemption": row.imaging_exemption}, None)
        s.delete(row)


def save_costs(db: Database, ref: Ref, actor: str, lines: Sequence[dict[str, Any]] = (),
               removed_lines: Sequence[int] = (), scenarios: Sequence[dict[str, Any]] = (),
               removed_scenarios: Sequence[int] = ()) -> None:
    """Cost lines and tariff scenarios as edited together in one dialog, saved in one transaction:
    every row is checked first, so one bad rate saves nothing and loses nothing.

    A line is {"id": id or None for a new one, "vendor": vendor ref, and the LINE_FIELDS};
    a scenario is {"id": id or None, "name", "rates" (as parse_rates takes), "imaging_exemption"}."""
    checked_lines = [(spec.get("id"), spec.get("vendor"), check_line({k: v for k, v in spec.items() if k in LINE_FIELDS}))
                     for spec in lines]
    checked_scenarios = []
    for spec in scenarios:
        name = str(spec.get("name", "")).strip()
        if not name or len(name) > 200:
            raise ValidationError("A tariff scenario needs a name of at most 200 characters.")
        checked_scenarios.append((spec.get("id"), name, parse_rates(spec.get("rates", {})),
                                  bool(spec.get("imaging_exemption", False))))
    names = [n for _, n, _, _ in checked_scenarios]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise ValidationError(f"Two tariff scenarios are named {twice!r}; give each its own name.")
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        for removed_id in removed_lines:
            line, vendor = _line(s, evaluation, removed_id)
            audit.record(s, evaluation.id, actor, "cost_line", line.id, "deleted",
                         {"vendor": vendor.name, **{f: getattr(line, f) for f in LINE_FIELDS}}, None)
            s.delete(line)
        for gone in removed_scenarios:
            row = _scenario(s, evaluation.id, gone)
            audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "deleted",
                         {"name": row.name, "rates": row.rates, "imaging_exemption": row.imaging_exemption}, None)
            s.delete(row)
        s.flush()
        for stored_id, vendor_ref, fields in checked_lines:
            if stored_id is not None:
                line, _ = _line(s, evaluation, int(stored_id))
                for field, value in fields.items():
                    audit.set_field(s, evaluation.id, actor, "cost_line", line, field, value)
                continue
            if vendor_ref is None:
                raise ValidationError("A new cost line needs the vendor it belongs to.")
            v = get_member(s, Vendor, evaluation.id, vendor_ref)
            position = s.scalar(select(func.count()).where(CostLine.vendor_id == v.id)) or 0
            new_line = CostLine(vendor_id=v.id, position=position, **fields)
            s.add(new_line)
            s.flush()
            audit.record(s, evaluation.id, actor, "cost_line", new_line.id, "created", None, {"vendor": v.name, **fields})
        existing = {r.id: r for r in s.scalars(select(TariffScenario).where(TariffScenario.evaluation_id == evaluation.id))}
        for scenario_id, name, rates, exemption in checked_scenarios:
            if scenario_id is not None:
                row = _scenario(s, evaluation.id, int(scenario_id))
                audit.set_field(s, evaluation.id, actor, "tariff_scenario", row, "name", name)
                audit.set_field(s, evaluation.id, actor, "tariff_scenario", row, "rates", rates)
                audit.set_field(s, evaluation.id, actor, "tariff_scenario", row, "imaging_exemption", exemption)
                continue
            row = TariffScenario(evaluation_id=evaluation.id, name=name, rates=rates, imaging_exemption=exemption,
                                 position=len(existing))
            s.add(row)
            s.flush()
            existing[row.id] = row
            audit.record(s, evaluation.id, actor, "tariff_scenario", row.id, "created", None,
                         {"name": name, "rates": rates, "imaging_exemption": exemption})
        s.flush()  # a duplicate name among stored scenarios fails here, inside the transaction


def compute_tariffs(db: Database, ref: Ref) -> TariffResult:
    """Cost over the term per vendor and scenario, the increase over baseline and the exposure ratio."""
    return model.tariffs_snapshot(load_snapshot(db, ref))
