"""Services behind the app's tree editing, cost dialog and finalise checks: one transaction each."""

from __future__ import annotations

import re

import pytest

from vendor_eval.errors import ValidationError
from vendor_eval.services import criteria, evaluators, lifecycle, scores, tariffs, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database


def test_groups_are_renamed_moved_and_removed_with_their_criteria(db: Database, imaging_eval: int) -> None:
    snap = load_snapshot(db, imaging_eval)
    first, second = snap.groups[0], snap.groups[1]
    criteria.update_group(db, imaging_eval, first.id, "officer", name="Turnaround")
    criteria.move_group(db, imaging_eval, first.id, 1, "officer")
    after = load_snapshot(db, imaging_eval)
    assert [g.id for g in after.groups[:2]] == [second.id, first.id]
    assert after.groups[1].name == "Turnaround"
    with pytest.raises(ValidationError, match="already a group named"):
        criteria.update_group(db, imaging_eval, first.id, "officer", name=second.name)
    members = [c.id for c in after.criteria if c.group_id == first.id]
    criteria.remove_group(db, imaging_eval, first.id, "officer")
    final = load_snapshot(db, imaging_eval)
    assert first.id not in {g.id for g in final.groups}
    assert not set(members) & {c.id for c in final.criteria}
    assert [g.position for g in final.groups] == list(range(len(final.groups)))


def test_a_criterion_is_added_with_every_field_or_not_at_all(db: Database, imaging_eval: int) -> None:
    group = load_snapshot(db, imaging_eval).groups[0].id
    rule = {"kind": "thresholds", "better": "lower", "thresholds": [[30, 10], [60, 5]], "otherwise": 0}
    cid = criteria.add_criterion(db, imaging_eval, group, "Door-to-read time", "officer", weight=5, scale_max=10,
                                 knockout=True, knockout_min=4.0, scoring_rule=rule, descriptors={"10": "Fast"})
    c = next(x for x in load_snapshot(db, imaging_eval).criteria if x.id == cid)
    assert (c.scale_max, c.knockout_min, c.scoring_rule, c.descriptors) == (10.0, 4.0, rule, {"10": "Fast"})
    before = len(load_snapshot(db, imaging_eval).criteria)
    with pytest.raises(ValidationError, match="scoring rule of 'Broken' is not valid"):
        criteria.add_criterion(db, imaging_eval, group, "Broken", "officer",
                               scoring_rule={"kind": "thresholds", "better": "sideways", "thresholds": [[1, 1]]})
    with pytest.raises(ValidationError, match="must lie on its scale 0-5"):
        criteria.add_criterion(db, imaging_eval, group, "Off scale", "officer", knockout=True, knockout_min=9.0)
    assert len(load_snapshot(db, imaging_eval).criteria) == before  # neither half-added


def test_a_new_scale_must_hold_the_scores_already_given(db: Database, imaging_eval: int) -> None:
    vendor = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    ev = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    from vendor_eval.services import declarations

    declarations.declare(db, imaging_eval, ev, [], "officer")
    c = load_snapshot(db, imaging_eval).criteria[1]
    scores.record_score(db, imaging_eval, ev, vendor, c.id, 5, "officer")
    with pytest.raises(ValidationError, match="1 score"):
        criteria.update_criterion(db, imaging_eval, c.id, "officer", scale_max=4.0)
    criteria.update_criterion(db, imaging_eval, c.id, "officer", scale_min=1.0, scale_max=10.0)
    again = next(x for x in load_snapshot(db, imaging_eval).criteria if x.id == c.id)
    assert (again.scale_min, again.scale_max) == (1.0, 10.0)


