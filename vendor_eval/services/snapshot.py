"""Read one evaluation whole, in one transaction, as plain data (vendor_eval.domain.Snapshot)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_eval import domain
from vendor_eval.services.lookup import Ref, get_evaluation
from vendor_eval.storage import Database
from vendor_eval.storage.audit import chain_head
from vendor_eval.storage.models import (
    Answer,
    AwardCondition,
    ConflictDeclaration,
    ConsensusScore,
    CostLine,
    Criterion,
    CriterionGroup,
    Evaluation,
    Evaluator,
    Score,
    SuggestedScore,
    TariffScenario,
    Vendor,
)


@contextmanager
def gc_paused() -> Iterator[None]:
    """A large evaluation allocates ~10^4-10^5 small objects (answers, suggestions, the scores'
    row tuples on their way into arrays) and nothing cyclic; letting the cyclic garbage
    collector rescan them over and over more than doubled the load time."""
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
        scores = _score_table(s, e.id)
        # Core rows, not ORM objects: up to one of each per vendor x criterion cell.
        consensus = s.execute(select(
            ConsensusScore.id, ConsensusScore.vendor_id, ConsensusScore.criterion_id, ConsensusScore.value,
            ConsensusScore.reason, ConsensusScore.set_by, ConsensusScore.updated_at, ConsensusScore.version,
        ).where(ConsensusScore.vendor_id.in_(vendor_ids)).order_by(ConsensusScore.id)).all()
        suggestions = s.execute(select(
            SuggestedScore.vendor_id, SuggestedScore.criterion_id, SuggestedScore.value, SuggestedScore.explanation,
        ).where(SuggestedScore.vendor_id.in_(vendor_ids))).all()
        answers = s.scalars(select(Answer).where(Answer.vendor_id.in_(vendor_ids))).all()
        cost_lines = s.scalars(select(CostLine).where(CostLine.vendor_id.in_(vendor_ids))
                               .order_by(CostLine.vendor_id, CostLine.position, CostLine.id)).all()
        scenarios = s.scalars(select(TariffScenario).where(TariffScenario.evaluation_id == e.id)
                              .order_by(TariffScenario.position, TariffScenario.id)).all()
        declarations = s.scalars(select(ConflictDeclaration).where(ConflictDeclaration.evaluation_id == e.id)
                                 .order_by(ConflictDeclaration.declared_at, ConflictDeclaration.id)).all()
        conditions = s.scalars(select(AwardCondition).where(AwardCondition.evaluation_id == e.id)
                               .order_by(AwardCondition.position, AwardCondition.id)).all()
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
            scores=scores,
            consensus=tuple(domain.ConsensusEntry(*x) for x in consensus),
            suggestions=tuple(domain.SuggestionEntry(*x) for x in suggestions),
            answers=tuple(
                domain.AnswerEntry(x.vendor_id, x.criterion_id, x.value, x.evidence, x.attachment_ref) for x in answers
            ),
            cost_lines=tuple(
                domain.CostLineEntry(x.category, x.description, x.annual_amount, x.currency, x.origin_country,
                                     x.pass_through, x.imaging_equipment, id=x.id, vendor_id=x.vendor_id)
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
            award_conditions=tuple(
                domain.AwardConditionEntry(x.id, x.criterion_id, x.vendor_id, x.text, x.position) for x in conditions
            ),
            audit_head=chain_head(s, e.id),
        )


# Columns of a score row as numpy reads them from the driver's tuples.
_SCORE_ROW = np.dtype([("id", np.int64), ("evaluator_id", np.int64), ("vendor_id", np.int64),
                       ("criterion_id", np.int64), ("value", float), ("version", np.int64)])


def _score_table(s: Session, evaluation_id: int) -> domain.ScoreTable:
    """The evaluation's scores straight into columns: numpy reads the driver's row tuples, with
    no Python object kept per score. Comments come in a second query, only the non-empty ones."""
    of_evaluation = (select(Score.id).join(Evaluator, Score.evaluator_id == Evaluator.id)
                     .where(Evaluator.evaluation_id == evaluation_id))
    # In id order, as a patched snapshot keeps them (a new score has the highest id): screens that
    # list a cell's scores show them in the same order after an edit as after a fresh load.
    numbers = of_evaluation.add_columns(Score.evaluator_id, Score.vendor_id, Score.criterion_id, Score.value,
                                        Score.version).order_by(Score.id)
    result = s.connection().execute(numbers)
    try:
        # Straight from the DBAPI cursor's tuples: SQLAlchemy's Row objects cost a third more
        # here, fetchmany batches more still, and these columns need no type processing.
        rows = np.fromiter(cast("Iterable[tuple[Any, ...]]", result.cursor), _SCORE_ROW)
    finally:
        result.close()
    comments: dict[int, str] = dict(s.execute(of_evaluation.add_columns(Score.comment)
                                              .where(Score.comment != "")).all())
    return domain.ScoreTable(rows["id"], rows["evaluator_id"], rows["vendor_id"], rows["criterion_id"],
                             rows["value"], rows["version"], comments=comments)


def load_criteria(db: Database, ref: Ref) -> domain.Snapshot:
    """The evaluation with its groups and criteria only (no vendors, scores or answers): for
    work such as a questionnaire import that must not pay for reading every score."""
    with db.read() as s:
        info, groups, criteria = _criteria_part(s, get_evaluation(s, ref))
        return domain.Snapshot(evaluation=info, groups=groups, criteria=criteria, vendors=(), evaluators=(),
                               scores=domain.ScoreTable())


def _criteria_part(
    s: Session, e: Evaluation
) -> tuple[domain.EvaluationInfo, tuple[domain.Group, ...], tuple[domain.Criterion, ...]]:
    info = domain.EvaluationInfo(
        id=e.id, name=e.name, organisation=e.organisation, description=e.description, status=e.status,
        template_name=e.template_name, missing_policy=e.missing_policy, aggregation=e.aggregation,
        price_formula=e.price_formula,
        discuss_threshold=e.discuss_threshold, must_discuss_threshold=e.must_discuss_threshold,
        blind_mode=e.blind_mode, two_envelope=e.two_envelope,
        questionnaire_deadline=e.questionnaire_deadline, questionnaire_contact=e.questionnaire_contact,
        created_at=e.created_at, updated_at=e.updated_at, finalised_at=e.finalised_at,
        finalised_by=e.finalised_by, disclose_weights=e.disclose_weights, template_version=e.template_version,
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
            position=c.position, provide=c.provide, answer_integer=c.answer_integer,
            answer_example=c.answer_example,
        )
        for c in rows
    )
    return info, tuple(domain.Group(g.id, g.name, g.description, g.weight, g.position) for g in groups), criteria
