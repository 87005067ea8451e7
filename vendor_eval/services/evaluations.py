"""Evaluations: create from a template, list, duplicate, delete, change settings, save as template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from vendor_eval import domain
from vendor_eval.errors import ValidationError
from vendor_eval.io.templates import (
    AnswerSpec,
    CriterionSpec,
    GroupSpec,
    TemplateSpec,
    builtin_templates,
    load_template,
    save_template,
)
from vendor_eval.services.lookup import Ref, editable_evaluation, get_evaluation
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import (
    AwardCondition,
    CostLine,
    Criterion,
    CriterionGroup,
    Evaluation,
    Evaluator,
    Score,
    TariffScenario,
    Vendor,
)
from vendor_eval.vocabulary import AGGREGATIONS, MISSING_POLICIES, PRICE_FORMULAS, STATUSES


@dataclass(frozen=True)
class EvaluationSummary:
    id: int
    name: str
    organisation: str
    status: str
    vendors: int
    criteria: int
    evaluators: int
    scores: int
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "updated_at": self.updated_at.isoformat()}


def resolve_template(template: str | Path) -> TemplateSpec:
    """A built-in template by name, or a template file by path."""
    path = Path(template)
    if path.suffix == ".json" and path.exists():
        return load_template(path)
    builtins = builtin_templates()
    if str(template) in builtins:
        return load_template(builtins[str(template)])
    names = ", ".join(repr(n) for n in builtins)
    raise ValidationError(f"There is no template {str(template)!r}; built-in templates are {names}, or give a .json file.")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("An evaluation needs a name.")
    if len(name) > 200:
        raise ValidationError("An evaluation name is at most 200 characters.")
    return name


def create_from_template(
    db: Database, template: str | Path | TemplateSpec, name: str, actor: str, organisation: str = "", description: str = ""
) -> int:
    """Create a draft evaluation holding a copy of the template's criteria; returns its id."""
    spec = template if isinstance(template, TemplateSpec) else resolve_template(template)
    name = _check_name(name)
    with db.write() as s:
        if s.scalar(select(Evaluation.id).where(Evaluation.name == name)) is not None:
            raise ValidationError(f"An evaluation named {name!r} already exists; choose another name.")
        evaluation = Evaluation(name=name, organisation=organisation, description=description, template_name=spec.name,
                                template_version=spec.version)
        s.add(evaluation)
        s.flush()
        _add_criteria(s, evaluation.id, spec)
        audit.record(s, evaluation.id, actor, "evaluation", evaluation.id, "created", None,
                     {"name": name, "template": spec.name, "template_version": spec.version,
                      "criteria": spec.criteria_count})
        return evaluation.id


def _add_criteria(s: Any, evaluation_id: int, spec: TemplateSpec) -> None:
    conditions = 0
    for gpos, g in enumerate(spec.groups):
        group = CriterionGroup(evaluation_id=evaluation_id, name=g.name, description=g.description,
                               weight=g.weight, position=gpos)
        s.add(group)
        s.flush()
        for cpos, c in enumerate(g.criteria):
            criterion = Criterion(
                evaluation_id=evaluation_id, group_id=group.id, key=c.key, name=c.name, question=c.question,
                guidance=c.guidance, weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max,
                descriptors=dict(c.descriptors), direction=c.direction, knockout=c.knockout,
                knockout_min=c.knockout_min, is_cost=c.cost, answer_type=c.answer.type,
                answer_unit=c.answer.unit, answer_min=c.answer.min, answer_max=c.answer.max,
                choices=list(c.answer.choices), scoring_rule=c.scoring_rule, position=cpos,
                provide=c.provide, answer_integer=c.answer.integer, answer_example=c.answer.example,
            )
            s.add(criterion)
            if c.award_conditions:
                s.flush()
                for text in c.award_conditions:
                    conditions += 1
                    s.add(AwardCondition(evaluation_id=evaluation_id, criterion_id=criterion.id, text=text,
                                         position=conditions))
    s.flush()


def list_evaluations(db: Database) -> list[EvaluationSummary]:
    with db.read() as s:
        def count(column: Any) -> Any:
            return select(func.count()).where(column == Evaluation.id).correlate(Evaluation).scalar_subquery()

        rows = s.execute(
            select(
                Evaluation,
                count(Vendor.evaluation_id),
                count(Criterion.evaluation_id),
                count(Evaluator.evaluation_id),
                select(func.count(Score.id)).join(Evaluator, Score.evaluator_id == Evaluator.id)
                .where(Evaluator.evaluation_id == Evaluation.id).correlate(Evaluation).scalar_subquery(),
            ).order_by(Evaluation.updated_at.desc())
        ).all()
        return [
            EvaluationSummary(e.id, e.name, e.organisation, e.status, nv, nc, ne, ns, e.updated_at)
            for e, nv, nc, ne, ns in rows
        ]


def delete_evaluation(db: Database, ref: Ref) -> None:
    """Delete an evaluation and everything in it (the GUI asks for confirmation first)."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        s.delete(evaluation)


SETTINGS = {
    "name": str, "organisation": str, "description": str, "missing_policy": str, "aggregation": str,
    "price_formula": str,
    "discuss_threshold": float, "must_discuss_threshold": float, "blind_mode": bool, "two_envelope": bool,
    "questionnaire_deadline": str, "questionnaire_contact": str, "disclose_weights": bool,
}


def update_settings(db: Database, ref: Ref, actor: str, **changes: Any) -> None:
    """Change evaluation-level settings (policies, thresholds, modes, texts), each audited."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        for field, value in changes.items():
            if field not in SETTINGS:
                raise ValidationError(f"{field!r} is not an evaluation setting; settings are {', '.join(SETTINGS)}.")
            value = _check_setting(field, value)
            if field == "name" and s.scalar(select(Evaluation.id).where(Evaluation.name == value, Evaluation.id != evaluation.id)):
                raise ValidationError(f"An evaluation named {value!r} already exists; choose another name.")
            audit.set_field(s, evaluation.id, actor, "evaluation", evaluation, field, value)
        thresholds = (evaluation.discuss_threshold, evaluation.must_discuss_threshold)
        if not 0 < thresholds[0] < thresholds[1] <= 1:
            raise ValidationError(
                f"Disagreement thresholds must satisfy 0 < discuss < must discuss <= 1, got {thresholds[0]:g} and {thresholds[1]:g}."
            )