def test_save_costs_checks_every_row_before_writing_any(db: Database, imaging_eval: int) -> None:
    vendor = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    good = {"id": None, "vendor": vendor, "category": "hardware", "annual_amount": "1,000", "currency": "usd",
            "origin_country": "China", "description": "Gateways", "pass_through": True, "imaging_equipment": False}
    bad_scenario = {"id": None, "name": "Tariff war", "rates": "China=lots", "imaging_exemption": False}
    with pytest.raises(ValidationError, match="'China' must be a number or a percentage"):
        tariffs.save_costs(db, imaging_eval, "officer", lines=[good], scenarios=[bad_scenario])
    snap = load_snapshot(db, imaging_eval)
    assert snap.cost_lines == () and snap.tariff_scenarios == ()  # the good line was not written either
    tariffs.save_costs(db, imaging_eval, "officer", lines=[good],
                       scenarios=[{**bad_scenario, "rates": "China=30%"}])
    snap = load_snapshot(db, imaging_eval)
    [line] = snap.cost_lines
    assert (line.annual_amount, line.currency, line.pass_through) == (1000.0, "USD", True)
    [scenario] = snap.tariff_scenarios
    assert scenario.rates == {"China": 0.30}
    tariffs.save_costs(db, imaging_eval, "officer", removed_lines=[line.id],
                       scenarios=[{"id": scenario.id, "name": "Tariff war", "rates": "China=10%, EU=5%",
                                   "imaging_exemption": True}])
    snap = load_snapshot(db, imaging_eval)
    assert snap.cost_lines == ()
    assert (snap.tariff_scenarios[0].rates, snap.tariff_scenarios[0].imaging_exemption) == (
        {"China": 0.10, "EU": 0.05}, True)


def test_finalise_checks_name_what_blocks_and_what_to_weigh(db: Database, scored_eval: int) -> None:
    snap = load_snapshot(db, scored_eval)
    checks = lifecycle.finalise_checks(snap)
    assert [c.level for c in checks] == ["warning", "ok"]
    assert "1 of 1 evaluator has not submitted their scores: Dr. Ana Ruiz." in checks[0].text
    one = snap.scores[0]
    scores.clear_score(db, scored_eval, one.evaluator_id, one.vendor_id, one.criterion_id, "officer")
    blocked = lifecycle.check_finalise(db, scored_eval)
    assert blocked[0].level == "blocker" and blocked[0].fix == "settings"
    assert blocked[0].text.startswith("1 cell has no score and the missing-score policy is 'block'")
    with pytest.raises(ValidationError):  # what the check says blocks, finalise refuses
        lifecycle.finalise(db, scored_eval, "officer")


@pytest.fixture
def scored_eval(db: Database, imaging_eval: int) -> int:
    alpha = vendors.add_vendor(db, imaging_eval, "Alpha Reads", "officer")
    beta = vendors.add_vendor(db, imaging_eval, "Beta Imaging", "officer")
    ev = evaluators.add_evaluator(db, imaging_eval, "Dr. Ana Ruiz", "officer")
    from vendor_eval.services import declarations

    declarations.declare(db, imaging_eval, ev, [], "officer")
    for c in load_snapshot(db, imaging_eval).criteria:
        scores.record_score(db, imaging_eval, ev, alpha, c.id, c.scale_max, "officer")
        scores.record_score(db, imaging_eval, ev, beta, c.id, c.scale_max - 1, "officer")
    criteria.normalise_weights(db, imaging_eval, "officer")
    return imaging_eval


def test_a_criterion_renamed_to_a_name_in_use_is_refused_in_a_sentence(db: Database, imaging_eval: int) -> None:
    first, second = load_snapshot(db, imaging_eval).criteria[:2]
    with pytest.raises(ValidationError, match=re.escape(f"already a criterion named '{second.name}'")):
        criteria.update_criterion(db, imaging_eval, first.id, "officer", name=second.name)
    criteria.update_criterion(db, imaging_eval, first.id, "officer", name=first.name)  # its own name: no change
    assert load_snapshot(db, imaging_eval).criteria[0].name == first.name


def test_a_scenario_named_by_a_digit_like_character_is_not_found_rather_than_a_crash(
        db: Database, imaging_eval: int) -> None:
    from vendor_eval.errors import NotFound

    with pytest.raises(NotFound, match="no tariff scenario '²'"):
        tariffs.remove_scenario(db, imaging_eval, "²", "officer")
