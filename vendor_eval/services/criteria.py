"""Criteria, groups and weights: edit, reorder, add, remove, normalise."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.errors import ValidationError
from vendor_eval.io.templates import ANSWER_TYPES
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Criterion, CriterionGroup, Score

CRITERION_FIELDS: dict[str, Any] = {
    "name": str, "question": str, "guidance": str, "descriptors": dict, "direction": str, "knockout": bool,
    "knockout_min": (float, type(None)), "is_cost": bool, "scoring_rule": (dict, type(None)),
    "answer_type": str, "answer_unit": str, "answer_min": (float, type(None)), "answer_max": (float, type(None)),
    "choices": list,
}


def check_weight(value: Any, where: str) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"The weight of {where} must be a number, got {value!r}.") from None
    if not math.isfinite(weight) or weight < 0:
        raise ValidationError(f"The weight of {where} must be zero or more, got {value!r}.")
    return weight


def set_criterion_weight(db: Database, ref: Ref, criterion: Ref, weight: Any, actor: str) -> None:
    set_weights(db, ref, {criterion: weight}, actor)


def set_weights(db: Database, ref: Ref, weights: dict[Ref, Any], actor: str, reason: str = "") -> None:
    """Set several criterion weights (percent within their group) in one transaction, e.g. from AHP."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        for criterion_ref, value in weights.items():
            c = get_member(s, Criterion, evaluation.id, criterion_ref)
            weight = check_weight(value, f"criterion {c.name!r}")
            audit.set_field(s, evaluation.id, actor, "criterion", c, "weight", weight, reason)


def set_group_weight(db: Database, ref: Ref, group: Ref, weight: Any, actor: str) -> None:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        value = check_weight(weight, f"group {g.name!r}")
        audit.set_field(s, evaluation.id, actor, "group", g, "weight", value)


def normalise_weights(db: Database, ref: Ref, actor: str, group: Ref | None = None) -> None:
    """Rescale to 100 %: the group weights and the criteria within each group (or within one group)."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        groups = [get_member(s, CriterionGroup, evaluation.id, group)] if group is not None else list(evaluation.groups)
        if group is None:
            _rescale(s, evaluation.id, "group", groups, "the criteria groups", actor)
        for g in groups:
            _rescale(s, evaluation.id, "criterion", list(g.criteria), f"group {g.name!r}", actor)


def _rescale(s: Session, evaluation_id: int, entity: str, rows: list[Any], where: str, actor: str) -> None:
    total = sum(r.weight for r in rows)
    if total <= 0:
        raise ValidationError(f"The weights in {where} sum to zero, so they cannot be normalised; give one a positive weight.")
    for r in rows:
        new = r.weight * 100.0 / total
        if not math.isclose(new, r.weight, rel_tol=1e-12):
            audit.record(s, evaluation_id, actor, entity, r.id, "weight", r.weight, new, "normalised to 100 %")
            r.weight = new


def update_criterion(db: Database, ref: Ref, criterion: Ref, actor: str, **changes: Any) -> None:
    """Change a criterion's texts, descriptors, knock-out rule, answer definition or scoring rule."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        for field, value in changes.items():
            if field not in CRITERION_FIELDS:
                raise ValidationError(f"{field!r} cannot be edited on a criterion; editable fields are {', '.join(CRITERION_FIELDS)}.")
            if isinstance(value, int) and not isinstance(value, bool) and CRITERION_FIELDS[field] is not bool:
                value = float(value)
            if not isinstance(value, CRITERION_FIELDS[field]):
                raise ValidationError(f"The criterion field {field!r} got {value!r}, which has the wrong type.")
            _check_criterion_field(c, field, value)
            audit.set_field(s, evaluation.id, actor, "criterion", c, field, value)
        if c.knockout and c.knockout_min is None:
            raise ValidationError(f"Knock-out criterion {c.name!r} needs the minimum score that passes (knockout_min).")


