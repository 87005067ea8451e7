"""Read one evaluation whole, in one transaction, as plain data (vendor_eval.domain.Snapshot)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval import domain
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.audit import chain_head
from vendor_eval.storage.models import (
    Answer,
    ConflictDeclaration,
    ConsensusScore,
    CostLine,
    Criterion,
    CriterionGroup,
    Evaluation,
    Evaluator,
    SuggestedScore,
    TariffScenario,
    Vendor,
)


@contextmanager
def gc_paused() -> Iterator[None]:
    """A large evaluation allocates ~10^5 small tuples and nothing cyclic; letting the cyclic
    garbage collector rescan them over and over more than doubled the load time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_snapshot(db: Database, ref: Ref) -> domain.Snapshot:
    with gc_paused(), db.read() as s:
        e = get_evaluation(s, ref)
        info, groups, criteria = _criteria_part(s, e)
        vendors = s.scalars(select(Vendor).where(Vendor.evaluation_id == e.id).order_by(Vendor.position, Vendor.id)).all()
        evaluators = s.scalars(select(Evaluator).where(Evaluator.evaluation_id == e.id)
                               .order_by(Evaluator.position, Evaluator.id)).all()
        vendor_ids = [v.id for v in vendors]
        # Plain driver rows, not ORM objects: a large evaluation has 180,000 scores, and ORM
        # loading cost seconds where a cursor and fromisoformat cost a fraction of one.
        cursor = s.connection().exec_driver_sql(
            "SELECT s.id, s.evaluator_id, s.vendor_id, s.criterion_id, s.value, s.comment, s.updated_at, s.version "
            "FROM score s JOIN evaluator e ON s.evaluator_id = e.id WHERE e.evaluation_id = ? ORDER BY s.id", (e.id,))
        # In chunks: one fetchall() of 180,000 rows holds the GIL for a few hundred ms, which would
        # freeze the window while the GUI re-reads the evaluation in the background.
        scores: list[domain.ScoreEntry] = []
        while chunk := cursor.fetchmany(4096):
            scores += [domain.ScoreEntry(sid, ev, ve, cr, value, comment, datetime.fromisoformat(at), version)
                       for sid, ev, ve, cr, value, comment, at, version in chunk]
        consensus = s.scalars(select(ConsensusScore).where(ConsensusScore.vendor_id.in_(vendor_ids))
                              .order_by(ConsensusScore.id)).all()
        suggestions = s.scalars(select(SuggestedScore).where(SuggestedScore.vendor_id.in_(vendor_ids))).all()
        answers = s.scalars(select(Answer).where(Answer.vendor_id.in_(vendor_ids))).all()
        cost_lines = s.scalars(select(CostLine).where(CostLine.vendor_id.in_(vendor_ids))
                               .order_by(CostLine.vendor_id, CostLine.position, CostLine.id)).all()
        scenarios = s.scalars(select(TariffScenario).where(TariffScenario.evaluation_id == e.id)
                              .order_by(TariffScenario.position, TariffScenario.id)).all()
        declarations = s.scalars(select(ConflictDeclaration).where(ConflictDeclaration.evaluation_id == e.id)
                                 .order_by(ConflictDeclaration.declared_at, ConflictDeclaration.id)).all()
        return domain.Snapshot(
            evaluation=info,
            groups=groups,
            criteria=criteria,
            vendors=tuple(
                domain.Vendor(
                    id=v.id, name=v.name, legal_name=v.legal_name, contact=v.contact, hq_country=v.hq_country,
                    delivery_locations=tuple(v.delivery_locations or ()), deployment_model=v.deployment_model,
                    hosting_model=v.hosting_model, modalities=tuple(v.modalities or ()),
                    service_types=tuple(v.service_types or ()), certifications=tuple(v.certifications or ()),
                    contract_term_years=v.contract_term_years, escalation_cap_pct=v.escalation_cap_pct,
                    notes=v.notes, position=v.position,
                )
                for v in vendors
            ),
            evaluators=tuple(
                domain.Evaluator(x.id, x.name, x.role, x.envelope, x.submitted_at, x.position) for x in evaluators
            ),
            scores=tuple(scores),
            consensus=tuple(
                domain.ConsensusEntry(x.id, x.vendor_id, x.criterion_id, x.value, x.reason, x.set_by,
                                      x.updated_at, x.version)
                for x in consensus
            ),
            suggestions=tuple(
                domain.SuggestionEntry(x.vendor_id, x.criterion_id, x.value, x.explanation) for x in suggestions
            ),
            answers=tuple(
                domain.AnswerEntry(x.vendor_id, x.criterion_id, x.value, x.evidence, x.attachment_ref) for x in answers
            ),
            cost_lines=tuple(
                domain.CostLineEntry(x.id, x.vendor_id, x.category, x.description, x.annual_amount, x.currency,
                                     x.origin_country, x.pass_through, x.imaging_equipment)
                for x in cost_lines
            ),
            tariff_scenarios=tuple(
                domain.TariffScenarioEntry(x.id, x.name, {str(k): float(r) for k, r in (x.rates or {}).items()},
                                           x.imaging_exemption, x.position)
                for x in scenarios
            ),
            declarations=tuple(
                domain.DeclarationEntry(x.id, x.evaluator_id, x.declared_at, x.declared_by,
                                        tuple(int(i) for i in x.vendor_ids or ()), x.statement)
                for x in declarations
            ),
            audit_head=chain_head(s, e.id),
        )


