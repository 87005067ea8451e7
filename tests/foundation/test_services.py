"""Services: evaluations from templates, weights, vendors, scores and their audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from vendor_eval.errors import ConflictError, NotFound, ValidationError
from vendor_eval.services import criteria, evaluations, evaluators, scores, vendors
from vendor_eval.services.snapshot import load_snapshot
from vendor_eval.storage import Database
from vendor_eval.storage.audit import verify_chain
from vendor_eval.storage.models import AuditEvent, Score

pytestmark = pytest.mark.both_engines


def _events(db: Database, entity: str | None = None) -> list[AuditEvent]:
    with db.read() as s:
        query = select(AuditEvent).order_by(AuditEvent.evaluation_id, AuditEvent.seq)
        if entity:
            query = query.where(AuditEvent.entity == entity)
        return list(s.scalars(query))


@pytest.fixture
def panel(seed: Callable[..., int], imaging_eval: int) -> int:
    return seed("imaging-panel", lambda db: _panel(db, imaging_eval), base="imaging")


def _panel(db: Database, imaging_eval: int) -> int:
    vendors.add_vendor(db, imaging_eval, "Borealis Reading Group", "officer", deployment_model="onshore")
    evaluators.add_evaluator(db, imaging_eval, "Dr Ames", "officer", role="Radiology chair")
    return imaging_eval


def test_evaluation_from_template_copies_groups_criteria_and_weights(db: Database, imaging_eval: int) -> None:
    snap = load_snapshot(db, "Teleradiology RFP")  # found by exact name as well as by id
    assert snap.evaluation.id == imaging_eval
    assert len(snap.groups) >= 10 and len(snap.criteria) >= 45
    assert sum(g.weight for g in snap.groups) == pytest.approx(100)
    gate = next(c for c in snap.criteria if c.key == "sla.stat_commitment")
    assert gate.knockout and gate.knockout_min == 1 and gate.weight == 0 and gate.descriptors["1"]
    stat = next(c for c in snap.criteria if c.key == "sla.stat_turnaround")
    assert not stat.knockout and stat.answer_integer and stat.provide and stat.descriptors["5"]


def test_duplicate_names_and_unknown_templates_are_refused(db: Database, imaging_eval: int) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        evaluations.create_from_template(db, "Generic services RFP", "Teleradiology RFP", "officer")
    with pytest.raises(ValidationError, match="There is no template 'Nope'"):
        evaluations.create_from_template(db, "Nope", "Other", "officer")


def test_every_score_change_is_audited_with_old_and_new_values(db: Database, panel: int) -> None:
    scores.record_score(db, panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround", 3, "ames")
    scores.record_score(db, panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround", "4,5", "ames",
                        comment="15 min STAT in the contract")
    events = _events(db, "score")
    values = [(json.loads(e.old_value) if e.old_value else None, json.loads(e.new_value))
              for e in events if e.field == "value"]
    assert [(o and o["value"], n["value"]) for o, n in values] == [(None, 3.0), (3.0, 4.5)]
    assert all(e.actor == "ames" for e in events)
    assert [json.loads(e.new_value) for e in events if e.field == "comment"] == ["15 min STAT in the contract"]


def test_a_refused_score_leaves_the_previous_value_in_place(db: Database, panel: int) -> None:
    cell = (panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround")
    scores.record_score(db, *cell, 4, "ames")
    before = len(_events(db))
    for bad, message in ((7, "between 0 and 5, got 7"), ("fast", "must be a number, got 'fast'"),
                         (float("nan"), "finite"), (True, "must be a number")):
        with pytest.raises(ValidationError, match=message):
            scores.record_score(db, *cell, bad, "ames")
    with db.read() as s:
        assert [x.value for x in s.scalars(select(Score))] == [4.0]
    assert len(_events(db)) == before


def test_unknown_members_are_named(db: Database, panel: int) -> None:
    with pytest.raises(NotFound, match="no vendor 'Ghost Imaging'"):
        scores.record_score(db, panel, "Dr Ames", "Ghost Imaging", "sla.stat_turnaround", 3, "ames")
    with pytest.raises(NotFound, match="no criterion 'sla.nope'"):
        scores.record_score(db, panel, "Dr Ames", "Borealis Reading Group", "sla.nope", 3, "ames")


def test_stale_writer_gets_a_conflict_instead_of_overwriting(db: Database, panel: int) -> None:
    cell = (panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround")
    first = scores.record_score(db, *cell, 2, "ames", expected_version=0)
    scores.record_score(db, *cell, 3, "ames", expected_version=first.version)
    with pytest.raises(ConflictError, match="Someone else changed"):
        scores.record_score(db, *cell, 5, "other", expected_version=first.version)
    assert load_snapshot(db, panel).scores[0].value == 3.0


def test_weights_are_validated_and_normalised_on_request(db: Database, imaging_eval: int) -> None:
    snap = load_snapshot(db, imaging_eval)
    group = snap.groups[0]
    with pytest.raises(ValidationError, match="must be zero or more, got -1"):
        criteria.set_group_weight(db, imaging_eval, group.id, -1, "officer")
    criteria.set_group_weight(db, imaging_eval, group.id, group.weight + 30, "officer")
    after = load_snapshot(db, imaging_eval)
    assert sum(g.weight for g in after.groups) == pytest.approx(130)  # no silent rescaling
    criteria.normalise_weights(db, imaging_eval, "officer")
    normalised = load_snapshot(db, imaging_eval)
    assert sum(g.weight for g in normalised.groups) == pytest.approx(100)
    assert normalised.groups[0].weight == pytest.approx((group.weight + 30) * 100 / 130)


def test_a_group_whose_weights_sum_to_zero_cannot_be_normalised(db: Database, imaging_eval: int) -> None:
    snap = load_snapshot(db, imaging_eval)
    group = snap.groups[1]
    members = {c.id: 0 for c in snap.criteria if c.group_id == group.id}
    criteria.set_weights(db, imaging_eval, members, "officer")
    with pytest.raises(ValidationError, match=f"group '{group.name}' sum to zero"):
        criteria.normalise_weights(db, imaging_eval, "officer")
    # and the refused normalisation changed nothing, not even the other groups
    assert load_snapshot(db, imaging_eval).groups == snap.groups


def test_audit_chain_is_intact_after_a_session_of_edits(db: Database, panel: int) -> None:
    scores.record_score(db, panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround", 3, "ames")
    vendors.update_vendor(db, panel, "Borealis Reading Group", "officer", hq_country="Canada")
    criteria.normalise_weights(db, panel, "officer")
    events = _events(db)
    assert len(events) >= 4
    assert verify_chain(events) is None


def test_duplicate_copies_setup_but_not_scores(db: Database, panel: int) -> None:
    scores.record_score(db, panel, "Dr Ames", "Borealis Reading Group", "sla.stat_turnaround", 3, "ames")
    copy_id = evaluations.duplicate_evaluation(db, panel, "Teleradiology RFP (copy)", "officer")
    copy = load_snapshot(db, copy_id)
    assert [v.name for v in copy.vendors] == ["Borealis Reading Group"]
    assert [e.name for e in copy.evaluators] == ["Dr Ames"]
    assert copy.scores == ()
    assert len(copy.criteria) == len(load_snapshot(db, panel).criteria)


def test_save_as_template_round_trips_into_a_new_evaluation(db: Database, imaging_eval: int, tmp_path: Path) -> None:
    criteria.set_group_weight(db, imaging_eval, load_snapshot(db, imaging_eval).groups[0].id, 40, "officer")
    path = evaluations.save_as_template(db, imaging_eval, "Our imaging template", tmp_path / "ours.json")
    new_id = evaluations.create_from_template(db, path, "Next year's RFP", "officer")
    assert load_snapshot(db, new_id).groups[0].weight == 40


def test_a_batch_of_scores_is_all_or_nothing(db: Database, panel: int) -> None:
    vendors.add_vendor(db, panel, "Cobalt Teleradiology", "officer")
    good = [scores.ScoreInput("Dr Ames", name, "sla.stat_turnaround", 4, "ok")
            for name in ("Borealis Reading Group", "Cobalt Teleradiology")]
    bad = scores.ScoreInput("Dr Ames", "Cobalt Teleradiology", "security.baa_dpa", 9)
    with pytest.raises(ValidationError, match="between 0 and 1, got 9"):  # a pass/fail gate
        scores.record_scores(db, panel, [*good, bad], "ames")
    assert load_snapshot(db, panel).scores == ()
    assert scores.record_scores(db, panel, good, "ames") == 2
    assert sorted(x.value for x in load_snapshot(db, panel).scores) == [4.0, 4.0]
    assert len(_events(db, "score")) == 4  # a value and a comment event per cell
