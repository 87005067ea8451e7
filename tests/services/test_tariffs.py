"""Cost lines, tariff scenarios and the tariff cost of each offer, against a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from vendor_eval.cli import main
from vendor_eval.errors import NotFound, ReadOnlyError, ValidationError
from vendor_eval.services import tariffs, vendors
from vendor_eval.storage import Database
from vendor_eval.storage.models import AuditEvent, Evaluation

RFP = "Teleradiology RFP"


@pytest.fixture
def offers(seed: Callable[..., int], imaging_eval: int) -> int:
    return seed("imaging-offers", lambda db: _offers(db, imaging_eval), base="imaging")


def _offers(db: Database, imaging_eval: int) -> int:
    vendors.add_vendor(db, RFP, "Orion Reads", "officer", contract_term_years=5)
    vendors.add_vendor(db, RFP, "Polaris Teleradiology", "officer", contract_term_years=3, escalation_cap_pct=3)
    tariffs.add_cost_line(db, RFP, "Orion Reads", "officer", "professional_services", 100_000, "United States")
    tariffs.add_cost_line(db, RFP, "Orion Reads", "officer", "hardware", "40,000", "China", pass_through=True,
                          imaging_equipment=True)
    tariffs.add_cost_line(db, RFP, "Polaris Teleradiology", "officer", "hardware", 50_000, "Germany",
                          pass_through=True, imaging_equipment=True)
    tariffs.add_cost_line(db, RFP, "Polaris Teleradiology", "officer", "datacentre", 30_000, "Netherlands",
                          pass_through=True)
    assert len(tariffs.create_default_scenarios(db, RFP, "officer")) == 4
    return imaging_eval


def events(db: Database, entity: str) -> list[AuditEvent]:
    with db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.seq)))


def test_tariff_costs_per_vendor_and_scenario(db: Database, offers: int) -> None:
    result = tariffs.compute_tariffs(db, RFP)
    assert result.scenarios == ("Baseline", "US Section 301: 25 % on China", "EU 15 % with imaging exemption",
                                "EU 15 % without exemption")
    orion = result.line("Orion Reads", "US Section 301: 25 % on China")
    assert orion.baseline_total == pytest.approx(140_000 * 5)
    assert orion.increase == pytest.approx(10_000 * 5) and orion.exposure_ratio == pytest.approx(50_000 / 700_000)
    # Polaris: the exemption spares the imaging hardware but not the Dutch data-centre line (4,500 a year);
    # without it 12,000 a year, capped at 3 % of 80,000 compounding: 2,400, 4,872, 7,418.
    assert result.line("Polaris Teleradiology", "EU 15 % with imaging exemption").increase == pytest.approx(
        min(4_500, 2_400) + min(4_500, 4_872) + min(4_500, 80_000 * (1.03**3 - 1)))
    without = result.line("Polaris Teleradiology", "EU 15 % without exemption")
    assert without.increase == pytest.approx(80_000 * (0.03 + (1.03**2 - 1) + (1.03**3 - 1)))


def test_create_defaults_twice_adds_nothing(db: Database, offers: int) -> None:
    assert tariffs.create_default_scenarios(db, RFP, "officer") == []


def test_custom_scenario_and_rate_edit_are_audited(db: Database, offers: int) -> None:
    tariffs.add_scenario(db, RFP, "India 10 %", "India=10%", "officer")
    tariffs.update_scenario(db, RFP, "US Section 301: 25 % on China", "officer", rates={"China": "50%"})
    result = tariffs.compute_tariffs(db, RFP)
    assert result.line("Orion Reads", "US Section 301: 25 % on China").increase == pytest.approx(20_000 * 5)
    changes = [(e.field, json.loads(e.new_value or "null")) for e in events(db, "tariff_scenario")]
    assert ("rates", {"China": 0.5}) in changes
    tariffs.remove_scenario(db, RFP, "India 10 %", "officer")
    assert "India 10 %" not in tariffs.compute_tariffs(db, RFP).scenarios


def test_cost_line_update_remove_and_audit(db: Database, offers: int) -> None:
    line = tariffs.add_cost_line(db, RFP, "Orion Reads", "officer", "software", 5_000, "India")
    tariffs.update_cost_line(db, RFP, line, "officer", annual_amount=7_500, pass_through=True)
    tariffs.remove_cost_line(db, RFP, line, "officer")
    fields = [e.field for e in events(db, "cost_line") if e.entity_id == line]
    assert fields == ["created", "annual_amount", "pass_through", "deleted"]
    with pytest.raises(NotFound):
        tariffs.remove_cost_line(db, RFP, line, "officer")


@pytest.mark.parametrize("kwargs, message", [
    ({"category": "snacks"}, "cost category must be one of"),
    ({"annual_amount": -1}, "zero or more"),
    ({"annual_amount": "lots"}, "must be a number"),
    ({"currency": "dollars"}, "three-letter code"),
])
def test_bad_cost_lines_are_refused(db: Database, offers: int, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"category": "hardware", "annual_amount": 1_000, **kwargs}
    with pytest.raises(ValidationError, match=message):
        tariffs.add_cost_line(db, RFP, "Orion Reads", "officer", **args)  # type: ignore[arg-type]


def test_bad_rates_are_refused(db: Database, offers: int) -> None:
    with pytest.raises(ValidationError, match="ORIGIN=RATE"):
        tariffs.add_scenario(db, RFP, "Odd", "China 25", "officer")
    with pytest.raises(ValidationError, match="rate for 'China'"):
        tariffs.add_scenario(db, RFP, "Odd", {"China": -0.25}, "officer")


def test_finalised_evaluation_refuses_changes(db: Database, offers: int) -> None:
    with db.write() as s:
        evaluation = s.get(Evaluation, offers)
        assert evaluation is not None
        evaluation.status, evaluation.finalised_by = "finalised", "chair"
    with pytest.raises(ReadOnlyError):
        tariffs.add_cost_line(db, RFP, "Orion Reads", "officer", "software", 1, "India")
    with pytest.raises(ReadOnlyError):
        tariffs.update_scenario(db, RFP, "Baseline", "officer", rates="China=1%")
    assert tariffs.compute_tariffs(db, RFP).lines  # reading still works


def test_cli_tariffs_and_scenarios(db: Database, offers: int, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "add", RFP, "--db", str(db_path), "--name", "Tariff war", "--rates", "China=60%,EU=30%"]) == 0
    assert main(["cost-line", "add", RFP, "--db", str(db_path), "--vendor", "Orion Reads", "--category", "software",
                 "--amount", "1000", "--origin", "India"]) == 0
    capsys.readouterr()
    assert main(["tariffs", RFP, "--db", str(db_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "Tariff war" in out["scenarios"]
    war = next(x for x in out["lines"] if x["vendor"] == "Orion Reads" and x["scenario"] == "Tariff war")
    assert war["increase"] == pytest.approx(40_000 * 0.6 * 5)