def _check_criterion_field(c: Criterion, field: str, value: Any) -> None:
    if field == "name" and not value.strip():
        raise ValidationError("A criterion needs a name.")
    if field == "direction" and value not in ("max", "min"):
        raise ValidationError(f"A criterion's direction is 'max' or 'min', got {value!r}.")
    if field == "answer_type" and value not in ANSWER_TYPES:
        raise ValidationError(f"Answer type must be one of {', '.join(ANSWER_TYPES)}, got {value!r}.")
    if field == "knockout_min" and value is not None and not c.scale_min <= value <= c.scale_max:
        raise ValidationError(
            f"The knock-out minimum of {c.name!r} must lie on its scale {c.scale_min:g}-{c.scale_max:g}, got {value:g}."
        )


def add_group(db: Database, ref: Ref, name: str, actor: str, weight: float = 0.0, description: str = "") -> int:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        if not name.strip():
            raise ValidationError("A criteria group needs a name.")
        if any(g.name == name for g in evaluation.groups):
            raise ValidationError(f"There is already a group named {name!r}.")
        g = CriterionGroup(evaluation_id=evaluation.id, name=name, description=description,
                           weight=check_weight(weight, f"group {name!r}"), position=len(evaluation.groups))
        s.add(g)
        s.flush()
        audit.record(s, evaluation.id, actor, "group", g.id, "created", None, name)
        return g.id


def add_criterion(db: Database, ref: Ref, group: Ref, name: str, actor: str, weight: float = 0.0,
                  scale_min: float = 0.0, scale_max: float = 5.0, key: str | None = None) -> int:
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        g = get_member(s, CriterionGroup, evaluation.id, group)
        if not name.strip():
            raise ValidationError("A criterion needs a name.")
        if s.scalar(select(Criterion.id).where(Criterion.evaluation_id == evaluation.id, Criterion.name == name)):
            raise ValidationError(f"There is already a criterion named {name!r}.")
        if scale_max <= scale_min:
            raise ValidationError(f"A scale needs its maximum above its minimum, got {scale_min:g}..{scale_max:g}.")
        if key is None:  # the first free custom.N: after a removal the count alone may name a taken key
            taken = set(s.scalars(select(Criterion.key).where(Criterion.evaluation_id == evaluation.id)))
            count = len(taken) + 1
            while f"custom.{count}" in taken:
                count += 1
            key = f"custom.{count}"
        c = Criterion(evaluation_id=evaluation.id, group_id=g.id, key=key, name=name,
                      weight=check_weight(weight, f"criterion {name!r}"), scale_min=scale_min, scale_max=scale_max,
                      position=len(g.criteria))
        s.add(c)
        s.flush()
        audit.record(s, evaluation.id, actor, "criterion", c.id, "created", None, {"name": name, "group": g.name})
        return c.id


def remove_criterion(db: Database, ref: Ref, criterion: Ref, actor: str) -> None:
    """Remove a criterion and its scores (the audit trail keeps how many were dropped)."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        dropped = s.scalar(select(func.count()).where(Score.criterion_id == c.id)) or 0
        audit.record(s, evaluation.id, actor, "criterion", c.id, "deleted", c.name, None, f"{dropped} scores removed")
        s.delete(c)


def move_criterion(db: Database, ref: Ref, criterion: Ref, position: int, actor: str, group: Ref | None = None) -> None:
    """Move a criterion to a position within its group, or into another group."""
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        c = get_member(s, Criterion, evaluation.id, criterion)
        source = c.group
        target = get_member(s, CriterionGroup, evaluation.id, group) if group is not None else source
        siblings = [x for x in source.criteria if x.id != c.id]
        if target.id != source.id:
            for i, x in enumerate(siblings):
                x.position = i
            siblings = [x for x in target.criteria if x.id != c.id]
            audit.record(s, evaluation.id, actor, "criterion", c.id, "group", source.name, target.name)
            c.group_id = target.id
        position = max(0, min(position, len(siblings)))
        siblings.insert(position, c)
        old_position = c.position
        for i, x in enumerate(siblings):
            x.position = i
        if old_position != position:
            audit.record(s, evaluation.id, actor, "criterion", c.id, "position", old_position, position)