def load_criteria(db: Database, ref: Ref) -> domain.Snapshot:
    """The evaluation with its groups and criteria only (no vendors, scores or answers): for
    work such as a questionnaire import that must not pay for reading every score."""
    with db.read() as s:
        info, groups, criteria = _criteria_part(s, get_evaluation(s, ref))
        return domain.Snapshot(evaluation=info, groups=groups, criteria=criteria, vendors=(), evaluators=(),
                               scores=())


def _criteria_part(
    s: Session, e: Evaluation
) -> tuple[domain.EvaluationInfo, tuple[domain.Group, ...], tuple[domain.Criterion, ...]]:
    info = domain.EvaluationInfo(
        id=e.id, name=e.name, organisation=e.organisation, description=e.description, status=e.status,
        template_name=e.template_name, missing_policy=e.missing_policy, aggregation=e.aggregation,
        discuss_threshold=e.discuss_threshold, must_discuss_threshold=e.must_discuss_threshold,
        blind_mode=e.blind_mode, two_envelope=e.two_envelope,
        questionnaire_deadline=e.questionnaire_deadline, questionnaire_contact=e.questionnaire_contact,
        created_at=e.created_at, updated_at=e.updated_at, finalised_at=e.finalised_at,
        finalised_by=e.finalised_by,
    )
    groups = s.scalars(select(CriterionGroup).where(CriterionGroup.evaluation_id == e.id)
                       .order_by(CriterionGroup.position, CriterionGroup.id)).all()
    group_rank = {g.id: i for i, g in enumerate(groups)}
    rows = sorted(s.scalars(select(Criterion).where(Criterion.evaluation_id == e.id)).all(),
                  key=lambda c: (group_rank[c.group_id], c.position, c.id))
    criteria = tuple(
        domain.Criterion(
            id=c.id, group_id=c.group_id, key=c.key, name=c.name, question=c.question, guidance=c.guidance,
            weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max,
            descriptors={str(k): str(v) for k, v in (c.descriptors or {}).items()},
            direction=c.direction, knockout=c.knockout, knockout_min=c.knockout_min, is_cost=c.is_cost,
            answer_type=c.answer_type, answer_unit=c.answer_unit, answer_min=c.answer_min,
            answer_max=c.answer_max, choices=tuple(c.choices or ()), scoring_rule=c.scoring_rule,
            position=c.position,
        )
        for c in rows
    )
    return info, tuple(domain.Group(g.id, g.name, g.description, g.weight, g.position) for g in groups), criteria