def _check_setting(field: str, value: Any) -> Any:
    kind = SETTINGS[field]
    if kind is bool:
        if not isinstance(value, bool):
            raise ValidationError(f"{field} must be true or false, got {value!r}.")
        return value
    if kind is float:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{field} must be a number, got {value!r}.") from None
    value = str(value)
    if field == "name":
        return _check_name(value)
    if field == "missing_policy" and value not in MISSING_POLICIES:
        raise ValidationError(f"missing_policy must be one of {', '.join(MISSING_POLICIES)}, got {value!r}.")
    if field == "price_formula" and value not in PRICE_FORMULAS:
        raise ValidationError(f"price_formula must be one of {', '.join(PRICE_FORMULAS)}, got {value!r}.")
    if field == "aggregation" and value not in AGGREGATIONS:
        raise ValidationError(f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {value!r}.")
    return value


def set_status(db: Database, ref: Ref, status: str, actor: str) -> None:
    """Move between draft and scoring (finalising has its own service, with its checks)."""
    if status not in STATUSES or status == "finalised":
        raise ValidationError(f"Status must be 'draft' or 'scoring', got {status!r}.")
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        if evaluation.status != status:
            audit.record(s, evaluation.id, actor, "evaluation", evaluation.id, "status", evaluation.status, status)
            evaluation.status = status


def template_from_evaluation(db: Database, ref: Ref, name: str) -> TemplateSpec:
    with db.read() as s:
        evaluation = get_evaluation(s, ref)
        conditions: dict[int, list[str]] = {}
        for row in s.scalars(select(AwardCondition).where(AwardCondition.evaluation_id == evaluation.id,
                                                          AwardCondition.vendor_id.is_(None),
                                                          AwardCondition.criterion_id.is_not(None))
                             .order_by(AwardCondition.position, AwardCondition.id)):
            conditions.setdefault(int(row.criterion_id or 0), []).append(row.text)
        groups = tuple(
            GroupSpec(
                name=g.name, description=g.description, weight=g.weight,
                criteria=tuple(
                    CriterionSpec(
                        key=c.key, name=c.name, question=c.question, guidance=c.guidance, weight=c.weight,
                        scale_min=c.scale_min, scale_max=c.scale_max, descriptors=dict(c.descriptors),
                        direction=c.direction, knockout=c.knockout, knockout_min=c.knockout_min, cost=c.is_cost,
                        answer=AnswerSpec(c.answer_type, c.answer_unit, c.answer_min, c.answer_max, tuple(c.choices),
                                          c.answer_integer, c.answer_example),
                        scoring_rule=c.scoring_rule, provide=c.provide,
                        award_conditions=tuple(conditions.get(c.id, ())),
                    )
                    for c in g.criteria
                ),
            )
            for g in evaluation.groups
        )
        return TemplateSpec(name=name, description=f"Saved from the evaluation {evaluation.name!r}.", groups=groups,
                            version=evaluation.template_version or "1")


def save_as_template(db: Database, ref: Ref, name: str, path: Path) -> Path:
    """Write an evaluation's criteria, weights and scales as a reusable template file."""
    save_template(template_from_evaluation(db, ref, name), path)
    return path


def duplicate_evaluation(db: Database, ref: Ref, new_name: str, actor: str) -> int:
    """A new draft with the same criteria, vendors, evaluators, cost lines and scenarios, but no scores."""
    spec = template_from_evaluation(db, ref, new_name)
    with db.read() as s:
        source = get_evaluation(s, ref)
        source_id, organisation, description = source.id, source.organisation, source.description
    new_id = create_from_template(db, spec, new_name, actor, organisation, description)
    with db.write() as s:
        source = get_evaluation(s, source_id)
        get_evaluation(s, new_id).disclose_weights = source.disclose_weights
        for v in source.vendors:
            copy = Vendor(evaluation_id=new_id, **{k: getattr(v, k) for k in _VENDOR_FIELDS})
            s.add(copy)
            s.flush()
            for line in s.scalars(select(CostLine).where(CostLine.vendor_id == v.id)):
                s.add(CostLine(vendor_id=copy.id, **{k: getattr(line, k) for k in _COST_FIELDS}))
        for e in source.evaluators:
            s.add(Evaluator(evaluation_id=new_id, name=e.name, role=e.role, envelope=e.envelope, position=e.position))
        for t in s.scalars(select(TariffScenario).where(TariffScenario.evaluation_id == source_id)):
            s.add(TariffScenario(evaluation_id=new_id, name=t.name, rates=dict(t.rates),
                                 imaging_exemption=t.imaging_exemption, position=t.position))
        audit.record(s, new_id, actor, "evaluation", new_id, "duplicated_from", None, source.name)
    return new_id


_VENDOR_FIELDS = (
    "name", "legal_name", "contact", "hq_country", "delivery_locations", "deployment_model", "hosting_model",
    "modalities", "service_types", "certifications", "contract_term_years", "escalation_cap_pct", "notes", "position",
)
_COST_FIELDS = (*domain.COST_LINE_FIELDS, "position")
