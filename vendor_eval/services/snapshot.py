"""Read one evaluation whole, in one transaction, as plain data (vendor_eval.domain.Snapshot)."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import numpy as np
from sqlalchemy import BigInteger, Select, case, func, or_, select
from sqlalchemy import cast as cast_sql
from sqlalchemy.orm import Session

from vendor_eval import domain
from vendor_eval.cell_table import CellTable
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

CellTableT = TypeVar("CellTableT", bound=CellTable[Any])


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
        consensus = _cell_table(s, domain.ConsensusTable, ConsensusScore, vendor_ids)
        suggestions = _cell_table(s, domain.SuggestionTable, SuggestedScore, vendor_ids)
        # Core rows, not ORM objects or the ORM's result machinery: up to one per vendor x criterion cell.
        answers = s.connection().execute(select(Answer.vendor_id, Answer.criterion_id, Answer.value, Answer.evidence,
                                                Answer.attachment_ref).where(Answer.vendor_id.in_(vendor_ids))).all()
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
            consensus=consensus,
            suggestions=suggestions,
            answers=tuple(domain.AnswerEntry(*x) for x in answers),
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


def _numbers(s: Session, query: Select[Any], dtype: np.dtype[Any]) -> np.ndarray:
    """A query's rows straight into a structured array: numpy reads the DBAPI cursor's tuples,
    with no Python object kept per row (SQLAlchemy's Row objects cost a third more here,
    fetchmany batches more still, and plain numbers need no type processing)."""
    with _cursor(s, query) as cursor:
        return np.fromiter(cursor, dtype)


@contextmanager
def _cursor(s: Session, query: Select[Any]) -> Iterator[Iterable[tuple[Any, ...]]]:
    """The DBAPI cursor's plain tuples, for columns that need no type processing (numbers, text)."""
    result = s.connection().execute(query)
    try:
        yield cast("Iterable[tuple[Any, ...]]", result.cursor)
    finally:
        result.close()


def _in_id_order(rows: np.ndarray) -> np.ndarray:
    """Rows sorted by id, as a patched table keeps them: the database returns them in index
    order, and sorting here costs a third of an ORDER BY's temporary B-tree on SQLite."""
    ids = rows["id"]
    return rows if bool(np.all(ids[1:] > ids[:-1])) else rows[np.argsort(ids, kind="stable")]


def _texts(s: Session, rows: Select[Any], names: tuple[str, ...], model: Any) -> dict[str, dict[int, str]]:
    """Text columns as {row id: text}, empty texts left out; rows selects the rows' ids."""
    texts = {}
    for name in names:
        column = getattr(model, name)
        with _cursor(s, rows.add_columns(column).where(column != "")) as cursor:
            texts[name] = dict(cursor)
    return texts


def _score_table(s: Session, evaluation_id: int) -> domain.ScoreTable:
    """The evaluation's scores straight into columns.

    Each number the driver hands over costs a Python object and a column on its way into an
    array (these dominate the load): when the largest ids allow, a score's id, cell and two
    flags (has a comment, version is not 1) come packed into one integer, beside its value.
    The versions that are not 1 and the comments that are not empty follow in a second query,
    only when a flag says there are any.
    """
    of_evaluation = (select(Score.id).join(Evaluator, Score.evaluator_id == Evaluator.id)
                     .where(Evaluator.evaluation_id == evaluation_id))
    flags = case((Score.comment != "", 1), else_=0) + case((Score.version != 1, 2), else_=0)
    fields = ("id", "evaluator_id", "vendor_id", "criterion_id")
    tops = s.execute(select(*(select(func.max(t.id)).scalar_subquery() for t in (Score, Evaluator, Vendor, Criterion)))).one()
    radices = [(top or 0) + 1 for top in tops]
    if math.prod(radices) * 4 < 2**62:  # SQLite turns an integer that overflows into a float
        key: Any = cast_sql(Score.id, BigInteger)
        for name, radix in zip(fields[1:], radices[1:], strict=True):
            key = key * radix + getattr(Score, name)
        rows = _numbers(s, of_evaluation.with_only_columns(key * 4 + flags, Score.value),
                        np.dtype([("key", np.int64), ("value", np.float64)]))
        rows = rows[np.argsort(rows["key"], kind="stable")]  # id order: the id is the key's top digit
        rest, flag = np.divmod(rows["key"], 4)
        cols: dict[str, np.ndarray] = {}
        for name, radix in zip(fields[:0:-1], radices[:0:-1], strict=True):
            rest, cols[name] = np.divmod(rest, radix)
        cols["id"] = rest
    else:
        dtype = np.dtype([*((name, np.int64) for name in fields), ("flag", np.int64), ("value", np.float64)])
        rows = _in_id_order(_numbers(s, of_evaluation.add_columns(*(getattr(Score, f) for f in fields[1:]), flags,
                                                                   Score.value), dtype))
        cols, flag = {name: rows[name] for name in fields}, rows["flag"]
    version = np.ones(len(rows), np.int64)
    comments: dict[int, str] = {}
    if flag.any():
        with _cursor(s, of_evaluation.add_columns(Score.version, Score.comment)
                     .where(or_(Score.comment != "", Score.version != 1))) as cursor:
            found = list(cursor)  # often every score (a panel that comments each): no Row objects
        ids = np.fromiter((x[0] for x in found), np.int64, len(found))
        version[np.searchsorted(cols["id"], ids)] = np.fromiter((x[1] for x in found), np.int64, len(found))
        comments = {x[0]: x[2] for x in found if x[2]}
    return domain.ScoreTable(**cols, value=rows["value"], version=version, comment=comments)


def _cell_table(s: Session, table: type[CellTableT], model: Any, vendor_ids: list[int]) -> CellTableT:
    """Consensus or suggestions (one row per vendor x criterion cell) into columns like the scores."""
    of_vendors = select(model.id).where(model.vendor_id.in_(vendor_ids))
    numbers = [getattr(model, name) for name in table.NUMBERS if name != "id"]
    rows = _in_id_order(_numbers(s, of_vendors.add_columns(*numbers), np.dtype(list(table.NUMBERS.items()))))
    return table(**{name: rows[name] for name in table.NUMBERS}, **_texts(s, of_vendors, table.TEXTS, model))


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
